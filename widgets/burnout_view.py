"""The burnout self-check: the CBI in the learner's browser, scored in the kernel's memory.

The questionnaire is drawn by ``static/selfcheck.js``. Answers and the dated history of
attempts are kept in the learner's browser (localStorage) only; the browser sends them to
this kernel to be scored and charted, and nothing here writes them anywhere or logs them.
Messages from the browser: ``score`` (the current answers), ``history`` (the stored
attempts, after loading or changing them), ``export`` (asks for the history as CSV) and
``import`` (a CSV file's text). Every value is checked by :mod:`widgets.instrument`.
"""

from __future__ import annotations

import anywidget
import traitlets

from . import figures
from . import instrument as logic
from .content import Instrument, UIText
from .esm import bundle
from .guard import BrowserSafe

TEXT_KEYS = (
    "cbi-private",
    "cbi-score",
    "cbi-clear",
    "cbi-save",
    "cbi-saved",
    "cbi-results",
    "cbi-no-score",
    "cbi-answered",
    "cbi-threshold",
    "cbi-history",
    "cbi-history-empty",
    "cbi-trend-label",
    "cbi-export",
    "cbi-import",
    "cbi-delete",
    "cbi-delete-confirm",
    "cbi-deleted",
    "cbi-imported",
    "cbi-import-failed",
    "cbi-col-date",
    "cbi-draft-kept",
    "cbi-result-label",
    "cbi-help-title",
    "cbi-unanswered",
    "cbi-no-score-short",
    "chart-loading",
    "chart-unavailable",
    "storage-failed",
    "shared-computer",
)


class BurnoutCheck(BrowserSafe, anywidget.AnyWidget):
    """The Copenhagen Burnout Inventory as a private self-check with a history in the browser."""

    _esm = bundle("dom.js", "plotly_load.js", "selfcheck.js")
    texts = traitlets.Dict(help="Labels from data/ui/en.yaml.").tag(sync=True)
    meta = traitlets.Dict(help="{name, instructions, licence, not_diagnosis, help, scales: [...]}").tag(sync=True)
    items = traitlets.List(help="[{id, scale, text, options: [{label, value}]}] in the order asked.").tag(sync=True)
    result = traitlets.Dict(help="The scored answers: {scales: [...], figure, label} or {}.").tag(sync=True)
    trend = traitlets.Dict(help="The history: {rows: [...], figure, label} or {}.").tag(sync=True)
    asset_version = traitlets.Unicode("1").tag(sync=True)

    def __init__(self, inst: Instrument, texts: UIText, cite: str, asset_version: str = "1"):
        self.instrument = inst
        self._t = texts
        self._history: list[dict] = []
        names = {s.id: s.name for s in inst.scales}
        self._names = names
        super().__init__(
            texts={k: texts[k] for k in TEXT_KEYS},
            meta={
                "id": inst.id,
                "name": inst.name,
                "instructions": inst.instructions,
                "licence": inst.licence,
                "not_diagnosis": inst.not_diagnosis,
                "help": inst.help,
                "cite": cite,
                "threshold_note": inst.threshold.note if inst.threshold else "",
                "scales": [
                    {
                        "id": s.id,
                        "name": s.name,
                        "definition": s.definition,
                        "rule": s.rule_note,
                        "published": s.rule_published,
                    }
                    for s in inst.scales
                ],
            },
            items=[
                {
                    "id": i.id,
                    "scale": names[i.scale],
                    "text": i.text,
                    "options": [
                        {"label": o.label, "value": o.value} for o in inst.response_set(i.response_set).options
                    ],
                }
                for i in inst.items
            ],
            asset_version=asset_version,
        )
        self.on_msg(self._on_browser_message)

    # ------------------------------------------------------------------ messages
    def _on_browser_message(self, _widget, message, _buffers) -> None:
        if not isinstance(message, dict):
            return
        kind = message.get("kind")
        if kind == "score":
            self.score_answers(message.get("answers"))
        elif kind == "history":
            self.show_history(message.get("history"))
        elif kind == "export":
            self.send({"kind": "csv", "text": logic.to_csv(self.instrument, self._history)})
        elif kind == "import":
            try:
                imported = logic.from_csv(self.instrument, message.get("text"))
            except logic.ImportProblem as exc:
                self.send({"kind": "import-failed", "message": self._t["cbi-import-failed"].format(problem=str(exc))})
                return
            merged = logic.merge(self._history, imported)
            self.send({"kind": "imported", "history": merged, "count": len(merged) - len(self._history)})

    # ------------------------------------------------------------------ scoring and charts
    def score_answers(self, raw) -> dict:
        inst = self.instrument
        t = self._t
        answers = logic.clean_answers(inst, raw)
        results = logic.score(inst, answers)
        scales = []
        for r in results:
            if r.score is None:
                message = t["cbi-no-score"].format(answered=r.answered, items=r.items, needed=r.needed)
            else:
                message = t["cbi-answered"].format(answered=r.answered, items=r.items)
            scales.append({"id": r.scale, "name": self._names[r.scale], "score": r.score, "message": message})
        rows = [(s["name"], s["score"]) for s in scales]
        threshold = inst.threshold.value if inst.threshold else None
        label = "; ".join(f"{name}: {t['cbi-no-score-short'] if v is None else f'{v:.1f}'}" for name, v in rows)
        result = {
            "scales": scales,
            "answers": answers,
            "unanswered": len(inst.items) - len(answers),
            "figure": figures.scale_scores_figure(
                rows,
                threshold,
                t["cbi-threshold"].format(value=f"{threshold:g}") if threshold is not None else "",
                t["cbi-no-score-short"],
            ),
            "label": t["cbi-result-label"].format(scores=label),
        }
        self._set(result=result)
        return result

    def show_history(self, raw) -> dict:
        inst = self.instrument
        t = self._t
        self._history = logic.clean_history(inst, raw)
        if not self._history:
            self._set(trend={})
            return {}
        dates, table = [], []
        series: dict[str, list] = {s.id: [] for s in inst.scales}
        for n, entry in enumerate(self._history):
            results = logic.score(inst, entry["answers"])
            label = f"{entry['date']} ({n + 1})"
            dates.append(label)
            row = {"date": entry["date"], "scores": []}
            for r in results:
                series[r.scale].append(r.score)
                row["scores"].append(r.score)
            table.append(row)
        threshold = inst.threshold.value if inst.threshold else None
        trend = {
            "rows": table,
            "columns": [self._names[s.id] for s in inst.scales],
            "figure": figures.trend_figure(dates, [(self._names[k], v) for k, v in series.items()], threshold),
            "label": t["cbi-trend-label"].format(count=len(table), first=table[0]["date"], last=table[-1]["date"]),
        }
        self._set(trend=trend)
        return trend
