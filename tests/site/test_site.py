"""The course site as a learner meets it: headless Chromium from the landing page through every built module."""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, assert_no_error_output, screenshot, try_every_question, wait_rendered

pytestmark = pytest.mark.site

DATA = ROOT / "data"


def _yaml(rel):
    return yaml.safe_load((DATA / rel).read_text(encoding="utf-8"))


def _ready_modules():
    return [m for m in _yaml("course_map.yaml")["modules"] if m["status"] == "ready"]


def _notebook_calls(module_id: str, call: str) -> list[str]:
    nb = json.loads((ROOT / "course" / f"{module_id}.ipynb").read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            found += re.findall(rf"kit\.{call}\(([^)]*)\)", "".join(cell["source"]))
    return found


def _expected_widgets(module: str) -> dict[str, int]:
    """For each kind of widget the notebook calls, the selector of one drawn item and how many the data has."""
    calls = lambda name: len(_notebook_calls(module, name))  # noqa: E731
    out = {
        ".kit-objectives": calls("objectives"),
        ".kit-reflection textarea": calls("reflection"),
        ".kit-complete": calls("complete_module"),
    }
    if calls("knowledge_check"):
        out[f'.kit-quiz[data-quiz="{module}"] .kit-quiz-item'] = len(_yaml(f"quizzes/{module}.yaml")["items"])
    if calls("timeline"):
        out[".kit-events dt"] = len(_yaml("timeline.yaml")["events"])
        out[".kit-timeline .kit-chart.js-plotly-plot"] = calls("timeline")  # plotly drew the chart
    if calls("ground_rules"):
        out[".kit-rule"] = len(_yaml("ground_rules.yaml")["rules"])
    if calls("frame_exercise"):
        out['.kit-quiz[data-quiz="02_frame_exercise"] .kit-quiz-item'] = len(_yaml("ground_rules.yaml")["scenarios"])
    if calls("phases"):
        out[".kit-phase-row"] = len(_yaml("session.yaml")["phases"])
    if calls("presets_chart"):
        out[".kit-preset"] = len(_yaml("session.yaml")["presets"])
        out[".kit-presets .kit-chart.js-plotly-plot"] = calls("presets_chart")
    if calls("phase_planner"):
        out[".kit-planner .kit-planner-check"] = calls("phase_planner")
    if calls("which_phase"):
        out['.kit-quiz[data-quiz="03_which_phase"] .kit-quiz-item'] = len(_yaml("session.yaml")["excerpts"])
    if calls("phase_timer"):
        out[".kit-timer"] = calls("phase_timer")
    if calls("derailments"):
        out[".kit-derail-table tbody tr"] = len(_yaml("leadership.yaml")["derailments"])
        out[".kit-skills li"] = len(_yaml("leadership.yaml")["skills"])
    if calls("leader_simulator"):
        out[".kit-sim-item"] = len(list((DATA / "scenarios").glob("*.yaml")))
    if calls("burnout_check"):
        out[".kit-cbi-item"] = len(_yaml("instruments/cbi.yaml")["items"])
    if calls("group_evaluation"):
        out[".kit-ge-item"] = len(_yaml("group_evaluation.yaml")["statements"])
    if calls("evidence_explorer"):
        evidence = _yaml("evidence.yaml")
        out[".kit-ev-table tbody tr"] = len(evidence["studies"])
        out[".kit-evidence .kit-chart.js-plotly-plot"] = 1 if any(s.get("effects") for s in evidence["studies"]) else 0
    if calls("case_library"):
        out[".kit-case-item"] = len(list((DATA / "cases").glob("*.yaml"))) * calls("case_library")
    if calls("role_play"):
        out[".kit-roleplay .kit-rp-step"] = 5 * calls("role_play")
    if calls("solo_rehearsal"):
        out[".kit-solo .kit-solo-area"] = calls("solo_rehearsal")
    if calls("pledge_generator"):
        out[".kit-pledge-contents li"] = len(_yaml("online.yaml")["pledge"]["contents"])
    if calls("organiser_checklist"):
        out[".kit-check-step"] = len(_yaml("online.yaml")["checklist"])
    if calls("incident_exercise"):
        out['.kit-quiz[data-quiz="06_online_incidents"] .kit-quiz-item'] = len(
            _yaml("quizzes/06_online_incidents.yaml")["items"]
        )
    if calls("evidence_summary"):
        out[".kit-evidence-summary li"] = len(_yaml("evidence.yaml")["summary"])
    return out


def test_root_brings_the_learner_to_the_landing_page(site, context):
    page = context.new_page()
    page.goto(site.url + "/")
    wait_rendered(page)
    assert page.url.endswith("/voila/render/index.ipynb")
    cmap = _yaml("course_map.yaml")
    assert page.locator(".kit-brand-title").inner_text() == cmap["title"]
    # The course map lists every module, ready or not; the ready ones link to their page.
    assert page.locator(".kit-map-row").count() == len(cmap["modules"])
    ready = _ready_modules()
    assert page.locator(".kit-map-row[data-kit-progress]").count() == len(ready)
    soon = [m for m in cmap["modules"] if m["status"] != "ready"]
    assert page.locator(".kit-nav-soon").count() == len(soon)
    for m in soon:  # a module in preparation is named but not a link
        assert page.locator(f'a[href$="/{m["id"]}.ipynb"]').count() == 0
    assert_no_error_output(page)
    screenshot(page, "landing-light")


@pytest.mark.parametrize("module", [m["id"] for m in _ready_modules()])
def test_every_built_module_renders_every_widget_the_data_calls_for(site, context, module):
    page = context.new_page()
    page.goto(site.url + "/")
    wait_rendered(page)
    # Reach the module the way a learner does: through the navigation.
    page.locator(f'.kit-nav a[href$="/{module}.ipynb"]').click()
    wait_rendered(page)
    assert page.url.endswith(f"/voila/render/{module}.ipynb")
    assert (
        page.locator('.kit-nav a[aria-current="page"]').get_attribute("href").endswith(f"/voila/render/{module}.ipynb")
    )

    # Count what is drawn against what the data calls for, widget by widget.
    expected = _expected_widgets(module)
    for selector, count in expected.items():
        if count:
            # Charts load plotly.js once they are near the screen: bring the chart there first.
            near = selector.replace(".kit-chart.js-plotly-plot", ".kit-chart")
            page.locator(near).first.scroll_into_view_if_needed()
            page.wait_for_selector(selector, state="attached", timeout=60_000)
        assert page.locator(selector).count() == count, (
            f"{selector}: {page.locator(selector).count()} drawn, {count} expected"
        )
    # Every citation link on the page points at an entry in its list of sources.
    anchors = set(page.eval_on_selector_all('a[href^="#ref-"]', "els => els.map(e => e.getAttribute('href').slice(5))"))
    assert anchors, "the module cites nothing"
    listed = set(page.eval_on_selector_all('.kit-sources li[id^="ref-"]', "els => els.map(e => e.id.slice(4))"))
    assert anchors <= listed, f"cited but not listed: {sorted(anchors - listed)}"
    # previous/next
    assert page.locator(".kit-pager a").count() >= 1
    assert_no_error_output(page)
    screenshot(page, f"{module}-light")


def test_answering_a_knowledge_check_item_shows_its_feedback(site, context):
    items = _yaml("quizzes/01_history.yaml")["items"]
    page = context.new_page()
    page.goto(site.url + "/voila/render/01_history.ipynb")
    wait_rendered(page)
    first = page.locator(".kit-quiz-item").first
    # Check with nothing chosen: a plain request to choose first.
    first.locator(".kit-check").click()
    expect_text = _yaml("ui/en.yaml")["strings"]["quiz-choose-first"]
    page.wait_for_function(
        "t => document.querySelector('.kit-quiz-item .kit-feedback-area').innerText.includes(t)", arg=expect_text
    )
    # Choose the file's first option (id a, wherever this learner's order puts it) and check:
    # its own feedback appears.
    option = items[0]["options"][0]
    first.locator('input[value="a"]').check()
    started = time.perf_counter()
    first.locator(".kit-check").click()
    page.wait_for_function(
        "t => document.querySelector('.kit-quiz-item .kit-feedback-area').innerText.includes(t)",
        arg=option["feedback"][:60],
    )
    print(f"feedback shown {1000 * (time.perf_counter() - started):.0f} ms after the click")
    # The score line follows the feedback in its own message from the kernel: wait for it too.
    page.wait_for_function("() => document.querySelector('.kit-quiz-score').innerText.startsWith('Answered 1 of')")
    screenshot(page, "01_history-quiz-answered")


def test_progress_tick_and_answers_survive_a_reload(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/01_history.ipynb")
    wait_rendered(page)
    nav = page.locator('.kit-nav a[href$="/01_history.ipynb"]')
    assert "kit-done" not in (nav.get_attribute("class") or "")
    first = page.locator(".kit-quiz-item").first
    first.locator("input").first.check()
    first.locator(".kit-check").click()
    page.wait_for_selector(".kit-quiz-item .kit-feedback")
    try_every_question(page, "01_history")  # the module can be marked complete once its check is tried in full
    page.locator(".kit-complete").click()
    page.wait_for_selector(".kit-complete-state .kit-right")
    page.wait_for_function(
        "() => document.querySelector('.kit-nav a[href$=\"/01_history.ipynb\"]').classList.contains('kit-done')"
    )

    page.reload()
    wait_rendered(page)
    page.wait_for_selector(".kit-complete-state .kit-right", timeout=60_000)
    assert "kit-done" in page.locator('.kit-nav a[href$="/01_history.ipynb"]').get_attribute("class")
    # The answer given before the reload is shown again, with its feedback.
    page.wait_for_selector(".kit-quiz-item .kit-feedback", timeout=30_000)
    assert page.locator(".kit-quiz-item").first.locator("input").first.is_checked()

    page.goto(site.url + "/voila/render/index.ipynb")
    wait_rendered(page)
    page.wait_for_selector('.kit-map-row[data-kit-progress="01_history"].kit-done')
    screenshot(page, "landing-with-progress")


def test_reflection_stays_in_the_browser_and_never_reaches_the_server(site, context):
    marker = f"private-reflection-{time.time_ns()}"
    started = time.time()
    page = context.new_page()
    page.goto(site.url + "/voila/render/01_history.ipynb")
    wait_rendered(page)
    box = page.locator(".kit-reflection textarea").first
    box.fill(f"My thoughts {marker}")
    box.blur()
    page.wait_for_function(
        "() => document.querySelector('.kit-reflection [role=status]').innerText.startsWith('Saved')"
    )
    page.reload()
    wait_rendered(page)
    page.wait_for_function(
        "m => document.querySelector('.kit-reflection textarea').value.includes(m)", arg=marker, timeout=30_000
    )
    # Not in the server's log, and in no file written on this machine since the test began.
    assert marker not in site.log()
    for folder in (ROOT, Path("/tmp"), Path.home() / ".local" / "share" / "jupyter"):
        # os.walk, not rglob: other tests' temporary folders may vanish during the scan.
        for dirpath, _dirs, files in os.walk(folder, onerror=lambda e: None):
            for name in files:
                path = Path(dirpath) / name
                try:
                    if path.is_file() and path.stat().st_mtime >= started and path.stat().st_size < 50_000_000:
                        assert marker.encode() not in path.read_bytes(), f"learner text found in {path}"
                except OSError:
                    continue


def test_export_and_import_of_the_learners_data(site, context, tmp_path):
    page = context.new_page()
    page.goto(site.url + "/voila/render/01_history.ipynb")
    wait_rendered(page)
    try_every_question(page, "01_history")
    page.locator(".kit-complete").click()
    page.wait_for_selector(".kit-complete-state .kit-right")
    with page.expect_download() as dl:
        page.locator(".kit-export").click()
    exported = json.loads(Path(dl.value.path()).read_text())
    assert exported["kit"] == "balint-course-kit"
    assert "01_history" in exported["progress"]
    # Delete everything (two clicks), then import the file: the tick comes back.
    page.locator(".kit-delete").click()
    page.locator(".kit-delete").click()
    page.wait_for_function(
        "() => !document.querySelector('.kit-nav a[href$=\"/01_history.ipynb\"]').classList.contains('kit-done')"
    )
    bad = tmp_path / "not-ours.json"
    bad.write_text('{"hello": "world"}')
    page.locator(".kit-import input[type=file]").set_input_files(str(bad))
    page.wait_for_function(
        "() => document.querySelector('.kit-store-status').innerText.includes('not exported by the Balint Course Kit')"
    )
    good = tmp_path / "mine.json"
    good.write_text(json.dumps(exported))
    page.locator(".kit-import input[type=file]").set_input_files(str(good))
    page.wait_for_function(
        "() => document.querySelector('.kit-store-status').innerText.startsWith('Imported 1 completed')"
    )
    page.wait_for_function(
        "() => document.querySelector('.kit-nav a[href$=\"/01_history.ipynb\"]').classList.contains('kit-done')"
    )


def test_dark_theme_switch_is_kept(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/01_history.ipynb")
    wait_rendered(page)
    assert page.evaluate("document.documentElement.dataset.kitTheme") == "light"
    page.locator("#kit-theme-toggle").click()
    assert page.evaluate("document.documentElement.dataset.kitTheme") == "dark"
    assert page.locator("#kit-theme-toggle").get_attribute("aria-pressed") == "true"
    page.reload()
    wait_rendered(page)
    assert page.evaluate("document.documentElement.dataset.kitTheme") == "dark"
    page.locator(".kit-chart").scroll_into_view_if_needed()
    page.wait_for_selector(".kit-chart .main-svg", timeout=60_000)
    screenshot(page, "01_history-dark")
    page.goto(site.url + "/voila/render/index.ipynb")
    wait_rendered(page)
    screenshot(page, "landing-dark")


@pytest.mark.parametrize(
    "path",
    [
        "/voila/files/01_history.ipynb",
        "/voila/files/index.ipynb",
        "/voila/files/../data/quizzes/01_history.yaml",
        "/voila/files/..%2Fdata%2Fquizzes%2F01_history.yaml",
        "/voila/api/contents",
        "/voila/api/contents/01_history.ipynb",
        "/kit/static/../kit.py",
        "/kit/static/..%2Fkit.py",
        "/kit/static/plotly/../__init__.py",
        "/voila/templates/balint/index.html.j2",
    ],
)
def test_static_serving_exposes_no_notebook_code_or_data(site, path):
    try:
        with urllib.request.urlopen(site.url + path, timeout=10) as r:
            body = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    assert status in (403, 404), f"{path} answered {status}"
    assert b"cell_type" not in body and b"import " not in body and b"correct:" not in body


def test_file_tree_is_not_listed(site):
    with urllib.request.urlopen(site.url + "/voila/tree", timeout=10) as r:
        assert r.url.endswith("/voila/render/index.ipynb")


def test_a_missing_page_says_so_without_a_traceback(site):
    try:
        urllib.request.urlopen(site.url + "/voila/render/no_such_module.ipynb", timeout=30)
        raise AssertionError("a missing page answered 200")
    except urllib.error.HTTPError as e:
        body = e.read().decode(errors="replace")
        assert e.code == 404
        assert "Traceback" not in body


def test_the_planner_explains_a_plan_that_cannot_fit(site, context):
    page = context.new_page()
    page.goto(site.url + "/voila/render/03_session_structure.ipynb")
    wait_rendered(page)
    planner = page.locator(".kit-planner")
    planner.scroll_into_view_if_needed()
    planner.locator("button", has_text="Fill in the suggested minutes").click()
    planner.locator(".kit-planner-check").click()
    page.wait_for_function("() => document.querySelector('.kit-planner-result').innerText.startsWith('Your plan fits')")
    # Ten minutes is less than the shortest version of any format: the kit says so in words.
    available = planner.locator(".kit-planner-available")
    available.fill("10")
    available.press("Enter")
    planner.locator(".kit-planner-check").click()
    page.wait_for_function(
        "() => document.querySelector('.kit-planner-result').innerText.includes('cannot fit in 10 minutes at all')"
    )
    # An odd number in a phase is a plain message, never a traceback.
    phase = planner.locator(".kit-planner-phase input").first
    phase.fill("-3")
    phase.press("Enter")
    planner.locator(".kit-planner-check").click()
    page.wait_for_function(
        "() => document.querySelector('.kit-planner-result').innerText.includes('-3 is less than 0 minutes')"
    )
    screenshot(page, "03_planner-problems")
