"""A session's phases, the timed formats (presets) and the excerpts to place in a phase
(``data/session.yaml``, module 3 and the phase timer)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Key, ShortText, Text, _find, _no_duplicates, _Strict


class Phase(_Strict):
    id: Key
    name: ShortText
    what_happens: Text
    leader_does: Text
    cue: Text
    """A short prompt the timer shows the leader during this phase."""
    sources: list[Key] = Field(min_length=1)


class PresetPhase(_Strict):
    phase: Key
    min: float = Field(ge=0, le=240)
    max: float = Field(ge=0, le=240)
    suggested: float = Field(gt=0, le=240)
    """The kit's default minutes for this phase in this format."""
    kit_suggestion: bool
    """True when no source gives this phase's minutes and the range is the kit's own suggestion."""
    rounded: bool = False
    """True when a source gives the range and ``suggested`` is its middle rounded to a whole minute
    by the kit (a 1-2 minute range suggests 2): the kit's rounding, not the source's figure."""
    note: Text | None = None
    cue: ShortText | None = None
    """A cue for this format (e.g. an online safety prompt), shown by the timer instead of the phase's own."""

    @model_validator(mode="after")
    def _range(self) -> PresetPhase:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is larger than max ({self.max})")
        if not (self.min <= self.suggested <= self.max):
            raise ValueError(f"suggested ({self.suggested}) is outside min-max ({self.min}-{self.max})")
        if self.rounded:
            middle = (self.min + self.max) / 2
            if self.kit_suggestion:
                raise ValueError("rounded is for a source's range; this range is the kit's suggestion already")
            if self.suggested != int(self.suggested) or abs(self.suggested - middle) != 0.5:
                raise ValueError(
                    f"rounded says suggested ({self.suggested:g}) is the middle of {self.min:g}-{self.max:g} ({middle:g}) "
                    "rounded to a whole minute, and it is not"
                )
        return self


class Preset(_Strict):
    id: Key
    title: ShortText
    setting: Literal["in-person", "online", "demonstration"]
    description: Text
    source_says: Text
    """What the sources themselves give (a total, an order, per-phase minutes), in plain words."""
    phases: list[PresetPhase] = Field(min_length=2)
    sources: list[Key] = Field(min_length=1)

    @property
    def total_min(self) -> float:
        return sum(p.min for p in self.phases)

    @property
    def total_max(self) -> float:
        return sum(p.max for p in self.phases)

    @property
    def total_suggested(self) -> float:
        return sum(p.suggested for p in self.phases)


class Excerpt(_Strict):
    id: Key
    text: Text
    phase: Key
    feedback: Text


class Session(_Strict):
    phases: list[Phase] = Field(min_length=2)
    presets: list[Preset] = Field(min_length=1)
    excerpts: list[Excerpt] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Session:
        _no_duplicates([p.id for p in self.phases], "phase id")
        _no_duplicates([p.id for p in self.presets], "preset id")
        _no_duplicates([e.id for e in self.excerpts], "excerpt id")
        ids = {p.id for p in self.phases}
        for i, preset in enumerate(self.presets):
            for j, pp in enumerate(preset.phases):
                if pp.phase not in ids:
                    raise ValueError(
                        f"preset {i + 1} ('{preset.id}'), phase {j + 1} is '{pp.phase}', which is not among the phases"
                    )
        for i, e in enumerate(self.excerpts):
            if e.phase not in ids:
                raise ValueError(
                    f"excerpt {i + 1} ('{e.id}') names the phase '{e.phase}', which is not among the phases"
                )
        return self

    def phase(self, phase_id: str) -> Phase:
        return _find(self.phases, phase_id, "session.yaml", "phase")

    def preset(self, preset_id: str) -> Preset:
        return _find(self.presets, preset_id, "session.yaml", "preset")

    def cited_keys(self) -> set[str]:
        return {k for p in self.phases for k in p.sources} | {k for p in self.presets for k in p.sources}
