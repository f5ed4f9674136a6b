"""The role-play (module 5): fictional case vignettes (``data/cases/<id>.yaml``) and the role cards,
behaviour prompts and phase prompts (``data/roles.yaml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from .base import Key, ShortText, Text, _no_duplicates, _Strict

CaseSetting = Literal[
    "general-practice",
    "hospital-ward",
    "psychiatry",
    "oncology",
    "paediatrics",
    "emergency",
    "nursing",
    "clinical-psychology",
    "school-psychology",
    "social-work",
]


class Case(_Strict):
    """``data/cases/<id>.yaml``: a fictional case vignette, told from the presenter's side."""

    id: Key
    """The file's name without .yaml (they must be the same)."""
    title: ShortText
    """The case's title, shown in the list of cases."""
    setting: CaseSetting
    """Where the presenter works."""
    profession: ShortText
    """The presenter's profession, e.g. 'Consultant medical oncologist'."""
    themes: list[ShortText] = Field(min_length=1, max_length=8)
    """One to eight short themes (grief, guilt...); the case picker filters by them."""
    difficulty: Literal["introductory", "intermediate", "advanced"]
    """How demanding the case is (the case picker filters by it)."""
    fictional: Text
    """The line saying the case is fictional (it must contain the word 'fictional')."""
    content_note: Text | None = None
    """A warning shown before distressing material (illness, death, abuse...); leave out if none is needed."""
    story: Text
    """What happened, as the presenter would tell it."""
    felt: Text
    """What the presenter felt."""
    unsaid: Text
    """What stays unsaid (for the presenter's card only)."""
    request: ShortText
    """The presenter's question to the group."""
    sample_associations: list[Text] = Field(min_length=4, max_length=12)
    """Associations written for the kit, to compare with in the member's seat."""

    @field_validator("fictional")
    @classmethod
    def _says_fictional(cls, text: str) -> str:
        if "fictional" not in text.lower():
            raise ValueError("the fictional line must say that the case is fictional")
        return text


class RoleCard(_Strict):
    id: Key
    name: ShortText
    kind: Literal["presenter", "leader", "co-leader", "member", "observer"]
    card: Text
    """What this role does, for its printed card."""
    tips: list[Text] = Field(default_factory=list)
    sources: list[Key] = Field(min_length=1)


class Behaviour(_Strict):
    """An optional behaviour prompt a trainer may hand to a member (the advice-giver...)."""

    id: Key
    name: ShortText
    prompt: Text
    derailment: Key | None = None
    """The derailment (leadership.yaml) it plays out, if any."""


class Roles(_Strict):
    """``data/roles.yaml``: role cards, behaviour prompts, and each role's prompt in each phase."""

    roles: list[RoleCard] = Field(min_length=5)
    behaviours: list[Behaviour] = Field(min_length=4)
    phase_prompts: dict[Key, dict[Literal["presenter", "leader", "co-leader", "member", "observer"], Text]]
    """For every phase id of session.yaml: what each role does in it."""
    online_prompts: dict[Key, dict[Literal["presenter", "leader", "co-leader", "member", "observer"], Text]] = Field(
        default_factory=dict
    )
    """Extra prompts for online presets, by phase id."""

    @model_validator(mode="after")
    def _consistent(self) -> Roles:
        _no_duplicates([r.id for r in self.roles], "role id")
        _no_duplicates([b.id for b in self.behaviours], "behaviour id")
        kinds = {r.kind for r in self.roles}
        for kind in ("presenter", "leader", "co-leader", "member", "observer"):
            if kind not in kinds:
                raise ValueError(f"there is no role card for the {kind}")
        return self

    def cited_keys(self) -> set[str]:
        return {k for r in self.roles for k in r.sources}
