"""Scoring the Copenhagen Burnout Inventory against answer sets worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import content
from widgets import instrument as logic


@pytest.fixture(scope="module")
def cbi():
    return content.instrument("cbi")


def scores(cbi, answers):
    return {r.scale: r.score for r in logic.score(cbi, answers)}


def test_the_published_structure(cbi):
    assert [i.id for i in cbi.items] == [
        "personal-1",
        "personal-2",
        "personal-3",
        "personal-4",
        "personal-5",
        "personal-6",
        "work-1",
        "work-2",
        "work-3",
        "work-4",
        "work-5",
        "work-6",
        "work-7",
        "client-1",
        "client-2",
        "client-3",
        "client-4",
        "client-5",
        "client-6",
    ]
    assert [i.id for i in cbi.items if i.reversed] == ["work-7"]
    assert [(s.id, s.min_answered, s.rule_published) for s in cbi.scales] == [
        ("personal", 3, True),
        ("work", 4, True),
        ("client", 3, False),
    ]
    assert [(o.label, o.value) for o in cbi.response_set("frequency").options] == [
        ("Always", 100),
        ("Often", 75),
        ("Sometimes", 50),
        ("Seldom", 25),
        ("Never/almost never", 0),
    ]
    assert [o.value for o in cbi.response_set("degree").options] == [100, 75, 50, 25, 0]
    assert cbi.items[0].text == "How often do you feel tired?"
    assert cbi.items[12].text == "Do you have enough energy for family and friends during leisure time?"


def test_all_answered(cbi):
    answers = {
        "personal-1": 75,
        "personal-2": 50,
        "personal-3": 75,
        "personal-4": 25,
        "personal-5": 50,
        "personal-6": 0,
        "work-1": 75,
        "work-2": 50,
        "work-3": 50,
        "work-4": 75,
        "work-5": 25,
        "work-6": 25,
        "work-7": 25,
        "client-1": 50,
        "client-2": 25,
        "client-3": 50,
        "client-4": 75,
        "client-5": 25,
        "client-6": 0,
    }
    # personal: (75+50+75+25+50+0)/6 = 275/6 = 45.83 -> 45.8
    # work: 75+50+50+75+25+25 + (100-25=75) = 375/7 = 53.57 -> 53.6
    # client: (50+25+50+75+25+0)/6 = 225/6 = 37.5
    assert scores(cbi, answers) == {"personal": 45.8, "work": 53.6, "client": 37.5}


def test_the_reversed_item(cbi):
    work = {"work-1": 0, "work-2": 0, "work-3": 0, "work-4": 0, "work-5": 0, "work-6": 0}
    # "Always" enough energy (100) scores 0; "Never" (0) scores 100.
    assert scores(cbi, {**work, "work-7": 100})["work"] == 0.0
    assert scores(cbi, {**work, "work-7": 0})["work"] == 14.3  # 100/7 = 14.29
    assert scores(cbi, {**work, "work-7": 75})["work"] == 3.6  # 25/7 = 3.57


def test_halves_round_up_as_by_hand(cbi):
    assert scores(cbi, {"work-1": 100, "work-2": 25, "work-3": 0, "work-4": 0})["work"] == 31.3  # 125/4 = 31.25


def test_personal_scale_at_and_below_its_limit_of_three(cbi):
    assert scores(cbi, {"personal-1": 100, "personal-2": 50, "personal-3": 75})["personal"] == 75.0
    assert scores(cbi, {"personal-1": 100, "personal-2": 50})["personal"] is None


def test_work_scale_at_and_below_its_limit_of_four(cbi):
    assert (
        scores(cbi, {"work-1": 100, "work-2": 50, "work-4": 25, "work-7": 100})["work"] == 43.8
    )  # (100+50+25+0)/4 = 43.75
    assert scores(cbi, {"work-1": 100, "work-2": 50, "work-4": 25})["work"] is None


def test_client_scale_at_and_below_the_kits_limit_of_three(cbi):
    assert scores(cbi, {"client-1": 25, "client-5": 50, "client-6": 100})["client"] == 58.3  # 175/3
    assert scores(cbi, {"client-1": 25, "client-5": 50})["client"] is None


def test_the_result_says_how_many_answers_are_missing(cbi):
    result = logic.score(cbi, {"work-1": 100})
    work = next(r for r in result if r.scale == "work")
    assert (work.score, work.answered, work.items, work.needed) == (None, 1, 7, 4)


def test_answers_outside_the_questionnaire_are_dropped(cbi):
    raw = {"personal-1": 75, "personal-2": 60, "personal-3": "75", "personal-4": True, "nonsense": 50, "work-1": -25}
    assert logic.clean_answers(cbi, raw) == {"personal-1": 75}
    assert logic.clean_answers(cbi, ["personal-1"]) == {}


def test_csv_round_trip(cbi):
    history = [
        {"date": "2026-10-01", "answers": {"personal-1": 75, "personal-2": 50, "personal-3": 25, "work-7": 0}},
        {"date": "2026-11-01", "answers": {"client-1": 100}},
    ]
    text = logic.to_csv(cbi, history)
    lines = text.splitlines()
    assert lines[0].startswith("date,personal-1,personal-2,") and lines[0].endswith(
        ",score-personal,score-work,score-client"
    )
    assert lines[1] == "2026-10-01,75,50,25,,,,,,,,,,0,,,,,,,50.0,,"
    assert logic.from_csv(cbi, text) == history


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "the file does not start with the columns this self-check writes"),
        ("name,age\nx,1\n", "the file does not start with the columns this self-check writes"),
        ("date,foo\n2026-01-01,1\n", "the file has none of this questionnaire's questions"),
        ("date,personal-1\n01/02/2026,75\n", "row 2 has no date in the form YYYY-MM-DD"),
        ("date,personal-1\n2026-01-01,80\n", "row 2: an answer is not one of the questionnaire's values"),
        (
            "date,personal-1\n2026-01-01,high\n",
            "row 2: the answer to personal-1 is not one of the questionnaire's values",
        ),
        ("date,personal-1\n2026-01-01,\n", "the file holds no answers"),
    ],
)
def test_bad_csv_files_are_refused_in_plain_words(cbi, text, problem):
    with pytest.raises(logic.ImportProblem) as info:
        logic.from_csv(cbi, text)
    assert str(info.value) == problem


def test_merge_adds_only_new_attempts(cbi):
    a = {"date": "2026-10-01", "answers": {"personal-1": 75}}
    b = {"date": "2026-09-01", "answers": {"personal-1": 50}}
    assert logic.merge([a], [a, b]) == [b, a]


def test_history_from_the_browser_is_cleaned(cbi):
    raw = [
        {"date": "2026-10-01", "answers": {"personal-1": 75}},
        {"date": "yesterday", "answers": {"personal-1": 75}},
        {"date": "2026-09-01", "answers": {}},
        "junk",
        {"date": "2026-08-01", "answers": {"work-1": 25, "x": 1}},
    ]
    assert logic.clean_history(cbi, raw) == [
        {"date": "2026-08-01", "answers": {"work-1": 25}},
        {"date": "2026-10-01", "answers": {"personal-1": 75}},
    ]
    assert logic.clean_history(cbi, {"a": 1}) == []


@settings(deadline=None, max_examples=300)
@given(
    st.dictionaries(
        st.text(max_size=12) | st.sampled_from(["personal-1", "work-7", "client-6"]),
        st.integers(-200, 200) | st.text(max_size=3) | st.none() | st.floats(allow_nan=True),
    )
)
def test_scores_stay_between_0_and_100_whatever_is_sent(raw):
    cbi = content.instrument("cbi")
    for r in logic.score(cbi, logic.clean_answers(cbi, raw)):
        assert r.score is None or 0 <= r.score <= 100
