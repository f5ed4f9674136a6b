"""Translations of the data files through gettext catalogs (issue 17): extract, update, overlay, check.

English is the source of truth. Every learner-facing text of a data file is a field typed ``Text``,
``ShortText`` (or another str type carrying :data:`~widgets.content.base.TRANSLATED`), found by its
annotation, never by its value. Each becomes a catalog entry whose ``msgctxt`` is its place in the
file, named by the records' ids (``items[q-germany].options[b].feedback``; a list whose records have
no ``id`` or ``key``, and a list of plain texts, by index from 0: ``summary[2]``) and whose msgid is
the English text. A plural UI text becomes a plural entry (msgid = its ``one`` form, msgid_plural =
its ``other`` form).

- ``i18n/templates/<area>.pot``: one template per area (``ui`` for data/ui/en.yaml, else the data
  file's path without .yaml: ``quizzes/01_history``; a notebook's prose can later be an area of its
  own, ``course/01_history``); ``python -m widgets.content.i18n extract`` writes them all.
- ``i18n/<lang>/<area>.po``: a language's catalog, merged from the template by Babel's
  ``Catalog.update`` (``update LANG``): new texts untranslated, changed English fuzzy with the old
  translation kept as a suggestion, removed texts obsolete.
- :func:`localize` overlays a catalog on the validated English model: only text fields change, so
  no translation can touch an id, a score, a source or the structure. Each text becomes a
  :class:`Localized` str that says its language, so a widget that shows a text that fell back to
  English can mark it ``lang="en"`` (:func:`lang_attr`).
- :func:`check` (``check LANG``) and :func:`status` (``status``).
- ``widgets.content.load(relpath, lang)`` gives the localized model (cached until the data file or
  the catalog changes); ``load(relpath)`` is English, as before.

Babel does the catalogs and the plural rules (the kit already depends on it for the CLDR rules);
the standard library's ``gettext.c2py`` evaluates a catalog's Plural-Forms expression.
"""

from __future__ import annotations

import argparse
import gettext
import io
import re
import sys
import types
import typing
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from .base import TRANSLATED, ContentError
from .texts import Plural, UIText

ROOT = Path(__file__).resolve().parents[2] / "i18n"
"""The catalogs: ``templates/`` and a folder per language."""

NOTES = {
    "instruments/": "A validated instrument: do not translate it ad hoc. Use a published translation verbatim "
    "with its source, or write a working translation that the page labels as not validated (docs/translators.md).",
    "group_evaluation": "Stockman's statements: the page labels the translation as the kit's (docs/translators.md).",
}
"""Notes to the translator for every entry of an area (by the start of its name)."""


# --------------------------------------------------------------------------- the text fields of a model
@dataclass(frozen=True)
class Entry:
    """One text of a data file: where it is (msgctxt), its English (a str, or (one, other) for a
    plural) and the longest text its field admits."""

    context: str
    english: str | tuple[str, str]
    max_length: int | None = None


def _members(tp) -> list:
    """The alternatives of an annotation: a union's members, an Annotated type unwrapped unless it is a
    translated text type (kept whole, so that its marks can be read)."""
    if typing.get_origin(tp) is typing.Annotated:
        if any(m is TRANSLATED for m in tp.__metadata__):
            return [tp]
        return _members(typing.get_args(tp)[0])
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(tp) for m in _members(arg)]
    return [tp]


def _text_type(members: list):
    """The translated text type among ``members``, or None."""
    return next((m for m in members if typing.get_origin(m) is typing.Annotated), None)


def _max_length(text_type) -> int | None:
    return next((m.max_length for m in text_type.__metadata__ if getattr(m, "max_length", None)), None)


def _name(record, index: int) -> str:
    """A record's name in a msgctxt: its id (or key), else its index in the list."""
    for field in ("id", "key"):
        value = getattr(record, field, None)
        if isinstance(value, str):
            return value
    return str(index)


def _map(value, tp, path: str, fn):
    """``value`` with every translated text replaced by ``fn(path, text, text_type)`` and every plural
    UI text ({form: text}) by ``fn(path, forms, Plural)``; everything else is kept as it is."""
    if isinstance(value, BaseModel):
        changes = {}
        for name, field in type(value).model_fields.items():
            old = getattr(value, name)
            new = _map(old, field.rebuild_annotation(), f"{path}.{name}" if path else name, fn)
            if new is not old:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    members = _members(tp)
    if isinstance(value, str):
        text_type = _text_type(members)
        return fn(path, value, text_type) if text_type is not None else value
    if isinstance(value, list):
        inner = next((typing.get_args(m)[0] for m in members if typing.get_origin(m) is list), None)
        new = [_map(item, inner, f"{path}[{_name(item, i)}]", fn) for i, item in enumerate(value)]
        return new if any(a is not b for a, b in zip(new, value, strict=True)) else value
    if isinstance(value, dict):
        if Plural in members:  # UIText keeps a plural as a plain {form: text} dict (texts.py)
            return fn(path, value, Plural)
        inner = next((typing.get_args(m)[1] for m in members if typing.get_origin(m) is dict), None)
        new = {k: _map(v, inner, f"{path}[{k}]", fn) for k, v in value.items()}
        return new if any(new[k] is not value[k] for k in value) else value
    return value


def entries(model: BaseModel) -> list[Entry]:
    """Every translated text of a validated model, in the file's order."""
    found: list[Entry] = []

    def collect(path, value, kind):
        if kind is Plural:
            found.append(Entry(path, (value.get("one", value["other"]), value["other"])))
        else:
            found.append(Entry(path, value, _max_length(kind)))
        return value

    _map(model, type(model), "", collect)
    seen = Counter(e.context for e in found)
    twice = sorted(c for c, n in seen.items() if n > 1)
    if twice:  # two records of one list with the same id: the schema's checks should have refused them
        raise ValueError(f"two texts have the same place {twice[0]}")
    return found


# --------------------------------------------------------------------------- areas and templates
def areas(data: Path | None = None) -> list[str]:
    """Every data file's area: ``ui`` for ui/en.yaml, else its path without .yaml."""
    from .loader import data_files

    # ui/<lang>.yaml other than en would be a translation, not an English source
    return [area_of(rel) for rel in data_files(data) if not rel.startswith("ui/") or rel == "ui/en.yaml"]


def area_of(relpath: str) -> str:
    return "ui" if relpath == "ui/en.yaml" else relpath.removesuffix(".yaml")


def relpath_of(area: str) -> str:
    return "ui/en.yaml" if area == "ui" else f"{area}.yaml"


def template(model: BaseModel, area: str):
    """The POT template of one area."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(
        project="Balint Course Kit",
        fuzzy=False,
        header_comment=f"# The English texts of data/{relpath_of(area)}, to translate in i18n/<language>/{area}.po.\n"
        "# Made by `make catalogs` from the data file: do not edit it by hand (docs/translators.md).",
    )
    notes = [note for start, note in NOTES.items() if area.startswith(start)]
    for e in entries(model):
        catalog.add(e.english, context=e.context, auto_comments=notes)
    return catalog


def _signature(catalog) -> list:
    """What a template or catalog says, without its header's dates: to write a file only when it changes."""

    def strings(m):  # an untranslated text is None in memory, "" once read; a plural pads its forms with ""
        forms = _forms(m)
        while forms and not forms[-1]:
            forms.pop()
        return forms

    rows = [
        (m.context, m.id, strings(m), sorted(m.flags), " ".join(m.auto_comments), m.previous_id)
        for m in catalog
        if m.id
    ]
    return rows + [("obsolete", key, strings(m)) for key, m in catalog.obsolete.items()]


def read_catalog(path: Path, locale=None):
    """A PO or POT file; a file that is not one is a ContentError saying where it went wrong."""
    from babel.messages.pofile import PoFileError, read_po

    where = f"../{path.relative_to(ROOT.parent).as_posix()}" if path.is_relative_to(ROOT.parent) else f"../{path}"
    try:
        with open(path, "rb") as fh:
            catalog = read_po(fh, locale=locale, abort_invalid=True)
        _read_previous(path, catalog)
    except PoFileError as exc:
        raise ContentError(
            where, f"line {exc.lineno + 1} is not in the form of a PO catalog: {exc.line.strip()!r}"
        ) from None
    except UnicodeDecodeError:
        raise ContentError(where, "it is not saved as UTF-8 text") from None
    return catalog


def _read_previous(path: Path, catalog) -> None:
    """Babel writes a fuzzy entry's old English (``#| msgid``) but does not read it back: read it, so
    that rewriting a catalog keeps what the translator compares with (every msgctxt is unique)."""
    from babel.messages.pofile import denormalize

    previous: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#| "):
            lines.append(line[3:])
        elif line.startswith("msgctxt ") and lines:
            parts, current = [], None
            for part in lines:  # msgid "..." / msgid_plural "..." / "continued..."
                if part.startswith(("msgid ", "msgid_plural ")):
                    current = [part.split(" ", 1)[1]]
                    parts.append(current)
                elif current is not None:
                    current.append(part)
            previous[denormalize(line[8:])] = [denormalize("\n".join(p)) for p in parts]
            lines = []
        elif not line.startswith("#"):
            lines = []
    for message in catalog:
        if message.id and message.context in previous:
            message.previous_id = previous[message.context]


def write_catalog(path: Path, catalog, old_signature: list | None = None) -> bool:
    """Write ``catalog`` unless ``old_signature`` (:func:`_signature` of the file as it is) says the
    file holds the same already; True when written."""
    from babel.messages.pofile import write_po

    if old_signature is not None and old_signature == _signature(catalog):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, include_previous=True, sort_output=False)
    path.write_bytes(buf.getvalue())
    return True


def extract(root: Path = ROOT) -> list[str]:
    """Write ``templates/<area>.pot`` for every data file; the areas whose template changed."""
    from .loader import load

    changed = []
    for area in areas():
        path = root / "templates" / f"{area}.pot"
        new = template(load(relpath_of(area)), area)
        if write_catalog(path, new, _signature(read_catalog(path)) if path.exists() else None):
            changed.append(area)
    return changed


def stale_templates(root: Path = ROOT) -> list[str]:
    """The areas whose committed template is missing or not in step with the data."""
    from .loader import load

    stale = []
    for area in areas():
        path = root / "templates" / f"{area}.pot"
        if not path.exists() or _signature(read_catalog(path)) != _signature(template(load(relpath_of(area)), area)):
            stale.append(area)
    return stale


# --------------------------------------------------------------------------- a language's catalogs
def _locale(lang: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"'{lang}' is not a language Babel knows (e.g. ru, zh, sv)") from None


def merge(catalog, template) -> None:
    """Babel's ``Catalog.update``, then one step of our own: since a msgctxt names a text's place by
    ids, an entry whose English changed at the same place takes that place's old translation as its
    fuzzy suggestion (Babel guesses by similar English anywhere in the file, and keys a plural by its
    ``one`` form only, so that a change of its ``other`` form would go unnoticed)."""
    before = {m.context: m for m in catalog if m.id and any(_forms(m))}
    catalog.update(template, update_header_comment=False)
    for m in catalog:
        old = before.get(m.context) if m.id else None
        if old is None or old.id == m.id or isinstance(old.id, tuple) != isinstance(m.id, tuple):
            continue
        m.string = old.string
        m.flags.add("fuzzy")
        m.previous_id = list(old.id) if isinstance(old.id, tuple) else [old.id]
        catalog.obsolete.pop((old.id[0] if isinstance(old.id, tuple) else old.id, old.context), None)


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string or ""]


def update(lang: str, root: Path = ROOT) -> list[str]:
    """Merge every template into ``<lang>/<area>.po`` (made if missing); the areas whose catalog changed."""
    from babel.messages.catalog import Catalog

    locale = _locale(lang)
    changed = []
    for pot in sorted((root / "templates").rglob("*.pot")):
        area = pot.relative_to(root / "templates").with_suffix("").as_posix()
        path = root / lang / f"{area}.po"
        catalog = read_catalog(path, lang) if path.exists() else None
        before = _signature(catalog) if catalog is not None else None  # taken before merge() changes it
        if catalog is None:
            catalog = Catalog(
                locale=locale,
                project="Balint Course Kit",
                fuzzy=False,
                header_comment=f"# {locale.english_name} translations of data/{relpath_of(area)} (docs/translators.md).\n"
                f"# `make catalogs` brings in the English changes; translate here, in Poedit or Weblate.",
            )
        merge(catalog, read_catalog(pot))
        if write_catalog(path, catalog, before):
            changed.append(area)
    return changed


@lru_cache(maxsize=128)
def _catalog_cached(path: str, lang: str, mtime: int):
    return read_catalog(Path(path), lang)


def catalog_version(lang: str, area: str, root: Path = ROOT) -> int | None:
    """When the catalog of ``area`` in ``lang`` last changed (None: there is none), for caches."""
    try:
        return (root / lang / f"{area}.po").stat().st_mtime_ns
    except FileNotFoundError:
        return None


def catalog_for(lang: str, area: str, root: Path = ROOT):
    """The catalog of ``area`` in ``lang``, or None if there is none (then everything is English)."""
    path = root / lang / f"{area}.po"
    try:
        return _catalog_cached(str(path), lang, path.stat().st_mtime_ns)
    except FileNotFoundError:
        return None


# --------------------------------------------------------------------------- checks on one text
_PLACEHOLDER = re.compile(r"\{[^{}\s]*\}")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)")
_REF = re.compile(r"#ref-[A-Za-z0-9_-]+")
_KEPT = (("placeholders", _PLACEHOLDER), ("markup tags", _TAG), ("link targets", _LINK_TARGET), ("citation keys", _REF))


def _found(pattern, text: str) -> Counter:
    return Counter(m.group(1) if pattern.groups else m.group(0) for m in pattern.finditer(text))


def text_problems(english: str, translation: str, max_length: int | None = None) -> list[str]:
    """What a translation changed that it must keep exactly: placeholders ({count}), markup tags,
    Markdown link targets and #ref- citation keys; and whether it fits its field."""
    problems = []
    for what, pattern in _KEPT:
        want, got = _found(pattern, english), _found(pattern, translation)
        if want != got:
            missing = ", ".join(sorted((want - got).elements())) or "none"
            extra = ", ".join(sorted((got - want).elements())) or "none"
            problems.append(f"the {what} must be the English ones: missing {missing}; not in the English {extra}")
    if max_length is not None and len(translation) > max_length:
        problems.append(f"it is {len(translation)} characters long; this field holds at most {max_length}")
    return problems


def _is_translated(message) -> bool:
    if message is None or "fuzzy" in message.flags:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


def _message(catalog, entry: Entry):
    if catalog is None:
        return None
    message = catalog.get(entry.english[0] if isinstance(entry.english, tuple) else entry.english, entry.context)
    return message if message is not None and message.id == entry.english else None


# --------------------------------------------------------------------------- plurals
@lru_cache(maxsize=16)
def plural_slots(lang: str) -> dict[str, int]:
    """For each CLDR plural category of ``lang`` (one, few, many, other...), which msgstr[i] of a
    catalog holds it: found by asking Babel's gettext formula (the catalog's Plural-Forms) and Babel's
    CLDR rule the same whole numbers. A category no whole number takes (Russian ``other``, which the
    CLDR keeps for fractions; the kit's counts are whole) takes the last form, gettext's "the rest"."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale=_locale(lang))
    formula = gettext.c2py(catalog.plural_expr)
    rule = _locale(lang).plural_form
    slots: dict[str, int] = {}
    for n in range(1000):
        slots.setdefault(rule(n), formula(n))
    for tag in (*rule.tags, "other"):
        slots.setdefault(tag, catalog.num_plurals - 1)
    return slots


# --------------------------------------------------------------------------- the overlay
class Localized(str):
    """A text of a localized model, with the language it is in (``lang``): the page's language, or
    ``en`` where the catalog has no current translation. A widget writes ``lang="en"`` on the element
    that shows an English one (:func:`lang_attr`): the text itself says so, wherever it travels, so a
    widget needs no map of where each text came from."""

    lang: str

    def __new__(cls, text: str, lang: str):
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __reduce__(self):
        return (Localized, (str(self), self.lang))


def lang_attr(text, page_lang: str) -> str:
    """' lang="en"' for a text in another language than the page's, else ''."""
    lang = getattr(text, "lang", page_lang)
    return f' lang="{lang}"' if lang != page_lang else ""


def localize(model: BaseModel, area: str, lang: str, catalog=None, root: Path = ROOT) -> BaseModel:
    """A copy of the validated English ``model`` with each text in ``lang`` where its catalog has a
    current (not fuzzy) translation of the same English that passes :func:`text_problems`, and in
    English otherwise; every text is a :class:`Localized`. Nothing but texts changes, except a UI
    file's ``locale``, which names the language its plural forms follow. English is returned as it is."""
    if lang == "en":
        return model
    if catalog is None:
        catalog = catalog_for(lang, area, root)
    slots = plural_slots(lang)

    def overlay(path, value, kind):
        if kind is Plural:
            entry = Entry(path, (value.get("one", value["other"]), value["other"]))
            message = _message(catalog, entry)
            if _is_translated(message) and len(message.string) == max(slots.values()) + 1:
                forms = {tag: message.string[i] for tag, i in slots.items()}
                if not any(text_problems(entry.english[1], f) for f in forms.values()):
                    return {tag: Localized(f, lang) for tag, f in forms.items()}
            return {tag: Localized(f, "en") for tag, f in value.items()}
        entry = Entry(path, value, _max_length(kind))
        message = _message(catalog, entry)
        if _is_translated(message) and not text_problems(value, message.string, entry.max_length):
            return Localized(message.string, lang)
        return Localized(value, "en")

    localized = _map(model, type(model), "", overlay)
    if isinstance(localized, UIText):
        localized = localized.model_copy(update={"locale": lang})
    return localized


def in_english(model: BaseModel) -> list[str]:
    """The places (msgctxt) of a localized model's texts that fell back to English."""
    places = []

    def note(path, value, kind):
        texts = value.values() if kind is Plural else [value]
        if any(getattr(t, "lang", "en") == "en" for t in texts):
            places.append(path)
        return value

    _map(model, type(model), "", note)
    return places


# --------------------------------------------------------------------------- check and status
@dataclass(frozen=True)
class Problem:
    area: str
    context: str
    message: str

    def __str__(self) -> str:
        return f"{self.area}: {self.context}: {self.message}" if self.context else f"{self.area}: {self.message}"


def _template_entries(root: Path, area: str) -> list[Entry]:
    return [Entry(m.context, m.id) for m in read_catalog(root / "templates" / f"{area}.pot") if m.id]


def _template_areas(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root / "templates").with_suffix("").as_posix() for p in (root / "templates").rglob("*.pot")
    )


def check(lang: str, root: Path = ROOT) -> list[Problem]:
    """Every translated text of ``lang`` (fuzzy ones too: they become current when a translator
    clears the flag) against its English: the kept parts, the field's length, the plural forms."""
    from .loader import load

    _locale(lang)
    need = max(plural_slots(lang).values()) + 1
    problems = []
    for area in _template_areas(root):
        try:
            catalog = catalog_for(lang, area, root)
        except ContentError as exc:
            problems.append(Problem(area, "", str(exc)))
            continue
        if catalog is None:
            problems.append(Problem(area, "", f"there is no catalog {lang}/{area}.po: run `make catalogs`"))
            continue
        try:
            lengths = {e.context: e.max_length for e in entries(load(relpath_of(area)))}
        except ContentError:
            lengths = {}  # a template without its data file: `make catalogs` removes nothing; the lengths are unknown
        if catalog.num_plurals != need:
            problems.append(
                Problem(area, "", f"its Plural-Forms header says {catalog.num_plurals} forms; {lang} has {need}")
            )
        for m in catalog:
            if not m.id:
                continue
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            filled = sum(1 for s in strings if s)
            if isinstance(m.id, tuple) and filled and filled != need:  # Babel reads a missing form as ""
                problems.append(Problem(area, m.context, f"it has {filled} plural forms; {lang} needs {need}"))
            english = m.id[1] if isinstance(m.id, tuple) else m.id
            for s in strings:
                if s:
                    problems += [Problem(area, m.context, p) for p in text_problems(english, s, lengths.get(m.context))]
    return problems


def status(root: Path = ROOT) -> list[tuple[str, str, int, int, int]]:
    """(language, area, translated, fuzzy, untranslated) for every language folder and area."""
    rows = []
    langs = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != "templates") if root.is_dir() else []
    for lang in langs:
        for area in _template_areas(root):
            catalog = catalog_for(lang, area, root)
            done = fuzzy = todo = 0
            for entry in _template_entries(root, area):
                message = _message(catalog, entry)
                if _is_translated(message):
                    done += 1
                elif message is not None and "fuzzy" in message.flags:
                    fuzzy += 1
                else:
                    todo += 1
            rows.append((lang, area, done, fuzzy, todo))
    return rows


# --------------------------------------------------------------------------- the command line
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m widgets.content.i18n", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="write i18n/templates/<area>.pot from the English data files")
    up = commands.add_parser("update", help="merge the templates into i18n/LANG/<area>.po (made if missing)")
    up.add_argument("langs", nargs="+", metavar="LANG")
    ch = commands.add_parser("check", help="check LANG's translations against the English")
    ch.add_argument("lang", metavar="LANG")
    commands.add_parser("status", help="translated, fuzzy and untranslated texts per language and area")
    args = parser.parse_args(argv)
    try:
        if args.command == "extract":
            changed = extract()
            print(f"{len(changed)} template(s) written" + (f": {', '.join(changed)}" if changed else ""))
        elif args.command == "update":
            for lang in args.langs:
                changed = update(lang)
                print(f"{lang}: {len(changed)} catalog(s) written" + (f": {', '.join(changed)}" if changed else ""))
        elif args.command == "check":
            problems = check(args.lang)
            for p in problems:
                print(p)
            print(f"{args.lang}: {len(problems)} problem(s)")
            return 1 if problems else 0
        else:
            rows = status()
            for lang in sorted({r[0] for r in rows}):
                mine = [r for r in rows if r[0] == lang]
                for _, area, done, fuzzy, todo in mine:
                    print(f"{lang}  {area:<55} {done:>5} translated {fuzzy:>5} fuzzy {todo:>5} untranslated")
                done, total = sum(r[2] for r in mine), sum(r[2] + r[3] + r[4] for r in mine)
                print(f"{lang}  all: {done} of {total} texts translated ({100 * done / max(total, 1):.0f} %)")
    except (ValueError, ContentError) as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
