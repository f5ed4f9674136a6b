"""The learners' resources beside the modules: the annotated fictional session
(``data/transcript.yaml``) and the glossary (``data/glossary.yaml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Key, ShortText, Text, _no_duplicates, _Strict
from .simulator import SkillId


class Annotation(_Strict):
    text: Text
    phase: Key | None = None
    rule: Key | None = None
    skill: SkillId | None = None
    derailment: Key | None = None

    @model_validator(mode="after")
    def _names_something(self) -> Annotation:
        if not (self.phase or self.rule or self.skill or self.derailment):
            raise ValueError("an annotation names the phase, the rule at stake, the leader skill or the derailment")
        return self


class Turn(_Strict):
    id: Key
    speaker: ShortText
    """Who speaks, e.g. 'Leader', 'Presenter (Dr Rosa)', 'Member (Tom)'."""
    role: Literal["leader", "co-leader", "presenter", "member", "narration"]
    text: Text
    phase: Key
    annotation: Annotation | None = None


class Transcript(_Strict):
    """``data/transcript.yaml``: one complete fictional session, annotated."""

    title: ShortText
    fictional: Text
    content_note: Text | None = None
    setting: Text
    turns: list[Turn] = Field(min_length=10)
    sources: list[Key] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Transcript:
        _no_duplicates([t.id for t in self.turns], "turn id")
        if "fictional" not in self.fictional.lower():
            raise ValueError("the fictional line must say that the session is fictional")
        return self

    def cited_keys(self) -> set[str]:
        return set(self.sources)


class Term(_Strict):
    id: Key
    term: ShortText
    definition: Text
    see_also: list[Key] = Field(default_factory=list)
    sources: list[Key] = Field(min_length=1)


class Glossary(_Strict):
    """``data/glossary.yaml``: the terms the modules link to."""

    terms: list[Term] = Field(min_length=10)

    @model_validator(mode="after")
    def _consistent(self) -> Glossary:
        _no_duplicates([t.id for t in self.terms], "term id")
        ids = {t.id for t in self.terms}
        for t in self.terms:
            for other in t.see_also:
                if other not in ids:
                    raise ValueError(f"the term '{t.id}' refers to '{other}', which is not in the glossary")
        return self

    def cited_keys(self) -> set[str]:
        return {k for t in self.terms for k in t.sources}
