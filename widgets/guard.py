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
