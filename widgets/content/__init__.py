"""Course content as validated data.

Every file under ``data/`` has one pydantic schema here and is read through
:func:`load`, which turns any problem (a missing file, broken YAML, a wrong
field) into a :class:`ContentError` whose message names the file, the record
and the field in plain words. Pages catch that error and show it, so a broken
file affects only the pages that use it.

The schemas are kept by the part of the course they describe (``sources``,
``course``, ``history``, ``exercises``, ``frame``, ``phases``, ``simulator``,
``roleplay``, ``online_groups``, ``instruments``, ``studies``, ``instructor``,
``resources``, ``texts``; what they share is in ``base``), the reading of files
in ``loader``. Every name is re-exported here, so that ``content.quiz(...)``,
``content.ContentError`` and ``from widgets.content import Quiz`` work as they
always have.

This package imports no widget library.
"""

from .base import ContentError, DateText, Key, ModuleId, ShortText, Text
from .course import CourseMap, Module, Tool
from .exercises import OPTION_LETTERS, Option, OptionId, Quiz, QuizItem, ReflectionPrompt, Reflections
from .frame import FrameScenario, GroundRules, Rule
from .history import Alternative, Disputed, Event, Lane, Timeline
from .instructor import ContentNoteEntry, CoursePlan, Guide, PlanItem, PlanSession, TeachingNote
from .instruments import (
    GroupEvaluation,
    Instrument,
    InstrumentItem,
    InstrumentScale,
    ResponseOption,
    ResponseSet,
    Statement,
    Threshold,
)
from .loader import (
    SCHEMAS,
    bibliography,
    case,
    case_ids,
    course_map,
    data_dir,
    describe,
    evidence,
    glossary,
    ground_rules,
    group_evaluation,
    guide,
    instrument,
    leadership,
    load,
    online,
    quiz,
    reflections,
    require_sources,
    roles,
    scenario,
    scenario_ids,
    schema_for,
    session,
    timeline,
    transcript,
    ui,
    unresolved,
)
from .online_groups import ChecklistStep, OnlineGroups, Pledge, PledgeLine, RecordingPolicy, SourcedLine
from .phases import Excerpt, Phase, Preset, PresetPhase, Session
from .resources import Annotation, Glossary, Term, Transcript, Turn
from .roleplay import Behaviour, Case, CaseSetting, RoleCard, Roles
from .simulator import Choice, Derailment, Leadership, Moment, Scenario, Setting, Skill, SkillId
from .sources import Bibliography, Reference, Topic, Verification
from .studies import Effect, Evidence, Outcome, Study
from .texts import PLURAL_FORMS, Plural, UIText, pick_plural

__all__ = [
    "Alternative",
    "Annotation",
    "Behaviour",
    "Bibliography",
    "Case",
    "CaseSetting",
    "ChecklistStep",
    "Choice",
    "ContentError",
    "ContentNoteEntry",
    "CourseMap",
    "CoursePlan",
    "DateText",
    "Derailment",
    "Disputed",
    "Effect",
    "Event",
    "Evidence",
    "Excerpt",
    "FrameScenario",
    "Glossary",
    "GroundRules",
    "GroupEvaluation",
    "Guide",
    "Instrument",
    "InstrumentItem",
    "InstrumentScale",
    "Key",
    "Lane",
    "Leadership",
    "Module",
    "ModuleId",
    "Moment",
    "OPTION_LETTERS",
    "OnlineGroups",
    "Option",
    "OptionId",
    "Outcome",
    "PLURAL_FORMS",
    "Phase",
    "PlanItem",
    "PlanSession",
    "Pledge",
    "PledgeLine",
    "Plural",
    "Preset",
    "PresetPhase",
    "Quiz",
    "QuizItem",
    "RecordingPolicy",
    "Reference",
    "ReflectionPrompt",
    "Reflections",
    "ResponseOption",
    "ResponseSet",
    "RoleCard",
    "Roles",
    "Rule",
    "SCHEMAS",
    "Scenario",
    "Session",
    "Setting",
    "ShortText",
    "Skill",
    "SkillId",
    "SourcedLine",
    "Statement",
    "Study",
    "TeachingNote",
    "Term",
    "Text",
    "Threshold",
    "Timeline",
    "Tool",
    "Topic",
    "Transcript",
    "Turn",
    "UIText",
    "Verification",
    "bibliography",
    "case",
    "case_ids",
    "course_map",
    "data_dir",
    "describe",
    "evidence",
    "glossary",
    "ground_rules",
    "group_evaluation",
    "guide",
    "instrument",
    "leadership",
    "load",
    "online",
    "pick_plural",
    "quiz",
    "reflections",
    "require_sources",
    "roles",
    "scenario",
    "scenario_ids",
    "schema_for",
    "session",
    "timeline",
    "transcript",
    "ui",
    "unresolved",
]
