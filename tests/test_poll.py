"""The class poll's store (kitserver/poll_store.py) on SQLite and on a real PostgreSQL.

Every store test runs twice: on an SQLite file in a temporary folder, and on the
PostgreSQL that ``make test`` starts (``BALINT_KIT_TEST_PG_URL``), in a schema of
its own that is dropped afterwards. Expected values are written out by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import stat
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from kitserver import poll_store as poll

PG_ENV = "BALINT_KIT_TEST_PG_URL"

# Five learners' answers to the six statements, and what the instructor should see.
A = [0, 9, 5, 3, 7, 2]
B = [1, 9, 5, 4, 7, 2]
C = [2, 8, 5, 4, 6, 2]
D = [0, 9, 4, 4, 7, 3]
E = [9, 0, 5, 4, 7, 2]
COUNTS_ABCDE = [
    # how many gave 0, 1, 2, ..., 9
    [2, 1, 1, 0, 0, 0, 0, 0, 0, 1],  # statement 1: 0, 1, 2, 0, 9
    [1, 0, 0, 0, 0, 0, 0, 0, 1, 3],  # statement 2: 9, 9, 8, 9, 0
    [0, 0, 0, 0, 1, 4, 0, 0, 0, 0],  # statement 3: 5, 5, 5, 4, 5
    [0, 0, 0, 1, 4, 0, 0, 0, 0, 0],  # statement 4: 3, 4, 4, 4, 4
    [0, 0, 0, 0, 0, 0, 1, 4, 0, 0],  # statement 5: 7, 7, 6, 7, 7
    [0, 0, 4, 1, 0, 0, 0, 0, 0, 0],  # statement 6: 2, 2, 2, 3, 2
]
SHOWN_ABCDE = {"responses": 5, "threshold": 5, "shown": True, "shown_n": 5, "next_at": 10, "statements": COUNTS_ABCDE}

# Five more, for the second batch, and the counts of all ten (A to J).
F = [9, 9, 9, 9, 9, 9]
G = [0, 0, 0, 0, 0, 0]
H = [5, 5, 5, 5, 5, 5]
I = [3, 1, 4, 1, 5, 9]  # noqa: E741 -- the answer sets are lettered A to J, and I is one of them
J = [2, 7, 1, 8, 2, 8]
COUNTS_A_TO_J = [
    [3, 1, 2, 1, 0, 1, 0, 0, 0, 2],  # statement 1: 0, 1, 2, 0, 9, 9, 0, 5, 3, 2
    [2, 1, 0, 0, 0, 1, 0, 1, 1, 4],  # statement 2: 9, 9, 8, 9, 0, 9, 0, 5, 1, 7
    [1, 1, 0, 0, 2, 5, 0, 0, 0, 1],  # statement 3: 5, 5, 5, 4, 5, 9, 0, 5, 4, 1
    [1, 1, 0, 1, 4, 1, 0, 0, 1, 1],  # statement 4: 3, 4, 4, 4, 4, 9, 0, 5, 1, 8
    [1, 0, 1, 0, 0, 2, 1, 4, 0, 1],  # statement 5: 7, 7, 6, 7, 7, 9, 0, 5, 5, 2
    [1, 0, 4, 1, 0, 1, 0, 0, 1, 2],  # statement 6: 2, 2, 2, 3, 2, 9, 0, 5, 9, 8
]
# A to G: the seven responses of a class opened by the previous version (no batches).
COUNTS_A_TO_G = [
    [3, 1, 1, 0, 0, 0, 0, 0, 0, 2],  # statement 1: 0, 1, 2, 0, 9, 9, 0
    [2, 0, 0, 0, 0, 0, 0, 0, 1, 4],  # statement 2: 9, 9, 8, 9, 0, 9, 0
    [1, 0, 0, 0, 1, 4, 0, 0, 0, 1],  # statement 3: 5, 5, 5, 4, 5, 9, 0
    [1, 0, 0, 1, 4, 0, 0, 0, 0, 1],  # statement 4: 3, 4, 4, 4, 4, 9, 0
    [1, 0, 0, 0, 0, 0, 1, 4, 0, 1],  # statement 5: 7, 7, 6, 7, 7, 9, 0
    [1, 0, 4, 1, 0, 0, 0, 0, 0, 1],  # statement 6: 2, 2, 2, 3, 2, 9, 0
]
# ... and after eight more who all answered 4: the column for 4 grows by eight.
COUNTS_A_TO_G_AND_EIGHT_FOURS = [
    [3, 1, 1, 0, 8, 0, 0, 0, 0, 2],
    [2, 0, 0, 0, 8, 0, 0, 0, 1, 4],
    [1, 0, 0, 0, 9, 4, 0, 0, 0, 1],
    [1, 0, 0, 1, 12, 0, 0, 0, 0, 1],
    [1, 0, 0, 0, 8, 0, 1, 4, 0, 1],
    [1, 0, 4, 1, 8, 0, 0, 0, 0, 1],
]


def token() -> str:
    """A browser's token as the page makes it: random, URL-safe."""
    return secrets.token_urlsafe(24)


# --------------------------------------------------------------------------- PostgreSQL set-up
def pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(f"{PG_ENV} is not set: run `make test`, which starts a PostgreSQL for the tests")
    return url


@contextmanager
def postgres_schema():
    """A fresh, empty schema in the test PostgreSQL; yields a URL whose search_path is that schema."""
    import psycopg

    base = pg_url()
    schema = f"poll_test_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}", schema
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    """(url, inspect): a store URL and a function giving {table: (columns, rows)} of what is stored."""
    if request.param == "sqlite":
        path = tmp_path / "poll.sqlite"

        def inspect() -> dict:
            conn = sqlite3.connect(path)
            try:
                names = [
                    r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                ]
                return {
                    n: (
                        [(r[1], r[2].upper()) for r in conn.execute(f"PRAGMA table_info({n})")],
                        sorted(conn.execute(f"SELECT * FROM {n}").fetchall()),
                    )
                    for n in names
                }
            finally:
                conn.close()

        yield f"sqlite:{path}", inspect
        return

    import psycopg

    with postgres_schema() as (url, schema):

        def inspect() -> dict:
            with psycopg.connect(url) as conn:
                names = [
                    r[0]
                    for r in conn.execute(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY table_name",
                        (schema,),
                    )
                ]
                out = {}
                for n in names:
                    cols = conn.execute(
                        "SELECT column_name, upper(data_type) FROM information_schema.columns "
                        "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                        (schema, n),
                    ).fetchall()
                    rows = sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {n}").fetchall())
                    out[n] = (cols, rows)
                return out

        yield url, inspect


@pytest.fixture
def store(backend):
    return poll.open_store(backend[0])


# --------------------------------------------------------------------------- the operations
def test_a_class_is_opened_with_a_short_code_and_a_long_key(store, backend):
    code, key = store.create_class()
    assert re.fullmatch("[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", code)
    assert len(key) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", key)  # 32 random bytes: 256 bits
    assert store.results(code, key) == {"responses": 0, "threshold": 5, "shown": False, "statements": None}

    # Only a hash of the key is kept.
    classes = backend[1]()["poll_class"][1]
    assert len(classes) == 1
    assert key not in repr(classes)
    assert hashlib.sha256(key.encode()).hexdigest() in classes[0]


def test_codes_are_distinct_and_use_the_unambiguous_alphabet(store):
    codes = {store.create_class()[0] for _ in range(30)}
    assert len(codes) == 30
    assert not set("".join(codes)) & set("0O1IL")


def test_learners_answers_are_received_and_counted(store):
    code, key = store.create_class()
    for answers in (A, B, C, D, E):
        assert store.submit(code, token(), answers) == "received"
    assert store.results(code, key) == SHOWN_ABCDE


def test_the_code_may_be_typed_in_lower_case_or_with_a_hyphen(store):
    code, key = store.create_class()
    assert store.submit(code.lower(), token(), A) == "received"
    assert store.submit(f"{code[:3]}-{code[3:]}", token(), B) == "received"
    assert store.results(code.lower(), key)["responses"] == 2


def test_what_is_stored_holds_no_identifier(store, backend):
    code, key = store.create_class()
    t = token()
    assert store.submit(code, t, A) == "received"
    tables = backend[1]()

    assert sorted(tables) == ["poll_class", "poll_response", "poll_sender"]
    class_cols, class_rows = tables["poll_class"]
    resp_cols, resp_rows = tables["poll_response"]
    # Senders are kept only where every learner is a login (sender=...): none here.
    assert [c for c, _ in tables["poll_sender"][0]] == ["class_id", "sender_hash"]
    assert tables["poll_sender"][1] == []
    assert [c for c, _ in class_cols] == [
        "id",
        "code",
        "key_hash",
        "statements",
        "expires_on",
        "shown_n",
        "shown_counts",
    ]
    assert [c for c, _ in resp_cols] == ["class_id", "token_hash", "answers"]
    # No time of day anywhere: the one date column is a plain date.
    assert not any("TIME" in typ for _, typ in class_cols + resp_cols)

    ((class_id, stored_code, _key_hash, statements, expires_on, shown_n, shown_counts),) = class_rows
    assert stored_code == code and statements == 6
    assert (shown_n, shown_counts) == (0, None)  # one response: nothing released
    assert re.fullmatch(r"[0-9a-f]{32}", class_id)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(expires_on))
    # The response: the class, sha256(class_id || token) and the six numbers; nothing else.
    assert resp_rows == [(class_id, hashlib.sha256(f"{class_id}{t}".encode()).hexdigest(), "095372")]
    everything = repr(tables)
    assert t not in everything and key not in everything


def test_one_response_per_login_per_class_whatever_the_token(backend):
    # Under JupyterHub the site passes the login as sender: the instructor (one login) cannot
    # pad a batch with four made-up answers, even with four fresh tokens.
    store = poll.open_store(backend[0], sender_secret=b"the site's secret")
    code, key = store.create_class()
    assert store.submit(code, token(), A, sender="bob") == "received"
    for _ in range(4):
        assert store.submit(code, token(), B, sender="bob") == "already-sent"
    assert store.submit(code, token(), C, sender="carol") == "received"
    assert store.results(code, key)["responses"] == 2
    # Another class: bob answers again, and nothing ties his two answers together.
    code2, _ = store.create_class()
    assert store.submit(code2, token(), D, sender="bob") == "received"
    tables = backend[1]()
    senders = tables["poll_sender"][1]
    assert len(senders) == 3
    # Two columns, the class and a keyed hash: the login itself is stored nowhere.
    assert all(len(row) == 2 and re.fullmatch(r"[0-9a-f]{64}", row[1]) for row in senders)
    assert "bob" not in repr(tables) and "carol" not in repr(tables)
    # bob's hash in the first class is not his hash in the second, and each is keyed by the secret.
    assert len({h for _, h in senders}) == 3
    class_ids = {row[0] for row in tables["poll_class"][1]}
    assert {h for _, h in senders} <= {
        poll.hash_sender(b"the site's secret", c, n) for c in class_ids for n in ("bob", "carol")
    }
    # A response row shares no value with any sender row but the class id.
    sender_values = {h for _, h in senders}
    assert not any(v in sender_values for row in tables["poll_response"][1] for v in row)


def test_an_empty_login_is_refused(store):
    code, _ = store.create_class()
    assert store.submit(code, token(), A, sender="") == "invalid"


def test_the_sender_hash_is_keyed():
    # HMAC-SHA256(secret, class_id + "\n" + name), written out: a reader of the database without the
    # secret cannot compute it from a list of logins.
    expected = hmac.new(b"s3cret", b"0123456789abcdef0123456789abcdef\nbob", hashlib.sha256).hexdigest()
    assert poll.hash_sender(b"s3cret", "0123456789abcdef0123456789abcdef", "bob") == expected
    assert poll.hash_sender(b"other", "0123456789abcdef0123456789abcdef", "bob") != expected


def test_sqlite_file_never_holds_the_token_and_is_private(tmp_path):
    path = tmp_path / "data" / "poll.sqlite"
    store = poll.open_store(f"sqlite:{path}")
    assert not path.parent.exists()  # nothing is created until the first operation
    code, key = store.create_class()
    t = token()
    assert store.submit(code, t, A) == "received"
    raw = b"".join(p.read_bytes() for p in path.parent.iterdir())
    assert t.encode() not in raw and key.encode() not in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_one_response_per_browser_per_class(store, backend):
    code1, key1 = store.create_class()
    code2, key2 = store.create_class()
    t = token()
    assert store.submit(code1, t, A) == "received"
    assert store.submit(code1, t, B) == "already-sent"
    assert store.submit(code1.lower(), t, A) == "already-sent"
    assert store.submit(code2, t, C) == "received"  # the same browser, another class

    assert store.results(code1, key1)["responses"] == 1
    assert store.results(code2, key2)["responses"] == 1
    rows = backend[1]()["poll_response"][1]
    assert len(rows) == 2
    (class_a, hash_a, _), (class_b, hash_b, _) = rows
    assert class_a != class_b and hash_a != hash_b  # nothing links the two responses
    assert sorted(r[2] for r in rows) == ["095372", "285462"]  # the first answers were kept, B was not stored


def test_the_numbers_are_shown_only_from_five_responses(store):
    code, key = store.create_class()
    tokens = [token() for _ in range(5)]
    for t, answers in zip(tokens[:4], (A, B, C, D), strict=True):
        assert store.submit(code, t, answers) == "received"
    # A browser sending again does not make a fifth response.
    assert store.submit(code, tokens[3], E) == "already-sent"
    assert store.results(code, key) == {"responses": 4, "threshold": 5, "shown": False, "statements": None}

    assert store.submit(code, tokens[4], E) == "received"
    assert store.results(code, key) == SHOWN_ABCDE


def test_the_counts_are_released_in_batches_of_five(store):
    """Two views never differ by one learner: the counts shown change at 5, 10, 15, ... responses."""
    code, key = store.create_class()
    for answers in (A, B, C, D):
        assert store.submit(code, token(), answers) == "received"
    assert store.results(code, key) == {"responses": 4, "threshold": 5, "shown": False, "statements": None}

    assert store.submit(code, token(), E) == "received"
    assert store.results(code, key) == SHOWN_ABCDE

    # The 6th to the 9th response: the total grows, the counts are still those of the first five.
    for n, answers in enumerate((F, G, H, I), start=6):
        assert store.submit(code, token(), answers) == "received"
        assert store.results(code, key) == {
            "responses": n,
            "threshold": 5,
            "shown": True,
            "shown_n": 5,
            "next_at": 10,
            "statements": COUNTS_ABCDE,
        }
    # A browser sending again changes nothing.
    t = token()
    assert store.submit(code, t, J) == "received"
    assert store.submit(code, t, A) == "already-sent"
    ten = {"responses": 10, "threshold": 5, "shown": True, "shown_n": 10, "next_at": 15, "statements": COUNTS_A_TO_J}
    assert store.results(code, key) == ten
    assert store.submit(code, token(), A) == "received"
    assert store.results(code, key) == {**ten, "responses": 11}


def test_the_stored_release_holds_only_counts(store, backend):
    code, key = store.create_class()
    for answers in (A, B, C, D, E, F):
        assert store.submit(code, token(), answers) == "received"
    assert store.results(code, key) == {**SHOWN_ABCDE, "responses": 6}
    ((*_, shown_n, shown_counts),) = backend[1]()["poll_class"][1]
    assert shown_n == 5
    assert json.loads(shown_counts) == COUNTS_ABCDE
    # Nothing in it is anyone's answers: no run of digits (each count here is below 10),
    # nor any response's six numbers in any form.
    assert not re.search(r"\d\d", shown_counts)
    assert re.fullmatch(r"\[(\[\d(,\d){9}\],){5}\[\d(,\d){9}\]\]", shown_counts)
    for answers in (A, B, C, D, E, F):
        assert poll.encode_answers(answers) not in shown_counts
        assert json.dumps(answers) not in shown_counts and str(answers) not in shown_counts


OLD_SCHEMA = {
    # The previous version's tables, exactly as it created them.
    "sqlite": [
        """
        CREATE TABLE IF NOT EXISTS poll_class (
            id          TEXT PRIMARY KEY,
            code        TEXT NOT NULL UNIQUE,
            key_hash    TEXT NOT NULL,
            statements  INTEGER NOT NULL CHECK (statements BETWEEN 1 AND 12),
            expires_on  TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS poll_response (
            class_id    TEXT NOT NULL REFERENCES poll_class (id) ON DELETE CASCADE,
            token_hash  TEXT NOT NULL,
            answers     TEXT NOT NULL
                        CHECK (answers NOT GLOB '*[^0-9]*' AND length(answers) BETWEEN 1 AND 12),
            PRIMARY KEY (class_id, token_hash)
        ) WITHOUT ROWID
        """,
    ],
    "postgresql": [
        """
        CREATE TABLE IF NOT EXISTS poll_class (
            id          TEXT PRIMARY KEY,
            code        TEXT NOT NULL UNIQUE,
            key_hash    TEXT NOT NULL,
            statements  SMALLINT NOT NULL CHECK (statements BETWEEN 1 AND 12),
            expires_on  DATE NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS poll_response (
            class_id    TEXT NOT NULL REFERENCES poll_class (id) ON DELETE CASCADE,
            token_hash  TEXT NOT NULL,
            answers     TEXT NOT NULL CHECK (answers ~ '^[0-9]{1,12}$'),
            PRIMARY KEY (class_id, token_hash)
        )
        """,
    ],
}


OLD_KEY = "an-instructors-key-" + "k" * 30


def old_database(url: str, code: str, answers: list[list[int]]) -> None:
    """Make the previous version's tables in the test database, with one class (open until
    31 March 2026) and these responses, as that version stored them."""
    kind = "sqlite" if url.startswith("sqlite:") else "postgresql"
    class_id = "0123456789abcdef0123456789abcdef"
    expires_on = "2026-03-31" if kind == "sqlite" else dt.date(2026, 3, 31)
    the_class = (class_id, code, hashlib.sha256(OLD_KEY.encode()).hexdigest(), 6, expires_on)
    responses = [
        (class_id, hashlib.sha256(f"{class_id}{token()}".encode()).hexdigest(), poll.encode_answers(a)) for a in answers
    ]
    if kind == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:"))
        with conn:
            for statement in OLD_SCHEMA["sqlite"]:
                conn.execute(statement)
            conn.execute("INSERT INTO poll_class VALUES (?, ?, ?, ?, ?)", the_class)
            conn.executemany("INSERT INTO poll_response VALUES (?, ?, ?)", responses)
        conn.close()
    else:
        import psycopg

        with psycopg.connect(url) as conn:
            for statement in OLD_SCHEMA["postgresql"]:
                conn.execute(statement)
            conn.execute("INSERT INTO poll_class VALUES (%s, %s, %s, %s, %s)", the_class)
            conn.cursor().executemany("INSERT INTO poll_response VALUES (%s, %s, %s)", responses)


def test_a_database_from_the_previous_version_gains_the_columns_and_releases_its_class_once(backend):
    url, inspect = backend
    old_database(url, "K7QX3M", [A, B, C, D, E, F, G])
    assert [c for c, _ in inspect()["poll_class"][0]] == ["id", "code", "key_hash", "statements", "expires_on"]

    store = poll.open_store(url, today=lambda: dt.date(2026, 3, 10))
    seven = {"responses": 7, "threshold": 5, "shown": True, "shown_n": 7, "next_at": 15, "statements": COUNTS_A_TO_G}
    # Seven responses and no release yet: the first read releases all seven (they have no order).
    assert store.results("K7QX3M", OLD_KEY) == seven
    cols, ((*_, shown_n, shown_counts),) = inspect()["poll_class"]
    assert [c for c, _ in cols] == ["id", "code", "key_hash", "statements", "expires_on", "shown_n", "shown_counts"]
    assert shown_n == 7 and json.loads(shown_counts) == COUNTS_A_TO_G
    # ... once: from then on the batches hold, next at 15 (at least five more than 7), not at 10.
    assert store.results("K7QX3M", OLD_KEY) == seven
    for n in range(8, 15):
        assert store.submit("K7QX3M", token(), [4] * 6) == "received"
        assert store.results("K7QX3M", OLD_KEY) == {**seven, "responses": n}
    assert store.submit("K7QX3M", token(), [4] * 6) == "received"
    assert store.results("K7QX3M", OLD_KEY) == {
        "responses": 15,
        "threshold": 5,
        "shown": True,
        "shown_n": 15,
        "next_at": 20,
        "statements": COUNTS_A_TO_G_AND_EIGHT_FOURS,
    }
    # A second store on the same database (another server starting) finds the columns there.
    assert poll.open_store(url, today=lambda: dt.date(2026, 3, 10)).results("K7QX3M", OLD_KEY)["shown_n"] == 15
    assert len(inspect()["poll_response"][1]) == 15


def test_an_old_class_below_five_responses_is_released_at_five_as_usual(backend):
    url, inspect = backend
    old_database(url, "K7QX3M", [A, B, C])
    store = poll.open_store(url, today=lambda: dt.date(2026, 3, 10))
    assert store.results("K7QX3M", OLD_KEY) == {"responses": 3, "threshold": 5, "shown": False, "statements": None}
    assert [row[5:] for row in inspect()["poll_class"][1]] == [(0, None)]
    for answers in (D, E):
        assert store.submit("K7QX3M", token(), answers) == "received"
    assert store.results("K7QX3M", OLD_KEY) == SHOWN_ABCDE
    assert store.submit("K7QX3M", token(), F) == "received"
    assert store.results("K7QX3M", OLD_KEY) == {**SHOWN_ABCDE, "responses": 6}


def test_a_wrong_key_or_an_unknown_class_is_refused(store):
    code, key = store.create_class()
    _, other_key = store.create_class()
    assert store.submit(code, token(), A) == "received"
    for wrong in (
        "",
        "not-the-key",
        key[:-1],
        other_key,
        key.upper() if key.upper() != key else key + "x",
        None,
        42,
        "x" * 5000,
    ):
        with pytest.raises(poll.WrongKey):
            store.results(code, wrong)
    with pytest.raises(poll.UnknownClass):
        store.results("ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY", key)
    for malformed in ("", "ABC", "ABCDEFG", "0O1IL2", None, 123456):
        with pytest.raises(poll.UnknownClass):
            store.results(malformed, key)
        assert store.submit(malformed, token(), A) == "unknown-class"
    assert store.submit("ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY", token(), A) == "unknown-class"


@pytest.mark.parametrize(
    "answers",
    [
        [3, 3, 3, 3, 3],  # five numbers
        [3, 3, 3, 3, 3, 3, 3],  # seven
        [3, 3, 3, 3, 3, 10],
        [3, 3, 3, 3, 3, -1],
        [3, 3, 3, 3, 3, "3"],
        [3, 3, 3, 3, 3, 3.0],
        [3, 3, 3, 3, 3, 2.5],
        [3, 3, 3, 3, 3, True],
        [3, 3, 3, 3, 3, None],
        [],
        "333333",
        None,
        {"0": 3},
        (3, 3, 3, 3, 3, 3),  # not a list (JSON gives lists)
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_stored(store, backend, answers):
    code, key = store.create_class()
    assert store.submit(code, token(), answers) == "invalid"
    assert backend[1]()["poll_response"][1] == []
    assert store.results(code, key)["responses"] == 0


@pytest.mark.parametrize(
    "bad_token",
    [
        "a" * 15,
        "a" * 129,
        "a" * 15 + "!",
        "a b c d e f g h i j",
        "aaaaaaaaaaaaaaaaé",
        "",
        None,
        1234567890123456789,
        ["a" * 20],
    ],
)
def test_invalid_tokens_are_refused(store, bad_token):
    code, key = store.create_class()
    assert store.submit(code, bad_token, A) == "invalid"
    assert store.results(code, key)["responses"] == 0


def test_tokens_of_16_and_128_characters_are_accepted(store):
    code, key = store.create_class()
    assert store.submit(code, "A-_z09" + "x" * 10, A) == "received"
    assert store.submit(code, "y" * 128, B) == "received"
    assert store.results(code, key)["responses"] == 2


def test_two_learners_sending_at_the_same_moment_are_both_stored(store):
    for n in (2, 12):
        code, key = store.create_class()
        start = threading.Barrier(n)
        results: list[str] = []

        def learner(i: int, code=code, start=start, results=results) -> None:
            t = token()
            start.wait()
            results.append(store.submit(code, t, [i % 10] * 6))

        threads = [threading.Thread(target=learner, args=(i,)) for i in range(n)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=60)
        assert results == ["received"] * n
        view = store.results(code, key)
        assert view["responses"] == n
        if n == 12:
            # Released at 10, exactly: ten of the twelve, whichever came first, each counted once.
            # Learner i answered i % 10 to every statement, so the six rows of counts are equal.
            assert (view["shown_n"], view["next_at"]) == (10, 15)
            assert all(sum(row) == 10 for row in view["statements"])
            assert all(row == view["statements"][0] for row in view["statements"])


def test_the_same_token_sent_twice_at_the_same_moment_is_stored_once(store, backend):
    code, key = store.create_class()
    t = token()
    n = 8
    start = threading.Barrier(n)
    results: list[str] = []

    def send(i: int) -> None:
        start.wait()
        results.append(store.submit(code, t, [i] * 6))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert sorted(results) == ["already-sent"] * (n - 1) + ["received"]
    assert len(backend[1]()["poll_response"][1]) == 1
    assert store.results(code, key)["responses"] == 1


def test_a_class_expires_after_30_days_with_its_responses(backend):
    day = [dt.date(2026, 3, 1)]
    store = poll.open_store(backend[0], today=lambda: day[0])
    code, key = store.create_class()
    assert store.submit(code, token(), A) == "received"
    day[0] = dt.date(2026, 3, 31)  # the 30th day: still open
    assert store.submit(code, token(), B) == "received"
    assert store.results(code, key)["responses"] == 2
    day[0] = dt.date(2026, 4, 1)
    assert store.submit(code, token(), C) == "unknown-class"
    with pytest.raises(poll.UnknownClass):
        store.results(code, key)
    # Gone from the database, responses and all.
    tables = backend[1]()
    assert tables["poll_class"][1] == [] and tables["poll_response"][1] == []


def test_a_class_keeps_the_number_of_statements_it_was_opened_with(backend):
    three = poll.open_store(backend[0], statements=3)
    code, key = three.create_class()
    six = poll.open_store(backend[0])  # the same database, a server with six statements
    assert six.submit(code, token(), A) == "invalid"
    assert six.submit(code, token(), [9, 0, 4]) == "received"
    assert six.results(code, key) == {"responses": 1, "threshold": 5, "shown": False, "statements": None}
    for answers in ([9, 0, 5], [9, 1, 5], [8, 1, 5], [9, 1, 4]):
        assert three.submit(code, token(), answers) == "received"
    assert six.results(code, key)["statements"] == [
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 4],
        [2, 3, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 2, 3, 0, 0, 0, 0],
    ]


def test_two_stores_creating_the_tables_together_do_not_collide(backend):
    stores = [poll.open_store(backend[0]) for _ in range(4)]
    start = threading.Barrier(len(stores))
    codes: list[str] = []

    def first_use(s):
        start.wait()
        codes.append(s.create_class()[0])

    threads = [threading.Thread(target=first_use, args=(s,)) for s in stores]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert len(set(codes)) == 4


# --------------------------------------------------------------------------- opening a store
def test_open_store_picks_the_database_from_the_url_and_the_environment(tmp_path):
    assert poll.open_store("postgresql://u:secret@127.0.0.1:1/db").kind == "postgresql"
    assert poll.open_store("postgres://127.0.0.1/db").kind == "postgresql"
    assert poll.open_store(None, env={"BALINT_KIT_POLL_URL": "postgresql://127.0.0.1/x"}).kind == "postgresql"

    s = poll.open_store(f"sqlite://{tmp_path}/a.sqlite")
    assert s.kind == "sqlite" and s.path == tmp_path / "a.sqlite"
    s = poll.open_store(None, env={"BALINT_KIT_POLL_DB": str(tmp_path / "b.sqlite")})
    assert s.path == tmp_path / "b.sqlite"
    s = poll.open_store("", env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert s.path == tmp_path / "xdg" / "balint-kit" / "poll.sqlite"
    assert not (tmp_path / "xdg").exists()
    s = poll.open_store(None, env={})
    assert s.path == Path.home() / ".local" / "share" / "balint-kit" / "poll.sqlite"

    with pytest.raises(ValueError) as err:
        poll.open_store("mysql://root:hunter2@db/x")
    assert "hunter2" not in str(err.value) and "mysql" in str(err.value)
    assert "secret" not in poll.open_store("postgresql://u:secret@127.0.0.1:1/db").where()


def test_the_default_store_is_sqlite_in_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.delenv("BALINT_KIT_POLL_DB", raising=False)
    monkeypatch.delenv("BALINT_KIT_POLL_URL", raising=False)
    store = poll.open_store()
    code, _ = store.create_class()
    assert store.submit(code, token(), A) == "received"
    assert (tmp_path / "share" / "balint-kit" / "poll.sqlite").is_file()


# --------------------------------------------------------------------------- pure functions
def test_tally_and_the_view_of_its_counts_by_hand():
    assert poll.tally(["012", "019", "999"], 3) == [
        [2, 0, 0, 0, 0, 0, 0, 0, 0, 1],  # 0, 0, 9
        [0, 2, 0, 0, 0, 0, 0, 0, 0, 1],  # 1, 1, 9
        [0, 0, 1, 0, 0, 0, 0, 0, 0, 2],  # 2, 9, 9
    ]
    counts = poll.tally(["012", "019", "999"], 3)
    assert poll.view(3, 3, counts, threshold=4) == {
        "responses": 3,
        "threshold": 4,
        "shown": False,
        "statements": None,
    }
    assert poll.view(0, 0, poll.tally([], 6)) == {"responses": 0, "threshold": 5, "shown": False, "statements": None}
    assert poll.view(3, 3, counts, threshold=3) == {
        "responses": 3,
        "threshold": 3,
        "shown": True,
        "shown_n": 3,
        "next_at": 6,
        "statements": [
            [2, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            [0, 2, 0, 0, 0, 0, 0, 0, 0, 1],
            [0, 0, 1, 0, 0, 0, 0, 0, 0, 2],
        ],
    }
    assert poll.encode_answers(A) == "095372" and poll.decode_answers("095372") == A


def test_next_release_and_view_by_hand():
    assert [poll.next_release(n) for n in (0, 5, 10, 15)] == [5, 10, 15, 20]
    assert [poll.next_release(n) for n in (7, 9, 11)] == [15, 15, 20]  # at least five more, on a multiple of 5
    assert poll.next_release(6, 3) == 9 and poll.next_release(7, 3) == 12
    counts = [[0, 0, 0, 0, 0, 0, 0, 0, 0, 10]]
    assert poll.view(12, 10, counts) == {
        "responses": 12,
        "threshold": 5,
        "shown": True,
        "shown_n": 10,
        "next_at": 15,
        "statements": counts,
    }
    assert poll.view(4, 0, None) == {"responses": 4, "threshold": 5, "shown": False, "statements": None}


def test_stored_counts_are_checked_when_read():
    assert poll.decode_counts("[[0,1,0,0,0,0,0,0,0,4]]", 1, 5) == [[0, 1, 0, 0, 0, 0, 0, 0, 0, 4]]
    assert poll.encode_counts([[0, 1, 0, 0, 0, 0, 0, 0, 0, 4]]) == "[[0,1,0,0,0,0,0,0,0,4]]"
    for damaged, statements, n in [
        (None, 1, 5),
        ("", 1, 5),
        ("not json", 1, 5),
        ("[[0,1,0,0,0,0,0,0,0,4]]", 2, 5),  # one statement, two expected
        ("[[0,1,0,0,0,0,0,0,0,4]]", 1, 6),  # sums to 5, not 6
        ("[[0,1,0,0,0,0,0,0,4]]", 1, 5),  # nine numbers
        ("[[0,1,0,0,0,0,0,0,0,-4,8]]", 1, 5),
        ('[["095372",0,0,0,0,0,0,0,0,5]]', 1, 5),
        ("[[0,1,0,0,0,0,0,0,0,4.0]]", 1, 5),
    ]:
        with pytest.raises(poll.PollError) as err:
            poll.decode_counts(damaged, statements, n)
        assert str(err.value) == "a class's stored counts are damaged"


def test_token_hashes_differ_between_classes():
    t = "a" * 20
    assert poll.hash_token("c1", t) != poll.hash_token("c2", t)
    assert poll.hash_token("c1", t) == hashlib.sha256(b"c1" + t.encode()).hexdigest()


def test_normalise_code():
    assert poll.normalise_code(" k7q-x3m ") == "K7QX3M"
    assert poll.normalise_code("K7QX3") is None
    assert poll.normalise_code("K7QX3O") is None  # O is not in the alphabet
    assert poll.normalise_code(None) is None
