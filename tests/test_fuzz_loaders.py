"""Hypothesis fuzzing of every data loader and every scoring function.

Loaders: ``content.load`` reads every kind of data file (each schema of ``content.SCHEMAS``
and the quizzes/, scenarios/, instruments/ and cases/ folders) from a temporary
``BALINT_KIT_DATA`` folder holding random text, random bytes, the real file garbled as an
editor might garble it, or the real file with one value replaced by junk. The only
exception allowed is ``ContentError``, and its message names the file.

Scoring: the simulator's profile on random paths, the self-check's scoring, cleaning and
CSV import, the planner's check, quiz grading, the role-play seats, the checklist's status,
the class poll's validation and store, and the learner-data import, each on random input:
no exception but the documented one, and outputs within their documented ranges.

Examples are few per test (a slow machine): the whole file runs in well under a minute.
``BALINT_KIT_FUZZ_SCALE=25`` multiplies them for a longer hunt.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import os
import random
import re
import string
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitserver import poll_store as poll
from widgets import (
    content,
    instrument,
    learner_data,
    online,
    planner,
    quiz,
    roleplay,
    simulator,
)

DATA = Path(__file__).resolve().parent.parent / "data"
SCALE = float(os.environ.get("BALINT_KIT_FUZZ_SCALE", "1"))
"""More examples for a longer hunt: BALINT_KIT_FUZZ_SCALE=25 runs 25 times as many."""
FUZZ = settings(
    deadline=None,
    max_examples=int(12 * SCALE),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SCORING = settings(deadline=None, max_examples=int(60 * SCALE), suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- the files to fuzz
FIRST = {
    folder: min((DATA / folder).glob("*.yaml")).name for folder in ("quizzes", "scenarios", "instruments", "cases")
}
FILES = sorted(content.SCHEMAS) + [f"{folder}/{name}" for folder, name in FIRST.items()]
"""One file of every kind the kit reads: each named schema, and the first file of each folder."""


def test_every_kind_of_file_is_fuzzed():
    assert len(FILES) == len(content.SCHEMAS) + 4 == 19
    assert {content.schema_for(f) for f in FILES} == set(content.SCHEMAS.values()) | {
        content.Quiz,
        content.Scenario,
        content.Instrument,
        content.Case,
    }


_counter = itertools.count()


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-data")


@contextmanager
def data_folder(root: Path, relpath: str, payload: bytes):
    """A fresh data folder (so no cached result is reused) holding only ``relpath``."""
    folder = root / f"ex{next(_counter)}"
    target = folder / relpath
    target.parent.mkdir(parents=True)
    target.write_bytes(payload)
    old = os.environ.get("BALINT_KIT_DATA")
    os.environ["BALINT_KIT_DATA"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            del os.environ["BALINT_KIT_DATA"]
        else:
            os.environ["BALINT_KIT_DATA"] = old


def read_through_the_kit(relpath: str):
    """What a page does: the folder kinds through their shortcut (which also checks the id)."""
    folder, _, name = relpath.partition("/")
    stem = name.removesuffix(".yaml")
    return {
        "quizzes": content.quiz,
        "scenarios": content.scenario,
        "instruments": content.instrument,
        "cases": content.case,
    }.get(folder, lambda _: content.load(relpath))(stem)


def assert_loads_or_names_the_file(root: Path, relpath: str, payload: bytes) -> None:
    with data_folder(root, relpath, payload):
        try:
            model = read_through_the_kit(relpath)
        except content.ContentError as exc:
            message = str(exc)
            assert message.startswith(f"The course file data/{relpath} has a problem: "), message[:200]
            assert exc.file == relpath
            assert "Traceback" not in message and len(message) < 2000, message[:200]
        else:
            assert isinstance(model, content.schema_for(relpath))


# --------------------------------------------------------------------------- strategies for files
_real_text = {f: (DATA / f).read_text(encoding="utf-8") for f in FILES}
_real_tree = {f: yaml.safe_load(t) for f, t in _real_text.items()}
_dump = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

YAML_BITS = [
    ":",
    " :",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "|",
    ">",
    "'",
    '"',
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "#",
    "\t",
    "\n",
    "  ",
    "? ",
    "!!binary ",
    "~",
    "null",
    ".nan",
    "\x00",
    "\ufeff",
]

json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", " ", "10.1000/x", "x" * 5000, "2025-01-01", "<b>", "{0}"]),
)
junk_scalar = st.one_of(json_scalar, st.dates())  # YAML reads a bare 2025-01-01 as a date


def _tree(scalar):
    return st.recursive(
        scalar,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
        max_leaves=12,
    )


junk_value = _tree(json_scalar)
"""Anything JSON can carry (NaN and infinity included: the kernel's JSON reader takes them)."""
yaml_value = _tree(junk_scalar)


@st.composite
def garbled(draw, relpath: str) -> bytes:
    """The real file after a few edits of the kind a hurried instructor makes."""
    text = _real_text[relpath]
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 400)))
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate", "indent", "dedent", "swap-lines"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            bit = draw(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=20)))
            text = text[:i] + bit + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "truncate":
            text = text[:i]
        else:
            lines = text.split("\n")
            k = draw(st.integers(0, len(lines) - 1))
            if op == "indent":
                lines[k] = "  " + lines[k]
            elif op == "dedent":
                lines[k] = lines[k].lstrip()
            else:
                m = draw(st.integers(0, len(lines) - 1))
                lines[k], lines[m] = lines[m], lines[k]
            text = "\n".join(lines)
    return text.encode("utf-8", "surrogatepass")


def _paths(node, prefix=()):
    """Every place in a YAML tree where a value sits."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


_all_paths = {f: list(_paths(tree)) for f, tree in _real_tree.items()}


@st.composite
def one_value_wrong(draw, relpath: str) -> bytes:
    """The real file with one value replaced by junk, one record removed or one added field."""
    tree = copy.deepcopy(_real_tree[relpath])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_all_paths[relpath][1:]))
        parent = tree
        try:
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            parent[last]  # still there after an earlier change?
        except (KeyError, IndexError, TypeError):
            continue
        op = draw(st.sampled_from(["replace", "replace", "remove", "add-field", "duplicate"]))
        if op == "replace":
            parent[last] = draw(yaml_value)
        elif op == "remove":
            del parent[last]
        elif op == "add-field" and isinstance(parent[last], dict):
            parent[last][draw(st.text(string.ascii_lowercase, min_size=1, max_size=8))] = draw(junk_scalar)
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return yaml.dump(tree, Dumper=_dump, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")


any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


@pytest.mark.parametrize("relpath", FILES)
@FUZZ
@given(data=st.data())
def test_a_garbled_file_loads_or_names_itself(root, relpath, data):
    payload = data.draw(st.one_of(garbled(relpath), one_value_wrong(relpath)))
    assert_loads_or_names_the_file(root, relpath, payload)


@pytest.mark.parametrize("relpath", FILES)
@FUZZ
@given(
    payload=st.one_of(
        st.binary(max_size=300),
        any_text.map(lambda s: s.encode("utf-8")),
        yaml_value.map(lambda v: yaml.dump(v, Dumper=_dump, allow_unicode=True).encode("utf-8")),
    )
)
def test_random_bytes_load_or_name_the_file(root, relpath, payload):
    assert_loads_or_names_the_file(root, relpath, payload)


def test_the_real_files_still_load(root):
    for relpath in FILES:
        assert_loads_or_names_the_file(root, relpath, (DATA / relpath).read_bytes())
        with data_folder(root, relpath, (DATA / relpath).read_bytes()):
            assert isinstance(read_through_the_kit(relpath), content.schema_for(relpath))


# --------------------------------------------------------------------------- scoring: the simulator
LEADERSHIP = content.leadership()
SKILLS = [s.id for s in LEADERSHIP.skills]
SCENARIOS = {sid: content.scenario(sid) for sid in content.scenario_ids()}


@SCORING
@given(
    sid=st.sampled_from(sorted(SCENARIOS)),
    picks=st.lists(st.integers(0, 3), max_size=40),
    forged=st.lists(st.text(max_size=10), max_size=3),
)
def test_the_profile_of_any_path_is_from_0_to_100(sid, picks, forged):
    run = simulator.Run(SCENARIOS[sid], SKILLS)
    for pick, junk in itertools.zip_longest(picks, forged):
        if run.finished:
            break
        if junk is not None and junk not in {c.id for c in run.current.choices}:
            before = (run.current_id, list(run.path))
            with pytest.raises(ValueError):
                run.choose(junk)
            assert (run.current_id, run.path) == before
        if pick is not None:
            choices = run.current.choices
            run.choose(choices[pick % len(choices)].id)
    profile = run.profile()
    assert list(profile) == SKILLS
    assert all(v is None or (0 <= v <= 100 and round(v, 1) == v) for v in profile.values())
    assert len(run.chosen()) == len(run.path)
    if not run.path:
        assert all(v is None for v in profile.values())
    depth = simulator.layers(run.scenario)
    assert all(step.moment in depth for step in run.path)


# --------------------------------------------------------------------------- scoring: the self-check
CBI = content.instrument("cbi")
ITEM_IDS = [i.id for i in CBI.items]
VALUES = [0, 25, 50, 75, 100]
answer_value = st.one_of(
    st.sampled_from(VALUES),
    st.integers(-200, 200),
    st.integers(min_value=10**20),
    st.floats(),
    st.booleans(),
    st.none(),
    st.text(max_size=4),
    st.lists(st.integers(), max_size=2),
)
raw_answers = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(ITEM_IDS), st.text(max_size=12)), answer_value, max_size=25), junk_value
)


def assert_scored(answers: dict) -> None:
    results = instrument.score(CBI, answers)
    assert [r.scale for r in results] == [s.id for s in CBI.scales]
    for r, scale in zip(results, CBI.scales, strict=True):
        assert 0 <= r.answered <= r.items == sum(1 for i in CBI.items if i.scale == scale.id)
        assert r.needed == scale.min_answered
        assert (r.score is None) == (r.answered < r.needed)
        assert r.score is None or (0 <= r.score <= 100 and round(r.score, 1) == r.score)


@SCORING
@given(raw=raw_answers)
def test_any_answers_are_cleaned_then_scored_from_0_to_100(raw):
    answers = instrument.clean_answers(CBI, raw)
    assert set(answers) <= set(ITEM_IDS)
    assert all(type(v) is int and v in VALUES for v in answers.values())
    assert_scored(answers)


def real_day(text) -> bool:
    try:
        return isinstance(text, str) and date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


day = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(["2025-02-30", "2025-13-01", "2025-01-01\n", "01/02/2025", ""]),
    st.text(max_size=12),
    st.integers(),
)
attempt = st.fixed_dictionaries({"date": day, "answers": raw_answers})


@SCORING
@given(raw=st.one_of(st.lists(st.one_of(attempt, junk_value), max_size=8), junk_value))
def test_any_history_is_cleaned_to_real_days(raw):
    history = instrument.clean_history(CBI, raw)
    assert len(history) <= instrument.MAX_ATTEMPTS
    assert [e["date"] for e in history] == sorted(e["date"] for e in history)
    for entry in history:
        assert real_day(entry["date"]) and entry["answers"]
        assert entry["answers"] == instrument.clean_answers(CBI, entry["answers"])
        assert_scored(entry["answers"])


csv_cell = st.one_of(
    st.sampled_from(["", "0", "25", "50", "75", "100", "80", "-1", "1e2", "high", '"', "\x00", "2025-01-01"]),
    st.text(max_size=6),
)


@st.composite
def csv_like(draw) -> str:
    header = draw(
        st.lists(
            st.one_of(st.sampled_from(["date", "\ufeffdate", *ITEM_IDS, "score-work"]), st.text(max_size=6)),
            min_size=1,
            max_size=8,
        )
    )
    rows = draw(st.lists(st.lists(csv_cell, max_size=9), max_size=5))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return end.join(sep.join(r) for r in [header, *rows])


@SCORING
@given(text=st.one_of(csv_like(), any_text, junk_value))
def test_any_csv_imports_or_says_why(text):
    try:
        history = instrument.from_csv(CBI, text)
    except instrument.ImportProblem as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        assert history and len(history) <= instrument.MAX_ATTEMPTS
        for entry in history:
            assert real_day(entry["date"]) and entry["answers"] == instrument.clean_answers(CBI, entry["answers"])


@SCORING
@given(
    history=st.lists(
        st.fixed_dictionaries(
            {
                "date": st.dates().map(date.isoformat),
                "answers": st.dictionaries(st.sampled_from(ITEM_IDS), st.sampled_from(VALUES), min_size=1),
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_csv_export_reads_back_as_it_was(history):
    history = sorted(history, key=lambda e: e["date"])
    assert instrument.from_csv(CBI, instrument.to_csv(CBI, history)) == history
    assert instrument.merge(history, history) == history  # importing what is there already adds nothing


def test_a_csv_field_beyond_the_csv_limit_is_a_plain_problem():
    with pytest.raises(instrument.ImportProblem, match="^the file is not a CSV file written by this self-check$"):
        instrument.from_csv(CBI, "date,personal-1\n2025-01-01," + "7" * 200_000 + "\n")
    with pytest.raises(instrument.ImportProblem, match="^row 2 has no date in the form YYYY-MM-DD$"):
        instrument.from_csv(CBI, "date,personal-1\n2025-02-30,50\n")
    assert instrument.clean_history(CBI, [{"date": "2025-01-02\n", "answers": {"personal-1": 50}}]) == []


# --------------------------------------------------------------------------- scoring: the planner
SESSION = content.session()
PROBLEMS = {"bad-available", "cannot-fit", "missing", "below", "above", "over-total", "not-a-number", "negative"}
minutes_value = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10, 700),
    st.integers(min_value=10**300),
    st.none(),
    st.booleans(),
    st.text(max_size=4),
    st.lists(st.integers(), max_size=1),
)


@SCORING
@given(
    preset=st.sampled_from(SESSION.presets),
    available=minutes_value,
    minutes=st.dictionaries(
        st.one_of(st.sampled_from([p.id for p in SESSION.phases]), st.text(max_size=6)), minutes_value, max_size=12
    ),
)
def test_any_plan_is_checked_with_known_problems(preset, available, minutes):
    problems = planner.check_plan(preset, available, minutes)
    assert {p.kind for p in problems} <= PROBLEMS
    assert all(p.phase in (None, *(pp.phase for pp in preset.phases)) for p in problems)
    total = planner.plan_total(preset, minutes)
    assert math.isfinite(total) or math.isinf(total)
    if not problems:
        avail = planner.usable(available)
        assert avail is not None and 0 < avail <= planner.MAX_AVAILABLE and total <= avail
        for pp in preset.phases:
            assert pp.min <= planner.usable(minutes[pp.phase]) <= pp.max


def test_an_enormous_number_of_minutes_is_not_a_number():
    assert planner.usable(10**400) is None
    preset = SESSION.preset("online-consensus")
    assert [p.kind for p in planner.check_plan(preset, 10**400, {})][:2] == ["bad-available", "missing"]


# --------------------------------------------------------------------------- scoring: quiz grading
QUIZ_ITEMS = [item for f in sorted((DATA / "quizzes").glob("*.yaml")) for item in content.quiz(f.stem).items]


@SCORING
@given(
    item=st.sampled_from(QUIZ_ITEMS),
    chosen=st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "A", ""]) | st.integers(-3, 12), max_size=12),
)
def test_any_choice_is_graded_or_refused(item, chosen):
    ids = [o.id for o in item.options]
    right = {o.id for o in item.options if o.correct}
    try:
        verdict = quiz.grade(item, chosen)
    except quiz.InvalidChoice:
        picks = set(chosen)
        assert not picks or any(i not in ids for i in picks) or (item.kind == "single" and len(picks) != 1)
        return
    assert verdict.correct == (set(chosen) == right)
    # Feedback on the chosen options only, in the file's order; the missed ones kept apart for the reveal.
    assert [oid for oid, _, _ in verdict.feedback] == [i for i in ids if i in set(chosen)]
    missed = {oid for oid, _ in verdict.missed}
    assert missed == right - set(chosen)
    by_id = {o.id: o for o in item.options}
    assert all(is_right == by_id[i].correct and text == by_id[i].feedback for i, is_right, text in verdict.feedback)


@SCORING
@given(
    results=st.dictionaries(
        st.one_of(st.sampled_from([i.id for i in QUIZ_ITEMS[:13]]), st.text(max_size=8)), st.booleans()
    )
)
def test_the_quiz_score_counts_only_its_own_items(results):
    items = QUIZ_ITEMS[:13]
    right, total = quiz.score(results, items)
    assert total == len(items) and 0 <= right <= min(total, len(results))


# --------------------------------------------------------------------------- scoring: role-play seats
@SCORING
@given(
    n=st.one_of(
        st.integers(-100, 100),
        st.integers(min_value=10**20),
        st.floats(),
        st.booleans(),
        st.none(),
        st.text(max_size=3),
    ),
    share=st.floats(0, 1),
    seed=st.integers(0, 2**32),
)
def test_any_number_of_participants_is_seated_or_refused(n, share, seed):
    try:
        seats = roleplay.seats(n)
    except roleplay.AssignmentProblem as exc:
        assert str(exc)
        assert not (type(n) is int and roleplay.MIN_PARTICIPANTS <= n <= roleplay.MAX_PARTICIPANTS)
        return
    assert type(n) is int and len(seats) == n
    assert seats.count("leader") == 1 and seats.count("presenter") == 1
    assert seats.count("co-leader") == (1 if n >= roleplay.CO_LEADER_FROM else 0)
    assert len(seats) - seats.count("observer") == min(n, roleplay.GROUP_LIMIT)
    members = seats.count("member")
    ids = [b.id for b in content.roles().behaviours]
    given_out = roleplay.hand_out_behaviours(members, ids, share=share, rng=random.Random(seed))
    handed = [b for b in given_out if b]
    assert len(given_out) == members and len(handed) == len(set(handed)) == min(len(ids), int(members * share))


# --------------------------------------------------------------------------- scoring: the online checklist
ONLINE = content.online()
CHECK_ITEMS = [i.id for s in ONLINE.checklist for i in s.items]


@SCORING
@given(
    done=st.one_of(
        st.lists(st.one_of(st.sampled_from(CHECK_ITEMS), st.text(max_size=5), st.integers()), max_size=30), junk_value
    ),
    start=st.one_of(st.none(), st.datetimes()),
    now=st.datetimes(),
)
def test_any_checklist_state_is_reported(done, start, now):
    ticked = online.clean_done(ONLINE.checklist, done)
    assert ticked <= set(CHECK_ITEMS)
    for st_, step in zip(online.status(ONLINE.checklist, ticked, start, now), ONLINE.checklist, strict=True):
        assert st_.step == step.id and 0 <= st_.done <= st_.total == len(step.items)
        assert st_.state in {"done", "open", "overdue", "due-soon", "later"}
        assert (st_.state == "done") == (not st_.open_items)
        if start is None or step.minutes_before is None:
            assert st_.due is None
        if st_.state in ("overdue", "due-soon", "later"):
            assert st_.due is not None


@SCORING
@given(text=st.one_of(any_text, st.datetimes().map(lambda d: d.isoformat(timespec="minutes")), junk_value))
def test_any_time_text_is_a_minute_or_nothing(text):
    value = online.parse_local(text)
    assert value is None or (value.tzinfo is None and value.second == 0 and value.microsecond == 0)


def test_a_session_in_the_year_1_has_nothing_due():
    start = online.parse_local("0001-01-01T00:00")
    states = online.status(ONLINE.checklist, set(), start, datetime(2026, 1, 1))
    assert [s.due for s in states if s.due is None] and all(s.state in ("open", "overdue") for s in states)


# --------------------------------------------------------------------------- scoring: the class poll
poll_answer = st.one_of(st.integers(-2, 12), st.booleans(), st.floats(), st.none(), st.text(max_size=2))


@SCORING
@given(
    answers=st.one_of(st.lists(poll_answer, max_size=14), junk_value),
    statements=st.one_of(st.none(), st.integers(1, 12)),
)
def test_poll_answers_are_valid_only_as_whole_numbers_0_to_9(answers, statements):
    ok = poll.valid_answers(answers, statements)
    expected = (
        isinstance(answers, list)
        and 1 <= len(answers) <= poll.MAX_STATEMENTS
        and (statements is None or len(answers) == statements)
        and all(type(a) is int and 0 <= a <= 9 for a in answers)
    )
    assert ok == expected
    if ok:
        assert poll.decode_answers(poll.encode_answers(answers)) == answers


@SCORING
@given(
    rows=st.lists(st.lists(st.integers(0, 9), min_size=6, max_size=6).map(poll.encode_answers), max_size=12),
    threshold=st.integers(1, 8),
)
def test_the_class_view_counts_every_answer_once(rows, threshold):
    view = poll.view(len(rows), len(rows), poll.tally(rows, 6), threshold)
    assert view["responses"] == len(rows) and view["shown"] == (len(rows) >= threshold)
    if view["shown"]:
        assert len(view["statements"]) == 6 and all(sum(counts) == len(rows) for counts in view["statements"])
    else:
        assert view["statements"] is None


@SCORING
@given(code=st.one_of(any_text, junk_value), token=st.one_of(any_text, junk_value))
def test_codes_and_tokens_are_checked(code, token):
    canonical = poll.normalise_code(code)
    assert canonical is None or re.fullmatch(f"[{poll.CODE_ALPHABET}]{{6}}", canonical)
    assert poll.valid_token(token) == (
        isinstance(token, str) and re.fullmatch(r"[A-Za-z0-9_-]{16,128}", token) is not None
    )


@pytest.fixture(scope="module")
def class_poll(tmp_path_factory):
    store = poll.SQLiteStore(tmp_path_factory.mktemp("poll") / "poll.sqlite", today=lambda: date(2026, 1, 1))
    code, key = store.create_class()
    return store, code, key


@settings(deadline=None, max_examples=int(40 * SCALE))
@given(data=st.data())
def test_the_poll_store_answers_any_submission_with_a_status(class_poll, data):
    store, code, key = class_poll
    sent_code = data.draw(st.one_of(st.just(code), st.just(code.lower()), any_text, junk_value))
    token = data.draw(st.one_of(st.text(string.ascii_letters + "_-", min_size=16, max_size=20), any_text, junk_value))
    answers = data.draw(
        st.one_of(st.lists(st.integers(0, 9), min_size=6, max_size=6), st.lists(poll_answer, max_size=8), junk_value)
    )
    status = store.submit(sent_code, token, answers)
    assert status in {poll.RECEIVED, poll.ALREADY_SENT, poll.UNKNOWN_CLASS, poll.INVALID}
    if status in (poll.RECEIVED, poll.ALREADY_SENT):
        assert poll.valid_token(token) and poll.valid_answers(answers, 6) and poll.normalise_code(sent_code) == code
    view = store.results(code, key)
    assert view["responses"] >= (1 if status == poll.RECEIVED else 0)


# --------------------------------------------------------------------------- learner data: an imported file
# The browser reads and checks the file (static/import_check.js, tests/js/import_check.test.mjs);
# the kernel sees only its progress and answers, set on the store's traits, and checks them again.
def portable(value) -> bool:
    try:
        json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except (ValueError, TypeError):
        return False
    return True


export_like = st.fixed_dictionaries(
    {"kit": st.one_of(st.just("balint-course-kit"), junk_value), "version": st.one_of(st.just(1), junk_value)},
    optional={
        "progress": st.one_of(
            st.dictionaries(
                st.one_of(st.just("01_history"), st.text(max_size=12)),
                st.one_of(st.fixed_dictionaries({"completed": day}), junk_value),
                max_size=3,
            ),
            junk_value,
        ),
        "quiz": st.one_of(
            st.dictionaries(
                st.just("01_history"),
                st.dictionaries(
                    st.one_of(st.just("q-enid"), st.text(max_size=8)),
                    st.one_of(
                        st.fixed_dictionaries(
                            {"chosen": st.lists(st.integers(-1, 11), max_size=11), "correct": st.booleans()}
                        ),
                        junk_value,
                    ),
                    max_size=3,
                ),
                max_size=1,
            ),
            junk_value,
        ),
        "reflections": st.one_of(
            st.dictionaries(
                st.one_of(st.just("01_history-roots"), st.text(max_size=10)),
                st.one_of(st.fixed_dictionaries({"text": st.text(max_size=50)}), junk_value),
                max_size=3,
            ),
            junk_value,
        ),
        "other": st.one_of(
            st.dictionaries(st.sampled_from(["cbi-history", "timer:abc", "solo:a:b", "nope"]), junk_value, max_size=3),
            junk_value,
        ),
    },
)


def _as_object(value) -> dict:
    return value if isinstance(value, dict) else {}  # what the browser sends for a part that is not one


@SCORING
@given(doc=export_like, text=st.one_of(any_text, export_like.map(json.dumps), junk_value))
def test_any_import_reaches_the_kernel_cleaned_and_its_text_not_at_all(doc, text):
    from widgets.store import BrowserStore

    store = BrowserStore()
    sent = []
    store.send = lambda msg, buffers=None: sent.append(msg)
    store.set_state({"progress": _as_object(doc.get("progress")), "quiz": _as_object(doc.get("quiz"))})
    assert store.progress == learner_data.clean_progress(store.progress)
    assert all(real_day(v["completed"]) for v in store.progress.values())
    assert store.quiz == learner_data.clean_quiz(store.quiz)
    assert portable({"progress": store.progress, "quiz": store.quiz})  # it goes back to the page
    before = (store.progress, store.quiz, store.status)
    store._on_browser_message(store, {"kind": "import", "text": text}, [])  # an old page, or a script
    assert (store.progress, store.quiz, store.status) == before and sent == []
