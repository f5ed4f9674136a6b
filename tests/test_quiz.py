"""Grading a knowledge-check item and the retry rule: hand-written items, hand-written verdicts.

Choices are option ids (a, b, c, ... by position in the file unless an option names its own
`id:`), so grading does not depend on the order a learner saw the options in.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from widgets.content import QuizItem
from widgets.quiz import InvalidChoice, attempt, grade, reveal, score

SINGLE = QuizItem.model_validate(
    {
        "id": "q-city",
        "kind": "single",
        "prompt": "Where were the first GP seminars?",
        "sources": ["ibf-balint-history"],
        "options": [
            {"text": "Budapest", "correct": True, "feedback": "fb-budapest"},
            {"text": "London", "correct": False, "feedback": "fb-london"},
            {"text": "Berlin", "correct": False, "feedback": "fb-berlin"},
        ],
    }
)

MULTIPLE = QuizItem.model_validate(
    {
        "id": "q-rules",
        "kind": "multiple",
        "prompt": "Which are ground rules?",
        "sources": ["lakartidningen2021"],
        "options": [
            {"text": "Confidentiality", "correct": True, "feedback": "fb-conf"},
            {"text": "Written minutes", "correct": False, "feedback": "fb-minutes"},
            {"text": "Respect", "correct": True, "feedback": "fb-respect"},
            {"text": "Not therapy", "correct": True, "feedback": "fb-therapy"},
        ],
    }
)


# --------------------------------------------------------------------------- option ids
def test_options_without_an_id_are_named_by_their_place_in_the_file():
    assert [o.id for o in SINGLE.options] == ["a", "b", "c"]
    assert [o.id for o in MULTIPLE.options] == ["a", "b", "c", "d"]


def test_an_explicit_id_overrides_the_letter_and_the_rest_keep_theirs():
    item = QuizItem.model_validate(
        {
            **SINGLE.model_dump(exclude={"options"}),
            "options": [
                {"text": "Budapest", "correct": True, "feedback": "x"},
                {"id": "london", "text": "London", "correct": False, "feedback": "y"},
                {"text": "Berlin", "correct": False, "feedback": "z"},
            ],
        }
    )
    assert [o.id for o in item.options] == ["a", "london", "c"]
    assert grade(item, ["london"]).correct is False
    assert grade(item, ["a"]).correct is True


def test_two_options_with_one_id_are_refused():
    with pytest.raises(ValidationError, match="the option id 'a' is used twice"):
        QuizItem.model_validate(
            {
                **SINGLE.model_dump(exclude={"options"}),
                "options": [
                    {"text": "Budapest", "correct": True, "feedback": "x"},
                    {"id": "a", "text": "London", "correct": False, "feedback": "y"},
                ],
            }
        )


# --------------------------------------------------------------------------- grading by id
def test_single_right():
    v = grade(SINGLE, ["a"])
    assert v.correct is True
    assert v.chosen == ["a"]
    assert v.feedback == [("a", True, "fb-budapest")]
    assert v.missed == []


def test_single_wrong_gives_feedback_on_the_choice_only():
    v = grade(SINGLE, ["c"])
    assert v.correct is False
    assert v.feedback == [("c", False, "fb-berlin")]
    assert v.missed == [("a", "fb-budapest")]  # for the reveal, not shown before


def test_multiple_exact_in_any_order():
    for chosen in (["d", "a", "c"], ["a", "c", "d"], ["c", "d", "a"]):
        v = grade(MULTIPLE, chosen)
        assert v.correct is True
        assert v.chosen == ["a", "c", "d"]
        assert v.missed == []
        assert v.feedback == [("a", True, "fb-conf"), ("c", True, "fb-respect"), ("d", True, "fb-therapy")]


def test_multiple_partial():
    v = grade(MULTIPLE, ["a"])
    assert v.correct is False
    assert v.feedback == [("a", True, "fb-conf")]
    assert v.missed == [("c", "fb-respect"), ("d", "fb-therapy")]


def test_multiple_over_chosen():
    v = grade(MULTIPLE, ["a", "b", "c", "d"])
    assert v.correct is False
    assert v.missed == []
    assert v.feedback == [
        ("a", True, "fb-conf"),
        ("b", False, "fb-minutes"),
        ("c", True, "fb-respect"),
        ("d", True, "fb-therapy"),
    ]


def test_multiple_wrong_only():
    v = grade(MULTIPLE, ["b"])
    assert v.correct is False
    assert v.feedback == [("b", False, "fb-minutes")]
    assert [oid for oid, _ in v.missed] == ["a", "c", "d"]


def test_repeated_picks_count_once():
    v = grade(MULTIPLE, ("a", "a", "c", "d", "d"))
    assert v.correct is True
    assert v.chosen == ["a", "c", "d"]


def test_accepts_a_set():
    assert grade(SINGLE, {"a"}).correct is True


@pytest.mark.parametrize("item", [SINGLE, MULTIPLE])
def test_nothing_chosen(item):
    with pytest.raises(InvalidChoice):
        grade(item, [])


@pytest.mark.parametrize("chosen", [["d"], ["A"], [0], ["a", "z"]])
def test_no_such_option_single(chosen):
    with pytest.raises(InvalidChoice):
        grade(SINGLE, chosen)


@pytest.mark.parametrize("chosen", [["e"], [0, "a"], ["a", "c", "zz"]])
def test_no_such_option_multiple(chosen):
    with pytest.raises(InvalidChoice):
        grade(MULTIPLE, chosen)


def test_two_picks_on_single():
    with pytest.raises(InvalidChoice):
        grade(SINGLE, ["a", "b"])


def test_invalid_choice_is_a_value_error():
    assert issubclass(InvalidChoice, ValueError)


# --------------------------------------------------------------------------- the retry rule
def test_right_at_once():
    assert attempt(None, grade(SINGLE, ["a"])) == {
        "chosen": ["a"],
        "correct": True,
        "tries": 1,
        "first_try": True,
        "revealed": False,
    }


def test_first_wrong_try_does_not_reveal():
    assert attempt(None, grade(SINGLE, ["b"])) == {
        "chosen": ["b"],
        "correct": False,
        "tries": 1,
        "first_try": False,
        "revealed": False,
    }


def test_second_wrong_try_reveals():
    first = attempt(None, grade(SINGLE, ["b"]))
    assert attempt(first, grade(SINGLE, ["c"])) == {
        "chosen": ["c"],
        "correct": False,
        "tries": 2,
        "first_try": False,
        "revealed": True,
    }
    # The same wrong answer again is a second wrong try too.
    assert attempt(first, grade(SINGLE, ["b"]))["revealed"] is True


def test_right_after_a_wrong_try():
    first = attempt(None, grade(SINGLE, ["b"]))
    assert attempt(first, grade(SINGLE, ["a"])) == {
        "chosen": ["a"],
        "correct": True,
        "tries": 2,
        "first_try": False,
        "revealed": False,
    }


def test_show_the_answer_after_a_wrong_try():
    first = attempt(None, grade(SINGLE, ["b"]))
    assert reveal(first) == {"chosen": ["b"], "correct": False, "tries": 1, "first_try": False, "revealed": True}


def test_once_revealed_it_stays_revealed_and_the_first_try_is_kept():
    shown = reveal(attempt(None, grade(SINGLE, ["b"])))
    then = attempt(shown, grade(SINGLE, ["a"]))
    assert then == {"chosen": ["a"], "correct": True, "tries": 2, "first_try": False, "revealed": True}
    right_first = attempt(None, grade(SINGLE, ["a"]))
    assert attempt(right_first, grade(SINGLE, ["b"])) == {
        "chosen": ["b"],
        "correct": False,
        "tries": 2,
        "first_try": True,
        "revealed": True,
    }


# --------------------------------------------------------------------------- score
def test_score_counts_only_correct_answers_to_the_quiz_items():
    assert score({"q-city": True, "q-rules": False}, [SINGLE, MULTIPLE]) == (1, 2)
    assert score({"q-city": True, "q-rules": True}, [SINGLE, MULTIPLE]) == (2, 2)
    assert score({}, [SINGLE, MULTIPLE]) == (0, 2)


def test_score_ignores_items_from_elsewhere():
    assert score({"q-other": True, "q-city": True}, [SINGLE]) == (1, 1)
    assert score({"q-other": True}, [SINGLE, MULTIPLE]) == (0, 2)
