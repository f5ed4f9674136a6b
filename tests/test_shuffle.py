"""The order of an exercise's options per learner (widgets/shuffle.py, the twin of
widgets/static/shuffle_core.js, which the browser runs).

The expected orders are copied out by hand; tests/js/shuffle_core.test.mjs holds the same ones
for the JavaScript, so the two implementations are checked against each other and the browser
and Python give one order. The hash and the generator are also pinned to published values.
"""

from __future__ import annotations

from collections import Counter

from widgets.content import QuizItem
from widgets.quiz import grade
from widgets.shuffle import fnv1a, mulberry32, order

SEED_A = "0123456789abcdef"
SEED_B = "fedcba9876543210"


def test_fnv1a_gives_the_published_test_values():
    # The FNV test suite's 32-bit FNV-1a values: "" 0x811c9dc5, "a" 0xe40c292c, "foobar" 0xbf9cf968.
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_mulberry32_from_one():
    # mulberry32(1)'s first output is 0.6270739405881613 as a fraction of 2**32 in the reference JavaScript.
    nxt = mulberry32(1)
    assert [nxt(), nxt(), nxt()] == [2693262067, 11749833, 2265367787]


def test_same_seed_same_order():
    ids = ["a", "b", "c", "d"]
    assert order(SEED_A, "01_history", "q-first-seminars", ids) == ["a", "b", "d", "c"]
    assert order(SEED_A, "01_history", "q-first-seminars", ids) == ["a", "b", "d", "c"]
    assert ids == ["a", "b", "c", "d"]  # the file's order is left as it is


def test_two_seeds_two_orders():
    ids = ["a", "b", "c", "d"]
    assert order(SEED_A, "01_history", "q-first-seminars", ids) == ["a", "b", "d", "c"]
    assert order(SEED_B, "01_history", "q-first-seminars", ids) == ["c", "d", "b", "a"]
    six = ["a", "b", "c", "d", "e", "f"]
    assert order(SEED_A, "01_history", "q-enid", six) == ["a", "d", "f", "c", "e", "b"]
    assert order(SEED_B, "01_history", "q-enid", six) == ["d", "b", "e", "a", "f", "c"]


def test_the_exercise_and_the_item_change_the_order():
    ids = ["a", "b", "c", "d"]
    assert order(SEED_A, "02_frame_exercise", "sc-late", ids) == ["b", "d", "c", "a"]
    assert order(SEED_A, "simulator/x", "m1", ids) == ["c", "a", "b", "d"]
    assert order(SEED_B, "simulator/x", "m1", ids) == ["a", "d", "b", "c"]


def test_no_place_is_favoured():
    # 1,000 learners (seeds 0 to 999 as 16 hex digits): each of four options comes first for
    # about a quarter of them (a fair die would land between 200 and 300 here almost always).
    firsts = Counter(order(f"{n:016x}", "01_history", "q-first-seminars", ["a", "b", "c", "d"])[0] for n in range(1000))
    assert set(firsts) == {"a", "b", "c", "d"}
    assert all(200 <= count <= 300 for count in firsts.values()), firsts
    # and all six orders of three options occur.
    orders = {tuple(order(f"{n:016x}", "x", "y", ["a", "b", "c"])) for n in range(100)}
    assert len(orders) == 6


def test_grading_by_id_is_the_same_whatever_the_order():
    item = QuizItem.model_validate(
        {
            "id": "q-first-seminars",
            "kind": "single",
            "prompt": "Where?",
            "sources": ["x"],
            "options": [
                {"text": "In Budapest", "correct": True, "feedback": "right"},
                {"text": "In London", "correct": False, "feedback": "london"},
                {"text": "In Manchester", "correct": False, "feedback": "manchester"},
                {"text": "In Berlin", "correct": False, "feedback": "berlin"},
            ],
        }
    )
    # Learner A sees Budapest first, learner B last (the orders above); both choose it by its id.
    assert order(SEED_A, "01_history", item.id, ["a", "b", "c", "d"]).index("a") == 0
    assert order(SEED_B, "01_history", item.id, ["a", "b", "c", "d"]).index("a") == 3
    assert grade(item, ["a"]).correct is True
    assert grade(item, ["b"]).feedback == [("b", False, "london")]
