"""The learners' exercises: the quizzes (``data/quizzes/<module>.yaml``) and the reflection prompts
(``data/reflections.yaml``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator

from .base import Key, ModuleId, ShortText, Text, _find, _no_duplicates, _Strict

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
