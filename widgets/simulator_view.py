"""The leader simulator's view: one anywidget (``static/simulator.js``) over :mod:`widgets.simulator`.

Python keeps the engine and the scenario graphs; the browser gets only what the learner
should see now (the current moment, its choices without their scores, in the data's order:
the browser shows them in the learner's own order, see ``static/shuffle_core.js``; the
feedback on the last choice) as the ``view`` trait, and sends back three kinds of message: start a
scenario, choose an option, replay or go back to the list. Anything else, or a choice that
is not offered at the current moment, is ignored. At the end the view carries the skill
profile and the map of the path as plotly specs, with the same facts as text.
"""

from __future__ import annotations

import logging

import anywidget
import traitlets

from . import content, figures, simulator
from .content import Bibliography, Leadership, Scenario, UIText
from .esm import bundle
from .guard import BrowserSafe

log = logging.getLogger("balint_kit")

TEXT_KEYS = (
    "sim-title",
    "sim-intro",
    "sim-setting-in-person",
    "sim-setting-online",
    "sim-setting-student-group",
    "sim-start",
    "sim-covers",
    "sim-you-chose",
    "sim-group-responds",
    "sim-why",
    "sim-ending",
    "sim-profile",
    "sim-profile-note",
    "sim-not-at-stake",
    "sim-map",
    "sim-map-label",
    "sim-path",
    "sim-replay",
    "sim-other",
    "sim-back",
    "sim-sources",
    "sim-content-note",
    "sim-broken",
    "sim-phase",
    "chart-loading",
    "chart-unavailable",
    "sim-map-other",
    "sim-map-ending",
    "sim-skill",
    "sim-score",
    "sim-step-of",
    "sim-choose-label",
)


class LeaderSimulator(BrowserSafe, anywidget.AnyWidget):
    """Lead a simulated group through one of the scenarios of ``data/scenarios/``."""

    _esm = bundle("dom.js", "plotly_load.js", "shuffle_core.js", "simulator.js")
    texts = traitlets.Dict(help="Labels from data/ui/en.yaml.").tag(sync=True)
    scenarios = traitlets.List(help="[{id, title, setting, summary, covers, content_note}] for the list.").tag(
        sync=True
    )
    broken = traitlets.List(help="Plain messages for scenario files that could not be read.").tag(sync=True)
    view = traitlets.Dict(help="What the learner sees now; see :meth:`_show`.").tag(sync=True)
    asset_version = traitlets.Unicode("1", help="Cache key for plotly.js.").tag(sync=True)

    def __init__(
        self,
        leadership: Leadership,
        scenarios: list[Scenario],
        broken: list[str],
        bib: Bibliography,
        texts: UIText,
        phase_names: dict[str, str],
        asset_version: str = "1",
    ):
        self._leadership = leadership
        self._by_id = {s.id: s for s in scenarios}
        self._bib = bib
        self._t = texts
        self._phase_names = phase_names
        self._feedback: dict | None = None
        self.run: simulator.Run | None = None
        names = {d.id: d.name for d in leadership.derailments}
        super().__init__(
            texts={k: texts[k] for k in TEXT_KEYS},
            scenarios=[
                {
                    "id": s.id,
                    "title": s.title,
                    "setting": s.setting,
                    "summary": s.summary,
                    "covers": [names[d] for d in sorted(s.derailments, key=lambda d: leadership.derailment(d).number)],
                    "content_note": s.content_note or "",
                }
                for s in scenarios
            ],
            broken=broken,
            asset_version=asset_version,
        )
        self._show()
        self.on_msg(self._on_browser_message)

    # ------------------------------------------------------------------ messages
    def _on_browser_message(self, _widget, message, _buffers) -> None:
        if not isinstance(message, dict):
            return
        kind = message.get("kind")
        if kind == "start" and isinstance(message.get("scenario"), str) and message["scenario"] in self._by_id:
            self.start(message["scenario"])
        elif kind == "choose" and isinstance(message.get("choice"), str):
            self.choose(message["choice"])
        elif kind == "replay" and self.run is not None:
            self.start(self.run.scenario.id)
        elif kind == "back":
            self.run = None
            self._feedback = None
            self._show()

    # ------------------------------------------------------------------ actions (also used by tests)
    def start(self, scenario_id: str) -> None:
        self.run = simulator.Run(self._by_id[scenario_id], [s.id for s in self._leadership.skills])
        self._feedback = None
        self._show()

    def choose(self, choice_id: str) -> None:
        if self.run is None or self.run.finished:
            return
        moment = self.run.current
        try:
            choice = self.run.choose(choice_id)
        except ValueError:
            return  # not offered here (a stale or forged message): nothing changes
        keys = list(dict.fromkeys(choice.sources or moment.sources))
        self._feedback = {
            "choice": choice.text,
            "response": choice.response,
            "feedback": choice.feedback,
            "sources": [{"key": k, "short": self._bib.by_key[k].short} for k in keys],
        }
        self._show()

    # ------------------------------------------------------------------ what the browser shows
    def _show(self) -> None:
        run = self.run
        if run is None:
            view = {"screen": "list"}
        else:
            sc = run.scenario
            view = {
                "screen": "end" if run.finished else "play",
                "scenario": {
                    "id": sc.id,
                    "title": sc.title,
                    "setting": sc.setting,
                    "summary": sc.summary,
                    "fictional": sc.fictional,
                    "content_note": sc.content_note or "",
                },
                "step": len(run.path) + (0 if run.finished else 1),
                "last": self._feedback,
                "moment": {
                    "id": run.current.id,
                    "phase": self._phase_names.get(run.current.phase or "", ""),
                    "situation": run.current.situation,
                    "choices": [{"id": c.id, "text": c.text} for c in run.current.choices],
                },
            }
            if run.finished:
                view["result"] = self._result(run)
        self.view = view

    def _result(self, run: simulator.Run) -> dict:
        t = self._t
        skills = {s.id: s.name for s in self._leadership.skills}
        profile = run.profile()
        rows = [(skills[k], v) for k, v in profile.items()]
        sc = run.scenario
        depth = simulator.layers(sc)
        met = [step.moment for step in run.path] + [run.current_id]
        moments = [
            {"id": m.id, "hover": m.situation, "ending": m.ending, "next": [c.next for c in m.choices]}
            for m in sc.moments
        ]
        labels = {"path": t["sim-path"], "other": t["sim-map-other"], "ending": t["sim-map-ending"]}
        return {
            "profile": [{"skill": name, "value": value} for name, value in rows],
            "profile_figure": figures.skill_profile_figure(rows, not_at_stake=t["sim-not-at-stake"]),
            "map_figure": figures.scenario_map_figure(moments, depth, met, labels),
            "map_label": t["sim-map-label"].format(
                total=len(sc.moments), met=len(met), endings=sum(1 for m in sc.moments if m.ending)
            ),
            "path": [{"situation": m.situation, "choice": c.text} for m, c in run.chosen()],
        }


def build(texts: UIText, asset_version: str) -> LeaderSimulator:
    """The simulator over every readable scenario; a broken scenario file is named, not fatal."""
    leadership = content.leadership()
    bib = content.require_sources(leadership.cited_keys(), "leadership.yaml")
    phases = {p.id: p.name for p in content.session().phases}
    scenarios, broken = [], []
    for sid in content.scenario_ids():
        try:
            sc = content.scenario(sid)
            content.require_sources(sc.cited_keys(), f"scenarios/{sid}.yaml")
            problems = simulator.check_scenario(sc, leadership, phases)
            if problems:
                raise content.ContentError(f"scenarios/{sid}.yaml", problems[0])
        except content.ContentError as exc:
            broken.append(str(exc))
            continue
        scenarios.append(sc)
    if not scenarios and not broken:
        raise content.ContentError("scenarios/", "there are no scenarios in this folder")
    return LeaderSimulator(leadership, scenarios, broken, bib, texts, phases, asset_version)
