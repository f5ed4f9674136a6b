"""The JSON Schemas of data/schemas/ (widgets/schemas.py): in step with the models, named by every data
file on its first line, accepting every real file, and catching an author's mistake as an editor would.

The editor an author is told to use (VS Code with Red Hat's YAML extension) implements JSON Schema
draft 7, so the files are checked here with jsonschema's Draft7Validator, as the editor checks them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from widgets import content, schemas

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA_FILES = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*.yaml"))

KINDS = [
    "bibliography",
    "case",
    "course_map",
    "evidence",
    "glossary",
    "ground_rules",
    "group_evaluation",
    "guide",
    "instrument",
    "leadership",
    "online",
    "quiz",
    "reflections",
    "roles",
    "scenario",
    "session",
    "timeline",
    "transcript",
    "ui",
]

# The keywords of JSON Schema draft 7 (json-schema.org/draft-07/json-schema-validation and -core), plus
# `$defs`: draft 7 does not know the word, but a `$ref` such as "#/$defs/Option" is a plain JSON pointer
# into the document, which every draft resolves.
DRAFT7_KEYWORDS = {
    "$schema",
    "$id",
    "$ref",
    "$comment",
    "$defs",
    "definitions",
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "items",
    "additionalItems",
    "maxItems",
    "minItems",
    "uniqueItems",
    "contains",
    "maxProperties",
    "minProperties",
    "required",
    "properties",
    "patternProperties",
    "additionalProperties",
    "dependencies",
    "propertyNames",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "format",
    "contentMediaType",
    "contentEncoding",
}


def committed(kind: str) -> dict:
    return json.loads((DATA / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))


def read_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def errors(schema: dict, instance) -> list[tuple[str, str]]:
    """What the editor would mark: (where, message), where as 'items/1/options/2'."""
    found = Draft7Validator(schema).iter_errors(instance)
    return sorted(("/".join(map(str, e.absolute_path)), e.message) for e in found)


def subschemas(node):
    """Every schema inside a schema (the values of properties, $defs, items, anyOf...), itself first."""
    if isinstance(node, bool):
        return
    yield node
    for key, value in node.items():
        if key in ("properties", "patternProperties", "$defs", "definitions"):
            for sub in value.values():
                yield from subschemas(sub)
        elif key in ("items", "additionalProperties", "propertyNames", "not", "if", "then", "else") and isinstance(
            value, dict
        ):
            yield from subschemas(value)
        elif key in ("anyOf", "allOf", "oneOf"):
            for sub in value:
                yield from subschemas(sub)


# --------------------------------------------------------------------------- in step with the models
def test_every_kind_of_data_file_has_a_schema():
    assert list(schemas.kinds()) == KINDS
    assert sorted(p.name for p in (DATA / "schemas").iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_matches_the_models(kind):
    text = (DATA / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    regenerated = schemas.render(schemas.build(kind, schemas.kinds()[kind]))
    assert text == regenerated, (
        f"data/schemas/{kind}.schema.json is out of step with widgets/content/: run `make schemas`"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_draft_7_as_the_editor_reads_it(kind):
    schema = committed(kind)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)
    used = {key for sub in subschemas(schema) for key in sub}
    assert used - DRAFT7_KEYWORDS == set()


@pytest.mark.parametrize("kind", KINDS)
def test_schema_refuses_unknown_fields_everywhere(kind):
    # Every model of widgets/content/ forbids extra fields (extra="forbid"), so every object with
    # named fields must say additionalProperties: false, or a misspelt field would go unmarked.
    objects = [s for s in subschemas(committed(kind)) if "properties" in s]
    assert objects
    assert [s.get("title") for s in objects if s.get("additionalProperties") is not False] == []


# --------------------------------------------------------------------------- every data file
def test_kinds_of_files():
    assert schemas.kind_of("quizzes/01_history.yaml") == "quiz"
    assert schemas.kind_of("cases/the-wedding-in-june.yaml") == "case"
    assert schemas.kind_of("ui/en.yaml") == "ui"
    assert schemas.kind_of("course_map.yaml") == "course_map"


def test_schema_lines_are_relative_to_the_file():
    assert schemas.modeline("bibliography.yaml") == "# yaml-language-server: $schema=schemas/bibliography.schema.json"
    assert schemas.modeline("quizzes/01_history.yaml") == "# yaml-language-server: $schema=../schemas/quiz.schema.json"
    assert schemas.modeline("ui/en.yaml") == "# yaml-language-server: $schema=../schemas/ui.schema.json"


@pytest.mark.parametrize("relpath", DATA_FILES)
def test_data_file_names_its_schema_on_its_first_line(relpath):
    first = (DATA / relpath).read_text(encoding="utf-8").split("\n", 1)[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), f"data/{relpath} does not name its schema on its first line: run `make schemas`"
    named = ((DATA / relpath).parent / first[len(prefix) :]).resolve()
    assert named.is_file()
    # ...and it is the schema of the model the kit's loader checks the file with.
    assert named.read_text(encoding="utf-8") == schemas.render(
        schemas.build(schemas.kind_of(relpath), content.schema_for(relpath))
    )


@pytest.mark.parametrize("relpath", DATA_FILES)
def test_data_file_validates_against_its_committed_schema(relpath):
    assert errors(committed(schemas.kind_of(relpath)), read_yaml(DATA / relpath)) == []


# --------------------------------------------------------------------------- what an author sees
def test_a_misspelt_field_in_a_quiz_is_marked():
    quiz = read_yaml(FIXTURES / "quiz_misspelt_field.yaml")
    assert errors(committed("quiz"), quiz) == [
        ("items/1/options/2", "'feedback' is a required property"),
        ("items/1/options/2", "Additional properties are not allowed ('feedbak' was unexpected)"),
    ]
    # The typo is the only fault: with it mended, the copy is a valid quiz by the schema and by the model.
    mended = yaml.safe_load(
        (FIXTURES / "quiz_misspelt_field.yaml").read_text(encoding="utf-8").replace("feedbak:", "feedback:")
    )
    assert errors(committed("quiz"), mended) == []
    content.Quiz.model_validate(mended)


def test_a_wrong_type_in_a_case_is_marked():
    case = read_yaml(FIXTURES / "case_wrong_type.yaml")
    assert errors(committed("case"), case) == [("themes", "'death' is not of type 'array'")]


def test_the_loader_refuses_the_planted_mistakes_too(data_copy):
    shutil.copyfile(FIXTURES / "quiz_misspelt_field.yaml", data_copy / "quizzes" / "01_history.yaml")
    with pytest.raises(content.ContentError) as info:
        content.quiz("01_history")
    assert "item 3 of 'options'" in str(info.value) and "'feedbak'" in str(info.value)
    shutil.copyfile(FIXTURES / "case_wrong_type.yaml", data_copy / "cases" / "the-wedding-in-june.yaml")
    with pytest.raises(content.ContentError) as info:
        content.case("the-wedding-in-june")
    assert "field 'themes'" in str(info.value)


def test_quiz_schema_says_what_is_required():
    quiz = committed("quiz")
    assert quiz["required"] == ["module", "title", "items"]
    assert quiz["$defs"]["QuizItem"]["required"] == ["id", "kind", "prompt", "options", "sources"]
    # An option's id may be left out: the loader names it by its place in the file (a, b, c...).
    assert quiz["$defs"]["Option"]["required"] == ["text", "correct", "feedback"]
    assert quiz["$defs"]["QuizItem"]["properties"]["kind"]["enum"] == ["single", "multiple"]


@pytest.mark.parametrize(
    "kind, definition",
    [
        ("quiz", None),
        ("quiz", "QuizItem"),
        ("quiz", "Option"),
        ("case", None),
        ("scenario", None),
        ("scenario", "Moment"),
        ("scenario", "Choice"),
        ("bibliography", "Reference"),
    ],
)
def test_the_most_edited_fields_are_described(kind, definition):
    schema = committed(kind)
    node = schema["$defs"][definition] if definition else schema
    assert node["description"]
    undescribed = [name for name, field in node["properties"].items() if not field.get("description")]
    assert undescribed == []


def test_descriptions_read_as_one_paragraph():
    # Docstrings wrap over lines and use ``code``: the editor's tooltip gets one line with `code`.
    option = committed("quiz")["$defs"]["Option"]["properties"]["id"]["description"]
    assert option == (
        "What a learner's stored answer names (never the option's position on screen). May be left out: "
        "then the option is named by its place in the file (a for the first, b, c...)."
    )
    texts = [s["description"] for k in KINDS for s in subschemas(committed(k)) if "description" in s]
    assert [t for t in texts if "\n" in t or "``" in t] == []


# --------------------------------------------------------------------------- make schemas
@pytest.fixture
def data_for_generator(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setattr(schemas, "DATA", target)
    return target


def test_check_fails_on_a_schema_out_of_step(data_for_generator, capsys):
    data = data_for_generator
    assert schemas.main(["--check"]) == 0
    (data / "schemas" / "quiz.schema.json").write_text("{}\n", encoding="utf-8")
    (data / "schemas" / "old-kind.schema.json").write_text("{}\n", encoding="utf-8")
    assert schemas.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "data/schemas/quiz.schema.json" in err
    assert "data/schemas/old-kind.schema.json (a schema of no kind of file)" in err
    assert "Run `make schemas`" in err
    assert (data / "schemas" / "quiz.schema.json").read_text(encoding="utf-8") == "{}\n"  # --check changes nothing


def test_make_schemas_mends_schemas_and_schema_lines(data_for_generator, capsys):
    data = data_for_generator
    (data / "schemas" / "quiz.schema.json").write_text("{}\n", encoding="utf-8")
    (data / "schemas" / "old-kind.schema.json").write_text("{}\n", encoding="utf-8")
    new_quiz = (DATA / "quizzes" / "01_history.yaml").read_text(encoding="utf-8").split("\n", 1)[1]
    (data / "quizzes" / "09_new.yaml").write_text(new_quiz, encoding="utf-8")  # an author's new file, no schema line
    stale = data / "cases" / "the-wedding-in-june.yaml"
    stale.write_text(
        stale.read_text(encoding="utf-8").replace("../schemas/case.schema.json", "../schemas/quiz.schema.json", 1),
        encoding="utf-8",
    )
    assert schemas.main([]) == 0
    out = capsys.readouterr().out
    assert "updated data/quizzes/09_new.yaml (its schema line)" in out
    assert "removed data/schemas/old-kind.schema.json (a schema of no kind of file)" in out
    assert (data / "quizzes" / "09_new.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../schemas/quiz.schema.json\n" + new_quiz
    )
    assert (
        stale.read_text(encoding="utf-8").split("\n", 1)[0]
        == "# yaml-language-server: $schema=../schemas/case.schema.json"
    )
    assert stale.read_text(encoding="utf-8") == (DATA / "cases" / "the-wedding-in-june.yaml").read_text(
        encoding="utf-8"
    )
    assert not (data / "schemas" / "old-kind.schema.json").exists()
    assert (data / "schemas" / "quiz.schema.json").read_text(encoding="utf-8") == (
        DATA / "schemas" / "quiz.schema.json"
    ).read_text(encoding="utf-8")
    assert schemas.main(["--check"]) == 0
