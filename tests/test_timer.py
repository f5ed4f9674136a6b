"""The phase timer's Python side: plan validation, presets from data, the instructor's dropdown."""

from __future__ import annotations

import math

import pytest

from widgets import content, timer
from widgets.timer import PhaseTimer, PlanError, clean_plan

SESSION = """
phases:
  - id: opening
    name: Opening
    what_happens: The leader opens the session.
    leader_does: Welcomes the group.
    cue: Welcome everyone and restate the frame.
    sources: [src]
  - id: discussion
    name: Group discussion
    what_happens: The group wonders about the case.
    leader_does: Protects the presenter.
    cue: "What do you imagine the patient felt?"
    sources: [src]
presets:
  - id: short
    title: A short format
    setting: online
    description: Two phases.
    source_says: Nothing.
    phases:
      - {phase: opening, min: 1, max: 5, suggested: 3, kit_suggestion: true}
      - {phase: discussion, min: 10, max: 40, suggested: 25.5, kit_suggestion: false}
    sources: [src]
  - id: other
    title: Another format
    setting: in-person
    description: Discussion first.
    source_says: Nothing.
    phases:
      - {phase: discussion, min: 10, max: 40, suggested: 30, kit_suggestion: false}
      - {phase: opening, min: 1, max: 5, suggested: 2, kit_suggestion: true}
      - {phase: opening, min: 1, max: 5, suggested: 1, kit_suggestion: true}
    sources: [src]
"""


@pytest.fixture
def session_data(data_copy):
    (data_copy / "session.yaml").write_text(SESSION, encoding="utf-8")
    return data_copy


GOOD = [
    {"id": "a", "name": "One", "minutes": 5, "cue": "Say hello"},
    {"id": "b", "name": "Two", "minutes": 0.05, "cue": ""},
]


def test_clean_plan_keeps_a_good_plan_in_canonical_form():
    assert clean_plan(GOOD) == [
        {"id": "a", "name": "One", "minutes": 5.0, "cue": "Say hello"},
        {"id": "b", "name": "Two", "minutes": 0.05, "cue": ""},
    ]
    # id and cue are optional
    assert clean_plan([{"name": " X ", "minutes": 240}]) == [{"id": "p1", "name": "X", "minutes": 240.0, "cue": ""}]


@pytest.mark.parametrize(
    "bad",
    [
        [],
        "not a list",
        None,
        [GOOD[0]] * 21,
        [{"name": "x", "minutes": 0.04}],
        [{"name": "x", "minutes": 241}],
        [{"name": "x", "minutes": math.nan}],
        [{"name": "x", "minutes": math.inf}],
        [{"name": "x", "minutes": True}],
        [{"name": "x", "minutes": "5"}],
        [{"name": "", "minutes": 5}],
        [{"name": "   ", "minutes": 5}],
        [{"name": "x" * 301, "minutes": 5}],
        [{"name": "x", "minutes": 5, "cue": "c" * 301}],
        [{"name": "x", "minutes": 5, "cue": 7}],
        [{"name": 5, "minutes": 5}],
        [{"minutes": 5}],
        ["phase"],
    ],
)
def test_clean_plan_refuses_what_the_timer_cannot_run(bad):
    with pytest.raises(PlanError):
        clean_plan(bad)


def test_twenty_phases_and_300_characters_are_allowed():
    plan = [{"name": "n" * 300, "minutes": 1, "cue": "c" * 300}] * 20
    assert len(clean_plan(plan)) == 20


def test_a_bad_value_from_the_browser_keeps_the_previous_one(session_data):
    t = PhaseTimer(GOOD, plan_id="mine", title="My timer")
    before = t.plan
    for bad in ([], [{"name": "x", "minutes": -1}], [{"name": "<b>", "minutes": 1e9}], "junk", [GOOD[0]] * 21):
        t.set_state({"plan": bad})
        assert t.plan == before
    t.set_state({"plan": [{"id": "z", "name": "Only", "minutes": 2, "cue": ""}]})
    assert t.plan == [{"id": "z", "name": "Only", "minutes": 2.0, "cue": ""}]
    for bad_id in ("", "x" * 81, "a/b", "über", "../x"):
        t.set_state({"plan_id": bad_id})
        assert t.plan_id == "mine"
    t.set_state({"plan_id": 7})  # not text at all: refused quietly (widgets/guard.py), no traceback
    assert t.plan_id == "mine"
    t.set_state({"title": "t" * 301})
    assert t.title == "My timer"
    t.set_state({"texts": {"timer-start": "Go", "bad": 3}})
    assert t.texts == {"timer-start": "Go"}


def test_a_bad_plan_from_python_is_an_error():
    with pytest.raises(PlanError):
        PhaseTimer([{"name": "x", "minutes": 0}])
    with pytest.raises(PlanError):
        PhaseTimer.from_plan([("One", 5, "cue", "extra")])
    with pytest.raises(PlanError):
        PhaseTimer.from_plan([("One", 500)])


def test_from_plan_builds_the_learners_own_plan_with_a_stable_id(session_data):
    t = PhaseTimer.from_plan([("One", 0.05, "cue one"), ("Two", 10)])
    assert t.plan == [
        {"id": "p1", "name": "One", "minutes": 0.05, "cue": "cue one"},
        {"id": "p2", "name": "Two", "minutes": 10.0, "cue": ""},
    ]
    assert t.plan_id.startswith("own-")
    assert PhaseTimer.from_plan([("One", 0.05, "cue one"), ("Two", 10)]).plan_id == t.plan_id
    assert PhaseTimer.from_plan([("One", 0.05, "cue one"), ("Two", 11)]).plan_id != t.plan_id
    assert t.title == "Phase timer"
    assert t.texts["timer-start"] == "Start"
    assert all(k.startswith("timer-") for k in t.texts)


def test_from_preset_takes_names_and_cues_from_the_phases_and_the_suggested_minutes(session_data):
    t = PhaseTimer.from_preset("short")
    assert t.plan_id == "short"
    assert t.title == "A short format"
    assert t.plan == [
        {"id": "opening-1", "name": "Opening", "minutes": 3.0, "cue": "Welcome everyone and restate the frame."},
        {
            "id": "discussion-2",
            "name": "Group discussion",
            "minutes": 25.5,
            "cue": "What do you imagine the patient felt?",
        },
    ]


def test_a_missing_preset_is_a_content_error(session_data):
    with pytest.raises(content.ContentError, match="no preset 'nope'"):
        PhaseTimer.from_preset("nope")
    with pytest.raises(content.ContentError):
        timer.phase_timer("nope")
    with pytest.raises(content.ContentError):
        timer.instructor_timer("nope")


def test_a_missing_session_file_is_a_content_error(data_copy):
    (data_copy / "session.yaml").unlink(missing_ok=True)
    with pytest.raises(content.ContentError):
        timer.phase_timer("short")
    with pytest.raises(content.ContentError):
        timer.instructor_timer()


def test_a_preset_the_timer_cannot_run_is_a_content_error(session_data):
    (session_data / "session.yaml").write_text(
        SESSION.replace("suggested: 3,", "suggested: 0.01,").replace(
            "min: 1, max: 5, suggested: 0.01", "min: 0, max: 5, suggested: 0.01"
        ),
        encoding="utf-8",
    )
    with pytest.raises(content.ContentError, match="cannot be timed"):
        timer.phase_timer("short")


def test_phase_timer_defaults_to_the_online_consensus_preset(session_data):
    text = SESSION.replace("id: short", "id: online-consensus")
    (session_data / "session.yaml").write_text(text, encoding="utf-8")
    assert timer.phase_timer().plan_id == "online-consensus"
    box = timer.instructor_timer()
    assert box.dropdown.value == "online-consensus"


def test_the_instructor_dropdown_switches_the_timer_between_presets(session_data):
    box = timer.instructor_timer()
    choose, t = box.children
    assert choose is box.dropdown and t is box.timer
    assert choose.options == (("A short format", "short"), ("Another format", "other"))
    assert choose.value == "short"  # no online-consensus here: the first preset
    assert t.plan_id == "short"
    choose.value = "other"
    assert t.plan_id == "other"
    assert t.title == "Another format"
    assert [p["name"] for p in t.plan] == ["Group discussion", "Opening", "Opening"]
    assert [p["minutes"] for p in t.plan] == [30.0, 2.0, 1.0]
    assert len({p["id"] for p in t.plan}) == 3  # a phase used twice still has distinct ids
    choose.value = "short"
    assert [p["minutes"] for p in t.plan] == [3.0, 25.5]


def test_the_esm_is_the_core_followed_by_the_view():
    esm = PhaseTimer._esm if isinstance(PhaseTimer._esm, str) else PhaseTimer._esm.default_value
    assert "export function view(" in esm and "export default { render }" in esm
    assert esm.index("export function create(") < esm.index("function render(")
    import re

    assert not re.search(r"^\s*import\b", esm, re.MULTILINE)  # one self-contained module


def test_the_real_session_presets_can_all_be_timed():
    for preset in content.session().presets:
        t = PhaseTimer.from_preset(preset.id)
        assert len(t.plan) == len(preset.phases)
        assert sum(p["minutes"] for p in t.plan) == pytest.approx(preset.total_suggested)
