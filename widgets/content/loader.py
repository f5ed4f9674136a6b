"""Reading the data files: :func:`load` and the named loaders (``content.quiz(module_id)``...).

Every file under ``data/`` follows one pydantic schema (:data:`SCHEMAS`, :func:`schema_for`) and is
read through :func:`load`, which turns any problem (a missing file, broken YAML, a wrong field) into
a :class:`ContentError` whose message names the file, the record and the field in plain words
(:func:`describe`). Every public load function goes through here."""

from __future__ import annotations

import io
import os
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .. import content_cache
from .base import ContentError
from .course import CourseMap
from .exercises import Quiz, Reflections
from .frame import GroundRules
from .history import Timeline
from .instructor import Guide
from .instruments import GroupEvaluation, Instrument
from .online_groups import OnlineGroups
from .phases import Session
from .resources import Glossary, Transcript
from .roleplay import Case, Roles
from .simulator import Leadership, Scenario
from .sources import Bibliography
from .studies import Evidence
from .texts import UIText

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


def data_dir() -> Path:
    """The ``data/`` folder: ``BALINT_KIT_DATA`` if set, else the one beside the package."""
    env = os.environ.get("BALINT_KIT_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data"


def data_files(root: Path | None = None) -> list[str]:
    """Every data file (each ``.yaml`` under ``data/``, or under ``root``), as a path relative to it."""
    root = root or data_dir()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))


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


def load(relpath: str, lang: str = "en"):
    """Read and validate ``data/<relpath>``; cached until the file changes on disk. With another
    ``lang`` than English, the English model with that language's catalog laid over its texts
    (:func:`widgets.content.i18n.localize`: what is not translated stays English, marked so)."""
    path = data_dir() / relpath
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise ContentError(relpath, "the file is missing") from None
    if lang == "en":
        return _load_cached(str(path), relpath, mtime)
    from . import i18n

    try:
        version = i18n.catalog_version(lang, i18n.area_of(relpath))
        return _localized_cached(str(path), relpath, mtime, lang, version)
    except ValueError as exc:  # a language Babel does not know
        raise ContentError(relpath, str(exc)) from None


@lru_cache(maxsize=64)
def _localized_cached(path: str, relpath: str, mtime: int, lang: str, catalog_version: int | None):
    # Kept until the data file or the language's catalog changes (a page's kernel loads a file often).
    from . import i18n

    return i18n.localize(_load_cached(path, relpath, mtime), i18n.area_of(relpath), lang)


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
