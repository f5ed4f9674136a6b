"""The facilitator guide (``data/guide.yaml``): course plans, teaching notes and the list of material
with a content note."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Key, ModuleId, ShortText, Text, _no_duplicates, _Strict


class PlanItem(_Strict):
    """One block of a course session: a module, an exercise, a role-play, a timed group..."""

    minutes: int = Field(ge=1, le=480)
    activity: ShortText
    module: ModuleId | None = None
    """The module (course_map.yaml) this block uses, if any."""
    preset: Key | None = None
    """The timer format (session.yaml) for a timed group, if any."""
    case: Key | None = None
    """A case (data/cases/) suggested for a role-play, if any."""
    notes: Text | None = None


class PlanSession(_Strict):
    title: ShortText
    items: list[PlanItem] = Field(min_length=1)


class CoursePlan(_Strict):
    id: Key
    title: ShortText
    audience: Text
    format: Literal["evening-course", "workshop", "demonstration", "online-course"]
    summary: Text
    sessions: list[PlanSession] = Field(min_length=1)
    kit_suggestion: Text
    """Says that the plan is the kit's own suggestion, and what it rests on."""
    sources: list[Key] = Field(default_factory=list)


class TeachingNote(_Strict):
    module: ModuleId
    aims: list[Text] = Field(min_length=1)
    questions: list[Text] = Field(min_length=2)
    """Discussion questions."""
    misunderstandings: list[Text] = Field(min_length=1)
    upset: Text
    """How to handle a learner upset by this module's material."""


class ContentNoteEntry(_Strict):
    """One piece of material that carries a content note, as the guide lists it for the tutor."""

    kind: Literal["case", "scenario", "frame-scenario", "transcript"]
    """case: data/cases/; scenario: the leader simulator (data/scenarios/); frame-scenario: module 2's
    'Is the frame holding?' (ground_rules.yaml); transcript: the annotated session."""
    id: Key


class Guide(_Strict):
    """``data/guide.yaml``: the facilitator guide's course plans and teaching notes."""

    plans: list[CoursePlan] = Field(min_length=4)
    notes: list[TeachingNote] = Field(min_length=1)
    content_notes: list[ContentNoteEntry] = Field(min_length=1)
    """Every piece of material with a content note (a data test checks it against the data)."""

    @model_validator(mode="after")
    def _consistent(self) -> Guide:
        _no_duplicates([p.id for p in self.plans], "plan id")
        _no_duplicates([n.module for n in self.notes], "teaching note module")
        _no_duplicates([f"{c.kind}:{c.id}" for c in self.content_notes], "content note entry")
        return self

    def cited_keys(self) -> set[str]:
        return {k for p in self.plans for k in p.sources}
