"""The course pages' kernels: whose kernel it is, how many there are, and how they are launched.

* :class:`CappedKernelManager`, Voila's kernel manager with the cap on kernels, kernels bound to
  the browser that opened them, the limit of pages per browser, the end of silent pages and the
  hardened launch (:mod:`kitserver.guard` as an IPython extension).
* The handlers that take a kernel id (kernel websocket, execution websocket, ``/api/kernels/<id>``,
  the shutdown beacon), which answer only the kernel's own browser (:class:`OwnKernelOnly`), and
  :data:`_BOUND`, which puts them in place of Voila's.
* :class:`Arrivals`, the limit of new browsers per address, and the tags that stand for kernel ids
  in the log (:func:`hide_kernel_ids_in_the_log`).
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import hashlib
import inspect
import json
import logging
import os
import re
import secrets
import time
import uuid
from typing import ClassVar

import tornado.web
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from nbclient.exceptions import CellExecutionError, DeadKernelError
from traitlets import Int, TraitError
from voila.execute import VoilaExecutor, strip_code_cell_warnings
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.execution_request_handler import ExecutionRequestHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from . import guard


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
            # Said in the request's one access line (kitserver/front.py's log_request).
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
    """The page's shutdown beacon: its own browser only. For a kernel the server no longer runs
    (it died, or was ended by the culler or a limit, or the server restarted) the beacon's work
    is done: 204, where stock Voila's 404 showed in the learner's console on every such reload."""

    async def prepare(self, *args, **kwargs):
        if self._kernel_id_of_request() not in self.settings["kernel_manager"]:
            self.set_status(204)
            self.finish()
            return
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
    _GIVEN_UP = ("KernelRestarter: restart failed", "restarted failed!")
    """A kernel that died is given up at once (voila.json: KernelRestarter.restart_limit 0, no empty
    kernel in its place): jupyter_client and jupyter_server each say so beside jupyter_server's
    "Kernel ... died, removing from map.", which is kept as the one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = str(record.msg)
        if text.startswith(self._EVERY_CONNECTION):
            return False
        if text.endswith(self._GIVEN_UP):
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
    kernels (memory limit, no history, guarded comms: :mod:`kitserver.guard`).

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
                "--IPKernelApp.extensions=kitserver.guard",
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


_BOUND = {
    VoilaKernelWebsocketHandler: CourseKernelWebsocketHandler,
    KernelHandler: CourseKernelHandler,
    VoilaShutdownKernelHandler: CourseShutdownHandler,
    ExecutionRequestHandler: CourseExecutionHandler,
}
"""Voila's handlers that take a kernel id, and the kit's, which answer only the kernel's own browser."""


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
