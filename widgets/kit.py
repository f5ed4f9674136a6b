"""What the course notebooks call: one line per widget, e.g. ``kit.knowledge_check("01_history")``.

Each function returns something to display. None of them raises: a broken or
missing data file gives a plain message on the page, naming the file and what
is wrong, and the rest of the page keeps working.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
from pathlib import Path

import anywidget
import ipywidgets as w
import traitlets
from IPython.display import HTML

from . import content, figures, plot
from .esm import bundle
from .guard import HTML as HTMLWidget
from .guard import BrowserSafe, Button, VBox
from .store import get_store

log = logging.getLogger("balint_kit")
COURSE = Path(__file__).resolve().parent.parent / "course"


def _t() -> content.UIText:
    return content.ui()


def error_panel(message: str) -> HTML:
    """A plain message where a widget should be."""
    try:
        tail = _t()["error-tail"]
    except content.ContentError:
        tail = "Please tell your course leader. The rest of this page still works."
    return HTML(f'<div class="kit-error" role="alert"><p>{html.escape(message)}</p><p>{html.escape(tail)}</p></div>')


def _safe(build):
    """Turn any failure while building a widget into an error panel (never a traceback)."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        try:
            return build(*args, **kwargs)
        except content.ContentError as exc:
            return error_panel(str(exc))
        except Exception:  # noqa: BLE001 - the learner gets a sentence, the server log the details
            log.exception("building %s failed", build.__name__)
            try:
                msg = _t()["error-unexpected"]
            except content.ContentError:
                msg = "Something went wrong while preparing this part of the page."
            return error_panel(msg)

    return wrapper


# --------------------------------------------------------------------------- page parts
@_safe
def objectives(module_id: str) -> HTML:
    """The module's learning objectives and study time, from the course map."""
    t = _t()
    m = content.course_map().module(module_id)
    items = "".join(f"<li>{html.escape(o)}</li>" for o in m.objectives)
    time = html.escape(t["objectives-time"].format(minutes=m.minutes))
    return HTML(
        f'<section class="kit-card kit-objectives" aria-label="{html.escape(t["objectives-title"])}">'
        f'<h2 class="kit-card-title">{html.escape(t["objectives-title"])}</h2><ul>{items}</ul>'
        f'<p class="kit-muted">{time}</p></section>'
    )


@_safe
def course_map() -> HTML:
    """The landing page's map of modules: objectives, time, status and the learner's progress."""
    t = _t()
    cmap = content.course_map()
    rows = []
    total = 0
    for m in sorted(cmap.modules, key=lambda m: m.number):
        objectives = "".join(f"<li>{html.escape(o)}</li>" for o in m.objectives)
        if m.status == "ready":
            total += m.minutes
            title = f'<a href="{m.id}.ipynb">{html.escape(m.title)}</a>'
            status = (
                f'<span class="kit-status kit-status-open">{html.escape(t["map-not-done"])}</span>'
                f'<span class="kit-status kit-status-done">✓ {html.escape(t["map-done"])}</span>'
            )
            attr = f' data-kit-progress="{m.id}"'
        else:
            title = html.escape(m.title)
            status = f'<span class="kit-status">{html.escape(t["map-in-preparation"])}</span>'
            attr = ""
        # The time and status again under the title, shown instead of their columns on a phone (kit.css).
        minutes = html.escape(t["map-minutes"].format(minutes=m.minutes))
        rows.append(
            f'<tr class="kit-map-row"{attr}><td>{m.number}</td>'
            f'<td>{title}<br><span class="kit-muted">{html.escape(m.summary)}</span>'
            f'<span class="kit-map-meta">{minutes} {status}</span>'
            f"<details><summary>{html.escape(t['map-objectives'])}</summary><ul>{objectives}</ul></details></td>"
            f"<td>{minutes}</td><td>{status}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{html.escape(t[k])}</th>'
        for k in ("map-col-number", "map-col-module", "map-col-time", "map-col-status")
    )
    hours = html.escape(t["map-total"].format(minutes=total))
    tools = ""
    if cmap.tools:
        items = "".join(
            f'<li class="kit-map-tool"><a href="{tool.id}.ipynb">{html.escape(tool.title)}</a> '
            f'<span class="kit-status">{html.escape(t["map-for-" + tool.audience])}</span><br>'
            f'<span class="kit-muted">{html.escape(tool.summary)}</span></li>'
            for tool in cmap.tools
        )
        tools = f'<h3>{html.escape(t["map-tools"])}</h3><ul class="kit-map-tools">{items}</ul>'
    return HTML(
        f'<section class="kit-card kit-course-map"><table class="kit-map-table"><caption class="kit-sr">'
        f"{html.escape(cmap.title)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="kit-muted">{hours}</p>{tools}</section>'
    )


@_safe
def timeline() -> HTML:
    """The interactive history timeline, with the same events as a list for screen readers."""
    t = _t()
    tl = content.timeline()
    bib = content.require_sources(tl.cited_keys(), "timeline.yaml")
    spec = figures.timeline_figure(tl, bib, disputed_label=t["timeline-disputed"])
    years = sorted(figures.event_date(e.date).year for e in tl.events)
    label = t["timeline-label"].format(count=len(tl.events), first=years[0], last=years[-1])
    chart = plot.figure_html(
        spec, label=label, fallback=t["chart-unavailable"], loading=t["chart-loading"], version=_asset_version()
    )
    lanes = {lane.id: lane.label for lane in tl.lanes}
    items = []
    for e in sorted(tl.events, key=lambda e: figures.event_date(e.date)):
        cites = bib.cite_html(e.sources, sep=", ")
        dispute = ""
        if e.disputed:
            alts = "; ".join(
                f"{figures.display_date(a.date)} ({', '.join(html.escape(bib.by_key[k].short) for k in a.sources)})"
                for a in e.disputed.alternatives
            )
            dispute = (
                f'<br><span class="kit-disputed">{html.escape(t["timeline-disputed"])}:</span> '
                f"{html.escape(e.disputed.note)} ({html.escape(t['timeline-also-dated'])} {alts})"
            )
        items.append(
            f"<dt>{figures.display_date(e.date)} · {html.escape(lanes[e.lane])}</dt>"
            f"<dd><b>{html.escape(e.title)}.</b> {html.escape(e.detail)} ({cites}){dispute}</dd>"
        )
    listing = (
        f'<details class="kit-events"><summary>{html.escape(t["timeline-as-list"])}</summary>'
        f"<dl>{''.join(items)}</dl></details>"
    )
    return HTML(f'<div class="kit-card kit-timeline">{chart.data}{listing}</div>')


@_safe
def knowledge_check(module_id: str):
    """The module's knowledge check (data/quizzes/<module_id>.yaml)."""
    from .quiz_view import KnowledgeCheck

    t = _t()
    q = content.quiz(module_id)
    content.require_sources(q.cited_keys(), f"quizzes/{module_id}.yaml")
    return KnowledgeCheck(q, get_store(_store_texts(t)), t)


class Reflection(BrowserSafe, anywidget.AnyWidget):
    """A reflection box whose text stays in the learner's browser (never sent to the kernel)."""

    browser_sets = ("prompt",)  # as tests/test_widgets.py pins: a prompt that is not short text is emptied

    _esm = bundle("dom.js", "reflection.js")
    prompt_id = traitlets.Unicode().tag(sync=True)
    prompt = traitlets.Unicode().tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)

    @traitlets.validate("prompt_id", "prompt", "hint")
    def _python_only(self, proposal):
        # These are set from the course data; the browser has no reason to change them.
        value = proposal["value"]
        return (
            value
            if isinstance(value, str) and len(value) <= 4000
            else proposal["owner"].trait_defaults(proposal["trait"].name)
        )

    @traitlets.validate("texts")
    def _valid_texts(self, proposal):
        return {k: v for k, v in proposal["value"].items() if isinstance(k, str) and isinstance(v, str)}


@_safe
def reflection(prompt_id: str) -> Reflection:
    """A reflection prompt from data/reflections.yaml."""
    t = _t()
    p = content.reflections().get(prompt_id)
    texts = {k: t[k] for k in ("reflection-privacy", "reflection-saved", "reflection-not-saved", "storage-failed")}
    return Reflection(prompt_id=p.id, prompt=p.prompt, hint=p.hint or "", texts=texts)


def attempted(answers: dict, item_ids: list[str]) -> list[str]:
    """The items of ``item_ids`` that have a stored answer (right or wrong) in ``answers``."""
    return [i for i in item_ids if isinstance(answers, dict) and i in answers]


@_safe
def complete_module(module_id: str):
    """'Mark this module complete' (once its knowledge check is tried in full), and the data panel.

    The rule: every item of ``data/quizzes/<module_id>.yaml`` has a stored answer in the
    learner's browser, right or wrong. Until then the button is off and the card says how many
    questions are not yet tried; a completed module can be unmarked. When the quiz file cannot
    be read, the rule cannot be checked and the module can be marked as before (the page shows
    the quiz's own error message).
    """
    t = _t()
    if not re.fullmatch(r"[0-9]{2}_[a-z_]+", module_id):
        raise content.ContentError("course_map.yaml", f"there is no module '{module_id}'")
    try:
        number = content.course_map().module(module_id).number
    except content.ContentError:
        number = int(module_id[:2])  # a broken course map must not stop a learner marking progress
    try:
        item_ids: list[str] | None = [i.id for i in content.quiz(module_id).items]
    except content.ContentError:
        item_ids = None  # no readable knowledge check: nothing to require
    store = get_store(_store_texts(t))
    button = Button(
        description=t["complete-button"].format(number=number),
        button_style="primary",
        layout=w.Layout(width="auto", align_self="flex-start"),
        _dom_classes=("kit-complete",),  # given when made: add_class afterwards is one more message each
    )
    state = HTMLWidget("", _dom_classes=("kit-complete-state",))

    def missing() -> int:
        if item_ids is None:
            return 0
        return len(item_ids) - len(attempted(store.quiz.get(module_id, {}), item_ids))

    def show(_=None):
        entry = store.progress.get(module_id)
        if entry:
            state.value = f'<p class="kit-feedback kit-right" role="status">{html.escape(t["complete-done"].format(date=entry["completed"]))}</p>'
            button.description = t["complete-undo"].format(number=number)
            button.button_style = ""
            button.disabled = False
            return
        button.description = t["complete-button"].format(number=number)
        button.button_style = "primary"
        if not store.loaded:
            # The browser has not yet said what is stored: say nothing rather than something wrong.
            state.value = f'<p class="kit-muted">{html.escape(t["complete-explain"])}</p>'
            button.disabled = True
            return
        if item_ids is None:
            state.value = f'<p class="kit-muted">{html.escape(t["complete-explain-no-check"])}</p>'
            button.disabled = False
            return
        left = missing()
        if left:
            todo = html.escape(t.plural("complete-missing", left).format(count=left, total=len(item_ids)))
            state.value = (
                f'<p class="kit-muted">{html.escape(t["complete-explain"])}</p>'
                f'<p class="kit-complete-missing" role="status" data-missing="{left}">{todo}</p>'
            )
        else:
            state.value = f'<p class="kit-complete-ready" role="status">{html.escape(t["complete-ready"])}</p>'
        button.disabled = bool(left)

    def clicked(_):
        if store.is_complete(module_id):
            store.unmark_complete(module_id)
        elif not store.loaded or missing():
            show()  # refused: the card already says what is missing
        else:
            store.mark_complete(module_id)

    button.on_click(clicked)
    store.observe(show, names=["progress", "quiz", "loaded"])
    show()
    head = HTMLWidget(f"<h3>{html.escape(t['complete-title'])}</h3>")
    card = VBox([head, state, button], _dom_classes=("kit-card", "kit-complete-card"))
    return VBox([card, store])


@_safe
def sources(module_id: str) -> HTML:
    """The publications the page cites, with the anchors its ``#ref-`` links point to."""
    t = _t()
    keys = cited_in_notebook(COURSE / f"{module_id}.ipynb")
    bib = content.require_sources(keys, f"../course/{module_id}.ipynb")
    refs = sorted((bib.by_key[k] for k in keys), key=lambda r: (r.authors[0].lower(), r.year or 0))
    items = "".join(f'<li id="ref-{r.key}">{format_reference(r)}</li>' for r in refs)
    return HTML(
        f'<section class="kit-card kit-sources" aria-label="{html.escape(t["sources-title"])}">'
        f"<ol>{items}</ol></section>"
    )


# --------------------------------------------------------------------------- module 2: ground rules
@_safe
def ground_rules() -> HTML:
    """Every ground rule from data/ground_rules.yaml, with why it protects the work and its sources."""
    from .rules_view import rule_cards

    return HTML(rule_cards(_t()))


@_safe
def frame_exercise():
    """'Is the frame holding?': the scenarios of data/ground_rules.yaml, graded like a quiz."""
    from .quiz_view import KnowledgeCheck
    from .rules_view import frame_quiz

    t = _t()
    return KnowledgeCheck(frame_quiz(t), get_store(_store_texts(t)), t)


# --------------------------------------------------------------------------- module 3: session structure
@_safe
def phases() -> HTML:
    """The phases of a session: what happens and what the leader does (data/session.yaml)."""
    from .session_view import phases_table

    return HTML(phases_table(_t()))


@_safe
def presets_chart() -> HTML:
    """The session formats compared, phases stacked; the kit's own suggestions are marked."""
    from .session_view import presets_chart as build

    return HTML(build(_t(), _asset_version()))


@_safe
def phase_planner():
    """Plan a session: a format, the time available, each phase's minutes; the kit checks them."""
    from .session_view import PhasePlanner

    return PhasePlanner(_t())


@_safe
def which_phase():
    """'Which phase is this?': things said in a session, to be placed in their phase."""
    from .quiz_view import KnowledgeCheck
    from .session_view import which_phase_quiz

    t = _t()
    return KnowledgeCheck(which_phase_quiz(t), get_store(_store_texts(t)), t)


@_safe
def phase_timer(preset_id: str = "online-consensus"):
    """The live phase timer, set to one of the presets of data/session.yaml."""
    from . import timer

    return timer.phase_timer(preset_id)


@_safe
def instructor_timer():
    """The phase timer with a choice of every preset, for running a session in class."""
    from . import timer

    return timer.instructor_timer()


# --------------------------------------------------------------------------- module 4: leadership
@_safe
def derailments() -> HTML:
    """The derailments of data/leadership.yaml: what each looks like and the leader's move."""
    t = _t()
    lead = content.leadership()
    bib = content.require_sources(lead.cited_keys(), "leadership.yaml")
    rows = "".join(
        f'<tr data-derailment="{d.id}"><td>{d.number}</td><th scope="row">{html.escape(d.name)}</th>'
        f"<td>{html.escape(d.sign)}</td><td>{html.escape(d.intervention)}</td>"
        f'<td class="kit-small">{bib.cite_html(d.sources)}</td></tr>'
        for d in sorted(lead.derailments, key=lambda d: d.number)
    )
    head = "".join(
        f'<th scope="col">{html.escape(t[k])}</th>'
        for k in ("derail-col-number", "derail-col-name", "derail-col-sign", "derail-col-move", "derail-col-sources")
    )
    skills = "".join(
        f'<li data-skill="{s.id}"><b>{html.escape(s.name)}.</b> {html.escape(s.description)} '
        f'<span class="kit-muted kit-small">({bib.cite_html(s.sources)})</span></li>'
        for s in lead.skills
    )
    return HTML(
        f'<section class="kit-card kit-derailments" aria-label="{html.escape(t["derail-title"])}">'
        f'<h3>{html.escape(t["derail-skills"])}</h3><ul class="kit-skills">{skills}</ul>'
        f"<h3>{html.escape(t['derail-title'])}</h3>"
        f'<div class="kit-table-wrap"><table class="kit-map-table kit-derail-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
        f'<p class="kit-muted kit-small">{html.escape(lead.synthesis_note)}</p></section>'
    )


@_safe
def leader_simulator():
    """The branching leader simulator over the scenarios of data/scenarios/."""
    from .simulator_view import build

    return build(_t(), _asset_version())


# --------------------------------------------------------------------------- module 5: role-play
@_safe
def case_library():
    """The case vignettes of data/cases/: filter by setting, theme and difficulty, draw one, print it."""
    from .roleplay_view import case_library as build

    return build(_t())


@_safe
def role_play(preset_id: str | None = None):
    """A guided role-play: case, role assignment, printed cards, the timer with prompts per role, debrief."""
    from .roleplay_view import ROLE_PLAY_PRESET
    from .roleplay_view import role_play as build

    return build(_t(), preset_id or ROLE_PLAY_PRESET)


@_safe
def solo_rehearsal():
    """For a self-learner: the presenter's or a member's seat with a case, kept in the browser."""
    from .roleplay_view import solo_rehearsal as build

    return build(_t())


# --------------------------------------------------------------------------- module 6: online groups
@_safe
def pledge_generator():
    """A printable confidentiality pledge for an online group, made in the browser only."""
    from .online_view import pledge_generator as build

    online = content.online()
    content.require_sources(online.cited_keys(), "online.yaml")
    return build(online, _t())


@_safe
def organiser_checklist():
    """The organiser's four steps before and during an online session, with what is still open."""
    from .online_view import OrganiserChecklist

    online = content.online()
    content.require_sources(online.cited_keys(), "online.yaml")
    return OrganiserChecklist(online, _t())


@_safe
def incident_exercise():
    """Situations from online sessions: choose the leader's or administrator's response."""
    return knowledge_check.__wrapped__("06_online_incidents")


# --------------------------------------------------------------------------- module 7: burnout
@_safe
def burnout_check(instrument_id: str = "cbi"):
    """The private self-check (data/instruments/<id>.yaml), with a history kept in the browser."""
    from .burnout_view import BurnoutCheck

    inst = content.instrument(instrument_id)
    bib = content.require_sources(inst.cited_keys(), f"instruments/{instrument_id}.yaml")
    cite = "; ".join(bib.by_key[k].short for k in inst.sources)
    return BurnoutCheck(inst, _t(), cite, _asset_version())


@_safe
def group_evaluation():
    """Stockman's six statements (0 to 9) after a session or course; optional anonymous class poll."""
    from .groupeval_view import build

    ge = content.group_evaluation()
    content.require_sources(ge.cited_keys(), "group_evaluation.yaml")
    return build(ge, _t(), "learner")


@_safe
def class_poll():
    """For instructors: open a class for Stockman's statements and see its answers from 5 responses."""
    from .groupeval_view import build

    ge = content.group_evaluation()
    content.require_sources(ge.cited_keys(), "group_evaluation.yaml")
    return build(ge, _t(), "instructor")


# --------------------------------------------------------------------------- module 8: evidence
@_safe
def evidence_explorer():
    """Every study of data/evidence.yaml with filters, and the effect sizes as a chart."""
    from .evidence_view import explorer

    return explorer(_t(), _asset_version())


@_safe
def evidence_summary() -> HTML:
    """The honest summary of the evidence, point by point (data/evidence.yaml)."""
    from .evidence_view import summary_html

    return HTML(summary_html(_t()))


# --------------------------------------------------------------------------- around the modules
@_safe
def reading_list() -> HTML:
    """Every publication the kit cites, grouped by topic (data/bibliography.yaml)."""
    from .resources_view import reading_list as build

    return HTML(build(_t(), format_reference))


@_safe
def sources_audit() -> HTML:
    """About the sources: how every bibliography entry was checked, and the entries not yet confirmed."""
    from .resources_view import sources_audit_html

    return HTML(sources_audit_html(_t(), format_reference))


@_safe
def glossary() -> HTML:
    """The glossary (data/glossary.yaml), alphabetical, with anchors the modules link to."""
    from .resources_view import glossary_html

    return HTML(glossary_html(_t()))


@_safe
def transcript() -> HTML:
    """The annotated fictional session (data/transcript.yaml); the notes open on demand."""
    from .resources_view import transcript_html

    return HTML(transcript_html(_t()))


@_safe
def course_plans() -> HTML:
    """The facilitator guide's course plans with their timings (data/guide.yaml)."""
    from .resources_view import course_plans_html

    return HTML(course_plans_html(_t()))


@_safe
def teaching_notes() -> HTML:
    """Teaching notes per module (data/guide.yaml)."""
    from .resources_view import teaching_notes_html

    return HTML(teaching_notes_html(_t()))


@_safe
def content_notes() -> HTML:
    """The facilitator guide's list of material with a content note (data/guide.yaml)."""
    from .resources_view import content_notes_html

    return HTML(content_notes_html(_t()))


@_safe
def completion_record():
    """A printable self-study record made from this browser's store, never sent to the server."""
    from .resources_view import page_widget

    return page_widget("record", _t())


@_safe
def my_data():
    """Everything the kit keeps in this browser, with export, import and delete-all."""
    from .resources_view import page_widget

    t = _t()
    return VBox([page_widget("mydata", t), get_store(_store_texts(t))])


# --------------------------------------------------------------------------- helpers
def format_reference(r: content.Reference) -> str:
    """One reference as HTML: authors, year, title, container, and a link."""
    authors = ", ".join(r.authors)
    bits = [f"{html.escape(authors)} ({r.year if r.year else 'n.d.'}).", f"<i>{html.escape(r.title)}</i>."]
    where = ", ".join(html.escape(x) for x in (r.container, r.publisher) if x)
    nums = ""
    if r.volume:
        nums += f" {html.escape(r.volume)}"
    if r.issue:
        nums += f"({html.escape(r.issue)})"
    if r.pages:
        nums += f":{html.escape(r.pages)}"
    if where or nums:
        bits.append(f"{where}{nums}.")
    if r.link:
        label = f"doi:{r.doi}" if r.doi else r.url
        bits.append(f'<a href="{html.escape(r.link)}" rel="noopener" target="_blank">{html.escape(label)}</a>')
    if r.note:
        bits.append(f'<span class="kit-muted">{html.escape(r.note)}</span>')
    if r.verified == "unverified":
        bits.append(
            f'<span class="kit-unverified"><b>{html.escape(_t()["ref-unverified"])}</b> {html.escape(r.why or "")}</span>'
        )
    return " ".join(bits)


_REF = re.compile(r"#ref-([a-z][a-z0-9-]*)")
_SESSION_WIDGETS = ("phases", "presets_chart", "phase_planner", "which_phase", "phase_timer", "instructor_timer")
_INSTRUMENT = re.compile(r"kit\.burnout_check\(\s*(?:[\"']([a-z][a-z0-9-]*)[\"'])?\s*\)")
_QUIZ = re.compile(r"kit\.knowledge_check\(\s*[\"']([0-9]{2}_[a-z_]+)[\"']\s*\)")


def cited_in_notebook(path: Path) -> set[str]:
    """Every bibliography key a notebook cites: its ``#ref-`` links and the data its widgets draw on."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise content.ContentError(f"../course/{path.name}", "the notebook could not be read") from None
    keys: set[str] = set()
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            keys.update(_REF.findall(source))
        elif cell.get("cell_type") == "code":
            if "kit.timeline()" in source:
                keys.update(content.timeline().cited_keys())
            if "kit.ground_rules()" in source or "kit.frame_exercise()" in source:
                keys.update(content.ground_rules().cited_keys())
            if any(f"kit.{name}(" in source for name in _SESSION_WIDGETS):
                keys.update(content.session().cited_keys())
            if "kit.derailments()" in source or "kit.leader_simulator()" in source:
                keys.update(content.leadership().cited_keys())
            if "kit.leader_simulator()" in source:
                for sid in content.scenario_ids():
                    try:
                        keys.update(content.scenario(sid).cited_keys())
                    except content.ContentError:
                        pass  # the simulator names the broken file; the page's other sources still list
            for name in _INSTRUMENT.findall(source):
                keys.update(content.instrument(name or "cbi").cited_keys())
            if "kit.glossary(" in source:
                keys.update(content.glossary().cited_keys())
            if "kit.transcript(" in source:
                keys.update(content.transcript().cited_keys())
            if "kit.course_plans(" in source:
                keys.update(content.guide().cited_keys())
            if "kit.role_play(" in source:
                keys.update(content.roles().cited_keys())
                keys.update(content.session().cited_keys())
            if "kit.pledge_generator(" in source or "kit.organiser_checklist(" in source:
                keys.update(content.online().cited_keys())
            if "kit.incident_exercise(" in source:
                keys.update(content.quiz("06_online_incidents").cited_keys())
            if "kit.group_evaluation(" in source or "kit.class_poll(" in source:
                keys.update(content.group_evaluation().cited_keys())
            if "kit.evidence_" in source:
                keys.update(content.evidence().cited_keys())
            for module in _QUIZ.findall(source):
                keys.update(content.quiz(module).cited_keys())
    return keys


def _store_texts(t: content.UIText) -> dict:
    return {
        k: v
        for k, v in t.strings.items()
        if k.startswith(("store-", "export", "import", "delete", "shared-", "storage-"))
    }


def _asset_version() -> str:
    try:
        import plotly

        return f"plotly-{plotly.__version__}"
    except ImportError:  # pragma: no cover - plotly is a dependency
        return "1"
