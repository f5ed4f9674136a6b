"""What the kit keeps in the learner's browser, and how it is checked.

The learner's progress, knowledge-check answers and reflections live in the
browser's localStorage (see ``static/store.js``) and in files the learner
exports. Anything that arrives from the browser (a synced trait, an imported
file) passes through :func:`clean_progress`, :func:`clean_quiz` or
:func:`parse_export`, which keep what is valid and drop the rest. They never
raise with the learner's data in the message, so nothing personal reaches a log.

This module imports no widget library.
"""

from __future__ import annotations

import json
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

KIT_ID = "balint-course-kit"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 2_000_000
MAX_REFLECTION_CHARS = 20_000

_MODULE = re.compile(r"^[0-9]{2}_[a-z_]+$")
_ITEM = re.compile(r"^[a-z][a-z0-9-]{0,59}$")
_REFLECTION = re.compile(r"^[0-9]{2}_[a-z_]+-[a-z0-9-]{1,60}$")
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


class ReflectionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, StringConstraints(max_length=MAX_REFLECTION_CHARS)]
    saved: Annotated[str, StringConstraints(max_length=40)] = ""


class ImportError_(Exception):
    """An imported file could not be used; the message is plain words, without its content."""


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


def clean_reflections(value) -> dict:
    out = {}
    if not isinstance(value, dict):
        return out
    for key, entry in list(value.items())[:200]:
        if isinstance(key, str) and _REFLECTION.fullmatch(key):
            try:
                out[key] = ReflectionEntry.model_validate(entry).model_dump()
            except ValidationError:
                continue
    return out


_OTHER = re.compile(
    r"^(order-seed|cbi-draft|cbi-history|group-eval|poll-tokens|poll-sent|poll-classes|roleplay|online-checklist|pledge-form"
    r"|record-name|theme|present|solo:[a-z0-9-]+:[a-z0-9-]+|timer:[A-Za-z0-9_-]{1,80})$"
)
MAX_OTHER_CHARS = 200_000


def clean_other(value) -> dict:
    """The rest of the learner's data (self-check history, notes, ticks...): known keys, text values.

    Each value is the text the browser stored; the widget that reads it checks it again.
    """
    out: dict[str, str] = {}
    if not isinstance(value, dict):
        return out
    for key, entry in list(value.items())[:500]:
        if isinstance(key, str) and _OTHER.fullmatch(key) and isinstance(entry, str) and len(entry) <= MAX_OTHER_CHARS:
            out[key] = entry
    return out


def parse_export(text: str, option_ids=None) -> dict:
    """Read a file the kit exported; return its cleaned ``progress``, ``quiz`` and ``reflections``.

    Raises :class:`ImportError_` with a plain sentence when the file is not the kit's.
    """
    if not isinstance(text, str):
        raise ImportError_("not-json")
    if len(text.encode("utf-8", "ignore")) > MAX_IMPORT_BYTES:
        raise ImportError_("too-large")
    try:
        raw = json.loads(text)
        json.dumps(raw, allow_nan=False, ensure_ascii=False).encode(
            "utf-8"
        )  # no NaN, no lone surrogate: it must go back to the page
    except (ValueError, RecursionError):
        raise ImportError_("not-json") from None
    if not isinstance(raw, dict) or raw.get("kit") != KIT_ID:
        raise ImportError_("not-kit")
    if raw.get("version") != FORMAT_VERSION:
        raise ImportError_("wrong-version")
    return {
        "progress": clean_progress(raw.get("progress")),
        "quiz": clean_quiz(raw.get("quiz"), option_ids),
        "reflections": clean_reflections(raw.get("reflections")),
        "other": clean_other(raw.get("other")),
    }
