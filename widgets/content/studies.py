"""The evidence (``data/evidence.yaml``): the studies the evidence explorer shows, with their effects."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from .base import Key, ShortText, Text, _no_duplicates, _Strict


class Effect(_Strict):
    """One effect size with its confidence interval, exactly as the source reports it."""

    label: ShortText
    """Which comparison or subgroup, e.g. 'All 11 trials' or 'Nurses'."""
    measure: ShortText
    """E.g. 'SMD'."""
    estimate: float
    ci_low: float | None = None
    ci_high: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Effect:
        if (self.ci_low is None) != (self.ci_high is None):
            raise ValueError("give both ends of the confidence interval, or neither")
        if self.ci_low is not None and not self.ci_low <= self.estimate <= self.ci_high:
            raise ValueError("the estimate should lie inside its confidence interval")
        return self


Outcome = Literal["empathy", "burnout", "wellbeing", "attitudes", "professional-identity", "feasibility", "other"]


class Study(_Strict):
    id: Key
    reference: Key
    """The bibliography entry (which holds the DOI)."""
    title: ShortText
    """A short label, e.g. 'Huang L et al. 2020, residents, China'."""
    design: Literal[
        "randomised trial",
        "controlled trial",
        "before-and-after",
        "cross-sectional",
        "qualitative",
        "survey",
        "systematic review",
        "meta-analysis",
        "literature review",
        "experience report",
    ]
    population: Text
    country: ShortText | None = None
    sample_size: int | None = Field(default=None, ge=1)
    """None when the source read does not give it; then say so in ``unknown``."""
    sessions: Text | None = None
    measures: list[ShortText] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(min_length=1)
    main_result: Text
    effects: list[Effect] = Field(default_factory=list)
    unknown: Text | None = None
    """What the publication, or the abstract that was checked, does not report (figures left empty on purpose)."""


class Evidence(_Strict):
    """``data/evidence.yaml``: the studies the evidence explorer shows."""

    summary: list[Text] = Field(min_length=1)
    """The honest summary, point by point."""
    summary_sources: list[Key] = Field(min_length=1)
    studies: list[Study] = Field(min_length=1)

    @field_validator("studies")
    @classmethod
    def _unique(cls, studies: list[Study]) -> list[Study]:
        _no_duplicates([s.id for s in studies], "study id")
        return studies

    def cited_keys(self) -> set[str]:
        return set(self.summary_sources) | {s.reference for s in self.studies}
