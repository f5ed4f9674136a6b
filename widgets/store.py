"""The browser-side store: the learner's progress and answers, kept in their own browser.

:class:`BrowserStore` is an anywidget whose JavaScript (``static/store.js``) reads
and writes ``localStorage`` under a key that includes the site's base URL, so
learners of a hub who share one browser origin stay apart. It shows a small panel
with export (a JSON file made in the browser), import and "delete my data".
Python keeps a copy of progress and quiz answers only in the kernel's memory for
the page's lifetime; nothing is written to the server's disk or logs.
"""

from __future__ import annotations

import anywidget
import traitlets

from . import content, learner_data
from .esm import bundle
from .guard import BrowserSafe


class BrowserStore(BrowserSafe, anywidget.AnyWidget):
    """Progress and knowledge-check answers, mirrored between Python and localStorage."""

    browser_sets = ("progress", "quiz", "loaded", "status")  # what store.js sets

    _esm = bundle("dom.js", "import_check.js", "store.js")
    progress = traitlets.Dict(help="{module_id: {'completed': 'YYYY-MM-DD'}}").tag(sync=True)
    quiz = traitlets.Dict(
        help="{module_id: {item_id: {'chosen': [option ids], 'correct': bool, 'tries': int, 'first_try': bool, 'revealed': bool}}}"
    ).tag(sync=True)
    loaded = traitlets.Bool(False, help="True once the browser has read its localStorage.").tag(sync=True)
    status = traitlets.Unicode("", help="A plain sentence shown under the buttons.").tag(sync=True)
    texts = traitlets.Dict(help="Button labels and messages, from data/ui/en.yaml.").tag(sync=True)

    def __init__(self, texts: dict | None = None, **kwargs):
        super().__init__(texts=texts or {}, **kwargs)
        self.on_msg(self._on_browser_message)

    @traitlets.validate("progress")
    def _valid_progress(self, proposal):
        return learner_data.clean_progress(proposal["value"])

    @traitlets.validate("quiz")
    def _valid_quiz(self, proposal):
        return learner_data.clean_quiz(proposal["value"], option_ids)

    @traitlets.validate("loaded")
    def _valid_loaded(self, proposal):
        return bool(proposal["value"])

    @traitlets.validate("status", "texts")
    def _valid_text(self, proposal):
        # Set by Python only; a value from the browser that is not of the right kind is ignored.
        value = proposal["value"]
        if proposal["trait"].name == "status":
            return value[:300] if isinstance(value, str) else ""
        return {k: v for k, v in value.items() if isinstance(k, str) and (isinstance(v, str) or _forms(v))}

    # -- what the kit's other widgets call
    def mark_complete(self, module_id: str) -> None:
        self.progress = {**self.progress, module_id: {"completed": learner_data.today()}}

    def unmark_complete(self, module_id: str) -> None:
        self.progress = {k: v for k, v in self.progress.items() if k != module_id}

    def is_complete(self, module_id: str) -> bool:
        return module_id in self.progress

    def record_answer(self, module_id: str, item_id: str, entry: dict) -> None:
        """Keep what the learner did on one item (the format of :func:`learner_data.clean_quiz`)."""
        answers = dict(self.quiz.get(module_id, {}))
        answers[item_id] = dict(entry)
        self.quiz = {**self.quiz, module_id: answers}

    # -- messages from the browser
    def _on_browser_message(self, widget, msg, buffers):
        if not isinstance(msg, dict):
            return
        # An import is read, checked and kept in the browser (static/import_check.js): the kernel
        # gets its progress and answers through the traits only. A message of the old kind,
        # {"kind": "import", "text": ...}, is ignored like any other unknown message.
        kind = msg.get("kind")
        if kind == "cleared":
            self.progress = {}
            self.quiz = {}
            self.status = self.texts.get("delete-done", "")


def _forms(value) -> bool:
    """Plural forms of a text: {category: text}, with "other" (see content.UIText)."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("other"), str)
        and all(k in content.PLURAL_FORMS and isinstance(v, str) for k, v in value.items())
    )


def option_ids(module_id: str, item_id: str) -> list[str] | None:
    """The option ids of a quiz file's item in file order, to migrate answers stored as positions.

    None where the module has no quiz file (the frame and which-phase exercises are built from
    other data, with the default ids a, b, c, ...) or the file does not have the item.
    """
    try:
        quiz = content.quiz(module_id)
    except content.ContentError:
        return None
    item = next((i for i in quiz.items if i.id == item_id), None)
    return [o.id for o in item.options] if item else None


_store: BrowserStore | None = None


def get_store(texts: dict | None = None) -> BrowserStore:
    """The page's one store (one kernel serves one page)."""
    global _store
    if _store is None:
        _store = BrowserStore(texts=texts)
    return _store
