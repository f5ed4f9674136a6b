"""Online groups (``data/online.yaml``, module 6): the confidentiality pledge and the organiser's
checklist."""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import Key, ShortText, Text, _no_duplicates, _Strict


class SourcedLine(_Strict):
    id: Key
    text: Text
    sources: list[Key] = Field(min_length=1)


class RecordingPolicy(_Strict):
    id: Key
    label: ShortText
    """What the organiser chooses in the generator."""
    text: Text
    """The pledge's sentence on recording; may contain {organiser}."""


class PledgeLine(SourcedLine):
    by_policy: dict[Key, Text] = Field(default_factory=dict)
    """The line's wording under a recording policy (by its id) where ``text`` would not fit it:
    a pledge for a session nobody records must not speak of the organiser's recording."""


class Pledge(_Strict):
    title: ShortText
    intro: Text
    """The opening sentence; may contain {group}, {organiser} and {date}."""
    contents: list[PledgeLine] = Field(min_length=7, max_length=7)
    """The seven contents of the consensus's confidentiality pledge."""
    recording: list[RecordingPolicy] = Field(min_length=1)
    closing: Text
    sign_line: ShortText
    sources: list[Key] = Field(min_length=1)


class ChecklistStep(_Strict):
    id: Key
    title: ShortText
    when: Text
    """When the step is done, in words ("a week before", "30 minutes before")."""
    minutes_before: int | None = Field(default=None, ge=0, le=60 * 24 * 60)
    """Minutes before the session start when the step is due; None for steps during the session."""
    items: list[SourcedLine] = Field(min_length=1)


class OnlineGroups(_Strict):
    """``data/online.yaml``: the confidentiality pledge and the organiser's checklist."""

    pledge: Pledge
    checklist: list[ChecklistStep] = Field(min_length=4, max_length=4)

    @model_validator(mode="after")
    def _consistent(self) -> OnlineGroups:
        _no_duplicates([c.id for c in self.pledge.contents], "pledge content id")
        _no_duplicates([r.id for r in self.pledge.recording], "recording policy id")
        policies = {r.id for r in self.pledge.recording}
        for c in self.pledge.contents:
            for pid in c.by_policy:
                if pid not in policies:
                    raise ValueError(
                        f"the pledge content '{c.id}' has a wording for the recording policy '{pid}', which is not among the policies"
                    )
        _no_duplicates([s.id for s in self.checklist], "checklist step id")
        _no_duplicates([i.id for s in self.checklist for i in s.items], "checklist item id")
        return self

    def cited_keys(self) -> set[str]:
        keys = set(self.pledge.sources) | {k for c in self.pledge.contents for k in c.sources}
        return keys | {k for s in self.checklist for i in s.items for k in i.sources}
