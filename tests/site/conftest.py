"""Fixtures for the site tests: the course site started as shipped, and Debian's chromium.

The server is started the way `make serve` starts it (``python -m kitserver course``
from the repository root, so it reads the repository's ``voila.json``), on a free port.
Its output goes to a log file that the privacy tests read. The browser is Debian's
``chromium`` driven by playwright (its own browser download cannot work offline).
Every page is watched for console errors, page errors and requests that leave 127.0.0.1;
requests to other hosts are blocked and recorded, and a test fails if there was any.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def worker_name(name: str) -> str:
    """``name`` for a file in artifacts/, with the pytest-xdist worker's id (``server-gw1.log``)
    when the tests run in parallel, so that two workers' servers never share a log file."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return name
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}-{worker}.{suffix}" if dot else f"{name}-{worker}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running course site."""

    def __init__(
        self,
        extra_args: list[str] | None = None,
        log_name: str = "server.log",
        root: str | Path = "course",
        data: Path | None = None,
        env: dict[str, str] | None = None,
        port: int | None = None,
    ):
        # ``port``: start on this port (a server restarted where the learners' pages expect it);
        # the server then fails if the port is taken rather than move to another one.
        self.port = port or free_port()
        if port:
            extra_args = [*(extra_args or []), "--Voila.port_retries=0"]
        self.url = f"http://127.0.0.1:{self.port}"
        (ROOT / "artifacts").mkdir(exist_ok=True)
        self.log_path = ROOT / "artifacts" / worker_name(log_name)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kitserver",
                str(root),
                f"--port={self.port}",
                "--no-browser",
                *(extra_args or []),
            ],
            cwd=ROOT,
            # Without PYTEST_CURRENT_TEST: ipykernel does not forward a kernel's stderr descriptor to
            # the page when it sees it, and the site is to run as `make serve` runs it.
            env={
                **{k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"},
                **({"BALINT_KIT_DATA": str(data)} if data else {}),
                **(env or {}),
            },
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the course site exited early: {self.log_path.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.url + "/kit/static/kit.css", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the course site did not start within 60 s")

    def kernels(self) -> list[psutil.Process]:
        """The kernel processes the server has started and that are still alive."""
        out = []
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if any("ipykernel_launcher" in part for part in child.cmdline()):
                    out.append(child)
            except psutil.NoSuchProcess:
                continue
        return out

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    # The class poll's SQLite file goes to a private folder, not the tester's home.
    poll_db = tmp_path_factory.mktemp("poll") / "poll.sqlite"
    server = Server(env={"BALINT_KIT_POLL_DB": str(poll_db)})
    server.poll_db = poll_db
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """What happened on the pages of one browser context."""

    def __init__(self):
        self.errors: list[str] = []
        self.outside: list[str] = []

    def check(self):
        assert not self.outside, f"requests left 127.0.0.1: {self.outside}"
        assert not self.errors, f"console or page errors: {self.errors}"


@pytest.fixture
def watch():
    return Watch()


def watched_context(browser, watch):
    """A browser context (one learner's browser) that blocks and records requests leaving
    127.0.0.1 and records console and page errors in ``watch``."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)

    def route(r):
        if re.match(r"^(https?|wss?)://127\.0\.0\.1[:/]", r.request.url) or r.request.url.startswith(
            ("data:", "blob:")
        ):
            r.continue_()
        else:
            watch.outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)

    def on_page(page):
        page.on("console", lambda m: watch.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: watch.errors.append(f"page error: {e}"))

    ctx.on("page", on_page)
    return ctx


@pytest.fixture
def context(browser, watch):
    ctx = watched_context(browser, watch)
    yield ctx
    ctx.close()
    watch.check()


READY = ".kit-course-map, .kit-complete-card"
"""The last widget of every course page: the course map on the landing page, the
'mark complete' card at the end of a module. With progressive rendering, outputs
arrive cell by cell after the page is shown, so this is what "the page is ready" means."""


def wait_for(predicate, timeout: float, interval: float = 0.5) -> bool:
    """Poll ``predicate`` (a check outside the browser: processes, the server) until it holds or
    ``timeout`` seconds pass; its last answer."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def wait_rendered(page, timeout: float = 90_000, ready: str = READY) -> None:
    """Wait until Voila has shown the page, the kit has arranged it and its last widget is drawn."""
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout)
    page.wait_for_selector("#rendered_cells .kit-header", state="attached", timeout=timeout)
    page.wait_for_function("() => !document.getElementById('loading')", timeout=timeout)
    page.wait_for_selector(ready, state="attached", timeout=timeout)


def reload_and_read_my_data(page) -> list[list[str]]:
    """Reload a page with the "your data" panel and read its table: [kind, count] per row."""
    page.reload()
    wait_rendered(page, ready=".kit-store-card")
    page.wait_for_selector(".kit-mydata-table")
    return page.eval_on_selector_all(
        ".kit-mydata-table tbody tr", "rows => rows.map(r => [r.dataset.kind, r.children[1].innerText])"
    )


def screenshot(page, name: str) -> Path:
    """A full-length screenshot of the page's scrolling content, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    charts = page.locator(".kit-chart")
    for i in range(charts.count()):  # charts load plotly.js once they come near the screen
        charts.nth(i).scroll_into_view_if_needed()
        page.locator(".kit-chart").nth(i).and_(page.locator(".js-plotly-plot")).wait_for(
            state="attached", timeout=60_000
        )
    page.evaluate("document.getElementById('rendered_cells').scrollTop = 0")
    height = page.evaluate("document.getElementById('rendered_cells').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 600), 16000)})
    page.wait_for_timeout(300)  # let plotly's responsive resize settle before the picture
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def assert_no_error_output(page) -> None:
    text = page.inner_text("body")
    assert "Error displaying widget" not in text
    assert "Traceback" not in text
    assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0
    assert (
        page.locator('[data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-output.jp-mod-error').count()
        == 0
    )
    assert page.locator(".kit-error").count() == 0, page.locator(".kit-error").first.inner_text()


def try_every_question(page, quiz_id: str, leave: int = 0) -> None:
    """Answer the questions of a knowledge check (the first option of each, right or wrong), as a
    learner who tries them all before marking the module complete; ``leave`` the last few untried.
    Questions already answered are left as they are."""
    items = page.locator(f'.kit-quiz[data-quiz="{quiz_id}"] .kit-quiz-item')
    count = items.count()
    assert count > leave
    for i in range(count - leave):
        item = items.nth(i)
        area = item.locator(".kit-feedback-area")
        if area.inner_text().strip():
            continue
        item.locator("input").first.check()
        item.locator(".kit-check").click()
        page.wait_for_function(
            "([q, i]) => document.querySelectorAll(`.kit-quiz[data-quiz=\"${q}\"] .kit-quiz-item`)[i].querySelector('.kit-feedback-area').innerText.trim() !== ''",
            arg=[quiz_id, i],
        )
