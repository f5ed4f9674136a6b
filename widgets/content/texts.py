"""The interface text (``data/ui/<language>.yaml``): every learner-facing string the code shows, with
the plural forms of a sentence that holds a count."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator, model_validator

from .base import ContentError, Key, Text

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
