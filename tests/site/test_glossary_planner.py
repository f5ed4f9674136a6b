"""Glossary terms in place, the glossary page (opened at a term, A-Z, the filter) and the session
planner's words, errors and change of format, as a learner meets them in Chromium.

Expected values are written out by hand from data/glossary.yaml, data/session.yaml and
data/ui/en.yaml."""

from __future__ import annotations

import pytest
import yaml

from .conftest import ROOT, SHOTS, assert_no_error_output, wait_rendered
from .test_accessibility import AXE, _tab_to, axe_violations

pytestmark = pytest.mark.site

GLOSSARY = {t["id"]: t for t in yaml.safe_load((ROOT / "data" / "glossary.yaml").read_text(encoding="utf-8"))["terms"]}


def _part(page, locator, name: str) -> None:
    """One part of the page, whole: the page scrolls inside Voila's shell, so the window is made
    tall enough to hold the part first."""
    size = page.viewport_size
    height = locator.evaluate("e => e.getBoundingClientRect().height")
    page.set_viewport_size({"width": size["width"], "height": int(min(max(size["height"], height + 400), 6000))})
    page.wait_for_timeout(300)
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size(size)


def _shot(page, name: str) -> None:
    """What is on the screen now (not the full page: a popover is seen where it opened)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _theme(page, theme: str) -> None:
    page.evaluate(
        "t => { document.documentElement.setAttribute('data-kit-theme', t); window.dispatchEvent(new CustomEvent('kit-theme', {detail: t})); }",
        theme,
    )
    page.wait_for_timeout(200)


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """s => { const e = document.querySelector(s); if (!e) return false;
                  const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def _axe_clean(page, what: str) -> None:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make test`, which installs it from the npm registry")
    for theme in ("light", "dark"):
        _theme(page, theme)
        assert axe_violations(page) == [], (what, theme)
    _theme(page, "light")


# --------------------------------------------------------------------------- a term in place
def test_a_glossary_term_opens_in_place_by_keyboard_and_leads_to_its_entry(site, context, watch):
    page = context.new_page()
    page.goto(site.url + "/voila/render/02_ground_rules.ipynb")
    wait_rendered(page)
    # 02_ground_rules.ipynb's first glossary link is "ground rules" (#term-ground-rules).
    assert (
        page.locator('a[href*="glossary.ipynb#term-"]:not(.kit-term-pop-full)').count() == 0
    )  # every link became a term button
    _tab_to(page, "button.kit-term")
    term = page.evaluate("() => document.activeElement.dataset.term")
    assert term == "ground-rules"
    button = page.locator(f'button.kit-term[data-term="{term}"]').first
    assert button.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    pop = page.locator("#" + button.get_attribute("aria-controls"))
    pop.wait_for(state="visible")
    assert button.get_attribute("aria-expanded") == "true"
    assert pop.get_attribute("role") == "dialog"
    assert page.evaluate("() => document.activeElement.classList.contains('kit-term-pop')")  # the focus went into it
    assert pop.locator(".kit-term-pop-title").inner_text() == "Ground rules"
    assert pop.locator(".kit-term-pop-def").inner_text() == GLOSSARY["ground-rules"]["definition"]
    assert pop.locator("a").get_attribute("href").endswith("resources/glossary.ipynb#term-ground-rules")
    # Inside the content column, at 1280 px.
    box, col = pop.bounding_box(), page.locator("#kit-content").bounding_box()
    assert col["x"] <= box["x"] and box["x"] + box["width"] <= col["x"] + col["width"]
    _axe_clean(page, "a term's definition open")
    for theme in ("light", "dark"):
        _theme(page, theme)
        _shot(page, f"glossary-term-open-1280-{theme}")
    _theme(page, "light")
    page.keyboard.press("Escape")
    pop.wait_for(state="hidden")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("t => document.activeElement.dataset.term === t", term)  # the focus is back on the term
    # Enter again, Tab to "Full entry" and "Close"; Close by keyboard gives the focus back too.
    page.keyboard.press("Enter")
    pop.wait_for(state="visible")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('kit-term-pop-full')")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('kit-term-pop-close')")
    page.keyboard.press("Enter")
    pop.wait_for(state="hidden")
    assert page.evaluate("t => document.activeElement.dataset.term === t", term)
    # On a phone the definition stays on the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    button.click()
    pop.wait_for(state="visible")
    box = pop.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    for theme in ("light", "dark"):
        _theme(page, theme)
        _shot(page, f"glossary-term-open-390-{theme}")
    _theme(page, "light")
    # A click elsewhere closes it.
    page.locator("h1").first.click()
    pop.wait_for(state="hidden")
    # The full entry: the glossary page, scrolled to the term once it is drawn.
    page.set_viewport_size({"width": 1280, "height": 900})
    button.click()
    pop.locator("a").click()
    wait_rendered(page, ready=".kit-sources")
    assert page.url.endswith("/voila/render/resources/glossary.ipynb#term-ground-rules")
    page.wait_for_function(
        """() => { const e = document.getElementById('term-ground-rules');
                   if (!e) return false; const r = e.getBoundingClientRect();
                   return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=30_000,
    )
    page.wait_for_timeout(1000)  # and it stays there once the page has settled
    assert _in_view(page, "#term-ground-rules")
    assert page.locator("#term-ground-rules.kit-target").count() == 1
    assert_no_error_output(page)
    watch.check()


def test_the_glossary_opened_at_a_late_term_scrolls_to_it(site, context, watch):
    # "Transference" is the last term (T): far below the top of the page.
    page = context.new_page()
    page.goto(site.url + "/voila/render/resources/glossary.ipynb#term-transference")
    wait_rendered(page, ready=".kit-sources")
    page.wait_for_function(
        """() => { const e = document.getElementById('term-transference'); if (!e) return false;
                   const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=30_000,
    )
    assert page.evaluate("() => document.getElementById('rendered_cells').scrollTop") > 1000
    watch.check()


# --------------------------------------------------------------------------- the glossary page
def test_the_glossary_filter_and_the_letters(site, context, watch):
    page = context.new_page()
    page.goto(site.url + "/voila/render/resources/glossary.ipynb")
    wait_rendered(page, ready=".kit-sources")
    entries = page.locator(".kit-glossary-entry")
    assert entries.count() == 31  # the terms of data/glossary.yaml
    # A-Z: links for the 14 letters that terms begin with, the other 12 letters shown but not links.
    letters = page.eval_on_selector_all(".kit-glossary-az a", "as => as.map(a => a.textContent)")
    assert letters == list("ABCDEFGHLMOPRT")
    assert page.locator(".kit-glossary-az-none").count() == 12
    page.locator(".kit-glossary-az a", has_text="M").click()
    page.wait_for_function(
        """() => { const r = document.getElementById('glossary-letter-m').getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=10_000,
    )
    # The filter, by keyboard: "burnout" is in 3 names (Burnout, Copenhagen Burnout Inventory,
    # Maslach Burnout Inventory).
    box = page.get_by_label("Find a term")
    box.focus()
    page.keyboard.type("burnout")
    status = page.locator(".kit-glossary-status")
    page.wait_for_function("() => document.querySelector('.kit-glossary-status').innerText.length > 0")
    assert status.inner_text() == '3 terms match "burnout".'
    visible = page.eval_on_selector_all(".kit-glossary-entry:not([hidden]) dt", "ds => ds.map(d => d.textContent)")
    assert visible == ["Burnout", "Copenhagen Burnout Inventory (CBI)", "Maslach Burnout Inventory (MBI)"]
    assert page.locator(".kit-glossary-letter:not([hidden])").count() == 3  # B, C, M
    _axe_clean(page, "the glossary filtered")
    for theme in ("light", "dark"):
        _theme(page, theme)
        page.evaluate("() => document.querySelector('.kit-glossary').scrollIntoView()")
        _shot(page, f"glossary-filter-1280-{theme}")
    _theme(page, "light")
    # "pres" is in 4 names: Presenter, Presenter's request, Push-back (the presenter withdraws),
    # Return (the presenter's return).
    box.fill("pres")
    page.wait_for_function(
        """() => document.querySelector('.kit-glossary-status').innerText === '4 terms match "pres".'"""
    )
    assert page.locator(".kit-glossary-entry:not([hidden])").count() == 4
    # One: "hot" (Hot chair); the singular.
    box.fill("hot")
    page.wait_for_function(
        """() => document.querySelector('.kit-glossary-status').innerText === '1 term matches "hot".'"""
    )
    # None, said plainly.
    box.fill("xyz")
    page.wait_for_function(
        """() => document.querySelector('.kit-glossary-status').innerText ===
                 'No term matches "xyz". Try fewer letters, or empty the box to see all 31 terms.'"""
    )
    assert page.locator(".kit-glossary-entry:not([hidden])").count() == 0
    page.set_viewport_size({"width": 390, "height": 844})
    for theme in ("light", "dark"):
        _theme(page, theme)
        page.evaluate("() => document.querySelector('.kit-glossary').scrollIntoView()")
        _shot(page, f"glossary-filter-390-{theme}")
    _theme(page, "light")
    # A letter chosen while the filter hides everything: the whole list comes back.
    page.locator(".kit-glossary-az a", has_text="D").click()
    assert entries.count() == 31 and page.locator(".kit-glossary-entry:not([hidden])").count() == 31
    assert status.inner_text() == ""
    watch.check()


# --------------------------------------------------------------------------- the planner
def test_the_planner_counts_in_words_and_names_a_wrong_entry(site, context, watch):
    page = context.new_page()
    page.goto(site.url + "/voila/render/03_session_structure.ipynb")
    wait_rendered(page)
    planner = page.locator(".kit-planner")
    planner.scroll_into_view_if_needed()
    result = planner.locator(".kit-planner-result")
    # The online format (the first) has nine phases; checked empty, each of them is a thing to look at.
    planner.locator(".kit-planner-check").click()
    page.wait_for_function(
        "() => document.querySelector('.kit-planner-result').innerText.startsWith('9 things to look at:')"
    )
    # Suggested minutes are whole: 4, 2, 3, 8, 8, 1, 25, 5, 1 = 57.
    planner.locator(".kit-planner-suggest").click()
    values = planner.locator(".kit-planner-minutes").evaluate_all("is => is.map(i => i.value)")
    assert values == ["4", "2", "3", "8", "8", "1", "25", "5", "1"]
    hints = planner.locator(".kit-planner-hint").all_inner_texts()
    assert hints[1] == "1–2 min, suggested 2† the kit's rounding of the source's range"
    assert hints[0] == "3–5 min, suggested 4"
    planner.locator(".kit-planner-check").click()
    page.wait_for_function(
        "() => document.querySelector('.kit-planner-result').innerText.startsWith('Your plan fits: 57 minutes, with 3 minutes to spare.')"
    )
    # The bar is labelled: each segment its minutes, a legend with the names.
    assert result.locator(".kit-plan-seg").all_inner_texts() == ["4", "2", "3", "8", "8", "1", "25", "5", "1"]
    assert result.locator(".kit-plan-legend li").first.inner_text() == "Opening and introductions: 4 min"
    # One phase out of range: "1 thing".
    closing = planner.locator(".kit-planner-minutes").nth(8)
    closing.fill("3")
    planner.locator(".kit-planner-check").click()
    page.wait_for_function(
        "() => document.querySelector('.kit-planner-result').innerText.startsWith('1 thing to look at:')"
    )
    # A negative entry and a word: said plainly, kept in their boxes, and not counted as 0.
    opening = planner.locator(".kit-planner-minutes").nth(0)
    opening.fill("-3")
    rules = planner.locator(".kit-planner-minutes").nth(1)
    rules.fill("two")
    closing.fill("1")
    planner.locator(".kit-planner-check").click()
    page.wait_for_function(
        "() => document.querySelector('.kit-planner-result').innerText.startsWith('2 things to look at:')"
    )
    text = result.inner_text()
    assert (
        "Opening and introductions: -3 is less than 0 minutes. Give this phase 0 minutes or more; your entry is still in its box to correct."
        in text
    )
    assert (
        'Ground rules: "two" is not a number of minutes. Type a number such as 8; your entry is still in its box to correct.'
        in text
    )
    assert (
        "Your plan: Opening and introductions (not counted), Ground rules (not counted), Asking for a case 3," in text
    )
    assert opening.input_value() == "-3" and rules.input_value() == "two"
    assert result.locator(".kit-plan-seg").all_inner_texts() == ["3", "8", "8", "1", "25", "5", "1"]
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900 if width == 1280 else 844})
        for theme in ("light", "dark"):
            _theme(page, theme)
            _part(page, planner, f"03_planner-{width}-{theme}")
    _theme(page, "light")
    page.set_viewport_size({"width": 1280, "height": 900})
    _axe_clean(page, "the planner with problems")
    watch.check()


def test_a_change_of_format_keeps_what_fits_and_asks_before_dropping(site, context, watch):
    page = context.new_page()
    page.goto(site.url + "/voila/render/03_session_structure.ipynb")
    wait_rendered(page)
    planner = page.locator(".kit-planner")
    planner.scroll_into_view_if_needed()
    select = planner.locator("select.kit-planner-format")
    boxes = planner.locator(".kit-planner-minutes")
    note = planner.locator(".kit-planner-switch-note")
    # Classic in-person: opening, case-request, presentation, questions, withdraw, discussion, return, closing.
    select.select_option("classic-in-person")
    assert note.inner_text() == ""  # nothing typed, nothing to keep
    for i, v in enumerate(["2", "3", "10", "7", "1", "30", "5", "3"]):
        boxes.nth(i).fill(v)
    # To the online format: it has all eight of those phases (and ground rules): nothing is lost, so no question.
    select.select_option("online-consensus")
    assert planner.locator(".kit-planner-ask").is_hidden()
    assert note.inner_text() == "Your minutes for the 8 phases that this format shares with the one before were kept."
    got = boxes.evaluate_all("is => is.map(i => i.value)")
    # online order: opening, ground-rules, case-request, presentation, questions, withdraw, discussion, return, closing
    assert got == ["2", "", "3", "10", "7", "1", "30", "5", "3"]
    # To the American 45-minute format, which has no opening and no withdrawal: it asks first.
    select.select_option("abs-45")
    ask = planner.locator(".kit-planner-ask")
    ask.wait_for(state="visible")
    assert ask.locator("p").inner_text() == (
        "“American style: about 45 minutes a case” has no phases “Opening and introductions” and “Presenter withdraws”. "
        "Switching to it drops the minutes you gave those phases."
    )
    assert page.evaluate("() => document.activeElement.classList.contains('kit-planner-switch-no')")
    assert select.input_value() == "online-consensus"  # nothing has changed yet
    _axe_clean(page, "the planner asking before a change of format")
    _part(page, planner, "03_planner-ask-1280-light")
    # "Keep the format I had" (here by Esc): everything stays.
    page.keyboard.press("Escape")
    ask.wait_for(state="hidden")
    assert select.input_value() == "online-consensus"
    assert boxes.evaluate_all("is => is.map(i => i.value)") == got
    # Asked again and confirmed: the six shared phases are kept.
    select.select_option("abs-45")
    ask.wait_for(state="visible")
    ask.locator(".kit-planner-switch-yes").click()
    ask.wait_for(state="hidden")
    assert select.input_value() == "abs-45"
    # abs-45: case-request, presentation, questions, discussion, return, closing
    assert boxes.evaluate_all("is => is.map(i => i.value)") == ["3", "10", "7", "30", "5", "3"]
    assert note.inner_text() == "Your minutes for the 6 phases that this format shares with the one before were kept."
    watch.check()


def test_module_3s_format_chart_is_readable(site, context, watch):
    page = context.new_page()
    page.goto(site.url + "/voila/render/03_session_structure.ipynb")
    wait_rendered(page)
    chart = page.locator(".kit-presets .kit-chart")
    chart.scroll_into_view_if_needed()
    page.locator(".kit-presets .kit-chart.js-plotly-plot").wait_for(state="attached", timeout=60_000)
    # The bars use the chart's width: the plot area is most of the card, not about 300 px.
    plot = page.locator(".kit-presets .kit-chart .nsewdrag").first.bounding_box()
    card = chart.bounding_box()
    assert plot["width"] > 0.85 * card["width"], (plot, card)
    # The six format names stand above their bars; the segments carry their minutes.
    names = page.eval_on_selector_all(".kit-presets .kit-chart .annotation-text", "ts => ts.map(t => t.textContent)")
    assert len(names) == 6 and names[0] == "Online group (Chinese expert consensus)"
    labels = page.eval_on_selector_all(".kit-presets .kit-chart .bartext", "ts => ts.map(t => t.textContent)")
    assert "25" in labels and "2†" in labels
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900 if width == 1280 else 844})
        page.wait_for_timeout(500)
        for theme in ("light", "dark"):
            _theme(page, theme)
            page.wait_for_timeout(300)
            _part(page, chart, f"03_presets-chart-{width}-{theme}")
        # Every format's name fits in the chart at this width (wrapped onto two lines on a phone).
        right = chart.bounding_box()["x"] + chart.bounding_box()["width"]
        edges = page.eval_on_selector_all(
            ".kit-presets .kit-chart .annotation", "as => as.map(a => a.getBoundingClientRect().right)"
        )
        assert len(edges) == 6 and max(edges) <= right + 1, (width, edges, right)
    watch.check()
