"""Hostile input through the comm channel, for every widget the kit builds.

A page reaches its kernel only through widget comm messages, and a comm message can set
any synced trait to any value and send any custom message (/work/shared/DESIGN.md). Each
widget ``kit`` builds is sent here what a forged page could send, the way the browser
sends it: ``set_state`` for every synced trait (values of the wrong type, out of range,
huge, deeply nested, None; also NaN, infinity and a lone surrogate, which a hand-made
websocket client can send because the kernel's JSON reader takes them), and every
registered message handler with wrong kinds, missing fields, wrong types and huge payloads.

What must hold: nothing raises; a trait the page has no reason to set keeps its value;
a trait the page may set is cleaned (the expected results are written out by hand);
derived state stays valid; every message the kernel sends back can travel (strict JSON,
UTF-8: a kernel's message packer refuses NaN and lone surrogates); and no traceback text
reaches a trait or a message.
"""

from __future__ import annotations

import json
import logging
import math
import re
from datetime import date
from typing import ClassVar

import comm
import ipywidgets as w
import pytest

import widgets.store
from widgets import content, kit, learner_data, roleplay

# --------------------------------------------------------------------------- what a forged page sends
HUGE = "x" * 1_000_000
DEEP: object = "bottom"
for _ in range(400):
    DEEP = {"d": [DEEP]}

JUNK = [
    None,
    True,
    1,
    -1,
    10**400,
    1.5,
    float("nan"),
    float("inf"),
    "",
    HUGE,
    "<img src=x onerror=alert(1)>",
    "\ud800",
    "{0}{problem}",
    "IPY_MODEL_no-such-model",
    [],
    [None] * 1000,
    [[[[[]]]]],
    {},
    {"": ""},
    {"__proto__": {"polluted": True}},
    DEEP,
    {"a": [1, {"b": None}], "c": "d"},
    ["IPY_MODEL_no-such-model"],
]
"""Values of every kind a synced trait or a message field could be sent."""

KEEP = object()
"""In the tables below: the trait keeps the value it had."""

STRAY = ("Traceback", 'File "', "Error:", "Exception")
"""Text that would mean a traceback or an exception's message had reached the page."""


def strict_json(value) -> bytes:
    """What the kernel's message packer accepts: JSON without NaN or infinity, encodable as UTF-8."""
    return json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")


class Wire(comm.DummyComm):
    """A comm that packs every message as the kernel would and keeps it for the test."""

    sent: ClassVar[list] = []

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        text = strict_json({"data": data, "metadata": metadata or {}}).decode("utf-8")  # raises if it could not travel
        assert not any(s in text for s in STRAY if s != "Exception"), text[:300]
        Wire.sent.append((msg_type, data))


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    """The real data/, a fixed 'today', no store left from another test, and a kernel-like wire."""
    monkeypatch.delenv("BALINT_KIT_DATA", raising=False)
    monkeypatch.setattr(learner_data, "today", lambda: "2025-03-14")
    monkeypatch.setattr(comm, "create_comm", lambda *a, **k: Wire(*a, **k))
    Wire.sent = []
    widgets.store._store = None
    yield
    widgets.store._store = None


# --------------------------------------------------------------------------- the widgets the kit builds
BUILDERS = {
    "knowledge_check": lambda: kit.knowledge_check("01_history"),
    "reflection": lambda: kit.reflection("01_history-roots"),
    "complete_module": lambda: kit.complete_module("01_history"),
    "frame_exercise": kit.frame_exercise,
    "phase_planner": kit.phase_planner,
    "which_phase": kit.which_phase,
    "phase_timer": kit.phase_timer,
    "instructor_timer": kit.instructor_timer,
    "leader_simulator": kit.leader_simulator,
    "case_library": kit.case_library,
    "role_play": kit.role_play,
    "solo_rehearsal": kit.solo_rehearsal,
    "pledge_generator": kit.pledge_generator,
    "organiser_checklist": kit.organiser_checklist,
    "incident_exercise": kit.incident_exercise,
    "burnout_check": kit.burnout_check,
    "group_evaluation": kit.group_evaluation,
    "class_poll": kit.class_poll,
    "evidence_explorer": kit.evidence_explorer,
    "completion_record": kit.completion_record,
    "my_data": kit.my_data,
}

# What the page's own code may set (static/*.js calls model.set only in store.js), and what the
# other tests of the kit pin as browser-settable (cleaned) values. Every other synced trait of
# every widget, ipywidgets' own included (_dom_classes, layout, _esm, ...), is the kernel's.
BROWSER_SETS = {
    "BrowserStore": {"progress", "quiz", "loaded", "status"},  # store.js
    "KnowledgeCheck": {"answers"},  # tests/test_widgets.py: cleaned, not refused
    "Reflection": {"prompt"},  # tests/test_widgets.py: a 5000-character prompt becomes ""
    "PhaseTimer": {"plan", "plan_id", "title", "texts"},  # tests/test_timer.py: a valid plan is taken
    "Dropdown": {"index"},  # the instructor's choice of format
}

# Every widget model kit.py builds, by class: the anywidgets and the ipywidgets it puts around them.
EXPECTED_MODELS = {
    "knowledge_check": ["KnowledgeCheck"],
    "reflection": ["Reflection"],
    "complete_module": ["VBox", "VBox", "HTML", "HTML", "Button", "BrowserStore"],
    "frame_exercise": ["KnowledgeCheck"],
    "phase_planner": ["PhasePlanner"],
    "which_phase": ["KnowledgeCheck"],
    "phase_timer": ["PhaseTimer"],
    "instructor_timer": ["VBox", "Dropdown", "PhaseTimer"],
    "leader_simulator": ["LeaderSimulator"],
    "case_library": ["CaseLibrary"],
    "role_play": ["VBox", "RolePlay", "PhaseTimer"],
    "solo_rehearsal": ["SoloRehearsal"],
    "pledge_generator": ["PledgeGenerator"],
    "organiser_checklist": ["OrganiserChecklist"],
    "incident_exercise": ["KnowledgeCheck"],
    "burnout_check": ["BurnoutCheck"],
    "group_evaluation": ["GroupEvaluationWidget"],
    "class_poll": ["GroupEvaluationWidget"],
    "evidence_explorer": ["EvidenceExplorer"],
    "completion_record": ["_Page"],
    "my_data": ["VBox", "_Page", "BrowserStore"],
}


def models(obj) -> list[w.Widget]:
    """The widget and every widget inside it (depth first, in order)."""
    out = [obj]
    for child in getattr(obj, "children", ()) or ():
        out.extend(models(child))
    return out


def names(obj) -> list[str]:
    return [type(m).__name__ for m in models(obj)]


def stray_text(value) -> list[str]:
    text = json.dumps(value, default=repr)
    return [s for s in STRAY if s in text]


def test_every_builder_gives_the_widgets_listed_here():
    for name, build in BUILDERS.items():
        assert names(build()) == EXPECTED_MODELS[name], name


# --------------------------------------------------------------------------- set_state: the hand-written table
def store_status(junk):
    return junk[:300] if isinstance(junk, str) and junk != "\ud800" else KEEP


def reflection_prompt(junk):
    if not isinstance(junk, str) or junk == "\ud800":
        return KEEP  # the wrong kind: refused
    return junk if len(junk) <= 4000 else ""  # text: taken up to 4000 characters, else emptied


def timer_title(junk):
    return junk if isinstance(junk, str) and len(junk) <= 300 and junk != "\ud800" else KEEP


def timer_texts(junk):
    if junk == {"": ""}:
        return {"": ""}
    if junk == {"a": [1, {"b": None}], "c": "d"}:
        return {"c": "d"}
    return {} if isinstance(junk, dict) else KEEP  # a dict keeps only its text-to-text entries


def dropdown_index(junk):
    # ipywidgets' own rules: None (nothing chosen) or a whole number within the options (True is 1).
    return {None: None, 1: 1}.get(junk, KEEP) if isinstance(junk, (int, type(None))) else KEEP  # True == 1


CLEANED = {
    ("BrowserStore", "progress"): lambda junk: {} if isinstance(junk, dict) else KEEP,
    ("BrowserStore", "quiz"): lambda junk: {} if isinstance(junk, dict) else KEEP,
    ("BrowserStore", "loaded"): lambda junk: True if junk is True or (junk == 1 and type(junk) is int) else KEEP,
    ("BrowserStore", "status"): store_status,
    ("KnowledgeCheck", "answers"): lambda junk: {} if isinstance(junk, dict) else KEEP,
    ("Reflection", "prompt"): reflection_prompt,
    ("PhaseTimer", "plan"): lambda junk: KEEP,  # no junk value is a plan
    ("PhaseTimer", "plan_id"): lambda junk: (
        junk if junk == "IPY_MODEL_no-such-model" else KEEP
    ),  # the one that fits the rule
    ("PhaseTimer", "title"): timer_title,
    ("PhaseTimer", "texts"): timer_texts,
    ("Dropdown", "index"): dropdown_index,
}


@pytest.mark.parametrize("name", BUILDERS)
def test_set_state_with_junk_for_every_synced_trait(name):
    top = BUILDERS[name]()
    for m in models(top):
        cls = type(m).__name__
        allowed = BROWSER_SETS.get(cls, set())
        for key in sorted(m.keys):
            before = getattr(m, key)
            for junk in JUNK:
                m.set_state({key: junk})  # must not raise
                after = getattr(m, key)
                if key not in allowed:
                    assert after == before, (name, cls, key, repr(junk)[:60])
                    continue
                expected = CLEANED[(cls, key)](junk)
                assert after == (before if expected is KEEP else expected), (name, cls, key, repr(junk)[:60])
                setattr(m, key, before)  # back to the kernel's value for the next one
        assert not stray_text(m.get_state()), (name, cls)
    check_derived(top)


def test_an_update_of_several_traits_keeps_the_good_ones():
    box = kit.complete_module("01_history")
    store = box.children[1]
    store.set_state({"progress": [1, 2], "quiz": "junk", "loaded": True, "status": None, "_esm": "alert(1)"})
    assert (store.progress, store.quiz, store.loaded, store.status) == ({}, {}, True, "")
    assert store._esm.startswith("// ")  # the module the kernel sent stays
    store.set_state({"progress": {"01_history": {"completed": "2025-01-02"}, "99_x": {"completed": "2025-13-01"}}})
    assert store.progress == {"01_history": {"completed": "2025-01-02"}}


def test_a_refused_value_is_sent_back_so_the_page_shows_the_kernels():
    sim = kit.leader_simulator()
    Wire.sent.clear()
    sim.set_state({"view": {"screen": "end", "result": {"profile": []}}})
    assert sim.view == {"screen": "list"}
    updates = [d for kind, d in Wire.sent if kind == "comm_msg" and d.get("method") == "update"]
    assert updates == [{"method": "update", "state": {"view": {"screen": "list"}}, "buffer_paths": []}]


def test_the_knowledge_check_takes_only_answers_that_fit():
    kc = kit.knowledge_check("01_history")
    kc.set_state(
        {
            "answers": {
                "q-first-seminars": ["a"],
                "q-russia": [True],
                "q-enid": ["c", "a", "a"],
                "made-up": ["a"],
                "q-budapest-ended": [10**400],
                "q-1957": ["z"],
                "q-germany": "a",
                "q-russia-2": [0],
            }
        }
    )
    assert kc.answers == {"q-first-seminars": ["a"], "q-enid": ["a", "c"]}
    assert kc.feedback == {} and kc.score == "Answered 0 of 13; correct: 0."  # answers alone grade nothing
    assert kc.store.quiz == {}


def test_the_instructor_timer_switches_only_to_a_real_format():
    box = kit.instructor_timer()
    dropdown, timer = box.children
    for junk in (-1, 6, 10**400, "1", 1.5, [1], float("nan")):
        dropdown.set_state({"index": junk})
        assert (dropdown.index, timer.plan_id) == (0, "online-consensus"), junk
    dropdown.set_state({"index": 2})
    assert (dropdown.value, timer.plan_id, timer.title) == (
        "abs-45",
        "abs-45",
        "American style: about 45 minutes a case",
    )


def test_a_timer_plan_with_an_enormous_number_is_refused():
    timer = kit.phase_timer()
    before = timer.plan
    timer.set_state({"plan": [{"name": "Opening", "minutes": 10**400, "cue": ""}]})
    assert timer.plan == before


# --------------------------------------------------------------------------- messages
FIELDS = {
    "import": ("text",),
    "cleared": (),
    "check": ("item", "chosen", "preset", "available", "minutes"),
    "show": ("item",),
    "start": ("scenario",),
    "choose": ("choice",),
    "replay": (),
    "back": (),
    "score": ("answers",),
    "history": ("history",),
    "export": (),
    "seats": ("n", "behaviours"),
    "preset": ("id",),
    "status": ("done", "start", "now"),
}
"""Every kind of message a widget of the kit handles, with its fields."""

HANDLED = {
    "BrowserStore": ("cleared",),  # an import is checked in the browser; {"kind": "import"} is ignored
    "KnowledgeCheck": ("check", "show"),
    "PhasePlanner": ("check",),
    "LeaderSimulator": ("start", "choose", "replay", "back"),
    "BurnoutCheck": ("score", "history", "export", "import"),
    "RolePlay": ("seats", "preset"),
    "OrganiserChecklist": ("status",),
}


def hostile_messages(kinds) -> list:
    msgs = list(JUNK)  # not a dict at all
    msgs += [{"kind": k} for k in (None, 5, "", HUGE, "eval", *FIELDS)]  # any kind, without its fields
    msgs += [{"kind": "check", "item": "q-first-seminars", "chosen": ["a"], "event": "click", "extra": HUGE}]
    for kind in kinds:
        for field in FIELDS[kind]:
            msgs += [{"kind": kind, field: junk} for junk in JUNK]  # one field wrong, the others missing
        if len(FIELDS[kind]) > 1:
            msgs += [{"kind": kind, **dict.fromkeys(FIELDS[kind], junk)} for junk in JUNK]  # every field wrong
    return msgs


STOCK = {"VBox", "HTML", "Button", "Dropdown"}
"""ipywidgets' own widgets: their handlers are ipywidgets' code, reached through the guarded entry."""


def handlers(m: w.Widget) -> list:
    """The message handlers the widget registered (the kit's are called directly, so an exception shows)."""
    if type(m).__name__ in STOCK:
        return [lambda widget, msg, buffers: widget._handle_custom_msg(msg, buffers)] * len(m._msg_callbacks.callbacks)
    return list(m._msg_callbacks.callbacks)


@pytest.mark.parametrize("name", BUILDERS)
def test_hostile_messages_to_every_handler(name):
    top = BUILDERS[name]()
    for m in models(top):
        cls = type(m).__name__
        kinds = HANDLED.get(cls, ())
        expected = 1 if (kinds or cls == "Button") else 0
        assert len(handlers(m)) == expected, cls
        for msg in hostile_messages(kinds):
            for handle in handlers(m):
                handle(m, msg, [])  # must not raise
        for key in m.keys:
            assert not stray_text(getattr(m, key)), (name, cls, key)
    check_derived(top)


# Hand-written results of hostile messages, widget by widget.
def test_hostile_imports_change_nothing_in_the_store():
    # The kernel no longer reads imported files (the browser checks them, static/import_check.js):
    # whatever text a hostile client sends as an import, the store is left as it was, silently.
    store = kit.complete_module("01_history").children[1]
    store.progress = {"02_ground_rules": {"completed": "2025-01-01"}}
    sent = []
    store.send = lambda msg, buffers=None: sent.append(msg)
    forged = json.dumps(
        {
            "kit": "balint-course-kit",
            "version": 1,
            "progress": {"01_history": {"completed": "2025-01-02"}},
            "reflections": {"01_history-roots": {"text": "half a pair \ud83d"}},
            "other": {"theme": '" onmouseover=alert(1) x="'},
        }
    )
    for junk in JUNK + [
        forged,
        '{"kit": "balint-course-kit", "version": 1e400}',
        "[" * 100_000,
        '{"kit": "balint-course-kit", "version": 1, "progress": NaN}',
    ]:
        store._on_browser_message(store, {"kind": "import", "text": junk}, [])
    assert store.progress == {"02_ground_rules": {"completed": "2025-01-01"}} and store.quiz == {}
    assert store.status == ""
    assert sent == []


def test_hostile_checks_grade_nothing():
    kc = kit.knowledge_check("01_history")
    for chosen in ([], [13], [-1], [0], ["a"] * 11, [True], [0.0], ["0"], ["e"], ["A"], [10**400], None, "a"):
        kc._on_browser_message(kc, {"kind": "check", "item": "q-first-seminars", "chosen": chosen}, [])
    assert kc.answers == {} and kc.store.quiz == {}
    assert kc.score == "Answered 0 of 13; correct: 0."
    assert kc.feedback in ({}, {"q-first-seminars": {"message": "Choose an answer first, then press Check."}})


def test_hostile_plans_are_checked_not_raised():
    p = kit.phase_planner()
    # The planner's boxes send the time available as typed ("60" is a good entry); these are not.
    for available in (10**400, -1, 0, float("nan"), float("inf"), "sixty", "-1", None, True, [60]):
        p._on_browser_message(
            p,
            {
                "kind": "check",
                "preset": "online-consensus",
                "available": available,
                "minutes": {"opening": 10**400, "discussion": float("nan"), "x": "y"},
            },
            [],
        )
        assert p.result["fits"] is False
        assert (
            p.result["problems"][0] == "The time available should be a number of minutes, more than 0 and at most 600."
        )
        assert all(s["minutes"] == 0.0 for s in p.result["segments"])


def test_a_forged_choice_does_not_move_the_simulator():
    sim = kit.leader_simulator()
    first = sim.scenarios[0]["id"]
    for junk in JUNK:
        sim._on_browser_message(sim, {"kind": "start", "scenario": junk}, [])
    assert sim.view == {"screen": "list"}
    sim._on_browser_message(sim, {"kind": "start", "scenario": first}, [])
    for junk in JUNK + ["c9", "../m1"]:
        sim._on_browser_message(sim, {"kind": "choose", "choice": junk}, [])
    assert sim.view["screen"] == "play" and sim.view["step"] == 1 and sim.view["moment"]["id"] == "m1"
    assert sim.run.path == []


def test_hostile_self_check_messages_score_only_real_answers():
    b = kit.burnout_check()
    b._on_browser_message(
        b,
        {
            "kind": "score",
            "answers": {
                "personal-1": 75,
                "personal-2": 75.0,
                "personal-3": True,
                "personal-4": 10**400,
                "personal-5": "75",
                "work-1": 80,
            },
        },
        [],
    )
    assert b.result["answers"] == {"personal-1": 75}
    assert [s["score"] for s in b.result["scales"]] == [None, None, None]
    history = [
        {"date": "2025-01-02", "answers": {"personal-1": 50}},
        {"date": "2025-01-02\n", "answers": {"personal-1": 0}},
        {"date": "2025-02-30", "answers": {"personal-1": 0}},
        {"date": "2025-01-03", "answers": "x"},
        "junk",
        None,
    ]
    b._on_browser_message(b, {"kind": "history", "history": history}, [])
    assert b.trend["rows"] == [{"date": "2025-01-02", "scores": [None, None, None]}]
    Wire.sent.clear()
    b._on_browser_message(b, {"kind": "import", "text": "date,personal-1\n2025-01-01," + "7" * 200_000 + "\n"}, [])
    b._on_browser_message(b, {"kind": "import", "text": "date,personal-1\n2025-02-30,50\n"}, [])
    kinds = [d["content"]["kind"] for kind, d in Wire.sent if kind == "comm_msg" and d.get("method") == "custom"]
    assert kinds == ["import-failed", "import-failed"]


def test_hostile_seat_counts_get_a_plain_sentence():
    play = kit.role_play().children[0]
    for n in (None, True, -1, 2, 41, 10**400, 3.0, "7", [7], float("nan")):
        play._on_browser_message(play, {"kind": "seats", "n": n, "behaviours": True}, [])
        assert play.seating["error"].startswith("The roles could not be assigned: "), n
    play._on_browser_message(play, {"kind": "seats", "n": 3, "behaviours": "yes"}, [])
    assert play.seating == {"roles": ["leader", "presenter", "member"], "behaviours": [None, None, None]}


def test_hostile_checklist_times_give_a_report():
    c = kit.organiser_checklist()
    for start in (
        "0001-01-01T00:00",
        "9999-12-31T23:59",
        "2026-12-03T18:30+14:00",
        "x" * 41,
        5,
        None,
        "2026-02-30T10:00",
    ):
        c._on_browser_message(
            c,
            {"kind": "status", "done": ["notice-1", 5, None, "x" * 10_000], "start": start, "now": "2026-12-01T09:00"},
            [],
        )
        assert [s["id"] for s in c.report["steps"]] == ["notice", "pledge", "test", "session"], start
    assert c.report["steps"][0]["state"] == "open"  # no usable start: nothing is due


# --------------------------------------------------------------------------- the comm path itself
def test_no_traceback_reaches_the_page_through_the_comm_path(monkeypatch, caplog):
    """Through ipywidgets' own entry point: a failure there would be shown with ip.showtraceback()."""
    shown = []

    class Shell:
        def showtraceback(self, *a, **k):
            shown.append(a)

    import ipywidgets.widgets.widget as wmod

    monkeypatch.setattr(wmod, "get_ipython", lambda: Shell())
    caplog.set_level(logging.DEBUG)
    for build in BUILDERS.values():
        for m in models(build()):
            for key in m.keys:
                for junk in (None, 10**400, "\ud800", float("nan"), DEEP, [HUGE]):
                    m._handle_msg(
                        {
                            "content": {"data": {"method": "update", "state": {key: junk}, "buffer_paths": []}},
                            "buffers": [],
                        }
                    )
            for msg in (
                None,
                {"kind": "check", "item": 5},
                {"kind": "import", "text": 5},
                {"kind": "seats", "n": 10**400},
                {"kind": "status", "start": "0001-01-01T00:00"},
                {"event": "click"},
            ):
                m._handle_msg({"content": {"data": {"method": "custom", "content": msg}}, "buffers": []})
    assert shown == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


# --------------------------------------------------------------------------- derived state
MODULE = re.compile(r"^[0-9]{2}_[a-z_]+$")
STATES = {"done", "open", "overdue", "due-soon", "later"}


def real_date(text) -> bool:
    try:
        return isinstance(text, str) and len(text) == 10 and date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def check_derived(top) -> None:
    """What each widget works out for itself is still well formed."""
    for m in models(top):
        cls = type(m).__name__
        strict_json(m.get_state())  # everything the page may ask for again can travel
        if cls == "BrowserStore":
            assert m.progress == learner_data.clean_progress(m.progress)
            assert m.quiz == learner_data.clean_quiz(m.quiz)
            assert isinstance(m.status, str) and len(m.status) <= 300
        elif cls == "KnowledgeCheck":
            ids = {i["id"]: [o["id"] for o in i["options"]] for i in m.items}
            assert all(k in ids and v and all(c in ids[k] for c in v) for k, v in m.answers.items())
            assert set(m.feedback) <= set(ids)
            right, total = re.fullmatch(r"Answered (\d+) of (\d+); correct: (\d+)\.", m.score).group(1, 2)
            assert int(right) <= int(total) == len(ids)
        elif cls == "PhasePlanner" and m.result:
            assert set(m.result) == {"head", "fits", "problems", "segments", "listing"}
            assert all(math.isfinite(s["minutes"]) and s["minutes"] >= 0 for s in m.result["segments"])
        elif cls == "LeaderSimulator":
            assert m.view["screen"] in ("list", "play", "end")
        elif cls == "BurnoutCheck":
            for s in m.result.get("scales", []):
                assert s["score"] is None or 0 <= s["score"] <= 100
            for row in m.trend.get("rows", []):
                assert real_date(row["date"])
                assert all(v is None or 0 <= v <= 100 for v in row["scores"])
        elif cls == "RolePlay":
            seating = m.seating
            if "roles" in seating:
                assert roleplay.MIN_PARTICIPANTS <= len(seating["roles"]) <= roleplay.MAX_PARTICIPANTS
                assert seating["roles"].count("leader") == 1 and seating["roles"].count("presenter") == 1
            elif seating:
                assert set(seating) == {"error"} and seating["error"].startswith("The roles could not be assigned: ")
            assert m.plan_id in {p.id for p in content.session().presets}
        elif cls == "OrganiserChecklist" and m.report:
            assert {s["state"] for s in m.report["steps"]} <= STATES
        elif cls == "PhaseTimer":
            assert 1 <= len(m.plan) <= 20 and all(0.05 <= p["minutes"] <= 240 for p in m.plan)
