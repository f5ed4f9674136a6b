"""What the kit keeps in the learner's browser, and how it is checked.

The learner's progress, knowledge-check answers and reflections live in the
browser's localStorage (see ``static/store.js``) and in files the learner
exports. An imported file is read and checked in the browser
(``static/import_check.js``): its reflections and the rest of the learner's data
never reach the kernel. What does arrive from the browser, the ``progress`` and
``quiz`` traits (on page load, after an import, after a click), passes through
:func:`clean_progress` or :func:`clean_quiz`, which keep what is valid and drop
the rest. They never raise with the learner's data in the message, so nothing
personal reaches a log.

This module imports no widget library.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
    field_validator,
)

_MODULE = re.compile(r"^[0-9]{2}_[a-z_]+$")
_ITEM = re.compile(r"^[a-z][a-z0-9-]{0,59}$")
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class ProgressEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    completed: IsoDate

    @field_validator("completed")
    @classmethod
    def _real_date(cls, value: str) -> str:
        date.fromisoformat(value)  # refuses 2025-13-01 and 2025-02-30
        return value


OptionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,29}$")]
POSITION_IDS = "abcdefghij"  # an option's default id is its position in the file (content.OPTION_LETTERS)


class QuizAnswer(BaseModel):
    """One knowledge-check item as the learner left it (see :func:`clean_quiz`)."""

    model_config = ConfigDict(extra="forbid")
    chosen: list[OptionId] = Field(min_length=1, max_length=10)
    correct: StrictBool
    tries: Annotated[StrictInt, Field(ge=1, le=10_000)]
    first_try: StrictBool
    revealed: StrictBool

    @field_validator("chosen")
    @classmethod
    def _once_each(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class _OldQuizAnswer(BaseModel):
    """An answer stored before options had ids: positions in the file (kit versions to Dec 2026)."""

    model_config = ConfigDict(extra="forbid")
    chosen: list[Annotated[int, Field(ge=0, le=9)]] = Field(min_length=1, max_length=10)
    correct: StrictBool


def _answer(module: str, item: str, answer, option_ids) -> dict:
    """A stored answer in today's format; an old one (positions) migrated to ids by file order.

    Raises ValidationError (or LookupError for a position the item does not have).
    """
    if (
        isinstance(answer, dict)
        and isinstance(answer.get("chosen"), list)
        and set(answer) == {"chosen", "correct"}
        and all(type(i) is int for i in answer["chosen"])
    ):
        old = _OldQuizAnswer.model_validate(answer)
        ids = (option_ids(module, item) if option_ids else None) or POSITION_IDS
        if any(i >= len(ids) for i in old.chosen):
            raise LookupError("no such option")
        chosen = [ids[i] for i in sorted(set(old.chosen))]
        answer = {"chosen": chosen, "correct": old.correct, "tries": 1, "first_try": old.correct, "revealed": False}
    return QuizAnswer.model_validate(answer).model_dump()


def today() -> str:
    return date.today().isoformat()


def clean_progress(value) -> dict:
    """Keep the valid ``{module_id: {"completed": "YYYY-MM-DD"}}`` entries."""
    out = {}
    if not isinstance(value, dict):
        return out
    for key, entry in list(value.items())[:100]:
        if isinstance(key, str) and _MODULE.fullmatch(key):
            try:
                out[key] = ProgressEntry.model_validate(entry).model_dump()
            except ValidationError:
                continue
    return out


def clean_quiz(value, option_ids=None) -> dict:
    """Keep the valid ``{module_id: {item_id: answer}}`` entries, answers in today's format:

    ``{"chosen": [option ids], "correct": bool, "tries": int >= 1, "first_try": bool,
    "revealed": bool}``. An answer stored before options had ids (``{"chosen": [positions],
    "correct": bool}``) is migrated: positions become the ids of the options at those places
    in the file, ``option_ids(module, item)`` giving them (the default ids, a, b, c, ..., when
    it is not given or does not know the item); ``tries`` 1, ``first_try`` as ``correct``,
    ``revealed`` false.
    """
    out = {}
    if not isinstance(value, dict):
        return out
    for module, items in list(value.items())[:100]:
        if not (isinstance(module, str) and _MODULE.fullmatch(module) and isinstance(items, dict)):
            continue
        kept = {}
        for item, answer in list(items.items())[:200]:
            if isinstance(item, str) and _ITEM.fullmatch(item):
                try:
                    kept[item] = _answer(module, item, answer, option_ids)
                except (ValidationError, LookupError):
                    continue
        if kept:
            out[module] = kept
    return out
