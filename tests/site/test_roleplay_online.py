"""Modules 5 and 6 in the browser: a role-play from case to debrief; the online group's tools."""

from __future__ import annotations

import pytest
import yaml

from .conftest import ROOT, assert_no_error_output, screenshot, wait_rendered

pytestmark = pytest.mark.site
DATA = ROOT / "data"


def _yaml(rel):
    return yaml.safe_load((DATA / rel).read_text(encoding="utf-8"))


def test_an_instructor_goes_from_a_drawn_case_to_printed_cards_and_a_run_to_the_debrief(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/instructor/role_play.ipynb")
    wait_rendered(page, ready=".kit-roleplay")
    page.wait_for_selector(".kit-timer")
    # 1. Draw a case: the request shown is the drawn case's.
    page.locator(".kit-rp-draw").click()
    case_id = page.locator(".kit-rp-case").input_value()
    assert " ".join(_yaml(f"cases/{case_id}.yaml")["request"].split()) in page.locator(".kit-rp-case-info").inner_text()
    # 2. Seat 14 people, three of them named: 1 leader, 1 co-leader, 1 presenter, 9 members, 2 observers.
    page.locator(".kit-rp-n").fill("14")
    page.locator(".kit-rp-names").fill("Ann\nBen\nCara")
    page.locator(".kit-rp-assign").click()
    page.wait_for_selector(".kit-rp-table")
    roles = page.eval_on_selector_all(".kit-rp-table tbody tr", "rows => rows.map(r => r.dataset.role)")
    assert sorted(roles) == sorted(["leader", "co-leader", "presenter"] + ["member"] * 9 + ["observer"] * 2)
    people = page.eval_on_selector_all(".kit-rp-table tbody td:first-child", "cells => cells.map(c => c.innerText)")
    assert sorted(p for p in people if not p.startswith("Participant")) == ["Ann", "Ben", "Cara"]
    # An odd number gets a plain sentence and keeps the table.
    page.locator(".kit-rp-n").fill("2")
    page.locator(".kit-rp-assign").click()
    page.wait_for_function(
        "() => document.querySelector('.kit-rp-seat-status').innerText.includes('at least 3 people')"
    )
    assert page.locator(".kit-rp-table tbody tr").count() == 14
    # 3. The print view: one card per participant; the presenter's card holds the case and its unsaid part.
    page.evaluate("() => { window.print = () => {}; document.querySelector('.kit-rp-print').click(); }")
    cards = page.locator("#kit-print-root .kit-role-card")
    assert cards.count() == 14
    presenter = page.locator('#kit-print-root .kit-role-card[data-role="presenter"]')
    unsaid = " ".join(_yaml(f"cases/{case_id}.yaml")["unsaid"].split())
    assert unsaid in " ".join(presenter.inner_text().split())
    assert unsaid not in " ".join(
        page.locator('#kit-print-root .kit-role-card[data-role="member"]').first.inner_text().split()
    )
    page.emulate_media(media="print")
    screenshot(page, "05-role-cards-print")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator("#kit-print-root").count() == 0
    # and the page is whole again, not a blank shell measured while it was hidden for paper
    page.wait_for_function("() => document.getElementById('rendered_cells').clientHeight > 800")
    # 4. Run a short format to its end: the prompts follow the phase, then the debrief appears.
    page.locator(".kit-rp-preset").select_option("abs-45")
    page.wait_for_function("() => document.querySelector('.kit-timer') && document.querySelector('.kit-rp-phase')")
    prompts = _yaml("roles.yaml")["phase_prompts"]
    first_phase = _yaml("session.yaml")["presets"]
    abs45 = next(p for p in first_phase if p["id"] == "abs-45")
    page.locator(".kit-timer-start").click()
    for pp in abs45["phases"]:
        expected = " ".join(prompts[pp["phase"]]["observer"].split())
        page.wait_for_function(
            "t => document.querySelector('.kit-rp-prompts').innerText.replace(/\\s+/g, ' ').includes(t)",
            arg=expected[:60],
        )
        page.locator(".kit-timer-next-btn").click()  # "Next phase", and on the last phase "Finish"
    page.wait_for_selector(".kit-rp-debrief:not([hidden])")
    screenshot(page, "05-role-play-debrief")
    assert_no_error_output(page)


def test_solo_rehearsal_keeps_the_members_associations_in_the_browser(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/05_role_play.ipynb")
    wait_rendered(page)
    solo = page.locator(".kit-solo")
    solo.locator(".kit-solo-compare").click()
    assert "Write your own associations first" in solo.locator(".kit-status-line").inner_text()
    solo.locator("textarea").fill("A heavy, tired feeling; I pictured a locked door.")
    solo.locator(".kit-solo-compare").click()
    assert solo.locator(".kit-solo-samples li").count() >= 4
    page.reload()
    wait_rendered(page)
    assert page.locator(".kit-solo textarea").input_value() == "A heavy, tired feeling; I pictured a locked door."
    assert "locked door" not in site.log()


def test_the_pledge_is_made_in_the_browser_with_the_seven_contents(site, context):
    pledge = _yaml("online.yaml")["pledge"]
    page = context.new_page()
    page.goto(site.url + "/voila/render/06_online_groups.ipynb")
    wait_rendered(page)
    card = page.locator(".kit-pledge")
    card.locator('[data-field="group"]').fill("Tuesday Balint group")
    card.locator('[data-field="organiser"]').fill("Dr Example")
    card.locator('[data-field="date"]').fill("2026-12-03")
    preview = card.locator(".kit-pledge-preview")
    assert preview.locator(".kit-pledge-contents li").count() == 7
    text = " ".join(preview.inner_text().split())
    assert "3 December 2026" in text and "Tuesday Balint group" in text
    for content in pledge["contents"]:
        assert " ".join(content["text"].split()).split("{")[0][:40] in text
    assert "Tuesday Balint group" not in site.log()
    screenshot(page, "06-pledge")


def test_the_checklist_marks_a_step_done_and_counts_what_is_open(site, context):
    steps = _yaml("online.yaml")["checklist"]
    total = sum(len(s["items"]) for s in steps)
    page = context.new_page()
    page.goto(site.url + "/voila/render/06_online_groups.ipynb")
    wait_rendered(page)
    box = page.locator(".kit-checklist")
    page.wait_for_function(
        "t => document.querySelector('.kit-check-summary').innerText === t", arg=f"Still open: {total} items."
    )
    first = box.locator(".kit-check-step").first
    for item in first.locator("input[type=checkbox]").all():
        item.check()
    page.wait_for_function("() => document.querySelector('.kit-check-step').dataset.state === 'done'")
    remaining = total - len(steps[0]["items"])
    assert box.locator(".kit-check-summary").inner_text() == f"Still open: {remaining} items."
    page.reload()
    wait_rendered(page)
    page.wait_for_function("() => document.querySelector('.kit-check-step').dataset.state === 'done'")
