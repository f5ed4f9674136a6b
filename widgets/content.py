"""Course content as validated data.

Every file under ``data/`` has one pydantic schema here and is read through
:func:`load`, which turns any problem (a missing file, broken YAML, a wrong
field) into a :class:`ContentError` whose message names the file, the record
and the field in plain words. Pages catch that error and show it, so a broken
file affects only the pages that use it.

This module imports no widget library.
"""

from __future__ import annotations

import html
import io
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from . import content_cache

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)]
ModuleId = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}_[a-z_]+$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


class _Strict(BaseModel):
    # defer_build: a model's validator is built when a file is first validated, not at import, since a
    # page's kernel mostly gets its content already validated (widgets/content_cache.py).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --------------------------------------------------------------------------- bibliography
Topic = Literal["history", "method", "ground-rules", "leadership", "online", "burnout", "evidence", "instruments"]


Verification = Literal["doi", "abstract", "page", "source-document", "unverified"]


def _is_site_root(url: str) -> bool:
    """True for an address that names only a site: https://example.org or https://example.org/."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query and not parts.fragment


class Reference(_Strict):
    """One entry of the bibliography: a publication the course cites by its key."""

    key: Key
    """The name other files cite it by in their `sources` (lower case, digits, hyphens: salinsky2009)."""
    kind: Literal["article", "book", "chapter", "web", "report"]
    """What the work is: a journal article, a book, a chapter of a book, a web page or a report."""
    authors: list[ShortText] = Field(min_length=1)
    """The authors as 'Surname Initials' ('Salinsky J'), or an organisation's name; 'et al.' may end the list."""
    title: Text
    """The work's title as published."""
    year: int | None = Field(default=None, ge=1800, le=2100)
    """The year of publication; null when it is unknown, and then `note` says so."""
    container: Text | None = None
    """The journal, book or website the work appears in."""
    volume: ShortText | None = None
    """The journal's volume."""
    issue: ShortText | None = None
    """The journal's issue."""
    pages: ShortText | None = None
    """The pages, e.g. '123-130'."""
    publisher: ShortText | None = None
    """The publisher of a book or report."""
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    """The DOI without https://doi.org/ in front (10.1234/...). An entry needs a DOI or a URL, unless it is a book."""
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    """The address of the page or article itself, not a website's home page."""
    note: Text | None = None
    """Anything a reader should know about the entry, e.g. that its year is unknown."""
    label: ShortText | None = None
    """A short name for in-text citations when the author is a long organisation name."""
    topics: list[Topic] = Field(default_factory=list)
    """The parts of the course the entry belongs to, for the list of sources by topic."""
    verified: Verification
    """How the entry was checked against the work itself: by the record its DOI leads to, by its
    abstract, by the web page at its address, by the source document it is, or not at all."""
    why: Text | None = None
    """For an unverified entry, why it could not be checked (shown to learners with the entry)."""
    checked: Text | None = None
    """What was seen when it was checked, for the editors (not shown to learners)."""

    @field_validator("url")
    @classmethod
    def _not_a_home_page(cls, url: str | None) -> str | None:
        if url and _is_site_root(url):
            raise ValueError(
                f"the address {url} is only a website's home page: give the address of the page or article itself"
            )
        return url

    @model_validator(mode="after")
    def _locatable(self) -> Reference:
        if not (self.doi or self.url or self.kind == "book"):
            raise ValueError("a reference needs a DOI or a URL, or must be a book")
        if self.year is None and not self.note:
            raise ValueError("the year is missing: give it, or add a note saying it is unknown")
        if self.verified == "unverified" and not self.why:
            raise ValueError("an unverified entry needs `why`: say in a plain sentence why it could not be checked")
        if self.verified != "unverified" and self.why:
            raise ValueError("`why` is only for an unverified entry; say what was seen in `checked`")
        return self

    @property
    def link(self) -> str | None:
        """Where a learner can find the publication."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url

    @property
    def short(self) -> str:
        """'Salinsky 2009', 'Johnson et al. 2004', 'Deutsche Balint-Gesellschaft (n.d.)'."""
        if self.label:
            return f"{self.label} {self.year}" if self.year else f"{self.label} (n.d.)"
        first = _surname(self.authors[0])
        if len(self.authors) > 2 or (len(self.authors) == 2 and self.authors[1] == "et al."):
            who = f"{first} et al."
        elif len(self.authors) == 2:
            who = f"{first} and {_surname(self.authors[1])}"
        else:
            who = first
        return f"{who} {self.year}" if self.year else f"{who} (n.d.)"


def _surname(author: str) -> str:
    """'Nease DE Jr' → 'Nease'; 'Salinsky J' → 'Salinsky'; an organisation stays whole."""
    words = author.split()
    if len(words) > 1 and words[-1] in ("Jr", "Sr"):
        words = words[:-1]
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,3}", words[-1]):
        words = words[:-1]
    return " ".join(words)


class Bibliography(_Strict):
    entries: list[Reference] = Field(min_length=1)

    @field_validator("entries")
    @classmethod
    def _unique(cls, entries: list[Reference]) -> list[Reference]:
        _no_duplicates([e.key for e in entries], "key")
        return entries

    def get(self, key: str) -> Reference | None:
        return self.by_key.get(key)

    @property
    def by_key(self) -> dict[str, Reference]:
        return {e.key: e for e in self.entries}

    def cite_html(self, keys, sep: str = "; ") -> str:
        """In-text citations as links to the page's list of sources: 'Salinsky 2009; IBF 2016'."""
        return sep.join(f'<a href="#ref-{k}">{html.escape(self.by_key[k].short)}</a>' for k in keys)


# --------------------------------------------------------------------------- course map
class Module(_Strict):
    id: ModuleId
    number: int = Field(ge=0, le=99)
    title: ShortText
    status: Literal["ready", "in-preparation"]
    minutes: int = Field(ge=5, le=600)
    summary: Text
    objectives: list[Text] = Field(min_length=1, max_length=8)


class Tool(_Strict):
    """A page that is not a module, such as the instructor's phase timer."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)*$", max_length=80)]
    """Its notebook's path under course/, without .ipynb: 'instructor/timer'."""
    title: ShortText
    summary: Text
    audience: Literal["instructors", "learners"]


class CourseMap(_Strict):
    title: ShortText
    subtitle: ShortText | None = None
    modules: list[Module] = Field(min_length=1)
    tools: list[Tool] = Field(default_factory=list)

    @field_validator("modules")
    @classmethod
    def _unique(cls, modules: list[Module]) -> list[Module]:
        _no_duplicates([m.id for m in modules], "id")
        _no_duplicates([str(m.number) for m in modules], "number")
        return modules

    def module(self, module_id: str) -> Module:
        return _find(self.modules, module_id, "course_map.yaml", "module")


# --------------------------------------------------------------------------- timeline
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
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
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


# --------------------------------------------------------------------------- quizzes
OptionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=30)]
OPTION_LETTERS = "abcdef"  # an option's id when the file gives none: its position (a is the first)


def _option_id_optional(schema: dict) -> None:
    # An option's `id` may be left out of the file (QuizItem names it by its position: a, b, c...),
    # so the JSON Schema an author's editor checks does not require it.
    schema["required"] = [name for name in schema.get("required", []) if name != "id"]


class Option(_Strict):
    """One answer a learner can choose."""

    model_config = ConfigDict(json_schema_extra=_option_id_optional)
    id: OptionId
    """What a learner's stored answer names (never the option's position on screen). May be left out:
    then the option is named by its place in the file (a for the first, b, c...)."""
    text: Text
    """The answer as the learner reads it."""
    correct: bool
    """true for a right answer, false for a wrong one."""
    feedback: Text
    """What the learner reads after choosing this option; for a wrong one, a hint that does not give the right answer away."""


class QuizItem(_Strict):
    """One question of a quiz."""

    id: Key
    """The question's name, unique in the quiz (lower case, digits, hyphens: q-first-seminars)."""
    kind: Literal["single", "multiple"]
    """single: exactly one option is correct; multiple: one or more are, and the learner ticks every right one."""
    prompt: Text
    """The question as the learner reads it."""
    options: list[Option] = Field(min_length=2, max_length=6)
    """Two to six answers, each with its own feedback."""
    sources: list[Key] = Field(min_length=1)
    """Keys of data/bibliography.yaml for what the question teaches."""

    @field_validator("options", mode="before")
    @classmethod
    def _default_ids(cls, options):
        # An option without an `id:` is named by its position in the file: a, b, c, ...
        if not isinstance(options, list):
            return options
        return [
            {"id": OPTION_LETTERS[n], **o} if isinstance(o, dict) and "id" not in o and n < len(OPTION_LETTERS) else o
            for n, o in enumerate(options)
        ]

    @model_validator(mode="after")
    def _answerable(self) -> QuizItem:
        _no_duplicates([o.id for o in self.options], "option id")
        n = sum(o.correct for o in self.options)
        if self.kind == "single" and n != 1:
            raise ValueError(f"a single-choice item needs exactly one correct option, not {n}")
        if self.kind == "multiple" and n < 1:
            raise ValueError("a multiple-choice item needs at least one correct option")
        return self


class Quiz(_Strict):
    """``data/quizzes/<name>.yaml``: a set of "check your understanding" questions for a module."""

    module: ModuleId
    """The module the quiz belongs to (an id of course_map.yaml, e.g. 01_history)."""
    title: ShortText
    """The quiz's heading."""
    items: list[QuizItem] = Field(min_length=1)
    """The questions."""

    @field_validator("items")
    @classmethod
    def _unique(cls, items: list[QuizItem]) -> list[QuizItem]:
        _no_duplicates([i.id for i in items], "item id")
        return items

    def cited_keys(self) -> set[str]:
        return {k for item in self.items for k in item.sources}


# --------------------------------------------------------------------------- reflections
class ReflectionPrompt(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}_[a-z_]+-[a-z0-9-]+$")]
    module: ModuleId
    prompt: Text
    hint: Text | None = None


class Reflections(_Strict):
    prompts: list[ReflectionPrompt] = Field(min_length=1)

    @field_validator("prompts")
    @classmethod
    def _unique(cls, prompts: list[ReflectionPrompt]) -> list[ReflectionPrompt]:
        _no_duplicates([p.id for p in prompts], "id")
        return prompts

    def get(self, prompt_id: str) -> ReflectionPrompt:
        return _find(self.prompts, prompt_id, "reflections.yaml", "reflection prompt")


# --------------------------------------------------------------------------- ground rules
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


# --------------------------------------------------------------------------- session phases and presets
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


# --------------------------------------------------------------------------- leadership and the simulator
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


# --------------------------------------------------------------------------- instruments
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


# --------------------------------------------------------------------------- evidence
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


# --------------------------------------------------------------------------- online groups (module 6)
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


# --------------------------------------------------------------------------- role-play (module 5)
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


# --------------------------------------------------------------------------- around the modules (issue 8)
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


# --------------------------------------------------------------------------- interface text
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""The CLDR plural categories a sentence with a number can take (English uses one and other)."""


class Plural(BaseModel):
    """A sentence with a count in it, in each plural form the file's language has.

    Which form a count takes is the language's rule from the CLDR, through Babel (in the browser,
    ``Intl.PluralRules`` knows the same rules): English 1 -> one, 0, 2, 1.5 -> other; Russian has
    one, few, many and other; Chinese only other."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    zero: Text | None = None
    one: Text | None = None
    two: Text | None = None
    few: Text | None = None
    many: Text | None = None
    other: Text

    def forms(self) -> dict[str, str]:
        return {k: v for k in PLURAL_FORMS if (v := getattr(self, k)) is not None}


def pick_plural(forms, n: float, locale: str = "en") -> str:
    """The form of ``forms`` ({form: text}, or a plain text) that the number ``n`` takes in
    ``locale`` (not yet filled in): for widgets that hold the texts as the browser gets them."""
    if isinstance(forms, str):
        return forms
    return forms.get(_plural_rule(locale)(abs(n))) or forms["other"]


def _plural_rule(locale: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale).plural_form
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"'{locale}' is not a language Babel knows (e.g. en, ru, zh, sv)") from None


class UIText(BaseModel):
    """Every learner-facing string the code shows, so that it can be translated.

    A plain sentence is a string; a sentence with a count in it is a :class:`Plural` with the
    forms the language needs (``locale`` says which language, for its plural rule)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")] = "en"
    strings: dict[Key, Text | Plural]

    @field_validator("strings", mode="after")
    @classmethod
    def _plain(cls, value: dict) -> dict:
        # A plural becomes a plain {form: text} dict, so that every text can go to the browser as JSON.
        return {k: v.forms() if isinstance(v, Plural) else v for k, v in value.items()}

    @model_validator(mode="after")
    def _plurals_complete(self) -> UIText:
        needed = _plural_rule(self.locale).tags
        for key, value in self.strings.items():
            if isinstance(value, dict):
                missing = sorted(needed - set(value))
                if missing:
                    raise ValueError(
                        f"the text '{key}' lacks the plural form(s) {', '.join(missing)} that '{self.locale}' needs"
                    )
        return self

    def __getitem__(self, key: str) -> str:
        try:
            value = self.strings[key]
        except KeyError:
            raise ContentError("ui/en.yaml", f"the text '{key}' is missing") from None
        if isinstance(value, dict):
            raise ContentError("ui/en.yaml", f"the text '{key}' has plural forms; the kit reads it with a count")
        return value

    def plural(self, key: str, count: float) -> str:
        """The form of ``key`` that ``count`` takes in this language (not yet filled in)."""
        value = self.strings.get(key)
        if value is None:
            raise ContentError("ui/en.yaml", f"the text '{key}' is missing")
        if not isinstance(value, dict):
            raise ContentError("ui/en.yaml", f"the text '{key}' needs plural forms (one: ..., other: ...)")
        return value.get(_plural_rule(self.locale)(count)) or value["other"]

    def forms(self, key: str) -> dict[str, str]:
        """A plural text's forms for the browser (``Intl.PluralRules(locale).select(n)`` picks one)."""
        value = self.strings.get(key)
        if not isinstance(value, dict):
            raise ContentError("ui/en.yaml", f"the text '{key}' needs plural forms (one: ..., other: ...)")
        return dict(value)

    def browser(self, keys) -> dict:
        """The named texts as the browser gets them: a string, or {one, other, ...} for a plural."""
        out = {}
        for k in keys:
            if k not in self.strings:
                raise ContentError("ui/en.yaml", f"the text '{k}' is missing")
            out[k] = self.strings[k]
        return out


# --------------------------------------------------------------------------- loading
SCHEMAS: dict[str, type[BaseModel]] = {
    "bibliography.yaml": Bibliography,
    "course_map.yaml": CourseMap,
    "timeline.yaml": Timeline,
    "reflections.yaml": Reflections,
    "ground_rules.yaml": GroundRules,
    "session.yaml": Session,
    "leadership.yaml": Leadership,
    "group_evaluation.yaml": GroupEvaluation,
    "evidence.yaml": Evidence,
    "online.yaml": OnlineGroups,
    "roles.yaml": Roles,
    "guide.yaml": Guide,
    "transcript.yaml": Transcript,
    "glossary.yaml": Glossary,
    "ui/en.yaml": UIText,
}
"""Which schema each data file follows; quizzes/*.yaml follow :class:`Quiz`."""


class ContentError(Exception):
    """A data file is missing or wrong. ``str(error)`` is a plain sentence for people."""

    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = problem
        where = file[3:] if file.startswith("../") else f"data/{file}"  # "../course/x.ipynb": outside data/
        super().__init__(f"The course file {where} has a problem: {problem}")


def data_dir() -> Path:
    """The ``data/`` folder: ``BALINT_KIT_DATA`` if set, else the one beside the package."""
    env = os.environ.get("BALINT_KIT_DATA")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


def schema_for(relpath: str) -> type[BaseModel]:
    if relpath.startswith("quizzes/"):
        return Quiz
    if relpath.startswith("scenarios/"):
        return Scenario
    if relpath.startswith("instruments/"):
        return Instrument
    if relpath.startswith("cases/"):
        return Case
    try:
        return SCHEMAS[relpath]
    except KeyError:
        raise ContentError(relpath, "the kit does not know what kind of file this is") from None


def load(relpath: str):
    """Read and validate ``data/<relpath>``; cached until the file changes on disk."""
    path = data_dir() / relpath
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise ContentError(relpath, "the file is missing") from None
    return _load_cached(str(path), relpath, mtime)


@lru_cache(maxsize=64)
def _load_cached(path: str, relpath: str, mtime: int):
    schema = schema_for(relpath)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise ContentError(relpath, "the file is missing") from None
    # Validated by an earlier kernel, from these very bytes and this code (widgets/content_cache.py).
    model = content_cache.get(relpath, data, schema)
    if model is not None:
        return model
    import yaml  # here: a kernel that gets every file from the cache does not import it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: several times faster
    try:
        raw = yaml.load(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"), Loader=loader)
    except UnicodeDecodeError:
        raise ContentError(relpath, "it is not saved as UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        what = getattr(exc, "problem", None) or "the YAML cannot be read"
        raise ContentError(relpath, f"{what}{where}") from None
    if raw is None:
        raise ContentError(relpath, "the file is empty")
    if not isinstance(raw, dict):
        raise ContentError(relpath, "the file should hold named fields at the top, not a list or a single value")
    try:
        model = schema.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(relpath, describe(exc, raw)) from None
    content_cache.put(relpath, data, schema, model)
    return model


def describe(exc: ValidationError, raw: dict) -> str:
    """The first validation problem in plain words: which record, which field, what is wrong; then, briefly,
    the other problems of the same record, so that one edit can mend them all."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    parts = _where(first["loc"], raw)
    message = f"{', '.join(parts)}: {_plain(first)}" if parts else _plain(first)
    record = _record_prefix(first["loc"])
    if record is not None:
        more = [e for e in errors[1:] if _record_prefix(e["loc"]) == record][:3]
        for err in more:
            rest = _where(err["loc"], raw)[len(_where(record, raw)) :]
            message += f"; also {', '.join(rest) or 'the record'}: {_plain(err)}"
    return message


def _record_prefix(loc) -> tuple | None:
    """The location of the record an error is in (up to its first list index), or None."""
    for i, step in enumerate(loc):
        if isinstance(step, int):
            return tuple(loc[: i + 1])
    return None


def _where(loc, raw: dict) -> list[str]:
    """'record 2 ('salinsky2009')', 'field 'title'': where in the file a problem is."""
    loc = list(loc)
    parts = []
    node = raw
    seen_record = False
    for i, step in enumerate(loc):
        if isinstance(step, int):
            # The first list is the file's records; a list inside a record is one of its fields.
            parent = loc[i - 1] if i > 0 and isinstance(loc[i - 1], str) else None
            label = f"item {step + 1} of '{parent}'" if seen_record and parent else f"record {step + 1}"
            seen_record = True
            item = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(item, dict) and isinstance(item.get("id") or item.get("key"), str):
                label += f" ('{item.get('id') or item.get('key')}')"
            parts.append(label)
            node = item
        else:
            if i == len(loc) - 1 or not isinstance(loc[i + 1], int):
                parts.append(f"field '{step}'")
            node = node.get(step) if isinstance(node, dict) else None
    return parts


def _plain(err: dict) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "this field is required but missing"
    if kind == "extra_forbidden":
        return "this field is not expected here (is it misspelt?)"
    if kind == "string_pattern_mismatch":
        return "this value is not in the expected form"
    if kind in ("too_short", "too_long"):
        return err["msg"].replace("List", "the list").replace("Value", "the value")
    if kind == "literal_error":
        return f"this must be one of {ctx.get('expected')}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"][:1].lower() + err["msg"][1:]


def _find(records, record_id: str, file: str, what: str):
    """The record with this id, or a ContentError saying there is none."""
    for record in records:
        if record.id == record_id:
            return record
    raise ContentError(file, f"there is no {what} '{record_id}'")


def _no_duplicates(values: list[str], what: str) -> None:
    seen = set()
    for v in values:
        if v in seen:
            raise ValueError(f"the {what} '{v}' is used twice")
        seen.add(v)


# --------------------------------------------------------------------------- shortcuts
def bibliography() -> Bibliography:
    return load("bibliography.yaml")


def course_map() -> CourseMap:
    return load("course_map.yaml")


def timeline() -> Timeline:
    return load("timeline.yaml")


def quiz(module_id: str) -> Quiz:
    if not re.fullmatch(r"[0-9]{2}_[a-z_]+", module_id):
        raise ContentError(f"quizzes/{module_id}.yaml", "that is not a module name")
    return load(f"quizzes/{module_id}.yaml")


def ground_rules() -> GroundRules:
    return load("ground_rules.yaml")


def session() -> Session:
    return load("session.yaml")


def reflections() -> Reflections:
    return load("reflections.yaml")


def leadership() -> Leadership:
    return load("leadership.yaml")


def scenario_ids() -> list[str]:
    """The scenarios in ``data/scenarios/``, by file name, in order."""
    folder = data_dir() / "scenarios"
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def scenario(scenario_id: str) -> Scenario:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", scenario_id):
        raise ContentError(f"scenarios/{scenario_id}.yaml", "that is not a scenario name")
    sc = load(f"scenarios/{scenario_id}.yaml")
    if sc.id != scenario_id:
        raise ContentError(
            f"scenarios/{scenario_id}.yaml", f"its id is '{sc.id}' but the file is named '{scenario_id}'"
        )
    return sc


def instrument(instrument_id: str) -> Instrument:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", instrument_id):
        raise ContentError(f"instruments/{instrument_id}.yaml", "that is not an instrument name")
    return load(f"instruments/{instrument_id}.yaml")


def group_evaluation() -> GroupEvaluation:
    return load("group_evaluation.yaml")


def evidence() -> Evidence:
    return load("evidence.yaml")


def online() -> OnlineGroups:
    return load("online.yaml")


def roles() -> Roles:
    return load("roles.yaml")


def case_ids() -> list[str]:
    folder = data_dir() / "cases"
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def case(case_id: str) -> Case:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", case_id):
        raise ContentError(f"cases/{case_id}.yaml", "that is not a case name")
    c = load(f"cases/{case_id}.yaml")
    if c.id != case_id:
        raise ContentError(f"cases/{case_id}.yaml", f"its id is '{c.id}' but the file is named '{case_id}'")
    return c


def guide() -> Guide:
    return load("guide.yaml")


def transcript() -> Transcript:
    return load("transcript.yaml")


def glossary() -> Glossary:
    return load("glossary.yaml")


def ui() -> UIText:
    return load("ui/en.yaml")


def unresolved(keys: set[str], bib: Bibliography) -> list[str]:
    """Citation keys that the bibliography does not hold."""
    return sorted(k for k in keys if bib.get(k) is None)


def require_sources(keys: set[str], file: str) -> Bibliography:
    """The bibliography, after checking that it holds every key ``file`` cites."""
    bib = bibliography()
    missing = unresolved(keys, bib)
    if missing:
        raise ContentError(file, f"it cites sources not in the bibliography: {', '.join(missing)}")
    return bib
