"""The pages around the modules: reading list, glossary, annotated session, facilitator guide,
completion record and the learner's data.

The reading list, glossary, transcript and guide are HTML drawn from ``data/``. The
completion record and the data page are anywidgets (``static/resources.js``) that read the
learner's own browser storage: the record is made on the learner's device and never sent to
the server.
"""

from __future__ import annotations

import html
import json

import anywidget
import traitlets

from . import content
from .content import Bibliography, UIText
from .esm import bundle
from .guard import BrowserSafe

TOPIC_ORDER = ["history", "method", "ground-rules", "leadership", "online", "burnout", "evidence", "instruments"]


def reading_list(t: UIText, format_reference) -> str:
    """Every publication in the bibliography, grouped by topic (an entry may sit under several)."""
    bib = content.bibliography()
    sections = []
    for topic in TOPIC_ORDER + ["other"]:
        refs = [r for r in bib.entries if (topic in r.topics) or (topic == "other" and not r.topics)]
        if not refs:
            continue
        refs.sort(key=lambda r: (r.authors[0].lower(), r.year or 0, r.title))
        items = "".join(f'<li id="read-{topic}-{r.key}" data-key="{r.key}">{format_reference(r)}</li>' for r in refs)
        sections.append(
            f'<section class="kit-reading-topic" data-topic="{topic}"><h2>{html.escape(t["topic-" + topic])} '
            f'<span class="kit-muted kit-small">({len(refs)})</span></h2><ul>{items}</ul></section>'
        )
    total = html.escape(t["reading-total"].format(count=len(bib.entries)))
    return f'<section class="kit-card kit-reading"><p class="kit-muted">{total}</p>{"".join(sections)}</section>'


AUDIT_ORDER = ("doi", "abstract", "page", "source-document", "unverified")


def sources_audit_html(t: UIText, format_reference) -> str:
    """How the bibliography was checked: a count for each way, then every unverified entry with its reason."""
    bib = content.bibliography()
    counts = {way: sum(1 for r in bib.entries if r.verified == way) for way in AUDIT_ORDER}
    rows = "".join(
        f'<tr data-verified="{way}"><th scope="row">{html.escape(t["audit-" + way])}</th><td>{counts[way]}</td></tr>'
        for way in AUDIT_ORDER
        if counts[way]
    )
    open_refs = sorted(
        (r for r in bib.entries if r.verified == "unverified"),
        key=lambda r: (r.authors[0].lower(), r.year or 0, r.title),
    )
    items = "".join(f'<li id="audit-{r.key}">{format_reference(r)}</li>' for r in open_refs)
    unverified = (
        f'<h3>{html.escape(t["audit-unverified-title"].format(count=len(open_refs)))}</h3><ul class="kit-audit-open">{items}</ul>'
        if open_refs
        else f"<p>{html.escape(t['audit-none-unverified'])}</p>"
    )
    return (
        f'<section class="kit-card kit-sources-audit" aria-label="{html.escape(t["audit-title"])}">'
        f"<p>{html.escape(t['audit-intro'].format(count=len(bib.entries)))}</p>"
        f'<table class="kit-map-table kit-audit-table"><thead><tr><th scope="col">{html.escape(t["audit-col-how"])}</th>'
        f'<th scope="col">{html.escape(t["audit-col-count"])}</th></tr></thead><tbody>{rows}</tbody></table>'
        f"{unverified}</section>"
    )


def glossary_html(t: UIText) -> str:
    """The glossary in alphabetical order under its letters, with A-Z jump links and a filter box.

    The filter works in the browser (``static/kit.js``, which finds the box by its class); its
    messages come from here, from data/ui/en.yaml, as data attributes."""
    g = content.glossary()
    bib = content.require_sources(g.cited_keys(), "glossary.yaml")
    by_id = {term.id: term for term in g.terms}
    sections: dict[str, list[str]] = {}
    for term in sorted(g.terms, key=lambda x: x.term.lower()):
        see = ""
        if term.see_also:
            links = ", ".join(f'<a href="#term-{o}">{html.escape(by_id[o].term)}</a>' for o in term.see_also)
            see = f' <span class="kit-small">{html.escape(t["glossary-see-also"])} {links}.</span>'
        sections.setdefault(_letter(term.term), []).append(
            f'<div class="kit-glossary-entry" data-term-name="{html.escape(term.term)}">'
            f'<dt id="term-{term.id}">{html.escape(term.term)}</dt>'
            f'<dd>{html.escape(term.definition)}{see} <span class="kit-muted kit-small">({bib.cite_html(term.sources)})</span></dd></div>'
        )
    letters = sorted(sections)
    alphabet = sorted(set(t["glossary-alphabet"].split()) | set(letters))
    jumps = "".join(
        f'<li><a href="#glossary-letter-{_slug(x)}">{html.escape(x)}</a></li>'
        if x in sections
        # A letter no term begins with: shown for the shape of the alphabet, not a link, and not read out.
        else f'<li aria-hidden="true"><span class="kit-glossary-az-none">{html.escape(x)}</span></li>'
        for x in alphabet
    )
    body = "".join(
        f'<div class="kit-glossary-letter" data-letter="{html.escape(x)}"><h2 id="glossary-letter-{_slug(x)}">{html.escape(x)}</h2>'
        f'<dl class="kit-glossary-list">{"".join(sections[x])}</dl></div>'
        for x in letters
    )
    count_forms = html.escape(json.dumps(t.forms("glossary-filter-count"), ensure_ascii=False))
    return (
        f'<section class="kit-card kit-glossary" aria-label="{html.escape(t["glossary-title"])}" '
        f'data-locale="{html.escape(t.locale)}" data-total="{len(g.terms)}" data-text-count="{count_forms}" '
        f'data-text-none="{html.escape(t["glossary-filter-none"])}">'
        f'<p class="kit-muted">{html.escape(t["glossary-count"].format(count=len(g.terms), letters=", ".join(letters)))}</p>'
        f'<nav class="kit-glossary-az" aria-label="{html.escape(t["glossary-az-label"])}"><ul>{jumps}</ul></nav>'
        f'<div class="kit-glossary-find"><label for="kit-glossary-filter">{html.escape(t["glossary-filter-label"])}</label> '
        f'<input type="search" id="kit-glossary-filter" class="kit-glossary-filter" autocomplete="off" spellcheck="false" '
        f'aria-describedby="kit-glossary-filter-hint" aria-controls="kit-glossary-terms"> '
        f'<span class="kit-muted kit-small" id="kit-glossary-filter-hint">{html.escape(t["glossary-filter-hint"])}</span></div>'
        f'<p class="kit-glossary-status" role="status"></p>'
        f'<div id="kit-glossary-terms">{body}</div></section>'
    )


def _letter(term: str) -> str:
    """The letter a term is filed under: its first letter, capitalised."""
    for ch in term:
        if ch.isalpha():
            return ch.upper()
    return "#"


def _slug(letter: str) -> str:
    return "".join(f"{ord(c):x}" if not c.isascii() or not c.isalnum() else c.lower() for c in letter)


def transcript_html(t: UIText) -> str:
    tr = content.transcript()
    bib = content.require_sources(tr.cited_keys(), "transcript.yaml")
    session = content.session()
    phases = {p.id: p.name for p in session.phases}
    rules = {r.id: r.title for r in content.ground_rules().rules}
    lead = content.leadership()
    skills = {s.id: s.name for s in lead.skills}
    derailments = {d.id: d.name for d in lead.derailments}
    out, current = [], None
    for turn in tr.turns:
        if turn.phase != current:
            if current is not None:
                out.append("</ol>")
            current = turn.phase
            out.append(
                f'<h4 class="kit-tr-phase" data-phase="{turn.phase}">{html.escape(phases.get(turn.phase, turn.phase))}</h4><ol class="kit-tr-turns">'
            )
        note = ""
        a = turn.annotation
        if a:
            tags = []
            if a.phase:
                tags.append(f"{html.escape(t['tr-phase'])} {html.escape(phases.get(a.phase, a.phase))}")
            if a.rule:
                tags.append(f"{html.escape(t['tr-rule'])} {html.escape(rules.get(a.rule, a.rule))}")
            if a.skill:
                tags.append(f"{html.escape(t['tr-skill'])} {html.escape(skills.get(a.skill, a.skill))}")
            if a.derailment:
                tags.append(
                    f"{html.escape(t['tr-derailment'])} {html.escape(derailments.get(a.derailment, a.derailment))}"
                )
            note = (
                f'<details class="kit-tr-note"><summary>{html.escape(t["tr-why"])}</summary>'
                f'<p>{html.escape(a.text)}</p><p class="kit-muted kit-small">{" · ".join(tags)}</p></details>'
            )
        cls = "kit-tr-narration" if turn.role == "narration" else f"kit-tr-{turn.role}"
        speaker = "" if turn.role == "narration" else f'<b class="kit-tr-speaker">{html.escape(turn.speaker)}:</b> '
        out.append(
            f'<li class="kit-tr-turn {cls}" id="turn-{turn.id}" data-role="{turn.role}">{speaker}{html.escape(turn.text)}{note}</li>'
        )
    out.append("</ol>")
    head = f'<p class="kit-muted kit-small">{html.escape(tr.fictional)} {html.escape(tr.setting)}</p>'
    if tr.content_note:
        head = f'<p class="kit-content-note">{html.escape(t["content-note"])} {html.escape(tr.content_note)}</p>' + head
    toggle = (
        f'<p class="kit-tr-toggle"><button type="button" class="jupyter-button kit-tr-all" '
        f"onclick=\"var c=this.closest('.kit-transcript');var open=!c.classList.contains('kit-tr-open');"
        f"c.classList.toggle('kit-tr-open',open);c.querySelectorAll('details.kit-tr-note').forEach(function(d){{d.open=open;}});"
        f"this.setAttribute('aria-pressed',open?'true':'false');\" aria-pressed=\"false\">{html.escape(t['tr-show-all'])}</button></p>"
    )
    return (
        f'<section class="kit-card kit-transcript" aria-label="{html.escape(tr.title)}"><h3>{html.escape(tr.title)}</h3>'
        f'{head}{toggle}{"".join(out)}<p class="kit-muted kit-small">{html.escape(t["sim-sources"])} {bib.cite_html(tr.sources)}</p></section>'
    )


def course_plans_html(t: UIText) -> str:
    g = content.guide()
    bib = content.require_sources(g.cited_keys(), "guide.yaml")
    modules = {m.id: m for m in content.course_map().modules}
    presets = {p.id: p.title for p in content.session().presets}
    cases = set(content.case_ids())
    cards = []
    for plan in g.plans:
        sessions = []
        for s in plan.sessions:
            rows = []
            for item in s.items:
                bits = [html.escape(item.activity)]
                if item.module:
                    m = modules.get(item.module)
                    if m is None:
                        raise content.ContentError(
                            "guide.yaml",
                            f"the plan '{plan.id}' names the module '{item.module}', which is not in the course map",
                        )
                    bits.append(
                        f'<a href="../{m.id}.ipynb">{html.escape(t["plan-module"].format(number=m.number, title=m.title))}</a>'
                    )
                if item.preset:
                    if item.preset not in presets:
                        raise content.ContentError(
                            "guide.yaml",
                            f"the plan '{plan.id}' names the format '{item.preset}', which is not in session.yaml",
                        )
                    bits.append(html.escape(t["plan-timer"].format(title=presets[item.preset])))
                if item.case:
                    if item.case not in cases:
                        raise content.ContentError(
                            "guide.yaml",
                            f"the plan '{plan.id}' names the case '{item.case}', which is not in data/cases/",
                        )
                    bits.append(html.escape(t["plan-case"].format(case=item.case)))
                if item.notes:
                    bits.append(f'<span class="kit-muted">{html.escape(item.notes)}</span>')
                rows.append(f'<tr><td class="kit-plan-min">{item.minutes}</td><td>{"<br>".join(bits)}</td></tr>')
            total = sum(i.minutes for i in s.items)
            sessions.append(
                f'<h5>{html.escape(s.title)}</h5><table class="kit-map-table kit-plan-table" data-total="{total}">'
                f'<thead><tr><th scope="col">{html.escape(t["plan-col-min"])}</th><th scope="col">{html.escape(t["plan-col-what"])}</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody><tfoot><tr><td class="kit-plan-min"><b>{total}</b></td>'
                f"<td><b>{html.escape(t['plan-total'].format(minutes=total))}</b></td></tr></tfoot></table>"
            )
        cites = f" ({bib.cite_html(plan.sources)})" if plan.sources else ""
        cards.append(
            f'<details class="kit-plan" data-plan="{plan.id}"><summary><b>{html.escape(plan.title)}</b> '
            f'<span class="kit-muted">{html.escape(plan.audience)}</span></summary>'
            f'<p>{html.escape(plan.summary)}</p><p class="kit-suggestion-note kit-small">{html.escape(plan.kit_suggestion)}{cites}</p>'
            f"{''.join(sessions)}</details>"
        )
    return f'<section class="kit-card kit-plans">{"".join(cards)}</section>'


# Where each kind of material with a content note is met (links from the guide's page).
_CONTENT_NOTE_PAGES = {
    "case": ("../05_role_play.ipynb", "05_role_play"),
    "scenario": ("../04_leadership.ipynb", "04_leadership"),
    "frame-scenario": ("../02_ground_rules.ipynb", "02_ground_rules"),
    "transcript": ("../resources/transcript.ipynb", None),
}


def content_notes_html(t: UIText) -> str:
    """The guide's list of material with a content note, each with its note as the data gives it."""
    g = content.guide()
    modules = {m.id: m for m in content.course_map().modules}
    frames = {s.id: s for s in content.ground_rules().scenarios}
    rows = []
    for entry in g.content_notes:
        if entry.kind == "case":
            if entry.id not in content.case_ids():
                raise content.ContentError(
                    "guide.yaml", f"the content-note list names the case '{entry.id}', which is not in data/cases/"
                )
            item = content.case(entry.id)
            title, note = item.title, item.content_note
        elif entry.kind == "scenario":
            if entry.id not in content.scenario_ids():
                raise content.ContentError(
                    "guide.yaml",
                    f"the content-note list names the scenario '{entry.id}', which is not in data/scenarios/",
                )
            item = content.scenario(entry.id)
            title, note = item.title, item.content_note
        elif entry.kind == "frame-scenario":
            if entry.id not in frames:
                raise content.ContentError(
                    "guide.yaml",
                    f"the content-note list names the frame scenario '{entry.id}', which is not in ground_rules.yaml",
                )
            title, note = frames[entry.id].situation, frames[entry.id].content_note
        else:
            tr = content.transcript()
            title, note = tr.title, tr.content_note
        if not note:
            raise content.ContentError(
                "guide.yaml", f"the content-note list names the {entry.kind} '{entry.id}', which has no content note"
            )
        href, module_id = _CONTENT_NOTE_PAGES[entry.kind]
        m = modules.get(module_id) if module_id else None
        where = t["plan-module"].format(number=m.number, title=m.title) if m else t[f"cn-kind-{entry.kind}"]
        # A frame scenario has no title: its situation is shown in plain type, a title in bold.
        label = html.escape(title) if entry.kind == "frame-scenario" else f"<b>{html.escape(title)}</b>"
        rows.append(
            f'<tr data-kind="{entry.kind}" data-id="{html.escape(entry.id)}"><td>{label}<br>'
            f'<span class="kit-muted kit-small">{html.escape(t[f"cn-kind-{entry.kind}"])}</span></td>'
            f'<td><a href="{href}">{html.escape(where)}</a></td><td>{html.escape(note)}</td></tr>'
        )
    return (
        f'<section class="kit-card kit-content-notes"><div class="kit-table-wrap"><table class="kit-map-table kit-cn-table">'
        f'<thead><tr><th scope="col">{html.escape(t["cn-col-material"])}</th><th scope="col">{html.escape(t["cn-col-where"])}</th>'
        f'<th scope="col">{html.escape(t["cn-col-note"])}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>'
    )


def teaching_notes_html(t: UIText) -> str:
    g = content.guide()
    modules = {m.id: m for m in content.course_map().modules}
    out = []
    for note in sorted(g.notes, key=lambda n: n.module):
        m = modules.get(note.module)
        if m is None:
            raise content.ContentError(
                "guide.yaml", f"the teaching note for '{note.module}' names a module that is not in the course map"
            )

        def ul(xs):
            return "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in xs) + "</ul>"

        out.append(
            f'<details class="kit-teaching-note" data-module="{m.id}"><summary><b>{m.number}. {html.escape(m.title)}</b></summary>'
            f"<h5>{html.escape(t['note-aims'])}</h5>{ul(note.aims)}<h5>{html.escape(t['note-questions'])}</h5>{ul(note.questions)}"
            f"<h5>{html.escape(t['note-misunderstandings'])}</h5>{ul(note.misunderstandings)}"
            f"<h5>{html.escape(t['note-upset'])}</h5><p>{html.escape(note.upset)}</p></details>"
        )
    return f'<section class="kit-card kit-teaching-notes">{"".join(out)}</section>'


class _Page(BrowserSafe, anywidget.AnyWidget):
    _esm = bundle("dom.js", "resources.js")
    mode = traitlets.Unicode().tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)
    modules = traitlets.List(
        help="[{id, number, title, minutes, items, item_ids}] from the course map and quizzes"
    ).tag(sync=True)


def _modules() -> list[dict]:
    out = []
    for m in sorted(content.course_map().modules, key=lambda m: m.number):
        if m.status != "ready":
            continue
        try:
            item_ids = [i.id for i in content.quiz(m.id).items]
        except content.ContentError:
            item_ids = []
        out.append(
            {
                "id": m.id,
                "number": m.number,
                "title": m.title,
                "minutes": m.minutes,
                "items": len(item_ids),
                "item_ids": item_ids,
            }
        )
    return out


def page_widget(mode: str, t: UIText) -> _Page:
    texts = {k: v for k, v in t.strings.items() if k.startswith(("record-", "mydata-", "delete", "shared-"))}
    w = _Page(mode=mode, texts=texts, modules=_modules())
    return w


def bibliography_for_pages() -> Bibliography:
    return content.bibliography()
