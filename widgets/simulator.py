"""The leader simulator's engine: play a scenario, score the choices, check the graphs.

A scenario (``data/scenarios/<id>.yaml``, schema :class:`widgets.content.Scenario`) is a
directed graph of *moments*. At each moment the learner, as leader, picks one of three or
four choices; the choice carries the group's response, feedback and the next moment.
Moments without choices are endings. The checks here make sure every scenario can be
played from its start to an ending whatever the learner picks.

The skill profile scores each named leader skill from 0 to 100 *relative to the moments
the learner actually met*: 100 means the best choice for that skill every time, 0 the
worst. A skill that no choice on the path touched is reported as ``None`` (not at stake),
not as a number.

This module imports no widget library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .content import Choice, Leadership, Moment, Scenario

SETTINGS = ("in-person", "online", "student-group")
"""The settings the scenario library must cover."""

MIN_SCENARIOS = 10


@dataclass(frozen=True)
class Step:
    """One decision taken: at ``moment``, the learner chose ``choice``."""

    moment: str
    choice: str


class Run:
    """One play-through of a scenario."""

    def __init__(self, scenario: Scenario, skills: Iterable[str]):
        self.scenario = scenario
        self.skills = list(skills)
        self._moments = {m.id: m for m in scenario.moments}
        self.restart()

    def restart(self) -> None:
        """Back to the start, forgetting the path (a replay)."""
        self.current_id = self.scenario.start
        self.path: list[Step] = []

    @property
    def current(self) -> Moment:
        return self._moments[self.current_id]

    @property
    def finished(self) -> bool:
        return self.current.ending

    def choose(self, choice_id: str) -> Choice:
        """Take the choice ``choice_id`` at the current moment and move on.

        Raises ``ValueError`` (with a plain message) for a choice that is not offered here.
        """
        moment = self.current
        for choice in moment.choices:
            if choice.id == choice_id:
                self.path.append(Step(moment.id, choice.id))
                self.current_id = choice.next
                return choice
        raise ValueError(f"'{choice_id}' is not one of the choices at this moment")

    def chosen(self) -> list[tuple[Moment, Choice]]:
        """The moments met and the choice taken at each, in order."""
        out = []
        for step in self.path:
            moment = self._moments[step.moment]
            out.append((moment, next(c for c in moment.choices if c.id == step.choice)))
        return out

    def profile(self) -> dict[str, float | None]:
        """Each skill from 0 (worst choices for it) to 100 (best), over the moments met."""
        result: dict[str, float | None] = {}
        for skill in self.skills:
            got = best = worst = 0
            for moment, choice in self.chosen():
                values = [c.scores.get(skill, 0) for c in moment.choices]
                got += choice.scores.get(skill, 0)
                best += max(values)
                worst += min(values)
            result[skill] = None if best == worst else round(100 * (got - worst) / (best - worst), 1)
        return result


# --------------------------------------------------------------------------- graph checks
def _reachable(scenario: Scenario) -> set[str]:
    by_id = {m.id: m for m in scenario.moments}
    seen, todo = set(), [scenario.start]
    while todo:
        mid = todo.pop()
        if mid in seen:
            continue
        seen.add(mid)
        todo.extend(c.next for c in by_id[mid].choices)
    return seen


def _cycle(scenario: Scenario) -> list[str] | None:
    """A loop of moment ids, if the graph has one (a loop could keep a learner forever)."""
    by_id = {m.id: m for m in scenario.moments}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(mid: str) -> list[str] | None:
        state[mid] = 1
        stack.append(mid)
        for c in by_id[mid].choices:
            if state.get(c.next) == 1:
                return stack[stack.index(c.next) :] + [c.next]
            if c.next not in state:
                found = visit(c.next)
                if found:
                    return found
        stack.pop()
        state[mid] = 2
        return None

    for m in scenario.moments:
        if m.id not in state:
            found = visit(m.id)
            if found:
                return found
    return None


def check_scenario(scenario: Scenario, leadership: Leadership, phase_ids: Iterable[str] = ()) -> list[str]:
    """Plain-language problems with one scenario's graph and tags; empty when it is sound."""
    problems = []
    name = f"scenario '{scenario.id}'"
    unreachable = [m.id for m in scenario.moments if m.id not in _reachable(scenario)]
    if unreachable:
        problems.append(f"{name}: no path from the start reaches {', '.join(unreachable)}")
    loop = _cycle(scenario)
    if loop:
        problems.append(f"{name}: the moments form a loop ({' → '.join(loop)}), so a play-through might never end")
    if not any(m.ending for m in scenario.moments):
        problems.append(f"{name}: it has no ending (a moment without choices)")
    skills = {s.id for s in leadership.skills}
    derailments = {d.id for d in leadership.derailments}
    phases = set(phase_ids)
    for m in scenario.moments:
        for d in m.derailments:
            if d not in derailments:
                problems.append(f"{name}, moment '{m.id}': '{d}' is not a derailment in leadership.yaml")
        if phases and m.phase is not None and m.phase not in phases:
            problems.append(f"{name}, moment '{m.id}': '{m.phase}' is not a phase in session.yaml")
        for c in m.choices:
            for s in c.scores:
                if s not in skills:
                    problems.append(f"{name}, moment '{m.id}', choice {c.id}: '{s}' is not a skill in leadership.yaml")
        if m.choices and len({tuple(sorted(c.scores.items())) for c in m.choices}) == 1:
            problems.append(f"{name}, moment '{m.id}': every choice scores the same, so the choice teaches nothing")
    return problems


def check_library(scenarios: list[Scenario], leadership: Leadership) -> list[str]:
    """Problems across the whole library: coverage of derailments and settings, repeated feedback."""
    problems = []
    if len(scenarios) < MIN_SCENARIOS:
        problems.append(f"there are {len(scenarios)} scenarios; the simulator needs at least {MIN_SCENARIOS}")
    covered = set().union(*(s.derailments for s in scenarios)) if scenarios else set()
    missing = [d.id for d in leadership.derailments if d.id not in covered]
    if missing:
        problems.append(f"no scenario covers the derailments {', '.join(missing)}")
    settings = {s.setting for s in scenarios}
    missing_settings = [s for s in SETTINGS if s not in settings]
    if missing_settings:
        problems.append(f"no scenario is set {', '.join(missing_settings)}")
    seen: dict[str, str] = {}
    for s in scenarios:
        for m in s.moments:
            for c in m.choices:
                text = " ".join(c.feedback.split()).lower()
                where = f"{s.id}/{m.id}/{c.id}"
                if text in seen:
                    problems.append(f"the feedback of {where} repeats that of {seen[text]}")
                else:
                    seen[text] = where
    return problems


def layers(scenario: Scenario) -> dict[str, int]:
    """Each reachable moment's depth (longest path from the start), for drawing the map."""
    by_id = {m.id: m for m in scenario.moments}
    depth = {scenario.start: 0}
    order = _topological(scenario)
    for mid in order:
        if mid not in depth:
            continue
        for c in by_id[mid].choices:
            depth[c.next] = max(depth.get(c.next, 0), depth[mid] + 1)
    return depth


def _topological(scenario: Scenario) -> list[str]:
    by_id = {m.id: m for m in scenario.moments}
    indegree = {m.id: 0 for m in scenario.moments}
    for m in scenario.moments:
        for nxt in {c.next for c in m.choices}:
            indegree[nxt] += 1
    ready = [mid for mid, n in indegree.items() if n == 0]
    order = []
    while ready:
        mid = ready.pop(0)
        order.append(mid)
        for nxt in sorted({c.next for c in by_id[mid].choices}):
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return order
