"""Completion that means something (issue 14): the rule, unmarking, the navigation's count,
"Your data" counting what a learner would count, and pages that store nothing on a visit."""

from __future__ import annotations

import pytest
import yaml

from .conftest import (
    ROOT,
    SHOTS,
    assert_no_error_output,
    reload_and_read_my_data,
    screenshot,
    try_every_question,
    wait_rendered,
)

pytestmark = pytest.mark.site
DATA = ROOT / "data"


def _yaml(rel):
    return yaml.safe_load((DATA / rel).read_text(encoding="utf-8"))


def _theme(page, theme):
    if page.evaluate("() => document.documentElement.dataset.kitTheme") != theme:
        page.locator("#kit-theme-toggle").click()
        page.wait_for_function("t => document.documentElement.dataset.kitTheme === t", arg=theme)


def _shot(locator, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SHOTS / f"{name}.png"))


def _card_shot(page, name):
    """The completion card with the navigation's count above it, in both themes, at 1280 px."""
    for theme in ("light", "dark"):
        _theme(page, theme)
        page.locator(".kit-complete-card").scroll_into_view_if_needed()
        _shot(page.locator(".kit-complete-card"), f"{name}-card-{theme}")
        _shot(page.locator(".kit-nav"), f"{name}-nav-{theme}")
    _theme(page, "light")


def test_a_module_is_complete_only_once_its_knowledge_check_is_tried_and_can_be_unmarked(site, context):
    total = len(_yaml("quizzes/01_history.yaml")["items"])
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.url + "/voila/render/01_history.ipynb")
    wait_rendered(page)
    button = page.locator(".kit-complete")
    state = page.locator(".kit-complete-state")
    count = page.locator("#kit-nav-count")
    page.wait_for_function(
        "t => document.querySelector('.kit-complete-missing')?.innerText === t",
        arg=f"{total} questions of {total} not yet tried.",
    )
    assert button.is_disabled()
    assert "once you have tried every question of its knowledge check" in state.inner_text()
    assert count.inner_text() == "0 of 8 modules completed"
    # All but three tried (first options, right or wrong): refused, three missing.
    try_every_question(page, "01_history", leave=3)
    page.wait_for_function(
        "() => document.querySelector('.kit-complete-missing')?.innerText.startsWith('3 questions of')"
    )
    assert state.inner_text().endswith(f"3 questions of {total} not yet tried.")
    assert button.is_disabled()
    button.click(force=True)  # a click on the refused button changes nothing
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.endsWith(':progress'))") == []
    try_every_question(page, "01_history", leave=1)
    page.wait_for_function(
        "t => document.querySelector('.kit-complete-missing')?.innerText === t",
        arg=f"1 question of {total} not yet tried.",
    )
    _card_shot(page, "completion-missing")
    # Every question tried: allowed.
    try_every_question(page, "01_history")
    page.wait_for_function("() => !document.querySelector('.kit-complete').disabled")
    assert "You have tried every question" in state.inner_text()
    button.click()
    page.wait_for_selector(".kit-complete-state .kit-right")
    page.wait_for_function("() => document.getElementById('kit-nav-count').innerText === '1 of 8 modules completed'")
    assert button.inner_text() == "Unmark module 1 (not complete)"
    _card_shot(page, "completion-done")
    # The count and the tick survive a reload.
    page.reload()
    wait_rendered(page)
    page.wait_for_selector(".kit-complete-state .kit-right", timeout=60_000)
    assert count.inner_text() == "1 of 8 modules completed"
    # Unmark: the tick and the count go, and the module can be marked again.
    button.click()
    page.wait_for_function("() => document.getElementById('kit-nav-count').innerText === '0 of 8 modules completed'")
    page.wait_for_function(
        "() => !document.querySelector('.kit-nav a[href$=\"/01_history.ipynb\"]').classList.contains('kit-done')"
    )
    assert button.inner_text() == "Mark module 1 as complete"
    assert not button.is_disabled()
    assert_no_error_output(page)


def test_the_navigation_counts_modules_completed_in_this_browser(site, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.url + "/voila/render/index.ipynb")
    wait_rendered(page)
    key = "balint-kit:v1:" + page.evaluate("() => document.body.dataset.kitBase") + ":"
    page.evaluate(
        """k => localStorage.setItem(k + 'progress', JSON.stringify({
             '01_history': {completed: '2026-10-02'}, '03_session_structure': {completed: '2026-10-09'},
             '07_burnout': {completed: '2026-11-01'}, '99_not_a_module': {completed: '2026-11-01'}}))""",
        key,
    )
    page.reload()
    wait_rendered(page)
    page.wait_for_function("() => document.getElementById('kit-nav-count').innerText === '3 of 8 modules completed'")
    for theme in ("light", "dark"):
        _theme(page, theme)
        _shot(page.locator(".kit-header"), f"nav-count-{theme}")
    assert_no_error_output(page)


def test_your_data_counts_what_the_learner_would_count(site, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.url + "/voila/render/resources/my_data.ipynb")
    wait_rendered(page, ready=".kit-store-card")
    key = "balint-kit:v1:" + page.evaluate("() => document.body.dataset.kitBase") + ":"
    page.evaluate(
        """k => {
          localStorage.setItem(k + 'progress', JSON.stringify({'01_history': {completed: '2026-10-02'},
            '02_ground_rules': {completed: '2026-10-05'}, '03_session_structure': {completed: '2026-10-09'}}));
          localStorage.setItem(k + 'quiz', JSON.stringify({'01_history': {'q-enid': {chosen: [0], correct: true},
            'q-russia': {chosen: [1], correct: false}}, '02_ground_rules': {'q-x': {chosen: [2], correct: true}}}));
          localStorage.setItem(k + 'reflection:01_history-roots', JSON.stringify({text: 'One.', saved: '2026-10-02T10:00'}));
          localStorage.setItem(k + 'reflection:02_ground_rules-safety', JSON.stringify({text: 'Two.', saved: '2026-10-05T10:00'}));
          localStorage.setItem(k + 'cbi-history', JSON.stringify([{date: '2026-10-01', answers: {}}, {date: '2026-11-01', answers: {}}]));
          localStorage.setItem(k + 'theme', 'light');
        }""",
        key,
    )
    rows = reload_and_read_my_data(page)
    assert rows == [
        ["progress", "3 modules"],
        ["quiz", "3 answers"],
        ["reflection", "2 reflections"],
        ["self-check", "2 saved results"],
        ["theme", "1 entry"],
    ]
    assert page.locator('.kit-mydata-table tr[data-kind="theme"] td').nth(2).inner_text() == "5 characters"
    for theme in ("light", "dark"):
        _theme(page, theme)
        screenshot(page, f"mydata-counts-{theme}")
    assert_no_error_output(page)


def test_the_completion_record_in_both_themes(site, context):
    ids = [item["id"] for item in _yaml("quizzes/02_ground_rules.yaml")["items"]]
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.url + "/voila/render/resources/record.ipynb")
    wait_rendered(page, ready=".kit-record")
    key = "balint-kit:v1:" + page.evaluate("() => document.body.dataset.kitBase") + ":"
    answers = {i: {"chosen": [0], "correct": n % 3 != 0} for n, i in enumerate(ids)}  # n = 0, 3, 6, 9 wrong
    page.evaluate(
        """([k, answers]) => {
          localStorage.setItem(k + 'progress', JSON.stringify({'02_ground_rules': {completed: '2026-10-05'}}));
          localStorage.setItem(k + 'quiz', JSON.stringify({'02_ground_rules': answers,
            '03_session_structure': {'q-x': {chosen: [0], correct: true}}}));
        }""",
        [key, answers],
    )
    page.reload()
    wait_rendered(page, ready=".kit-record")
    assert page.locator('.kit-record-table tr[data-module="02_ground_rules"] td').nth(3).inner_text() == (
        f"{len(ids) - 4} of {len(ids)} questions right at the first try"
    )
    # An answer whose question is no longer in the quiz is not counted.
    assert (
        page.locator('.kit-record-table tr[data-module="03_session_structure"] td').nth(3).inner_text()
        == "not yet tried"
    )
    for theme in ("light", "dark"):
        _theme(page, theme)
        screenshot(page, f"record-{theme}")
    assert_no_error_output(page)


@pytest.mark.parametrize("module", ["05_role_play", "06_online_groups"])
def test_visiting_modules_5_and_6_stores_nothing(site, context, module):
    page = context.new_page()
    page.goto(site.url + f"/voila/render/{module}.ipynb")
    wait_rendered(page)
    page.wait_for_selector(".kit-roleplay, .kit-pledge")
    if module == "06_online_groups":
        page.wait_for_selector(".kit-checklist .kit-check-summary:not(:empty)")  # the kernel has answered the checklist
    page.wait_for_timeout(1000)  # let any late write land, so that its absence means something
    keys = page.evaluate("() => Object.keys(localStorage)")
    assert keys == []
    # What the learner does is kept, as before.
    if module == "06_online_groups":
        page.locator('.kit-pledge [data-field="group"]').fill("Tuesday group")
        page.locator(".kit-checklist input[type=checkbox]").first.check()
        page.wait_for_function("() => Object.keys(localStorage).length === 2")
        assert sorted(k.rsplit(":", 1)[1] for k in page.evaluate("() => Object.keys(localStorage)")) == [
            "online-checklist",
            "pledge-form",
        ]
    else:
        page.locator(".kit-rp-draw").click()
        page.wait_for_function("() => Object.keys(localStorage).some(k => k.endsWith(':roleplay'))")


def test_role_play_step_4_before_seating_has_no_observer_and_starts_on_the_45_minute_format(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/05_role_play.ipynb")
    wait_rendered(page)
    page.wait_for_selector(".kit-rp-prompts dd")
    assert page.locator(".kit-rp-preset").input_value() == "abs-45"
    roles = page.eval_on_selector_all(".kit-rp-prompts dd", "dds => dds.map(d => d.dataset.role)")
    assert "observer" not in roles and "leader" in roles and "presenter" in roles
    # Seven people: no observer seat, so still no observer's prompt.
    page.locator(".kit-rp-n").fill("7")
    page.locator(".kit-rp-assign").click()
    page.wait_for_selector(".kit-rp-table")
    roles = page.eval_on_selector_all(".kit-rp-prompts dd", "dds => dds.map(d => d.dataset.role)")
    assert "observer" not in roles
    # Fourteen: two observers are seated, and their prompt appears.
    page.locator(".kit-rp-n").fill("14")
    page.locator(".kit-rp-assign").click()
    page.wait_for_selector('.kit-rp-prompts dd[data-role="observer"]')
    assert_no_error_output(page)
