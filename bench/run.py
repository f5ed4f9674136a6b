"""Benchmark of the course site against a bare one-button Voila page, and crowds of learners.

Starts the course site (``python -m kitserver``) on a temporary copy of
``course/`` that also holds ``bench/pages/bare.ipynb``, so the bare page and the
course pages are served by the same Voila with the same config and template.
Then, in one run:

1. Browser loads (Playwright + Debian's chromium), for each page, side by side:
   time to interactive, server CPU-seconds per load, kernel memory, bytes
   transferred on a first and on a repeat visit; then click-to-feedback times.
2. Crowds of learners (30, then 60 by default): HTTP + websocket clients in threads
   (not browsers) that open the History page at the same moment, run its cells and
   press its first Check; rendered/busy/failed counts, p50/p95 time to interactive,
   CPU, memory per learner, memory at peak and after the kernels are culled.

Prints a plain-text table and writes ``bench/results/latest.json``
(``bench/results/crowds.json`` with ``--only-crowds``).
See ``bench/README.md`` for what each figure means.

    .venv/bin/python bench/run.py                  # full run (N=5 loads per page, crowds of 30 and 60)
    .venv/bin/python bench/run.py --quick          # N=2, one crowd of 10
    .venv/bin/python bench/run.py --only-crowds    # crowds of 30 and 60 only
    .venv/bin/python bench/run.py --only-crowds --crowds 60
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from pathlib import Path

import psutil
import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = [
    "bare",
    "index",
    "01_history",
    "02_ground_rules",
    "03_session_structure",
    "04_leadership",
    "05_role_play",
    "06_online_groups",
    "07_burnout",
    "08_evidence",
    "instructor/timer",
]
CONFIG_RE = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)


def log(*parts):
    print(time.strftime("[%H:%M:%S]"), *parts, file=sys.stderr, flush=True)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def percentile(xs, p):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- server


class Server:
    """The course site on a temporary root with course/ + bare.ipynb."""

    def __init__(self, port: int):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.tmp = Path(tempfile.mkdtemp(prefix="balint-bench-"))
        self.root = self.tmp / "site"
        shutil.copytree(ROOT / "course", self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        shutil.copy(BENCH / "pages" / "bare.ipynb", self.root / "bare.ipynb")
        self.log_path = self.tmp / "server.log"
        self.proc: subprocess.Popen | None = None
        self.ps: psutil.Process | None = None
        self.seen: dict[int, psutil.Process] = {}
        self.extra_args: list[str] = []

    def start(self, timeout=60):
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [
                str(PYTHON),
                "-m",
                "kitserver",
                str(self.root),
                "--port",
                str(self.port),
                "--Voila.port_retries=0",
                "--no-browser",
                *self.extra_args,
            ],
            cwd=ROOT,  # voila.json is read from the working directory
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.ps = psutil.Process(self.proc.pid)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; log:\n{self.tail()}")
            if not self._listening():  # and not some other server on that port
                time.sleep(0.3)
                continue
            try:
                r = requests.get(self.base + "/voila/static/voila.js", timeout=2)
                if r.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server did not answer within {timeout} s; log:\n{self.tail()}")

    def _listening(self) -> bool:
        try:
            conns = self.ps.net_connections(kind="tcp")
        except psutil.Error:
            return False
        return any(c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == self.port for c in conns)

    def tail(self, n=30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def processes(self) -> list[psutil.Process]:
        """The server and all its descendants (kernels), alive now."""
        procs = [self.ps]
        try:
            procs += self.ps.children(recursive=True)
        except psutil.Error:
            pass
        for p in procs:
            self.seen.setdefault(p.pid, p)
        return procs

    def kernels(self) -> list[psutil.Process]:
        """Kernel processes: the server's direct children running ipykernel_launcher
        (a process a kernel forks shows the same command line until it execs)."""
        out = []
        for p in self.processes()[1:]:
            try:
                if p.ppid() == self.ps.pid and "ipykernel_launcher" in " ".join(p.cmdline()):
                    out.append(p)
            except psutil.Error:
                pass
        return out

    def kernel_process(self, kernel_id: str) -> psutil.Process | None:
        for p in self.kernels():
            try:
                if kernel_id in " ".join(p.cmdline()):
                    return p
            except psutil.Error:
                pass
        ks = self.kernels()  # fallback: the newest kernel
        return max(ks, key=lambda p: p.create_time()) if ks else None

    def cpu_snapshot(self) -> dict[tuple[int, float], float]:
        """user+system CPU seconds of the server and each live descendant."""
        snap = {}
        for p in self.processes():
            try:
                with p.oneshot():
                    t = p.cpu_times()
                    snap[(p.pid, p.create_time())] = t.user + t.system
            except psutil.Error:
                pass
        return snap

    @staticmethod
    def cpu_delta(before, after) -> float:
        return sum(v - before.get(k, 0.0) for k, v in after.items())

    def rss_mb(self) -> tuple[float, float, int]:
        """(server RSS, kernels RSS, number of kernels) in MB.

        Kernels are counted as in :meth:`kernels`; anything a kernel runs counts with the kernels,
        anything else the server runs counts with the server."""
        procs = self.processes()
        kernel_pids = {p.pid for p in self.kernels()}
        parent = {}
        for p in procs:
            try:
                parent[p.pid] = p.ppid()
            except psutil.Error:
                pass
        server = kern = 0.0
        for p in procs:
            try:
                rss = p.memory_info().rss / 2**20
            except psutil.Error:
                continue
            pid, in_kernel = p.pid, False
            while pid in parent and pid != self.ps.pid:
                if pid in kernel_pids:
                    in_kernel = True
                    break
                pid = parent[pid]
            if in_kernel:
                kern += rss
            else:
                server += rss
        n = len(kernel_pids)
        return server, kern, n

    def wait_kernels(self, at_most: int, timeout: float, poll=1.0) -> int:
        deadline = time.time() + timeout
        while True:
            n = len(self.kernels())
            if n <= at_most or time.time() >= deadline:
                return n
            time.sleep(poll)

    def stop(self):
        if self.proc is None:
            return
        descendants = list(self.seen.values())
        try:
            descendants += self.ps.children(recursive=True)
        except psutil.Error:
            pass
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        # kernels that outlived the server (only processes this server started)
        for p in descendants:
            try:
                if p.is_running() and p.pid != self.proc.pid:
                    p.kill()
            except psutil.Error:
                pass
        self._log.close()
        self.proc = None

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------- browser loads


class ByteCounter:
    """Bytes over the network for one page, from the Chrome DevTools protocol: HTTP responses as
    sent on the wire (``encodedDataLength``: headers plus the body as transferred, so compressed
    when the server compressed it; 0 for what the browser cache answered without asking) and the
    payload of websocket frames (as the page sees them: the site does not compress websockets)."""

    def __init__(self, context, page):
        self.total = 0
        self.http = 0
        self.ws = 0
        self.cdp = context.new_cdp_session(page)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        self.cdp.on("Network.webSocketFrameSent", self._frame)
        self.cdp.send("Network.enable")

    def _finished(self, ev):
        n = int(ev.get("encodedDataLength") or 0)
        self.total += n
        self.http += n

    def _frame(self, ev):
        r = ev.get("response", {})
        data = r.get("payloadData", "") or ""
        n = (
            len(data) * 3 // 4 if r.get("opcode") == 2 else len(data.encode("utf-8"))
        )  # binary frames come base64-encoded
        self.total += n
        self.ws += n

    def reset(self):
        self.total = self.http = self.ws = 0


def wait_interactive(page, name: str, t0: float, timeout_ms: int) -> dict:
    """Wait until the page's first widget answers; return timings (s from t0)."""
    out = {}
    if name == "bare":
        btn = page.locator("button.widget-button", has_text=re.compile(r"^\s*Click\s*$")).first
        btn.wait_for(state="visible", timeout=timeout_ms)
        out["visible_s"] = time.perf_counter() - t0
        btn.click(timeout=timeout_ms)
        page.locator("button.widget-button", has_text="Clicked").first.wait_for(state="visible", timeout=timeout_ms)
    elif name == "index":
        page.locator(".kit-map-row").first.wait_for(state="visible", timeout=timeout_ms)
        out["visible_s"] = time.perf_counter() - t0
        page.wait_for_function("() => window.__benchKernelUp === true", timeout=timeout_ms)
    elif name == "instructor/timer":
        # The timer keeps time in the browser: interactive once its Start button starts it.
        btn = page.locator(".kit-timer-primary").first
        btn.wait_for(state="visible", timeout=timeout_ms)
        out["visible_s"] = time.perf_counter() - t0
        # A repeat visit finds the session it started still running (kept in localStorage):
        # the same button then pauses it. Either way the click must flip the running state.
        was = page.evaluate("!!document.querySelector('.kit-timer.kit-timer-is-running')")
        btn.click(timeout=timeout_ms)
        page.wait_for_function(
            "was => !!document.querySelector('.kit-timer.kit-timer-is-running') !== was", arg=was, timeout=timeout_ms
        )
    else:
        btn = page.locator(".kit-check").first
        btn.wait_for(state="visible", timeout=timeout_ms)
        out["visible_s"] = time.perf_counter() - t0
        btn.click(timeout=timeout_ms)
        page.wait_for_function(
            "() => { const e = document.querySelector('.kit-feedback-area');"
            " return !!e && e.textContent.trim().length > 0; }",
            timeout=timeout_ms,
        )
    out["tti_s"] = time.perf_counter() - t0
    return out


# Marks, inside the page, the first message received on the kernel's websocket
# ("kernel connected"); used for the index page, which has no widget of its own.
KERNEL_UP_JS = """
(() => {
  const Native = window.WebSocket;
  window.__benchKernelUp = false;
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      if (String(args[0]).includes('/api/kernels/')) {
        this.addEventListener('message', () => { window.__benchKernelUp = true; }, { once: true });
      }
    }
  }
  window.WebSocket = Watched;
})();
"""


CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('.kit-chart')].every(
  (c) => c.querySelector('.js-plotly-plot') || c.classList.contains('js-plotly-plot') || c.querySelector('[data-chart-state=failed]'))"""


def draw_charts(page, timeout_ms) -> int:
    """Scroll every chart of the page into view (charts load plotly.js when they come near the
    screen) and wait until each is drawn; the number of charts."""
    charts = page.locator(".kit-chart")
    n = charts.count()
    for i in range(n):
        try:
            charts.nth(i).scroll_into_view_if_needed(timeout=timeout_ms)
        except Exception:  # noqa: BLE001 - a chart hidden in a closed panel: drawn when opened, not counted
            pass
    if n:
        try:
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms)
        except Exception:  # noqa: BLE001 - the bytes so far are still counted; the log says so
            log("  note: not every chart was drawn")
        page.wait_for_timeout(300)
    return n


def one_visit(page, counter, server, name, url, timeout_ms, measure_server=True) -> dict:
    counter.reset()
    before = server.cpu_snapshot() if measure_server else None
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    rec = wait_interactive(page, name, t0, timeout_ms)
    kid = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    rec["kernel_id"] = kid
    if measure_server:
        kp = server.kernel_process(kid)
        try:
            rec["kernel_mb"] = kp.memory_info().rss / 2**20 if kp else None
        except psutil.Error:
            rec["kernel_mb"] = None
    # let the page settle (remaining assets, widget messages) before counting
    try:
        page.wait_for_load_state("load", timeout=timeout_ms)
    except Exception:
        pass
    page.wait_for_timeout(500)
    rec["bytes"] = counter.total
    rec["http_bytes"], rec["ws_bytes"] = counter.http, counter.ws
    if measure_server:
        rec["cpu_s"] = Server.cpu_delta(before, server.cpu_snapshot())
    # Then every chart drawn (plotly.js comes only when a chart nears the screen): the bytes of
    # the whole visit, and the Voila process's CPU for all it served (compression included).
    rec["charts"] = draw_charts(page, timeout_ms)
    rec["bytes_with_charts"] = counter.total
    if measure_server:
        rec["server_process_cpu_s"] = sum(
            v - before.get(k, 0.0) for k, v in server.cpu_snapshot().items() if k[0] == server.ps.pid
        )
    return rec


def browser_loads(server: Server, runs: int, timeout_s: float) -> dict:
    from playwright.sync_api import sync_playwright

    timeout_ms = int(timeout_s * 1000)
    results = {p: [] for p in PAGES}
    errors = {p: [] for p in PAGES}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for i in range(runs + 1):  # round 0 is the warm-up
                for name in PAGES:
                    url = f"{server.base}/voila/render/{name}.ipynb"
                    context = browser.new_context()
                    context.add_init_script(KERNEL_UP_JS)
                    page = context.new_page()
                    counter = ByteCounter(context, page)
                    try:
                        first = one_visit(page, counter, server, name, url, timeout_ms)
                        repeat = one_visit(page, counter, server, name, url, timeout_ms, measure_server=False)
                        rec = {
                            "tti_s": first["tti_s"],
                            "visible_s": first["visible_s"],
                            "cpu_s": first["cpu_s"],
                            "server_process_cpu_s": first["server_process_cpu_s"],
                            "kernel_mb": first["kernel_mb"],
                            "first_mb": first["bytes"] / 1e6,
                            "repeat_mb": repeat["bytes"] / 1e6,
                            "charts": first["charts"],
                            "first_charts_mb": first["bytes_with_charts"] / 1e6,
                            "repeat_charts_mb": repeat["bytes_with_charts"] / 1e6,
                            "first_http_mb": first["http_bytes"] / 1e6,
                            "first_ws_mb": first["ws_bytes"] / 1e6,
                            "repeat_http_mb": repeat["http_bytes"] / 1e6,
                            "repeat_ws_mb": repeat["ws_bytes"] / 1e6,
                            "repeat_tti_s": repeat["tti_s"],
                        }
                        if i > 0:
                            results[name].append(rec)
                        log(
                            f"{'warm-up' if i == 0 else f'load {i}/{runs}'} {name}: "
                            f"tti {rec['tti_s']:.2f}s cpu {rec['cpu_s']:.2f}s kernel {rec['kernel_mb'] or 0:.0f}MB "
                            f"bytes {rec['first_mb']:.2f}/{rec['repeat_mb']:.2f}MB, with {rec['charts']} chart(s) "
                            f"{rec['first_charts_mb']:.2f}/{rec['repeat_charts_mb']:.2f}MB; Voila CPU {rec['server_process_cpu_s']:.2f}s"
                        )
                    except Exception as exc:
                        msg = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                        log(f"load {i} {name} FAILED: {msg}")
                        if i > 0:
                            errors[name].append(msg)
                    finally:
                        try:  # leaving the page sends Voila's shutdown beacon for its kernel
                            page.goto("about:blank", timeout=10000)
                            page.wait_for_timeout(200)
                        except Exception:
                            pass
                        context.close()
                    left = server.wait_kernels(0, timeout=20)
                    if left:
                        log(f"note: {left} kernel(s) still running after the page was closed")
        finally:
            browser.close()
    return {"samples": results, "errors": errors}


CLICK_JS = """
async ([i, round]) => {
  const item = document.querySelectorAll('.kit-quiz[data-quiz="01_history"] .kit-quiz-item')[i];
  const inputs = item.querySelectorAll('input');
  inputs[round % inputs.length].checked = !inputs[round % inputs.length].checked || inputs[0].type === 'radio';
  const area = item.querySelector('.kit-feedback-area');
  return await new Promise((resolve) => {
    const t0 = performance.now();
    const mo = new MutationObserver(() => { mo.disconnect(); resolve(performance.now() - t0); });
    mo.observe(area, {childList: true, subtree: true, characterData: true});
    item.querySelector('.kit-check').click();
    setTimeout(() => { mo.disconnect(); resolve(-1); }, 5000);
  });
}
"""


def click_latency(server: Server, timeout_s: float, rounds: int = 2) -> dict:
    """Click to feedback on History's knowledge check, measured inside the page.

    Each item is answered ``rounds`` times with a different choice each time (an answer equal
    to the last one changes nothing on screen), from the click until the feedback is redrawn.
    """
    from playwright.sync_api import sync_playwright

    timeout_ms = int(timeout_s * 1000)
    times, failed = [], 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{server.base}/voila/render/01_history.ipynb", timeout=timeout_ms)
            page.locator(".kit-complete-card").first.wait_for(state="attached", timeout=timeout_ms)
            n = page.locator('.kit-quiz[data-quiz="01_history"] .kit-quiz-item').count()
            for r in range(rounds):
                for i in range(n):
                    ms = page.evaluate(CLICK_JS, [i, r])
                    if ms < 0:
                        failed += 1
                    else:
                        times.append(ms)
            page.goto("about:blank")
            context.close()
        finally:
            browser.close()
    return {
        "n": len(times),
        "failed": failed,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "samples_ms": times,
    }


# --------------------------------------------------------------------------- concurrent learners

CROWD_PAGE = "01_history"


def busy_title() -> str:
    """The busy page's heading as the site shows it (data/ui/en.yaml), to recognise that page."""
    try:
        import yaml

        ui = yaml.safe_load((ROOT / "data" / "ui" / "en.yaml").read_text())
        return str(ui.get("busy-title") or "The course is busy")
    except Exception:  # noqa: BLE001 - the stock wording is the fallback
        return "The course is busy"


def _msg(msg_type: str, session: str, content: dict | None = None) -> dict:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "bench",
            "session": session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": "",
        },
        "parent_header": {},
        "metadata": {},
        "content": content or {},
        "channel": "shell",
        "buffers": [],
    }


def decode_frame(frame) -> dict:
    """A Jupyter message from a kernel websocket frame: JSON text, or jupyter_server's binary
    framing for messages with buffers (uint32 count, uint32 offsets, the JSON, the buffers)."""
    if isinstance(frame, str):
        return json.loads(frame)
    nbufs = struct.unpack("!I", frame[:4])[0]
    offsets = struct.unpack("!" + "I" * nbufs, frame[4 : 4 + 4 * nbufs])
    stop = offsets[1] if nbufs > 1 else len(frame)
    return json.loads(frame[offsets[0] : stop].decode("utf-8"))


class Learner(threading.Thread):
    """One learner opening the page as its JavaScript would, over HTTP and websockets.

    GET the page, kernel_info over the kernel's websocket, ask Voila to run the cells
    (progressive rendering), then press the first *Check* of the knowledge check with nothing
    chosen (a widget comm message) and wait for the kernel's feedback: that is the
    browser benchmark's definition of "interactive" for a module page.
    """

    def __init__(
        self,
        n,
        server: Server,
        page: str,
        start: threading.Event,
        leave: threading.Event,
        timeout: float,
        busy_text: str,
    ):
        super().__init__(daemon=True, name=f"learner-{n}")
        self.server = server
        self.url = f"{server.base}/voila/render/{page}.ipynb"
        self.quiz_id = page.rsplit("/", 1)[-1]
        self.start_evt, self.leave_evt, self.timeout = start, leave, timeout
        self.busy_text = busy_text
        self.status = "failed"
        self.reason = "did not run"
        self.first_byte_s = self.http_s = self.reply_s = self.cells_s = self.tti_s = self.click_ms = None
        self.kernel_id = None
        self.sockets = []
        self.session = requests.Session()

    def run(self):
        self.start_evt.wait()
        t0 = time.perf_counter()
        try:
            self._run(t0)
        except Exception as exc:
            self.status, self.reason = "failed", f"{type(exc).__name__}: {exc}"[:200]
        finally:
            self.done_at = time.perf_counter()
            self._stay()
            for ws in self.sockets:
                try:
                    ws.close()
                except Exception:
                    pass

    def _stay(self):
        """Stay connected until told to leave, reading (and dropping) what arrives: the server
        pings every websocket every 30 s and closes one that has not answered within 90 s, and
        websocket-client answers a ping only inside recv(), as a browser would at any time."""
        until = time.time() + self.timeout * 2
        while not self.leave_evt.is_set() and time.time() < until:
            for ws in list(self.sockets):
                try:
                    ws.settimeout(0.05)
                    while True:
                        ws.recv()
                except websocket.WebSocketTimeoutException:
                    pass
                except Exception:  # noqa: BLE001 - a closed socket is left alone
                    self.sockets.remove(ws)
            self.leave_evt.wait(1.0)

    def _recv(self, ws, deadline) -> dict:
        left = deadline - time.time()
        if left <= 0:
            raise TimeoutError(f"no answer within {self.timeout:.0f} s")
        ws.settimeout(left)
        return decode_frame(ws.recv())

    def shutdown(self):
        """What a closed tab does: Voila's shutdown beacon (used for the warm-up learner only)."""
        if self.kernel_id:
            xsrf = self.session.cookies.get("_xsrf", "")
            self.session.post(
                f"{self.server.base}/voila/api/shutdown/{self.kernel_id}", headers={"X-XSRFToken": xsrf}, timeout=30
            )

    def _run(self, t0):
        deadline = time.time() + self.timeout
        # The page is streamed (progressive rendering): note its first bytes, then read it all.
        with self.session.get(self.url, timeout=self.timeout, stream=True) as r:
            chunks = []
            for chunk in r.iter_content(chunk_size=None):
                if not chunks:
                    self.first_byte_s = time.perf_counter() - t0
                chunks.append(chunk)
                if time.time() > deadline:
                    # Voila sends a heartbeat every http_keep_alive_timeout seconds while the page
                    # waits, so the read itself never times out: give up at the learner's deadline.
                    self.reason = (
                        f"page not finished within {self.timeout:.0f} s "
                        f"(first bytes at {self.first_byte_s:.1f} s, then only heartbeats)"
                    )
                    return
            body = b"".join(chunks).decode(r.encoding or "utf-8", errors="replace")
        self.http_s = time.perf_counter() - t0
        if r.status_code == 503:
            if self.busy_text in body:
                self.status, self.reason = "busy", "HTTP 503, the busy page"
            else:
                self.reason = "HTTP 503 without the busy page"
            return
        if r.status_code != 200:
            self.reason = f"HTTP {r.status_code}"
            return
        if "</html>" not in body:
            self.reason = "page incomplete (no </html>)"
            return
        m = CONFIG_RE.search(body)
        if not m:
            self.reason = "no jupyter-config-data in page"
            return
        kid = self.kernel_id = json.loads(m.group(1)).get("kernelId")
        if not kid:
            self.reason = "no kernelId in page config"
            return
        ws_base = self.server.base.replace("http://", "ws://")
        session = uuid.uuid4().hex
        # The page's cookies go with its websockets, as a browser's do: the site answers a kernel's
        # websockets only for the browser that opened it (its binding cookie; docs/deploying.md).
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        # 1. the kernel's websocket: kernel_info_request -> kernel_info_reply
        kws = websocket.create_connection(f"{ws_base}/api/kernels/{kid}/channels", timeout=self.timeout, cookie=cookie)
        self.sockets.append(kws)
        req = _msg("kernel_info_request", session)
        kws.send(json.dumps(req))
        while True:
            reply = self._recv(kws, deadline)
            if (
                reply.get("parent_header", {}).get("msg_id") == req["header"]["msg_id"]
                and reply.get("msg_type") == "kernel_info_reply"
            ):
                break
        self.reply_s = time.perf_counter() - t0
        # 2. what the page itself does next with progressive rendering: ask Voila to run the cells
        ews = websocket.create_connection(f"{ws_base}/voila/execution/{kid}", timeout=self.timeout, cookie=cookie)
        self.sockets.append(ews)
        ews.send(json.dumps({"action": "execute", "payload": {"kernel_id": kid}}))
        while True:
            m = self._recv(ews, deadline)
            action, p = m.get("action"), m.get("payload", {})
            if action == "execution_error":
                self.reason = f"execution error: {p.get('error')}"
                return
            if action == "execution_result" and p.get("cell_index") == p.get("total_cell", 0) - 1:
                break
        self.cells_s = time.perf_counter() - t0
        # 3. the first Check of the knowledge check, pressed with nothing chosen. The widget's
        # comm_open went out on iopub, which the kernel websocket (open since step 1) receives.
        comm_id = item_id = None
        while comm_id is None:
            m = self._recv(kws, deadline)
            if m.get("msg_type") != "comm_open":
                continue
            c = m.get("content", {})
            state = (c.get("data") or {}).get("state") or {}
            if c.get("target_name") == "jupyter.widget" and state.get("quiz_id") == self.quiz_id and state.get("items"):
                comm_id, item_id = c["comm_id"], state["items"][0]["id"]
        click = _msg(
            "comm_msg",
            session,
            {
                "comm_id": comm_id,
                "data": {"method": "custom", "content": {"kind": "check", "item": item_id, "chosen": []}},
            },
        )
        t_click = time.perf_counter()
        kws.send(json.dumps(click))
        while True:
            m = self._recv(kws, deadline)
            c = m.get("content", {})
            if m.get("msg_type") == "comm_msg" and c.get("comm_id") == comm_id:
                fb = ((c.get("data") or {}).get("state") or {}).get("feedback") or {}
                if (fb.get(item_id) or {}).get("message"):
                    break
        now = time.perf_counter()
        self.tti_s, self.click_ms = now - t0, (now - t_click) * 1000
        self.status, self.reason = "rendered", ""


def warm_up(server: Server, timeout_s: float) -> dict:
    """One learner alone, not counted, so that the first crowd does not pay for cold caches;
    its kernel is then shut down as a closed tab would."""
    start, leave = threading.Event(), threading.Event()
    one = Learner(0, server, CROWD_PAGE, start, leave, timeout_s, busy_title())
    one.start()
    start.set()
    while not hasattr(one, "done_at"):
        time.sleep(0.1)
    try:
        one.shutdown()
    except requests.RequestException as exc:
        log(f"warm-up: shutdown request failed: {exc}")
    leave.set()
    one.join(timeout=10)
    left = server.wait_kernels(0, timeout=30)
    return {
        "status": one.status,
        "reason": one.reason,
        "tti_s": one.tti_s,
        "cells_s": one.cells_s,
        "kernels_left": left,
    }


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, over all cores."""
    t = psutil.cpu_times()
    total = sum(t)
    idle = t.idle + getattr(t, "iowait", 0.0)
    return total - idle, total


def learners_run(server: Server, n: int, timeout_s: float, cull_wait: float, cap: int | None = None) -> dict:
    """``n`` learners open the page at the same moment, stay connected until all are done,
    then disconnect without a shutdown beacon; the culler must give their kernels back."""
    before = server.rss_mb()
    start, leave = threading.Event(), threading.Event()
    busy_text = busy_title()
    crowd = [Learner(i, server, CROWD_PAGE, start, leave, timeout_s, busy_text) for i in range(n)]
    for t in crowd:
        t.start()
    peak = {"total_mb": 0.0, "server_mb": 0.0, "kernels_mb": 0.0, "kernels": 0}
    max_kernels = 0
    stop_mon = threading.Event()

    def monitor():
        nonlocal max_kernels
        while not stop_mon.is_set():
            s, k, nk = server.rss_mb()
            max_kernels = max(max_kernels, nk)
            if s + k > peak["total_mb"]:
                peak.update(total_mb=s + k, server_mb=s, kernels_mb=k, kernels=nk)
            time.sleep(0.5)

    mon = threading.Thread(target=monitor, daemon=True)
    mon.start()
    me = psutil.Process()
    client0 = sum(me.cpu_times()[:2])
    cpu0 = server.cpu_snapshot()
    machine0 = machine_busy()
    t0 = time.perf_counter()
    start.set()
    deadline = time.time() + timeout_s + 30

    def snapshot():
        return time.perf_counter() - t0, machine_busy(), server.cpu_snapshot(), sum(me.cpu_times()[:2])

    # CPU is taken when the last learner who was served (page or busy page) is done, so that a
    # learner left hanging until the timeout does not dilute the figures with idle time.
    served, last = 0, None
    while time.time() < deadline:
        finished = [t for t in crowd if hasattr(t, "done_at")]
        ok = sum(1 for t in finished if t.status != "failed")
        if ok > served or last is None:
            served, last = ok, snapshot()
        if len(finished) == n:
            break
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    wall_served, machine1, cpu1, client1 = last
    cpu_s = Server.cpu_delta(cpu0, cpu1)
    # the Voila server's own process (one Python event loop: it can use one core at most)
    server_own_s = sum(v - cpu0.get(k, 0.0) for k, v in cpu1.items() if k[0] == server.ps.pid)
    client_cpu_s = client1 - client0
    time.sleep(1.0)  # one more memory sample with everyone still connected
    leave.set()  # learners disconnect (close their websockets) without a shutdown beacon
    for t in crowd:
        t.join(timeout=10)
    stop_mon.set()
    mon.join()
    after_leave = server.rss_mb()
    log(
        f"{n} learners done in {wall:.1f}s; waiting up to {cull_wait:.0f}s for idle kernels to be culled "
        f"({after_leave[2]} kernels now)"
    )
    t_cull = time.perf_counter()
    left = server.wait_kernels(0, timeout=cull_wait, poll=2.0)
    culled_after = time.perf_counter() - t_cull
    after = server.rss_mb()

    rendered = [t for t in crowd if t.status == "rendered"]
    busy = [t for t in crowd if t.status == "busy"]
    failed = [t for t in crowd if t.status == "failed"]
    reasons: dict[str, int] = {}
    for t in failed:
        reasons[t.reason] = reasons.get(t.reason, 0) + 1
    added = peak["total_mb"] - (before[0] + before[1])
    given_back = peak["total_mb"] - (after[0] + after[1])
    busy_cpu, total_cpu = machine1[0] - machine0[0], machine1[1] - machine0[1]

    def pct(attr):
        xs = [getattr(t, attr) for t in rendered]
        return {"p50": percentile(xs, 50), "p95": percentile(xs, 95), "max": max(xs) if xs else None}

    return {
        "learners": n,
        "page": CROWD_PAGE,
        "cap": cap,
        "rendered": len(rendered),
        "busy": len(busy),
        "failed": len(failed),
        "failure_reasons": reasons,
        "tti_s": pct("tti_s"),
        "reply_s": pct("reply_s"),
        "cells_s": pct("cells_s"),
        "first_byte_s": pct("first_byte_s"),
        "http_s": pct("http_s"),
        "click_ms": pct("click_ms"),
        "busy_http_s": {
            "p50": percentile([t.http_s for t in busy], 50),
            "max": max((t.http_s for t in busy), default=None),
        },
        "wall_s": wall,
        "wall_served_s": wall_served,
        "server_cpu_s": cpu_s,
        "server_cpu_per_learner_s": cpu_s / len(rendered) if rendered else None,
        "server_process_cpu_s": server_own_s,
        "server_process_busy_pct": 100.0 * server_own_s / wall_served if wall_served else None,
        "client_cpu_s": client_cpu_s,
        "machine_cpu_busy_pct": 100.0 * busy_cpu / total_cpu if total_cpu else None,
        "other_cpu_s": max(0.0, busy_cpu - cpu_s - client_cpu_s),
        "max_kernels_seen": max_kernels,
        "memory_before_mb": {"server": before[0], "kernels": before[1], "kernel_count": before[2]},
        "memory_peak_mb": peak,
        "memory_per_learner_mb": added / len(rendered) if rendered else None,
        "kernel_mb_mean": peak["kernels_mb"] / peak["kernels"] if peak["kernels"] else None,
        "memory_after_disconnect_mb": {
            "server": after_leave[0],
            "kernels": after_leave[1],
            "kernel_count": after_leave[2],
        },
        "memory_after_cull_mb": {
            "server": after[0],
            "kernels": after[1],
            "kernel_count": after[2],
            "total": after[0] + after[1],
        },
        "memory_given_back_mb": given_back,
        "kernels_left_after_cull_wait": left,
        "cull_wait_s": culled_after,
        "machine_memory_mb": psutil.virtual_memory().total / 2**20,
        "samples": [
            {
                "status": t.status,
                "reason": t.reason,
                "first_byte_s": t.first_byte_s,
                "http_s": t.http_s,
                "reply_s": t.reply_s,
                "cells_s": t.cells_s,
                "tti_s": t.tti_s,
                "click_ms": t.click_ms,
            }
            for t in crowd
        ],
    }


# --------------------------------------------------------------------------- report


def fmt(x, nd=2, unit=""):
    return "n/a" if x is None else f"{x:.{nd}f}{unit}"


SUMMARY_KEYS = (
    "tti_s",
    "visible_s",
    "repeat_tti_s",
    "cpu_s",
    "server_process_cpu_s",
    "kernel_mb",
    "first_mb",
    "repeat_mb",
    "first_http_mb",
    "first_ws_mb",
    "repeat_http_mb",
    "repeat_ws_mb",
    "first_charts_mb",
    "repeat_charts_mb",
    "charts",
)


def summarize(loads: dict) -> dict:
    summary = {}
    for name in PAGES:
        s = loads["samples"][name]
        summary[name] = {k: median([r.get(k) for r in s]) for k in SUMMARY_KEYS}
        summary[name]["n"] = len(s)
        summary[name]["failed"] = len(loads["errors"][name])
    bare = summary["bare"]
    for name in PAGES:
        ratio = {}
        for k in ("tti_s", "cpu_s", "server_process_cpu_s", "kernel_mb", "first_mb", "repeat_mb"):
            a, b = summary[name][k], bare[k]
            ratio[k] = a / b if a is not None and b else None
        summary[name]["ratio_to_bare"] = ratio
    return summary


def crowd_report(crowds: list[dict], meta: dict) -> list[str]:
    lines = []
    cap = meta["voila_json"].get("CourseVoila", {}).get("max_kernels")
    cap_note = crowds[0].get("cap") if crowds else cap
    lines.append(
        f"Crowds on {CROWD_PAGE} (HTTP+websocket clients started together; kernel cap max_kernels={cap_note}; "
        f"{meta['cpus']} CPUs, {crowds[0]['machine_memory_mb'] / 1024:.0f} GB)"
        if crowds
        else ""
    )
    head = (
        f"{'learners':>8}{'rendered':>9}{'busy':>6}{'failed':>7}{'TTI p50':>9}{'TTI p95':>9}{'kernels':>8}"
        f"{'MB/learner':>11}{'peak MB':>9}{'after cull':>11}{'given back':>11}{'CPU busy':>9}"
    )
    lines.append(head)
    lines.append("-" * len(head))
    for c in crowds:
        lines.append(
            f"{c['learners']:>8}{c['rendered']:>9}{c['busy']:>6}{c['failed']:>7}{fmt(c['tti_s']['p50'], 1, ' s'):>9}"
            f"{fmt(c['tti_s']['p95'], 1, ' s'):>9}{c['max_kernels_seen']:>8}{fmt(c['memory_per_learner_mb'], 0):>11}"
            f"{c['memory_peak_mb']['total_mb']:>9.0f}{c['memory_after_cull_mb']['total']:>11.0f}"
            f"{c['memory_given_back_mb']:>11.0f}{fmt(c['machine_cpu_busy_pct'], 0, ' %'):>9}"
        )
    for c in crowds:
        lines.append("")
        lines.append(
            f"{c['learners']} learners: rendered {c['rendered']}   busy (HTTP 503, the busy page) {c['busy']}   "
            f"failed {c['failed']}   most kernels at once {c['max_kernels_seen']}   wall {c['wall_s']:.1f} s"
            + (f" (the last served learner at {c['wall_served_s']:.1f} s)" if c["failed"] else "")
        )
        if c.get("cap") is not None and c["max_kernels_seen"] > c["cap"]:
            lines.append(
                f"  NOTE: more kernels ran at once ({c['max_kernels_seen']}) than the cap max_kernels={c['cap']}"
            )
        if c["kernels_left_after_cull_wait"]:
            lines.append(
                f"  NOTE: {c['kernels_left_after_cull_wait']} kernel(s) not culled within {c['cull_wait_s']:.0f} s"
            )
        for reason, k in c["failure_reasons"].items():
            lines.append(f"    failed x{k}: {reason}")
        lines.append(
            f"  first bytes of the page     p50 {fmt(c['first_byte_s']['p50'])} s   p95 {fmt(c['first_byte_s']['p95'])} s"
        )
        lines.append(f"  whole page (HTTP)           p50 {fmt(c['http_s']['p50'])} s   p95 {fmt(c['http_s']['p95'])} s")
        lines.append(
            f"  time to kernel_info_reply   p50 {fmt(c['reply_s']['p50'])} s   p95 {fmt(c['reply_s']['p95'])} s"
        )
        lines.append(
            f"  time to all cells executed  p50 {fmt(c['cells_s']['p50'])} s   p95 {fmt(c['cells_s']['p95'])} s"
        )
        lines.append(
            f"  time to interactive         p50 {fmt(c['tti_s']['p50'])} s   p95 {fmt(c['tti_s']['p95'])} s   "
            f"max {fmt(c['tti_s']['max'])} s   (first Check answered; the click itself p50 {fmt(c['click_ms']['p50'], 0)} ms)"
        )
        if c["busy"]:
            lines.append(
                f"  busy page answered in       p50 {fmt(c['busy_http_s']['p50'])} s   max {fmt(c['busy_http_s']['max'])} s"
            )
        lines.append(f"  CPU until the last served learner was done ({c['wall_served_s']:.1f} s):")
        lines.append(
            f"       server and kernels {c['server_cpu_s']:.1f} s ({fmt(c['server_cpu_per_learner_s'])} s per rendered learner), "
            f"of which the Voila process itself {c['server_process_cpu_s']:.1f} s "
            f"({fmt(c['server_process_busy_pct'], 0)} % of one core);"
        )
        lines.append(
            f"       the learner clients {c['client_cpu_s']:.1f} s; anything else {c['other_cpu_s']:.1f} s; "
            f"machine busy {fmt(c['machine_cpu_busy_pct'], 0)} % of all cores"
        )
        b, p, a, d = (
            c["memory_before_mb"],
            c["memory_peak_mb"],
            c["memory_after_cull_mb"],
            c["memory_after_disconnect_mb"],
        )
        lines.append(
            f"  memory before      server {b['server']:.0f} MB + kernels {b['kernels']:.0f} MB ({b['kernel_count']} kernels)"
        )
        lines.append(
            f"  memory at peak     server {p['server_mb']:.0f} MB + kernels {p['kernels_mb']:.0f} MB = {p['total_mb']:.0f} MB "
            f"({p['kernels']} kernels, {fmt(c['kernel_mb_mean'], 0)} MB each; {fmt(c['memory_per_learner_mb'], 0)} MB added per rendered learner)"
        )
        lines.append(
            f"  after disconnect   server {d['server']:.0f} MB + kernels {d['kernels']:.0f} MB ({d['kernel_count']} kernels)"
        )
        lines.append(
            f"  after culling      server {a['server']:.0f} MB + kernels {a['kernels']:.0f} MB = {a['total']:.0f} MB "
            f"({a['kernel_count']} kernels left, waited {c['cull_wait_s']:.0f} s; {c['memory_given_back_mb']:.0f} MB given back)"
        )
    return lines


def report(meta: dict, summary: dict | None, crowds: list[dict], clicks: dict | None = None) -> str:
    lines = []
    what = [f"{meta['mode']}"]
    if summary is not None:
        what.append(f"N={meta['runs']} loads/page after 1 warm-up")
    if meta["crowds"]:
        what.append("crowds of " + ", ".join(str(n) for n in meta["crowds"]) + " learners")
    lines.append(f"Balint Course Kit benchmark  {meta['started']}  ({'; '.join(what)}; {meta['cpus']} CPUs)")
    if meta.get("server_args"):
        lines.append("server options: " + " ".join(meta["server_args"]))
    if summary is not None:
        lines.append("")
        lines.append("Browser loads (medians)")
        head = (
            f"{'page':<22}{'n':>3}{'TTI s':>8}{'shown s':>9}{'repeat TTI s':>14}{'server CPU s':>14}{'Voila CPU s':>13}"
            f"{'kernel MB':>11}{'first MB':>10}{'repeat MB':>11}"
        )
        lines.append(head)
        lines.append("-" * len(head))
        for name in PAGES:
            s = summary[name]
            lines.append(
                f"{name:<22}{s['n']:>3}{fmt(s['tti_s']):>8}{fmt(s['visible_s']):>9}{fmt(s['repeat_tti_s']):>14}"
                f"{fmt(s['cpu_s']):>14}{fmt(s.get('server_process_cpu_s')):>13}{fmt(s['kernel_mb'], 0):>11}"
                f"{fmt(s['first_mb']):>10}{fmt(s['repeat_mb']):>11}"
                + (f"   ({s['failed']} failed)" if s["failed"] else "")
            )
        lines.append("")
        lines.append(
            "Bytes on the wire (medians, MB): HTTP as transferred (compressed where the server compressed) + websocket payload"
        )
        lines.append(
            "at interactive (first MB = first HTTP + first ws), then with every chart scrolled into view and drawn"
        )
        head = (
            f"{'page':<22}{'first HTTP':>12}{'first ws':>10}{'repeat HTTP':>13}{'repeat ws':>11}"
            f"{'charts':>8}{'first+charts':>14}{'repeat+charts':>15}"
        )
        lines.append(head)
        lines.append("-" * len(head))
        for name in PAGES:
            s = summary[name]
            lines.append(
                f"{name:<22}{fmt(s.get('first_http_mb')):>12}{fmt(s.get('first_ws_mb')):>10}"
                f"{fmt(s.get('repeat_http_mb')):>13}{fmt(s.get('repeat_ws_mb')):>11}{fmt(s.get('charts'), 0):>8}"
                f"{fmt(s.get('first_charts_mb')):>14}{fmt(s.get('repeat_charts_mb')):>15}"
            )
        lines.append("")
        lines.append("Ratio to the bare page (median / median)")
        head = f"{'page':<22}{'TTI':>8}{'server CPU':>12}{'Voila CPU':>11}{'kernel MB':>11}{'first MB':>10}{'repeat MB':>11}"
        lines.append(head)
        lines.append("-" * len(head))
        for name in PAGES[1:]:
            r = summary[name]["ratio_to_bare"]
            lines.append(
                f"{name:<22}{fmt(r['tti_s'], 1, 'x'):>8}{fmt(r['cpu_s'], 1, 'x'):>12}{fmt(r['server_process_cpu_s'], 1, 'x'):>11}"
                f"{fmt(r['kernel_mb'], 1, 'x'):>11}"
                f"{fmt(r['first_mb'], 1, 'x'):>10}{fmt(r['repeat_mb'], 1, 'x'):>11}"
            )
    if clicks:
        lines.append("")
        lines.append(
            f"Click to feedback on 01_history's knowledge check ({clicks['n']} clicks, {clicks['failed']} unanswered): "
            f"p50 {fmt(clicks['p50_ms'], 0)} ms   p95 {fmt(clicks['p95_ms'], 0)} ms   (aim: p95 under 150 ms)"
        )
    if crowds:
        lines.append("")
        lines += crowd_report(crowds, meta)
    return "\n".join(lines)


def parse_crowds(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if any(n < 0 for n in sizes):
        raise argparse.ArgumentTypeError("crowd sizes must be positive")
    return [n for n in sizes if n > 0]


def parse_pages(text: str) -> list[str]:
    pages = [p.strip().removesuffix(".ipynb") for p in text.split(",") if p.strip()]
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown page(s) {', '.join(unknown)}; the pages are {', '.join(PAGES)}")
    return pages


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="N=2 loads per page and one crowd of 10 learners")
    ap.add_argument("--runs", type=int, help="loads per page after the warm-up (default 5, --quick 2)")
    ap.add_argument(
        "--crowds",
        type=parse_crowds,
        help="crowd sizes, run one after the other, e.g. 30,60 (default 30,60; --quick 10; 0 skips)",
    )
    ap.add_argument("--learners", type=int, help="one crowd of N learners (the same as --crowds N; 0 skips)")
    ap.add_argument(
        "--only-crowds",
        action="store_true",
        help="run only the crowds (no browser loads, no click timing); JSON to results/crowds.json",
    )
    ap.add_argument(
        "--pages",
        type=parse_pages,
        help="course pages to load, comma-separated, e.g. index,04_leadership (default: all; bare is always loaded first)",
    )
    ap.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds one page load or learner may take")
    ap.add_argument("--cull-wait", type=float, default=120, help="seconds to wait for idle kernels to be culled")
    ap.add_argument("--out", help="JSON file (default results/latest.json; with --only-crowds results/crowds.json)")
    ap.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="extra option for the server, e.g. --server-arg=--VoilaConfiguration.preheat_kernel=True (repeatable)",
    )
    args = ap.parse_args(argv)
    global PAGES
    if args.pages:
        PAGES = ["bare", *[p for p in args.pages if p != "bare"]]
    if args.crowds is not None and args.learners is not None:
        ap.error("give --crowds or --learners, not both")
    runs = args.runs if args.runs is not None else (2 if args.quick else 5)
    if args.crowds is not None:
        crowds = args.crowds
    elif args.learners is not None:
        crowds = [args.learners] if args.learners > 0 else []
    else:
        crowds = [10] if args.quick else [30, 60]
    if args.only_crowds and not crowds:
        ap.error("--only-crowds with no crowd to run")
    out_path = Path(args.out) if args.out else RESULTS / ("crowds.json" if args.only_crowds else "latest.json")

    def _interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    # Ctrl-C and SIGTERM both end the run through the cleanup below (stop the server).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)

    started = time.time()
    voila_json = json.loads((ROOT / "voila.json").read_text())
    cap = voila_json.get("CourseVoila", {}).get("max_kernels")
    for a in args.server_arg:  # a cap given on the command line wins over voila.json
        m = re.fullmatch(r"--(?:CourseVoila\.)?max_kernels=(\d+)", a)
        if m:
            cap = int(m.group(1))
    vm = psutil.virtual_memory()
    meta = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "mode": "crowds only" if args.only_crowds else ("quick" if args.quick else "full"),
        "runs": None if args.only_crowds else runs,
        "pages": None if args.only_crowds else list(PAGES),
        "crowds": crowds,
        "cpus": os.cpu_count(),
        "memory_mb": vm.total / 2**20,
        "load_average_at_start": os.getloadavg(),
        "server_args": list(args.server_arg),
        "max_kernels": cap,
        "voila_json": voila_json,
    }
    server = Server(args.port or free_port())
    server.extra_args = list(args.server_arg)
    result = {"meta": meta}
    status = 0
    try:
        log(f"starting the course site on {server.base} (root {server.root})")
        server.start()
        summary = clicks = None
        if not args.only_crowds:
            log("browser loads")
            loads = browser_loads(server, runs, args.timeout)
            log("click to feedback on 01_history's knowledge check")
            clicks = click_latency(server, args.timeout)
            summary = summarize(loads)
            result.update(loads=loads, summary=summary, clicks=clicks)
        done = []
        if crowds:
            left = server.wait_kernels(0, timeout=30)
            if left:
                log(f"note: {left} kernel(s) from the browser loads still running")
            log("warm-up learner (not counted)")
            result["crowd_warm_up"] = warm_up(server, args.timeout)
            log(f"warm-up: {result['crowd_warm_up']['status']} {result['crowd_warm_up']['reason']}")
            result["crowds"] = done
            for n in crowds:
                left = len(server.kernels())
                if left:
                    log(f"note: {left} kernel(s) still running before the crowd of {n}")
                log(f"crowd of {n} concurrent learners")
                done.append(learners_run(server, n, args.timeout, args.cull_wait, cap))
                c = done[-1]
                log(
                    f"{n} learners: rendered {c['rendered']}, busy {c['busy']}, failed {c['failed']}, "
                    f"TTI p50 {fmt(c['tti_s']['p50'])} s p95 {fmt(c['tti_s']['p95'])} s"
                )
        meta["duration_s"] = time.time() - started
        if any(c["failed"] for c in done):
            kept = out_path.with_name(out_path.stem + "-server.log")
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(server.log_path, kept)
            result["server_log"] = str(kept)
            log(f"some learners failed: the server's log is kept in {kept}")
        print(report(meta, summary, done, clicks))
        print(f"\nTook {meta['duration_s']:.0f} s. JSON: {out_path}")
    except KeyboardInterrupt:
        log("interrupted")
        status = 130
    except Exception:
        log("benchmark failed:\n" + traceback.format_exc())
        log("server log (tail):\n" + server.tail())
        result["error"] = traceback.format_exc()
        status = 1
    finally:
        server.stop()
        server.cleanup()
        meta.setdefault("duration_s", time.time() - started)
        try:
            out_path.parent.mkdir(parents=True, exist_ok=True)
            out_path.write_text(json.dumps(result, indent=2, default=str))
        except OSError as exc:
            log(f"could not write {out_path}: {exc}")
    return status


if __name__ == "__main__":
    sys.exit(main())
