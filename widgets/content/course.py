"""The course map (``data/course_map.yaml``): the modules and the pages that are not modules."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from .base import ModuleId, ShortText, Text, _find, _no_duplicates, _Strict


class Module(_Strict):
    id: ModuleId
    number: int = Field(ge=0, le=99)
    title: ShortText
    status: Literal["ready", "in-preparation"]
    minutes: int = Field(ge=5, le=600)
    summary: Text
    objectives: list[Text] = Field(min_length=1, max_length=8)


class Tool(_Strict):
    """A page that is not a module, such as the instructor's phase timer."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)*$", max_length=80)]
    """Its notebook's path under course/, without .ipynb: 'instructor/timer'."""
    title: ShortText
    summary: Text
    audience: Literal["instructors", "learners"]


class CourseMap(_Strict):
    title: ShortText
    subtitle: ShortText | None = None
    modules: list[Module] = Field(min_length=1)
    tools: list[Tool] = Field(default_factory=list)

    @field_validator("modules")
    @classmethod
    def _unique(cls, modules: list[Module]) -> list[Module]:
        _no_duplicates([m.id for m in modules], "id")
        _no_duplicates([str(m.number) for m in modules], "number")
        return modules

    def module(self, module_id: str) -> Module:
        return _find(self.modules, module_id, "course_map.yaml", "module")
