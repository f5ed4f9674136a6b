"""The history timeline (``data/timeline.yaml``, module 1): lanes and dated events, disputed dates
with their sources."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from .base import TRANSLATED, DateText, Key, ShortText, Text, _no_duplicates, _Strict


class Alternative(_Strict):
    date: DateText
    sources: list[Key] = Field(min_length=1)


class Disputed(_Strict):
    note: Text
    alternatives: list[Alternative] = Field(min_length=1)


class Lane(_Strict):
    id: Key
    label: ShortText


class Event(_Strict):
    id: Key
    date: DateText
    lane: Key
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), TRANSLATED]
    detail: Text
    sources: list[Key] = Field(min_length=1)
    disputed: Disputed | None = None


class Timeline(_Strict):
    lanes: list[Lane] = Field(min_length=1)
    events: list[Event] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Timeline:
        _no_duplicates([lane.id for lane in self.lanes], "lane id")
        _no_duplicates([e.id for e in self.events], "event id")
        lanes = {lane.id for lane in self.lanes}
        for i, e in enumerate(self.events):
            if e.lane not in lanes:
                raise ValueError(f"event {i + 1} ('{e.id}') is in lane '{e.lane}', which is not among the lanes")
        return self

    def cited_keys(self) -> set[str]:
        keys = set()
        for e in self.events:
            keys.update(e.sources)
            if e.disputed:
                for alt in e.disputed.alternatives:
                    keys.update(alt.sources)
        return keys
