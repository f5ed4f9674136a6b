"""Knowledge-check logic: grading a learner's choice and the retry rule.

The answer key stays in the kernel: the browser receives feedback only after the learner
has answered, and the right answer only once it is revealed. Choices are option ids
(``Option.id``), never positions, so the order the learner saw does not matter.
This module imports no widget library.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import QuizItem


@dataclass(frozen=True)
class Verdict:
    correct: bool
    """True when the learner chose exactly the correct options."""
    chosen: list[str]
    """The chosen option ids, in the file's order, each once."""
    feedback: list[tuple[str, bool, str]]
    """(option id, was that option right to choose, its feedback) for each chosen option."""
    missed: list[tuple[str, str]]
    """(option id, its feedback) for each correct option not chosen: shown only once revealed."""


class InvalidChoice(ValueError):
    """The choice does not fit the item (nothing chosen, an option that does not exist)."""


def grade(item: QuizItem, chosen: list[str] | tuple[str, ...] | set[str]) -> Verdict:
    """Grade ``chosen`` (option ids) for ``item``.

    Single choice: exactly one id. Multiple choice: one or more distinct ids.
    """
    ids = [o.id for o in item.options]
    picks = set(chosen)
    if not picks:
        raise InvalidChoice("nothing chosen")
    if any(not isinstance(i, str) or i not in ids for i in picks):
        raise InvalidChoice("no such option")
    if item.kind == "single" and len(picks) != 1:
        raise InvalidChoice("a single-choice item takes one option")
    right = {o.id for o in item.options if o.correct}
    in_order = [o for o in item.options if o.id in picks]
    return Verdict(
        correct=picks == right,
        chosen=[o.id for o in in_order],
        feedback=[(o.id, o.correct, o.feedback) for o in in_order],
        missed=[(o.id, o.feedback) for o in item.options if o.correct and o.id not in picks],
    )


def attempt(previous: dict | None, verdict: Verdict) -> dict:
    """The stored entry after one more *Check* (the format of ``BrowserStore.quiz``).

    ``{"chosen": [ids], "correct": bool, "tries": checks made, "first_try": the first check
    was right, "revealed": the answer has been shown}``. The answer is revealed by a second
    wrong check; once shown it stays shown, and ``first_try`` keeps the first check's verdict.
    """
    tries = (previous["tries"] if previous else 0) + 1
    revealed = bool(previous and previous["revealed"]) or (not verdict.correct and tries >= 2)
    return {
        "chosen": list(verdict.chosen),
        "correct": verdict.correct,
        "tries": tries,
        "first_try": previous["first_try"] if previous else verdict.correct,
        "revealed": revealed,
    }


def reveal(previous: dict) -> dict:
    """The stored entry after "Show the answer" (only offered once the learner has tried)."""
    return {**previous, "revealed": True}


def score(results: dict[str, bool], items: list[QuizItem]) -> tuple[int, int]:
    """(items answered correctly, items in the quiz), counting only the quiz's own items."""
    ids = {item.id for item in items}
    return sum(1 for k, ok in results.items() if k in ids and ok), len(items)
