"""The class poll's HTTP API end to end, on the course site as shipped.

The site is started twice: with the SQLite store (``BALINT_KIT_POLL_DB`` in a
temporary folder) and with the PostgreSQL store of ``make test`` (``--poll-url``,
in a schema of its own). A learner's POST carries the server-signed poll token a
course page sets (cookie ``kit_poll_xsrf``) and echoes it in ``X-Kit-Poll-Token``,
as the page's script does. The per-address limits are tested on servers of their
own, started with the shipped defaults, so that one attack's count does not spill
into another's.
Expected values are written out by hand.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile

import pytest
import requests

from ..test_poll import (
    COUNTS_A_TO_J,
    SHOWN_ABCDE,
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    I,
    J,
    postgres_schema,
)
from .conftest import Server, free_port

pytestmark = pytest.mark.site


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def poll_site(request):
    saved = {k: os.environ.pop(k, None) for k in ("BALINT_KIT_POLL_DB", "BALINT_KIT_POLL_URL")}
    try:
        if request.param == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                os.environ["BALINT_KIT_POLL_DB"] = os.path.join(folder, "poll.sqlite")
                server = Server(log_name="poll-sqlite.log")
                del os.environ["BALINT_KIT_POLL_DB"]
                yield server
                server.stop()
        else:
            with postgres_schema() as (url, _schema):
                server = Server(extra_args=[f"--poll-url={url}"], log_name="poll-postgresql.log")
                yield server
                server.stop()
    finally:
        for k, v in saved.items():
            if v is not None:
                os.environ[k] = v


def page_session(site) -> requests.Session:
    """A browser's session: it opened a course page, which set the signed poll token."""
    s = requests.Session()
    r = s.get(site.url + "/voila/render/index.ipynb", timeout=60)
    assert r.status_code == 200
    assert "kit_poll_xsrf" in s.cookies
    s.headers["X-Kit-Poll-Token"] = s.cookies["kit_poll_xsrf"]
    return s


@pytest.fixture(scope="module")
def learner(poll_site):
    return page_session(poll_site)


def open_class(site, session) -> tuple[str, str]:
    r = session.post(site.url + "/kit/poll/classes", timeout=30)
    assert r.status_code == 201, r.text
    body = r.json()
    assert sorted(body) == ["code", "key"]
    return body["code"], body["key"]


def send(site, session, code, token, answers):
    return session.post(
        f"{site.url}/kit/poll/classes/{code}/responses", json={"token": token, "answers": answers}, timeout=30
    )


def results(site, code, key=None):
    headers = {} if key is None else {"X-Kit-Class-Key": key}
    return requests.get(f"{site.url}/kit/poll/classes/{code}/results", headers=headers, timeout=30)


def test_a_class_from_opening_to_results(poll_site, learner):
    code, key = open_class(poll_site, learner)
    assert re.fullmatch("[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", code)
    assert len(key) >= 43

    r = results(poll_site, code, key)
    assert (r.status_code, r.json()) == (200, {"responses": 0, "threshold": 5, "shown": False, "statements": None})
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Cache-Control"] == "no-store"

    tokens = [secrets.token_urlsafe(24) for _ in range(5)]
    for t, answers in zip(tokens[:4], (A, B, C, D), strict=True):
        r = send(poll_site, learner, code, t, answers)
        assert (r.status_code, r.json()) == (201, {"status": "received"})
    r = send(poll_site, learner, code, tokens[0], E)
    assert (r.status_code, r.json()) == (409, {"status": "already-sent"})

    # Four responses: only their number.
    r = results(poll_site, code, key)
    assert (r.status_code, r.json()) == (200, {"responses": 4, "threshold": 5, "shown": False, "statements": None})

    r = send(poll_site, learner, code, tokens[4], E)
    assert (r.status_code, r.json()) == (201, {"status": "received"})
    r = results(poll_site, code, key)
    assert (r.status_code, r.json()) == (200, SHOWN_ABCDE)

    # The 6th to the 9th: the number grows, the counts stay those of the first five ...
    for n, answers in enumerate((F, G, H, I), start=6):
        r = send(poll_site, learner, code, secrets.token_urlsafe(24), answers)
        assert (r.status_code, r.json()) == (201, {"status": "received"})
        r = results(poll_site, code, key)
        assert (r.status_code, r.json()) == (200, {**SHOWN_ABCDE, "responses": n})
    # ... until the 10th releases the next batch.
    r = send(poll_site, learner, code, secrets.token_urlsafe(24), J)
    assert (r.status_code, r.json()) == (201, {"status": "received"})
    r = results(poll_site, code, key)
    assert (r.status_code, r.json()) == (
        200,
        {"responses": 10, "threshold": 5, "shown": True, "shown_n": 10, "next_at": 15, "statements": COUNTS_A_TO_J},
    )


def test_refusals_are_plain_json(poll_site, learner):
    code, key = open_class(poll_site, learner)
    t = secrets.token_urlsafe(24)
    cases = [
        (send(poll_site, learner, "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY", t, A), 404, "unknown-class"),
        (send(poll_site, learner, code, t, [3, 3, 3, 3, 3]), 400, "invalid"),
        (send(poll_site, learner, code, t, [3, 3, 3, 3, 3, 10]), 400, "invalid"),
        (send(poll_site, learner, code, t, [3, 3, 3, 3, 3, -1]), 400, "invalid"),
        (send(poll_site, learner, code, t, [3, 3, 3, 3, 3, "3"]), 400, "invalid"),
        (send(poll_site, learner, code, t, [3, 3, 3, 3, 3, 3.5]), 400, "invalid"),
        (send(poll_site, learner, code, "short", A), 400, "invalid"),
        (
            learner.post(f"{poll_site.url}/kit/poll/classes/{code}/responses", data="not json", timeout=30),
            400,
            "invalid",
        ),
        (learner.post(f"{poll_site.url}/kit/poll/classes/{code}/responses", json=[t, A], timeout=30), 400, "invalid"),
        (
            learner.post(f"{poll_site.url}/kit/poll/classes/{code}/responses", data=b"\xff\xfe", timeout=30),
            400,
            "invalid",
        ),
        (
            learner.post(
                f"{poll_site.url}/kit/poll/classes/{code}/responses",
                json={"token": t, "answers": A, "padding": "x" * 5000},
                timeout=30,
            ),
            413,
            "too-large",
        ),
        (results(poll_site, code, "not-the-key"), 403, "wrong-key"),
        (results(poll_site, code), 403, "wrong-key"),
        (results(poll_site, "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY", key), 404, "unknown-class"),
        (requests.get(f"{poll_site.url}/kit/poll/classes", timeout=30), 405, "method-not-allowed"),
    ]
    for r, status, word in cases:
        assert (r.status_code, r.json()) == (status, {"status": word}), r.request.url
        assert r.headers["Content-Type"].startswith("application/json")
        assert "Traceback" not in r.text
    # None of that was stored.
    assert results(poll_site, code, key).json()["responses"] == 0


def test_a_body_sent_in_chunks_is_limited_too(poll_site, learner):
    code, key = open_class(poll_site, learner)
    url = f"{poll_site.url}/kit/poll/classes/{code}/responses"

    def chunks():
        yield b'{"token": "' + b"a" * 20 + b'", "answers": [1, 2, 3, 4, 5, 6], "x": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    r = learner.post(url, data=chunks(), timeout=30)
    assert (r.status_code, r.json()) == (413, {"status": "too-large"})
    # A very large body is not even read: the answer is 413, or the connection is closed.
    try:
        r = learner.post(url, data=b"x" * 200_000, timeout=30)
        assert r.status_code in (400, 413)
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        pass
    assert results(poll_site, code, key).json()["responses"] == 0


def test_a_post_without_the_xsrf_cookie_and_header_is_refused(poll_site, learner):
    code, key = open_class(poll_site, learner)
    t = secrets.token_urlsafe(24)
    url = f"{poll_site.url}/kit/poll/classes/{code}/responses"
    bare = requests.Session()  # no cookie, no header: what another site's form or script could send
    signed = learner.cookies["kit_poll_xsrf"]
    body = {"token": t, "answers": A}
    refused = [
        bare.post(poll_site.url + "/kit/poll/classes", timeout=30),
        bare.post(url, json=body, timeout=30),
        # The cookie without the header.
        requests.post(url, json=body, cookies={"kit_poll_xsrf": signed}, timeout=30),
        # The header without the cookie.
        requests.post(url, json=body, headers={"X-Kit-Poll-Token": signed}, timeout=30),
        # A header that does not match the cookie.
        requests.post(
            url,
            json=body,
            cookies={"kit_poll_xsrf": signed},
            headers={"X-Kit-Poll-Token": signed[:-4] + "0000"},
            timeout=30,
        ),
        # A pair the client made up: tornado's _xsrf double-submit accepted this; ours is signed.
        requests.post(url, json=body, cookies={"_xsrf": "abc"}, headers={"X-XSRFToken": "abc"}, timeout=30),
        requests.post(
            url, json=body, cookies={"kit_poll_xsrf": "abc"}, headers={"X-Kit-Poll-Token": "abc"}, timeout=30
        ),
        # A signed value's shape with a signature the server did not make.
        requests.post(
            url,
            json=body,
            cookies={"kit_poll_xsrf": "2|1:0|10:1700000000|13:kit_poll_xsrf|8:YWJjZA==|" + "0" * 64},
            headers={"X-Kit-Poll-Token": "2|1:0|10:1700000000|13:kit_poll_xsrf|8:YWJjZA==|" + "0" * 64},
            timeout=30,
        ),
        # The token in the query string instead of the header (it would end up in logs and histories).
        requests.post(
            url + "?_xsrf=" + requests.utils.quote(signed), json=body, cookies={"kit_poll_xsrf": signed}, timeout=30
        ),
        # ... and beside a valid header.
        learner.post(url + "?_xsrf=" + requests.utils.quote(signed), json=body, timeout=30),
    ]
    for r in refused:
        assert (r.status_code, r.json()) == (403, {"status": "forbidden"})
    assert results(poll_site, code, key).json()["responses"] == 0
    # With both, the same response goes through.
    r = send(poll_site, learner, code, t, A)
    assert (r.status_code, r.json()) == (201, {"status": "received"})


def test_the_log_holds_nothing_a_learner_or_instructor_sent(poll_site, learner):
    code, key = open_class(poll_site, learner)
    t = secrets.token_urlsafe(24)
    send(poll_site, learner, code, t, [9, 8, 7, 6, 5, 4])
    send(poll_site, learner, code, t, [9, 8, 7, 6, 5, 4])  # 409: logged as a warning
    send(poll_site, learner, code, t, [9, 8, 7, 6, 5, 99])  # 400
    results(poll_site, code, key + "x")  # 403
    results(poll_site, code, key)
    log = poll_site.log()
    for secret in (t, key, "987654", "9, 8, 7", code):
        assert secret not in log
    poll_lines = [line for line in log.splitlines() if "kit/poll" in line]
    assert poll_lines, "the refusals are logged, without who sent them"
    assert not [line for line in poll_lines if "127.0.0.1" in line]


def test_a_store_that_cannot_be_reached_answers_503_in_json():
    """A database that is down: the pages still work, the poll says "unavailable", the log says little."""
    port = free_port()  # nothing listens there
    url = f"postgresql://poll:not-a-real-password@127.0.0.1:{port}/poll"
    server = Server(extra_args=[f"--poll-url={url}"], log_name="poll-down.log")
    try:
        s = page_session(server)  # the pages work while the poll's database is down
        t = secrets.token_urlsafe(24)
        answers = [
            s.post(server.url + "/kit/poll/classes", timeout=60),
            s.post(f"{server.url}/kit/poll/classes/K7QX3M/responses", json={"token": t, "answers": A}, timeout=60),
            requests.get(f"{server.url}/kit/poll/classes/K7QX3M/results", headers={"X-Kit-Class-Key": t}, timeout=60),
        ]
        for r in answers:
            assert (r.status_code, r.json()) == (503, {"status": "unavailable"})
            assert "Traceback" not in r.text
        log = server.log()
        assert "class poll: the store failed (OperationalError)" in log
        for secret in (t, "not-a-real-password", "Traceback"):
            assert secret not in log
        assert requests.get(server.url + "/kit/static/kit.css", timeout=30).status_code == 200
    finally:
        server.stop()


# --------------------------------------------------------------------------- one client's limits
@pytest.fixture
def fresh_site(tmp_path):
    """A course site of its own with the shipped limits (they count per address, in memory)."""
    saved = {k: os.environ.pop(k, None) for k in ("BALINT_KIT_POLL_DB", "BALINT_KIT_POLL_URL")}
    server = Server(extra_args=[f"--poll-url=sqlite:{tmp_path / 'poll.sqlite'}"], log_name="poll-limits.log")
    try:
        yield server
    finally:
        server.stop()
        for k, v in saved.items():
            if v is not None:
                os.environ[k] = v


def test_one_client_cannot_stuff_a_class_but_a_class_behind_one_address_gets_in(fresh_site):
    # The attack: one client posts fresh tokens as fast as it can (before: 300 in 2.9 s, all taken).
    # The shipped limit, 45 responses per address per class a day, lets a class of 40 behind one
    # hospital address (one NAT: here, 127.0.0.1) send together, and stops the rest.
    instructor = page_session(fresh_site)
    code, key = open_class(fresh_site, instructor)
    class_of_40 = [page_session(fresh_site) for _ in range(2)]  # two browsers' cookies, 40 tokens
    for n in range(40):
        r = send(fresh_site, class_of_40[n % 2], code, secrets.token_urlsafe(24), A)
        assert (r.status_code, r.json()) == (201, {"status": "received"}), n
    accepted = refused = 0
    for _ in range(60):
        # A script that drops its cookies: a fresh page for a fresh signed token, then a fresh token.
        s = requests.Session()
        s.cookies.update(instructor.cookies)
        s.headers["X-Kit-Poll-Token"] = instructor.cookies["kit_poll_xsrf"]
        r = send(fresh_site, s, code, secrets.token_urlsafe(24), B)
        if r.status_code == 201:
            accepted += 1
        else:
            assert (r.status_code, r.json()) == (429, {"status": "too-many"})
            assert r.headers["Retry-After"] == "60"
            refused += 1
    assert (accepted, refused) == (5, 55)
    assert results(fresh_site, code, key).json()["responses"] == 45
    # Another class is not affected by the first one's count.
    code2, _ = open_class(fresh_site, instructor)
    r = send(fresh_site, instructor, code2, secrets.token_urlsafe(24), C)
    assert r.status_code == 201


def test_one_client_cannot_open_classes_without_end(fresh_site):
    # Before: 200 classes opened in 1.6 s. The shipped limit: 20 per address an hour.
    s = page_session(fresh_site)
    statuses = [s.post(fresh_site.url + "/kit/poll/classes", timeout=30).status_code for _ in range(25)]
    assert statuses == [201] * 20 + [429] * 5
    r = s.post(fresh_site.url + "/kit/poll/classes", timeout=30)
    assert (r.status_code, r.json()) == (429, {"status": "too-many"})


def test_class_codes_cannot_be_guessed(fresh_site):
    # Before: codes guessed at 385 a second, and results answered 404 for a code that does not
    # exist but 403 for one that does. Now 30 look-ups that miss (unknown codes, keys that do not
    # fit) per address in 10 minutes; then every look-up from that address gets 429, the real
    # class's included, so the answer says nothing about which codes exist.
    s = page_session(fresh_site)
    code, key = open_class(fresh_site, s)
    guesses = [c for c in ("ZZZZZ2", "ZZZZZ3", "ZZZZZ4", "ZZZZZ5", "ZZZZZ6", "ZZZZZ7") if c != code]
    answers = []
    for n in range(30):
        guess = guesses[n % len(guesses)]
        r = results(fresh_site, guess) if n % 2 else send(fresh_site, s, guess, secrets.token_urlsafe(24), A)
        answers.append(r.status_code)
    assert answers == [404] * 30
    for r in (
        results(fresh_site, code),  # the real code, no key: was 403, which told that it exists
        results(fresh_site, code, key),  # even with the key, for the rest of the window
        send(fresh_site, s, code, secrets.token_urlsafe(24), A),
        results(fresh_site, guesses[0]),
    ):
        assert (r.status_code, r.json()) == (429, {"status": "too-many"})


def test_a_content_length_that_is_not_a_length_is_a_bad_request(poll_site, learner):
    import http.client

    for length in ("-5", "abc"):
        conn = http.client.HTTPConnection("127.0.0.1", poll_site.port, timeout=30)
        try:
            conn.putrequest("POST", "/kit/poll/classes")
            conn.putheader("Content-Length", length)
            conn.putheader("Cookie", f"kit_poll_xsrf={learner.cookies['kit_poll_xsrf']}")
            conn.putheader("X-Kit-Poll-Token", learner.cookies["kit_poll_xsrf"])
            conn.endheaders()
            r = conn.getresponse()
            assert r.status == 400, (length, r.status)
        finally:
            conn.close()
