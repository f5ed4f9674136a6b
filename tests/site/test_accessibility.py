"""Accessibility: axe-core on every page in both themes, and the main widgets by keyboard alone.

axe-core comes from the npm registry (package.json; `make test` installs it) and is injected
into each page by playwright. A page passes when axe finds no serious or critical violation;
its colour-contrast rule checks WCAG 2.1 AA in the theme the page is shown in, so running it in
both themes checks contrast in both.
"""

from __future__ import annotations

import pytest
import yaml

from .conftest import ROOT, wait_rendered, watched_context
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
          return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 200))}));
        }"""
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("page_id, ready", _pages(), ids=[p for p, _ in _pages()])
def test_axe_finds_no_serious_or_critical_violation(site, browser, watch, page_id, ready, theme):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make test`, which installs it from the npm registry")
    ctx = watched_context(browser, watch)
    page = ctx.new_page()
    page.add_init_script(f"localStorage.setItem('balint-kit:theme', '{theme}')")
    page.goto(f"{site.url}/voila/render/{page_id}.ipynb")
    wait_rendered(page, ready=ready)
    # Charts and lazily drawn parts: bring the whole page into view once so that all is drawn.
    page.evaluate("() => { const c = document.getElementById('rendered_cells'); if (c) c.scrollTop = c.scrollHeight; }")
    page.wait_for_timeout(1500)
    assert page.evaluate("() => document.documentElement.getAttribute('data-kit-theme')") == theme
    assert axe_violations(page) == []
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
