"""The anonymous class poll's storage: one small module, SQLite or PostgreSQL.

After a session, learners may send their answers to Stockman's six statements
(0-9 each) to the class; the instructor sees how the class answered. This module
is the only place where the course server stores anything a learner sent. What
it keeps, and nothing else:

``poll_class``
    ``id`` (a random internal id), ``code`` (the short code learners type),
    ``key_hash`` (SHA-256 of the instructor's key; the key itself is never
    stored), ``statements`` (how many statements the class answers),
    ``expires_on`` (a day, no time of day), and the counts the instructor is
    shown: ``shown_n`` (how many responses they include, 0 before the first
    release) and ``shown_counts`` (JSON, per statement how many of those
    ``shown_n`` responses gave each number from 0 to 9; aggregates only, never
    anyone's answers).
``poll_response``
    ``class_id``, ``token_hash`` and ``answers`` (the numbers as a string of
    digits, ``"357012"``). No name, no device id, no address, no time. The
    browser makes a random token per class and keeps it in its localStorage;
    the store keeps only ``sha256(class_id || token)``, so the same browser's
    responses to two classes cannot be linked, and a second response from the
    same browser to the same class is refused (``already-sent``) by the table's
    primary key ``(class_id, token_hash)``. In SQLite the table has no rowid,
    so not even the order in which responses arrived is kept (keep it so: no
    order or time column here).
``poll_sender``
    Only where every learner is a login (JupyterHub: the site passes the
    login name as ``sender``): ``class_id`` and ``sender_hash``, an HMAC of
    the class id and the login name under the site's secret
    (:func:`hash_sender`), so that each person answers a class once, whatever
    browser or token they use, and an instructor cannot pad a batch with
    answers of their own (see below). Nothing in it ties a sender to an
    answer: no column in common but the class, no order in SQLite (no rowid).
    In PostgreSQL, rows sit in the order they were written, in both tables;
    someone holding the database *and* the site's secret *and* a list of
    logins could line the two orders up, which is why the secret is never
    stored in the database.

What the instructor sees, and why it is released in batches: per statement, how
many learners gave each number from 0 to 9, and only from :data:`THRESHOLD` (5)
responses up; below that only how many responded. Counts that followed every
new response would let an instructor who looks after the 5th and again after the
6th response subtract the two views and read the 6th learner's six numbers. So
the counts are released in batches of :data:`THRESHOLD`: when a response makes
the class's count a multiple of 5 (5, 10, 15, ...), :meth:`PollStore.submit`
tallies the responses, in the same transaction as the insert, and stores that
aggregate on the class row (``shown_n``, ``shown_counts``). The instructor's
view (:meth:`PollStore.results`) shows the total number of responses, that
snapshot with ``shown_n``, and ``next_at``, the count at which the next batch
is released. Any two views therefore differ by at least five people's answers.
Since responses keep no order, the snapshot cannot be computed later for "the
first 10": it is taken at the moment it happens. What batches cannot stop: whoever
holds the key can send answers of their own. On a site where anyone can send
(the plain course site), an instructor who sends four made-up answers and waits
for the fifth learner can subtract their own and read that learner's numbers;
the learner's page says so before sending. Where every learner is a login
(``sender``), each person sends once, so the key holder can add one answer,
not four. (A reader of the database
could tell which responses can have made up an earlier batch; that reader sees
every response's numbers anyway, and nothing that identifies anyone.)

One exception, for classes opened by the previous version of this module, which
had no snapshot columns: the columns are added when the store is first used
(existing classes get ``shown_n`` 0), and a class that already has 5 or more
responses but no snapshot gets one of *all* its current responses the first
time its results are read, or when its next response arrives if that comes
first (``shown_n`` is then that count, e.g. 7: without an order, no "first 5"
can be chosen); its next release is at the first multiple of 5 that is at
least 5 more (15 for 7), so that the two views still differ by at least five
responses. Such a class's instructor could see every response under the
previous version anyway.

A class expires :data:`EXPIRY_DAYS` (30) days after it was opened: from the day
after ``expires_on`` it answers ``unknown-class``, and it is deleted with its
responses the next time a class is opened or results are read.

Where the data lives: :func:`open_store` opens PostgreSQL for a
``postgresql://`` URL (the ``BALINT_KIT_POLL_URL`` environment variable, for
hub deployments; needs ``psycopg``, the kit's ``postgres`` extra), else an
SQLite file: ``BALINT_KIT_POLL_DB`` if set, else ``poll.sqlite`` in the user's
data folder (``~/.local/share/balint-kit/`` on Linux). Nothing is opened or
created until the first operation; the tables are created then.

Every operation opens its own connection and runs in one transaction, so the
store can be used from many threads (the site runs it off the event loop).
Operations on one class take turns (SQLite lets one writer in at a time;
PostgreSQL locks the class's row ``FOR UPDATE``), so the count that decides a
release, and the tally released, hold exactly the responses stored before it.
Errors never carry a learner's numbers, token or the instructor's key.

This module imports no widget library.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

STATEMENTS = 6
"""How many statements a class answers unless the site says otherwise (Stockman's six)."""
MIN_ANSWER, MAX_ANSWER = 0, 9
THRESHOLD = 5
"""Responses from which the instructor's view shows the numbers, and the size of each
later batch: the counts shown change only when this many more have answered."""
EXPIRY_DAYS = 30
MAX_STATEMENTS = 12

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Letters and digits a learner cannot confuse when typing a code: no 0/O, 1/I/L."""
CODE_LENGTH = 6
KEY_BYTES = 32
"""The instructor's key: 256 random bits, URL-safe base64 (43 characters)."""
MAX_KEY_CHARS = 200

RECEIVED = "received"
ALREADY_SENT = "already-sent"
UNKNOWN_CLASS = "unknown-class"
INVALID = "invalid"
WRONG_KEY = "wrong-key"

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")
_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


class PollError(Exception):
    """A poll operation that cannot be done; ``status`` is the API's word for it."""

    status = "error"


class UnknownClass(PollError):
    """No open class has this code (never opened, mistyped, or expired)."""

    status = UNKNOWN_CLASS


class WrongKey(PollError):
    """The instructor's key does not open this class."""

    status = WRONG_KEY


# --------------------------------------------------------------------------- pure functions
def new_code() -> str:
    """A random class code: :data:`CODE_LENGTH` characters of :data:`CODE_ALPHABET`.

    Returns
    -------
    str
        E.g. ``"K7QX3M"`` (31**6, about 887 million, possible codes).
    """
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_key() -> str:
    """A random instructor's key of :data:`KEY_BYTES` bytes (256 bits), URL-safe text."""
    return secrets.token_urlsafe(KEY_BYTES)


def new_class_id() -> str:
    """A random internal class id (128 bits, hex), never shown to anyone."""
    return secrets.token_hex(16)


def normalise_code(code: object) -> str | None:
    """The canonical form of a code a person typed, or None if it cannot be one.

    Parameters
    ----------
    code : object
        What arrived; case, spaces and hyphens are forgiven (``"k7q-x3m"``).

    Returns
    -------
    str or None
        The upper-case code, or None when it is not :data:`CODE_LENGTH`
        characters of :data:`CODE_ALPHABET`.
    """
    if not isinstance(code, str) or len(code) > 3 * CODE_LENGTH:
        return None
    text = code.replace(" ", "").replace("-", "").upper()
    return text if _CODE.fullmatch(text) else None


def hash_key(key: str) -> str:
    """SHA-256 of the instructor's key, hex: what the store keeps instead of the key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def hash_token(class_id: str, token: str) -> str:
    """The per-class hash of a browser's token, ``sha256(class_id || token)``, hex.

    Parameters
    ----------
    class_id : str
        The class's internal id (32 hex characters).
    token : str
        The browser's random token for this class.

    Returns
    -------
    str
        64 hex characters. The same token gives unrelated hashes in two classes.
    """
    return hashlib.sha256(f"{class_id}{token}".encode("ascii")).hexdigest()


def hash_sender(secret: bytes, class_id: str, sender: str) -> str:
    """The keyed per-class hash of a logged-in person, ``HMAC-SHA256(secret, class_id || name)``, hex.

    Used where every learner is a login (JupyterHub), so that each person sends once per
    class whatever browser or token they use. It is kept in ``poll_sender``, apart from the
    answers, with nothing that links the two (module docstring): a reader of the database
    cannot tell who sent without the site's secret, and cannot tell what anyone sent.

    Parameters
    ----------
    secret : bytes
        The site's secret (never stored in the database).
    class_id : str
        The class's internal id.
    sender : str
        The person's login name.
    """
    return hmac.new(secret, f"{class_id}\n{sender}".encode(), hashlib.sha256).hexdigest()


def valid_token(token: object) -> bool:
    """True for 16 to 128 characters of ``[A-Za-z0-9_-]``."""
    return isinstance(token, str) and _TOKEN.fullmatch(token) is not None


def valid_answers(answers: object, statements: int | None = None) -> bool:
    """True for a list of whole numbers from 0 to 9, one per statement.

    Parameters
    ----------
    answers : object
        What arrived (parsed JSON). Floats, strings and booleans are refused.
    statements : int, optional
        The exact length wanted; any length from 1 to :data:`MAX_STATEMENTS` if None.

    Returns
    -------
    bool
    """
    if not isinstance(answers, list) or not 1 <= len(answers) <= MAX_STATEMENTS:
        return False
    if statements is not None and len(answers) != statements:
        return False
    return all(type(a) is int and MIN_ANSWER <= a <= MAX_ANSWER for a in answers)


def encode_answers(answers: list[int]) -> str:
    """The stored form of valid answers: one digit each, ``[3, 5, 7] -> "357"``."""
    return "".join(str(a) for a in answers)


def decode_answers(text: str) -> list[int]:
    """The inverse of :func:`encode_answers`."""
    return [int(c) for c in text]


def tally(rows: Iterable[str], statements: int) -> list[list[int]]:
    """Per statement, how many responses gave each number from 0 to 9.

    Parameters
    ----------
    rows : iterable of str
        Stored answers (:func:`encode_answers`), each ``statements`` digits long.
    statements : int
        How many statements the class answers.

    Returns
    -------
    list of list of int
        ``statements`` lists of 10 counts: ``counts[s][v]`` responses gave
        statement ``s`` (from 0) the number ``v``.
    """
    counts = [[0] * (MAX_ANSWER - MIN_ANSWER + 1) for _ in range(statements)]
    for row in rows:
        for s, value in enumerate(decode_answers(row)[:statements]):
            counts[s][value - MIN_ANSWER] += 1
    return counts


def next_release(shown_n: int, batch: int = THRESHOLD) -> int:
    """The number of responses at which the next batch of counts is released.

    Parameters
    ----------
    shown_n : int
        How many responses the counts shown now include (0 before the first release).
    batch : int
        The batch size (:data:`THRESHOLD`).

    Returns
    -------
    int
        The first multiple of ``batch`` that is at least ``shown_n + batch``:
        5 for 0, 15 for 10, and 15 for 7 (a class from before the batches,
        see the module's docstring), so that two views differ by at least
        ``batch`` responses.
    """
    return -(-(shown_n + batch) // batch) * batch


def view(responses: int, shown_n: int, counts: list[list[int]] | None, threshold: int = THRESHOLD) -> dict:
    """The instructor's view of a class: what :meth:`PollStore.results` returns.

    Parameters
    ----------
    responses : int
        How many learners have sent their answers so far.
    shown_n : int
        How many of them the released counts include.
    counts : list of list of int or None
        The released counts (:func:`tally` of those ``shown_n`` responses).
    threshold : int
        Responses from which counts are shown, and the batch size.

    Returns
    -------
    dict
        Below the threshold: ``{"responses": n, "threshold": threshold,
        "shown": False, "statements": None}``. From the threshold up, also
        ``"shown_n"`` (the responses the counts include: a multiple of the
        threshold, but for a class from before the batches, see the module's
        docstring) and ``"next_at"`` (:func:`next_release`):
        ``{"responses": 12, "threshold": 5, "shown": True, "shown_n": 10,
        "next_at": 15, "statements": counts}``.
    """
    if responses < threshold or counts is None:
        return {"responses": responses, "threshold": threshold, "shown": False, "statements": None}
    return {
        "responses": responses,
        "threshold": threshold,
        "shown": True,
        "shown_n": shown_n,
        "next_at": next_release(shown_n, threshold),
        "statements": counts,
    }


def encode_counts(counts: list[list[int]]) -> str:
    """The stored form of released counts: compact JSON, ``[[2,1,0,...],...]``."""
    return json.dumps(counts, separators=(",", ":"))


def decode_counts(text: object, statements: int, shown_n: int) -> list[list[int]]:
    """The inverse of :func:`encode_counts`, checked: ``statements`` lists of 10 counts summing to ``shown_n``.

    Raises
    ------
    PollError
        When the stored text is not such counts (the message quotes nothing of it).
    """
    try:
        counts = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        counts = None
    width = MAX_ANSWER - MIN_ANSWER + 1
    if not (
        isinstance(counts, list)
        and len(counts) == statements
        and all(
            isinstance(row, list)
            and len(row) == width
            and all(type(c) is int and c >= 0 for c in row)
            and sum(row) == shown_n
            for row in counts
        )
    ):
        raise PollError("a class's stored counts are damaged")
    return counts


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the SQLite store lives: ``BALINT_KIT_POLL_DB``, else the user's data folder.

    Parameters
    ----------
    env : mapping, optional
        The environment to read (``os.environ`` if None).

    Returns
    -------
    pathlib.Path
        ``$XDG_DATA_HOME/balint-kit/poll.sqlite`` (``~/.local/share/...``) on
        Linux, ``~/Library/Application Support/balint-kit/poll.sqlite`` on macOS,
        ``%LOCALAPPDATA%\\balint-kit\\poll.sqlite`` on Windows.
    """
    env = os.environ if env is None else env
    if env.get("BALINT_KIT_POLL_DB"):
        return Path(env["BALINT_KIT_POLL_DB"]).expanduser()
    if sys.platform == "win32":
        base = Path(env.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "balint-kit" / "poll.sqlite"


# --------------------------------------------------------------------------- the stores
class _Class(NamedTuple):
    """A class's row as the operations read it."""

    id: str
    key_hash: str
    statements: int
    shown_n: int
    shown_counts: str | None


class PollStore:
    """The operations, common to both databases. Make one with :func:`open_store`.

    Parameters
    ----------
    statements : int
        How many statements a class opened from now on answers.
    expiry_days : int
        Days after opening until a class and its responses are deleted.
    threshold : int
        Responses from which the instructor's view shows the numbers.
    today : callable, optional
        Gives today's date (tests pass a fake clock).
    sender_secret : bytes, optional
        The secret for :func:`hash_sender` (one response per person, under a hub login): the
        same for every server that shares the store, and kept out of the database
        (``BALINT_KIT_POLL_SECRET``; the JupyterHub configuration makes one).
    """

    kind = "?"
    _param = "?"
    _ADDED_COLUMNS = (
        ("shown_n", "INTEGER NOT NULL DEFAULT 0 CHECK (shown_n >= 0)"),
        ("shown_counts", "TEXT"),
    )
    """Columns of ``poll_class`` that came with the batched release (module docstring); a
    database made by an earlier version gets them when the store first opens it."""
    _lock_class = ""
    """SQL appended to the class look-up in :meth:`submit` and :meth:`results` (PostgreSQL
    locks the row, so that operations on one class take turns; SQLite's writers take turns
    anyway)."""

    def __init__(
        self,
        *,
        statements: int = STATEMENTS,
        expiry_days: int = EXPIRY_DAYS,
        threshold: int = THRESHOLD,
        today: Callable[[], _dt.date] = _dt.date.today,
        sender_secret: bytes = b"",
    ):
        if not 1 <= statements <= MAX_STATEMENTS:
            raise ValueError(f"a class answers 1 to {MAX_STATEMENTS} statements, not {statements}")
        if expiry_days < 1 or threshold < 1:
            raise ValueError("expiry_days and threshold are at least 1")
        self.statements = statements
        self.expiry_days = expiry_days
        self.threshold = threshold
        self._today = today
        self.sender_secret = bytes(sender_secret)
        self._ready = False
        self._ready_lock = threading.Lock()

    # Each database says how to connect, how to create its tables and how it writes a date.
    @contextmanager
    def _transaction(self):  # pragma: no cover - overridden
        raise NotImplementedError
        yield

    def _create_schema(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _date(self, day: _dt.date) -> Any:
        return day

    def where(self) -> str:
        """Where the data lives, for the server's log (never a password)."""
        raise NotImplementedError  # pragma: no cover

    def close(self) -> None:
        """Nothing stays open between operations; kept for symmetry."""

    # -------------------------------------------------------------- operations
    def _sql(self, text: str) -> str:
        return text.replace("?", self._param)

    def _ensure_schema(self) -> None:
        if self._ready:
            return
        with self._ready_lock:
            if not self._ready:
                self._create_schema()
                self._ready = True

    def _purge(self, cur) -> None:
        cutoff = self._date(self._today())
        cur.execute(
            self._sql("DELETE FROM poll_response WHERE class_id IN (SELECT id FROM poll_class WHERE expires_on < ?)"),
            (cutoff,),
        )
        cur.execute(
            self._sql("DELETE FROM poll_sender WHERE class_id IN (SELECT id FROM poll_class WHERE expires_on < ?)"),
            (cutoff,),
        )
        cur.execute(self._sql("DELETE FROM poll_class WHERE expires_on < ?"), (cutoff,))

    def _open_class(self, cur, code: object) -> _Class:
        """The open class with this code (its row locked where the database can), or UnknownClass."""
        canonical = normalise_code(code)
        if canonical is None:
            raise UnknownClass()
        cur.execute(
            self._sql(
                "SELECT id, key_hash, statements, shown_n, shown_counts FROM poll_class "
                "WHERE code = ? AND expires_on >= ?"
            )
            + self._lock_class,
            (canonical, self._date(self._today())),
        )
        row = cur.fetchone()
        if row is None:
            raise UnknownClass()
        return _Class(row[0], row[1], int(row[2]), int(row[3]), row[4])

    def _release_if_due(self, cur, cls: _Class) -> tuple[int, tuple[int, list[list[int]]] | None]:
        """Count the class's responses and, when that reaches :func:`next_release`, release them.

        Runs inside the transaction that holds the class row, so no response can
        arrive between the count and the tally. Returns ``(responses, released)``:
        ``released`` is ``(shown_n, counts)`` when a release was made now, else None.
        """
        cur.execute(self._sql("SELECT count(*) FROM poll_response WHERE class_id = ?"), (cls.id,))
        responses = int(cur.fetchone()[0])
        if responses < next_release(cls.shown_n, self.threshold):
            return responses, None
        return responses, self._release(cur, cls)

    def _release(self, cur, cls: _Class) -> tuple[int, list[list[int]]]:
        """Tally every response the class has now and store that aggregate as what is shown.
        Returns ``(shown_n, counts)``."""
        cur.execute(self._sql("SELECT answers FROM poll_response WHERE class_id = ?"), (cls.id,))
        rows = [r[0] for r in cur.fetchall()]
        counts = tally(rows, cls.statements)
        cur.execute(
            self._sql("UPDATE poll_class SET shown_n = ?, shown_counts = ? WHERE id = ?"),
            (len(rows), encode_counts(counts), cls.id),
        )
        return len(rows), counts

    def create_class(self) -> tuple[str, str]:
        """Open a class.

        Returns
        -------
        (str, str)
            The class code for learners and the instructor's key. Only a hash of
            the key is stored: it cannot be shown again.
        """
        self._ensure_schema()
        key = new_key()
        expires = self._date(self._today() + _dt.timedelta(days=self.expiry_days))
        with self._transaction() as cur:
            self._purge(cur)
            for _ in range(50):
                code = new_code()
                cur.execute(
                    self._sql(
                        "INSERT INTO poll_class (id, code, key_hash, statements, expires_on) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT DO NOTHING"
                    ),
                    (new_class_id(), code, hash_key(key), self.statements, expires),
                )
                if cur.rowcount == 1:
                    return code, key
        raise PollError("no free class code was found")  # pragma: no cover - 31**6 codes

    def submit(self, code: object, token: object, answers: object, sender: str | None = None) -> str:
        """Store one learner's answers to a class, once per browser (and once per person with ``sender``).

        When this response brings the class to its next release
        (:func:`next_release`: 5, 10, 15, ... responses), the counts of all its
        responses are stored as what the instructor is shown, in the same
        transaction.

        Parameters
        ----------
        code : str
            The class code the learner typed.
        token : str
            The browser's random token for this class (16-128 of ``[A-Za-z0-9_-]``).
        answers : list of int
            One whole number from 0 to 9 per statement.
        sender : str, optional
            The login name of the person sending, where every learner is a login
            (JupyterHub): a person who has answered this class already gets
            ``"already-sent"`` whatever token they send. Only :func:`hash_sender`
            of it is kept, in a table of its own with nothing that ties it to the
            answers, under the store's ``sender_secret`` (without one, under the
            class's id, which a reader of the database can see: they could then
            tell who sent, though still not what).

        Returns
        -------
        str
            ``"received"``; ``"already-sent"`` if this token (or this sender) has
            answered this class; ``"unknown-class"``; or ``"invalid"`` (nothing is stored).
        """
        if not valid_token(token) or not valid_answers(answers):
            return INVALID
        if sender is not None and (not isinstance(sender, str) or not sender):
            return INVALID
        self._ensure_schema()
        with self._transaction() as cur:
            try:
                cls = self._open_class(cur, code)
            except UnknownClass:
                return UNKNOWN_CLASS
            if len(answers) != cls.statements:
                return INVALID
            sender_hash = None
            if sender is not None:
                sender_hash = hash_sender(self.sender_secret or cls.id.encode(), cls.id, sender)
                cur.execute(
                    self._sql("SELECT 1 FROM poll_sender WHERE class_id = ? AND sender_hash = ?"), (cls.id, sender_hash)
                )
                if cur.fetchone() is not None:
                    return ALREADY_SENT
            cur.execute(
                self._sql(
                    "INSERT INTO poll_response (class_id, token_hash, answers) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                ),
                (cls.id, hash_token(cls.id, token), encode_answers(answers)),
            )
            if cur.rowcount != 1:
                return ALREADY_SENT
            if sender_hash is not None:
                # The class row is held (PostgreSQL: FOR UPDATE; SQLite: one writer), so no one
                # else can have added this sender since the look-up above.
                cur.execute(
                    self._sql("INSERT INTO poll_sender (class_id, sender_hash) VALUES (?, ?)"), (cls.id, sender_hash)
                )
            self._release_if_due(cur, cls)
            return RECEIVED

    def results(self, code: object, key: object) -> dict:
        """The instructor's view of a class.

        Parameters
        ----------
        code : str
            The class code.
        key : str
            The instructor's key from :meth:`create_class`.

        Returns
        -------
        dict
            See :func:`view`: the number of responses; from the threshold up, the
            counts of the last release (``shown_n`` responses) and ``next_at``.
            A class from before the batches with 5 or more responses and no
            release yet gets one now, of all its responses (module docstring).

        Raises
        ------
        UnknownClass
            No open class has this code.
        WrongKey
            The key does not open this class.
        """
        self._ensure_schema()
        refused: PollError | None = None
        with self._transaction() as cur:
            self._purge(cur)  # committed even when the answer is a refusal
            try:
                cls = self._open_class(cur, code)
            except UnknownClass as exc:
                refused = exc
            else:
                if (
                    not isinstance(key, str)
                    or len(key) > MAX_KEY_CHARS
                    or not hmac.compare_digest(cls.key_hash, hash_key(key))
                ):
                    refused = WrongKey()
                else:
                    responses, released = self._release_if_due(cur, cls)
                    if released is not None:
                        shown_n, counts = released
                    elif cls.shown_n > 0:
                        shown_n, counts = cls.shown_n, decode_counts(cls.shown_counts, cls.statements, cls.shown_n)
                    else:
                        shown_n, counts = 0, None
        if refused is not None:
            raise refused
        return view(responses, shown_n, counts, self.threshold)


class SQLiteStore(PollStore):
    """The embedded store: one SQLite file (WAL journal; writers take turns)."""

    kind = "sqlite"

    def __init__(self, path: str | os.PathLike, **kwargs):
        super().__init__(**kwargs)
        self.path = Path(path)

    def where(self) -> str:
        return f"SQLite file {self.path}"

    def _date(self, day: _dt.date) -> str:
        return day.isoformat()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def _transaction(self):
        conn = self._connect()
        try:
            cur = conn.cursor()
            cur.execute("BEGIN IMMEDIATE")  # one writer at a time; the others wait (timeout 30 s)
            try:
                yield cur
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _create_schema(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # The file holds learners' answers: readable by its owner only.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        # Switching to WAL can be refused at once ("database is locked") while another
        # server or thread uses the file for the first time too: then try again shortly.
        for attempt in range(100):
            conn = self._connect()
            try:
                self._create_tables(conn)
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
            finally:
                conn.close()
            time.sleep(0.05)

    @classmethod
    def _create_tables(cls, conn: sqlite3.Connection) -> None:
        """Create the tables, or add the columns a file made by an earlier version lacks, in one transaction."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in cls._SCHEMA:
                conn.execute(statement)
            have = {row[1] for row in conn.execute("PRAGMA table_info(poll_class)")}
            for name, definition in cls._ADDED_COLUMNS:
                if name not in have:
                    conn.execute(f"ALTER TABLE poll_class ADD COLUMN {name} {definition}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    _SCHEMA = (
        f"""
        CREATE TABLE IF NOT EXISTS poll_class (
            id           TEXT PRIMARY KEY,
            code         TEXT NOT NULL UNIQUE,
            key_hash     TEXT NOT NULL,
            statements   INTEGER NOT NULL CHECK (statements BETWEEN 1 AND {MAX_STATEMENTS}),
            expires_on   TEXT NOT NULL,
            shown_n      INTEGER NOT NULL DEFAULT 0 CHECK (shown_n >= 0),
            shown_counts TEXT
        )
        """,
        f"""
        CREATE TABLE IF NOT EXISTS poll_response (
            class_id    TEXT NOT NULL REFERENCES poll_class (id) ON DELETE CASCADE,
            token_hash  TEXT NOT NULL,
            answers     TEXT NOT NULL
                        CHECK (answers NOT GLOB '*[^0-9]*' AND length(answers) BETWEEN 1 AND {MAX_STATEMENTS}),
            PRIMARY KEY (class_id, token_hash)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE IF NOT EXISTS poll_sender (
            class_id    TEXT NOT NULL REFERENCES poll_class (id) ON DELETE CASCADE,
            sender_hash TEXT NOT NULL,
            PRIMARY KEY (class_id, sender_hash)
        ) WITHOUT ROWID
        """,
    )


class PostgresStore(PollStore):
    """The shared store for hub deployments: PostgreSQL through psycopg 3."""

    kind = "postgresql"
    _param = "%s"
    _lock_class = " FOR UPDATE"  # a learner's response may update the class row (a release)
    _SCHEMA_LOCK = 0x62616C696E74  # an advisory-lock number of our own ("balint")

    def __init__(self, url: str, **kwargs):
        super().__init__(**kwargs)
        try:
            import psycopg
        except ImportError:
            raise RuntimeError(
                "the class poll's PostgreSQL store needs psycopg: pip install 'balint-course-kit[postgres]'"
            ) from None
        self._psycopg = psycopg
        self.url = url

    def where(self) -> str:
        try:
            info = self._psycopg.conninfo.conninfo_to_dict(self.url)
        except Exception:  # noqa: BLE001 - only for the log line
            return "PostgreSQL"
        return (
            f"PostgreSQL database {info.get('dbname', '?')} at {info.get('host', 'localhost')}:{info.get('port', 5432)}"
        )

    @contextmanager
    def _transaction(self):
        # Leaving the connection's block commits (or rolls back on an exception) and closes it.
        with self._psycopg.connect(self.url, connect_timeout=10) as conn, conn.cursor() as cur:
            yield cur

    def _create_schema(self) -> None:
        with self._transaction() as cur:
            # Two servers starting together must not both create the tables.
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (self._SCHEMA_LOCK,))
            cur.execute(
                f"""
                CREATE TABLE IF NOT EXISTS poll_class (
                    id           TEXT PRIMARY KEY,
                    code         TEXT NOT NULL UNIQUE,
                    key_hash     TEXT NOT NULL,
                    statements   SMALLINT NOT NULL CHECK (statements BETWEEN 1 AND {MAX_STATEMENTS}),
                    expires_on   DATE NOT NULL,
                    shown_n      INTEGER NOT NULL DEFAULT 0 CHECK (shown_n >= 0),
                    shown_counts TEXT
                )
                """
            )
            cur.execute(
                f"""
                CREATE TABLE IF NOT EXISTS poll_response (
                    class_id    TEXT NOT NULL REFERENCES poll_class (id) ON DELETE CASCADE,
                    token_hash  TEXT NOT NULL,
                    answers     TEXT NOT NULL CHECK (answers ~ '^[0-9]{{1,{MAX_STATEMENTS}}}$'),
                    PRIMARY KEY (class_id, token_hash)
                )
                """
            )
            cur.execute(
                """
                CREATE TABLE IF NOT EXISTS poll_sender (
                    class_id    TEXT NOT NULL REFERENCES poll_class (id) ON DELETE CASCADE,
                    sender_hash TEXT NOT NULL,
                    PRIMARY KEY (class_id, sender_hash)
                )
                """
            )
            # A database made by an earlier version lacks the release columns. ALTER TABLE locks the
            # table even when there is nothing to add, so it runs only when a column is missing.
            cur.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = 'poll_class'"
            )
            have = {row[0] for row in cur.fetchall()}
            for name, definition in self._ADDED_COLUMNS:
                if name not in have:
                    cur.execute(f"ALTER TABLE poll_class ADD COLUMN IF NOT EXISTS {name} {definition}")


def open_store(url: str | None = None, *, env: Mapping[str, str] | None = None, **options) -> PollStore:
    """Open the class poll's store.

    Parameters
    ----------
    url : str, optional
        ``postgresql://…`` (or ``postgres://…``) for PostgreSQL; ``sqlite:PATH``
        or ``sqlite:///ABSOLUTE/PATH`` for an SQLite file; None or empty for
        ``BALINT_KIT_POLL_URL``, and when that is unset too, the SQLite file of
        :func:`default_db_path`.
    env : mapping, optional
        The environment to read (``os.environ`` if None).
    **options
        ``statements``, ``expiry_days``, ``threshold``, ``today``: see :class:`PollStore`.

    Returns
    -------
    PollStore
        Nothing is connected or created yet: the first operation does that.

    Raises
    ------
    ValueError
        For a URL of another kind (the message names only its scheme).
    RuntimeError
        For PostgreSQL when psycopg is not installed.
    """
    env = os.environ if env is None else env
    url = url or env.get("BALINT_KIT_POLL_URL") or ""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url, **options)
    if url.startswith("sqlite:"):
        path = url.removeprefix("sqlite:").removeprefix("//")
        if not path:
            raise ValueError("a sqlite: poll URL needs a file path")
        return SQLiteStore(Path(path).expanduser(), **options)
    if url:
        scheme = url.split(":", 1)[0] if ":" in url else "(none)"
        raise ValueError(f"the class poll store URL should start with postgresql:// or sqlite:, not '{scheme[:20]}:'")
    return SQLiteStore(default_db_path(env), **options)
