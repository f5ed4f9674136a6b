"""The knowledge-check widget: questions from data/quizzes/<module>.yaml, feedback for every option."""

from __future__ import annotations

import html

import ipywidgets as w

from . import quiz as logic
from .content import Quiz, QuizItem, UIText
from .store import BrowserStore


class QuizItemView(w.VBox):
    """One question: its options, a Check button and the feedback."""

    def __init__(self, item: QuizItem, number: int, on_graded, texts: UIText):
        self.item = item
        self.texts = texts
        self._on_graded = on_graded
        prompt = w.HTML(
            f'<p class="kit-prompt" id="kit-q-{item.id}">{number}. {html.escape(item.prompt)}</p>'
        )
        if item.kind == "single":
            self.choice = w.RadioButtons(
                options=[(o.text, i) for i, o in enumerate(item.options)],
                index=None,
                layout=w.Layout(width="auto"),
            )
            controls = [self.choice]
        else:
            self.boxes = [
                w.Checkbox(value=False, description=o.text, indent=False, layout=w.Layout(width="auto"))
                for o in item.options
            ]
            controls = [w.VBox(self.boxes)]
        self.check = w.Button(description=texts["quiz-check"], button_style="primary")
        self.check.add_class("kit-check")
        self.check.on_click(lambda _: self.grade())
        self.feedback = w.HTML("")
        self.feedback.add_class("kit-feedback-area")
        super().__init__([prompt, *controls, self.check, self.feedback])
        self.add_class("kit-quiz-item")

    def chosen(self) -> list[int]:
        if self.item.kind == "single":
            return [] if self.choice.value is None else [int(self.choice.value)]
        return [i for i, b in enumerate(self.boxes) if b.value]

    def set_chosen(self, chosen: list[int]) -> None:
        if self.item.kind == "single":
            if chosen and 0 <= chosen[0] < len(self.item.options):
                self.choice.value = chosen[0]
        else:
            for i, b in enumerate(self.boxes):
                b.value = i in chosen

    def grade(self, record: bool = True) -> logic.Verdict | None:
        try:
            verdict = logic.grade(self.item, self.chosen())
        except logic.InvalidChoice:
            self.feedback.value = f'<p class="kit-feedback kit-wrong" role="status">{html.escape(self.texts["quiz-choose-first"])}</p>'
            return None
        t = self.texts
        head = t["quiz-right"] if verdict.correct else t["quiz-not-yet"]
        parts = [f'<div role="status"><p class="kit-score">{html.escape(head)}</p>']
        for i, is_right, text in verdict.feedback:
            cls = "kit-right" if is_right else "kit-wrong"
            if i in verdict.missed:
                tag = t["quiz-missed"]
            else:
                tag = t["quiz-your-choice-right"] if is_right else t["quiz-your-choice-wrong"]
            option = html.escape(self.item.options[i].text)
            parts.append(f'<p class="kit-feedback {cls}"><b>{html.escape(tag)}</b> {option}: {html.escape(text)}</p>')
        parts.append("</div>")
        self.feedback.value = "".join(parts)
        if record:
            self._on_graded(self.item.id, self.chosen(), verdict.correct)
        return verdict


class KnowledgeCheck(w.VBox):
    """All the items of one module's quiz, with a running score kept in the learner's browser."""

    def __init__(self, quiz: Quiz, store: BrowserStore, texts: UIText):
        self.quiz = quiz
        self.store = store
        self.texts = texts
        self.results: dict[str, bool] = {}
        title = w.HTML(f"<h3>{html.escape(quiz.title)}</h3>")
        self.items = [QuizItemView(item, n + 1, self._graded, texts) for n, item in enumerate(quiz.items)]
        self.score = w.HTML("")
        self.score.add_class("kit-quiz-score")
        super().__init__([title, *self.items, self.score])
        self.add_class("kit-card")
        self.add_class("kit-quiz")
        self._show_score()
        store.observe(self._restore, names="loaded")
        if store.loaded:
            self._restore()

    def _graded(self, item_id: str, chosen: list[int], correct: bool) -> None:
        self.results[item_id] = correct
        self.store.record_answer(self.quiz.module, item_id, chosen, correct)
        self._show_score()

    def _show_score(self) -> None:
        right, total = logic.score(self.results, self.quiz.items)
        text = self.texts["quiz-score"].format(right=right, total=total, answered=len(self.results))
        self.score.value = f'<p class="kit-score" role="status">{html.escape(text)}</p>'

    def _restore(self, change=None) -> None:
        saved = self.store.quiz.get(self.quiz.module, {})
        for view in self.items:
            answer = saved.get(view.item.id)
            if answer:
                view.set_chosen(answer["chosen"])
                verdict = view.grade(record=False)
                if verdict is not None:
                    self.results[view.item.id] = verdict.correct
        self._show_score()
