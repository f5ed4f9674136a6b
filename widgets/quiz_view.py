"""The knowledge-check widget: one anywidget per quiz (``static/quiz.js``).

The browser gets the questions and options, never the answer key. When the learner
presses *Check*, the browser sends the chosen options; Python grades them
(:mod:`widgets.quiz`), sends back the feedback for every option concerned, and
records the answer in the learner's browser store. One widget model per quiz keeps a
page's widget traffic small; native radio buttons and checkboxes in a fieldset with a
legend keep it usable by keyboard and screen reader.
"""

from __future__ import annotations

import anywidget
import traitlets

from . import quiz as logic
from .content import Quiz, UIText
from .esm import bundle
from .guard import BrowserSafe
from .store import BrowserStore


class KnowledgeCheck(BrowserSafe, anywidget.AnyWidget):
    """All the items of one module's quiz, with a score kept in the learner's browser."""

    browser_sets = ("answers",)  # cleaned by _valid_answers; every other trait is the kernel's

    _esm = bundle("dom.js", "quiz.js")
    title = traitlets.Unicode(help="The quiz's heading.").tag(sync=True)
    quiz_id = traitlets.Unicode(help="Which quiz this is (its module id), for the page and its tests.").tag(sync=True)
    items = traitlets.List(help="[{id, kind, prompt, options: [text]}]: no answer key.").tag(sync=True)
    texts = traitlets.Dict(help="Labels from data/ui/en.yaml.").tag(sync=True)
    answers = traitlets.Dict(help="{item_id: [chosen option indices]} as last checked.").tag(sync=True)
    feedback = traitlets.Dict(help="{item_id: {correct, head, entries: [{index, right, tag, text}]} or {message}}").tag(sync=True)
    score = traitlets.Unicode(help="'Answered 2 of 13; correct: 1.'").tag(sync=True)

    def __init__(self, quiz: Quiz, store: BrowserStore, texts: UIText):
        self.quiz = quiz
        self.store = store
        self._t = texts
        self._by_id = {item.id: item for item in quiz.items}
        labels = {k: texts[k] for k in ("quiz-check", "quiz-choose-first")}
        super().__init__(
            title=quiz.title,
            quiz_id=quiz.module,
            items=[
                {"id": i.id, "kind": i.kind, "prompt": i.prompt, "options": [o.text for o in i.options]}
                for i in quiz.items
            ],
            texts=labels,
        )
        self.results: dict[str, bool] = {}
        self._show_score()
        self.on_msg(self._on_browser_message)
        store.observe(self._restore, names="loaded")
        if store.loaded:
            self._restore()

    # -- validation of what the browser may send as trait values: the browser has no
    # reason to change these, so anything not of the expected shape is replaced.
    @traitlets.validate("answers")
    def _valid_answers(self, proposal):
        out = {}
        value = proposal["value"]
        if not isinstance(value, dict):
            return out
        for item_id, chosen in value.items():
            item = self._by_id.get(item_id) if hasattr(self, "_by_id") else None
            if item and isinstance(chosen, list) and all(
                isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(item.options) for i in chosen
            ):
                out[item_id] = sorted(set(chosen))
        return out

    @traitlets.validate("feedback", "texts")
    def _valid_dicts(self, proposal):
        value = proposal["value"]
        return {k: v for k, v in value.items() if isinstance(k, str)} if isinstance(value, dict) else {}

    @traitlets.validate("title", "score", "quiz_id")
    def _valid_strings(self, proposal):
        value = proposal["value"]
        return value[:300] if isinstance(value, str) else ""

    # -- grading
    def check(self, item_id: str, chosen: list[int], record: bool = True) -> logic.Verdict | None:
        """Grade ``chosen`` for one item and show the feedback (what the Check button does)."""
        item = self._by_id.get(item_id)
        if item is None:
            return None
        try:
            verdict = logic.grade(item, chosen)
        except logic.InvalidChoice:
            self.feedback = {**self.feedback, item_id: {"message": self._t["quiz-choose-first"]}}
            return None
        t = self._t
        entries = []
        for i, is_right, text in verdict.feedback:
            if i in verdict.missed:
                tag = t["quiz-missed"]
            else:
                tag = t["quiz-your-choice-right"] if is_right else t["quiz-your-choice-wrong"]
            entries.append({"index": i, "right": is_right, "tag": tag, "option": item.options[i].text, "text": text})
        head = t["quiz-right"] if verdict.correct else t["quiz-not-yet"]
        self.answers = {**self.answers, item_id: sorted(set(chosen))}
        self.feedback = {**self.feedback, item_id: {"correct": verdict.correct, "head": head, "entries": entries}}
        self.results[item_id] = verdict.correct
        if record:
            self.store.record_answer(self.quiz.module, item_id, sorted(set(chosen)), verdict.correct)
        self._show_score()
        return verdict

    def _on_browser_message(self, widget, msg, buffers):
        if not (isinstance(msg, dict) and msg.get("kind") == "check"):
            return
        item_id, chosen = msg.get("item"), msg.get("chosen")
        if not isinstance(item_id, str) or not isinstance(chosen, list) or len(chosen) > 10:
            return
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in chosen):
            return
        self.check(item_id, chosen)

    def _show_score(self) -> None:
        right, total = logic.score(self.results, self.quiz.items)
        self.score = self._t["quiz-score"].format(right=right, total=total, answered=len(self.results))

    def _restore(self, change=None) -> None:
        for item_id, answer in self.store.quiz.get(self.quiz.module, {}).items():
            if item_id in self._by_id:
                self.check(item_id, answer["chosen"], record=False)
