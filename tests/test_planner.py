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
    assert kinds(problems) == [("missing", "presentation"), ("not-a-number", "discussion"), ("negative", "closing")]


def test_each_odd_entry_is_named_for_what_is_wrong_with_it_and_quoted_as_typed():
    # What the planner's text boxes send: the entries as typed.
    problems = planner.check_plan(FORMAT, "40", {"presentation": "abc", "discussion": "-3", "closing": "  "})
    assert kinds(problems) == [("not-a-number", "presentation"), ("negative", "discussion"), ("missing", "closing")]
    assert problems[0].values == {"entry": "abc"}
    assert problems[1].values == {"entry": "-3"}
    assert problems[2].values == {}


def test_entries_as_typed_are_read_as_numbers():
    assert planner.read_entry("7.5") == (7.5, None)
    assert planner.read_entry(" 8 ") == (8.0, None)
    assert planner.read_entry("7,5") == (7.5, None)  # a decimal comma
    assert planner.read_entry(".5") == (0.5, None)
    assert planner.read_entry("0") == (0.0, None)
    assert planner.read_entry(12) == (12.0, None)
    for text in ("abc", "1e3", "nan", "inf", "1,000.5", "8 min", "--2", "1.2.3"):
        assert planner.read_entry(text) == (None, "not-a-number"), text
    assert planner.read_entry("-0.5") == (None, "negative")
    assert planner.read_entry("") == (None, "missing")
    assert planner.read_entry(None) == (None, "missing")
    assert planner.read_entry(True) == (None, "not-a-number")


def test_a_long_entry_is_quoted_cut_short():
    problems = planner.check_plan(FORMAT, 40, {"presentation": "x" * 50, "discussion": 25, "closing": 1})
    assert problems[0].values == {"entry": "xxxxxxxxxxxxxxxxxxx…"}  # 19 characters and the ellipsis


def test_odd_time_available():
    for odd in (0, -5, None, float("inf"), "sixty", "", "-5", True, 601, "601"):
        problems = planner.check_plan(FORMAT, odd, {"presentation": 8, "discussion": 25, "closing": 1})
        assert kinds(problems) == [("bad-available", None)], odd


def test_fmt():
    assert planner.fmt(12.0) == "12"
    assert planner.fmt(2.5) == "2.5"
    assert planner.fmt(0.25) == "0.25"


minutes = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 300), st.text(max_size=3)
)


@settings(deadline=None, max_examples=200)
@given(available=minutes, a=minutes, b=minutes, c=minutes)
def test_any_plan_gets_a_verdict_and_no_error(available, a, b, c):
    plan = {"presentation": a, "discussion": b, "closing": c}
    problems = planner.check_plan(FORMAT, available, plan)
    values = [planner.usable(v) for v in (a, b, c)]
    ranges = [(5, 10), (20, 30), (1, 1)]
    avail = planner.usable(available)
    good_avail = avail is not None and 0 < avail <= 600
    in_range = all(v is not None and lo <= v <= hi for v, (lo, hi) in zip(values, ranges, strict=True))
    fits = good_avail and in_range and sum(values) <= avail and avail >= 26
    # No problem exactly when every phase is in range and the plan fits the time available.
    assert (problems == []) == fits
    for p in problems:
        assert p.kind in {
            "bad-available",
            "cannot-fit",
            "missing",
            "not-a-number",
            "negative",
            "below",
            "above",
            "over-total",
        }
        assert all(not (isinstance(x, float) and math.isnan(x)) for x in p.values.values())


# --------------------------------------------------------------------------- plural forms and the verdict's words
import pytest  # noqa: E402

from widgets import content  # noqa: E402
from widgets.content import ContentError, UIText  # noqa: E402

PLURAL_UI = {"strings": {"things": {"one": "{count} thing", "other": "{count} things"}, "plain": "Plain"}}


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 things"), (1, "1 thing"), (2, "2 things"), (9, "9 things"), (21, "21 things"), (1.5, "1.5 things")],
)
def test_english_plural_choice(count, expected):
    t = UIText.model_validate(PLURAL_UI)
    assert t.plural("things", count).format(count=count) == expected


@pytest.mark.parametrize(
    ("count", "form"),
    [(1, "one"), (2, "few"), (4, "few"), (5, "many"), (11, "many"), (21, "one"), (22, "few"), (1.5, "other")],
)
def test_russian_plural_choice_follows_its_own_rule(count, form):
    forms = {k: k for k in ("one", "few", "many", "other")}
    t = UIText.model_validate({"locale": "ru", "strings": {"things": forms}})
    assert t.plural("things", count) == form


def test_a_plural_lacking_a_form_its_language_needs_is_refused():
    with pytest.raises(ValueError, match="lacks the plural form"):
        UIText.model_validate({"strings": {"things": {"other": "{count} things"}}})
    with pytest.raises(ValueError, match="lacks the plural form"):
        UIText.model_validate({"locale": "ru", "strings": {"things": {"one": "a", "other": "b"}}})
    # Chinese has one form only.
    assert (
        UIText.model_validate({"locale": "zh", "strings": {"things": {"other": "{count} 项"}}}).plural("things", 1)
        == "{count} 项"
    )


def test_a_plural_text_read_as_plain_and_a_plain_one_read_with_a_count_are_content_errors():
    t = UIText.model_validate(PLURAL_UI)
    with pytest.raises(ContentError, match="has plural forms"):
        t["things"]
    with pytest.raises(ContentError, match="needs plural forms"):
        t.plural("plain", 2)
    assert t.browser(["things", "plain"]) == {
        "things": {"one": "{count} thing", "other": "{count} things"},
        "plain": "Plain",
    }


def test_the_planner_says_one_thing_and_nine_things():
    from widgets.session_view import PhasePlanner

    p = PhasePlanner(content.ui())
    # online-consensus in 70 minutes, closing 9 (its range is 1): one problem; 4+2+3+8+8+1+25+5+9 = 65 fits in 70
    p.check(
        "online-consensus",
        "70",
        {
            "opening": "4",
            "ground-rules": "2",
            "case-request": "3",
            "presentation": "8",
            "questions": "8",
            "withdraw": "1",
            "discussion": "25",
            "return": "5",
            "closing": "9",
        },
    )
    assert p.result["head"] == "1 thing to look at:"
    # nine phases, every one of them empty: nine problems
    p.check("online-consensus", "60", {})
    assert p.result["head"] == "9 things to look at:"


def test_the_plan_line_says_not_counted_instead_of_a_zero_nobody_typed():
    from widgets.session_view import PhasePlanner

    p = PhasePlanner(content.ui())
    p.check(
        "abs-45",
        "60",
        {
            "case-request": "2",
            "presentation": "-7",
            "questions": "abc",
            "discussion": "24",
            "return": "5",
            "closing": "",
        },
    )
    assert p.result["problems"][:2] == [
        "Case presentation: -7 is less than 0 minutes. Give this phase 0 minutes or more; your entry is still in its box to correct.",
        'Factual questions: "abc" is not a number of minutes. Type a number such as 8; your entry is still in its box to correct.',
    ]
    assert p.result["listing"] == (
        "Your plan: Asking for a case 2, Case presentation (not counted), Factual questions (not counted), "
        "Group discussion 24, Presenter returns 5, Closing (not counted) min."
    )


# --------------------------------------------------------------------------- whole minutes and the kit's rounding
def phase(**kw):
    from widgets.content import PresetPhase

    return PresetPhase.model_validate({"phase": "p", "kit_suggestion": False, **kw})


def test_a_one_to_two_minute_range_suggests_two_marked_as_the_kits_rounding():
    pp = phase(min=1, max=2, suggested=2, rounded=True)
    assert (pp.suggested, pp.rounded) == (2, True)
    assert phase(min=5, max=10, suggested=8, rounded=True).rounded
    assert phase(min=10, max=15, suggested=12, rounded=True).rounded  # 12.5 rounded down


@pytest.mark.parametrize(
    ("kw", "why"),
    [
        ({"min": 1, "max": 2, "suggested": 1.5, "rounded": True}, "rounded to a whole minute, and it is not"),
        (
            {"min": 1, "max": 3, "suggested": 2, "rounded": True},
            "rounded to a whole minute, and it is not",
        ),  # 2 is the middle itself
        ({"min": 5, "max": 10, "suggested": 9, "rounded": True}, "rounded to a whole minute, and it is not"),
        ({"min": 1, "max": 2, "suggested": 2, "rounded": True, "kit_suggestion": True}, "the kit's suggestion already"),
    ],
)
def test_a_wrong_rounded_mark_is_refused(kw, why):
    with pytest.raises(ValueError, match=why):
        phase(**kw)


def test_the_shipped_formats_suggest_whole_minutes_and_mark_every_rounding():
    rounded = {}
    for preset in content.session().presets:
        for pp in preset.phases:
            assert pp.suggested == int(pp.suggested), (preset.id, pp.phase, pp.suggested)
            if pp.rounded:
                rounded.setdefault(preset.id, []).append((pp.phase, pp.min, pp.max, pp.suggested))
            elif not pp.kit_suggestion:
                # a source's range whose suggestion is half a minute from its middle is a rounding, and says so
                assert abs(pp.suggested - (pp.min + pp.max) / 2) != 0.5, (preset.id, pp.phase)
    consensus = [("ground-rules", 1, 2, 2), ("presentation", 5, 10, 8), ("questions", 5, 10, 8)]
    assert rounded == {
        "online-consensus": consensus,
        "demonstration": consensus,
        "hungarian": [("presentation", 10, 15, 12)],
    }
    totals = {p.id: p.total_suggested for p in content.session().presets}
    # by hand: 4+2+3+8+8+1+25+5+1 = 57; 2+3+10+7+1+30+5+3 = 61; the demonstration adds the observers' 15
    assert totals["online-consensus"] == 57
    assert totals["classic-in-person"] == 61
    assert totals["demonstration"] == 72
