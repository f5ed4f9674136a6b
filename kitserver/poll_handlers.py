"""The anonymous class poll's HTTP API (``/kit/poll/…``): the handlers, the poll token a course page
sets, and the per-address limits. The store behind them is :mod:`kitserver.poll_store`."""

from __future__ import annotations

import hmac
import inspect
import json
import logging
import secrets
from typing import ClassVar

import tornado.ioloop
import tornado.web
from tornado.log import access_log, app_log

from widgets import content

from . import poll_store as poll
from .throttle import Throttle

POLL_TOKEN_COOKIE = "kit_poll_xsrf"
"""The class poll's XSRF cookie: a value signed with the server's secret (tornado's
``create_signed_value``), set by every course page and echoed by the page's script in
the ``X-Kit-Poll-Token`` header. Unlike tornado's ``_xsrf`` (a double-submit cookie that
any client can make up: ``_xsrf=abc`` with ``X-XSRFToken: abc``), only this server can
make one."""
POLL_TOKEN_DAYS = 2
"""How long a page's poll token is good for; a page open longer is asked to reload."""


def set_poll_token(handler: tornado.web.RequestHandler) -> None:
    """Give the page a poll token (once per browser session; a valid one is kept)."""
    old = handler.get_cookie(POLL_TOKEN_COOKIE)
    if old and handler.get_signed_cookie(POLL_TOKEN_COOKIE, value=old, max_age_days=POLL_TOKEN_DAYS / 2):
        return
    value = handler.create_signed_value(POLL_TOKEN_COOKIE, secrets.token_urlsafe(18)).decode("ascii")
    handler.set_cookie(
        POLL_TOKEN_COOKIE,
        value,
        path=handler.settings.get("base_url", "/"),
        samesite="Lax",
        expires_days=POLL_TOKEN_DAYS,
        secure=handler.request.protocol == "https",
    )


POLL_MAX_BODY = 4096
"""Bytes a poll request body may have (six numbers and a token need about 150)."""
_POLL_DRAIN_BODY = 65536
"""A larger body up to this size is read and dropped, so that the 413 answer reaches the
browser (closing a connection with unread data can reset it); a body beyond it is not read."""

_POLL_ERRORS = {
    400: poll.INVALID,
    403: "forbidden",
    404: poll.UNKNOWN_CLASS,
    405: "method-not-allowed",
    413: "too-large",
    429: "too-many",
    503: "unavailable",
}
"""The ``status`` word of an error answer, by HTTP status."""


def poll_statement_count() -> int:
    """How many statements a class answers: those in data/group_evaluation.yaml, else 6."""
    if not (content.data_dir() / "group_evaluation.yaml").is_file():
        return poll.STATEMENTS
    try:
        return len(content.group_evaluation().statements)
    except content.ContentError as exc:
        app_log.warning("class poll: %s; classes answer %d statements", exc, poll.STATEMENTS)
        return poll.STATEMENTS


class PollLimits:
    """What one client (one address) may do to the class poll; see :class:`kitserver.app.CourseVoila`'s
    ``poll_*_limit`` options for the defaults and why."""

    retry_after = 60
    """Seconds a refused client is asked to wait (``Retry-After``)."""

    def __init__(self, classes: str, sends: str, misses: str):
        self.classes = Throttle(classes, "classes opened")
        self.sends = Throttle(sends, "responses to one class")
        self.misses = Throttle(misses, "codes or keys that do not fit")

    def __repr__(self) -> str:
        return f"{self.classes!r}; {self.sends!r}; {self.misses!r} (per address)"


@tornado.web.stream_request_body
class PollHandler(tornado.web.RequestHandler):
    """The class poll's JSON API: plain JSON answers, never a traceback, and little logged.

    * A request needs a user from the server's identity provider
      (``settings["identity_provider"]``), as Voila's pages do: under JupyterHub, the hub's
      login for this server. Without one the answer is 403 in JSON (never a redirect to a
      login page) and nothing is stored. On the plain site Voila's provider gives every
      visitor an anonymous user.
    * POSTs need the server-signed poll token a course page sets (:data:`POLL_TOKEN_COOKIE`),
      echoed in the ``X-Kit-Poll-Token`` header, and never a token in the query string
      (checked in :meth:`checked_body`); under JupyterHub, the hub's own XSRF check too.
    * What one client (one address) may do is limited (:class:`PollLimits`): classes
      opened, responses sent to a class, and look-ups of codes that do not exist or keys
      that do not fit. Past a limit the answer is 429 ``too-many`` with ``Retry-After``.
    * A body over :data:`POLL_MAX_BODY` bytes is refused (413) and never kept.
    * The access log line names the route and the status only: no address, no
      class code, nothing from a body or a header. Library warnings that would quote a
      poll URL are dropped (:class:`_NoPollURLs`).
    * Store calls run on a worker thread, off the event loop.
    """

    route = "kit/poll"

    def initialize(self, store: poll.PollStore, limits: PollLimits, one_per_login: bool = False):
        self.store = store
        self.limits = limits
        self.one_per_login = one_per_login
        self._body = bytearray()
        self._too_large = False
        self._no_user = False

    async def prepare(self):
        self.set_header("Cache-Control", "no-store")
        # Without a user, the answer is 403 once the request has been read (refuse_without_user):
        # tornado closes a connection answered before that, without saying so in the answer,
        # and a proxy that sends the next request on it gets a reset.
        self._no_user = not await self._logged_in()
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            length = self.request.headers.get("Content-Length", "0")
            if not length.isdigit():
                # "-5" or "abc": not a length at all (tornado refuses most of these before us).
                raise tornado.web.HTTPError(403 if self._no_user else 400)
            if int(length) > _POLL_DRAIN_BODY:
                # Answered at once; the body is not read.
                raise tornado.web.HTTPError(403 if self._no_user else 413)
            self.request.connection.set_max_body_size(_POLL_DRAIN_BODY)  # also for bodies sent in chunks

    def refuse_without_user(self) -> None:
        """403 for a request without a user: before its body or the store is used."""
        if self._no_user:
            raise tornado.web.HTTPError(403)

    async def _logged_in(self) -> bool:
        """Whether the server's identity provider knows the user of this request (True when the
        server has none). JupyterHub's provider also patches this handler's XSRF methods."""
        provider = self.settings.get("identity_provider")
        if provider is None:
            return True
        user = provider.get_user(self)
        if inspect.isawaitable(user):
            user = await user
        self.current_user = user
        return user is not None

    # What Jupyter Server's identity providers read from the handler they are given (the
    # default one, on the plain site: the login token, the login cookie's path, a logger).
    @property
    def token(self) -> str | None:
        return getattr(self.settings.get("identity_provider"), "token", None)

    @property
    def base_url(self) -> str:
        return self.settings.get("base_url", "/")

    @property
    def log(self) -> logging.Logger:
        return app_log

    def check_xsrf_cookie(self):
        # Only for requests that change something: a GET (the results) needs the class key, in a
        # header no other site's page can send. JupyterHub's login check calls this for a
        # browser's GET too, where the XSRF check would refuse the page's results request.
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if self.one_per_login:
            super().check_xsrf_cookie()  # the hub's own check (bound to the login session)
        if "_xsrf" in self.request.query_arguments:
            raise tornado.web.HTTPError(403)  # a token in the URL ends up in logs and histories
        sent = self.request.headers.get("X-Kit-Poll-Token", "")
        cookie = self.get_cookie(POLL_TOKEN_COOKIE) or ""
        if not (
            sent
            and hmac.compare_digest(sent.encode(), cookie.encode())
            and self.get_signed_cookie(POLL_TOKEN_COOKIE, value=cookie, max_age_days=POLL_TOKEN_DAYS)
        ):
            raise tornado.web.HTTPError(403)

    @property
    def client(self) -> str:
        """The client's address, for the limits only (held in memory, never logged)."""
        return self.request.remote_ip or "?"

    def refuse_if_guessing(self) -> None:
        """429 for a client that has looked up too many codes or keys that do not fit."""
        if not self.limits.misses.allows(self.client):
            self.too_many()

    def missed(self) -> None:
        """Count a look-up of a code that does not exist, or of a key that does not fit."""
        self.limits.misses.hit(self.client)

    def too_many(self):
        raise tornado.web.HTTPError(429)  # write_error adds Retry-After

    def data_received(self, chunk: bytes):
        if self._no_user:
            return
        if len(self._body) + len(chunk) > POLL_MAX_BODY:
            self._too_large = True
        elif not self._too_large:
            self._body.extend(chunk)

    def checked_body(self) -> object:
        """Once the body has arrived: the login (403), the XSRF check (403), the size (413),
        then the body as JSON, or None when it is not JSON."""
        self.refuse_without_user()
        self.check_xsrf_cookie()
        if self._too_large:
            raise tornado.web.HTTPError(413)
        try:
            return json.loads(self._body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def answer(self, status: int, payload: dict) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(payload))

    async def in_store(self, fn, *args):
        """Run a store operation on a worker thread; a failing store answers 503."""
        self.refuse_without_user()
        try:
            return await tornado.ioloop.IOLoop.current().run_in_executor(None, fn, *args)
        except poll.PollError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the store is a 503
            # The exception's text may quote what was sent (a database's DETAIL line): only its kind is logged.
            app_log.error("class poll: the store failed (%s)", type(exc).__name__)
            raise tornado.web.HTTPError(503) from None

    def write_error(self, status_code: int, **kwargs):
        self.clear()
        self.set_status(status_code)
        self.set_header("Cache-Control", "no-store")
        if status_code == 429:
            self.set_header("Retry-After", str(self.limits.retry_after))
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps({"status": _POLL_ERRORS.get(status_code, "error")}))

    def log_exception(self, typ, value, tb):
        # Tornado's own logging would print the request with its headers (the class key, cookies).
        if isinstance(value, tornado.web.HTTPError):
            return
        app_log.error("class poll: %s in %s", typ.__name__ if typ else "error", self.route)

    def _log(self):
        # In place of the access log line, which would hold the learner's address and the class code.
        status = self.get_status()
        log = access_log.debug if status < 400 else access_log.warning if status < 500 else access_log.error
        log("%d %s %s (class poll) %.2fms", status, self.request.method, self.route, 1000 * self.request.request_time())


class _NoPollURLs(logging.Filter):
    """Keeps poll URLs, which hold class codes, out of tornado's application log: JupyterHub's
    XSRF helpers, run by its login check, warn with the request's path."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            return "/kit/poll/" not in record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is left to logging
            return True


class PollClassesHandler(PollHandler):
    """POST {base}kit/poll/classes: open a class. 201 {"code", "key"}."""

    route = "kit/poll/classes"

    async def post(self):
        self.checked_body()  # the body itself is not used
        if not self.limits.classes.hit(self.client):
            self.too_many()
        code, key = await self.in_store(self.store.create_class)
        self.answer(201, {"code": code, "key": key})


class PollResponsesHandler(PollHandler):
    """POST {base}kit/poll/classes/{code}/responses with {"token", "answers"}.

    201 received, 409 already-sent, 404 unknown-class, 400 invalid; the body is
    ``{"status": ...}``.
    """

    route = "kit/poll/classes/{code}/responses"
    _HTTP: ClassVar[dict[str, int]] = {
        poll.RECEIVED: 201,
        poll.ALREADY_SENT: 409,
        poll.UNKNOWN_CLASS: 404,
        poll.INVALID: 400,
    }

    async def post(self, code: str):
        body = self.checked_body()
        if not isinstance(body, dict):
            self.answer(400, {"status": poll.INVALID})
            return
        self.refuse_if_guessing()
        if not self.limits.sends.allows(self.client, str(code)[:16]):
            self.too_many()
        sender = None
        if self.one_per_login:
            sender = getattr(self.current_user, "username", None) or ""  # "" is refused as invalid
        status = await self.in_store(self.store.submit, code, body.get("token"), body.get("answers"), sender)
        if status == poll.UNKNOWN_CLASS:
            self.missed()
        elif status == poll.RECEIVED:
            self.limits.sends.hit(self.client, str(code)[:16])
        self.answer(self._HTTP[status], {"status": status})


class PollResultsHandler(PollHandler):
    """GET {base}kit/poll/classes/{code}/results with header X-Kit-Class-Key.

    200 the results (see :func:`kitserver.poll_store.view`), 403 wrong-key, 404 unknown-class.
    """

    route = "kit/poll/classes/{code}/results"

    async def get(self, code: str):
        key = self.request.headers.get("X-Kit-Class-Key", "")  # in_store() refuses a request without a user
        self.refuse_without_user()
        self.refuse_if_guessing()
        try:
            results = await self.in_store(self.store.results, code, key)
        except poll.UnknownClass:
            self.missed()
            self.answer(404, {"status": poll.UNKNOWN_CLASS})
        except poll.WrongKey:
            self.missed()
            self.answer(403, {"status": poll.WRONG_KEY})
        else:
            self.answer(200, results)
