"""Knowledge-check logic: grading a learner's choice against a quiz item.

The answer key stays in the kernel: the browser receives feedback only after
the learner has answered. This module imports no widget library.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import QuizItem


@dataclass(frozen=True)
class Verdict:
    correct: bool
    """True when the learner chose exactly the correct options."""
    feedback: list[tuple[int, bool, str]]
    """(option index, was that option right to choose, its feedback) for each option to explain."""
    missed: list[int]
    """Correct options the learner did not choose (multiple choice)."""


class InvalidChoice(ValueError):
    """The choice does not fit the item (nothing chosen, an option that does not exist)."""


def grade(item: QuizItem, chosen: list[int] | tuple[int, ...] | set[int]) -> Verdict:
    """Grade ``chosen`` (option indices) for ``item``.

    Single choice: exactly one index. Multiple choice: one or more distinct indices.
    Feedback is given for every chosen option and for every correct option missed.
    """
    picks = sorted(set(chosen))
    if not picks:
        raise InvalidChoice("nothing chosen")
    if any(not isinstance(i, int) or i < 0 or i >= len(item.options) for i in picks):
        raise InvalidChoice("no such option")
    if item.kind == "single" and len(picks) != 1:
        raise InvalidChoice("a single-choice item takes one option")
    right = {i for i, o in enumerate(item.options) if o.correct}
    missed = sorted(right - set(picks))
    shown = sorted(set(picks) | set(missed))
    feedback = [(i, item.options[i].correct, item.options[i].feedback) for i in shown]
    return Verdict(correct=set(picks) == right, feedback=feedback, missed=missed)


def score(results: dict[str, bool], items: list[QuizItem]) -> tuple[int, int]:
    """(items answered correctly, items in the quiz), counting only the quiz's own items."""
    ids = {item.id for item in items}
    return sum(1 for k, ok in results.items() if k in ids and ok), len(items)
