"""Phase-timing plans: check a learner's plan against a session format.

Pure logic, no widget library. A plan is the minutes the learner gives each phase
of a preset (``data/session.yaml``) and the time available. :func:`check_plan`
returns every problem found, each with the numbers a message needs; the view turns
them into sentences from ``data/ui/en.yaml``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .content import Preset

MAX_AVAILABLE = 600.0
"""The longest session the planner accepts, in minutes (the kit's own limit: 10 hours)."""


@dataclass(frozen=True)
class Problem:
    kind: str
    """'bad-available' (the time available is not a usable number), 'cannot-fit' (the format's
    shortest version is longer than the time available), 'missing' (a phase has no usable
    number), 'below' / 'above' (a phase outside its range), 'over-total' (the plan is longer
    than the time available)."""
    phase: str | None = None
    values: dict = field(default_factory=dict)


def usable(value) -> float | None:
    """A number of minutes, or None for anything that is not a finite, non-negative number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except OverflowError:  # a whole number too large for a float (JSON allows it)
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return value


def check_plan(preset: Preset, available, minutes: dict) -> list[Problem]:
    """Every problem with ``minutes`` ({phase id: minutes}) for ``preset`` in ``available`` minutes."""
    problems: list[Problem] = []
    avail = usable(available)
    if avail is None or avail == 0 or avail > MAX_AVAILABLE:
        problems.append(Problem("bad-available", values={"max": MAX_AVAILABLE}))
        avail = None
    elif preset.total_min > avail:
        problems.append(Problem("cannot-fit", values={"needed": preset.total_min, "available": avail}))
    total = 0.0
    for pp in preset.phases:
        value = usable(minutes.get(pp.phase))
        if value is None:
            problems.append(Problem("missing", pp.phase))
            continue
        total += value
        if value < pp.min:
            problems.append(Problem("below", pp.phase, {"minutes": value, "min": pp.min, "max": pp.max}))
        elif value > pp.max:
            problems.append(Problem("above", pp.phase, {"minutes": value, "min": pp.min, "max": pp.max}))
    if avail is not None and total > avail:
        problems.append(Problem("over-total", values={"total": total, "available": avail}))
    return problems


def plan_total(preset: Preset, minutes: dict) -> float:
    return sum(usable(minutes.get(pp.phase)) or 0.0 for pp in preset.phases)


def fmt(minutes: float) -> str:
    """12 → '12'; 2.5 → '2.5'; 0.25 → '0.25'."""
    return f"{minutes:g}"
