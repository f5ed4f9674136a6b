"""Role assignment and case filtering for role-play (widgets/roleplay.py); expected values by hand."""

from __future__ import annotations

import random

import pytest

from widgets import roleplay

# n: (leader, co-leader, presenter, member, observer), worked out from the rules in the module docstring.
EXPECTED = {
    3: (1, 0, 1, 1, 0),
    4: (1, 0, 1, 2, 0),
    5: (1, 0, 1, 3, 0),
    6: (1, 1, 1, 3, 0),
    7: (1, 1, 1, 4, 0),
    8: (1, 1, 1, 5, 0),
    9: (1, 1, 1, 6, 0),
    10: (1, 1, 1, 7, 0),
    11: (1, 1, 1, 8, 0),
    12: (1, 1, 1, 9, 0),
    13: (1, 1, 1, 9, 1),
    14: (1, 1, 1, 9, 2),
    15: (1, 1, 1, 9, 3),
    16: (1, 1, 1, 9, 4),
}


@pytest.mark.parametrize("n", sorted(EXPECTED))
def test_seats_for_3_to_16(n):
    c = roleplay.counts(n)
    assert (c["leader"], c["co-leader"], c["presenter"], c["member"], c["observer"]) == EXPECTED[n]
    assert len(roleplay.seats(n)) == n


def test_the_order_of_seats():
    assert roleplay.seats(7) == ["leader", "co-leader", "presenter", "member", "member", "member", "member"]
    assert roleplay.seats(14)[-2:] == ["observer", "observer"]


@pytest.mark.parametrize(
    "n, message",
    [
        (2, "a role-play needs at least 3 people: a leader, a presenter and one member"),
        (0, "a role-play needs at least 3 people: a leader, a presenter and one member"),
        (-5, "a role-play needs at least 3 people: a leader, a presenter and one member"),
        (41, "the kit seats at most 40 people; split a larger class into groups"),
        (7.5, "the number of participants should be a whole number"),
        ("8", "the number of participants should be a whole number"),
        (True, "the number of participants should be a whole number"),
    ],
)
def test_odd_numbers_get_a_plain_message(n, message):
    with pytest.raises(roleplay.AssignmentProblem) as info:
        roleplay.seats(n)
    assert str(info.value) == message


def test_behaviours_go_to_about_half_the_members_each_at_most_once():
    slots = roleplay.hand_out_behaviours(7, ["a", "b", "c", "d", "e", "f"], rng=random.Random(1))
    assert len(slots) == 7
    given = [s for s in slots if s]
    assert len(given) == 3 and len(set(given)) == 3
    assert roleplay.hand_out_behaviours(1, ["a"], rng=random.Random(1)) == [None]
    many = roleplay.hand_out_behaviours(20, ["a", "b"], rng=random.Random(2))
    assert len(many) == 20 and sorted(s for s in many if s) == ["a", "b"]


# --------------------------------------------------------------------------- the case library
from typing import get_args  # noqa: E402

from widgets import content  # noqa: E402
from widgets.content import CaseSetting  # noqa: E402


def all_cases():
    return [content.case(i) for i in content.case_ids()]


def test_at_least_twelve_cases_cover_every_setting():
    cases = all_cases()
    assert len(cases) >= 12
    assert {c.setting for c in cases} == set(get_args(CaseSetting))


def test_every_case_says_it_is_fictional():
    for c in all_cases():
        assert "fictional" in c.fictional.lower(), c.id


DISTRESSING = ("died", "death", "dead", "suicide", "self-harm", "overdose", "abuse", "bruis", "killed", "dying")


def test_a_case_that_mentions_death_abuse_or_self_harm_carries_a_content_note():
    for c in all_cases():
        text = " ".join([c.story, c.felt, c.unsaid]).lower()
        found = [w for w in DISTRESSING if w in text]
        if found:
            assert c.content_note, f"{c.id} mentions {found} but has no content note"


def test_difficulties_are_mixed():
    assert {c.difficulty for c in all_cases()} == {"introductory", "intermediate", "advanced"}


def test_filtering_cases_by_hand_written_criteria():
    cases = all_cases()
    social = roleplay.matching(cases, setting="social-work")
    assert [c.setting for c in social] == ["social-work"] * len(social) and social
    assert roleplay.matching(cases, setting="social-work", difficulty="introductory", theme="no such theme") == []
    assert len(roleplay.matching(cases)) == len(cases)
