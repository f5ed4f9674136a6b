"""What every schema of :mod:`widgets.content` shares: the error a page shows, the strict base
model, the forms of ids and texts, and the checks for duplicates and missing records."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)]
ModuleId = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}_[a-z_]+$", max_length=60)]


class _Translated:
    """The mark of a text type whose values a language's catalog translates (widgets/content/i18n.py).

    Pydantic ignores it (it adds no check and changes no JSON Schema); the translation tools find the
    learner's text by it, in the field's annotation, not by guessing from values."""

    def __repr__(self) -> str:
        return "TRANSLATED"


TRANSLATED = _Translated()
_LONG = StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)
_SHORT = StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
Text = Annotated[str, _LONG, TRANSLATED]
ShortText = Annotated[str, _SHORT, TRANSLATED]
Verbatim = Annotated[str, _LONG]
"""A text never translated: as published (a work's title, its authors' names) or for the editors only;
the same checks as Text."""
VerbatimShort = Annotated[str, _SHORT]
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


class _Strict(BaseModel):
    # defer_build: a model's validator is built when a file is first validated, not at import, since a
    # page's kernel mostly gets its content already validated (widgets/content_cache.py).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ContentError(Exception):
    """A data file is missing or wrong. ``str(error)`` is a plain sentence for people."""

    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = problem
        where = file[3:] if file.startswith("../") else f"data/{file}"  # "../course/x.ipynb": outside data/
        super().__init__(f"The course file {where} has a problem: {problem}")


def _find(records, record_id: str, file: str, what: str):
    """The record with this id, or a ContentError saying there is none."""
    for record in records:
        if record.id == record_id:
            return record
    raise ContentError(file, f"there is no {what} '{record_id}'")


def _no_duplicates(values: list[str], what: str) -> None:
    seen = set()
    for v in values:
        if v in seen:
            raise ValueError(f"the {what} '{v}' is used twice")
        seen.add(v)
