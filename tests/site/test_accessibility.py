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
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

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


# What is wider than the page's content column (the inside of .kit-content), at the width the page
# is shown at. Allowed, because they scroll sideways on purpose (and must themselves fit):
# - .kit-table-wrap: the wrapper (overflow-x: auto) of tables with many columns (module 4's
#   derailments, module 8's evidence, the class poll's 0-9 counts);
# - on a phone (kit.css, max-width 640px) every table of the page's HTML and of the widgets' cards,
#   which kit.css makes a scrolling block there (a table of four columns or more cannot be
#   squeezed into 350 px and stay readable; the course map and module 3's phases are laid out to
#   fit instead, and no cell line may be wider than the column, below);
# - .js-plotly-plot: plotly draws its chart in an SVG sized to its box; its hover layer and mode
#   bar may reach past it.
# The header, pager and footer are checked against the window. And no table cell may hold a
# single line (a text fragment's box) wider than the column, scrolling or not: that is the
# unwrapped "What happens" column of module 3, issue 14.
OVERFLOW = """() => {
  const content = document.getElementById('kit-content');
  const cs = getComputedStyle(content), box = content.getBoundingClientRect();
  const left = box.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft);
  const right = box.right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight);
  const width = right - left;
  const name = e => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + (e.id ? '#' + e.id : '');
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const scroller = e => {
    for (let a = e.parentElement; a && a !== content; a = a.parentElement) {
      if (a.matches('.js-plotly-plot')) return a;
      if (a.matches('.kit-table-wrap, .jp-RenderedHTMLCommon table, .kit-card table') && scrolls(a)) return a;
    }
    return null;
  };
  const wide = [], lines = [];
  for (const e of content.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left >= left - 1 && r.right <= right + 1) continue;
    if (scroller(e)) continue;
    wide.push(name(e) + ' ' + Math.round(r.width) + 'px');
  }
  const win = document.documentElement.clientWidth;
  for (const e of document.querySelectorAll('.kit-header *, .kit-pager *, .kit-footer *')) {
    const r = e.getBoundingClientRect();
    if ((r.width || r.height) && (r.left < -1 || r.right > win + 1) && !e.matches('.kit-skip')) wide.push(name(e) + ' (window)');
  }
  for (const cell of content.querySelectorAll('td, th')) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(t);
      for (const r of range.getClientRects()) {
        if (r.width > width + 1) { lines.push(name(cell) + ': ' + Math.round(r.width) + 'px "' + t.textContent.trim().slice(0, 40) + '"'); break; }
      }
    }
  }
  const cells = document.getElementById('rendered_cells');
  return {width: Math.round(width), wide: wide.slice(0, 8), lines: lines.slice(0, 8),
          sideways: cells.scrollWidth > cells.clientWidth + 1};
}"""


def assert_fits(page, where: str) -> None:
    got = page.evaluate(OVERFLOW)
    assert got["wide"] == [] and got["lines"] == [] and not got["sideways"], f"{where}, column {got['width']} px: {got}"


COLUMN = """() => { const c = document.getElementById('kit-content');
  const p = c.querySelector('.jp-RenderedMarkdown p') || c.querySelector('.kit-card') || c;
  return {width: c.getBoundingClientRect().width, font: parseFloat(getComputedStyle(p).fontSize)}; }"""


# Every chart near the screen (plotly.js draws a chart once it comes within 800 px of it) is drawn,
# or says it failed; charts further off stay "loading", as a learner who has not scrolled there sees them.
CHARTS_NEAR_DRAWN = """() => Array.from(document.querySelectorAll('.kit-chart')).every(c => {
  const r = c.getBoundingClientRect();
  return r.bottom < -800 || r.top > innerHeight + 800 || c.classList.contains('js-plotly-plot')
    || !!c.querySelector('.kit-chart-fallback[data-chart-state="failed"]'); })"""


def settled(page) -> None:
    """Wait for two frames: what the last change set off (resize and theme handlers, the layout)
    has run and been drawn."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def fits_soon(page, where: str) -> None:
    """``assert_fits`` once the page has laid itself out for its new width (up to 5 s, so that a
    chart's own resize may land first); the same assertion, and its report, if it never fits."""
    settled(page)
    try:
        page.wait_for_function(
            f"() => {{ const g = ({OVERFLOW})(); return !g.wide.length && !g.lines.length && !g.sideways; }}",
            timeout=5_000,
        )
    except PlaywrightTimeoutError:
        pass  # assert_fits below says what does not fit
    assert_fits(page, where)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + (n.html || '').slice(0, 300) + ' :: ' + (n.failureSummary || '').slice(0, 200))}));
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
    page.wait_for_function(CHARTS_NEAR_DRAWN, timeout=60_000)
    settled(page)
    for theme in ("light", "dark"):
        page.evaluate(
            "t => { document.documentElement.setAttribute('data-kit-theme', t); window.dispatchEvent(new CustomEvent('kit-theme', {detail: t})); }",
            theme,
        )
        settled(page)  # the charts' own relayout for the theme has run
        assert axe_violations(page) == [], theme
    page.evaluate("() => document.documentElement.setAttribute('data-kit-theme', 'light')")
    assert_fits(page, "1280 px")
    # A projector: present mode (switched on for this page only, not stored) widens the column
    # and enlarges the type, and still nothing overflows.
    page.set_viewport_size({"width": 1920, "height": 1080})
    normal = page.evaluate(COLUMN)
    page.evaluate("() => window.balintKit.setPresent(true)")
    settled(page)
    present = page.evaluate(COLUMN)
    assert present["width"] > normal["width"] + 300 and present["font"] >= normal["font"] * 1.4, (normal, present)
    fits_soon(page, "1920 px, present mode")
    page.evaluate("() => window.balintKit.setPresent(false)")
    # A phone: nothing wider than the column except inside a deliberately scrolling container;
    # the course map fits without scrolling; a 0-9 scale keeps its ten points on one row.
    page.set_viewport_size({"width": 390, "height": 844})
    fits_soon(page, "390 px")
    if page_id == "index":
        assert page.evaluate(
            "() => { const t = document.querySelector('.kit-course-map table'); return t.scrollWidth <= t.clientWidth; }"
        )
        assert page.locator(".kit-map-meta .kit-status").first.is_visible()
    rows = page.evaluate(
        "() => Array.from(document.querySelectorAll('.kit-ge-scale')).map(s => new Set(Array.from(s.querySelectorAll('input')).map(i => Math.round(i.getBoundingClientRect().top))).size)"
    )
    assert set(rows) <= {1}, f"a 0-9 scale drawn on {rows} rows"
    # The navigation is folded behind the menu button.
    assert page.locator("#kit-nav").is_hidden() and page.locator("#kit-menu-toggle").is_visible()
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
