"""The translation machinery of the data files (widgets/content/i18n.py): extract, update, overlay, check;
and the committed templates in step with the data."""

from __future__ import annotations

import pickle

import pytest
from babel.messages.catalog import Catalog

from widgets.content import Bibliography, ContentError, CourseMap, Quiz, UIText, i18n

QUIZ = {
    "module": "01_history",
    "title": "Check your understanding",
    "items": [
        {
            "id": "q-year",
            "kind": "single",
            "prompt": "In which year did the first seminars begin?",
            "options": [
                {"text": "1950", "correct": True, "feedback": "Right: see {source}."},
                {"id": "late", "text": "1970", "correct": False, "feedback": "Later than that."},
            ],
            "sources": ["balint1957"],
        }
    ],
}

UI = {"strings": {"hello": "Hello", "n-items": {"one": "{count} item", "other": "{count} items"}}}


def _catalog(lang, translations):
    """A catalog of ``lang`` with {(msgctxt, msgid): msgstr}."""
    catalog = Catalog(locale=lang)
    for (context, msgid), string in translations.items():
        catalog.add(msgid, string, context=context)
    return catalog


# --------------------------------------------------------------------------- extract
def test_the_texts_of_a_quiz_are_found_by_their_type_and_named_by_ids():
    found = i18n.entries(Quiz.model_validate(QUIZ))
    assert [(e.context, e.english) for e in found] == [
        ("title", "Check your understanding"),
        ("items[q-year].prompt", "In which year did the first seminars begin?"),
        ("items[q-year].options[a].text", "1950"),  # an option without an id is named a, b... by the schema
        ("items[q-year].options[a].feedback", "Right: see {source}."),
        ("items[q-year].options[late].text", "1970"),
        ("items[q-year].options[late].feedback", "Later than that."),
    ]  # not the module, the ids, the kind, the sources or `correct`
    assert found[0].max_length == 200 and found[1].max_length == 4000  # ShortText, Text


def test_a_list_without_ids_is_named_by_index_and_a_published_title_is_not_translated():
    course = CourseMap.model_validate(
        {
            "title": "The course",
            "modules": [
                {
                    "id": "01_history",
                    "number": 1,
                    "title": "History",
                    "status": "ready",
                    "minutes": 30,
                    "summary": "Where it began.",
                    "objectives": ["Name the founders.", "Place the first groups."],
                }
            ],
        }
    )
    assert [e.context for e in i18n.entries(course)] == [
        "title",
        "modules[01_history].title",
        "modules[01_history].summary",
        "modules[01_history].objectives[0]",
        "modules[01_history].objectives[1]",
    ]
    bib = Bibliography.model_validate(
        {
            "entries": [
                {
                    "key": "balint1957",
                    "kind": "book",
                    "authors": ["Balint M"],
                    "title": "The doctor, his patient and the illness",
                    "year": 1957,
                    "publisher": "Pitman",
                    "verified": "unverified",
                    "why": "No copy could be seen.",
                }
            ]
        }
    )
    assert [(e.context, e.english) for e in i18n.entries(bib)] == [
        ("entries[balint1957].why", "No copy could be seen.")
    ]


def test_a_plural_ui_text_becomes_a_plural_entry(tmp_path):
    ui = UIText.model_validate(UI)
    assert [(e.context, e.english) for e in i18n.entries(ui)] == [
        ("strings[hello]", "Hello"),
        ("strings[n-items]", ("{count} item", "{count} items")),
    ]
    i18n.write_catalog(tmp_path / "ui.pot", i18n.template(ui, "ui"))
    text = (tmp_path / "ui.pot").read_text()
    assert 'msgctxt "strings[n-items]"\nmsgid "{count} item"\nmsgid_plural "{count} items"\n' in text


# --------------------------------------------------------------------------- update
def _write_template(root, data):
    i18n.write_catalog(root / "templates" / "quizzes" / "01_history.pot", i18n.template(Quiz.model_validate(data), "q"))


def test_update_makes_a_catalog_then_a_changed_english_text_becomes_fuzzy(tmp_path):
    three = [*QUIZ["items"][0]["options"], {"id": "early", "text": "1930", "correct": False, "feedback": "Too early."}]
    first = {**QUIZ, "items": [{**QUIZ["items"][0], "options": three}]}
    _write_template(tmp_path, first)
    assert i18n.update("ru", tmp_path) == ["quizzes/01_history"]
    po = tmp_path / "ru" / "quizzes" / "01_history.po"
    catalog = i18n.read_catalog(po, "ru")
    assert catalog.num_plurals == 3
    assert all(m.string == "" for m in catalog if m.id)  # a new catalog: nothing translated
    catalog.get("Later than that.", "items[q-year].options[late].feedback").string = "Позже."
    catalog.get("1970", "items[q-year].options[late].text").string = "1970 год"
    catalog.get("1930", "items[q-year].options[early].text").string = "1930 год"
    i18n.write_catalog(po, catalog)
    assert i18n.update("ru", tmp_path) == []  # nothing changed in English: the file is left as it is

    late = {"id": "late", "text": "Never", "correct": False, "feedback": "Later than that, by far."}
    second = {**QUIZ, "items": [{**QUIZ["items"][0], "options": [three[0], late]}]}  # early is gone
    _write_template(tmp_path, second)
    i18n.update("ru", tmp_path)
    catalog = i18n.read_catalog(po, "ru")
    message = catalog.get("Later than that, by far.", "items[q-year].options[late].feedback")
    assert message.fuzzy and message.string == "Позже."  # the old translation kept as a suggestion
    assert message.previous_id == ["Later than that."]  # and the old English, for the translator to compare
    message = catalog.get("Never", "items[q-year].options[late].text")  # rewritten: the same place's suggestion
    assert message.fuzzy and message.string == "1970 год" and message.previous_id == ["1970"]
    assert sorted(catalog.obsolete) == [
        ("1930", "items[q-year].options[early].text"),
        ("Too early.", "items[q-year].options[early].feedback"),
    ]
    assert catalog.obsolete[("1930", "items[q-year].options[early].text")].string == "1930 год"
    assert ("ru", "quizzes/01_history", 0, 2, 4) in i18n.status(tmp_path)
    quiz = i18n.localize(Quiz.model_validate(second), "quizzes/01_history", "ru", root=tmp_path)
    assert quiz.items[0].options[1].feedback == "Later than that, by far." and i18n.in_english(quiz)[-1].endswith(
        "feedback"
    )


def test_a_plural_whose_other_form_changed_becomes_fuzzy(tmp_path):
    ui = UIText.model_validate(UI)
    i18n.write_catalog(tmp_path / "templates" / "ui.pot", i18n.template(ui, "ui"))
    i18n.update("ru", tmp_path)
    po = tmp_path / "ru" / "ui.po"
    catalog = i18n.read_catalog(po, "ru")
    catalog.get("{count} item", "strings[n-items]").string = ("{count} пункт", "{count} пункта", "{count} пунктов")
    i18n.write_catalog(po, catalog)
    other = UIText.model_validate(
        {"strings": {**UI["strings"], "n-items": {"one": "{count} item", "other": "{count} things"}}}
    )
    i18n.write_catalog(tmp_path / "templates" / "ui.pot", i18n.template(other, "ui"))
    i18n.update("ru", tmp_path)
    message = i18n.read_catalog(po, "ru").get("{count} item", "strings[n-items]")
    assert message.id == ("{count} item", "{count} things")
    assert message.fuzzy and message.string == ("{count} пункт", "{count} пункта", "{count} пунктов")


# --------------------------------------------------------------------------- overlay
def test_localize_replaces_texts_only_and_marks_what_stays_english():
    quiz = Quiz.model_validate(QUIZ)
    catalog = _catalog(
        "ru",
        {
            ("title", "Check your understanding"): "Проверьте себя",
            ("items[q-year].options[a].text", "1950"): "1999",  # a translation that tries to change a number
            ("items[q-year].options[a].feedback", "Right: see {source}."): "Верно: см. {source}.",
            ("items[q-year].options[late].feedback", "Later than that."): "Позже.",
        },
    )
    catalog.get("Later than that.", "items[q-year].options[late].feedback").flags.add("fuzzy")
    ru = i18n.localize(quiz, "quizzes/01_history", "ru", catalog)
    assert ru.title == "Проверьте себя" and ru.title.lang == "ru"
    assert ru.items[0].options[0].text == "1999"  # a text: it may say what it likes ...
    assert ru.items[0].options[1].feedback == "Later than that." and ru.items[0].options[1].feedback.lang == "en"
    assert ru.items[0].prompt.lang == "en"  # untranslated
    assert i18n.in_english(ru) == [
        "items[q-year].prompt",
        "items[q-year].options[late].text",
        "items[q-year].options[late].feedback",
    ]
    # ... but nothing else changes: ids, kind, correctness, sources, module
    assert ru.module == "01_history" and ru.items[0].id == "q-year" and ru.items[0].kind == "single"
    assert [(o.id, o.correct) for o in ru.items[0].options] == [("a", True), ("late", False)]
    assert ru.items[0].sources == ["balint1957"]
    assert quiz.title == "Check your understanding"  # the English model is untouched
    assert i18n.lang_attr(ru.items[0].prompt, "ru") == ' lang="en"' and i18n.lang_attr(ru.title, "ru") == ""


def test_an_empty_catalog_gives_the_english_model_back_and_english_is_not_touched():
    quiz = Quiz.model_validate(QUIZ)
    ru = i18n.localize(quiz, "quizzes/01_history", "ru", Catalog(locale="ru"))
    assert ru == quiz and ru.model_dump() == quiz.model_dump()
    assert {t.lang for t in (ru.title, ru.items[0].prompt, ru.items[0].options[1].feedback)} == {"en"}
    assert i18n.localize(quiz, "quizzes/01_history", "en") is quiz
    assert pickle.loads(pickle.dumps(ru)).title.lang == "en"  # the content cache can keep a localized model


def test_a_translation_that_breaks_a_placeholder_is_not_shown():
    quiz = Quiz.model_validate(QUIZ)
    catalog = _catalog("ru", {("items[q-year].options[a].feedback", "Right: see {source}."): "Верно: см. {источник}."})
    ru = i18n.localize(quiz, "quizzes/01_history", "ru", catalog)
    assert ru.items[0].options[0].feedback == "Right: see {source}." and ru.items[0].options[0].feedback.lang == "en"


def test_russian_plural_forms_reach_the_cldr_categories():
    assert i18n.plural_slots("ru") == {"one": 0, "few": 1, "many": 2, "other": 2}
    assert i18n.plural_slots("en") == {"one": 0, "other": 1}
    assert i18n.plural_slots("zh") == {"other": 0}
    ui = UIText.model_validate(UI)
    catalog = Catalog(locale="ru")
    catalog.add(
        ("{count} item", "{count} items"),
        ("{count} пункт", "{count} пункта", "{count} пунктов"),
        context="strings[n-items]",
    )
    ru = i18n.localize(ui, "ui", "ru", catalog)
    assert ru.locale == "ru"
    assert [ru.plural("n-items", n).format(count=n) for n in (1, 2, 5, 11, 21, 22)] == [
        "1 пункт",
        "2 пункта",
        "5 пунктов",
        "11 пунктов",
        "21 пункт",
        "22 пункта",
    ]
    assert ru["hello"] == "Hello" and ru["hello"].lang == "en"


# --------------------------------------------------------------------------- checks
def test_text_problems_name_what_a_translation_must_keep():
    assert i18n.text_problems("{count} of {total}", "{count} из {total}") == []
    assert i18n.text_problems("{count} of {total}", "{count} из {всего}") == [
        "the placeholders must be the English ones: missing {total}; not in the English {всего}"
    ]
    assert i18n.text_problems("See <em>this</em>.", "См. <b>это</b>.") == [
        "the markup tags must be the English ones: missing </em>, <em>; not in the English </b>, <b>"
    ]
    assert i18n.text_problems("See [the list](#sources).", "См. [список](#istochniki).") == [
        "the link targets must be the English ones: missing #sources; not in the English #istochniki"
    ]
    assert (
        i18n.text_problems(
            'As <a href="#ref-salinsky2009">Salinsky</a> says', 'Как пишет <a href="#ref-salinsky2009">Салински</a>'
        )
        == []
    )
    assert i18n.text_problems("Cited #ref-salinsky2009", "Цит. #ref-salinsky") == [
        "the citation keys must be the English ones: missing #ref-salinsky2009; not in the English #ref-salinsky"
    ]
    assert i18n.text_problems("Short", "Очень длинно", max_length=5) == [
        "it is 12 characters long; this field holds at most 5"
    ]


def test_check_reports_a_broken_placeholder_and_missing_plural_forms(tmp_path):
    ui = UIText.model_validate(UI)
    i18n.write_catalog(tmp_path / "templates" / "ui.pot", i18n.template(ui, "ui"))
    i18n.update("ru", tmp_path)
    assert i18n.check("ru", tmp_path) == []
    # as another tool might save it: two forms where Russian needs three, and a placeholder translated
    (tmp_path / "ru" / "ui.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        'msgctxt "strings[hello]"\nmsgid "Hello"\nmsgstr "Здравствуйте"\n\n'
        'msgctxt "strings[n-items]"\nmsgid "{count} item"\nmsgid_plural "{count} items"\n'
        'msgstr[0] "{count} пункт"\nmsgstr[1] "{число} пунктов"\n',
        encoding="utf-8",
    )
    assert [str(p) for p in i18n.check("ru", tmp_path)] == [
        "ui: strings[n-items]: it has 2 plural forms; ru needs 3",
        "ui: strings[n-items]: the placeholders must be the English ones: missing {count}; not in the English {число}",
    ]
    assert [str(p) for p in i18n.check("sv", tmp_path)] == ["ui: there is no catalog sv/ui.po: run `make catalogs`"]


def test_load_takes_a_language_and_english_is_as_before():
    from widgets.content import load

    english = load("quizzes/01_history.yaml")
    assert load("quizzes/01_history.yaml", "en") is english
    russian = load("quizzes/01_history.yaml", "ru")  # the starter catalogs: nothing translated yet
    assert russian == english and russian.title.lang == "en"
    with pytest.raises(ContentError, match="'xx-nowhere' is not a language Babel knows"):
        load("quizzes/01_history.yaml", "xx-nowhere")


def test_a_broken_catalog_is_a_plain_message(tmp_path):
    i18n.write_catalog(tmp_path / "templates" / "ui.pot", i18n.template(UIText.model_validate(UI), "ui"))
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "ui.po").write_text(
        'msgctxt "strings[hello]"\nmsgid "Hello"\nmsgstr "Привет"\nHello again\n', encoding="utf-8"
    )
    [problem] = i18n.check("ru", tmp_path)
    assert str(problem) == (
        f"ui: The course file {tmp_path}/ru/ui.po has a problem: line 4 is not in the form of a PO catalog: 'Hello again'"
    )
    (tmp_path / "ru" / "ui.po").write_bytes(b'msgid "Hello"\nmsgstr "\xff"\n')
    with pytest.raises(ContentError, match="it is not saved as UTF-8 text"):
        i18n.localize(UIText.model_validate(UI), "ui", "ru", root=tmp_path)


def test_the_command_line_says_plainly_when_a_language_is_unknown(capsys):
    assert i18n.main(["check", "xx-nowhere"]) == 2
    assert capsys.readouterr().err.strip() == "'xx-nowhere' is not a language Babel knows (e.g. ru, zh, sv)"


# --------------------------------------------------------------------------- the committed catalogs
def test_the_committed_templates_are_in_step_with_the_data():
    stale = i18n.stale_templates()
    assert not stale, f"the templates of {', '.join(stale)} are out of step with the data: run `make catalogs`"


def test_the_committed_templates_hold_the_data_texts():
    pot = (i18n.ROOT / "templates" / "quizzes" / "01_history.pot").read_text()
    assert 'msgctxt "items[q-first-seminars].options[a].text"\nmsgid "In Budapest, before he left Hungary"\n' in pot
    ui = (i18n.ROOT / "templates" / "ui.pot").read_text()
    assert (
        'msgctxt "strings[nav-count]"\nmsgid "{done} of {count} module completed"\n'
        'msgid_plural "{done} of {count} modules completed"\n' in ui
    )
    cbi = (i18n.ROOT / "templates" / "instruments" / "cbi.pot").read_text()
    assert "#. A validated instrument: do not translate it ad hoc." in cbi


@pytest.mark.parametrize("lang", sorted(p.name for p in i18n.ROOT.iterdir() if p.is_dir() and p.name != "templates"))
def test_every_language_has_a_catalog_per_template_and_no_broken_translation(lang):
    templates = sorted(
        p.relative_to(i18n.ROOT / "templates").with_suffix("") for p in (i18n.ROOT / "templates").rglob("*.pot")
    )
    catalogs = sorted(p.relative_to(i18n.ROOT / lang).with_suffix("") for p in (i18n.ROOT / lang).rglob("*.po"))
    assert catalogs == templates, "run `make catalogs`"
    assert [str(p) for p in i18n.check(lang)] == []
