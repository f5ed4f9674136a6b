"""Module 3's widgets: the phases table, the presets chart, the planner and "which phase is this?"."""

from __future__ import annotations

import html

import anywidget
import traitlets

from . import content, figures, planner, plot
from .content import Quiz, UIText
from .esm import bundle
from .guard import BrowserSafe


def phases_table(t: UIText) -> str:
    s = content.session()
    bib = content.require_sources(s.cited_keys(), "session.yaml")
    what, leader = html.escape(t["phases-col-what"]), html.escape(t["phases-col-leader"])
    rows = []
    # On a phone kit.css lays each row out as a block (phase, then its two texts under their
    # column names, from data-label); the ARIA roles keep it a table for screen readers, which
    # drop a table's meaning once its CSS display changes.
    for n, p in enumerate(s.phases, 1):
        rows.append(
            f'<tr class="kit-phase-row" role="row"><td role="cell">{n}</td><td role="cell"><b>{html.escape(p.name)}</b></td>'
            f'<td role="cell" data-label="{what}">{html.escape(p.what_happens)}</td>'
            f'<td role="cell" data-label="{leader}">{html.escape(p.leader_does)} ({bib.cite_html(p.sources)})</td></tr>'
        )
    head = "".join(
        f'<th scope="col" role="columnheader">{html.escape(t[k])}</th>'
        for k in ("phases-col-number", "phases-col-phase", "phases-col-what", "phases-col-leader")
    )
    return (
        f'<section class="kit-card kit-phases"><table class="kit-map-table kit-phases-table" role="table">'
        f'<caption class="kit-sr">{html.escape(t["phases-caption"])}</caption>'
        f'<thead role="rowgroup"><tr role="row">{head}</tr></thead><tbody role="rowgroup">{"".join(rows)}</tbody></table></section>'
    )


def presets_chart(t: UIText, version: str) -> str:
    s = content.session()
    bib = content.require_sources(s.cited_keys(), "session.yaml")
    spec = figures.presets_figure(
        s,
        kit_label=t["presets-kit-suggestion"],
        rounded_label=t["presets-rounded"],
        mark=t["presets-rounded-mark"],
        axis_title=t["presets-axis"],
        hover=t["presets-hover"],
    )
    label = t["presets-label"].format(count=len(s.presets))
    chart = plot.figure_html(
        spec, label=label, fallback=t["chart-unavailable"], loading=t["chart-loading"], version=version
    ).data
    names = {p.id: p.name for p in s.phases}
    blocks = []
    for preset in s.presets:
        items = []
        for pp in preset.phases:
            mark = (
                f' <span class="kit-suggestion">{html.escape(t["presets-kit-suggestion"])}</span>'
                if pp.kit_suggestion
                else ""
            )
            rng = f"{planner.fmt(pp.min)}–{planner.fmt(pp.max)}" if pp.min != pp.max else planner.fmt(pp.min)
            hint = html.escape(t["planner-phase-hint"].format(range=rng, suggested=planner.fmt(pp.suggested)))
            if pp.rounded:
                hint += f'{html.escape(t["presets-rounded-mark"])} <span class="kit-suggestion kit-rounded">{html.escape(t["presets-rounded"])}</span>'
            note = f" — {html.escape(pp.note)}" if pp.note else ""
            items.append(f"<li>{html.escape(names[pp.phase])}: {hint}{mark}{note}</li>")
        total = t["presets-total"].format(
            low=planner.fmt(preset.total_min),
            high=planner.fmt(preset.total_max),
            suggested=planner.fmt(preset.total_suggested),
        )
        blocks.append(
            f'<div class="kit-preset" data-preset="{preset.id}"><h3>{html.escape(preset.title)}</h3>'
            f"<p>{html.escape(preset.description)}</p>"
            f'<p class="kit-muted"><b>{html.escape(t["presets-source-says"])}</b> {html.escape(preset.source_says)} ({bib.cite_html(preset.sources)})</p>'
            f'<ul>{"".join(items)}</ul><p class="kit-muted">{html.escape(total)}</p></div>'
        )
    listing = f'<details class="kit-presets-list" open><summary>{html.escape(t["presets-as-list"])}</summary>{"".join(blocks)}</details>'
    return f'<div class="kit-card kit-presets">{chart}<p class="kit-muted">{html.escape(t["presets-legend"])}</p>{listing}</div>'


class PhasePlanner(BrowserSafe, anywidget.AnyWidget):
    """Choose a format and the time available, set each phase's minutes, and have the plan checked.

    One widget model (``static/planner.js``): the numbers stay in the browser until the
    learner presses *Check my plan*, then arrive in one message; :mod:`widgets.planner`
    checks them and the verdict comes back as plain sentences.
    """

    _esm = bundle("dom.js", "planner_core.js", "planner.js")
    presets = traitlets.List(
        help="[{id, title, phases: [{phase, name, min, max, suggested, kit, rounded, colour, ink}]}]"
    ).tag(sync=True)
    texts = traitlets.Dict(help="Labels from data/ui/en.yaml (a plural text as {one, other, ...}).").tag(sync=True)
    locale = traitlets.Unicode("en", help="The language of the texts, for Intl.PluralRules.").tag(sync=True)
    result = traitlets.Dict(help="{head, fits, problems: [str], segments: [{name, minutes, colour}], listing}").tag(
        sync=True
    )

    def __init__(self, t: UIText):
        self.t = t
        self.session = content.session()
        self._names = {p.id: p.name for p in self.session.phases}
        keys = (
            "planner-title",
            "planner-explain",
            "planner-format",
            "planner-available",
            "planner-use-suggested",
            "planner-check",
            "presets-kit-suggestion",
            "presets-rounded",
            "presets-rounded-mark",
            "planner-phase-hint",
            "planner-legend-item",
            "planner-switch-kept",
            "planner-switch-ask",
            "planner-switch-phase",
            "planner-switch-yes",
            "planner-switch-no",
        )
        super().__init__(
            presets=[
                {
                    "id": p.id,
                    "title": p.title,
                    "phases": [
                        {
                            "phase": pp.phase,
                            "name": self._names[pp.phase],
                            "min": pp.min,
                            "max": pp.max,
                            "suggested": pp.suggested,
                            "kit": pp.kit_suggestion,
                            "rounded": pp.rounded,
                            "colour": figures.phase_colour(self.session, pp.phase),
                            "ink": figures.ink(figures.phase_colour(self.session, pp.phase)),
                        }
                        for pp in p.phases
                    ],
                }
                for p in self.session.presets
            ],
            texts=t.browser(keys),
            locale=t.locale,
        )
        self.on_msg(self._on_browser_message)

    @traitlets.validate("locale")
    def _language_tag(self, proposal):
        value = proposal["value"]
        return value if isinstance(value, str) and len(value) <= 20 else "en"

    @traitlets.validate("presets", "texts", "result")
    def _python_only(self, proposal):
        # Set from the course data; a value of the wrong kind from the browser is replaced.
        value = proposal["value"]
        kind = list if proposal["trait"].name == "presets" else dict
        return value if isinstance(value, kind) else kind()

    def _on_browser_message(self, widget, msg, buffers):
        if not (isinstance(msg, dict) and msg.get("kind") == "check"):
            return
        preset_id, minutes = msg.get("preset"), msg.get("minutes")
        if not isinstance(preset_id, str) or preset_id not in {p.id for p in self.session.presets}:
            return
        if not isinstance(minutes, dict) or len(minutes) > 30:
            return
        self.check(preset_id, msg.get("available"), minutes)

    def check(self, preset_id: str, available, minutes: dict) -> list[planner.Problem]:
        """Check a plan and show the verdict (what the Check button does)."""
        preset = self.session.preset(preset_id)
        problems = planner.check_plan(preset, available, minutes)
        t = self.t
        lines = []
        for pr in problems:
            v = {k: planner.fmt(x) if isinstance(x, float) else x for k, x in pr.values.items()}
            lines.append(t[f"planner-{pr.kind}"].format(phase=self._names.get(pr.phase, ""), **v))
        segments = []
        for pp in preset.phases:
            value = planner.usable(minutes.get(pp.phase))
            colour = figures.phase_colour(self.session, pp.phase)
            segments.append(
                {
                    "name": self._names[pp.phase],
                    "minutes": value or 0.0,
                    "counted": value is not None,
                    "colour": colour,
                    "ink": figures.ink(colour),
                }
            )
        # A phase whose entry is not a usable number says so, rather than showing a 0 nobody typed.
        listing = (
            f"{t['planner-your-plan']} "
            + ", ".join(
                f"{s['name']} {planner.fmt(s['minutes']) if s['counted'] else '(' + t['planner-not-counted'] + ')'}"
                for s in segments
            )
            + " min."
        )
        if problems:
            head = t.plural("planner-problems", len(problems)).format(count=len(problems))
        else:
            total = planner.plan_total(preset, minutes)
            head = t["planner-fits"].format(
                total=planner.fmt(total), spare=planner.fmt(planner.usable(available) - total)
            )
        self.result = {"head": head, "fits": not problems, "problems": lines, "segments": segments, "listing": listing}
        return problems


def which_phase_quiz(t: UIText) -> Quiz:
    """'Which phase is this?' as a quiz: each excerpt with its phase and the two phases beside it."""
    s = content.session()
    order = [p.id for p in s.phases]
    by_id = {p.id: p for p in s.phases}
    items = []
    for e in s.excerpts:
        i = order.index(e.phase)
        near = [order[j] for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(order)]
        candidates = sorted({e.phase, *near[:3]}, key=order.index)
        options = []
        for pid in candidates:
            if pid == e.phase:
                options.append({"text": by_id[pid].name, "correct": True, "feedback": e.feedback})
            else:
                options.append(
                    {
                        "text": by_id[pid].name,
                        "correct": False,
                        # What the chosen phase is, not which one is right (that comes with the answer).
                        "feedback": t["which-phase-wrong"].format(phase=by_id[pid].name, what=by_id[pid].what_happens),
                    }
                )
        items.append(
            {
                "id": e.id,
                "kind": "single",
                "prompt": e.text,
                "options": options,
                "sources": list(by_id[e.phase].sources),
            }
        )
    return Quiz.model_validate({"module": "03_which_phase", "title": t["which-phase-title"], "items": items})
