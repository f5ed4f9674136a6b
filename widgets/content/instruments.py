"""The questionnaires: self-assessment instruments (``data/instruments/<id>.yaml``) and the group
evaluation's statements (``data/group_evaluation.yaml``)."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from .base import Key, ShortText, Text, _find, _no_duplicates, _Strict


class ResponseOption(_Strict):
    label: ShortText
    value: int = Field(ge=0, le=100)


class ResponseSet(_Strict):
    id: Key
    name: ShortText
    options: list[ResponseOption] = Field(min_length=2, max_length=11)


class InstrumentScale(_Strict):
    id: Key
    name: ShortText
    definition: Text
    min_answered: int = Field(ge=1)
    """The fewest answered items for which a scale score is given."""
    rule_published: bool
    """False when the instrument's authors publish no missing-answer rule and the kit chose one."""
    rule_note: Text
    """Where the rule comes from, or that it is the kit's own choice."""


class InstrumentItem(_Strict):
    id: Key
    scale: Key
    text: Text
    response_set: Key
    reversed: bool = False


class Threshold(_Strict):
    value: float = Field(ge=0, le=100)
    note: Text
    """What the threshold is (a research convention) and what it is not (a diagnosis)."""
    sources: list[Key] = Field(min_length=1)


class Instrument(_Strict):
    """``data/instruments/<id>.yaml``: a self-assessment questionnaire whose terms allow embedding."""

    id: Key
    name: ShortText
    short_name: ShortText
    instructions: Text
    licence: Text
    """What is known of the terms of use, in plain words."""
    not_diagnosis: Text
    help: Text
    """Where to seek help."""
    scales: list[InstrumentScale] = Field(min_length=1)
    response_sets: list[ResponseSet] = Field(min_length=1)
    items: list[InstrumentItem] = Field(min_length=1)
    """In the order they are asked."""
    threshold: Threshold | None = None
    sources: list[Key] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        _no_duplicates([s.id for s in self.scales], "scale id")
        _no_duplicates([r.id for r in self.response_sets], "response set id")
        _no_duplicates([i.id for i in self.items], "item id")
        scales = {s.id for s in self.scales}
        sets = {r.id: r for r in self.response_sets}
        for n, item in enumerate(self.items, 1):
            if item.scale not in scales:
                raise ValueError(
                    f"item {n} ('{item.id}') belongs to the scale '{item.scale}', which is not among the scales"
                )
            if item.response_set not in sets:
                raise ValueError(
                    f"item {n} ('{item.id}') uses the response set '{item.response_set}', which is not defined"
                )
        for scale in self.scales:
            count = sum(1 for i in self.items if i.scale == scale.id)
            if scale.min_answered > count:
                raise ValueError(
                    f"the scale '{scale.id}' asks for {scale.min_answered} answers but has only {count} items"
                )
        return self

    def response_set(self, set_id: str) -> ResponseSet:
        return _find(self.response_sets, set_id, f"instruments/{self.id}.yaml", "response set")

    def cited_keys(self) -> set[str]:
        return set(self.sources) | (set(self.threshold.sources) if self.threshold else set())


class Statement(_Strict):
    id: Key
    text: Text


class GroupEvaluation(_Strict):
    """``data/group_evaluation.yaml``: Stockman's six statements, each answered from 0 to 9."""

    title: ShortText
    intro: Text
    minimum: int = Field(ge=0, le=0)
    maximum: int = Field(ge=1, le=10)
    low_label: ShortText
    high_label: ShortText
    labels_note: Text
    """Whose wording the end labels are (the kit's own, if the source gives none)."""
    statements: list[Statement] = Field(min_length=1, max_length=12)
    sources: list[Key] = Field(min_length=1)

    @field_validator("statements")
    @classmethod
    def _unique(cls, statements: list[Statement]) -> list[Statement]:
        _no_duplicates([s.id for s in statements], "statement id")
        return statements

    def cited_keys(self) -> set[str]:
        return set(self.sources)
