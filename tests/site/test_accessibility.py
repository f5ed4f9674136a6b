"""Accessibility: axe-core on every page in both themes, and the main widgets by keyboard alone.

axe-core comes from the npm registry (package.json; `make test` installs it) and is injected
into each page by playwright. A page passes when axe finds no violation at all, of any impact
(the issue asks for none serious or critical; the moderate and minor ones, heading order and an
empty table header, were fixed too, so the bar is kept at none); its colour-contrast rule checks WCAG 2.1 AA in the theme the page is shown in, so running it in
both themes checks contrast in both.
"""

from __future__ import annotations

import pytest
import yaml

from .conftest import (
    ROOT,
    assert_no_error_output,
    screenshot,
    wait_rendered,
    watched_context,
)
from .test_resources import TOOL_READY

pytestmark = pytest.mark.site
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _pages():
    cmap = yaml.safe_load((ROOT / "data" / "course_map.yaml").read_text(encoding="utf-8"))
    pages = [("index", ".kit-course-map")]
    pages += [(m["id"], ".kit-complete-card") for m in cmap["modules"] if m["status"] == "ready"]
    pages += [(t["id"], TOOL_READY[t["id"]]) for t in cmap["tools"]]
    return pages


def axe_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 200))}));
        }"""
    )


@pytest.mark.parametrize("page_id, ready", _pages(), ids=[p for p, _ in _pages()])
def test_every_page_passes_axe_in_both_themes_and_reads_on_a_phone(site, browser, watch, page_id, ready):
    """One load per page (to keep `make test` short): axe in the light and the dark theme, then
    the page at phone width and in print media."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make test`, which installs it from the npm registry")
    ctx = watched_context(browser, watch)
    page = ctx.new_page()
    page.goto(f"{site.url}/voila/render/{page_id}.ipynb")
    wait_rendered(page, ready=ready)
    assert_no_error_output(page)
    # Charts and lazily drawn parts: bring the whole page into view once so that all is drawn.
    page.evaluate("() => { const c = document.getElementById('rendered_cells'); if (c) c.scrollTop = c.scrollHeight; }")
    page.wait_for_timeout(1500)
    for theme in ("light", "dark"):
        page.evaluate("t => { document.documentElement.setAttribute('data-kit-theme', t); window.dispatchEvent(new CustomEvent('kit-theme', {detail: t})); }", theme)
        page.wait_for_timeout(300)
        assert axe_violations(page) == [], theme
    page.evaluate("() => document.documentElement.setAttribute('data-kit-theme', 'light')")
    # A phone: nothing wider than the screen except inside a scrolling table or a chart.
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    too_wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('#rendered_cells *')).filter(e => {
             const r = e.getBoundingClientRect();
             if (r.width === 0 || r.right <= window.innerWidth + 1) return false;
             return !e.closest('table, .kit-table-wrap, .js-plotly-plot, .kit-chart, pre, .kit-map-table');
           }).map(e => (typeof e.className === 'string' && e.className) || e.tagName).slice(0, 5)"""
    )
    assert too_wide == [], f"wider than a phone screen: {too_wide}"
    screenshot(page, f"phone-{page_id.replace('/', '-')}")
    # Printed as it is: no navigation chrome.
    page.emulate_media(media="print")
    assert page.locator(".kit-header").is_hidden() and page.locator(".kit-pager").is_hidden()
    page.close()
    ctx.close()
    watch.check()


def _tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches ``selector`` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_knowledge_check_by_keyboard_alone(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/02_ground_rules.ipynb")
    wait_rendered(page)
    quiz = '.kit-quiz[data-quiz="02_ground_rules"]'
    _tab_to(page, f"{quiz} .kit-quiz-item input")
    page.keyboard.press("Space")  # choose the first option
    _tab_to(page, f"{quiz} .kit-check")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('{quiz} .kit-feedback-area').textContent.trim().length > 0")


def test_the_timer_by_keyboard_alone(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/instructor/timer.ipynb")
    wait_rendered(page, ready=".kit-timer .kit-timer-clock")
    _tab_to(page, ".kit-timer-start")
    page.keyboard.press("Enter")
    page.wait_for_selector(".kit-timer.kit-timer-is-running")
    _tab_to(page, ".kit-timer-next-btn")
    first = page.locator(".kit-timer-phase").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_function("f => document.querySelector('.kit-timer-phase').innerText !== f", arg=first)
    _tab_to(page, ".kit-timer-start")
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.querySelector('.kit-timer').classList.contains('kit-timer-is-running')")


def test_the_simulator_by_keyboard_alone(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/04_leadership.ipynb")
    wait_rendered(page)
    _tab_to(page, '.kit-sim-item[data-scenario="the-patient-with-the-notebook"] .kit-sim-start')
    page.keyboard.press("Enter")
    page.wait_for_selector('.kit-simulator[data-screen="play"]')
    for _ in range(20):
        if page.locator('.kit-simulator[data-screen="end"]').count():
            break
        before = page.locator(".kit-sim-moment").get_attribute("data-moment")
        _tab_to(page, ".kit-sim-choice")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "b => document.querySelector('.kit-simulator[data-screen=\"end\"]') || document.querySelector('.kit-sim-moment').dataset.moment !== b",
            arg=before,
        )
        # After a choice, focus moves to the new moment's heading: the next Tab reaches its choices.
        assert page.evaluate("() => document.activeElement.matches('.kit-sim-step, .kit-sim-ending-title')")
    page.wait_for_selector('.kit-simulator[data-screen="end"]')
    _tab_to(page, ".kit-sim-replay")
    page.keyboard.press("Enter")
    page.wait_for_selector('.kit-simulator[data-screen="play"]')


def test_the_self_check_by_keyboard_alone(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/07_burnout.ipynb")
    wait_rendered(page)
    # Into the first question's radio group; the arrow keys move the choice within it.
    _tab_to(page, '.kit-cbi-item[data-item="personal-1"] input')
    page.keyboard.press("Space")
    for item in ("personal-2", "personal-3"):
        _tab_to(page, f'.kit-cbi-item[data-item="{item}"] input')
        page.keyboard.press("ArrowDown")  # the second option ("Often", 75)
    _tab_to(page, ".kit-cbi-score")
    page.keyboard.press("Enter")
    page.wait_for_selector('.kit-cbi-scores li[data-scale="personal"]')
    assert page.locator('.kit-cbi-scores li[data-scale="personal"]').inner_text().startswith("Personal burnout: ")
    _tab_to(page, ".kit-cbi-save")
    page.keyboard.press("Enter")
    page.wait_for_selector(".kit-cbi-table", state="attached")
