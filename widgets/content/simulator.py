"""Leadership (``data/leadership.yaml``: the leader skills and derailments) and the leader
simulator's scenarios (``data/scenarios/<id>.yaml``), module 4."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from .base import Key, ShortText, Text, _find, _no_duplicates, _Strict

SkillId = Literal["protects-presenter", "keeps-frame", "opens-feelings", "withholds-solutions", "tolerates-uncertainty"]
Setting = Literal["in-person", "online", "student-group"]


class Skill(_Strict):
    id: SkillId
    name: ShortText
    description: Text
    sources: list[Key] = Field(min_length=1)


class Derailment(_Strict):
    id: Key
    number: int = Field(ge=1, le=99)
    name: ShortText
    sign: Text
    """What the derailment looks or sounds like in a group."""
    intervention: Text
    """The recommended leader move."""
    sources: list[Key] = Field(min_length=1)


class Leadership(_Strict):
    """``data/leadership.yaml``: the leader skills the simulator scores and the derailments it covers."""

    skills: list[Skill] = Field(min_length=1)
    derailments: list[Derailment] = Field(min_length=1)
    synthesis_note: Text
    """Where the derailment list comes from (an editorial synthesis, said plainly)."""

    @model_validator(mode="after")
    def _consistent(self) -> Leadership:
        _no_duplicates([s.id for s in self.skills], "skill id")
        _no_duplicates([d.id for d in self.derailments], "derailment id")
        _no_duplicates([str(d.number) for d in self.derailments], "derailment number")
        return self

    def skill(self, skill_id: str) -> Skill:
        return _find(self.skills, skill_id, "leadership.yaml", "skill")

    def derailment(self, derailment_id: str) -> Derailment:
        return _find(self.derailments, derailment_id, "leadership.yaml", "derailment")

    def cited_keys(self) -> set[str]:
        return {k for s in self.skills for k in s.sources} | {k for d in self.derailments for k in d.sources}


class Choice(_Strict):
    """One of the leader's options at a moment, what it leads to, and why."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-d]$")]
    """a, b, c or d, unique in the moment."""
    text: Text
    """What the leader does or says."""
    response: Text
    """How the group responds to it."""
    feedback: Text
    """Why this move helps or harms, for the learner."""
    scores: dict[SkillId, Annotated[int, Field(ge=-2, le=2)]] = Field(min_length=1)
    """Effect on each named leader skill, from -2 (undermines) to +2 (shows it well)."""
    next: Key
    """The id of the moment that follows."""
    sources: list[Key] = Field(default_factory=list)
    """Sources for the feedback, if not those of the moment."""


class Moment(_Strict):
    """A node of a scenario: a moment in the group, or an ending (no choices)."""

    id: Key
    """The moment's name, unique in the scenario; choices lead to it by this name (`next`)."""
    phase: Key | None = None
    """The session phase (an id in session.yaml), if the moment belongs to one."""
    situation: Text
    """What happens in the group at this moment, as the learner reads it."""
    derailments: list[Key] = Field(default_factory=list)
    """The derailments (ids in leadership.yaml) this moment shows."""
    choices: list[Choice] = Field(default_factory=list)
    """Three or four options; none for an ending."""
    sources: list[Key] = Field(min_length=1)
    """Keys of data/bibliography.yaml for the moment and its feedback."""

    @field_validator("choices")
    @classmethod
    def _three_or_four(cls, choices: list[Choice]) -> list[Choice]:
        if choices and not 3 <= len(choices) <= 4:
            raise ValueError(f"a moment offers three or four choices, not {len(choices)}")
        _no_duplicates([c.id for c in choices], "choice id")
        return choices

    @property
    def ending(self) -> bool:
        return not self.choices


class Scenario(_Strict):
    """``data/scenarios/<id>.yaml``: one simulated group the learner leads."""

    id: Key
    """The file's name without .yaml (they must be the same)."""
    title: ShortText
    """The scenario's title, shown in the list of scenarios."""
    setting: Setting
    """Where the group meets: in person, online, or a group of students."""
    summary: Text
    """What the learner reads before starting: the group, the case, their role."""
    fictional: Text
    """The line saying the scenario is fictional."""
    content_note: Text | None = None
    """A warning shown before distressing material (illness, death, abuse...); leave out if none is needed."""
    start: Key
    """The id of the moment the scenario begins with."""
    moments: list[Moment] = Field(min_length=2)
    """The moments of the group: each offers choices that lead to another moment; one without choices is an ending."""

    @model_validator(mode="after")
    def _graph(self) -> Scenario:
        ids = [m.id for m in self.moments]
        _no_duplicates(ids, "moment id")
        known = set(ids)
        if self.start not in known:
            raise ValueError(f"the start moment '{self.start}' is not among the moments")
        for m in self.moments:
            for c in m.choices:
                if c.next not in known:
                    raise ValueError(
                        f"moment '{m.id}', choice {c.id} leads to '{c.next}', which is not among the moments"
                    )
        return self

    def moment(self, moment_id: str) -> Moment:
        return _find(self.moments, moment_id, f"scenarios/{self.id}.yaml", "moment")

    @property
    def derailments(self) -> set[str]:
        return {d for m in self.moments for d in m.derailments}

    def cited_keys(self) -> set[str]:
        return {k for m in self.moments for k in m.sources} | {
            k for m in self.moments for c in m.choices for k in c.sources
        }
