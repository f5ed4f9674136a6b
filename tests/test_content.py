"""The content schemas and ``content.load``: valid files load, broken files give plain-words errors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from widgets import content
from widgets.content import (
    Bibliography,
    ContentError,
    CourseMap,
    Quiz,
    Reference,
    Reflections,
    Timeline,
    UIText,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def put(data_dir: Path, relpath: str, fixture: str) -> None:
    shutil.copyfile(FIXTURES / fixture, data_dir / relpath)


def load_error(relpath: str) -> str:
    with pytest.raises(ContentError) as info:
        content.load(relpath)
    return str(info.value)


# --------------------------------------------------------------------------- minimal valid examples
BOOK = {
    "key": "balint1957",
    "kind": "book",
    "authors": ["Balint M"],
    "title": "The doctor, his patient and the illness",
    "year": 1957,
    "verified": "page",
}


def test_bibliography_accepts_minimal_book():
    bib = Bibliography.model_validate({"entries": [BOOK]})
    assert bib.get("balint1957").title == "The doctor, his patient and the illness"
    assert bib.get("nothing") is None


def test_reference_link_prefers_doi():
    ref = Reference.model_validate(
        {
            "key": "a",
            "kind": "article",
            "authors": ["X Y"],
            "title": "T",
            "year": 2000,
            "doi": "10.1234/abc",
            "url": "https://example.org/a",
            "verified": "doi",
        }
    )
    assert ref.link == "https://doi.org/10.1234/abc"


def test_reference_web_without_year_needs_note():
    ok = Reference.model_validate(
        {
            "key": "w",
            "kind": "web",
            "authors": ["Someone S"],
            "title": "Page",
            "url": "https://example.org/page",
            "note": "Undated.",
            "verified": "page",
        }
    )
    assert ok.year is None
    with pytest.raises(ValidationError):
        Reference.model_validate(
            {
                "key": "w",
                "kind": "web",
                "authors": ["Someone S"],
                "title": "Page",
                "url": "https://example.org/page",
                "verified": "page",
            }
        )


def test_course_map_accepts_minimal_module():
    cmap = CourseMap.model_validate(
        {
            "title": "Kit",
            "modules": [
                {
                    "id": "01_history",
                    "number": 1,
                    "title": "History",
                    "status": "ready",
                    "minutes": 45,
                    "summary": "Where it began.",
                    "objectives": ["describe the beginnings"],
                }
            ],
        }
    )
    assert cmap.module("01_history").minutes == 45
    with pytest.raises(ContentError) as info:
        cmap.module("99_nothing")
    assert "99_nothing" in str(info.value)


def test_timeline_accepts_minimal_event():
    tl = Timeline.model_validate(
        {
            "lanes": [{"id": "balints", "label": "The Balints"}],
            "events": [
                {
                    "id": "born",
                    "date": "1896-12-03",
                    "lane": "balints",
                    "title": "Born",
                    "detail": "In Budapest.",
                    "sources": ["balint1957"],
                }
            ],
        }
    )
    assert tl.cited_keys() == {"balint1957"}


def test_timeline_cited_keys_include_disputed_alternatives():
    tl = Timeline.model_validate(
        {
            "lanes": [{"id": "balints", "label": "The Balints"}],
            "events": [
                {
                    "id": "left",
                    "date": "1939",
                    "lane": "balints",
                    "title": "Left",
                    "detail": "Left Hungary.",
                    "sources": ["a-src"],
                    "disputed": {"note": "Some say 1938.", "alternatives": [{"date": "1938", "sources": ["b-src"]}]},
                }
            ],
        }
    )
    assert tl.cited_keys() == {"a-src", "b-src"}


def test_quiz_accepts_minimal_items():
    q = Quiz.model_validate(
        {
            "module": "01_history",
            "title": "Check",
            "items": [
                {
                    "id": "q-one",
                    "kind": "single",
                    "prompt": "Which?",
                    "sources": ["balint1957"],
                    "options": [
                        {"text": "A", "correct": True, "feedback": "Yes."},
                        {"text": "B", "correct": False, "feedback": "No."},
                    ],
                },
                {
                    "id": "q-two",
                    "kind": "multiple",
                    "prompt": "Which ones?",
                    "sources": ["salinsky2009"],
                    "options": [
                        {"text": "A", "correct": True, "feedback": "Yes."},
                        {"text": "B", "correct": True, "feedback": "Yes too."},
                    ],
                },
            ],
        }
    )
    assert [i.id for i in q.items] == ["q-one", "q-two"]
    assert q.cited_keys() == {"balint1957", "salinsky2009"}


def test_multiple_choice_item_needs_a_correct_option():
    with pytest.raises(ValidationError) as info:
        Quiz.model_validate(
            {
                "module": "01_history",
                "title": "Check",
                "items": [
                    {
                        "id": "q-none",
                        "kind": "multiple",
                        "prompt": "Which?",
                        "sources": ["x"],
                        "options": [
                            {"text": "A", "correct": False, "feedback": "No."},
                            {"text": "B", "correct": False, "feedback": "No."},
                        ],
                    }
                ],
            }
        )
    assert "at least one correct option" in str(info.value)


def test_reflections_accept_minimal_prompt():
    r = Reflections.model_validate(
        {"prompts": [{"id": "01_history-roots", "module": "01_history", "prompt": "Think."}]}
    )
    assert r.get("01_history-roots").hint is None
    with pytest.raises(ContentError):
        r.get("01_history-nothing")


def test_ui_text_accepts_strings_and_names_a_missing_one():
    ui = UIText.model_validate({"strings": {"quiz-check": "Check"}})
    assert ui["quiz-check"] == "Check"
    with pytest.raises(ContentError) as info:
        ui["no-such-text"]
    assert "no-such-text" in str(info.value)
    assert "ui/en.yaml" in str(info.value)


def test_schema_for_knows_every_kind_of_file():
    assert content.schema_for("bibliography.yaml") is Bibliography
    assert content.schema_for("course_map.yaml") is CourseMap
    assert content.schema_for("timeline.yaml") is Timeline
    assert content.schema_for("reflections.yaml") is Reflections
    assert content.schema_for("ui/en.yaml") is UIText
    assert content.schema_for("quizzes/07_burnout.yaml") is Quiz
    with pytest.raises(ContentError):
        content.schema_for("notes.yaml")


def test_load_reads_the_copy(data_copy):
    (data_copy / "course_map.yaml").write_text(
        "title: Copy\nmodules:\n  - id: 01_history\n    number: 1\n    title: H\n    status: ready\n"
        "    minutes: 30\n    summary: S\n    objectives: [o]\n",
        encoding="utf-8",
    )
    assert content.course_map().title == "Copy"


# --------------------------------------------------------------------------- malformed files
def test_broken_yaml_names_file_and_line(data_copy):
    put(data_copy, "bibliography.yaml", "broken_yaml.yaml")
    msg = load_error("bibliography.yaml")
    assert "data/bibliography.yaml" in msg
    assert "near line 5" in msg


def test_empty_file(data_copy):
    put(data_copy, "bibliography.yaml", "empty.yaml")
    msg = load_error("bibliography.yaml")
    assert "data/bibliography.yaml" in msg
    assert "the file is empty" in msg


def test_truly_empty_file(data_copy):
    (data_copy / "reflections.yaml").write_bytes(b"")
    msg = load_error("reflections.yaml")
    assert "data/reflections.yaml" in msg
    assert "empty" in msg


def test_list_at_top_level(data_copy):
    put(data_copy, "bibliography.yaml", "top_level_list.yaml")
    msg = load_error("bibliography.yaml")
    assert "data/bibliography.yaml" in msg
    assert "not a list" in msg


def test_single_value_at_top_level(data_copy):
    (data_copy / "course_map.yaml").write_text("just some words\n", encoding="utf-8")
    msg = load_error("course_map.yaml")
    assert "data/course_map.yaml" in msg
    assert "single value" in msg


def test_missing_required_field_names_record_and_field(data_copy):
    put(data_copy, "bibliography.yaml", "bib_missing_title.yaml")
    msg = load_error("bibliography.yaml")
    assert "data/bibliography.yaml" in msg
    assert "record 2" in msg
    assert "salinsky2009" in msg
    assert "'title'" in msg
    assert "required" in msg
    assert "Field required" not in msg  # pydantic's own wording is translated


def test_misspelt_field_is_not_expected(data_copy):
    put(data_copy, "bibliography.yaml", "bib_misspelt_field.yaml")
    msg = load_error("bibliography.yaml")
    assert "data/bibliography.yaml" in msg
    assert "record 1" in msg
    assert "'publsher'" in msg
    assert "not expected" in msg


def test_single_choice_item_with_two_correct_options(data_copy):
    put(data_copy, "quizzes/01_history.yaml", "quiz_two_correct.yaml")
    msg = load_error("quizzes/01_history.yaml")
    assert "data/quizzes/01_history.yaml" in msg
    assert "q-two-right" in msg
    assert "exactly one correct option, not 2" in msg


def test_duplicate_item_id(data_copy):
    put(data_copy, "quizzes/01_history.yaml", "quiz_duplicate_id.yaml")
    msg = load_error("quizzes/01_history.yaml")
    assert "data/quizzes/01_history.yaml" in msg
    assert "'q-same' is used twice" in msg


def test_duplicate_bibliography_key(data_copy):
    (data_copy / "bibliography.yaml").write_text(
        "entries:\n"
        "  - {key: same, kind: book, authors: [A B], title: One, year: 2000, verified: page}\n"
        "  - {key: same, kind: book, authors: [C D], title: Two, year: 2001, verified: page}\n",
        encoding="utf-8",
    )
    msg = load_error("bibliography.yaml")
    assert "'same' is used twice" in msg


def test_reference_without_doi_or_url_that_is_not_a_book(data_copy):
    put(data_copy, "bibliography.yaml", "bib_unlocatable.yaml")
    msg = load_error("bibliography.yaml")
    assert "data/bibliography.yaml" in msg
    assert "lost-article" in msg
    assert "needs a DOI or a URL" in msg


def test_entry_without_a_record_of_how_it_was_checked_is_refused(data_copy):
    # An entry made like the old `birr-sweden` (issue 13) says nothing of how it was checked.
    put(data_copy, "bibliography.yaml", "bib_like_old_birr_sweden.yaml")
    msg = load_error("bibliography.yaml")
    assert "data/bibliography.yaml" in msg
    assert "birr-sweden" in msg
    assert "'verified'" in msg
    assert "required" in msg


def test_entry_whose_address_is_a_home_page_is_refused(data_copy):
    # The same entry points at a society's home page, not at the article.
    put(data_copy, "bibliography.yaml", "bib_like_old_birr_sweden.yaml")
    msg = load_error("bibliography.yaml")
    assert "birr-sweden" in msg
    assert "https://www.sfmp.se is only a website's home page" in msg


@pytest.mark.parametrize(
    "url, root",
    [
        ("https://example.org", True),
        ("https://example.org/", True),
        ("http://www.example.org/", True),
        ("https://example.org/about/the-page", False),
        ("https://balint.ru/?page_id=185", False),
        ("https://en.wikipedia.org/wiki/Enid_Balint", False),
    ],
)
def test_what_counts_as_a_home_page(url, root):
    entry = {"key": "w", "kind": "web", "authors": ["S S"], "title": "P", "year": 2000, "url": url, "verified": "page"}
    if root:
        with pytest.raises(ValidationError, match="only a website's home page"):
            Reference.model_validate(entry)
    else:
        assert Reference.model_validate(entry).url == url


def test_an_unverified_entry_must_say_why():
    entry = {"key": "u", "kind": "book", "authors": ["S S"], "title": "P", "year": 2000, "verified": "unverified"}
    with pytest.raises(ValidationError, match="needs `why`"):
        Reference.model_validate(entry)
    ok = Reference.model_validate({**entry, "why": "No copy or record of the book could be seen."})
    assert ok.why == "No copy or record of the book could be seen."
    with pytest.raises(ValidationError, match="`why` is only for an unverified entry"):
        Reference.model_validate({**entry, "verified": "page", "why": "Seen."})
    with pytest.raises(ValidationError):
        Reference.model_validate({**entry, "verified": "checked"})  # not one of the five ways


def test_timeline_event_in_unknown_lane(data_copy):
    put(data_copy, "timeline.yaml", "timeline_unknown_lane.yaml")
    msg = load_error("timeline.yaml")
    assert "data/timeline.yaml" in msg
    assert "event 2" in msg
    assert "'atlantis'" in msg
    assert "not among the lanes" in msg


def test_wrong_literal_value_is_named(data_copy):
    text = (data_copy / "course_map.yaml").read_text(encoding="utf-8")
    (data_copy / "course_map.yaml").write_text(text.replace("status: ready", "status: finished", 1), encoding="utf-8")
    msg = load_error("course_map.yaml")
    assert "record 1 ('01_history')" in msg
    assert "'status'" in msg
    assert "must be one of" in msg


def test_bad_pattern_is_not_in_expected_form(data_copy):
    text = (data_copy / "timeline.yaml").read_text(encoding="utf-8")
    (data_copy / "timeline.yaml").write_text(
        text.replace('date: "1896-12-03"', 'date: "3 Dec 1896"', 1), encoding="utf-8"
    )
    msg = load_error("timeline.yaml")
    assert "balint-born" in msg
    assert "'date'" in msg
    assert "not in the expected form" in msg


def test_not_utf8(data_copy):
    (data_copy / "reflections.yaml").write_bytes("prompts:\n  - id: caf\xe9\n".encode("latin-1"))
    msg = load_error("reflections.yaml")
    assert "data/reflections.yaml" in msg
    assert "UTF-8" in msg


def test_missing_file(data_copy):
    (data_copy / "reflections.yaml").unlink()
    msg = load_error("reflections.yaml")
    assert "data/reflections.yaml" in msg
    assert "missing" in msg


def test_missing_quiz_file(data_copy):
    with pytest.raises(ContentError) as info:
        content.quiz("09_nothing")
    assert "data/quizzes/09_nothing.yaml" in str(info.value)
    assert "missing" in str(info.value)


def test_quiz_rejects_a_path_as_module_name(data_copy):
    with pytest.raises(ContentError) as info:
        content.quiz("../bibliography")
    assert "not a module name" in str(info.value)


def test_broken_quiz_does_not_break_the_timeline(data_copy):
    put(data_copy, "quizzes/01_history.yaml", "broken_yaml.yaml")
    with pytest.raises(ContentError):
        content.quiz("01_history")
    tl = content.timeline()
    assert any(e.id == "balint-born" for e in tl.events)
    assert content.bibliography().get("balint1957") is not None


def test_load_notices_a_changed_file(data_copy):
    path = data_copy / "quizzes" / "01_history.yaml"
    put(data_copy, "quizzes/01_history.yaml", "empty.yaml")
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    with pytest.raises(ContentError):
        content.quiz("01_history")
    shutil.copyfile(DATA / "quizzes" / "01_history.yaml", path)
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_005_000_000_000))
    assert content.quiz("01_history").items[0].id == "q-first-seminars"


# --------------------------------------------------------------------------- Reference.short
def ref(authors, year=2009):
    return Reference.model_validate(
        {
            "key": "k",
            "kind": "book",
            "authors": authors,
            "title": "T",
            "year": year,
            "note": None if year else "Undated.",
            "verified": "page",
        }
    )


def test_short_one_author():
    assert ref(["Salinsky J"]).short == "Salinsky 2009"


def test_short_two_authors():
    assert ref(["Kjeldmand D", "Holmström I"], 2008).short == "Kjeldmand and Holmström 2008"


def test_short_three_or_more_authors():
    assert ref(["Koppe H", "van de Mortel TF", "Ahern CM"], 2016).short == "Koppe et al. 2016"
    assert ref(["Johnson AH", "Nease DE Jr", "Milberg LC", "Addison RB"], 2004).short == "Johnson et al. 2004"


def test_short_et_al_as_second_author():
    assert ref(["Birr A", "et al."], None).short == "Birr et al. (n.d.)"


def test_short_without_year():
    assert ref(["Vinokur V"], None).short == "Vinokur (n.d.)"


def test_short_single_word_author():
    assert ref(["Anonymous"], 1990).short == "Anonymous 1990"


def test_short_keeps_a_corporate_author_whole():
    # Organisations are authors in data/bibliography.yaml; only a person's trailing initials may be dropped.
    assert ref(["Deutsche Balint-Gesellschaft"], None).short == "Deutsche Balint-Gesellschaft (n.d.)"
    assert ref(["Royal College of General Practitioners"], 2019).short == "Royal College of General Practitioners 2019"


def test_short_drops_jr_with_the_initials():
    assert ref(["Nease DE Jr", "Lichtenstein A", "Pinho-Costa L"], 2018).short == "Nease et al. 2018"
