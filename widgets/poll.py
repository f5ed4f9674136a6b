"""The anonymous class poll's storage: one small module, SQLite or PostgreSQL.

After a session, learners may send their answers to Stockman's six statements
(0-9 each) to the class; the instructor sees how the class answered. This module
is the only place where the course server stores anything a learner sent. What
it keeps, and nothing else:

``poll_class``
    ``id`` (a random internal id), ``code`` (the short code learners type),
    ``key_hash`` (SHA-256 of the instructor's key; the key itself is never
    stored), ``statements`` (how many statements the class answers) and
    ``expires_on`` (a day, no time of day).
``poll_response``
    ``class_id``, ``token_hash`` and ``answers`` (the numbers as a string of
    digits, ``"357012"``). No name, no device id, no address, no time. The
    browser makes a random token per class and keeps it in its localStorage;
    the store keeps only ``sha256(class_id || token)``, so the same browser's
    responses to two classes cannot be linked, and a second response from the
    same browser to the same class is refused (``already-sent``) by the table's
    primary key ``(class_id, token_hash)``. In SQLite the table has no rowid,
    so not even the order in which responses arrived is kept.

The instructor's view shows, per statement, how many learners gave each number
from 0 to 9, and only from :data:`THRESHOLD` (5) responses up; below that it
shows only how many responded.

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
Errors never carry a learner's numbers, token or the instructor's key.

This module imports no widget library.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
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
from typing import Any

STATEMENTS = 6
"""How many statements a class answers unless the site says otherwise (Stockman's six)."""
MIN_ANSWER, MAX_ANSWER = 0, 9
THRESHOLD = 5
"""Responses from which the instructor's view shows the numbers."""
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


def summarise(rows: list[str], statements: int, threshold: int = THRESHOLD) -> dict:
    """The instructor's view of a class's responses.

    Parameters
    ----------
    rows : list of str
        The stored answers of every response to the class.
    statements : int
        How many statements the class answers.
    threshold : int
        Responses from which the counts are shown.

    Returns
    -------
    dict
        ``{"responses": n, "threshold": threshold, "shown": n >= threshold,
        "statements": tally(...) if shown else None}``.
    """
    n = len(rows)
    shown = n >= threshold
    return {
        "responses": n,
        "threshold": threshold,
        "shown": shown,
        "statements": tally(rows, statements) if shown else None,
    }


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
    """

    kind = "?"
    _param = "?"
    _lock_class = ""
    """SQL appended to the class look-up in :meth:`submit` (PostgreSQL locks the row)."""

    def __init__(
        self,
        *,
        statements: int = STATEMENTS,
        expiry_days: int = EXPIRY_DAYS,
        threshold: int = THRESHOLD,
        today: Callable[[], _dt.date] = _dt.date.today,
    ):
        if not 1 <= statements <= MAX_STATEMENTS:
            raise ValueError(f"a class answers 1 to {MAX_STATEMENTS} statements, not {statements}")
        if expiry_days < 1 or threshold < 1:
            raise ValueError("expiry_days and threshold are at least 1")
        self.statements = statements
        self.expiry_days = expiry_days
        self.threshold = threshold
        self._today = today
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
        cur.execute(self._sql("DELETE FROM poll_class WHERE expires_on < ?"), (cutoff,))

    def _open_class(self, cur, code: object) -> tuple[str, str, int]:
        """(id, key_hash, statements) of the open class with this code, or UnknownClass."""
        canonical = normalise_code(code)
        if canonical is None:
            raise UnknownClass()
        cur.execute(
            self._sql("SELECT id, key_hash, statements FROM poll_class WHERE code = ? AND expires_on >= ?")
            + self._lock_class,
            (canonical, self._date(self._today())),
        )
        row = cur.fetchone()
        if row is None:
            raise UnknownClass()
        return row[0], row[1], int(row[2])

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

    def submit(self, code: object, token: object, answers: object) -> str:
        """Store one learner's answers to a class, once per browser.

        Parameters
        ----------
        code : str
            The class code the learner typed.
        token : str
            The browser's random token for this class (16-128 of ``[A-Za-z0-9_-]``).
        answers : list of int
            One whole number from 0 to 9 per statement.

        Returns
        -------
        str
            ``"received"``; ``"already-sent"`` if this token has answered this
            class; ``"unknown-class"``; or ``"invalid"`` (nothing is stored).
        """
        if not valid_token(token) or not valid_answers(answers):
            return INVALID
        self._ensure_schema()
        with self._transaction() as cur:
            try:
                class_id, _, statements = self._open_class(cur, code)
            except UnknownClass:
                return UNKNOWN_CLASS
            if len(answers) != statements:
                return INVALID
            cur.execute(
                self._sql(
                    "INSERT INTO poll_response (class_id, token_hash, answers) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                ),
                (class_id, hash_token(class_id, token), encode_answers(answers)),
            )
            return RECEIVED if cur.rowcount == 1 else ALREADY_SENT

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
            See :func:`summarise`: the number of responses, and the counts per
            statement only from the threshold up.

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
                class_id, key_hash, statements = self._open_class(cur, code)
            except UnknownClass as exc:
                refused = exc
            else:
                if (
                    not isinstance(key, str)
                    or len(key) > MAX_KEY_CHARS
                    or not hmac.compare_digest(key_hash, hash_key(key))
                ):
                    refused = WrongKey()
                else:
                    cur.execute(self._sql("SELECT answers FROM poll_response WHERE class_id = ?"), (class_id,))
                    rows = [r[0] for r in cur.fetchall()]
        if refused is not None:
            raise refused
        return summarise(rows, statements, self.threshold)


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
                conn.executescript(self._SCHEMA)
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
            finally:
                conn.close()
            time.sleep(0.05)

    _SCHEMA = f"""
        BEGIN IMMEDIATE;
        CREATE TABLE IF NOT EXISTS poll_class (
            id          TEXT PRIMARY KEY,
            code        TEXT NOT NULL UNIQUE,
            key_hash    TEXT NOT NULL,
            statements  INTEGER NOT NULL CHECK (statements BETWEEN 1 AND {MAX_STATEMENTS}),
            expires_on  TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS poll_response (
            class_id    TEXT NOT NULL REFERENCES poll_class (id) ON DELETE CASCADE,
            token_hash  TEXT NOT NULL,
            answers     TEXT NOT NULL
                        CHECK (answers NOT GLOB '*[^0-9]*' AND length(answers) BETWEEN 1 AND {MAX_STATEMENTS}),
            PRIMARY KEY (class_id, token_hash)
        ) WITHOUT ROWID;
        COMMIT;
    """


class PostgresStore(PollStore):
    """The shared store for hub deployments: PostgreSQL through psycopg 3."""

    kind = "postgresql"
    _param = "%s"
    _lock_class = " FOR SHARE"
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
                    id          TEXT PRIMARY KEY,
                    code        TEXT NOT NULL UNIQUE,
                    key_hash    TEXT NOT NULL,
                    statements  SMALLINT NOT NULL CHECK (statements BETWEEN 1 AND {MAX_STATEMENTS}),
                    expires_on  DATE NOT NULL
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
