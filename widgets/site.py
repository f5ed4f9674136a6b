"""The course site: Voila with the kit's template, navigation, kernel cap and offline assets.

Run it with ``python -m widgets.site`` from the repository root (``make serve`` does).
Configuration is read from ``voila.json`` in the working directory, as Voila does;
what this module adds on top of stock Voila:

* ``/`` sends a learner to the landing page (``voila/render/index.ipynb``); the
  file tree and the contents API are not served, so no notebook or code is listed.
* ``/kit/static/…`` serves the kit's own browser assets and plotly.js (the basic bundle
  from node_modules/, else plotly.py's own: :mod:`widgets.plotly_bundle`), cached by the
  browser (no CDN). It is public, as Jupyter Server's own ``/static/`` is, also under
  JupyterHub: it holds no learner data.
* Responses go out gzipped to browsers that take gzip, static files from gzip copies made
  once (:mod:`widgets.compress`; ``CourseVoila.compress_responses``).
* Each course page gets the course map in its page config, from which the
  ``balint`` template draws the header, navigation and previous/next links, and the
  definitions of the glossary terms the page links to (``balintGlossary``), which
  ``static/kit.js`` shows in place when a learner opens a term.
* Every page response sets the ``_xsrf`` cookie, so the page's shutdown beacon
  is accepted and the kernel ends when the tab closes (stock Voila answers 403
  for pages opened by direct link and leaves the kernel running).
* Above ``CourseVoila.max_kernels`` running kernels a new visitor gets a plain
  "busy" page (HTTP 503) instead of a kernel. Idle kernels whose page is gone
  are culled by the kernel manager (``MappingKernelManager.cull_*`` in voila.json).
* Each kernel belongs to the browser that opened its page: the page response sets a signed,
  HttpOnly, SameSite=Lax session cookie (``kit-browser-<host>``), and the kernel websocket,
  the execution websocket, ``/api/kernels/<id>`` and the shutdown beacon answer 403 to any
  other request (one log line). Kernel ids in log lines are replaced by a short tag.
* One client cannot hold the site (``CourseVoila.*`` in voila.json): a browser keeps at most
  ``pages_per_browser`` kernels (its next page ends its oldest), one address brings at most
  ``new_browsers_per_minute`` new browsers a minute (then a plain 429 page), and a connected
  page that sends nothing for ``silent_timeout`` seconds loses its kernel.
* Kernels are launched hardened (:mod:`widgets.guard` as an IPython extension): a memory limit
  enforced by the operating system (``kernel_memory_mb``), no IPython history, no widget
  models created by the browser, no traceback sent back for a failing comm message. A page
  whose kernel is ended by the server (API, culler, limits) is told so and shows the banner.
* ``/kit/poll/…`` is the anonymous class poll's JSON API (see :class:`PollHandler`),
  on the store of :mod:`widgets.poll`, opened once per server from
  ``BALINT_KIT_POLL_URL`` / ``BALINT_KIT_POLL_DB`` or ``--poll-url``. Under JupyterHub
  it needs the hub's login for this server, as the pages do.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import hashlib
import hmac
import inspect
import json
import logging
import os
import re
import secrets
import time
import uuid
from pathlib import Path
from typing import ClassVar

import jinja2
import plotly
import tornado.ioloop
import tornado.web
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from nbclient.exceptions import CellExecutionError, DeadKernelError
from tornado.log import access_log, app_log
from traitlets import Bool, Int, List, TraitError, Unicode
from voila.app import Voila
from voila.execute import VoilaExecutor, strip_code_cell_warnings
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.execution_request_handler import ExecutionRequestHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.treehandler import VoilaTreeHandler

from . import compress, content, content_cache, front, guard, plotly_bundle, poll, render_cache
from .throttle import Throttle

ROOT = Path(__file__).resolve().parent.parent
STATIC = Path(__file__).resolve().parent / "static"
TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "balint"
PLOTLY = plotly_bundle.choose()  # the basic bundle from node_modules/, else plotly.py's full one
ASSET_VERSION = f"kit-0.1.0-plotly-{plotly.__version__}"


def course_nav(page: str, base_url: str = "/") -> dict:
    """What the template needs to draw the header and the navigation for one page.

    ``page`` is the notebook's path under course/ without .ipynb ('01_history',
    'instructor/timer'). Links are absolute, so they work from pages in sub-folders.
    Never raises: a broken course map gives a page with an ``error`` sentence and no
    module list, and the page itself still works.
    """
    render = url_path_join(base_url, "voila/render/")

    def href(page_id: str) -> str:
        return f"{render}{page_id}.ipynb"

    try:
        cmap = content.course_map()
    except content.ContentError as exc:
        return {
            "title": "Balint Course Kit",
            "modules": [],
            "tools": [],
            "error": str(exc),
            "current": page,
            "home": href("index"),
        }
    modules = [
        {"id": m.id, "number": m.number, "title": m.title, "ready": m.status == "ready", "href": href(m.id)}
        for m in sorted(cmap.modules, key=lambda m: m.number)
    ]
    tools = [
        {"id": tool.id, "title": tool.title, "href": href(tool.id), "audience": tool.audience} for tool in cmap.tools
    ]
    ready = [m for m in modules if m["ready"]]
    order = [{"id": "index", "title": "Course map", "href": href("index")}] + ready
    ids = [m["id"] for m in order]
    prev = nxt = None
    if page in ids:
        i = ids.index(page)
        prev = order[i - 1] if i > 0 else None
        nxt = order[i + 1] if i + 1 < len(order) else None
    elif page in {tool["id"] for tool in tools}:
        prev = order[0]
    return {
        "title": cmap.title,
        "subtitle": cmap.subtitle,
        "modules": modules,
        "tools": tools,
        "current": page,
        "home": href("index"),
        "prev": prev,
        "next": nxt,
        "error": None,
    }


def page_config_hook(page_config, base_url, settings, log, voila_configuration, notebook_path):
    """Voila's page-config hook: add the course navigation and the kit's asset URL."""
    page = os.path.splitext(notebook_path.replace(os.sep, "/"))[0]
    page_config = dict(page_config)
    page_config["balintCourse"] = course_nav(page, base_url)
    page_config["balintKitStatic"] = url_path_join(base_url, "kit/static/")
    page_config["balintAssetVersion"] = ASSET_VERSION
    try:
        page_config["balintText"] = dict(content.ui().strings)
    except content.ContentError:
        page_config["balintText"] = {}
    root = getattr(settings.get("contents_manager"), "root_dir", None) or settings.get("root_dir") or os.getcwd()
    page_config["balintGlossary"] = glossary_for(Path(root) / notebook_path)
    return page_config


_TERM_LINK = re.compile(r"glossary\.ipynb#term-([a-z][a-z0-9-]*)")


def glossary_for(notebook: Path) -> dict:
    """The glossary terms a notebook links to, ``{id: {"term", "definition"}}``, for kit.js to
    show in place. Empty when it links to none, or when data/glossary.yaml is broken: then the
    links stay plain links to the glossary page, which names the problem."""
    try:
        ids = set(_TERM_LINK.findall(notebook.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}
    if not ids:
        return {}
    try:
        terms = content.glossary().terms
    except content.ContentError:
        return {}
    return {t.id: {"term": t.term, "definition": t.definition} for t in terms if t.id in ids}


def _error_texts() -> dict[str, str]:
    """The error page's sentences (data/ui/en.yaml); plain English if that file cannot be read."""
    try:
        strings = content.ui().strings
    except content.ContentError:
        return {
            "error-title-other": "Error",
            "error-other": "The course site could not show this page.",
            "error-home": "Home",
        }
    return {k: v for k, v in strings.items() if k.startswith("error-")}


def _ui(key: str, default: str) -> str:
    try:
        return content.ui()[key]
    except content.ContentError:
        return default


class KernelCapReached(Exception):
    """No kernel was started: as many as the cap allows are running or starting."""


# --------------------------------------------------------------------------- whose kernel is it
_page_browser: contextvars.ContextVar[str | None] = contextvars.ContextVar("kit_page_browser", default=None)
"""The browser a course page is being made for, while its handler runs (read by the kernel
manager when Voila starts the page's kernel)."""

_NOT_NAME = re.compile(r"[^A-Za-z0-9]+")


def browser_cookie_name(handler: tornado.web.RequestHandler) -> str:
    """The binding cookie's name: one per host and port, as Jupyter's login cookie (browsers
    share cookies between the ports of one host, and a site on another port has another key)."""
    return "kit-browser-" + _NOT_NAME.sub("-", handler.request.host)


def browser_of(handler: tornado.web.RequestHandler) -> str | None:
    """The browser id in the request's binding cookie, when the cookie is this server's (signed)."""
    try:
        value = handler.get_signed_cookie(browser_cookie_name(handler), max_age_days=31)
    except Exception:  # noqa: BLE001 - a malformed cookie is no cookie
        return None
    return value.decode("ascii", "replace") if value else None


class OwnKernelOnly:
    """Mixin for every handler that takes a kernel id: the request must come from the browser
    whose page started that kernel (its binding cookie), else 403 and one log line that names
    neither the kernel nor the address. A kernel id is no longer enough to reach a kernel."""

    def _kernel_id_of_request(self) -> str:
        kwargs = getattr(self, "path_kwargs", None) or {}
        args = getattr(self, "path_args", None) or []
        return kwargs.get("kernel_id") or (args[0] if args else "")

    def refuse_other_browsers(self) -> None:
        kernel_id = self._kernel_id_of_request()
        manager = self.settings["kernel_manager"]
        if kernel_id not in manager:
            # As stock: a kernel this server does not run (a page from before a restart) is 404.
            raise tornado.web.HTTPError(404)
        owner = getattr(manager, "owners", {}).get(kernel_id)
        if owner is None or owner != browser_of(self):
            # Said in the request's one access line (widgets/front.py's log_request).
            self.kit_reason = (
                f"refused a request for a kernel from a browser that did not open it ({type(self).__name__})"
            )
            raise tornado.web.HTTPError(403)

    def write_error(self, status_code: int, **kwargs):
        # Plain JSON: Jupyter's error page needs the login, which is read after this check.
        self.clear()
        self.set_status(status_code)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"status": {403: "forbidden", 404: "not-found"}.get(status_code, "error")}))

    def log_exception(self, typ, value, tb):
        if isinstance(value, tornado.web.HTTPError):
            return  # the refusal above is its one line; the access log has the status
        super().log_exception(typ, value, tb)


class CourseKernelWebsocketHandler(OwnKernelOnly, VoilaKernelWebsocketHandler):
    """The page's kernel websocket: its own browser only; what the browser says is noted
    (the kernel manager ends a kernel whose page has been silent too long)."""

    _open: ClassVar[dict[str, set]] = {}
    """Open kernel websockets by kernel id (the kernel manager tells them when it ends a kernel)."""

    async def prepare(self, *args, **kwargs):
        self.refuse_other_browsers()
        return await super().prepare(*args, **kwargs)

    async def open(self, kernel_id):
        self._kit_kernel = kernel_id
        type(self)._open.setdefault(kernel_id, set()).add(self)
        self.kernel_manager.heard_from(kernel_id)
        await super().open(kernel_id)

    def on_message(self, ws_message):
        self.kernel_manager.heard_from(self._kit_kernel)
        try:
            return super().on_message(ws_message)
        except UnicodeEncodeError:
            # A lone surrogate ("\\ud800" in the JSON) cannot be sent on to the kernel as UTF-8:
            # jupyter_client raised, tornado logged a traceback and dropped the connection. The
            # page that sent it is no real page: one line, and the socket is closed as invalid text.
            self.log.warning("refused a message from the page that is not valid text (a lone surrogate)")
            self.close(1007, "not valid text")
            return None

    def on_close(self):
        sockets = type(self)._open.get(getattr(self, "_kit_kernel", None))
        if sockets is not None:
            sockets.discard(self)
            if not sockets:
                type(self)._open.pop(self._kit_kernel, None)
        if self.connection is not None:
            super().on_close()

    @classmethod
    def kernel_ended(cls, kernel_id: str) -> None:
        """Tell the pages of a kernel that is being ended that it is gone (status 'dead', as
        jupyter_server says when a restart fails), so that they show the kit's banner at once,
        as after a killed kernel; then close their websockets."""
        for socket in list(cls._open.pop(kernel_id, ())):
            try:
                if socket.connection is not None:
                    socket.connection._send_status_message("dead")
                socket.close()
            except Exception:  # noqa: BLE001 - a socket already closing
                pass


class CourseKernelHandler(OwnKernelOnly, KernelHandler):
    """``/api/kernels/<id>``: the kernel's model and DELETE, for its own browser only."""

    async def prepare(self, *args, **kwargs):
        self.refuse_other_browsers()
        return await super().prepare(*args, **kwargs)


class CourseShutdownHandler(OwnKernelOnly, VoilaShutdownKernelHandler):
    """The page's shutdown beacon: its own browser only."""

    async def prepare(self, *args, **kwargs):
        self.refuse_other_browsers()
        return await super().prepare(*args, **kwargs)


class CourseExecutionHandler(OwnKernelOnly, ExecutionRequestHandler):
    """Progressive rendering's websocket (the page's cells run here, their outputs go to the
    page): its own browser only. A kernel that ends while the cells run (the page was closed or
    reloaded, its beacon ended the kernel) stops the run with one line, not a traceback per cell.
    The cell's source is not logged."""

    _executor = None

    async def prepare(self, *args, **kwargs):
        self.refuse_other_browsers()
        return await super().prepare(*args, **kwargs)

    async def on_message(self, message_str):
        try:
            message = json.loads(message_str)
        except ValueError:
            return
        payload = message.get("payload") if isinstance(message, dict) else None
        if not isinstance(payload, dict) or message.get("action") != "execute":
            return
        if payload.get("kernel_id") != self._kernel_id:
            await self.write_message({"action": "execution_error", "payload": {"error": "Kernel ID does not match"}})
            return
        execution_data = self._execution_data.pop(self._kernel_id, None)
        if execution_data is None:
            await self.write_message({"action": "execution_error", "payload": {"error": "Missing notebook data"}})
            return
        km = await ensure_async(self.kernel_manager.get_kernel(self._kernel_id))
        nb = execution_data["nb"]
        self._executor = executor = VoilaExecutor(
            nb,
            km=km,
            config=execution_data["config"],
            show_tracebacks=execution_data["show_tracebacks"],
            log=_cells_log(self.log),
        )
        executor.kc = await executor.async_start_new_kernel_client()
        total = len(nb.cells)
        for index, cell in enumerate(nb.cells):
            try:
                output = await executor.execute_cell(cell, None, index, store_history=False)
            except TimeoutError:
                output = cell
            except DeadKernelError:
                self.log.info("a page's kernel ended while its cells ran (the page was closed or reloaded)")
                return
            except CellExecutionError:
                self.log.error("a cell of a page raised an error (cell %d)", index)
                if executor.should_strip_error():
                    strip_code_cell_warnings(cell)
                    executor.strip_code_cell_errors(cell)
                output = cell
            except Exception as exc:  # noqa: BLE001 - as Voila: the page gets a plain line
                if not self.kernel_manager.is_running(self._kernel_id):
                    self.log.info("a page's kernel ended while its cells ran (the page was closed or reloaded)")
                    return
                self.log.error("the server could not run cell %d of a page (%s)", index, type(exc).__name__)
                output = nbformat_code_cell_with_error(executor)
            output.pop("source", None)
            if self.ws_connection is None:
                return  # the page has gone
            await self.write_message(
                {
                    "action": "execution_result",
                    "payload": {"output_cell": output, "cell_index": index, "total_cell": total},
                }
            )

    def on_close(self) -> None:
        if self._executor is not None and self._executor.kc:
            asyncio.create_task(ensure_async(self._executor.kc.stop_channels()))


class _NoDeathNotice(logging.Filter):
    """nbclient says "Kernel died while waiting for execute reply" as an ERROR when a page is closed
    while its cells run; the handler above says it once, in plain words."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Kernel died while waiting")


def _cells_log(parent: logging.Logger) -> logging.Logger:
    log = logging.getLogger(f"{parent.name}.cells")
    if not any(isinstance(f, _NoDeathNotice) for f in log.filters):
        log.addFilter(_NoDeathNotice())
    return log


def nbformat_code_cell_with_error(executor):
    import nbformat

    cell = nbformat.v4.new_code_cell()
    cell.outputs = [
        {
            "output_type": "stream",
            "name": "stderr",
            "text": f"An exception occurred at the server (not the notebook). {executor.cell_error_instruction}",
        }
    ]
    return cell


async def ensure_async(value):
    return await value if inspect.isawaitable(value) else value


# --------------------------------------------------------------------------- new browsers per address
class Arrivals:
    """New browsers (pages asked for without the binding cookie) per client address in the last
    minute: at most ``per_minute``; 0 for no limit. A sliding window of arrival times, kept for
    addresses seen in the last minute only (cheap: a deque per address)."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._seen: dict[str, collections.deque] = {}
        self._swept = clock()

    def admit(self, address: str) -> bool:
        if self.per_minute <= 0:
            return True
        now = self.clock()
        if now - self._swept > 60:  # forget addresses that have been quiet for a minute
            self._seen = {a: q for a, q in self._seen.items() if q and now - q[-1] < 60}
            self._swept = now
        times = self._seen.setdefault(address, collections.deque())
        while times and now - times[0] >= 60:
            times.popleft()
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        return True


_quiet_end: contextvars.ContextVar[bool] = contextvars.ContextVar("kit_quiet_end", default=False)
"""Set while the kit ends a kernel whose end it has already said (its own task's context)."""
_oldest_ended: contextvars.ContextVar[str] = contextvars.ContextVar("kit_oldest_ended", default="")
"""While a page's kernel starts: what the kit ended to make room for it, said in the same line."""


class _OneLineForAnEnd(logging.Filter):
    """One line for a page request that ends its browser's oldest page (pages_per_browser):
    jupyter_server's "Kernel started" line says which kernel was ended for it, and
    jupyter_client's "Kernel shutdown" line for that kernel is dropped."""

    _EVERY_CONNECTION = ("Adapting from protocol version", "Connecting to kernel", "Starting buffering for")
    """jupyter_server's INFO lines for every kernel websocket: more lines per page than the page
    request's own; left out (nothing goes wrong in them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = str(record.msg)
        if text.startswith(self._EVERY_CONNECTION):
            return False
        if _quiet_end.get() and text.startswith("Kernel shutdown:"):
            return False
        if _oldest_ended.get() and text.startswith("Kernel started:"):
            record.msg = f"{record.getMessage()} ({_oldest_ended.get()})"
            record.args = None
        return True


class CappedKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager with a cap on kernels, kernels bound to the browser that opened
    them, a limit of open pages per browser, an end for pages silent too long, and hardened
    kernels (memory limit, no history, guarded comms: :mod:`widgets.guard`).

    The cap's check and reservation happen together, before the first ``await``, and each
    starting kernel is counted once by its id (jupyter_client lists a kernel only once it has
    started): learners who arrive at the same moment cannot all slip past the cap, and none is
    turned away while there is room.
    """

    max_kernels = Int(40, config=True, help="Kernels running or starting above which none is started.")
    pages_per_browser = Int(
        5,
        config=True,
        help="Course pages (kernels) one browser may have open; opening one more ends the kernel of its "
        "oldest page (that page shows the 'lost its connection' banner). 0: no limit.",
    )
    silent_timeout = Int(
        4 * 3600,
        config=True,
        help="Seconds a page may stay connected without a message from the browser before its kernel is "
        "ended (a learner who reads without clicking for the whole of a 90-minute class is well inside). 0: never.",
    )
    kernel_memory_mb = Int(
        768,
        config=True,
        help="Memory limit of each kernel in MiB (the operating system's RLIMIT_DATA: heap and anonymous "
        "mappings); a kernel that reaches it stops and its page says so. 0: no limit.",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._reserved: set[str] = set()
        self.owners: dict[str, str] = {}
        """Kernel id -> the browser that opened its page, in the order the kernels were started."""
        self._heard: dict[str, float] = {}
        self._ending: set = set()
        logger = getattr(self.log, "logger", self.log)
        if isinstance(logger, logging.Logger) and not any(isinstance(f, _OneLineForAnEnd) for f in logger.filters):
            logger.addFilter(_OneLineForAnEnd())

    def kernels_in_use(self) -> int:
        ids = set(self.list_kernel_ids()) | set(getattr(self, "_pending_kernels", {})) | self._reserved
        pooled = sum(len(p) for p in getattr(self, "_pools", {}).values())
        return len(ids) - pooled

    def is_running(self, kernel_id: str) -> bool:
        return kernel_id in self

    def heard_from(self, kernel_id: str) -> None:
        self._heard[kernel_id] = time.monotonic()

    async def cull_kernels(self):
        await super().cull_kernels()
        if self.silent_timeout > 0:
            now = time.monotonic()
            for kernel_id in list(self._heard):
                if kernel_id not in self:
                    self._heard.pop(kernel_id, None)
                elif (
                    self._kernel_connections.get(kernel_id, 0) > 0
                    and now - self._heard[kernel_id] > self.silent_timeout
                ):
                    self.log.warning("ended a kernel whose page sent nothing for %d s", self.silent_timeout)
                    self._heard.pop(kernel_id, None)
                    await self._end(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id):
        # A kernel still starting has no activity clock yet: reading it raises a TraitError in
        # jupyter_server's culler, which logs a traceback (seen in the hub test's log). Such a
        # kernel is not idle; the culler looks at it again on its next round.
        kernel = self._kernels.get(kernel_id)
        try:
            started = kernel is not None and kernel_id not in self._reserved and kernel.last_activity is not None
        except TraitError:
            started = False
        if started:
            await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        if not restart:
            self.owners.pop(kernel_id, None)
            self._heard.pop(kernel_id, None)
            CourseKernelWebsocketHandler.kernel_ended(kernel_id)
        return await super().shutdown_kernel(kernel_id, now=now, restart=restart)

    async def _end(self, kernel_id: str, quiet: bool = False) -> None:
        if quiet:
            _quiet_end.set(True)  # in this task's own context only (it is made for this end)
        try:
            await self.shutdown_kernel(kernel_id)
        except Exception as exc:  # noqa: BLE001 - a kernel already gone
            self.log.info("a kernel could not be ended (%s)", type(exc).__name__)

    def _hardened(self, kwargs: dict) -> dict:
        """The launch arguments of a course page's kernel: no history (IPython's history.sqlite
        would get a session per page view), the kit's guard as an extension, the memory limit."""
        env = dict(kwargs.get("env") or os.environ)
        env[guard.MEMORY_ENV] = str(max(self.kernel_memory_mb, 0))
        return {
            **kwargs,
            "env": env,
            "extra_arguments": [
                *kwargs.get("extra_arguments", []),
                "--HistoryManager.enabled=False",
                "--IPKernelApp.extensions=widgets.guard",
            ],
        }

    async def start_kernel(self, *, kernel_id=None, **kwargs):
        if kernel_id is not None and kernel_id in self:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        browser = _page_browser.get()
        older = []
        if browser is not None and self.pages_per_browser > 0:
            mine = [k for k, b in self.owners.items() if b == browser]
            older = mine[: max(len(mine) - self.pages_per_browser + 1, 0)]
        # This browser's oldest pages make room for its new one, also on a full server.
        if self.kernels_in_use() - len(older) >= self.max_kernels:
            raise KernelCapReached()
        said = _oldest_ended.set("")
        if older:
            tags = ", ".join(_UUID.sub(_tag, k) for k in older)
            _oldest_ended.set(f"the browser opened more than {self.pages_per_browser} pages: ended its oldest, {tags}")
        for k in older:
            self.owners.pop(k, None)
            task = asyncio.ensure_future(self._end(k, quiet=True))
            self._ending.add(task)
            task.add_done_callback(self._ending.discard)
        kernel_id = kernel_id or str(uuid.uuid4())
        self._reserved.add(kernel_id)
        if browser is not None:
            self.owners[kernel_id] = browser
        try:
            return await super().start_kernel(kernel_id=kernel_id, **self._hardened(kwargs))
        except BaseException:
            self.owners.pop(kernel_id, None)
            raise
        finally:
            self._reserved.discard(kernel_id)
            _oldest_ended.reset(said)


class CourseVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, with the xsrf cookie, the binding cookie, the limit of new browsers
    per address and the busy page above the kernel cap."""

    @tornado.web.authenticated
    async def get(self, path=None):
        # Touching the token sets the _xsrf cookie, which the page's shutdown beacon needs.
        self.xsrf_token  # noqa: B018
        set_poll_token(self)
        browser = browser_of(self)
        if browser is None:
            if not self.settings["kit_arrivals"].admit(self.request.remote_ip or ""):
                self.kit_reason = "too many new browsers from one address in a minute: sent the wait page"
                self._plain_page(
                    429,
                    "too-many-new-title",
                    "The course is busy",
                    "too-many-new-message",
                    "Many new browsers opened the course from your network in the last minute. "
                    "Please wait a minute and try again; nothing you have done so far is lost.",
                )
                return
            browser = secrets.token_urlsafe(18)
            self.set_signed_cookie(
                browser_cookie_name(self),
                browser,
                expires_days=None,  # for as long as the browser runs
                path=self.base_url,
                httponly=True,
                samesite="Lax",
                secure=self.request.protocol == "https",
            )
        token = _page_browser.set(browser)
        try:
            await super().get(path)
        except KernelCapReached:
            # Voila starts the kernel before it writes any of the page, so the answer is still ours.
            self.kit_reason = f"kernel cap of {self.kernel_manager.max_kernels} reached: sent the busy page"
            self._plain_page(
                503,
                "busy-title",
                "The course is busy",
                "busy-message",
                "The course is busy. Please try again in a minute.",
            )
        finally:
            _page_browser.reset(token)

    def write_error(self, status_code: int, **kwargs):
        try:
            super().write_error(status_code, **kwargs)
        except Exception:  # noqa: BLE001 - refused before the request had a user (a path that is not UTF-8: 400)
            self.clear()
            self.set_status(status_code)
            self.set_header("Content-Type", "text/plain; charset=UTF-8")
            self.finish(_error_texts().get("error-other", "The course site could not show this page.") + "\n")

    def _plain_page(self, status: int, title_key: str, title: str, message_key: str, message: str) -> None:
        self.clear()
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Retry-After", "60")
        self.set_header("Cache-Control", "no-store")
        template = self.settings["voila_jinja2_env"].get_template("busy.html")
        self.finish(
            template.render(
                title=_ui(title_key, title),
                message=_ui(message_key, message),
                retry=_ui("busy-retry", "Try again"),
            )
        )


class KitStaticHandler(tornado.web.StaticFileHandler):
    """The kit's own assets; with ``?v=`` in the URL the browser keeps them for a year."""

    def get_cache_time(self, path, modified, mime_type):
        return self.CACHE_MAX_AGE if "v" in self.request.arguments else 0


class PlotlyHandler(KitStaticHandler):
    """``plotly.min.js``: the bundle :func:`widgets.plotly_bundle.choose` picked, under one name."""

    def parse_url_path(self, url_path):
        return PLOTLY.path.name


# --------------------------------------------------------------------------- the class poll
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
    """What one client (one address) may do to the class poll; see :class:`CourseVoila`'s
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

    200 the results (see :func:`widgets.poll.view`), 403 wrong-key, 404 unknown-class.
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


class NotFound(tornado.web.RequestHandler):
    """404 in the site's own words (the error page of the site template), for what is not served."""

    def get(self, *args):
        raise tornado.web.HTTPError(404)

    def write_error(self, status_code: int, **kwargs):
        env = self.settings.get("jinja2_env")
        if env is None:
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(
            env.get_template("error.html").render(status_code=status_code, base_url=self.settings.get("base_url", "/"))
        )


class LandingRedirect(tornado.web.RequestHandler):
    def get(self, *args):
        self.redirect(url_path_join(self.settings["base_url"], "voila/render/index.ipynb"))


_BOUND = {
    VoilaKernelWebsocketHandler: CourseKernelWebsocketHandler,
    KernelHandler: CourseKernelHandler,
    VoilaShutdownKernelHandler: CourseShutdownHandler,
    ExecutionRequestHandler: CourseExecutionHandler,
}
"""Voila's handlers that take a kernel id, and the kit's, which answer only the kernel's own browser."""


def quiet_notebook_trust(contents_manager) -> None:
    """Voila runs every notebook on the server and marks their outputs trusted itself; the contents
    manager's signature check (an HMAC of the notebook and a SQLite lookup per page view) only
    logs "Notebook ... is not trusted" each time. Cells are marked untrusted without the check."""

    def mark_trusted_cells(nb, path=""):
        contents_manager.notary.mark_cells(nb, False)

    contents_manager.mark_trusted_cells = mark_trusted_cells


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_LOG_SALT = secrets.token_bytes(16)


def _tag(match: re.Match) -> str:
    return "k-" + hashlib.sha256(_LOG_SALT + match.group(0).encode()).hexdigest()[:8]


def hide_kernel_ids_in_the_log() -> None:
    """Kernel ids (and the websocket session ids beside them) never reach the server's log: every
    id-shaped string in a log record is replaced by a short tag, the same for one id while the
    server runs (so that "started" and "culled" lines still match) and useless as a key. Done where
    records are made, so it costs nothing for records below the log level, which are never made."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "kit_hides_ids", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - left to logging, which reports it
            return record
        if _UUID.search(text):
            record.msg, record.args = _UUID.sub(_tag, text), None
        return record

    factory.kit_hides_ids = True
    logging.setLogRecordFactory(factory)


class CourseVoila(Voila):
    """Voila as the course site (see the module docstring)."""

    name = "balint-course"
    description = "The Balint Course Kit site"
    max_kernels = Int(
        40,
        config=True,
        help="Kernels running or starting above which a new visitor gets the 'busy' page.",
    )
    pages_per_browser = Int(
        5,
        config=True,
        help="Course pages one browser may have open at once (by its binding cookie); its next page ends the "
        "kernel of its oldest. 0: no limit.",
    )
    new_browsers_per_minute = Int(
        50,
        config=True,
        help="New browsers (page requests without the binding cookie) one client address may bring in a "
        "minute; above it, the 'wait a minute' page (HTTP 429). A class of 40 behind one address passes. 0: no limit.",
    )
    silent_timeout = Int(
        4 * 3600,
        config=True,
        help="Seconds a connected page may send nothing before its kernel is ended. 0: never.",
    )
    kernel_memory_mb = Int(
        768,
        config=True,
        help="Each kernel's memory limit in MiB, enforced by the operating system (RLIMIT_DATA). 0: none.",
    )
    landing = Unicode("index.ipynb", config=True, help="The landing notebook.")
    poll_url = Unicode(
        config=True,
        help="The class poll's store: postgresql://… or sqlite:PATH; empty for BALINT_KIT_POLL_URL, "
        "else the SQLite file BALINT_KIT_POLL_DB or the default in the user's data folder.",
    )
    poll_open_limit = Unicode(
        "20/hour",
        config=True,
        help="Classes one address may open (limits' notation: '20/hour'; '' for no limit). An instructor "
        "opens one a session; a department behind one address, a few.",
    )
    poll_send_limit = Unicode(
        "45/day",
        config=True,
        help="Responses one address may send to one class. A class of 40 behind one hospital address "
        "(one NAT) must get through; a client that makes up tokens can add no more than this.",
    )
    poll_miss_limit = Unicode(
        "30 per 10 minutes",
        config=True,
        help="Look-ups of class codes that do not exist, or keys that do not fit, one address may make "
        "before every poll request from it gets 429 for the rest of the window (codes are 6 of 31 "
        "characters: about 887 million).",
    )
    poll_one_per_login = Bool(
        False,
        config=True,
        help="One response per login per class, enforced by the server (set by the JupyterHub "
        "single-user server, where every learner is a login). On the plain site every visitor is "
        "anonymous, and each browser answers once.",
    )
    allowed_hosts = List(
        Unicode(),
        ["localhost", "127.0.0.1", "[::1]"],
        config=True,
        help="Host names the site answers to (any port); any other Host header gets 421, so that a page "
        "elsewhere whose name is pointed at this machine (DNS rebinding) cannot read the site. Add the "
        "name learners use (e.g. course.hospital.example) when the site is served to a network; '*' "
        "turns the check off (behind a proxy that checks it, as JupyterHub's does).",
    )
    trust_xheaders = Bool(
        False,
        config=True,
        help="Take the client's address and scheme from X-Real-IP / X-Forwarded-For and X-Scheme, as a "
        "reverse proxy in front of the site sets them (deploy/nginx/). Only behind such a proxy: "
        "otherwise a client could choose the address the per-address limits count it by.",
    )
    compress_responses = Bool(
        True,
        config=True,
        help="Send compressible responses gzipped to browsers that take gzip, static files from gzip copies "
        "made once (widgets/compress.py). False when a proxy in front compresses.",
    )
    aliases: ClassVar[dict] = {**Voila.aliases, "poll-url": "CourseVoila.poll_url", "poll_url": "CourseVoila.poll_url"}

    def initialize(self, argv=None):
        super().initialize(argv)
        render_cache.install()  # each page's Markdown converted, and the templates compiled, once per server
        self.voila_configuration.page_config_hook = page_config_hook
        self.voila_configuration.multi_kernel_manager_class = CappedKernelManager

    def init_settings(self):
        settings = super().init_settings()
        km = self.kernel_manager
        km.max_kernels = self.max_kernels
        km.pages_per_browser = self.pages_per_browser
        km.silent_timeout = self.silent_timeout
        km.kernel_memory_mb = self.kernel_memory_mb
        settings["kit_arrivals"] = Arrivals(self.new_browsers_per_minute)
        quiet_notebook_trust(self.contents_manager)
        hide_kernel_ids_in_the_log()
        # Jupyter Server's error page needs static files this site does not serve (it failed as a
        # 500 with a traceback in the log): the kit's own, from the site template's folder.
        env = settings.get("jinja2_env")
        if env is not None:
            env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(TEMPLATE)), env.loader])
            env.globals["kit_ui"] = _error_texts()
        # Voila's page handler renders its error pages (a missing notebook's 404) from its own
        # environment, which needs the same sentences (the 404 was a traceback in the log).
        if settings.get("voila_jinja2_env") is not None:
            settings["voila_jinja2_env"].globals["kit_ui"] = _error_texts()
        settings["default_handler_class"] = NotFound  # any other address: the same plain 404 page
        # SameSite=Lax on every cookie (front.py); the anonymous visitor cookie lasts a day.
        settings.update(front.cookie_settings(tls=bool(getattr(self, "certfile", ""))))
        if type(self.identity_provider).__module__.startswith("jupyter_server."):  # not the hub's own
            self.identity_provider.cookie_options = {
                **front.identity_cookie_options(),
                **self.identity_provider.cookie_options,
            }
        return settings

    def init_handlers(self):
        stock = super().init_handlers()
        # The plain site has no login: the identity provider's login and logout pages (Voila adds
        # them; /logout answered 500) are not served. Under JupyterHub the hub's are kept.
        no_login = type(self.identity_provider).__module__.startswith("jupyter_server.")
        login_pages = {pattern for pattern, *_ in self.identity_provider.get_handlers()} if no_login else set()
        keep = []
        for pattern, handler, *rest in stock:
            if pattern in login_pages:
                continue
            if handler is TornadoVoilaHandler:
                keep.append((pattern, CourseVoilaHandler, *rest))
            elif handler in _BOUND:
                keep.append((pattern, _BOUND[handler], *rest))
            elif isinstance(handler, type) and issubclass(handler, VoilaTreeHandler):
                continue  # no file listing: learners start at the landing page
            elif "api/contents" in pattern:
                continue  # the contents API would list the notebooks
            else:
                keep.append((pattern, handler, *rest))
        base = self.server_url
        ours = [
            (base, LandingRedirect),
            (url_path_join(base, r"/voila/tree(.*)"), LandingRedirect),
            # Only a template's static/ folder is public (stock Voila answers 500 for anything else).
            (url_path_join(base, r"/voila/templates/(?![^/]+/static/).*"), NotFound),
            (
                url_path_join(base, r"/kit/static/plotly/(plotly\.min\.js)"),
                PlotlyHandler,
                {"path": str(PLOTLY.path.parent)},
            ),
            (url_path_join(base, r"/kit/static/(.*)"), KitStaticHandler, {"path": str(STATIC)}),
        ]
        # The class poll: one store per server, opened here (nothing is connected until first use).
        self.poll_store = poll.open_store(
            self.poll_url or None,
            statements=poll_statement_count(),
            sender_secret=os.environ.get("BALINT_KIT_POLL_SECRET", "").encode(),
        )
        if self.poll_one_per_login and not os.environ.get("BALINT_KIT_POLL_SECRET"):
            self.log.warning(
                "Class poll: BALINT_KIT_POLL_SECRET is not set, so whoever reads the poll's database "
                "could tell which logins sent answers to a class (not what they sent)."
            )
        self.log.info("Class poll answers are stored in the %s.", self.poll_store.where())
        plotly_bundle.log_choice(PLOTLY, self.log)
        limits = PollLimits(self.poll_open_limit, self.poll_send_limit, self.poll_miss_limit)
        self.log.info("Class poll limits: %r.", limits)
        store = {"store": self.poll_store, "limits": limits, "one_per_login": self.poll_one_per_login}
        if not any(isinstance(f, _NoPollURLs) for f in app_log.filters):
            app_log.addFilter(_NoPollURLs())
        ours += [
            (url_path_join(base, r"/kit/poll/classes"), PollClassesHandler, store),
            (url_path_join(base, r"/kit/poll/classes/([^/]+)/responses"), PollResponsesHandler, store),
            (url_path_join(base, r"/kit/poll/classes/([^/]+)/results"), PollResultsHandler, store),
        ]
        return compress.precompressed_handlers(ours + keep) if self.compress_responses else ours + keep

    def listen(self):
        # The security headers and the Host check go on the application Voila has just made
        # (Voila.start makes it and calls this), before the first request can arrive.
        if self.trust_xheaders:
            listen = self.app.listen
            self.app.listen = lambda port, address="", **kw: listen(port, address, xheaders=True, **kw)
        hosts = list(self.allowed_hosts)
        if self.ip not in ("", "localhost", "127.0.0.1", "::1", "0.0.0.0", "::"):
            hosts.append(self.ip)  # the address the site was told to listen on answers to itself
        front.install(self.app, hosts)
        if self.compress_responses:
            compress.install(self.app)
        content_cache.prepare_in_background()  # the kernels' validated content and bytecode, made once
        super().listen()


def main(argv=None):
    # Voila finds the kit's template through JUPYTER_PATH (its template_paths option is
    # overwritten whenever a template is set).
    ours = str(ROOT / "share" / "jupyter")
    rest = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != ours]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([ours, *rest])
    CourseVoila.launch_instance(argv=argv)


if __name__ == "__main__":
    main()
