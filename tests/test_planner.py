"""The phase planner's checks, on a hand-built format (expected values written out by hand)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import planner
from widgets.content import Preset

FORMAT = Preset.model_validate(
    {
        "id": "tiny",
        "title": "Tiny",
        "setting": "online",
        "description": "A test format.",
        "source_says": "Minutes for every phase.",
        "sources": ["x"],
        "phases": [
            {"phase": "presentation", "min": 5, "max": 10, "suggested": 8, "kit_suggestion": False},
            {"phase": "discussion", "min": 20, "max": 30, "suggested": 25, "kit_suggestion": True},
            {"phase": "closing", "min": 1, "max": 1, "suggested": 1, "kit_suggestion": False},
        ],
    }
)


def kinds(problems):
    return [(p.kind, p.phase) for p in problems]


def test_a_plan_inside_every_range_and_the_time_has_no_problem():
    assert planner.check_plan(FORMAT, 40, {"presentation": 8, "discussion": 25, "closing": 1}) == []


def test_phases_outside_their_range_are_named():
    problems = planner.check_plan(FORMAT, 60, {"presentation": 4, "discussion": 31, "closing": 1})
    assert kinds(problems) == [("below", "presentation"), ("above", "discussion")]
    assert problems[0].values == {"minutes": 4.0, "min": 5, "max": 10}


def test_a_plan_longer_than_the_time_available():
    problems = planner.check_plan(FORMAT, 30, {"presentation": 5, "discussion": 25, "closing": 1})
    assert kinds(problems) == [("over-total", None)]
    assert problems[0].values == {"total": 31.0, "available": 30.0}


def test_a_format_that_cannot_fit_at_all_is_said_first():
    # The shortest version of the format is 5 + 20 + 1 = 26 minutes.
    problems = planner.check_plan(FORMAT, 20, {"presentation": 5, "discussion": 20, "closing": 1})
    assert kinds(problems) == [("cannot-fit", None), ("over-total", None)]
    assert problems[0].values == {"needed": 26.0, "available": 20.0}


def test_missing_and_odd_numbers_are_problems_not_errors():
    problems = planner.check_plan(FORMAT, 40, {"presentation": None, "discussion": float("nan"), "closing": -1})
    assert kinds(problems) == [("missing", "presentation"), ("missing", "discussion"), ("missing", "closing")]


def test_odd_time_available():
    for odd in (0, -5, None, float("inf"), "sixty", True, 601):
        problems = planner.check_plan(FORMAT, odd, {"presentation": 8, "discussion": 25, "closing": 1})
        assert kinds(problems) == [("bad-available", None)], odd


def test_fmt():
    assert planner.fmt(12.0) == "12"
    assert planner.fmt(2.5) == "2.5"
    assert planner.fmt(0.25) == "0.25"


minutes = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 300), st.text(max_size=3))


@settings(deadline=None, max_examples=200)
@given(available=minutes, a=minutes, b=minutes, c=minutes)
def test_any_plan_gets_a_verdict_and_no_error(available, a, b, c):
    plan = {"presentation": a, "discussion": b, "closing": c}
    problems = planner.check_plan(FORMAT, available, plan)
    values = [planner.usable(v) for v in (a, b, c)]
    ranges = [(5, 10), (20, 30), (1, 1)]
    avail = planner.usable(available)
    good_avail = avail is not None and 0 < avail <= 600
    in_range = all(v is not None and lo <= v <= hi for v, (lo, hi) in zip(values, ranges))
    fits = good_avail and in_range and sum(values) <= avail and avail >= 26
    # No problem exactly when every phase is in range and the plan fits the time available.
    assert (problems == []) == fits
    for p in problems:
        assert p.kind in {"bad-available", "cannot-fit", "missing", "below", "above", "over-total"}
        assert all(not (isinstance(x, float) and math.isnan(x)) for x in p.values.values())
