"""JSON Schemas of the data files, for authors' editors: ``make schemas`` (``python -m widgets.schemas``).

Every kind of file under ``data/`` (a quiz, a case, the bibliography...) gets a JSON Schema in
``data/schemas/<kind>.schema.json``, generated from its pydantic model in :mod:`widgets.content`:
titles and descriptions come from the models' field docstrings, required fields are marked, and
unknown fields are refused where the model forbids extras. Each data file names its schema on its
first line::

    # yaml-language-server: $schema=schemas/bibliography.schema.json

(the path relative to the file), so that an editor with YAML support (VS Code with Red Hat's YAML
extension) completes field names, shows what a field is for and marks mistakes as the author types.

The pydantic models stay the authority: they also check what a JSON Schema cannot say (a single-
choice item has exactly one right answer, every cited key is in the bibliography...). A schema is
the editor's first line of help; the kit's loader and the tests are the last word.

``python -m widgets.schemas`` writes the schemas and puts the schema line at the top of any data
file that lacks it (or names the wrong schema); ``--check`` changes nothing and exits with 1 if a
schema or a file's schema line is out of step with the models.

The schemas declare JSON Schema draft 7: that is the draft Red Hat's YAML extension implements
(it warns "not yet fully supported" on a 2020-12 schema), and what pydantic generates for these
models uses only keywords draft 7 has (a ``$ref`` into ``$defs`` is a plain JSON pointer).
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import re
import sys
import textwrap
from pathlib import Path

from pydantic import BaseModel

from widgets import content

DRAFT = "http://json-schema.org/draft-07/schema#"
MODELINE = "# yaml-language-server: $schema="
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SCHEMA_DIR = "schemas"
"""The schemas' folder, under data/."""

FOLDER_KINDS = {"quizzes": "quiz", "scenarios": "scenario", "instruments": "instrument", "cases": "case", "ui": "ui"}
"""A file in one of these folders of data/ is of the folder's kind; any other file's kind is its name
(course_map.yaml: course_map)."""

WHERE = {
    "quiz": "data/quizzes/*.yaml",
    "scenario": "data/scenarios/*.yaml",
    "instrument": "data/instruments/*.yaml",
    "case": "data/cases/*.yaml",
    "ui": "data/ui/<language>.yaml",
}


def kind_of(relpath: str) -> str:
    """The kind of the data file ``relpath`` (relative to data/): 'quiz', 'bibliography', 'ui'..."""
    folder, _, name = relpath.rpartition("/")
    if folder:
        return FOLDER_KINDS[folder]
    return name.removesuffix(".yaml")


def kinds() -> dict[str, type[BaseModel]]:
    """Every kind of data file and its model, from :data:`widgets.content.SCHEMAS` and the folders
    :func:`widgets.content.schema_for` knows."""
    out = {kind_of(relpath): model for relpath, model in content.SCHEMAS.items()}
    for folder, kind in FOLDER_KINDS.items():
        if kind not in out:  # ui/en.yaml is in SCHEMAS by name
            out[kind] = content.schema_for(f"{folder}/x.yaml")
    return dict(sorted(out.items()))


def schema_path(kind: str) -> str:
    """Where the schema of ``kind`` is kept, relative to data/."""
    return f"{SCHEMA_DIR}/{kind}.schema.json"


def schema_ref(relpath: str) -> str:
    """The schema's address as the data file ``relpath`` names it: relative to the file's own folder."""
    up = "../" * relpath.count("/")
    return up + schema_path(kind_of(relpath))


def modeline(relpath: str) -> str:
    """The first line of the data file ``relpath``: the schema it follows, for the editor."""
    return MODELINE + schema_ref(relpath)


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """The docstrings under a model's fields (its own and inherited), by field name.

    Read here from the source rather than by pydantic's ``use_attribute_docstrings``, which would
    parse every model's source each time a kernel imports widgets.content (0.1 CPU-s a page)."""
    docs: dict[str, str] = {}
    for klass in reversed(model.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, BaseModel)) or klass is BaseModel:
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError):  # no source (a model built at run time): no field docs
            continue
        body = tree.body[0].body
        for stmt, after in zip(body, body[1:], strict=False):  # each statement and the next
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[stmt.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _models() -> dict[str, type[BaseModel]]:
    """Every model of widgets.content by class name, as pydantic names them in a schema's $defs."""
    return {
        obj.__name__: obj
        for obj in vars(content).values()
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel
    }


def _describe_fields(node: dict, model: type[BaseModel] | None) -> None:
    """Give each field of ``node`` (a model's schema) its docstring as description, unless it has one."""
    if model is None:
        return
    docs = field_docs(model)
    for name, field in node.get("properties", {}).items():
        if name in docs and "description" not in field:
            field["description"] = docs[name]


def _plain(text: str) -> str:
    """A docstring as an editor's tooltip shows it: one paragraph, `code` in single backticks."""
    return re.sub(r"\s*\n\s*", " ", text).replace("``", "`").strip()


def _tidy(node):
    if isinstance(node, dict):
        return {k: (_plain(v) if k == "description" and isinstance(v, str) else _tidy(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_tidy(v) for v in node]
    return node


def build(kind: str, model: type[BaseModel]) -> dict:
    """The JSON Schema of one kind of data file, as it is written to data/schemas/."""
    generated = model.model_json_schema(mode="validation")
    models = _models()
    _describe_fields(generated, model)
    for name, definition in generated.get("$defs", {}).items():
        _describe_fields(definition, models.get(name))
    generated = _tidy(generated)
    where = WHERE.get(kind, f"data/{kind}.yaml")
    head = {
        "$schema": DRAFT,
        "$comment": f"Generated from widgets.content.{model.__name__} by `make schemas`: edit the model, not this file.",
        "title": f"{where} ({model.__name__})",
    }
    if "description" not in generated:
        generated["description"] = f"The schema of {where}."
    generated.pop("title", None)
    return {**head, **generated}


def render(schema: dict) -> str:
    """The text of a schema file: stable, so that a regenerated schema differs only where the model does."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def expected() -> dict[str, str]:
    """Every schema file's text as the models give it, by its path relative to data/."""
    return {schema_path(kind): render(build(kind, model)) for kind, model in kinds().items()}


def data_files() -> list[str]:
    """The data files that follow a schema (every .yaml under data/), relative to data/."""
    return content.data_files(DATA)


def with_modeline(relpath: str, text: str) -> str:
    """``text`` of the data file ``relpath`` with its schema line first (replacing a stale one)."""
    line = modeline(relpath)
    first, newline, rest = text.partition("\n")
    if first.startswith(MODELINE):
        return line + newline + rest if first != line else text
    return line + "\n" + text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m widgets.schemas", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit with 1 if a schema or a data file's schema line is out of step",
    )
    args = parser.parse_args(argv)
    stale = []
    wanted = expected()
    for relpath, text in wanted.items():
        path = DATA / relpath
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(relpath)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in sorted((DATA / SCHEMA_DIR).glob("*.schema.json")):
        relpath = path.relative_to(DATA).as_posix()
        if relpath not in wanted:  # a kind that no longer exists
            stale.append(f"{relpath} (a schema of no kind of file)")
            if not args.check:
                path.unlink()
    for relpath in data_files():
        path = DATA / relpath
        text = path.read_text(encoding="utf-8")
        new = with_modeline(relpath, text)
        if new != text:
            stale.append(f"{relpath} (its schema line)")
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check:
        for what in stale:
            print(f"out of step with widgets/content/: data/{what}", file=sys.stderr)
        if stale:
            print("Run `make schemas` and commit the result.", file=sys.stderr)
        return 1 if stale else 0
    for what in stale:
        print(f"{'removed' if what.endswith('(a schema of no kind of file)') else 'updated'} data/{what}")
    print(f"{len(wanted)} schemas in data/{SCHEMA_DIR}/ match the models; {len(data_files())} data files name theirs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
