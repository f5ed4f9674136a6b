"""The site's front door: the headers every response carries, and which Host names it answers.

Both apply to every response of the course site, Voila's pages, the kernel API, static files,
the class poll and error pages alike, because they sit in tornado's application rather than
in any one handler:

* :class:`SecurityHeaders`, a tornado output transform, adds a Content-Security-Policy that
  allows what Voila's pages need and nothing from elsewhere (:data:`CSP`), ``nosniff`` and a
  referrer policy; it drops tornado's ``Server`` banner, which names its version. (Cookies
  are written after the transforms run, so their ``SameSite`` comes from the settings that
  :func:`cookie_settings` gives.)
* :func:`install` also refuses, with a plain 421 and one log line, a request whose ``Host`` is
  not one the site is known by (DNS rebinding: a page on evil.example whose name is made to
  point at 127.0.0.1 would otherwise read the course site as its own).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import tornado.httputil
import tornado.web
from tornado.log import access_log, app_log, gen_log

CSP = "; ".join(
    [
        "default-src 'self'",
        # Voila's page writes its configuration and start-up code inline, and anywidget imports
        # each widget's module from a blob: URL. No script from another origin.
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
        # Widgets and plotly set style attributes; Voila inlines some styles.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        # The page's kernel websocket and the class poll, on this site only.
        "connect-src 'self' ws: wss:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
"""The Content-Security-Policy of every response. ``'unsafe-inline'`` and ``'unsafe-eval'``
are what Voila 0.5's pages and the widget libraries need. Inline: the page template writes ten
inline scripts (start-up code, the kernel id, the theme). Eval: Voila's bundle
(share/jupyter/voila/templates/base/static/) compiles JSON-schema validators with
``new Function`` (ajv, in 1601.voila.js, which @jupyterlab/settingregistry uses on each plugin's
settings), gettext plural rules (9582.voila.js), and its JavaScript output renderer evaluates
code (6008.voila.js); only the ``new Function("return this")`` shims are guarded. What the policy does hold is that nothing is loaded,
sent or framed from anywhere but the site itself (``connect-src`` names ``ws:``/``wss:`` only
because older browsers do not count a websocket to the same host as ``'self'``; the
Host check below keeps a page from reaching another host)."""


class SecurityHeaders(tornado.web.OutputTransform):
    """Adds the kit's security headers to every response (see the module docstring)."""

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers.pop("Server", None)
        return status_code, headers, chunk


class HostRefused(tornado.web.RequestHandler):
    """421 Misdirected Request, in plain words, for a Host the site is not known by."""

    kit_reason = "refused a request for a host name the site does not answer to"

    def prepare(self):
        self.set_status(421)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish("This course site does not answer to that address. Open it by the address you were given.\n")

    def log_exception(self, typ, value, tb):  # nothing of the request in the log
        pass


def host_name(host_header: str) -> str:
    """The name of a ``Host`` header without its port, lower case (``[::1]`` keeps its brackets)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


IDENTITY_COOKIE_DAYS = 1
"""How long the anonymous visitor cookie of the plain site lasts (Jupyter Server's default is
30 days): long enough for a day's course, and no longer a month-long identifier."""


def cookie_settings(tls: bool) -> dict:
    """Tornado settings that give the cookies Voila and tornado set ``SameSite=Lax`` (and
    ``Secure`` when the site itself serves TLS): tornado's ``_xsrf`` cookie."""
    kwargs = {"samesite": "Lax"}
    if tls:
        kwargs["secure"] = True
    return {"xsrf_cookie_kwargs": kwargs}


def identity_cookie_options() -> dict:
    """``IdentityProvider.cookie_options`` for the anonymous visitor cookie (it adds ``Secure``
    itself over TLS)."""
    return {"samesite": "Lax", "expires_days": IDENTITY_COOKIE_DAYS}


# --------------------------------------------------------------------------- the access log
# What the server's log says of a request: one line, with the status, the method, the path
# without its query, the time taken and, where the kit refused the request, why (a handler's
# ``kit_reason``). Never the client's address: the per-address limits count addresses in the
# server's memory only (kitserver/throttle.py, kitserver/kernels.py's Arrivals) and need no log, and a
# log of who asked for what is personal data a hospital would have to account for. Where an
# address must be logged (to block an abuser), the reverse proxy in front logs it (deploy/).


def log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's ``log_function``: one line per request (see above). Successes are INFO, which
    the site's default log level does not show; 4xx WARNING, 5xx ERROR."""
    status = handler.get_status()
    log = access_log.info if status < 400 else access_log.warning if status < 500 else access_log.error
    reason = getattr(handler, "kit_reason", None)
    line = "%d %s %s %.2fms" + (": %s" if reason else "")
    args = [status, handler.request.method, handler.request.path, 1000.0 * handler.request.request_time()]
    log(line, *args, *([reason] if reason else []))


_SUMMARY = re.compile(r"^([A-Z]+ [^ ?]*)\S* \(.*\)$")


class QuietTornado(logging.Filter):
    """Tornado's own lines about a request say no more than the access line: the warning that an
    HTTPError carries a message ("404 GET /x (127.0.0.1): file does not exist") is dropped (the
    access line has the status), and a request summary in any other line loses its query and the
    client's address. A cookie that fails its signature is named, not quoted."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.msg if isinstance(record.msg, str) else ""
        if record.name == "tornado.general" and msg == "%d %s: %s":
            return False
        if msg in ("Invalid cookie signature %r", "Expired cookie %r"):
            record.msg, record.args = msg.split(" %r")[0].lower() + ": the cookie was ignored", None
            return True
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(_summary(a) for a in record.args)
        return True


def _summary(arg):
    if isinstance(arg, tornado.httputil.HTTPServerRequest):
        return f"{arg.method} {arg.path}"
    if isinstance(arg, str):
        m = _SUMMARY.match(arg)
        if m:
            return m.group(1)
    return arg


def install(app: tornado.web.Application, allowed_hosts: Iterable[str]) -> None:
    """Put the headers, the access log of :func:`log_request` and, unless ``allowed_hosts``
    holds ``"*"``, the Host check on ``app``."""
    app.add_transform(SecurityHeaders)
    app.settings["log_function"] = log_request
    for logger in (gen_log, app_log, access_log):
        if not any(isinstance(f, QuietTornado) for f in logger.filters):
            logger.addFilter(QuietTornado())
    allowed = {h.strip().lower() for h in allowed_hosts if h.strip()}
    if "*" in allowed:
        return
    find = app.find_handler

    def find_handler(request, **kwargs):
        if host_name(request.host or "") not in allowed:
            return app.get_handler_delegate(request, HostRefused)
        return find(request, **kwargs)

    app.find_handler = find_handler
