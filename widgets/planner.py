"""Phase-timing plans: check a learner's plan against a session format.

Pure logic, no widget library. A plan is the minutes the learner gives each phase
of a preset (``data/session.yaml``) and the time available. :func:`check_plan`
returns every problem found, each with the numbers a message needs; the view turns
them into sentences from ``data/ui/en.yaml``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .content import Preset

MAX_AVAILABLE = 600.0
"""The longest session the planner accepts, in minutes (the kit's own limit: 10 hours)."""


@dataclass(frozen=True)
class Problem:
    kind: str
    """'bad-available' (the time available is not a usable number), 'cannot-fit' (the format's
    shortest version is longer than the time available), 'missing' (a phase was left empty),
    'not-a-number' (a phase's entry is not a number: ``values['entry']`` is what was typed),
    'negative' (a phase's entry is below 0), 'below' / 'above' (a phase outside its range),
    'over-total' (the plan is longer than the time available)."""
    phase: str | None = None
    values: dict = field(default_factory=dict)


ENTRY_SHOWN = 20
"""How much of an odd entry a message quotes (the rest is cut, with an ellipsis)."""


def read_entry(value) -> tuple[float | None, str | None]:
    """What a learner typed for a number of minutes: ``(minutes, None)`` or ``(None, why)``.

    ``why`` is 'missing' (nothing typed), 'not-a-number' (text, or a value that is no finite
    number) or 'negative'. The planner's boxes send what was typed, as text: "7.5", " 8 " and
    "7,5" (a decimal comma) are read as numbers."""
    if value is None:
        return None, "missing"
    if isinstance(value, bool):
        return None, "not-a-number"
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, "missing"
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if len(text) > 40 or not _NUMBER.fullmatch(text):
            return None, "not-a-number"
        value = float(text)
    elif isinstance(value, (int, float)):
        try:
            value = float(value)
        except OverflowError:  # a whole number too large for a float (JSON allows it)
            return None, "not-a-number"
    else:
        return None, "not-a-number"
    if not math.isfinite(value):
        return None, "not-a-number"
    if value < 0:
        return None, "negative"
    return value, None


_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def usable(value) -> float | None:
    """A number of minutes, or None for anything that is not a finite, non-negative number."""
    return read_entry(value)[0]


def shown(value) -> str:
    """An entry as a message quotes it: what was typed, trimmed and cut to ENTRY_SHOWN characters."""
    text = value.strip() if isinstance(value, str) else fmt(value) if isinstance(value, float) else str(value)
    return text if len(text) <= ENTRY_SHOWN else text[: ENTRY_SHOWN - 1] + "…"


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
        entry = minutes.get(pp.phase)
        value, why = read_entry(entry)
        if value is None:
            problems.append(Problem(why, pp.phase, {"entry": shown(entry)} if why != "missing" else {}))
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
