"""A cohort on JupyterHub: a real hub on 127.0.0.1, three learners, each in a server of their own.

The hub is started with the shipped deploy/jupyterhub/jupyterhub_config.py, and on top of it
only what a test machine needs (tests run as root, with no system users for learners):
DummyAuthenticator with one password, SimpleLocalProcessSpawner, free ports, and a private
folder for the hub's database, the learners' homes and the class poll. Its proxy is
configurable-http-proxy from the npm registry, which `make test` installs into node_modules/.

Learners log in through the hub's login page in Debian's chromium (one browser context per
learner: one browser each), land on the course map, and are checked to be in their own
single-user server with their own kernel; a learner's server lets in no one else; their
browser data is kept apart even in one browser (a shared computer) since every key carries
the learner's /user/<name>/ path; the shared-computer warning shows; the class poll's API
answers only with the hub's login. Every process the hub started (proxy, idle culler,
single-user servers, kernels) is stopped at the end, also when a test fails: each carries a
marker in its environment, and the last test checks that stopping the hub leaves none.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import psutil
import pytest
import requests
import yaml
from playwright.sync_api import sync_playwright

from ..site.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    Watch,
    free_port,
    screenshot,
    try_every_question,
    wait_rendered,
    watched_context,
)

pytestmark = [pytest.mark.hub, pytest.mark.timeout(400)]

HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
LEARNERS = ("alice", "bob", "carol")
PASSWORD = secrets.token_urlsafe(12)
MARK = "BALINT_KIT_HUB_TEST"
UI = yaml.safe_load((ROOT / "data" / "ui" / "en.yaml").read_text(encoding="utf-8"))["strings"]

TEST_CONFIG = """\
# The shipped configuration, then what a test machine needs instead of system users and PAM.
load_subconfig({shipped!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"  # SimpleLocalProcessSpawner: tests run as root, learners have no system users
c.SimpleLocalProcessSpawner.home_dir_template = {home!r}
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{folder}/jupyterhub.pid"
# Marks every learner's server and kernel, so that the test can find and stop them all.
c.Spawner.environment = {{**c.Spawner.environment, {mark!r}: {run!r}}}
"""


class Hub:
    """A running JupyterHub, its proxy and everything it spawns."""

    def __init__(self, folder: Path):
        if not CHP.exists():
            pytest.fail("configurable-http-proxy is not in node_modules/: run `make test`, which runs `npm ci`")
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.run = secrets.token_hex(8)
        config = folder / "test_config.py"
        config.write_text(
            TEST_CONFIG.format(
                shipped=str(HUB_CONFIG),
                port=self.port,
                hub_port=free_port(),
                api_port=free_port(),
                password=PASSWORD,
                home=str(folder / "home" / "{username}"),
                folder=folder,
                mark=MARK,
                run=self.run,
            )
        )
        self.poll_db = folder / "poll.sqlite"
        self.log_path = ROOT / "artifacts" / "hub.log"
        self.log_path.parent.mkdir(exist_ok=True)
        self._log = open(self.log_path, "w")
        env = {**os.environ, MARK: self.run, "BALINT_KIT_POLL_DB": str(self.poll_db)}
        env.pop("BALINT_KIT_POLL_URL", None)
        self.started = time.monotonic()
        # A shell that started us in the background may have left SIGINT ignored, and the hub
        # stops its services with SIGINT first: the hub, and so its children, get the default back.
        start = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", start, "-m", "jupyterhub", "-f", str(config)],
            cwd=folder,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._seen: dict[int, psutil.Process] = {}
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited early:\n{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/hub/api", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the hub did not start within 60 s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def processes(self) -> list[psutil.Process]:
        """Every live process of this hub: its descendants and every process carrying its marker."""
        found: dict[int, psutil.Process] = {}
        try:
            hub = psutil.Process(self.proc.pid)
            found[hub.pid] = hub
            for p in hub.children(recursive=True):
                found[p.pid] = p
        except psutil.NoSuchProcess:
            pass
        for p in psutil.process_iter():
            try:
                if p.pid not in found and p.environ().get(MARK) == self.run:
                    found[p.pid] = p
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        self._seen.update(found)
        return [p for p in found.values() if _alive(p)]

    def server_of(self, user: str) -> psutil.Process:
        """The learner's single-user server."""
        servers = []
        for p in self.processes():
            try:
                if (
                    any("kit_singleuser.py" in part for part in p.cmdline())
                    and p.environ().get("JUPYTERHUB_USER") == user
                ):
                    servers.append(p)
            except psutil.NoSuchProcess:
                continue
        assert len(servers) == 1, f"{user} has {len(servers)} single-user servers"
        return servers[0]

    def kernel_ids_of(self, user: str) -> set[str]:
        """The ids of the kernels running under the learner's server (from their connection files)."""
        ids = set()
        for child in self.server_of(user).children(recursive=True):
            try:
                ids.update(re.findall(r"kernel-([0-9a-f-]{36})\.json", " ".join(child.cmdline())))
            except psutil.NoSuchProcess:
                continue
        return ids

    def stop(self) -> list[str]:
        """Stop the hub as an operator would (SIGTERM: it stops the servers, the services and the
        proxy); kill whatever is left. Returns what had to be killed."""
        self.processes()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        deadline = time.time() + 10
        left = [p for p in {**self._seen, **{p.pid: p for p in self.processes()}}.values() if _alive(p)]
        while left and time.time() < deadline:
            time.sleep(0.2)
            left = [p for p in left if _alive(p)]
        killed = []
        for p in left:
            try:
                killed.append(" ".join(p.cmdline())[:160])
                p.kill()
            except psutil.NoSuchProcess:
                continue
        psutil.wait_procs(left, timeout=10)
        if not self._log.closed:
            self._log.close()
        return killed


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    h = Hub(tmp_path_factory.mktemp("hub"))
    try:
        yield h
    finally:
        h.stop()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def log_in(page, hub: Hub, user: str) -> None:
    """Sign in on the hub's login page (the hub then starts the learner's server)."""
    page.goto(hub.url + "/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")


def wait_for_course_map(page, user: str) -> None:
    page.wait_for_url(re.compile(rf"/user/{user}/voila/render/index\.ipynb$"), timeout=120_000)
    wait_rendered(page, timeout=120_000, ready=".kit-course-map")


def expect_forbidden(page, watch: Watch, url: str) -> None:
    """Open ``url`` and check the hub refuses it (403); the browser's console line for that 403
    is expected, not an error of the site."""
    before = len(watch.errors)
    response = page.goto(url)
    assert response.status == 403, (response.status, page.url)
    assert page.locator(".kit-course-map").count() == 0
    new = watch.errors[before:]
    assert all("status of 403" in e for e in new), new
    del watch.errors[before:]


def kit_keys(page) -> list[str]:
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('balint-kit')).sort()")


@pytest.fixture(scope="module")
def learners(hub, browser):
    """Three learners, each in a browser of their own, logged in together and on the course map."""
    out = {}
    try:
        for user in LEARNERS:
            watch = Watch()
            ctx = watched_context(browser, watch)
            page = ctx.new_page()
            out[user] = {"context": ctx, "page": page, "watch": watch}
        started = time.monotonic()
        for user in LEARNERS:  # all three submit the form before any server is up
            log_in(out[user]["page"], hub, user)
        for user in LEARNERS:
            wait_for_course_map(out[user]["page"], user)
        print(f"three learners on the course map {time.monotonic() - started:.1f} s after logging in together")
        yield out
    finally:
        close_browsers(out)


def close_browsers(learners: dict) -> None:
    """Close each learner's browser, then check it saw no console error and no outside request."""
    for learner in learners.values():
        if not learner.get("closed"):
            learner["context"].close()
            learner["closed"] = True
    for learner in learners.values():
        learner["watch"].check()


def test_each_learner_lands_on_the_course_map_in_their_own_server_with_their_own_kernel(hub, learners):
    page_kernels = {}
    for user in LEARNERS:
        page = learners[user]["page"]
        assert page.url == f"{hub.url}/user/{user}/voila/render/index.ipynb"
        assert page.locator(".kit-course-map").is_visible()
        assert page.evaluate("() => document.body.dataset.kitBase") == f"/user/{user}/"
        page_kernels[user] = page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )
    screenshot(learners["alice"]["page"], "hub-alice-course-map")
    assert len(set(page_kernels.values())) == 3, page_kernels

    servers = {user: hub.server_of(user) for user in LEARNERS}
    for user, server in servers.items():
        kernels = [c for c in server.children(recursive=True) if "ipykernel_launcher" in " ".join(c.cmdline())]
        mb = [round(p.memory_info().rss / 1e6) for p in [server, *kernels]]
        print(f"{user}: server {mb[0]} MB, {len(kernels)} kernel(s) {mb[1:]} MB")
    assert len({s.pid for s in servers.values()}) == 3
    for user, server in servers.items():
        # The page's kernel is a process of this learner's own server, of no one else's.
        assert page_kernels[user] in hub.kernel_ids_of(user), (
            user,
            page_kernels[user],
            hub.kernel_ids_of(user),
        )
        for other in LEARNERS:
            if other != user:
                assert page_kernels[user] not in hub.kernel_ids_of(other)
        env = server.environ()
        assert env["JUPYTERHUB_SERVICE_PREFIX"] == f"/user/{user}/"
        # The shipped config passes the class poll's store on, so the cohort shares one poll.
        assert env["BALINT_KIT_POLL_DB"] == str(hub.poll_db)
        assert "--CourseVoila.max_kernels=8" in server.cmdline()

    # The hub's proxy is configurable-http-proxy from node_modules/, serving on 127.0.0.1 only.
    proxies = [
        p for p in hub.processes() if any(str(CHP) in part or "configurable-http-proxy" in part for part in p.cmdline())
    ]
    assert len(proxies) == 1, [p.cmdline() for p in proxies]
    assert str(ROOT / "node_modules") in " ".join(proxies[0].cmdline())
    for conn in proxies[0].net_connections(kind="inet"):
        if conn.status == psutil.CONN_LISTEN:
            assert conn.laddr.ip == "127.0.0.1", conn


def test_a_learners_server_lets_in_no_one_else(hub, learners):
    alice = f"{hub.url}/user/alice/voila/render/index.ipynb"
    before = hub.kernel_ids_of("alice")
    # No login: sent to the hub to log in, and no kernel is started.
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as sent:
        opener.open(alice, timeout=30)
    assert sent.value.code == 302
    assert "/hub/" in sent.value.headers["Location"]
    # Bob, logged in to the hub, may not use Alice's server.
    bob = learners["bob"]["page"]
    expect_forbidden(bob, learners["bob"]["watch"], alice)
    assert hub.kernel_ids_of("alice") == before
    bob.goto(f"{hub.url}/user/bob/voila/render/index.ipynb")
    wait_for_course_map(bob, "bob")


POLL_FETCH = """async ([url, body, key]) => {
  // As widgets/static/groupeval.js does it: a POST echoes the server-signed poll token in
  // X-Kit-Poll-Token and the hub's _xsrf cookie in X-XSRFToken; the results GET sends the class key only.
  const cookie = (name) => { const m = document.cookie.match(new RegExp("(?:^|;\\\\s*)" + name + "=([^;]*)")); return m ? decodeURIComponent(m[1]) : ""; };
  const headers = body === null ? {} : {"Content-Type": "application/json", "X-Kit-Poll-Token": cookie("kit_poll_xsrf"), "X-XSRFToken": cookie("_xsrf")};
  if (key) headers["X-Kit-Class-Key"] = key;
  const r = await fetch(url, body === null ? {credentials: "same-origin", headers} : {method: "POST", credentials: "same-origin", headers, body});
  return [r.status, await r.json()];
}"""


def test_the_cohort_shares_one_class_poll_through_their_own_servers(hub, learners):
    """The class poll's store is passed on to every learner's server: a class opened in one
    server is answered through the others (as the page's scripts do it, with the _xsrf cookie)."""

    def call(user, path, body=None, key=None):
        return learners[user]["page"].evaluate(POLL_FETCH, [f"/user/{user}/kit/poll/{path}", body, key])

    status, opened = call("alice", "classes", "{}")
    assert status == 201, opened
    answers = '{"token": "%s", "answers": [1, 2, 3, 4, 5, 6]}'
    for user in ("bob", "carol"):
        status, sent = call(
            user,
            f"classes/{opened['code']}/responses",
            answers % secrets.token_urlsafe(24),
        )
        assert (status, sent) == (201, {"status": "received"})
    # One response per login per class: alice, who opened the class, cannot pad it with made-up
    # answers under fresh tokens (she answers once), nor can bob send a second time.
    for user, expected in (("alice", "received"), ("alice", "already-sent"), ("bob", "already-sent")):
        watch = learners[user]["watch"]
        before = len(watch.errors)
        status, sent = call(
            user,
            f"classes/{opened['code']}/responses",
            answers % secrets.token_urlsafe(24),
        )
        assert (status, sent) == ({"received": 201, "already-sent": 409}[expected], {"status": expected})
        # Chromium logs the 409 it was answered as a console error: that refusal is the point here.
        new = watch.errors[before:]
        assert all("status of 409" in e for e in new), new
        del watch.errors[before:]
    status, results = call("alice", f"classes/{opened['code']}/results", None, opened["key"])
    assert status == 200 and results["responses"] == 3, results


def poll_class_codes(hub: Hub) -> set[str]:
    """The codes of the classes in the cohort's poll store (the SQLite file every server uses)."""
    with closing(sqlite3.connect(hub.poll_db)) as db:
        return {code for (code,) in db.execute("SELECT code FROM poll_class")}


def test_the_class_poll_answers_only_a_learner_logged_in_to_the_hub(hub, learners):
    """The poll's API in a learner's server needs the hub's login for that server, as its pages
    do; a client without it gets the API's own 403 (JSON, not a redirect to the login page)."""
    alice = learners["alice"]
    classes = f"{hub.url}/user/alice/kit/poll/classes"

    # Alice, logged in, opens a class as her page's script does (the _xsrf cookie echoed in X-XSRFToken).
    status, opened = alice["page"].evaluate(POLL_FETCH, ["/user/alice/kit/poll/classes", "{}", None])
    assert status == 201, opened
    assert sorted(opened) == ["code", "key"]
    assert re.fullmatch("[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", opened["code"])
    assert len(opened["key"]) >= 43
    code, key = opened["code"], opened["key"]
    before = poll_class_codes(hub)
    assert code in before

    # A client with no login and no cookie, through the hub's proxy (redirects not followed):
    # the server's own answer, the same for each route.
    bare = requests.Session()
    answer = {"token": secrets.token_urlsafe(24), "answers": [1, 2, 3, 4, 5, 6]}
    refused = [
        bare.post(
            classes,
            data="{}",
            headers={"Content-Type": "application/json"},
            allow_redirects=False,
            timeout=30,
        ),
        bare.post(
            f"{classes}/{code}/responses",
            json=answer,
            allow_redirects=False,
            timeout=30,
        ),
        # Even with the class key.
        bare.get(
            f"{classes}/{code}/results",
            headers={"X-Kit-Class-Key": key},
            allow_redirects=False,
            timeout=30,
        ),
    ]
    # A script echoes whatever _xsrf cookie it was given (none) and tries again.
    bare.headers["X-XSRFToken"] = bare.cookies.get("_xsrf", "")
    refused.append(bare.post(classes, data="{}", allow_redirects=False, timeout=30))
    for r in refused:
        assert (r.status_code, r.json()) == (403, {"status": "forbidden"}), (
            r.request.method,
            r.request.url,
        )
        assert r.headers["Content-Type"] == "application/json; charset=UTF-8"
        assert r.headers["Cache-Control"] == "no-store"
    assert list(bare.cookies) == []
    # No class was opened (nor was anything answered: Alice's results below count 0 responses).
    assert poll_class_codes(hub) == before

    # Alice reads the results as her page's script does (the class key, no X-XSRFToken; Chromium
    # sends "Sec-Fetch-Mode: cors" to 127.0.0.1, as to an HTTPS site) ...
    status, results = alice["page"].evaluate(POLL_FETCH, [f"/user/alice/kit/poll/classes/{code}/results", None, key])
    assert (status, results) == (
        200,
        {"responses": 0, "threshold": 5, "shown": False, "statements": None},
    )
    # ... and as a browser sends it to a plain-HTTP site: with her cookies and no Sec-Fetch-* headers.
    r = alice["context"].request.get(f"{classes}/{code}/results", headers={"X-Kit-Class-Key": key}, max_redirects=0)
    assert (r.status, r.json()) == (
        200,
        {"responses": 0, "threshold": 5, "shown": False, "statements": None},
    )
    # JupyterHub warns of such a GET with its path; her server's log (in the hub's) names no class code.
    assert f"/{code}/" not in hub.log()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_each_learners_browser_data_is_kept_apart_and_the_shared_computer_warning_shows(hub, learners):
    # Each learner completes module 1 in their own browser: the key carries their path.
    for user in LEARNERS:
        learners[user]["page"].goto(f"{hub.url}/user/{user}/voila/render/01_history.ipynb", wait_until="commit")
    for user in LEARNERS:
        page = learners[user]["page"]
        wait_rendered(page, timeout=120_000)
        assert page.evaluate("() => window.balintKit.progressKey") == f"balint-kit:v1:/user/{user}/:progress"
        try_every_question(page, "01_history")  # a module is marked complete once its check is tried
        page.locator(".kit-complete").click()
        page.wait_for_selector(".kit-complete-state .kit-right")
        keys = kit_keys(page)
        assert f"balint-kit:v1:/user/{user}/:progress" in keys, keys
        assert all(k.startswith(f"balint-kit:v1:/user/{user}/:") for k in keys), keys
        # The data panel at the end of the module warns about shared computers.
        panel = page.locator(".kit-store-card")
        panel.scroll_into_view_if_needed()
        assert panel.get_by_text(UI["shared-computer"]).is_visible()

    # A shared computer: Alice logs out and Bob logs in, in Alice's browser.
    page = learners["alice"]["page"]
    page.goto(f"{hub.url}/user/alice/voila/render/index.ipynb")
    wait_rendered(page, ready=".kit-course-map")
    page.wait_for_selector('.kit-map-row[data-kit-progress="01_history"].kit-done')
    page.goto(f"{hub.url}/user/alice/logout")
    page.wait_for_url(re.compile(r"/hub/(login|logout)"), timeout=30_000)
    log_in(page, hub, "bob")
    wait_for_course_map(page, "bob")
    assert page.evaluate("() => window.balintKit.progressKey") == "balint-kit:v1:/user/bob/:progress"
    # Alice's progress is still in this browser, under her path only; Bob's map does not show it.
    assert "balint-kit:v1:/user/alice/:progress" in kit_keys(page)
    assert page.locator('.kit-map-row[data-kit-progress="01_history"]').count() == 1
    assert page.locator(".kit-map-row.kit-done").count() == 0
    # Bob's "Your data in this browser" page lists nothing of Alice's, and warns.
    page.goto(f"{hub.url}/user/bob/voila/render/resources/my_data.ipynb")
    wait_rendered(page, timeout=120_000, ready=".kit-store-card")
    page.wait_for_selector(".kit-mydata-table, .kit-mydata-empty", timeout=60_000)
    # At most the light/dark choice, which the site keeps for the whole browser, not per learner.
    kinds = page.eval_on_selector_all(".kit-mydata-table tbody tr", "rows => rows.map(r => r.dataset.kind)")
    assert set(kinds) <= {"theme"}, kinds
    warning = page.locator(".kit-mydata-shared")
    assert warning.is_visible()
    assert warning.inner_text().strip() == UI["mydata-shared"].strip()
    screenshot(page, "hub-shared-computer-bob-my-data")
    # Alice's server no longer lets this browser in.
    expect_forbidden(
        page,
        learners["alice"]["watch"],
        f"{hub.url}/user/alice/voila/render/index.ipynb",
    )


def test_stopping_the_hub_stops_every_process_it_started(hub, learners):
    assert len(hub.processes()) >= 1 + 1 + 3 + 3  # hub, proxy, three servers, their kernels
    close_browsers(learners)  # before the hub goes, so that its going is no error of theirs
    started = time.monotonic()
    killed = hub.stop()
    print(f"the hub stopped in {time.monotonic() - started:.1f} s")
    assert killed == [], f"left running after the hub stopped: {killed}"
    assert hub.processes() == []
    assert "Traceback" not in hub.log()
