"""The knowledge-check widget: one anywidget per quiz (``static/quiz.js``).

The browser gets the questions and the options (each with its id), never the answer key.
It shows the options in this learner's own order (``static/shuffle_core.js``, from a seed
kept in their browser), so the order carries no hint. When the learner presses *Check*,
the browser sends the chosen option ids; Python grades them (:mod:`widgets.quiz`) and
sends back feedback on the chosen options only. A wrong answer may be tried again; the
right answer and its feedback are sent only after a second wrong try or when the learner
presses *Show the answer*. What the learner did (the answer, tries, first try right,
revealed) is recorded in the learner's browser store. One widget model per quiz keeps a
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

TEXT_KEYS = ("quiz-check", "quiz-choose-first", "quiz-show-answer")


class KnowledgeCheck(BrowserSafe, anywidget.AnyWidget):
    """All the items of one module's quiz, with a score kept in the learner's browser."""

    browser_sets = ("answers",)  # cleaned by _valid_answers; every other trait is the kernel's

    _esm = bundle("dom.js", "shuffle_core.js", "quiz.js")
    title = traitlets.Unicode(help="The quiz's heading.").tag(sync=True)
    quiz_id = traitlets.Unicode(help="Which quiz this is (its module id): the exercise id of the shuffle.").tag(
        sync=True
    )
    items = traitlets.List(help="[{id, kind, prompt, options: [{id, text}]}] in the file's order: no answer key.").tag(
        sync=True
    )
    texts = traitlets.Dict(help="Labels from data/ui/en.yaml.").tag(sync=True)
    answers = traitlets.Dict(help="{item_id: [chosen option ids]} as last checked.").tag(sync=True)
    feedback = traitlets.Dict(
        help="{item_id: {correct, head, retry, revealed, entries: [{id, right, tag, option, text}]} or {message}}"
    ).tag(sync=True)
    score = traitlets.Unicode(help="'Answered 2 of 13; correct: 1.'").tag(sync=True)

    def __init__(self, quiz: Quiz, store: BrowserStore, texts: UIText):
        self.quiz = quiz
        self.store = store
        self._t = texts
        self._by_id = {item.id: item for item in quiz.items}
        super().__init__(
            title=quiz.title,
            quiz_id=quiz.module,
            items=[
                {
                    "id": i.id,
                    "kind": i.kind,
                    "prompt": i.prompt,
                    "options": [{"id": o.id, "text": o.text} for o in i.options],
                }
                for i in quiz.items
            ],
            texts={k: texts[k] for k in TEXT_KEYS},
        )
        self.entries: dict[str, dict] = {}
        """{item_id: the stored entry}: what this learner did, as in ``BrowserStore.quiz``."""
        self._show_score()
        self.on_msg(self._on_browser_message)
        store.observe(self._restore, names="loaded")
        if store.loaded:
            self._restore()

    @property
    def results(self) -> dict[str, bool]:
        """{item_id: answered right (the latest check)}."""
        return {k: e["correct"] for k, e in self.entries.items()}

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
            if item and isinstance(chosen, list) and chosen:
                ids = [o.id for o in item.options]
                if all(isinstance(i, str) and i in ids for i in chosen):
                    out[item_id] = [i for i in ids if i in chosen]
        return out

    @traitlets.validate("feedback", "texts")
    def _valid_dicts(self, proposal):
        value = proposal["value"]
        return {k: v for k, v in value.items() if isinstance(k, str)} if isinstance(value, dict) else {}

    @traitlets.validate("title", "score", "quiz_id")
    def _valid_strings(self, proposal):
        value = proposal["value"]
        return value[:300] if isinstance(value, str) else ""

    # -- what the buttons do (also called by the tests)
    def check(self, item_id: str, chosen: list[str]) -> logic.Verdict | None:
        """Grade ``chosen`` (option ids) for one item, record the try and show its feedback."""
        item = self._by_id.get(item_id)
        if item is None:
            return None
        try:
            verdict = logic.grade(item, chosen)
        except logic.InvalidChoice:
            self.feedback = {**self.feedback, item_id: {"message": self._t["quiz-choose-first"]}}
            return None
        entry = logic.attempt(self.entries.get(item_id), verdict)
        self._keep(item_id, entry)
        return verdict

    def show_answer(self, item_id: str) -> None:
        """ "Show the answer": offered once the learner has tried and is not right."""
        entry = self.entries.get(item_id)
        if entry is None or entry["correct"] or entry["revealed"]:
            return
        self._keep(item_id, logic.reveal(entry))

    def _keep(self, item_id: str, entry: dict) -> None:
        self.entries[item_id] = entry
        self.store.record_answer(self.quiz.module, item_id, entry)
        self._draw(item_id)
        self._show_score()

    def _draw(self, item_id: str) -> None:
        """Feedback for one item from its entry: the chosen options; the key only once revealed."""
        item, entry, t = self._by_id[item_id], self.entries[item_id], self._t
        try:
            verdict = logic.grade(item, entry["chosen"])
        except logic.InvalidChoice:  # the quiz changed since this answer was saved: offer it afresh
            self.entries.pop(item_id)
            self.answers = {k: v for k, v in self.answers.items() if k != item_id}
            self.feedback = {k: v for k, v in self.feedback.items() if k != item_id}
            return
        text = {o.id: o.text for o in item.options}
        out = []
        for oid, is_right, fb in verdict.feedback:
            tag = t["quiz-your-choice-right"] if is_right else t["quiz-your-choice-wrong"]
            out.append({"id": oid, "right": is_right, "tag": tag, "option": text[oid], "text": fb})
        revealed = entry["revealed"] and not verdict.correct
        if revealed:
            tag = t["quiz-the-answer"] if item.kind == "single" else t["quiz-missed"]
            out += [
                {"id": oid, "right": True, "tag": tag, "option": text[oid], "text": fb} for oid, fb in verdict.missed
            ]
        if verdict.correct:
            head = t["quiz-right"]
        elif revealed:
            head = t["quiz-revealed"]
        elif all(ok for _, ok, _ in verdict.feedback):
            head = t["quiz-not-all"]  # multiple choice: every pick right, some right option not picked
        else:
            head = t["quiz-not-yet"]
        self.answers = {**self.answers, item_id: verdict.chosen}
        self.feedback = {
            **self.feedback,
            item_id: {
                "correct": verdict.correct,
                "head": head,
                "entries": out,
                "revealed": revealed,
                "retry": not verdict.correct and not revealed,
            },
        }

    def _on_browser_message(self, widget, msg, buffers):
        if not isinstance(msg, dict) or not isinstance(msg.get("item"), str):
            return
        if msg.get("kind") == "show":
            self.show_answer(msg["item"])
            return
        if msg.get("kind") != "check":
            return
        chosen = msg.get("chosen")
        if not isinstance(chosen, list) or len(chosen) > 10 or not all(isinstance(i, str) for i in chosen):
            return
        self.check(msg["item"], chosen)

    def _show_score(self) -> None:
        right, total = logic.score(self.results, self.quiz.items)
        self.score = self._t["quiz-score"].format(right=right, total=total, answered=len(self.entries))

    def _restore(self, change=None) -> None:
        for item_id, entry in self.store.quiz.get(self.quiz.module, {}).items():
            if item_id in self._by_id:
                self.entries[item_id] = entry
                self._draw(item_id)
        self._show_score()
