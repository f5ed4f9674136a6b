"""The organiser's checklist logic (widgets/online.py), with times written out by hand."""

from __future__ import annotations

from datetime import datetime

import pytest

from widgets import online
from widgets.content import ChecklistStep


def step(sid, minutes_before, *items):
    return ChecklistStep.model_validate(
        {
            "id": sid,
            "title": sid.title(),
            "when": "some time",
            "minutes_before": minutes_before,
            "items": [{"id": i, "text": f"do {i}", "sources": ["cpa-online-consensus"]} for i in items],
        }
    )


STEPS = [
    step("notice", 7 * 24 * 60, "send-notice", "name-leaders"),
    step("pledge", 24 * 60, "send-pledge"),
    step("test", 30, "open-room", "check-sound"),
    step("session", None, "cameras-on"),
]
START = datetime(2026, 12, 3, 18, 30)


def states(done, now, start=START):
    return [(s.step, s.state, s.done, s.total) for s in online.status(STEPS, set(done), start, now)]


def test_a_week_ahead_nothing_done():
    now = datetime(2026, 11, 20, 9, 0)  # 13 days before
    assert states([], now) == [
        ("notice", "later", 0, 2),
        ("pledge", "later", 0, 1),
        ("test", "later", 0, 2),
        ("session", "open", 0, 1),
    ]


def test_the_day_before():
    now = datetime(2026, 12, 2, 19, 0)  # notice was due 26 Nov 18:30; pledge due 2 Dec 18:30; test due 3 Dec 18:00
    assert states(["send-notice"], now) == [
        ("notice", "overdue", 1, 2),
        ("pledge", "overdue", 0, 1),
        ("test", "due-soon", 0, 2),
        ("session", "open", 0, 1),
    ]


def test_due_times_are_the_start_minus_the_minutes_before():
    result = online.status(STEPS, set(), START, datetime(2026, 12, 1, 0, 0))
    assert [s.due for s in result] == [
        datetime(2026, 11, 26, 18, 30),
        datetime(2026, 12, 2, 18, 30),
        datetime(2026, 12, 3, 18, 0),
        None,
    ]


def test_all_done():
    now = datetime(2026, 12, 3, 18, 10)
    everything = ["send-notice", "name-leaders", "send-pledge", "open-room", "check-sound", "cameras-on"]
    assert [s.state for s in online.status(STEPS, set(everything), START, now)] == ["done"] * 4


def test_without_a_start_time_nothing_is_due():
    assert [s.state for s in online.status(STEPS, set(), None, datetime(2026, 12, 3))] == ["open"] * 4


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-12-03T18:30", datetime(2026, 12, 3, 18, 30)),
        ("2026-12-03T18:30:59", datetime(2026, 12, 3, 18, 30)),
        ("", None),
        ("tomorrow", None),
        (None, None),
        (["2026"], None),
        ("9" * 100, None),
    ],
)
def test_parse_local(text, expected):
    assert online.parse_local(text) == expected


def test_clean_done_keeps_only_real_items():
    assert online.clean_done(STEPS, ["send-notice", "rm -rf", 3, None, "cameras-on"]) == {"send-notice", "cameras-on"}
    assert online.clean_done(STEPS, "send-notice") == set()


def test_the_pledge_without_recording_never_speaks_of_the_organisers_recording():
    # data/online.yaml as the generator meets it: each line under the "No recording at all" policy.
    from widgets import content

    pledge = content.online().pledge
    assert [r.id for r in pledge.recording] == ["organiser-records", "no-recording"]
    lines = [c.by_policy.get("no-recording", c.text) for c in pledge.contents]
    assert (
        lines[1]
        == "I accept what {organiser} has decided about recording this session, as stated below: the session is not recorded."
    )
    assert (
        lines[2]
        == "No one records this session: I will not make any sound or video recording of it myself, and I will not pass on or spread anything from it."
    )
    for line in lines:
        assert "recording made by" not in line and "Apart from the organiser" not in line
    # Under the organiser's recording, the consensus's wording stands.
    assert "any recording made by the organiser is kept only for the archive" in pledge.contents[1].text


def test_a_pledge_wording_for_an_unknown_policy_is_refused():
    from widgets import content

    raw = content.online().model_dump()
    raw["pledge"]["contents"][1]["by_policy"] = {"no-such-policy": "Text."}
    with pytest.raises(ValueError, match="no-such-policy"):
        content.OnlineGroups.model_validate(raw)
