"""What a page may change in its kernel: every widget of the kit refuses the rest.

The browser reaches a widget only through comm messages, and a comm message can set any
synced trait to any value (see /work/shared/DESIGN.md). ipywidgets checks a value's type
before a widget's own validators run, and raises a ``TraitError`` that quotes the value
(learner data in a traceback, which ipywidgets then sends to the page). :class:`BrowserSafe`
stands in front of that. In a state update from the browser it refuses

- every trait not named in ``browser_sets`` (the traits the page's own code sets),
- a value that could not travel back to the page (NaN, infinity, a lone surrogate),
- a value of the wrong type, or one the trait's own rules reject,

leaves each refused trait as it was and sends the kept value back, so the page shows what
the kernel holds. Values it lets through still meet the widget's own validators. A custom
message that is not a record is dropped, and a handler's failure is logged by its type
only. Nothing here raises, and nothing logs what the browser sent.
"""

from __future__ import annotations

import json
import logging
import os
import sys

import ipywidgets as w
from traitlets import TraitError

log = logging.getLogger("balint_kit")


def portable(value) -> bool:
    """True when ``value`` can go back to the page: strict JSON, encodable as UTF-8."""
    try:
        json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return False
    return True


class BrowserSafe:
    """Mixin for a widget (put it before the widget class): state updates from the browser are checked."""

    browser_sets: tuple[str, ...] = ()
    """The traits the page may set; every other synced trait is the kernel's alone."""

    def __init__(self, *args, **kwargs):
        # One Layout for all the kit's widgets in a kernel (ipywidgets lets widgets share one): each
        # widget made its own, one more model for the kernel to open and the server to relay, twice.
        # A widget given a layout of its own keeps it; the kit never changes a layout afterwards.
        if "layout" not in kwargs and type(self).class_traits().get("layout") is not None:
            kwargs["layout"] = shared_layout()
        super().__init__(*args, **kwargs)

    def set_state(self, sync_data):
        if not isinstance(sync_data, dict):
            return
        keys = set(self.keys)
        taken, refused = {}, set()
        for name, value in sync_data.items():
            if name not in keys:
                continue  # not a synced trait (ipywidgets ignores it too)
            if name in self.browser_sets and portable(value) and self._fits(name, value):
                taken[name] = value
            else:
                refused.add(name)
        if taken:
            try:
                super().set_state(taken)
            except TraitError:
                # a trait's own rule refused a value: ipywidgets has rolled the update back
                refused.update(taken)
        if refused:
            log.info("%s: refused a value from the page for %s", type(self).__name__, ", ".join(sorted(refused)))
            self.send_state(sorted(refused))

    def _set(self, **values) -> None:
        """Set several traits from Python, sent to the page in one message."""
        with self.hold_sync():
            for name, value in values.items():
                setattr(self, name, value)

    def _fits(self, name: str, value) -> bool:
        """Whether ``value`` passes the trait's type check (the one that would raise)."""
        trait = self.traits()[name]
        if value is None and trait.allow_none:
            return True
        try:
            from_json = self.trait_metadata(name, "from_json", self._trait_from_json)
            trait.validate(self, from_json(value, self))
        except Exception:  # noqa: BLE001 - TraitError, or a from_json that cannot read the value
            return False
        return True

    def _handle_custom_msg(self, content, buffers):
        if not isinstance(content, dict):
            return
        for callback in list(self._msg_callbacks.callbacks):
            try:
                callback(self, content, buffers)
            except Exception as exc:  # noqa: BLE001 - the page gets nothing; the log gets no learner data
                log.error("%s could not handle a message from the page (%s)", type(self).__name__, type(exc).__name__)


_layout: list[w.Layout] = []


def shared_layout() -> w.Layout:
    """The kernel's one default Layout for the kit's widgets (made again if it was closed)."""
    if not _layout or _layout[0].comm is None:
        _layout[:] = [w.Layout()]
    return _layout[0]


# The ipywidgets the kit puts around its own widgets, guarded the same way.
class VBox(BrowserSafe, w.VBox):
    pass


class HTML(BrowserSafe, w.HTML):
    pass


class Button(BrowserSafe, w.Button):
    pass


class Dropdown(BrowserSafe, w.Dropdown):
    browser_sets = ("index",)


# --------------------------------------------------------------------------- the page's kernel
# On the course site every kernel loads this module as an IPython extension at launch
# (``--IPKernelApp.extensions=widgets.guard``, added by widgets.site's kernel manager), before
# any message from the page is read. What it does there:
#
# - The operating system limits the kernel's memory (RLIMIT_DATA, from the environment
#   variable below, set by the server); a kernel that reaches it stops, and its page shows the
#   kit's "lost its connection" banner, as after any other kernel death.
# - The page may not create widget models: a ``comm_open`` from the browser is refused unless
#   its target is one of FRONTEND_TARGETS (Voila's widget manager opens only the control comm,
#   to ask for the states of the widgets the kernel made). Stock ipywidgets would build any
#   model the browser names (an 8 MB Textarea, 25 times over).
# - A comm message that fails (a stock Layout given an int, an update without data, a control
#   comm of another protocol) is dropped with one line in the server's log, never a
#   traceback: the stock handlers log one to the kernel's stderr, which the kernel forwards
#   to the page.

MEMORY_ENV = "BALINT_KIT_KERNEL_MEMORY_MB"
"""Environment variable: the kernel's memory limit in MiB (0 or unset: none)."""

FRONTEND_TARGETS = frozenset({"jupyter.widget.control"})
"""Comm targets the page may open: Voila's widget manager asks for the widget states on this one."""

_LOG_FIRST = 5
"""Refusals of one kernel written to the server's log; later ones are counted only."""

_refused = {"count": 0}


def _server_log(text: str) -> None:
    """One line to the server's log (through the handler of :func:`_logs_to_the_server`, which
    writes to the kernel's original stderr, not to the stream the kernel forwards to the page)."""
    _refused["count"] += 1
    if _refused["count"] > _LOG_FIRST:
        return
    if _refused["count"] == _LOG_FIRST:
        text += " (further refusals by this kernel are not logged)"
    log.warning("%s", text)


def _out_of_memory() -> None:
    """The kernel reached its memory limit: stop it (its page shows the connection banner)."""
    limit = os.environ.get(MEMORY_ENV, "?")
    _refused["count"] = 0  # always said
    _server_log(f"this page's kernel reached its memory limit of {limit} MiB and was stopped")
    os._exit(3)


def set_memory_limit(megabytes: int) -> None:
    """Limit this process's data (heap and anonymous mappings) to ``megabytes`` MiB."""
    import resource

    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _content(msg) -> dict:
    content = msg.get("content") if isinstance(msg, dict) else None
    return content if isinstance(content, dict) else {}


class _no_traceback_to_the_page:
    """While a message from the page is handled: ipywidgets catches a failing handler's exception
    and shows its traceback as an error output, which goes to the page (``_show_traceback``).
    Here the shell's showtraceback writes one line to the server's log instead."""

    def __init__(self, kernel):
        self.shell = getattr(kernel, "shell", None)

    def __enter__(self):
        if self.shell is not None:
            self.shell.showtraceback = self._one_line
        return self

    def __exit__(self, *exc):
        if self.shell is not None:
            self.shell.__dict__.pop("showtraceback", None)
        return False

    @staticmethod
    def _one_line(*args, **kwargs):
        kind = sys.exc_info()[0]
        if kind is not None and issubclass(kind, MemoryError):
            _out_of_memory()
        _server_log(f"refused a message from the page ({kind.__name__ if kind else 'error'})")


def guard_kernel(kernel) -> None:
    """Put the guarded comm handlers in place of the kernel's stock ones."""
    from comm import create_comm

    manager = kernel.comm_manager

    def comm_open(stream, ident, msg):
        content = _content(msg)
        comm_id, target = content.get("comm_id"), content.get("target_name")
        if not isinstance(comm_id, str) or not isinstance(target, str):
            _server_log("refused a malformed comm_open from the page")
            return
        known = target in FRONTEND_TARGETS and target in manager.targets
        if not known:
            _server_log("refused a widget the page tried to create (only the kernel creates them)")
        try:
            channel = create_comm(comm_id=comm_id, primary=False, target_name=target)
            manager.register_comm(channel)
            if known:
                try:
                    with _no_traceback_to_the_page(kernel):
                        manager.targets[target](channel, msg)
                    return
                except MemoryError:
                    _out_of_memory()
                except Exception as exc:  # noqa: BLE001 - refused in one line, no traceback
                    _server_log(f"refused a {target} comm from the page ({type(exc).__name__})")
            channel.close()  # the page learns that this comm is closed, and nothing else
        except MemoryError:
            _out_of_memory()
        except Exception as exc:  # noqa: BLE001
            _server_log(f"refused a comm_open from the page ({type(exc).__name__})")

    def comm_msg(stream, ident, msg):
        comm_id = _content(msg).get("comm_id")
        channel = manager.comms.get(comm_id) if isinstance(comm_id, str) else None
        if channel is None:
            return
        try:
            with _no_traceback_to_the_page(kernel):
                channel.handle_msg(msg)
        except MemoryError:
            _out_of_memory()
        except Exception as exc:  # noqa: BLE001
            _server_log(f"refused a message from the page ({type(exc).__name__})")

    def comm_close(stream, ident, msg):
        comm_id = _content(msg).get("comm_id")
        channel = manager.comms.pop(comm_id, None) if isinstance(comm_id, str) else None
        if channel is None:
            return
        channel._closed = True
        try:
            with _no_traceback_to_the_page(kernel):
                channel.handle_close(msg)
        except MemoryError:
            _out_of_memory()
        except Exception as exc:  # noqa: BLE001
            _server_log(f"refused a comm_close from the page ({type(exc).__name__})")

    kernel.shell_handlers["comm_open"] = comm_open
    kernel.shell_handlers["comm_msg"] = comm_msg
    kernel.shell_handlers["comm_close"] = comm_close


def load_ipython_extension(ip) -> None:
    """The course site's kernels: memory limit and guarded comms (see above)."""
    try:
        megabytes = int(os.environ.get(MEMORY_ENV, "0") or 0)
    except ValueError:
        megabytes = 0
    set_memory_limit(megabytes)
    kernel = getattr(ip, "kernel", None)
    if kernel is not None and hasattr(kernel, "comm_manager"):
        guard_kernel(kernel)
    _logs_to_the_server(getattr(kernel, "log", None))


def _logs_to_the_server(kernel_log=None) -> None:
    """The kernel's own log lines (ipykernel's, and Python's last-resort handler) go to the
    server's log: the kernel's stderr descriptor is forwarded to the page, so a traceback they
    print would reach the browser."""
    fd = getattr(sys.stderr, "_original_stdstream_copy", None)
    if fd is None:
        # ipykernel forwards nothing of the descriptor (it does not under pytest): descriptor 2 is
        # the server's own stderr, and the one-line rule applies all the same.
        fd = 2
    stream = os.fdopen(os.dup(fd), "w", buffering=1, encoding="utf-8", errors="replace")
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("[balint-kit kernel] %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_one_line)
    loggers = [logging.getLogger(name) for name in ("", "IPKernelApp", "Comm", "traitlets")]
    kernel_log = getattr(kernel_log, "logger", kernel_log)  # a LoggerAdapter's logger
    if isinstance(kernel_log, logging.Logger):
        loggers.append(kernel_log)
    for logger in loggers:
        # On the logger too, not only on the handler: a record logged here reaches every handler
        # it has (traitlets' own console handler of IPKernelApp stayed, and printed ipykernel's
        # "Exception in message handler" traceback, the dying kernel's ZMQError among them).
        if _one_line not in logger.filters:
            logger.addFilter(_one_line)
        name = logger.name if logger is not logging.getLogger() else ""
        replaced = False
        for old in list(logger.handlers):
            if isinstance(old, logging.StreamHandler):
                logger.removeHandler(old)
                replaced = True
        if replaced or not name:
            logger.addHandler(handler)
    logging.lastResort = handler


def _one_line(record: logging.LogRecord) -> bool:
    """No traceback in the server's log from a kernel: the exception's kind only."""
    if record.exc_info:
        kind = record.exc_info[0].__name__ if record.exc_info[0] else "error"
        record.msg, record.args = f"{record.getMessage()} ({kind})", None
        record.exc_info = record.exc_text = None
    return True
