"""The role-play widgets from Python: seats by message, the timer's format, refusals."""

from __future__ import annotations

import random

import pytest

from widgets import content, kit
from widgets.roleplay_view import RolePlay


@pytest.fixture
def play():
    box = kit.role_play()
    widget, timer = box.children
    assert isinstance(widget, RolePlay)
    return widget, timer


def send(w, message):
    w._on_browser_message(w, message, [])


def test_seats_come_back_for_a_number_and_never_carry_names(play):
    widget, _ = play
    send(widget, {"kind": "seats", "n": 7, "behaviours": False})
    assert widget.seating == {
        "roles": ["leader", "co-leader", "presenter", "member", "member", "member", "member"],
        "behaviours": [None] * 7,
    }


def test_behaviour_prompts_go_to_members_only(play):
    widget, _ = play
    result = widget.seat(10, behaviours=True, rng=random.Random(3))
    given = [(r, b) for r, b in zip(result["roles"], result["behaviours"], strict=True) if b]
    assert len(given) == 3 and all(r == "member" for r, _ in given)  # 7 members, half rounded down


@pytest.mark.parametrize("n", [2, 41, "ten", None, 3.5])
def test_an_odd_number_gets_a_plain_sentence(play, n):
    widget, _ = play
    send(widget, {"kind": "seats", "n": n})
    assert widget.seating["error"].startswith("The roles could not be assigned: ")
    assert "Traceback" not in widget.seating["error"]


def test_choosing_a_format_switches_the_timer(play):
    widget, timer = play
    assert timer.plan_id == "abs-45"  # the format module 5 recommends for a class of about an hour
    send(widget, {"kind": "preset", "id": "online-consensus"})
    assert timer.plan_id == "online-consensus" and widget.plan_id == "online-consensus"
    assert widget.preset["setting"] == "online"
    assert widget.preset["phases"]["discussion-7"] == content.session().phase("discussion").name
    send(widget, {"kind": "preset", "id": "no-such-format"})
    assert timer.plan_id == "online-consensus"


def test_the_browser_cannot_rewrite_the_roles_or_the_seating(play):
    widget, _ = play
    before = dict(widget.roles)
    widget.set_state({"roles": {}, "seating": {"roles": ["leader"] * 50}, "plan_id": "x"})
    assert widget.roles == before and widget.seating == {} and widget.plan_id == "abs-45"


def test_every_phase_of_every_preset_has_a_prompt_for_every_role():
    roles = content.roles()
    for preset in content.session().presets:
        for pp in preset.phases:
            prompts = roles.phase_prompts.get(pp.phase, {})
            assert set(prompts) == {"presenter", "leader", "co-leader", "member", "observer"}, (preset.id, pp.phase)
