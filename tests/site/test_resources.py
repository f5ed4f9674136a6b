"""The pages around the modules (issue 8): the completion record, the learner's data page with
delete-all, the glossary links, printing. (Every page at phone width and in print media is
checked in test_accessibility.py, in the same page load as axe.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, assert_no_error_output, screenshot, wait_rendered

pytestmark = pytest.mark.site
DATA = ROOT / "data"

# What shows that each tool page has drawn its last part.
TOOL_READY = {
    "instructor/timer": ".kit-timer .kit-timer-clock",
    "instructor/class_poll": ".kit-classpoll",
    "instructor/role_play": ".kit-sources",
    "instructor/guide": ".kit-sources",
    "resources/transcript": ".kit-sources",
    "resources/glossary": ".kit-sources",
    "resources/reading_list": ".kit-reading",
    "resources/record": ".kit-record",
    "resources/my_data": ".kit-store-card",
    "resources/about": ".kit-sources",
}


def _yaml(rel):
    return yaml.safe_load((DATA / rel).read_text(encoding="utf-8"))


def test_every_tool_in_the_course_map_has_a_ready_marker():
    assert {t["id"] for t in _yaml("course_map.yaml")["tools"]} == set(TOOL_READY)


def test_the_completion_record_is_built_from_the_browsers_store(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/resources/record.ipynb")
    wait_rendered(page, ready=".kit-record")
    base = page.evaluate("() => document.body.dataset.kitBase")
    key = f"balint-kit:v1:{base}:"
    ids = [item["id"] for item in _yaml("quizzes/01_history.yaml")["items"]]
    assert len(ids) >= 13
    # 01: every question tried. 5 right in the format of today ({chosen, correct}: one try),
    # 3 wrong, 3 right at the first try in the format with retries, and the rest right only at
    # the second try: right at the first try, 5 + 3 = 8.
    answers = {i: {"chosen": [0], "correct": True} for i in ids[:5]}
    answers |= {i: {"chosen": [1], "correct": False} for i in ids[5:8]}
    answers |= {
        i: {"chosen": ["a"], "correct": True, "tries": 1, "first_try": True, "revealed": False} for i in ids[8:11]
    }
    answers |= {
        i: {"chosen": ["b"], "correct": True, "tries": 2, "first_try": False, "revealed": False} for i in ids[11:]
    }
    answers["q-no-longer-in-the-quiz"] = {"chosen": [0], "correct": True}
    page.evaluate(
        """([k, answers]) => {
          localStorage.setItem(k + 'progress', JSON.stringify({'01_history': {completed: '2026-10-02'}, '04_leadership': {completed: '2026-11-20'}}));
          localStorage.setItem(k + 'quiz', JSON.stringify({'01_history': answers, '04_leadership': {'q-x': {chosen: [0], correct: true}}}));
        }""",
        [key, answers],
    )
    page.reload()
    wait_rendered(page, ready=".kit-record")
    # Opening the record keeps nothing the learner did not type: no empty name in the store.
    assert page.evaluate("k => localStorage.getItem(k + 'record-name')", key) is None
    page.locator(".kit-record-name-input").fill("Dr Test Learner")
    assert page.evaluate("k => localStorage.getItem(k + 'record-name')", key) == "Dr Test Learner"
    row = page.locator('.kit-record-table tr[data-module="01_history"] td')
    modules = {m["id"]: m for m in _yaml("course_map.yaml")["modules"]}
    items = len(ids)
    assert [row.nth(i).inner_text() for i in range(4)] == [
        f"1. {modules['01_history']['title']}",
        f"{modules['01_history']['minutes']} min",
        "2026-10-02",
        f"8 of {items} questions right at the first try",
    ]
    # Module 4 was marked complete (an older version allowed it untried): the record says what was tried.
    assert page.locator('.kit-record-table tr[data-module="04_leadership"] td').nth(3).inner_text() == "not yet tried"
    assert page.locator('.kit-record-table tr[data-module="02_ground_rules"] td').nth(3).inner_text() == "not yet tried"
    assert (
        page.locator('.kit-record-table tr[data-module="02_ground_rules"] td').nth(2).inner_text()
        == "not marked complete"
    )
    hours = (modules["01_history"]["minutes"] + modules["04_leadership"]["minutes"]) / 60
    ready = [m for m in modules.values() if m["status"] == "ready"]
    assert page.locator(".kit-record-total").inner_text() == (
        f"2 of {len(ready)} modules marked complete; their study time in the course map adds up to {hours:.1f} hours."
    )
    # What it attests, in words a reviewer cannot mistake: first, then in full at the end.
    assert page.locator(".kit-record h2").inner_text() == "Balint Course Kit: self-declared study record"
    assert page.locator(".kit-record-self-declared").inner_text() == (
        "Self-declared, not verified: the learner made this record in their own web browser from their own entries. "
        "No one has checked it, and the learner can edit everything it is made from."
    )
    what = page.locator(".kit-record-what").inner_text()
    assert "how many questions of each module's knowledge check they answered right at the first try" in what
    assert "nobody checked it" in what
    assert "The learner can change every entry it is made from" in what
    assert "It is not a certificate, an assessment or evidence of CPD or CME credit." in what
    # The printed record: only the record, with the name, black on white.
    page.evaluate("() => { window.print = () => {}; document.querySelector('.kit-record-print').click(); }")
    page.emulate_media(media="print")
    assert page.locator("#kit-print-root .kit-record-name").inner_text() == "Dr Test Learner"
    assert page.locator(".kit-header").is_hidden()
    screenshot(page, "record-printed")
    assert "Dr Test Learner" not in site.log()
    # Back from the print dialog, the page is whole again. Chromium lays the page out for paper
    # (print media, a resize) while the dialog is open; Voila's shell measured itself then as
    # hidden, and stayed 0 px high afterwards: a blank page (seen in CI after printing role cards).
    page.set_viewport_size({"width": 700, "height": 1000})
    page.wait_for_timeout(300)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_timeout(300)
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    page.wait_for_function("() => document.getElementById('rendered_cells').clientHeight > 800")
    assert page.locator("#kit-print-root").count() == 0
    assert page.locator(".kit-record-print").is_visible()
    page.locator(".kit-record-print").scroll_into_view_if_needed(timeout=5000)


def test_your_data_page_lists_exports_and_deletes_everything(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/resources/my_data.ipynb")
    wait_rendered(page, ready=".kit-store-card")
    base = page.evaluate("() => document.body.dataset.kitBase")
    key = f"balint-kit:v1:{base}:"
    page.evaluate(
        """k => {
          localStorage.setItem(k + 'progress', JSON.stringify({'01_history': {completed: '2026-10-02'}}));
          localStorage.setItem(k + 'reflection:01_history-roots', JSON.stringify({text: 'mine', saved: '2026-10-02T10:00'}));
          localStorage.setItem(k + 'cbi-history', JSON.stringify([{date: '2026-10-01', answers: {'personal-1': 75}}]));
          localStorage.setItem(k + 'solo:the-wedding-in-june:associations', 'A heavy feeling.');
          localStorage.setItem(k + 'theme', 'dark');
          localStorage.setItem(k + 'order-seed', '0123456789abcdef');
          localStorage.setItem(k + 'present', 'on');
        }""",
        key,
    )
    page.reload()
    wait_rendered(page, ready=".kit-store-card")
    kinds = page.eval_on_selector_all(".kit-mydata-table tbody tr", "rows => rows.map(r => r.dataset.kind)")
    assert kinds == ["progress", "order", "reflection", "self-check", "solo", "theme"]
    counts = page.eval_on_selector_all(".kit-mydata-table tbody tr", "rows => rows.map(r => r.children[1].innerText)")
    assert counts == [
        "1 module",
        "1 entry",
        "1 reflection",
        "1 saved result",
        "1 note",
        "2 entries",
    ]  # seed; theme and present
    assert page.locator(".kit-mydata-shared").inner_text().startswith("On a shared computer")
    with page.expect_download() as dl:
        page.locator(".kit-export").click()
    exported = json.loads(Path(dl.value.path()).read_text())
    assert exported["other"] == {
        "cbi-history": '[{"date":"2026-10-01","answers":{"personal-1":75}}]',
        "solo:the-wedding-in-june:associations": "A heavy feeling.",
        "theme": "dark",
        "order-seed": "0123456789abcdef",  # the learner's option order goes with their data
        "present": "on",
    }
    page.locator(".kit-delete").click()
    page.locator(".kit-delete").click()
    page.wait_for_selector(".kit-mydata-empty")
    left = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('balint-kit'))")
    assert left == []
    page.reload()
    wait_rendered(page, ready=".kit-store-card")
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('balint-kit'))") == []
    # The export brings it all back.
    page.locator(".kit-import input[type=file]").set_input_files(dl.value.path())
    # Five other items: the self-check history, the solo notes, the theme, the Present switch and the option-order seed.
    page.wait_for_function(
        "() => document.querySelector('.kit-store-status').innerText.startsWith('Imported 1 completed module, 0 answers, 1 reflection and 5 other items')"
    )
    assert (
        page.evaluate("k => localStorage.getItem(k + 'solo:the-wedding-in-june:associations')", key)
        == "A heavy feeling."
    )
    assert (
        page.evaluate("k => localStorage.getItem(k + 'order-seed')", key) == "0123456789abcdef"
    )  # the same order again
    assert page.evaluate("k => localStorage.getItem(k + 'present')", key) == "on"  # the Present switch, as the theme


def test_a_glossary_link_in_a_module_leads_to_its_term(site, context):
    # The term opens in place (tests/site/test_glossary_planner.py); its "full entry" link is the
    # way to the glossary page.
    page = context.new_page()
    page.goto(site.url + "/voila/render/02_ground_rules.ipynb")
    wait_rendered(page)
    button = page.locator("button.kit-term").first
    term = button.get_attribute("data-term")
    button.click()
    page.locator(".kit-term-pop:not([hidden]) a.kit-term-pop-full").click()
    wait_rendered(page, ready=".kit-sources")
    assert page.url.endswith(f"/voila/render/resources/glossary.ipynb#term-{term}")
    assert page.locator(f"#term-{term}").count() == 1
    assert_no_error_output(page)


def test_the_reading_list_and_about_show_which_sources_are_not_verified(site, context):
    entries = _yaml("bibliography.yaml")["entries"]
    unverified = {e["key"]: e["why"] for e in entries if e["verified"] == "unverified"}
    page = context.new_page()
    page.goto(site.url + "/voila/render/resources/reading_list.ipynb")
    wait_rendered(page, ready=".kit-reading")
    marked = page.eval_on_selector_all(
        ".kit-reading li", "els => els.filter(li => li.querySelector('.kit-unverified')).map(li => li.dataset.key)"
    )
    assert set(marked) == set(unverified)
    key, why = sorted(unverified.items())[0]
    assert (
        page.locator(f'.kit-reading li[data-key="{key}"] .kit-unverified').first.inner_text() == f"Not verified: {why}"
    )
    # The Swedish article (issue 13): its own address, its year, and no invented authors.
    swedish = page.locator('.kit-reading li[data-key="lakartidningen2021"]').first
    assert swedish.inner_text().startswith(
        "Authors not confirmed (2021). Apropå: Att kunna bli den doktor man vill vara"
    )
    assert swedish.locator("a").get_attribute("href") == (
        "https://lakartidningen.se/opinion/debatt/2021/02/apropa-att-kunna-bli-den-doktor-man-vill-vara/"
    )
    assert swedish.locator(".kit-unverified").count() == 0
    screenshot(page, "reading-list")
    assert_no_error_output(page)

    page.goto(site.url + "/voila/render/resources/about.ipynb")
    wait_rendered(page, ready=".kit-sources")
    rows = page.eval_on_selector_all(
        ".kit-audit-table tbody tr", "rows => rows.map(r => [r.dataset.verified, r.querySelector('td').innerText])"
    )
    ways = ["doi", "abstract", "page", "source-document", "unverified"]
    counts = {w: sum(1 for e in entries if e["verified"] == w) for w in ways}
    assert rows == [[w, str(counts[w])] for w in ways if counts[w]]
    listed = page.eval_on_selector_all(".kit-audit-open li", "els => els.map(li => li.id.slice('audit-'.length))")
    assert sorted(listed) == sorted(unverified)
    page.locator(".kit-sources-audit").scroll_into_view_if_needed()
    screenshot(page, "about-sources")


def test_the_guide_lists_every_content_note_and_links_to_where_it_is_met(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/instructor/guide.ipynb")
    wait_rendered(page, ready=TOOL_READY["instructor/guide"])
    listed = _yaml("guide.yaml")["content_notes"]
    rows = page.locator(".kit-content-notes tbody tr")
    assert rows.count() == len(listed)
    # The case the expert reading found without a note (issue 13): its row shows the case's own note.
    case = _yaml("cases/school-psychologist-girl-who-draws-doors.yaml")
    row = page.locator('.kit-content-notes tr[data-kind="case"][data-id="school-psychologist-girl-who-draws-doors"]')
    assert case["title"] in row.inner_text()
    assert case["content_note"] in row.inner_text()
    # A scenario row links to the module where the simulator is.
    link = page.locator('.kit-content-notes tr[data-kind="scenario"][data-id="the-scaffolders-voicemail"] a')
    assert link.get_attribute("href").endswith("04_leadership.ipynb")
    # The safeguarding passage sits on the same page, with its sources listed.
    assert page.get_by_role("heading", name="When a case reveals a risk").count() == 1
    assert page.locator('.kit-sources li[id="ref-ibf-criteria-2004"]').count() == 1
    page.locator(".kit-content-notes").scroll_into_view_if_needed()
    screenshot(page, "guide-content-notes")
    assert_no_error_output(page)
