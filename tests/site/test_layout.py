"""The page's layout as a learner meets it (issue 14): the menu button that folds the navigation
on a phone, the Present switch for a projector, a module's contents list and "back to top", and
what a chart says while plotly.js is still loading or could not be loaded.

The overflow checks (nothing wider than the content column at 1280 and 390 px, and in present
mode at 1920 px) run in tests/site/test_accessibility.py, on the one load of every page there.
"""

from __future__ import annotations

import pytest

from .conftest import SHOTS, Watch, screenshot, wait_rendered, watched_context

pytestmark = pytest.mark.site


def shot(page, name: str) -> None:
    """A picture of what is on the screen now (not the whole page), for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def set_theme(page, theme: str) -> None:
    page.evaluate(
        "t => { document.documentElement.setAttribute('data-kit-theme', t); window.dispatchEvent(new CustomEvent('kit-theme', {detail: t})); }",
        theme,
    )


def focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def test_the_menu_button_folds_the_navigation_on_a_phone(site, context):
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.url + "/voila/render/03_session_structure.ipynb")
    wait_rendered(page)
    menu = page.locator("#kit-menu-toggle")
    nav = page.locator("#kit-nav")
    # Folded when the page opens: the module's own heading is on the first screen.
    assert menu.is_visible() and nav.is_hidden()
    assert menu.get_attribute("aria-expanded") == "false"
    assert menu.get_attribute("aria-controls") == "kit-nav"
    assert page.locator(".jp-RenderedMarkdown h1").first.bounding_box()["y"] < 300
    for theme in ("light", "dark"):
        set_theme(page, theme)
        shot(page, f"layout-phone-nav-folded-{theme}")
    set_theme(page, "light")
    # By keyboard: Tab to the button (after the skip link and the course's name), Enter opens it.
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page, "#kit-menu-toggle"):
            break
    assert focused(page, "#kit-menu-toggle")
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true" and nav.is_visible()
    for theme in ("light", "dark"):
        set_theme(page, theme)
        shot(page, f"layout-phone-nav-open-{theme}")
    set_theme(page, "light")
    # Its links come next in the Tab order (after the Present and theme switches).
    for _ in range(5):
        page.keyboard.press("Tab")
        if focused(page, "#kit-nav a"):
            break
    assert (
        page.evaluate("() => document.activeElement.closest('#kit-nav') && document.activeElement.textContent.trim()")
        == "Course map"
    )
    # Escape folds it again and gives the keyboard back to the button.
    page.keyboard.press("Escape")
    assert nav.is_hidden() and focused(page, "#kit-menu-toggle")
    assert menu.get_attribute("aria-expanded") == "false"
    # Space opens it (a real button), a click closes it.
    page.keyboard.press("Space")
    assert nav.is_visible()
    menu.click()
    assert nav.is_hidden() and menu.get_attribute("aria-expanded") == "false"
    # On a wide screen the navigation is always shown and the button is not there.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert nav.is_visible() and menu.is_hidden()


COLUMN = """() => { const c = document.getElementById('kit-content');
  const p = c.querySelector('.jp-RenderedMarkdown p');
  return {width: c.getBoundingClientRect().width, font: parseFloat(getComputedStyle(p).fontSize),
          card: parseFloat(getComputedStyle(c.querySelector('.kit-card')).fontSize)}; }"""


def test_the_present_switch_widens_the_column_enlarges_the_type_and_is_kept(site, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(site.url + "/voila/render/03_session_structure.ipynb")
    wait_rendered(page)
    key = page.evaluate("() => window.balintKit.presentKey")
    assert key == "balint-kit:v1:" + page.evaluate("() => document.body.dataset.kitBase") + ":present"
    switch = page.locator("#kit-present-toggle")
    assert switch.inner_text() == "Present" and switch.get_attribute("aria-pressed") == "false"
    before = page.evaluate(COLUMN)
    assert before == {"width": 860, "font": 17, "card": 16}
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert page.evaluate("k => localStorage.getItem(k)", key) == "on"
    page.reload()
    wait_rendered(page)
    assert page.evaluate("() => document.documentElement.dataset.kitPresent") == "on"
    assert switch.get_attribute("aria-pressed") == "true"
    # 1500 px (at most the window less 3rem) and every font size of the kit at 1.5 times.
    assert page.evaluate(COLUMN) == {"width": 1500, "font": 25.5, "card": 24}
    # "Which phase is this?" as a room would see it, in both themes.
    page.locator(".kit-phases").scroll_into_view_if_needed()
    for theme in ("light", "dark"):
        set_theme(page, theme)
        page.wait_for_timeout(200)
        shot(page, f"layout-present-1920-phases-{theme}")
    set_theme(page, "light")
    screenshot(page, "layout-present-1920-03_session_structure")
    switch.click()
    assert switch.get_attribute("aria-pressed") == "false"
    assert page.evaluate("k => localStorage.getItem(k)", key) is None  # off leaves nothing stored
    assert page.evaluate(COLUMN) == before
    page.reload()
    wait_rendered(page)
    assert page.evaluate("() => document.documentElement.dataset.kitPresent") is None


# Module 4's h2 headings, in order, as its notebook has them (written out by hand).
MODULE_4_SECTIONS = [
    "What a leader does",
    "Styles and their trade-offs",
    "Two leaders: in the room and online",
    "What research says about the leader as a person",
    "How leaders are trained and accredited",
    "Sixteen ways a group can go off course",
    "Lead a simulated group",
    "Check your understanding",
    "Reflect",
    "Summary",
    "Sources",
]


def test_a_module_has_a_contents_list_and_back_to_top(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/04_leadership.ipynb")
    wait_rendered(page)
    toc = page.locator("nav.kit-toc")
    assert toc.get_attribute("aria-labelledby") == "kit-toc-title"
    assert page.locator("#kit-toc-title").inner_text() == "On this page"
    assert page.locator("nav.kit-toc li a").all_inner_texts() == MODULE_4_SECTIONS
    # It comes after the introduction and objectives, before the first section.
    assert page.evaluate(
        "() => document.querySelector('nav.kit-toc').nextElementSibling.textContent.startsWith('What a leader does')"
    )
    toc.scroll_into_view_if_needed()
    for theme in ("light", "dark"):
        set_theme(page, theme)
        shot(page, f"layout-contents-04_leadership-{theme}")
    set_theme(page, "light")
    to_top = page.locator("#kit-to-top")
    assert to_top.is_hidden()  # at the top of the page there is nothing to go back to
    # A click on an entry brings its heading to the top of the window and the keyboard to it.
    page.locator("nav.kit-toc a", has_text="Sixteen ways a group can go off course").click()
    heading = page.locator(".jp-RenderedMarkdown h2#Sixteen-ways-a-group-can-go-off-course")
    page.wait_for_function(
        "() => Math.abs(document.getElementById('Sixteen-ways-a-group-can-go-off-course').getBoundingClientRect().top) < 40"
    )
    assert focused(page, "#Sixteen-ways-a-group-can-go-off-course")
    assert heading.is_visible()
    # Back to top is shown now; by keyboard (Tab reaches it), it takes the page and the
    # keyboard back to the contents list.
    to_top.wait_for(state="visible")
    for _ in range(400):
        page.keyboard.press("Tab")
        if focused(page, "#kit-to-top"):
            break
    assert focused(page, "#kit-to-top")
    for theme in ("light", "dark"):
        set_theme(page, theme)
        shot(page, f"layout-back-to-top-{theme}")
    set_theme(page, "light")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('rendered_cells').scrollTop === 0")
    assert focused(page, "#kit-toc")
    to_top.wait_for(state="hidden")
    # The next Tab is the first entry; Enter on the last one jumps to the Sources.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "What a leader does"
    page.locator("nav.kit-toc a", has_text="Sources").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => Math.abs(document.getElementById('Sources').getBoundingClientRect().top) < 40")
    # Pages that are not modules have none.
    page.goto(site.url + "/voila/render/index.ipynb")
    wait_rendered(page)
    assert page.locator("nav.kit-toc").count() == 0


def test_a_chart_says_it_is_loading_then_what_went_wrong(site, browser):
    """plotly.js held back by the browser: "Loading the chart…"; then the request fails: the
    failure text. The request for plotly.js fails on purpose here, so the browser's "failed to
    load resource" console message is expected; everything else is watched as usual."""
    watch = Watch()
    ctx = watched_context(browser, watch)
    page = ctx.new_page()
    held = []
    page.route("**/plotly/plotly.min.js*", lambda route: held.append(route))
    page.goto(site.url + "/voila/render/01_history.ipynb")
    wait_rendered(page)
    chart = page.locator(".kit-timeline .kit-chart")
    chart.scroll_into_view_if_needed()
    for _ in range(240):  # the chart asks for plotly.js once it comes near the screen
        if held:
            break
        page.wait_for_timeout(250)
    assert held, "the chart never asked for plotly.js"
    assert chart.locator("[data-chart-state]").get_attribute("data-chart-state") == "loading"
    assert chart.inner_text() == "Loading the chart…"
    shot(page, "layout-chart-loading")
    held[0].abort()
    page.wait_for_selector('.kit-timeline .kit-chart [data-chart-state="failed"]')
    assert (
        chart.inner_text()
        == "The interactive chart could not be drawn here. The same information is in the list below."
    )
    assert page.locator(".kit-timeline details.kit-events dt").count() > 0  # the list it points to
    shot(page, "layout-chart-failed")
    # Drawn when plotly.js arrives: the placeholder goes.
    page.unroute("**/plotly/plotly.min.js*")
    page.reload()
    wait_rendered(page)
    chart.scroll_into_view_if_needed()
    page.wait_for_selector(".kit-timeline .kit-chart .main-svg", timeout=60_000)
    assert chart.locator("[data-chart-state]").count() == 0
    page.close()
    ctx.close()
    assert not watch.outside, watch.outside
    unexpected = [e for e in watch.errors if "Failed to load resource" not in e]
    assert unexpected == [], unexpected
