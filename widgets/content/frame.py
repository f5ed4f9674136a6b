"""The ground rules of a Balint group and the "Is the frame holding?" scenarios
(``data/ground_rules.yaml``, module 2)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Key, ShortText, Text, _no_duplicates, _Strict


class Rule(_Strict):
    id: Key
    title: ShortText
    text: Text
    """What the rule says, in the learner's words."""
    why: Text
    """Why the rule protects the work."""
    online: bool = False
    """True for the additions that online groups need."""
    sources: list[Key] = Field(min_length=1)


class FrameScenario(_Strict):
    id: Key
    situation: Text
    at_stake: Key | Literal["holds"]
    """The id of the rule at stake, or 'holds' when the frame holds."""
    feedback: Text
    content_note: Text | None = None
    sources: list[Key] = Field(min_length=1)


class GroundRules(_Strict):
    rules: list[Rule] = Field(min_length=1)
    scenarios: list[FrameScenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> GroundRules:
        _no_duplicates([r.id for r in self.rules], "rule id")
        _no_duplicates([s.id for s in self.scenarios], "scenario id")
        ids = {r.id for r in self.rules}
        for i, sc in enumerate(self.scenarios):
            if sc.at_stake != "holds" and sc.at_stake not in ids:
                raise ValueError(
                    f"scenario {i + 1} ('{sc.id}') names the rule '{sc.at_stake}', which is not among the rules"
                )
        return self

    def cited_keys(self) -> set[str]:
        return {k for r in self.rules for k in r.sources} | {k for s in self.scenarios for k in s.sources}
