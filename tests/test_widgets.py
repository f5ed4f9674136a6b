"""The widgets, driven from Python: build them, set values, click, and look at their state."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import ipywidgets as w
import pytest
import yaml
from IPython.display import HTML

import widgets.store
from widgets import content, kit, learner_data
from widgets.quiz_view import KnowledgeCheck
from widgets.store import BrowserStore

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Hand-read fixture data: the texts and the quiz as the course files hold them.
UI = yaml.safe_load((DATA / "ui" / "en.yaml").read_text(encoding="utf-8"))["strings"]
QUIZ = yaml.safe_load((DATA / "quizzes" / "01_history.yaml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    """Real data/, a fixed 'today', and no store left over from another test."""
    monkeypatch.delenv("BALINT_KIT_DATA", raising=False)
    monkeypatch.setattr(learner_data, "today", lambda: "2025-03-14")
    widgets.store._store = None
    yield
    widgets.store._store = None


@pytest.fixture
def store():
    return BrowserStore(texts={k: v for k, v in UI.items() if k.startswith(("import", "delete", "export", "store-"))})


def esc(text: str) -> str:
    return html.escape(text)


# --------------------------------------------------------------------------- BrowserStore
def test_store_keeps_valid_progress_from_the_browser(store):
    store.set_state(
        {
            "progress": {
                "01_history": {"completed": "2025-01-02"},
                "nonsense": {"completed": "2025-01-02"},
                "02_ground_rules": {"completed": "<script>"},
            }
        }
    )
    assert store.progress == {"01_history": {"completed": "2025-01-02"}}


def test_store_keeps_valid_quiz_from_the_browser(store):
    store.set_state(
        {
            "quiz": {
                "01_history": {
                    "q-enid": {
                        "chosen": ["a", "c"],
                        "correct": False,
                        "tries": 2,
                        "first_try": False,
                        "revealed": True,
                    },
                    "q-bad": {"chosen": ["A"], "correct": True, "tries": 1, "first_try": True, "revealed": False},
                    "q-worse": "yes",
                },
                "../etc": {
                    "q-enid": {"chosen": ["a"], "correct": True, "tries": 1, "first_try": True, "revealed": False}
                },
            }
        }
    )
    assert store.quiz == {
        "01_history": {
            "q-enid": {"chosen": ["a", "c"], "correct": False, "tries": 2, "first_try": False, "revealed": True}
        }
    }


def test_store_migrates_answers_saved_as_positions(store):
    # Before options had ids the browser kept positions in the file: 0 is the first option (a).
    store.set_state(
        {
            "quiz": {
                "01_history": {
                    "q-enid": {"chosen": [2, 0], "correct": False},
                    "q-first-seminars": {"chosen": [0], "correct": True},
                    "q-far": {"chosen": [7], "correct": True},
                },
                "02_frame_exercise": {"sc-late": {"chosen": [3], "correct": False}},
            }
        }
    )
    assert store.quiz == {
        "01_history": {
            "q-enid": {"chosen": ["a", "c"], "correct": False, "tries": 1, "first_try": False, "revealed": False},
            # q-far is no item of the quiz file: migrated with the default ids (h is the eighth).
            "q-far": {"chosen": ["h"], "correct": True, "tries": 1, "first_try": True, "revealed": False},
            "q-first-seminars": {"chosen": ["a"], "correct": True, "tries": 1, "first_try": True, "revealed": False},
        },
        "02_frame_exercise": {
            "sc-late": {"chosen": ["d"], "correct": False, "tries": 1, "first_try": False, "revealed": False}
        },
    }


def test_store_migrates_positions_to_an_items_own_ids(store, data_copy):
    # A quiz file whose item names its options: a position becomes the id at that place in the file.
    path = data_copy / "quizzes" / "01_history.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for n, option in enumerate(raw["items"][0]["options"]):
        option["id"] = f"place-{n + 1}"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    store.set_state({"quiz": {"01_history": {raw["items"][0]["id"]: {"chosen": [1], "correct": False}}}})
    assert store.quiz == {
        "01_history": {
            raw["items"][0]["id"]: {
                "chosen": ["place-2"],
                "correct": False,
                "tries": 1,
                "first_try": False,
                "revealed": False,
            }
        }
    }


def test_store_texts_and_status_ignore_wrong_kinds(store):
    store.set_state({"status": "x" * 400})
    assert store.status == "x" * 300
    store.texts = {"a": "b", "c": 3}
    assert store.texts == {"a": "b"}


def test_mark_complete(store):
    store.mark_complete("01_history")
    assert store.progress == {"01_history": {"completed": "2025-03-14"}}
    assert store.is_complete("01_history")
    assert not store.is_complete("02_ground_rules")


def entry(chosen, correct, tries=1, first_try=None, revealed=False):
    return {
        "chosen": chosen,
        "correct": correct,
        "tries": tries,
        "first_try": correct if first_try is None else first_try,
        "revealed": revealed,
    }


def test_record_answer(store):
    store.record_answer("01_history", "q-enid", entry(["a", "b"], False))
    store.record_answer("01_history", "q-russia", entry(["a", "b", "c"], True))
    store.record_answer("01_history", "q-enid", entry(["a", "b", "c"], True, tries=2, first_try=False))
    assert store.quiz == {
        "01_history": {
            "q-enid": {"chosen": ["a", "b", "c"], "correct": True, "tries": 2, "first_try": False, "revealed": False},
            "q-russia": {"chosen": ["a", "b", "c"], "correct": True, "tries": 1, "first_try": True, "revealed": False},
        }
    }


def test_record_answer_that_does_not_fit_is_dropped(store):
    store.record_answer("01_history", "q-enid", entry([42], True))
    store.record_answer("01_history", "q-russia", entry(["a"], True, tries=0))
    assert store.quiz == {}


def good_export() -> str:
    return json.dumps(
        {
            "kit": "balint-course-kit",
            "version": 1,
            "progress": {"01_history": {"completed": "2025-02-01"}},
            "quiz": {"01_history": {"q-enid": {"chosen": [0, 1, 2], "correct": True}}},
            "reflections": {"01_history-roots": {"text": "Private.", "saved": "2025-02-01T09:00"}},
            "other": {"theme": "dark"},
        }
    )


def test_an_import_message_with_the_files_text_is_ignored(store, monkeypatch):
    # The browser reads and checks an imported file itself (static/import_check.js) and never sends
    # its text; a client that still sends {"kind": "import", "text": ...} (an old page, a script)
    # changes nothing, is told nothing and gets nothing back.
    sent = []
    monkeypatch.setattr(store, "send", lambda msg, buffers=None: sent.append(msg))
    store.progress = {"02_ground_rules": {"completed": "2025-01-01"}}
    store.quiz = {"01_history": {"q-russia": entry(["d"], False)}}
    for text in (good_export(), "this is not json", '{"kit": "something-else", "version": 1}', "x" * 2_000_001, 5):
        store._on_browser_message(store, {"kind": "import", "text": text}, [])
    assert store.progress == {"02_ground_rules": {"completed": "2025-01-01"}}
    assert store.quiz == {
        "01_history": {
            "q-russia": {"chosen": ["d"], "correct": False, "tries": 1, "first_try": False, "revealed": False}
        }
    }
    assert store.status == ""
    assert sent == []


def test_an_imported_files_progress_and_answers_arrive_as_traits_and_are_checked_again(store):
    # What store.js does after checking a file: the merged progress and answers set on the traits.
    # A forged entry a changed page might slip past the browser's check is dropped here too.
    store.set_state(
        {
            "progress": {
                "01_history": {"completed": "2025-02-01"},
                "02_ground_rules": {"completed": "2025-02-30"},
                "../x": {"completed": "2025-02-01"},
            },
            "quiz": {
                "01_history": {
                    "q-enid": {"chosen": [0, 1, 2], "correct": True},
                    "q-russia": {"chosen": ["a"], "correct": True, "tries": 0, "first_try": True, "revealed": False},
                }
            },
        }
    )
    assert store.progress == {"01_history": {"completed": "2025-02-01"}}
    assert store.quiz == {
        "01_history": {
            "q-enid": {"chosen": ["a", "b", "c"], "correct": True, "tries": 1, "first_try": True, "revealed": False}
        }
    }


def test_cleared_message_empties_the_store(store):
    store.progress = {"01_history": {"completed": "2025-01-01"}}
    store.quiz = {"01_history": {"q-enid": entry(["a"], False)}}
    store._on_browser_message(store, {"kind": "cleared"}, [])
    assert store.progress == {}
    assert store.quiz == {}
    assert store.status == "Your progress, answers and reflections were deleted from this browser."


def test_other_messages_are_ignored(store):
    store.progress = {"01_history": {"completed": "2025-01-01"}}
    store._on_browser_message(store, ["import"], [])
    store._on_browser_message(store, {"kind": "launch-rockets"}, [])
    assert store.progress == {"01_history": {"completed": "2025-01-01"}}
    assert store.status == ""


# --------------------------------------------------------------------------- KnowledgeCheck
@pytest.fixture
def check(store):
    return KnowledgeCheck(content.quiz("01_history"), store, content.ui())


def press_check(check, item_id, chosen):
    """What the browser sends when the learner presses Check."""
    check._on_browser_message(check, {"kind": "check", "item": item_id, "chosen": chosen}, [])


def feedback_text(check, item_id) -> str:
    f = check.feedback[item_id]
    if "message" in f:
        return f["message"]
    return f["head"] + "\n" + "\n".join(f"{e['tag']} {e['option']}: {e['text']}" for e in f["entries"])


def press_show(check, item_id):
    """What the browser sends when the learner presses Show the answer."""
    check._on_browser_message(check, {"kind": "show", "item": item_id}, [])


def test_knowledge_check_has_every_item_and_no_answer_key(check):
    assert [i["id"] for i in check.items] == [i["id"] for i in QUIZ["items"]]
    # Each option with its id (its letter in the file), in the file's order: the browser shuffles.
    assert check.items[0]["options"] == [
        {"id": letter, "text": o["text"]} for letter, o in zip("abcd", QUIZ["items"][0]["options"], strict=True)
    ]
    # The browser is never sent which option is correct, nor the feedback before an answer.
    synced = json.dumps(check.get_state())
    assert '"correct"' not in synced
    assert QUIZ["items"][0]["options"][0]["feedback"] not in synced
    assert check.score == f"Answered 0 of {len(QUIZ['items'])}; correct: 0."


def test_first_wrong_try_gives_feedback_on_the_choice_only(check, store):
    options = QUIZ["items"][0]["options"]
    assert options[0]["correct"] is True  # q-first-seminars: a (Budapest) is right
    press_check(check, "q-first-seminars", ["b"])
    f = check.feedback["q-first-seminars"]
    fb = feedback_text(check, "q-first-seminars")
    assert (
        f["head"] == "Not quite. Read why, then try again: choose another answer and press Check, or show the answer."
    )
    assert [e["id"] for e in f["entries"]] == ["b"]
    assert "Your choice, but not right:" in fb and options[1]["feedback"] in fb
    # Nothing in what the browser is sent names the right option or carries its feedback.
    sent = json.dumps(check.get_state())
    assert options[0]["feedback"] not in sent and options[0]["text"] not in json.dumps(check.feedback)
    assert '"right": true' not in json.dumps(check.feedback)
    assert f["retry"] is True and f["revealed"] is False
    assert store.quiz == {"01_history": {"q-first-seminars": entry(["b"], False)}}
    assert check.score == f"Answered 1 of {len(QUIZ['items'])}; correct: 0."


def test_second_wrong_try_reveals_the_answer(check, store):
    options = QUIZ["items"][0]["options"]
    press_check(check, "q-first-seminars", ["b"])
    press_check(check, "q-first-seminars", ["c"])
    f = check.feedback["q-first-seminars"]
    assert f["head"] == "Not this time. Here is the right answer, and why."
    assert [(e["id"], e["right"], e["tag"]) for e in f["entries"]] == [
        ("c", False, "Your choice, but not right:"),
        ("a", True, "The right answer:"),
    ]
    assert options[0]["feedback"] in feedback_text(check, "q-first-seminars")
    assert options[1]["feedback"] not in feedback_text(check, "q-first-seminars")
    assert f["retry"] is False and f["revealed"] is True
    assert store.quiz == {"01_history": {"q-first-seminars": entry(["c"], False, tries=2, revealed=True)}}


def test_show_the_answer_reveals_it(check, store):
    options = QUIZ["items"][0]["options"]
    press_show(check, "q-first-seminars")  # not offered before a try: nothing happens
    assert check.feedback == {} and store.quiz == {}
    press_check(check, "q-first-seminars", ["d"])
    press_show(check, "q-first-seminars")
    f = check.feedback["q-first-seminars"]
    assert [(e["id"], e["right"]) for e in f["entries"]] == [("d", False), ("a", True)]
    assert options[0]["feedback"] in feedback_text(check, "q-first-seminars")
    assert store.quiz == {"01_history": {"q-first-seminars": entry(["d"], False, tries=1, revealed=True)}}


def test_right_after_a_wrong_try(check, store):
    options = QUIZ["items"][0]["options"]
    press_check(check, "q-first-seminars", ["b"])
    press_check(check, "q-first-seminars", ["a"])
    fb = feedback_text(check, "q-first-seminars")
    assert fb.startswith("Correct.")
    assert "Your choice, and right:" in fb and options[0]["feedback"] in fb
    assert options[1]["feedback"] not in fb
    assert check.answers == {"q-first-seminars": ["a"]}
    assert store.quiz == {"01_history": {"q-first-seminars": entry(["a"], True, tries=2, first_try=False)}}
    assert check.score == f"Answered 1 of {len(QUIZ['items'])}; correct: 1."


def test_single_choice_right_answer(check, store):
    options = QUIZ["items"][0]["options"]
    press_check(check, "q-first-seminars", ["a"])
    fb = feedback_text(check, "q-first-seminars")
    assert "Correct." in fb
    assert "Your choice, and right:" in fb
    assert options[0]["feedback"] in fb
    assert options[1]["feedback"] not in fb
    assert check.feedback["q-first-seminars"]["retry"] is False
    assert check.answers == {"q-first-seminars": ["a"]}
    assert store.quiz == {"01_history": {"q-first-seminars": entry(["a"], True)}}
    assert check.score == f"Answered 1 of {len(QUIZ['items'])}; correct: 1."


def test_multiple_choice_partly_right(check, store):
    assert check.items[2]["id"] == "q-enid"
    options = QUIZ["items"][2]["options"]
    assert [o["correct"] for o in options] == [True, True, True, False, False]  # a, b, c right; d, e not
    press_check(check, "q-enid", ["a", "d"])
    fb = feedback_text(check, "q-enid")
    assert options[0]["feedback"] in fb and options[3]["feedback"] in fb
    assert options[1]["feedback"] not in fb and options[2]["feedback"] not in fb
    assert "Also right, and not chosen:" not in fb
    assert fb.count("Your choice, but not right:") == 1
    assert fb.count("Your choice, and right:") == 1
    assert store.quiz == {"01_history": {"q-enid": entry(["a", "d"], False)}}
    # Every pick right but one missing: said so, still without naming it.
    press_check(check, "q-enid", ["b"])
    assert check.feedback["q-enid"]["head"].startswith("Not this time.")  # the second wrong try reveals
    fb = feedback_text(check, "q-enid")
    assert fb.count("Also right, and not chosen:") == 2
    assert options[0]["feedback"] in fb and options[2]["feedback"] in fb


def test_multiple_choice_all_picks_right_but_not_all(check):
    press_check(check, "q-enid", ["a", "b"])
    f = check.feedback["q-enid"]
    assert f["head"] == (
        "Right so far, but not every right option is chosen yet. "
        "Try again: add what is missing and press Check, or show the answer."
    )
    assert [e["id"] for e in f["entries"]] == ["a", "b"]


def test_check_with_nothing_chosen(check, store):
    press_check(check, "q-first-seminars", [])
    assert UI["quiz-choose-first"] == "Choose an answer first, then press Check."
    assert feedback_text(check, "q-first-seminars") == "Choose an answer first, then press Check."
    assert store.quiz == {}
    press_check(check, "q-enid", [])
    assert feedback_text(check, "q-enid") == "Choose an answer first, then press Check."
    assert store.quiz == {}


@pytest.mark.parametrize(
    "msg",
    [
        {"kind": "check", "item": "q-first-seminars", "chosen": ["z"]},
        {"kind": "check", "item": "q-first-seminars", "chosen": ["a", "b"]},
        {"kind": "check", "item": "q-first-seminars", "chosen": [0]},
        {"kind": "check", "item": "q-first-seminars", "chosen": [True]},
        {"kind": "check", "item": "no-such-item", "chosen": ["a"]},
        {"kind": "check", "item": ["q-first-seminars"], "chosen": ["a"]},
        {"kind": "check", "item": "q-first-seminars", "chosen": ["a"] * 50},
        {"kind": "show", "item": "q-first-seminars"},
        {"kind": "show", "item": ["q-first-seminars"]},
        {"kind": "eval", "code": "import os"},
        "not a dict",
    ],
)
def test_hostile_check_messages_are_refused(check, store, msg):
    check._on_browser_message(check, msg, [])
    assert store.quiz == {}
    assert check.answers == {}
    assert all("entries" not in f for f in check.feedback.values())


def test_answers_set_from_the_browser_are_cleaned(check):
    check.set_state(
        {"answers": {"q-first-seminars": ["a"], "q-enid": ["x"], "made-up": ["a"], "q-book": "x", "q-russia": [0]}}
    )
    assert check.answers == {"q-first-seminars": ["a"]}


def test_saved_answers_are_restored_when_the_browser_has_loaded(store):
    kc = KnowledgeCheck(content.quiz("01_history"), store, content.ui())
    store.set_state(
        {
            "quiz": {
                "01_history": {
                    "q-first-seminars": entry(["a"], True, tries=2, first_try=False),
                    "q-enid": entry(["a", "b", "c"], True),
                    "q-budapest-ended": entry(["b"], False),
                }
            }
        }
    )
    store.set_state({"loaded": True})
    assert kc.answers == {"q-first-seminars": ["a"], "q-enid": ["a", "b", "c"], "q-budapest-ended": ["b"]}
    assert "Correct." in feedback_text(kc, "q-first-seminars")
    assert kc.feedback["q-budapest-ended"]["retry"] is True  # one wrong try: still to be tried again
    assert kc.score == f"Answered 3 of {len(QUIZ['items'])}; correct: 2."
    # Restoring records nothing new: the tries are those saved.
    assert store.quiz["01_history"]["q-first-seminars"]["tries"] == 2
    # The next try after a reload is the second.
    kc._on_browser_message(kc, {"kind": "check", "item": "q-budapest-ended", "chosen": ["c"]}, [])
    assert store.quiz["01_history"]["q-budapest-ended"] == entry(["c"], False, tries=2, revealed=True)


def test_saved_answers_from_before_ids_are_restored(store):
    kc = KnowledgeCheck(content.quiz("01_history"), store, content.ui())
    store.set_state({"quiz": {"01_history": {"q-first-seminars": {"chosen": [1], "correct": False}}}, "loaded": True})
    assert kc.answers == {"q-first-seminars": ["b"]}
    assert [e["id"] for e in kc.feedback["q-first-seminars"]["entries"]] == ["b"]


# --------------------------------------------------------------------------- kit functions
def test_kit_knowledge_check_is_a_widget():
    kc = kit.knowledge_check("01_history")
    assert isinstance(kc, KnowledgeCheck)
    assert kc.store is widgets.store._store


def test_broken_quiz_gives_an_error_panel_and_the_timeline_still_works(data_copy):
    shutil.copyfile(FIXTURES / "broken_yaml.yaml", data_copy / "quizzes" / "01_history.yaml")
    panel = kit.knowledge_check("01_history")
    assert isinstance(panel, HTML)
    assert "quizzes/01_history.yaml" in panel.data
    assert 'class="kit-error"' in panel.data
    assert "near line 5" in panel.data
    assert "Traceback" not in panel.data
    chart = kit.timeline()
    assert isinstance(chart, HTML)
    assert "kit-chart" in chart.data
    assert "kit-error" not in chart.data


def test_quiz_with_two_correct_options_gives_an_error_panel(data_copy):
    shutil.copyfile(FIXTURES / "quiz_two_correct.yaml", data_copy / "quizzes" / "01_history.yaml")
    panel = kit.knowledge_check("01_history")
    assert isinstance(panel, HTML)
    assert "data/quizzes/01_history.yaml" in panel.data
    assert "exactly one correct option" in panel.data


def test_missing_quiz_gives_an_error_panel():
    panel = kit.knowledge_check("09_nothing")
    assert isinstance(panel, HTML)
    assert "quizzes/09_nothing.yaml" in panel.data
    assert "missing" in panel.data


def test_quiz_citing_an_unknown_source(data_copy):
    path = data_copy / "quizzes" / "01_history.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[dbg-leben-und-werk]", "[no-such-book]", 1), encoding="utf-8"
    )
    panel = kit.knowledge_check("01_history")
    assert isinstance(panel, HTML)
    assert "no-such-book" in panel.data


def test_broken_ui_file_still_gives_a_panel(data_copy):
    (data_copy / "ui" / "en.yaml").write_text("strings: [\n", encoding="utf-8")
    panel = kit.objectives("01_history")
    assert isinstance(panel, HTML)
    assert "ui/en.yaml" in panel.data
    assert "Please tell your course leader." in panel.data


def test_unexpected_failure_is_a_plain_message(monkeypatch):
    def boom():
        raise RuntimeError("secret internals /srv/path")

    monkeypatch.setattr(content, "timeline", boom)
    panel = kit.timeline()
    assert isinstance(panel, HTML)
    assert "Something went wrong while preparing this part of the page." in panel.data
    assert "secret internals" not in panel.data
    assert "Traceback" not in panel.data


def test_objectives():
    out = kit.objectives("01_history")
    assert "In this module you will learn to" in out.data
    assert "Time to complete: about 45 minutes." in out.data
    assert "<li>describe how Michael and Enid Balint developed case discussion seminars" in out.data


def test_objectives_of_unknown_module():
    out = kit.objectives("99_nothing")
    assert "kit-error" in out.data
    assert "99_nothing" in out.data


def test_course_map(data_copy):
    (data_copy / "course_map.yaml").write_text(
        """
title: "Test course"
modules:
  - {id: 01_history, number: 1, title: "History", status: ready, minutes: 45, summary: "S1.", objectives: ["O1"]}
  - {id: 02_ground_rules, number: 2, title: "Rules", status: ready, minutes: 40, summary: "S2.", objectives: ["O2"]}
  - {id: 04_leadership, number: 4, title: "Leading", status: in-preparation, minutes: 60, summary: "S4.", objectives: ["O4"]}
tools:
  - {id: instructor/timer, title: "Phase timer", summary: "For class.", audience: instructors}
""",
        encoding="utf-8",
    )
    out = kit.course_map()
    assert '<a href="01_history.ipynb">History</a>' in out.data
    assert 'data-kit-progress="01_history"' in out.data
    assert 'data-kit-progress="02_ground_rules"' in out.data
    assert 'data-kit-progress="04_leadership"' not in out.data
    assert '<a href="04_leadership.ipynb">' not in out.data
    assert "Modules available now: about 85 minutes of study in all." in out.data
    assert '<a href="instructor/timer.ipynb">Phase timer</a>' in out.data
    assert "for instructors" in out.data


def test_reflection():
    r = kit.reflection("01_history-roots")
    assert isinstance(r, kit.Reflection)
    assert r.prompt_id == "01_history-roots"
    assert r.prompt.startswith("Balint's first groups in Budapest broke up")
    assert r.hint.startswith("Start with one concrete setting")
    assert r.texts["reflection-not-saved"] == "Nothing written yet."
    r.set_state({"prompt": "p" * 5000})
    assert r.prompt == ""


def test_unknown_reflection():
    out = kit.reflection("01_history-nothing")
    assert isinstance(out, HTML)
    assert "01_history-nothing" in out.data


def _answers(item_ids, shape="today"):
    """Stored answers for ``item_ids``: the format of today, or the one with retries (issue 14)."""
    if shape == "today":
        return {i: {"chosen": [0], "correct": False} for i in item_ids}
    return {i: {"chosen": ["a"], "correct": True, "tries": 2, "first_try": False, "revealed": False} for i in item_ids}


def test_complete_module_is_refused_until_every_question_is_tried():
    out = kit.complete_module("01_history")
    assert isinstance(out, w.VBox)
    card, store = out.children
    assert store is widgets.store._store
    head, state, button = card.children
    ids = [item["id"] for item in QUIZ["items"]]
    total = len(ids)
    store.set_state({"loaded": True})
    assert button.description == "Mark module 1 as complete"
    assert button.disabled
    assert f"{total} questions of {total} not yet tried." in state.value
    assert "once you have tried every question of its knowledge check" in state.value
    button.click()  # a click that reaches the kernel anyway is refused
    assert store.progress == {}
    # All but three answered (wrong answers count as tried): three are missing.
    store.set_state({"quiz": {"01_history": _answers(ids[:-3])}})
    assert f"3 questions of {total} not yet tried." in state.value
    assert button.disabled
    button.click()
    assert store.progress == {}
    # All but one: the singular form.
    store.set_state({"quiz": {"01_history": _answers(ids[:-1])}})
    assert f"1 question of {total} not yet tried." in state.value
    # Another module's answers do not count for this one.
    store.set_state({"quiz": {"01_history": _answers(ids[:-1]), "02_ground_rules": _answers([ids[-1]])}})
    assert f"1 question of {total} not yet tried." in state.value
    # Every question tried: allowed.
    store.set_state({"quiz": {"01_history": _answers(ids)}})
    assert not button.disabled
    assert "You have tried every question of the knowledge check" in state.value
    button.click()
    assert store.progress == {"01_history": {"completed": "2025-03-14"}}
    assert "Completed on 2025-03-14." in state.value
    assert button.description == "Unmark module 1 (not complete)"
    # Unmark: the module is no longer complete, and can be marked again.
    button.click()
    assert store.progress == {}
    assert button.description == "Mark module 1 as complete"
    assert not button.disabled
    button.click()
    assert store.progress == {"01_history": {"completed": "2025-03-14"}}


def test_an_item_counts_as_tried_once_it_has_an_entry_in_either_format():
    # The stored format of today, and the one with retries that issue 14 brings.
    ids = ["q-a", "q-b", "q-c"]
    assert kit.attempted(_answers(["q-a", "q-c"]), ids) == ["q-a", "q-c"]
    assert kit.attempted(_answers(["q-b"], shape="retries"), ids) == ["q-b"]
    assert kit.attempted({"q-old": {"chosen": [0], "correct": True}}, ids) == []  # an item no longer in the quiz
    assert kit.attempted({}, ids) == []
    assert kit.attempted("nonsense", ids) == []


def test_complete_module_says_nothing_wrong_before_the_browser_has_read_its_store():
    out = kit.complete_module("01_history")
    (_, state, button), store = out.children[0].children, out.children[1]
    assert not store.loaded
    assert button.disabled
    assert "not yet tried" not in state.value


def test_complete_module_without_a_readable_quiz_can_still_be_marked(data_copy):
    (data_copy / "quizzes" / "01_history.yaml").write_text("module: 01_history\nitems: nonsense\n", encoding="utf-8")
    out = kit.complete_module("01_history")
    (_, state, button), store = out.children[0].children, out.children[1]
    store.loaded = True
    assert not button.disabled
    assert "Mark it complete to put a tick beside it" in state.value
    button.click()
    assert store.progress == {"01_history": {"completed": "2025-03-14"}}


def test_complete_module_shows_progress_imported_later():
    out = kit.complete_module("01_history")
    (_, state, button), store = out.children[0].children, out.children[1]
    store.set_state({"progress": {"01_history": {"completed": "2024-11-30"}}})
    assert "Completed on 2024-11-30." in state.value
    assert button.description == "Unmark module 1 (not complete)"


def test_one_store_per_page():
    a = kit.complete_module("01_history").children[1]
    b = kit.knowledge_check("01_history").store
    assert a is b


def test_sources_has_an_anchor_for_every_link():
    notebook = (ROOT / "course" / "01_history.ipynb").read_text(encoding="utf-8")
    keys = set(re.findall(r"#ref-([a-z][a-z0-9-]*)", notebook))
    assert len(keys) >= 10
    out = kit.sources("01_history")
    assert isinstance(out, HTML)
    for key in keys:
        assert f'id="ref-{key}"' in out.data, key


def test_sources_include_the_quiz_and_timeline_sources():
    out = kit.sources("01_history")
    keys = {k for item in QUIZ["items"] for k in item["sources"]}
    timeline = yaml.safe_load((DATA / "timeline.yaml").read_text(encoding="utf-8"))
    keys |= {k for e in timeline["events"] for k in e["sources"]}
    for key in keys:
        assert f'id="ref-{key}"' in out.data, key


def test_sources_of_a_missing_notebook():
    out = kit.sources("09_nothing")
    assert "kit-error" in out.data
    assert "09_nothing.ipynb" in out.data


def test_format_reference():
    ref = content.Reference.model_validate(
        {
            "key": "x",
            "kind": "article",
            "authors": ["Johnson AH", "Nease DE Jr"],
            "title": "Balint & co",
            "year": 2004,
            "container": "J Balint Soc",
            "volume": "32",
            "issue": "2",
            "pages": "1-5",
            "doi": "10.1234/jbs.2004",
            "verified": "doi",
        }
    )
    assert kit.format_reference(ref) == (
        "Johnson AH, Nease DE Jr (2004). <i>Balint &amp; co</i>. J Balint Soc 32(2):1-5. "
        '<a href="https://doi.org/10.1234/jbs.2004" rel="noopener" target="_blank">doi:10.1234/jbs.2004</a>'
    )


def test_format_reference_marks_an_unverified_entry_with_its_reason():
    ref = content.Reference.model_validate(
        {
            "key": "y",
            "kind": "web",
            "authors": ["Nobody N"],
            "title": "Gone",
            "year": 2001,
            "url": "https://example.org/gone",
            "verified": "unverified",
            "why": "The page could not be seen.",
        }
    )
    assert kit.format_reference(ref) == (
        "Nobody N (2001). <i>Gone</i>. "
        '<a href="https://example.org/gone" rel="noopener" target="_blank">https://example.org/gone</a> '
        '<span class="kit-unverified"><b>Not verified:</b> The page could not be seen.</span>'
    )


def test_how_the_sources_were_checked(data_copy):
    shutil.copyfile(FIXTURES / "bib_audit.yaml", data_copy / "bibliography.yaml")
    out = kit.sources_audit().data
    assert "kit-error" not in out
    assert "Each of the 3 publications the kit cites was checked" in out
    rows = re.findall(r'<tr data-verified="([a-z-]+)"><th scope="row">[^<]+</th><td>(\d+)</td></tr>', out)
    assert rows == [("abstract", "1"), ("page", "1"), ("unverified", "1")]  # a way no entry used has no row
    assert "Not verified (1): why" in out
    assert re.findall(r'<li id="audit-([a-z-]+)">', out) == ["c-lost"]
    assert "<b>Not verified:</b> The page could not be seen when the references were checked." in out


# --------------------------------------------------------------------------- the session planner
def test_planner_checks_what_the_browser_sends():
    p = kit.phase_planner()
    assert [x["id"] for x in p.presets][0] == "online-consensus"
    # The browser sends the numbers once, when the learner presses Check.
    p._on_browser_message(p, {"kind": "check", "preset": "online-consensus", "available": 10, "minutes": {}}, [])
    assert p.result["fits"] is False
    assert p.result["problems"][0] == (
        "This format cannot fit in 10 minutes at all: even at its shortest it needs 42 minutes. "
        "Choose another format or find more time."
    )


@pytest.mark.parametrize(
    "msg",
    [
        {"kind": "check", "preset": "no-such-format", "available": 60, "minutes": {}},
        {"kind": "check", "preset": ["online-consensus"], "available": 60, "minutes": {}},
        {"kind": "check", "preset": "online-consensus", "available": 60, "minutes": "lots"},
        {"kind": "check", "preset": "online-consensus", "available": 60, "minutes": {str(i): 1 for i in range(50)}},
        {"kind": "run", "code": "import os"},
        "not a dict",
    ],
)
def test_planner_refuses_odd_messages(msg):
    p = kit.phase_planner()
    p._on_browser_message(p, msg, [])
    assert p.result == {}


# --------------------------------------------------------------------------- the frame and which-phase exercises
@pytest.mark.parametrize("build", ["frame_exercise", "which_phase", "incident_exercise"])
def test_the_exercises_reveal_the_answer_only_after_a_second_try(build):
    """A first wrong try hears why that choice is wrong, not which is right (nor the case's explanation)."""
    kc = getattr(kit, build)()
    assert isinstance(kc, KnowledgeCheck)
    for item in kc.quiz.items:
        right = next(o for o in item.options if o.correct)
        wrong = [o for o in item.options if not o.correct]
        kc._on_browser_message(kc, {"kind": "check", "item": item.id, "chosen": [wrong[0].id]}, [])
        f = kc.feedback[item.id]
        assert [e["id"] for e in f["entries"]] == [wrong[0].id] and f["retry"] is True
        if build != "incident_exercise":  # the incident file's wording is the quiz authors' (data/quizzes/)
            assert right.feedback not in wrong[0].feedback, item.id
        kc._on_browser_message(kc, {"kind": "check", "item": item.id, "chosen": [wrong[-1].id]}, [])
        f = kc.feedback[item.id]
        assert [(e["id"], e["right"]) for e in f["entries"]] == [(wrong[-1].id, False), (right.id, True)]
        assert f["entries"][1]["text"] == right.feedback and f["revealed"] is True


def test_frame_wrong_choices_say_why_without_the_answer():
    t = content.ui()
    assert t["frame-not-this-rule"] == "Not quite: this rule is not what is at stake here."
    assert t["frame-at-risk"] == "Not quite: the frame is at risk here."
    kc = kit.frame_exercise()
    for item in kc.quiz.items:
        for o in item.options:
            if not o.correct:
                assert o.feedback in (t["frame-not-this-rule"], t["frame-at-risk"]), item.id
