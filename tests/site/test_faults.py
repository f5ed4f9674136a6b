"""Faults a course meets in real use, in Chromium against the site as shipped.

* A learner's kernel killed in the middle of a module (the server ran out of memory, an
  administrator ended the process): the page says so in plain words and offers a reload;
  the module's completion and the knowledge-check answer given before are still there
  afterwards, and the other learners on the server are not touched.
* The course server restarted under an open page: the same banner; a reload while the
  server is still down says it is not answering yet, and once it is back the reload works
  and the learner's progress and answers are still there.
* A data file broken by an instructor: the site starts, the pages that use the file say
  which file and what is wrong (no traceback), and the other modules still work.

The banner is the kit's (widgets/static/kit.js, in the template's role="alert" region); it
watches Voila's kernel connection, so these tests break the real thing: they kill the
page's kernel process and stop the real server.
"""

from __future__ import annotations

import re
import shutil

import psutil
import pytest
import yaml

from .conftest import (
    ROOT,
    SHOTS,
    Server,
    Watch,
    assert_no_error_output,
    screenshot,
    try_every_question,
    wait_for,
    wait_rendered,
    watched_context,
)

pytestmark = pytest.mark.site

DATA = ROOT / "data"
UI = yaml.safe_load((DATA / "ui" / "en.yaml").read_text(encoding="utf-8"))["strings"]
QUIZ_01 = '.kit-quiz[data-quiz="01_history"] .kit-quiz-item'
NAV_01 = '.kit-nav a[href$="/01_history.ipynb"]'
BANNER = "#kit-connection"


def _kernel_id(page) -> str:
    """The id of the kernel Voila started for this page (from the page's own config)."""
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def _kernel_process(server: Server, kernel_id: str) -> psutil.Process | None:
    """The server's kernel process for this kernel id (its connection file is named after it)."""
    for proc in server.kernels():
        try:
            if any(f"kernel-{kernel_id}.json" in part for part in proc.cmdline()):
                return proc
        except psutil.NoSuchProcess:
            continue
    return None


def _answer(page, index: int) -> None:
    """Answer knowledge-check item ``index`` of module 1 with its first option; wait for the feedback."""
    item = page.locator(QUIZ_01).nth(index)
    item.scroll_into_view_if_needed()
    item.locator("input").first.check()
    item.locator(".kit-check").click()
    item.locator(".kit-feedback").first.wait_for(timeout=30_000)


def _work_in_module_1(page) -> None:
    """A learner well into module 1: its knowledge check tried in full, and the module marked complete."""
    try_every_question(page, "01_history")
    page.locator(".kit-complete").click()
    page.wait_for_selector(".kit-complete-state .kit-right", timeout=30_000)
    page.wait_for_function(f"() => document.querySelector('{NAV_01}').classList.contains('kit-done')")
    assert page.locator(BANNER).inner_text().strip() == ""  # all is well: the alert region is empty
    # Back to where the learner was working when the fault comes.
    page.locator(QUIZ_01).nth(1).scroll_into_view_if_needed()


def _assert_banner(page, states=("lost",)) -> None:
    """The banner is up, in words, with its reload button. ``states``: what kit.js may call it
    ('lost' for good; 'unsure' while the connection still retries, as after a server stop)."""
    banner = page.locator(BANNER)
    assert banner.get_attribute("role") == "alert"
    text = banner.inner_text()
    assert UI["connection-lost"] in text and UI["connection-kept"] in text, text
    assert banner.get_by_role("button", name=UI["connection-reload"]).is_visible()
    assert page.evaluate("document.body.dataset.kitConnection") in states
    assert page.evaluate("window.balintKit.connection()") in states
    # The banner is on screen wherever the learner had scrolled to (it is fixed at the top).
    box = banner.locator(".kit-connection-box").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]
    # ... and hides nothing: the page's scrolling area starts below it.
    page.wait_for_function(
        "() => document.getElementById('rendered_cells').getBoundingClientRect().top >= "
        "document.querySelector('#kit-connection .kit-connection-box').getBoundingClientRect().bottom - 1"
    )


def _assert_work_survived(page) -> None:
    """After the reload: the tick, the completion and the answer (with its feedback) are back,
    from the browser's localStorage, and the fresh page answers again."""
    page.wait_for_selector(".kit-complete-state .kit-right", timeout=60_000)
    assert "kit-done" in page.locator(NAV_01).get_attribute("class")
    first = page.locator(QUIZ_01).first
    first.locator(".kit-feedback").first.wait_for(timeout=30_000)
    assert first.locator("input").first.is_checked()
    assert page.locator(BANNER).inner_text().strip() == ""
    assert page.evaluate("window.balintKit.connection()") == "ok"
    _answer(page, 1)  # the new kernel answers
    assert_no_error_output(page)


def _reload_and_find_the_work(page, old_kernel_id: str, shot: str) -> None:
    """The banner's reload button: a fresh page with a new kernel, and the learner's work back."""
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name=UI["connection-reload"]).click()
    wait_rendered(page)
    assert _kernel_id(page) != old_kernel_id
    _assert_work_survived(page)
    screenshot(page, shot)


def _viewport_shot(page, name: str):
    """What the learner sees on screen (the banner over the module where they were)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


# --------------------------------------------------------------------------- a kernel killed
def test_a_killed_kernel_is_announced_and_a_reload_keeps_the_learners_work(site, context, browser):
    page = context.new_page()
    page.goto(site.url + "/voila/render/01_history.ipynb")
    wait_rendered(page)
    _work_in_module_1(page)

    # Another learner on the same server, who must not notice anything.
    other_watch = Watch()
    other_ctx = watched_context(browser, other_watch)
    other = other_ctx.new_page()
    try:
        other.goto(site.url + "/voila/render/01_history.ipynb")
        wait_rendered(other)

        kernel_id = _kernel_id(page)
        proc = _kernel_process(site, kernel_id)
        assert proc is not None, f"no kernel process for {kernel_id}"
        assert _kernel_process(site, _kernel_id(other)).pid != proc.pid
        proc.kill()  # SIGKILL: no goodbye from the kernel

        # The page says so, in words, within seconds (Jupyter's restarter notices a dead kernel
        # within about 3 s; with voila.json's restart_limit 0 it gives the kernel up at once and
        # the server drops it, rather than start a fresh, empty kernel that no page could use).
        page.wait_for_selector(f"{BANNER} .kit-connection-reload", timeout=30_000)
        _assert_banner(page)
        assert wait_for(lambda: _kernel_process(site, kernel_id) is None, 30), (
            "an empty kernel was started in its place"
        )
        _viewport_shot(page, "fault-kernel-killed-banner")
        page.locator("#kit-theme-toggle").click()  # the banner in the dark theme too
        _viewport_shot(page, "fault-kernel-killed-banner-dark")
        page.locator("#kit-theme-toggle").click()

        # The other learner's page still answers and shows no banner.
        item = other.locator(QUIZ_01).first
        item.locator("input").first.check()
        item.locator(".kit-check").click()
        item.locator(".kit-feedback").first.wait_for(timeout=30_000)
        assert other.locator(BANNER).inner_text().strip() == ""
        assert other.evaluate("window.balintKit.connection()") == "ok"

        # The reload button reloads; everything done before the kill is still there.
        _reload_and_find_the_work(page, kernel_id, "fault-kernel-killed-after-reload")

    finally:
        other.close(run_before_unload=True)
        other_ctx.close()
    other_watch.check()


def test_a_dropped_connection_that_comes_back_raises_no_alarm(site, context):
    # A moment's network trouble (Wi-Fi, a laptop lid): Voila's connection reconnects to the
    # same kernel, the page still works, and the kit must not tell the learner it is lost.
    page = context.new_page()
    page.goto(site.url + "/voila/render/01_history.ipynb")
    wait_rendered(page)
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.widgetManager.kernel.connectionStatus === 'connected'"
    )
    page.evaluate("""() => {
        const kernel = window.jupyterapp.widgetManager.kernel;
        window._seen = [];
        kernel.connectionStatusChanged.connect((_, status) => window._seen.push(status));
        kernel._ws.close();  // the socket drops (a private field of @jupyterlab/services 7)
    }""")
    page.wait_for_function(
        "() => window._seen.includes('connecting') && window._seen.at(-1) === 'connected'", timeout=30_000
    )
    _answer(page, 0)  # the same kernel answers
    # The kit waits GRACE_MS (4 s) of 'connecting' before it speaks: let that pass, to show nothing comes.
    page.wait_for_timeout(5_000)
    assert page.locator(BANNER).inner_text().strip() == ""
    assert page.evaluate("window.balintKit.connection()") == "ok"


# --------------------------------------------------------------------------- the server restarted
# Console errors the restart causes, and why each is expected. Each pattern is tied to the
# old page's kernel id or to the kit's own check, so an error from anything else still fails.
#  - Voila's KernelConnection keeps trying the old kernel's websocket: refused while the
#    server is down, then refused with 404 by the new server, which never knew that kernel;
#  - between tries it asks the server about the old kernel (GET /api/kernels/<id>): the
#    same refusals;
#  - the banner's reload button first checks that the server answers (HEAD kit.css): while
#    it is down that check is refused (the test clicks it then on purpose);
#  (On the reload, Voila's own unload beacon asks the new server to shut the old kernel down:
#   204, the kernel is gone, so it is no console error.)
def _expected_restart_errors(port: int, kernel_id: str) -> list[tuple[re.Pattern, re.Pattern]]:
    host = re.escape(f"127.0.0.1:{port}")
    kid = re.escape(kernel_id)
    return [
        # (pattern on the message text, pattern on the URL the browser reports it from)
        (
            re.compile(
                rf"^WebSocket connection to 'ws://{host}/api/kernels/{kid}/channels\?session_id=[-0-9a-f]+' failed: "
            ),
            re.compile(".*"),
        ),
        (
            re.compile(r"^Failed to load resource: net::ERR_CONNECTION_REFUSED$"),
            re.compile(rf"^http://{host}/api/kernels/{kid}\?\d+$"),
        ),
        (
            re.compile(r"^Failed to load resource: the server responded with a status of 404 \(Not Found\)$"),
            re.compile(rf"^http://{host}/api/kernels/{kid}\?\d+$"),
        ),
        (
            re.compile(r"^Failed to load resource: net::ERR_CONNECTION_REFUSED$"),
            re.compile(rf"^http://{host}/kit/static/kit\.css$"),
        ),
    ]


def test_a_server_restart_is_announced_and_after_it_a_reload_keeps_the_learners_work(browser):
    watch = Watch()
    console: list[tuple[str, str]] = []  # (text, url) of every console error, to filter precisely
    ctx = watched_context(browser, watch)
    ctx.on(
        "page",
        lambda p: p.on(
            "console", lambda m: console.append((m.text, m.location.get("url", ""))) if m.type == "error" else None
        ),
    )
    server = Server(log_name="faults-restart-before.log")
    port = server.port
    new_server = None
    try:
        page = ctx.new_page()
        page.goto(server.url + "/voila/render/01_history.ipynb")
        wait_rendered(page)
        _work_in_module_1(page)
        kernel_id = _kernel_id(page)

        server.stop()  # the course server goes away under the open page (its kernels with it)
        page.wait_for_selector(f"{BANNER} .kit-connection-reload", timeout=30_000)
        # 'unsure': Voila's connection keeps retrying for about a minute before it gives up ('lost').
        _assert_banner(page, ("unsure", "lost"))

        # Reload while the server is still down: the page stays, and says the server is not back yet.
        url = page.url
        page.get_by_role("button", name=UI["connection-reload"]).click()
        page.wait_for_function(
            "t => document.querySelector('#kit-connection .kit-connection-status').innerText.includes(t)",
            arg=UI["connection-not-back"][:40],
        )
        assert page.url == url
        _assert_banner(page, ("unsure", "lost"))
        _viewport_shot(page, "fault-server-down-banner")

        # The server is back on the same address: the reload works, and the work is still there.
        new_server = Server(log_name="faults-restart-after.log", port=port)
        _reload_and_find_the_work(page, kernel_id, "fault-server-restarted-after-reload")
        page.close(run_before_unload=True)
    finally:
        ctx.close()
        server.stop() if server.proc.poll() is None else None
        if new_server:
            new_server.stop()

    assert not watch.outside, f"requests left 127.0.0.1: {watch.outside}"
    assert not [e for e in watch.errors if e.startswith("page error")], watch.errors
    expected = _expected_restart_errors(port, kernel_id)
    unexpected = [
        (text, url) for text, url in console if not any(t.search(text) and u.search(url) for t, u in expected)
    ]
    assert not unexpected, f"console errors the restart does not explain: {unexpected}"
    # The check that the server answers was refused while it was down (the filter above is not empty-handed).
    assert any(url.endswith("/kit/static/kit.css") for _, url in console)


# --------------------------------------------------------------------------- broken data files
def _break(data, rel: str, old: str, new: str) -> None:
    path = data / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel} no longer holds {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _assert_plain_messages(page, file: str, problem: str) -> int:
    """Every error panel on the page names ``file`` and says ``problem``; no traceback anywhere."""
    errors = page.locator(".kit-error")
    assert errors.count() >= 1, f"no message about {file}"
    for i in range(errors.count()):
        text = errors.nth(i).inner_text()
        assert f"The course file data/{file} has a problem" in text and problem in text, text
        assert errors.nth(i).get_attribute("role") == "alert"
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error displaying widget" not in body
    assert (
        page.locator(
            '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"]'
        ).count()
        == 0
    )
    return errors.count()


def test_broken_data_files_are_named_on_their_pages_and_the_other_modules_still_work(tmp_path, context):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    # An instructor's two mistakes: a quiz option that lost its feedback (a schema error) ...
    _break(
        data,
        "quizzes/02_ground_rules.yaml",
        '        feedback: "Members are usually experienced clinicians.',
        '        feedbak: "Members are usually experienced clinicians.',
    )
    # ... and an unclosed quotation mark in the session phases (not YAML any more).
    _break(data, "session.yaml", '    name: "Ground rules"\n', '    name: "Ground rules\n')
    server = Server(log_name="faults-broken-data.log", data=data)  # the site starts all the same
    page = context.new_page()
    try:
        # Module 2: the knowledge check says which file, which record and which field; the rest works.
        page.goto(server.url + "/voila/render/02_ground_rules.ipynb")
        wait_rendered(page)
        # (The knowledge check and the list of sources, which collects the quiz's citations, both say so.)
        _assert_plain_messages(
            page,
            "quizzes/02_ground_rules.yaml",
            "record 2 ('q-why-no-advice'), item 2 of 'options', field 'feedback': this field is required but missing",
        )
        assert page.locator('.kit-quiz[data-quiz="02_ground_rules"]').count() == 0
        page.locator(".kit-complete").click()  # the module can still be marked complete (no readable check to require)
        page.wait_for_function(
            "() => document.querySelector('.kit-nav a[href$=\"/02_ground_rules.ipynb\"]').classList.contains('kit-done')"
        )
        rules = yaml.safe_load((data / "ground_rules.yaml").read_text(encoding="utf-8"))
        assert page.locator(".kit-rule").count() == len(rules["rules"])
        frame = page.locator('.kit-quiz[data-quiz="02_frame_exercise"] .kit-quiz-item').first
        frame.locator("input").first.check()
        frame.locator(".kit-check").click()
        frame.locator(".kit-feedback").first.wait_for(timeout=30_000)
        page.locator(".kit-error").first.scroll_into_view_if_needed()
        _viewport_shot(page, "fault-broken-quiz-02")
        screenshot(page, "fault-broken-quiz-02-page")

        # Module 3: every widget built on session.yaml says which file and where; its own quiz works.
        page.goto(server.url + "/voila/render/03_session_structure.ipynb")
        wait_rendered(page)
        assert _assert_plain_messages(page, "session.yaml", "near line") >= 1
        quiz = page.locator('.kit-quiz[data-quiz="03_session_structure"] .kit-quiz-item').first
        quiz.locator("input").first.check()
        quiz.locator(".kit-check").click()
        quiz.locator(".kit-feedback").first.wait_for(timeout=30_000)
        page.locator(".kit-error").first.scroll_into_view_if_needed()
        _viewport_shot(page, "fault-broken-session-03")

        # Module 1 works fully: every widget, no message, an answer, the completion and its tick.
        page.goto(server.url + "/voila/render/01_history.ipynb")
        wait_rendered(page)
        assert_no_error_output(page)
        quiz_01 = yaml.safe_load((data / "quizzes" / "01_history.yaml").read_text(encoding="utf-8"))
        assert page.locator(QUIZ_01).count() == len(quiz_01["items"])
        _answer(page, 0)
        try_every_question(page, "01_history")  # a module is complete once its check is tried in full
        page.locator(".kit-complete").click()
        page.wait_for_selector(".kit-complete-state .kit-right", timeout=30_000)
        page.wait_for_function(f"() => document.querySelector('{NAV_01}').classList.contains('kit-done')")
        # The landing page and the navigation are untouched by the two broken files.
        page.goto(server.url + "/")
        wait_rendered(page)
        assert_no_error_output(page)
        assert page.locator(".kit-banner-error").count() == 0
    finally:
        page.close(run_before_unload=True)  # before the server goes, so that the page's websocket is not cut
        server.stop()


def test_a_broken_course_map_is_named_in_a_banner_and_the_modules_still_work(tmp_path, context):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    _break(data, "course_map.yaml", "modules:", "modules: [")  # an unclosed list
    server = Server(log_name="faults-broken-course-map.log", data=data)
    page = context.new_page()
    try:
        page.goto(server.url + "/voila/render/01_history.ipynb")
        # The module's objectives come from the course map too: they say so. Its completion
        # card still works (it needs only the module's number, which its id gives).
        wait_rendered(page)
        page.wait_for_function("() => document.querySelectorAll('.kit-error').length === 1", timeout=90_000)
        assert page.locator(".kit-complete").inner_text() == "Mark module 1 as complete"
        _assert_plain_messages(page, "course_map.yaml", "near line")
        banner = page.locator(".kit-header .kit-banner-error")
        assert banner.get_attribute("role") == "alert"
        text = banner.inner_text()
        assert "The course file data/course_map.yaml has a problem" in text and UI["nav-error-tail"] in text, text
        assert "Traceback" not in page.inner_text("body")
        # The module itself works: its knowledge check answers.
        _answer(page, 0)
        screenshot(page, "fault-broken-course-map-01")
    finally:
        page.close(run_before_unload=True)
        server.stop()
