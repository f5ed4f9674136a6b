"""Module 3's widgets: the phases table, the presets chart, the planner and "which phase is this?"."""

from __future__ import annotations

import html

import ipywidgets as w

from . import content, figures, planner, plot
from .content import Quiz, UIText


def _cites(keys, bib) -> str:
    return "; ".join(f'<a href="#ref-{k}">{html.escape(bib.by_key[k].short)}</a>' for k in keys)


def phases_table(t: UIText) -> str:
    s = content.session()
    bib = content.require_sources(s.cited_keys(), "session.yaml")
    rows = []
    for n, p in enumerate(s.phases, 1):
        rows.append(
            f'<tr class="kit-phase-row"><td>{n}</td><td><b>{html.escape(p.name)}</b></td>'
            f"<td>{html.escape(p.what_happens)}</td><td>{html.escape(p.leader_does)} ({_cites(p.sources, bib)})</td></tr>"
        )
    head = "".join(f'<th scope="col">{html.escape(t[k])}</th>' for k in ("phases-col-number", "phases-col-phase", "phases-col-what", "phases-col-leader"))
    return (
        f'<section class="kit-card kit-phases"><table class="kit-map-table kit-phases-table">'
        f'<caption class="kit-sr">{html.escape(t["phases-caption"])}</caption>'
        f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def presets_chart(t: UIText, version: str) -> str:
    s = content.session()
    bib = content.require_sources(s.cited_keys(), "session.yaml")
    spec = figures.presets_figure(s, kit_label=t["presets-kit-suggestion"])
    label = t["presets-label"].format(count=len(s.presets))
    chart = plot.figure_html(spec, label=label, fallback=t["chart-unavailable"], version=version).data
    names = {p.id: p.name for p in s.phases}
    blocks = []
    for preset in s.presets:
        items = []
        for pp in preset.phases:
            mark = f' <span class="kit-suggestion">{html.escape(t["presets-kit-suggestion"])}</span>' if pp.kit_suggestion else ""
            rng = f"{planner.fmt(pp.min)}–{planner.fmt(pp.max)}" if pp.min != pp.max else planner.fmt(pp.min)
            note = f" — {html.escape(pp.note)}" if pp.note else ""
            items.append(f"<li>{html.escape(names[pp.phase])}: {rng} min{mark}{note}</li>")
        total = t["presets-total"].format(
            low=planner.fmt(preset.total_min), high=planner.fmt(preset.total_max), suggested=planner.fmt(preset.total_suggested)
        )
        blocks.append(
            f'<div class="kit-preset" data-preset="{preset.id}"><h4>{html.escape(preset.title)}</h4>'
            f"<p>{html.escape(preset.description)}</p>"
            f'<p class="kit-muted"><b>{html.escape(t["presets-source-says"])}</b> {html.escape(preset.source_says)} ({_cites(preset.sources, bib)})</p>'
            f"<ul>{''.join(items)}</ul><p class=\"kit-muted\">{html.escape(total)}</p></div>"
        )
    listing = f'<details class="kit-presets-list" open><summary>{html.escape(t["presets-as-list"])}</summary>{"".join(blocks)}</details>'
    return f'<div class="kit-card kit-presets">{chart}<p class="kit-muted">{html.escape(t["presets-legend"])}</p>{listing}</div>'


class PhasePlanner(w.VBox):
    """Choose a format and the time available, set each phase's minutes, and have the plan checked."""

    def __init__(self, t: UIText):
        self.t = t
        self.session = content.session()
        self.format = w.Dropdown(
            options=[(p.title, p.id) for p in self.session.presets],
            description=t["planner-format"],
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        self.available = w.FloatText(value=60, description=t["planner-available"], style={"description_width": "initial"})
        self.phase_box = w.VBox()
        self.suggest = w.Button(description=t["planner-use-suggested"], layout=w.Layout(width="auto"))
        self.check = w.Button(description=t["planner-check"], button_style="primary", layout=w.Layout(width="auto"))
        self.check.add_class("kit-planner-check")
        self.result = w.HTML("")
        self.result.add_class("kit-planner-result")
        self.inputs: dict[str, w.FloatText] = {}
        self.format.observe(lambda _: self._build(), names="value")
        self.suggest.on_click(lambda _: self._use_suggested())
        self.check.on_click(lambda _: self.run_check())
        head = w.HTML(f"<h3>{html.escape(t['planner-title'])}</h3><p class=\"kit-muted\">{html.escape(t['planner-explain'])}</p>")
        super().__init__([head, self.format, self.available, self.phase_box, w.HBox([self.suggest, self.check]), self.result])
        self.add_class("kit-card")
        self.add_class("kit-planner")
        self._build()

    @property
    def preset(self) -> content.Preset:
        return self.session.preset(self.format.value)

    def _build(self) -> None:
        names = {p.id: p.name for p in self.session.phases}
        self.inputs = {}
        rows = []
        for pp in self.preset.phases:
            rng = f"{planner.fmt(pp.min)}–{planner.fmt(pp.max)}" if pp.min != pp.max else planner.fmt(pp.min)
            mark = f" ({self.t['presets-kit-suggestion']})" if pp.kit_suggestion else ""
            box = w.FloatText(value=None, description=f"{names[pp.phase]} [{rng} min{mark}]", style={"description_width": "22rem"}, layout=w.Layout(width="32rem"))
            box.add_class("kit-planner-phase")
            self.inputs[pp.phase] = box
            rows.append(box)
        self.phase_box.children = rows
        self.result.value = ""

    def _use_suggested(self) -> None:
        for pp in self.preset.phases:
            self.inputs[pp.phase].value = pp.suggested
        self.available.value = max(self.available.value or 0, self.preset.total_suggested)

    def run_check(self) -> list[planner.Problem]:
        minutes = {pid: box.value for pid, box in self.inputs.items()}
        problems = planner.check_plan(self.preset, self.available.value, minutes)
        self.result.value = self._describe(problems, minutes)
        return problems

    def _describe(self, problems, minutes) -> str:
        t = self.t
        names = {p.id: p.name for p in self.session.phases}
        lines = []
        for pr in problems:
            v = {k: planner.fmt(x) if isinstance(x, float) else x for k, x in pr.values.items()}
            phase = names.get(pr.phase, "")
            lines.append(t[f"planner-{pr.kind}"].format(phase=phase, **v))
        if problems:
            body = "".join(f"<li>{html.escape(x)}</li>" for x in lines)
            head = f'<p class="kit-feedback kit-wrong" role="status">{html.escape(t["planner-problems"].format(count=len(problems)))}</p><ul>{body}</ul>'
        else:
            total = planner.plan_total(self.preset, minutes)
            spare = (self.available.value or 0) - total
            head = f'<p class="kit-feedback kit-right" role="status">{html.escape(t["planner-fits"].format(total=planner.fmt(total), spare=planner.fmt(spare)))}</p>'
        return head + self._bar(minutes)

    def _bar(self, minutes) -> str:
        """The plan as a horizontal bar, one segment per phase (a text list is its alternative)."""
        names = {p.id: p.name for p in self.session.phases}
        parts = [(names[pp.phase], planner.usable(minutes.get(pp.phase)) or 0.0, i) for i, pp in enumerate(self.preset.phases)]
        total = sum(m for _, m, _ in parts) or 1.0
        segs = "".join(
            f'<div class="kit-plan-seg" style="flex:{m / total:.4f};background:{figures.PHASE_COLOURS[i % len(figures.PHASE_COLOURS)]}" '
            f'title="{html.escape(n)}: {planner.fmt(m)} min"></div>'
            for n, m, i in parts
            if m > 0
        )
        listing = ", ".join(f"{html.escape(n)} {planner.fmt(m)}" for n, m, _ in parts)
        return f'<div class="kit-plan-bar" aria-hidden="true">{segs}</div><p class="kit-muted kit-small">{html.escape(self.t["planner-your-plan"])} {listing} min.</p>'


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
                        "feedback": t["which-phase-wrong"].format(phase=by_id[pid].name, what=by_id[pid].what_happens) + " " + e.feedback,
                    }
                )
        items.append({"id": e.id, "kind": "single", "prompt": e.text, "options": options, "sources": list(by_id[e.phase].sources)})
    return Quiz.model_validate({"module": "03_which_phase", "title": t["which-phase-title"], "items": items})
