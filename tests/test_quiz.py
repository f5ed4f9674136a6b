"""Grading a knowledge-check item: hand-written items, hand-written expected verdicts."""

from __future__ import annotations

import pytest

from widgets.content import QuizItem
from widgets.quiz import InvalidChoice, grade, score

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


def test_single_right():
    v = grade(SINGLE, [0])
    assert v.correct is True
    assert v.feedback == [(0, True, "fb-budapest")]
    assert v.missed == []


def test_single_wrong_shows_choice_and_the_right_answer():
    v = grade(SINGLE, [2])
    assert v.correct is False
    assert v.feedback == [(0, True, "fb-budapest"), (2, False, "fb-berlin")]
    assert v.missed == [0]


def test_multiple_exact():
    v = grade(MULTIPLE, [3, 0, 2])
    assert v.correct is True
    assert v.missed == []
    assert v.feedback == [(0, True, "fb-conf"), (2, True, "fb-respect"), (3, True, "fb-therapy")]


def test_multiple_partial_lists_missed():
    v = grade(MULTIPLE, [0])
    assert v.correct is False
    assert v.missed == [2, 3]
    assert v.feedback == [(0, True, "fb-conf"), (2, True, "fb-respect"), (3, True, "fb-therapy")]


def test_multiple_over_chosen():
    v = grade(MULTIPLE, [0, 1, 2, 3])
    assert v.correct is False
    assert v.missed == []
    assert v.feedback == [(0, True, "fb-conf"), (1, False, "fb-minutes"), (2, True, "fb-respect"), (3, True, "fb-therapy")]


def test_multiple_wrong_only():
    v = grade(MULTIPLE, [1])
    assert v.correct is False
    assert v.missed == [0, 2, 3]
    assert [i for i, _, _ in v.feedback] == [0, 1, 2, 3]
    assert v.feedback[1] == (1, False, "fb-minutes")


def test_repeated_picks_count_once():
    v = grade(MULTIPLE, (0, 0, 2, 3, 3))
    assert v.correct is True
    assert v.missed == []


def test_accepts_a_set():
    assert grade(SINGLE, {0}).correct is True


@pytest.mark.parametrize("item", [SINGLE, MULTIPLE])
def test_nothing_chosen(item):
    with pytest.raises(InvalidChoice):
        grade(item, [])


@pytest.mark.parametrize("chosen", [[3], [-1], [0, 7]])
def test_out_of_range_single(chosen):
    with pytest.raises(InvalidChoice):
        grade(SINGLE, chosen)


@pytest.mark.parametrize("chosen", [[4], [-1, 0], [0, 2, 99]])
def test_out_of_range_multiple(chosen):
    with pytest.raises(InvalidChoice):
        grade(MULTIPLE, chosen)


def test_two_picks_on_single():
    with pytest.raises(InvalidChoice):
        grade(SINGLE, [0, 1])


def test_invalid_choice_is_a_value_error():
    assert issubclass(InvalidChoice, ValueError)


def test_score_counts_only_correct_answers_to_the_quiz_items():
    assert score({"q-city": True, "q-rules": False}, [SINGLE, MULTIPLE]) == (1, 2)
    assert score({"q-city": True, "q-rules": True}, [SINGLE, MULTIPLE]) == (2, 2)
    assert score({}, [SINGLE, MULTIPLE]) == (0, 2)


def test_score_ignores_items_from_elsewhere():
    assert score({"q-other": True, "q-city": True}, [SINGLE]) == (1, 1)
    assert score({"q-other": True}, [SINGLE, MULTIPLE]) == (0, 2)
