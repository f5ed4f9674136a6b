"""The live phase timer: an anywidget whose clock is the browser's wall clock.

:class:`PhaseTimer` runs a preset from ``data/session.yaml`` or the learner's own plan:
start, pause, resume, next, back and "add a minute"; it shows the current phase, the
time left in it and in the session, what comes next and the leader's cue; it warns when
a phase nears its end or overruns (visibly, and audibly if the user switches sound on);
it has keyboard shortcuts and a projector view; at the end it charts actual against
planned minutes and offers them as a CSV file.

Everything that keeps time happens in the browser (``static/timer_core.js``, a pure state
machine that computes elapsed time from ``Date.now()``, and ``static/timer_view.js``, which
draws it and keeps the state in localStorage), so a slow kernel or a throttled tab cannot
make it drift. Python only supplies the plan and the texts; it never drives the clock.
"""

from __future__ import annotations

import hashlib
import json
import math

import anywidget
import ipywidgets as w
import traitlets

from . import content, guard
from .esm import bundle

MAX_PHASES = 20
MIN_MINUTES = 0.05
MAX_MINUTES = 240
MAX_TEXT = 300


class PlanError(ValueError):
    """A plan that the timer cannot run; ``str()`` says why in plain words."""


def clean_plan(value) -> list[dict]:
    """A timer plan in its canonical form, or :class:`PlanError`.

    A plan is a list of 1-20 phases ``{id, name, minutes, cue}``: ``name`` a non-empty
    string, ``cue`` a string (may be empty), both at most 300 characters; ``minutes`` a
    number from 0.05 to 240. ``id`` is optional (``p1``, ``p2``, ... when missing).
    """
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= MAX_PHASES:
        raise PlanError(f"a plan has 1 to {MAX_PHASES} phases")
    out = []
    for i, phase in enumerate(value):
        if not isinstance(phase, dict):
            raise PlanError(f"phase {i + 1} is not a record")
        name, cue, minutes = phase.get("name"), phase.get("cue", ""), phase.get("minutes")
        pid = phase.get("id", f"p{i + 1}")
        for label, text in (("name", name), ("cue", cue), ("id", pid)):
            if not isinstance(text, str) or len(text) > MAX_TEXT:
                raise PlanError(f"phase {i + 1}: the {label} must be text of at most {MAX_TEXT} characters")
        if not name.strip():
            raise PlanError(f"phase {i + 1} has no name")
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, (int, float))
            or (isinstance(minutes, float) and not math.isfinite(minutes))
        ):
            raise PlanError(f"phase {i + 1}: the minutes must be a number")
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise PlanError(f"phase {i + 1}: the minutes must be from {MIN_MINUTES} to {MAX_MINUTES}")
        out.append({"id": pid, "name": name.strip(), "minutes": float(minutes), "cue": cue.strip()})
    return out


def _shorten(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def preset_plan(preset_id: str) -> tuple[str, list[dict]]:
    """(title, plan) of a preset in data/session.yaml; ContentError if there is none or it cannot be timed."""
    session = content.session()
    preset = session.preset(preset_id)
    plan = []
    for i, pp in enumerate(preset.phases):
        phase = session.phase(pp.phase)
        plan.append(
            {
                "id": f"{pp.phase}-{i + 1}",
                "name": _shorten(phase.name),
                "minutes": pp.suggested,
                "cue": _shorten(pp.cue or phase.cue),
            }
        )
    try:
        return preset.title, clean_plan(plan)
    except PlanError as exc:
        raise content.ContentError("session.yaml", f"the preset '{preset_id}' cannot be timed: {exc}") from None


def _timer_texts() -> dict:
    return {k: v for k, v in content.ui().strings.items() if k.startswith("timer-")}


# The timer's look, built on the kit's CSS variables (static/kit.css) so that it follows the
# light and dark themes. Warnings change the text as well as the colour.
_CSS = """
.kit-timer { position: relative; font-size: calc(16px * var(--kit-scale, 1)); line-height: 1.45; }
.kit-timer:focus-visible { outline: 3px solid var(--kit-accent); outline-offset: -4px; }
.kit-timer h3.kit-timer-title { margin: 0 0 .2rem; font-size: 1.1rem; }
.kit-timer p { margin: 0; }
.kit-timer-top { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; flex-wrap: wrap; color: var(--kit-muted); font-size: .95rem; }
.kit-timer-status { font-weight: 600; padding: .05rem .6rem; border-radius: 999px; border: 1px solid var(--kit-line); color: var(--kit-ink); }
.kit-timer-is-running .kit-timer-status { border-color: var(--kit-good); color: var(--kit-good); }
.kit-timer-running { margin-top: .6rem; }
.kit-timer-phase { font-size: 1.5rem; font-weight: 700; color: var(--kit-ink); margin-top: .2rem !important; }
.kit-timer-digits { display: flex; flex-direction: column; margin: .2rem 0 .3rem !important; }
.kit-timer-digits-label { font-size: .9rem; color: var(--kit-muted); }
.kit-timer-clock { font-size: 4.2rem; font-weight: 700; line-height: 1.05; font-variant-numeric: tabular-nums; letter-spacing: .02em; color: var(--kit-ink); }
.kit-timer-progress { height: 8px; border-radius: 4px; background: var(--kit-line); overflow: hidden; margin: .2rem 0 .6rem; }
.kit-timer-progress-fill { height: 100%; width: 0; background: var(--kit-accent); }
.kit-timer-warning:empty { display: none; }
.kit-timer-warning { display: inline-block; font-weight: 700; padding: .35rem .8rem; border-radius: 6px; margin: 0 0 .6rem !important; }
.kit-timer-warning::before { content: "⚠ "; }
.kit-timer-soon { border-color: var(--kit-warn-ink); box-shadow: inset 6px 0 0 var(--kit-warn-ink); }
.kit-timer-soon .kit-timer-warning { background: var(--kit-warn-bg); color: var(--kit-warn-ink); border: 1px solid var(--kit-warn-ink); }
.kit-timer-soon .kit-timer-progress-fill { background: var(--kit-warn-ink); }
.kit-timer-over { border-color: var(--kit-bad); box-shadow: inset 6px 0 0 var(--kit-bad); }
.kit-timer-over .kit-timer-warning { background: var(--kit-bad-bg); color: var(--kit-bad); border: 1px solid var(--kit-bad); }
.kit-timer-over .kit-timer-clock { color: var(--kit-bad); }
.kit-timer-over .kit-timer-progress-fill { background: var(--kit-bad); }
.kit-timer-cue { background: var(--kit-note-bg); border-left: 4px solid var(--kit-accent); border-radius: 6px; padding: .5rem .8rem; margin: .2rem 0 .6rem; }
.kit-timer-cue[hidden] { display: none; }
.kit-timer-cue-label { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--kit-muted); font-weight: 700; }
.kit-timer-cue-text { font-size: 1.1rem; color: var(--kit-ink); }
.kit-timer-facts { display: flex; flex-wrap: wrap; gap: .3rem 2rem; color: var(--kit-ink); }
.kit-timer-session { font-variant-numeric: tabular-nums; }
.kit-timer-controls { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .9rem; }
.kit-timer-btn { font: inherit; font-size: calc(15px * var(--kit-scale, 1)); line-height: 1.2; min-height: 36px; padding: .4rem 1rem; border-radius: 6px; cursor: pointer; border: 1px solid var(--kit-line); background: var(--kit-bg); color: var(--kit-ink); }
.kit-timer-btn:hover:not(:disabled) { border-color: var(--kit-accent); }
.kit-timer-btn:disabled { opacity: .55; cursor: default; }
.kit-timer-btn:focus-visible { outline: 3px solid var(--kit-accent); outline-offset: 2px; }
.kit-timer-btn.kit-timer-primary { background: var(--kit-accent); color: var(--kit-accent-ink); border-color: var(--kit-accent); font-weight: 700; min-width: 7rem; }
.kit-timer-btn[aria-pressed="true"] { border-color: var(--kit-accent); box-shadow: inset 0 0 0 1px var(--kit-accent); }
.kit-timer-shortcuts { margin-top: .6rem !important; font-size: .85rem; color: var(--kit-muted); }
.kit-timer-is-finished .kit-timer-running { display: none; }
.kit-timer-end:empty { display: none; }
.kit-timer-end { margin-top: .6rem; }
.kit-timer-finished { font-size: 1.2rem; font-weight: 700; }
.kit-timer-chart { margin: .6rem 0; }
.kit-timer-chart-title { font-weight: 700; margin-bottom: .3rem; }
.kit-timer-svg { display: block; max-width: 640px; height: auto; }
.kit-timer-svg-text, .kit-timer-svg-name { fill: var(--kit-ink); font-size: calc(13px * var(--kit-scale, 1)); font-family: inherit; }
.kit-timer-svg-name { font-weight: 700; }
.kit-timer-bar-planned { fill: var(--kit-muted); }
.kit-timer-bar-actual { fill: var(--kit-accent); }
.kit-timer-bar-long { fill: var(--kit-bad); }
.kit-timer-table { border-collapse: collapse; margin-top: .6rem; font-size: .95rem; }
.kit-timer-table th, .kit-timer-table td { border-bottom: 1px solid var(--kit-line); padding: .3rem .7rem; text-align: left; }
.kit-timer-table td { text-align: right; font-variant-numeric: tabular-nums; }
.kit-timer-csv { margin-top: .6rem; }
/* The projector view: the timer fills the window (or the screen, through the Fullscreen API). */
.kit-timer.kit-timer-projector { position: fixed; inset: 0; z-index: 10000; margin: 0; border-radius: 0; overflow: auto; box-sizing: border-box;
  display: flex; flex-direction: column; padding: 2.5vh 4vw; background: var(--kit-surface); }
.kit-timer.kit-timer-projector:fullscreen { width: 100vw; height: 100vh; }
.kit-timer-projector .kit-timer-title { font-size: 2.2vw; }
.kit-timer-projector .kit-timer-top { font-size: 2vw; }
.kit-timer-projector .kit-timer-running { flex: 1; display: flex; flex-direction: column; justify-content: center; align-items: center; text-align: center; }
.kit-timer-projector.kit-timer-is-finished .kit-timer-running { display: none; }
.kit-timer-projector .kit-timer-phase { font-size: 5vw; line-height: 1.15; }
.kit-timer-projector .kit-timer-digits { align-items: center; }
.kit-timer-projector .kit-timer-digits-label { font-size: 2vw; }
.kit-timer-projector .kit-timer-clock { font-size: min(24vw, 42vh); line-height: 1; }
.kit-timer-projector .kit-timer-progress { width: 80%; height: 1.2vh; }
.kit-timer-projector .kit-timer-warning { font-size: 2.6vw; }
.kit-timer-projector .kit-timer-cue { font-size: 2.4vw; max-width: 80%; text-align: left; }
.kit-timer-projector .kit-timer-cue-text { font-size: 2.6vw; }
.kit-timer-projector .kit-timer-cue-label { font-size: 1.3vw; }
.kit-timer-projector .kit-timer-facts { font-size: 2.2vw; justify-content: center; }
.kit-timer-projector .kit-timer-controls { justify-content: center; }
.kit-timer-projector .kit-timer-shortcuts { text-align: center; }
.kit-timer-choose { margin: 1rem 0 0; }
body.kit-page .kit-timer-choose .widget-label, body.kit-page .kit-timer-choose label { font-size: calc(15px * var(--kit-scale, 1)); color: var(--kit-ink); }
body.kit-page .kit-timer-choose select { font-size: calc(15px * var(--kit-scale, 1)); height: auto; min-height: 34px; padding: .2rem .5rem; border-radius: 6px; }
@media (max-width: 640px) { .kit-timer-clock { font-size: 3rem; } }
"""


class PhaseTimer(guard.BrowserSafe, anywidget.AnyWidget):
    """A phase timer for one plan. Build it with :meth:`from_preset` or :meth:`from_plan`."""

    browser_sets = ("plan", "plan_id", "title", "texts")  # each checked below; the rest is the kernel's

    _esm = bundle("dom.js", "timer_core.js", "timer_view.js")  # the pure core first, then the view that uses it
    _css = _CSS
    plan = traitlets.List(help="[{id, name, minutes, cue}]: the phases in order.").tag(sync=True)
    plan_id = traitlets.Unicode("plan", help="Names the plan; the browser keeps the timer's state under it.").tag(
        sync=True
    )
    title = traitlets.Unicode("", help="The timer's heading.").tag(sync=True)
    texts = traitlets.Dict(help="Labels and messages (the timer-* keys of data/ui/en.yaml).").tag(sync=True)

    def __init__(self, plan, plan_id: str = "plan", title: str = "", texts: dict | None = None, **kwargs):
        plan = clean_plan(plan)  # a bad plan from Python is an error, not a silent no-op
        if texts is None:
            texts = _timer_texts()
        super().__init__(plan=plan, plan_id=plan_id, title=title or texts.get("timer-title", ""), texts=texts, **kwargs)

    # -- validation: the browser can set any synced trait; keep the previous value if it is bad.
    # (ipywidgets validates a browser's values inside hold_trait_notifications, where the
    # trait already reads the new value; so the last good value is kept here.)
    def _keep(self, name: str, value):
        self.__dict__.setdefault("_kept", {})[name] = value
        return value

    def _previous(self, name: str):
        return self.__dict__.get("_kept", {}).get(name, self.trait_defaults(name))

    @traitlets.validate("plan")
    def _valid_plan(self, proposal):
        try:
            return self._keep("plan", clean_plan(proposal["value"]))
        except PlanError:
            return self._previous("plan")

    @traitlets.validate("plan_id")
    def _valid_plan_id(self, proposal):
        value = proposal["value"]
        ok = (
            isinstance(value, str)
            and 0 < len(value) <= 80
            and all((c.isascii() and c.isalnum()) or c in "-_" for c in value)
        )
        return self._keep("plan_id", value) if ok else self._previous("plan_id")

    @traitlets.validate("title")
    def _valid_title(self, proposal):
        value = proposal["value"]
        ok = isinstance(value, str) and len(value) <= MAX_TEXT
        return self._keep("title", value) if ok else self._previous("title")

    @traitlets.validate("texts")
    def _valid_texts(self, proposal):
        value = proposal["value"]
        if not isinstance(value, dict):
            return self._previous("texts")
        return self._keep(
            "texts", {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str) and len(v) <= 4000}
        )

    # -- building
    @classmethod
    def from_preset(cls, preset_id: str, **kwargs) -> PhaseTimer:
        """The timer for a preset of data/session.yaml: each phase's name and cue, its suggested minutes."""
        title, plan = preset_plan(preset_id)
        return cls(plan, plan_id=preset_id, title=title, **kwargs)

    @classmethod
    def from_plan(cls, phases, title: str = "", **kwargs) -> PhaseTimer:
        """The timer for the learner's own plan: a list of ``(name, minutes, cue)``."""
        plan = []
        for i, phase in enumerate(phases):
            if not isinstance(phase, (list, tuple)) or len(phase) not in (2, 3):
                raise PlanError(f"phase {i + 1} should be (name, minutes, cue)")
            name, minutes, *rest = phase
            plan.append({"id": f"p{i + 1}", "name": name, "minutes": minutes, "cue": rest[0] if rest else ""})
        plan = clean_plan(plan)
        # The same plan gets the same id, so a reload finds its running session again.
        digest = hashlib.sha1(json.dumps(plan, sort_keys=True).encode()).hexdigest()[:12]
        return cls(plan, plan_id=f"own-{digest}", title=title, **kwargs)

    def set_preset(self, preset_id: str) -> None:
        """Switch to another preset (the browser keeps each preset's session apart)."""
        title, plan = preset_plan(preset_id)
        with self.hold_sync():
            self.plan = plan
            self.plan_id = preset_id
            self.title = title


DEFAULT_PRESET = "online-consensus"


def phase_timer(preset_id: str = DEFAULT_PRESET) -> PhaseTimer:
    """The timer for one preset (what ``kit.phase_timer`` shows). ContentError if the preset is missing."""
    return PhaseTimer.from_preset(preset_id)


def instructor_timer(preset_id: str | None = None) -> w.VBox:
    """A dropdown of every preset above the timer, for the instructor page.

    Starts on ``preset_id`` (default: ``online-consensus`` if there is one, else the first
    preset). ContentError if data/session.yaml is missing or broken, or the preset is missing.
    """
    session = content.session()
    ids = [p.id for p in session.presets]
    if preset_id is None:
        preset_id = DEFAULT_PRESET if DEFAULT_PRESET in ids else ids[0]
    timer = PhaseTimer.from_preset(preset_id)
    texts = timer.texts
    choose = guard.Dropdown(
        options=[(p.title, p.id) for p in session.presets],
        value=preset_id,
        description=texts.get("timer-choose-preset", "Session format"),
        style={"description_width": "initial"},
        layout=w.Layout(width="auto", max_width="100%"),
        _dom_classes=("kit-timer-choose",),
    )

    def switch(change):
        if change["new"] in ids:
            timer.set_preset(change["new"])

    choose.observe(switch, names="value")
    box = guard.VBox([choose, timer], _dom_classes=("kit-timer-instructor",))
    box.dropdown = choose  # for tests and for callers that want to preset it
    box.timer = timer
    return box
