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
    page.evaluate(
        """k => {
          localStorage.setItem(k + 'progress', JSON.stringify({'01_history': {completed: '2026-10-02'}, '04_leadership': {completed: '2026-11-20'}}));
          localStorage.setItem(k + 'quiz', JSON.stringify({'01_history': {'q-a': {chosen: [0], correct: true}, 'q-b': {chosen: [1], correct: false}}}));
        }""",
        key,
    )
    page.reload()
    wait_rendered(page, ready=".kit-record")
    # Opening the record keeps nothing the learner did not type: no empty name in the store.
    assert page.evaluate("k => localStorage.getItem(k + 'record-name')", key) is None
    page.locator(".kit-record-name-input").fill("Dr Test Learner")
    assert page.evaluate("k => localStorage.getItem(k + 'record-name')", key) == "Dr Test Learner"
    row = page.locator('.kit-record-table tr[data-module="01_history"] td')
    modules = {m["id"]: m for m in _yaml("course_map.yaml")["modules"]}
    items = len(_yaml("quizzes/01_history.yaml")["items"])
    assert [row.nth(i).inner_text() for i in range(4)] == [
        f"1. {modules['01_history']['title']}", f"{modules['01_history']['minutes']} min", "2026-10-02", f"2 of {items} answered, 1 right"
    ]
    assert page.locator('.kit-record-table tr[data-module="02_ground_rules"] td').nth(2).inner_text() == "not yet"
    hours = (modules["01_history"]["minutes"] + modules["04_leadership"]["minutes"]) / 60
    ready = [m for m in modules.values() if m["status"] == "ready"]
    assert page.locator(".kit-record-total").inner_text() == (
        f"2 of {len(ready)} modules completed; their study time in the course map adds up to {hours:.1f} hours."
    )
    assert "not a certificate or an accreditation" in page.locator(".kit-record-what").inner_text()
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
          localStorage.setItem(k + 'present', 'on');
        }""",
        key,
    )
    page.reload()
    wait_rendered(page, ready=".kit-store-card")
    kinds = page.eval_on_selector_all(".kit-mydata-table tbody tr", "rows => rows.map(r => r.dataset.kind)")
    assert kinds == ["progress", "reflection", "self-check", "solo", "theme"]
    assert page.locator(".kit-mydata-shared").inner_text().startswith("On a shared computer")
    with page.expect_download() as dl:
        page.locator(".kit-export").click()
    exported = json.loads(Path(dl.value.path()).read_text())
    assert exported["other"] == {
        "cbi-history": '[{"date":"2026-10-01","answers":{"personal-1":75}}]',
        "solo:the-wedding-in-june:associations": "A heavy feeling.",
        "theme": "dark",
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
    page.wait_for_function("() => document.querySelector('.kit-store-status').innerText.startsWith('Imported 1 completed modules, 0 answers, 1 reflections and 4 other items')")
    assert page.evaluate("k => localStorage.getItem(k + 'solo:the-wedding-in-june:associations')", key) == "A heavy feeling."
    assert page.evaluate("k => localStorage.getItem(k + 'present')", key) == "on"  # the Present switch, as the theme


def test_a_glossary_link_in_a_module_leads_to_its_term(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/02_ground_rules.ipynb")
    wait_rendered(page)
    link = page.locator('a[href*="resources/glossary.ipynb#term-"]').first
    term = link.get_attribute("href").split("#term-")[1]
    link.click()
    wait_rendered(page, ready=".kit-sources")
    assert page.url.endswith(f"/voila/render/resources/glossary.ipynb#term-{term}")
    assert page.locator(f"#term-{term}").count() == 1
    assert_no_error_output(page)
