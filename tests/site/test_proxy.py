"""The course site behind the shipped nginx front (deploy/nginx/), on loopback, as on the internet.

The test runs Debian's nginx (installed by `make test`) with deploy/nginx/balint-course.conf as
shipped, changing only what must change on a test machine: the ports (free ones on 127.0.0.1),
the server name, the certificate (a throw-away self-signed one) and the upstream (the course site
started here with ``--CourseVoila.trust_xheaders=True``, as the file's header says). Each
replacement must find its text, so the test breaks if the shipped file changes shape.
Expected values are written out by hand.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from .conftest import ROOT, Server, free_port

pytestmark = pytest.mark.site

NGINX = "/usr/sbin/nginx"
SHIPPED = ROOT / "deploy" / "nginx"


def render(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx no longer has {old!r}: update this test with it"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("Debian's nginx is not installed: run `make test`, which installs it")
    folder = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = Server(
        extra_args=["--CourseVoila.trust_xheaders=True"],
        log_name="proxied-site.log",
        env={"BALINT_KIT_POLL_DB": str(folder / "poll.sqlite")},
    )
    tls, plain = free_port(), free_port()
    (folder / "proxy.conf").write_text((SHIPPED / "balint-course-proxy.conf").read_text())
    conf = render(
        (SHIPPED / "balint-course.conf").read_text(),
        {
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{site.port};",
            "listen 80;": f"listen 127.0.0.1:{plain};",
            "listen 443 ssl;": f"listen 127.0.0.1:{tls} ssl;",
            "server_name course.example.org;": "server_name localhost 127.0.0.1;",
            "/etc/ssl/balint-course/fullchain.pem": str(folder / "cert.pem"),
            "/etc/ssl/balint-course/privkey.pem": str(folder / "key.pem"),
            "/etc/nginx/balint-course-proxy.conf": str(folder / "proxy.conf"),
        },
    )
    (folder / "balint-course.conf").write_text(conf)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir()
    (folder / "nginx.conf").write_text(
        f"""
        # As root the workers would switch to a user that cannot write this test's folders.
        user root;
        daemon off;
        worker_processes 1;
        pid {folder}/nginx.pid;
        error_log {folder}/error.log warn;
        events {{ worker_connections 1024; }}
        http {{
            access_log {folder}/access.log;
            client_body_temp_path {folder}/body;
            proxy_temp_path {folder}/proxy;
            fastcgi_temp_path {folder}/fastcgi;
            uwsgi_temp_path {folder}/uwsgi;
            scgi_temp_path {folder}/scgi;
            include {folder}/balint-course.conf;
        }}
        """
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", tls), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    info = {
        "site": site,
        "https": f"https://127.0.0.1:{tls}",
        "http": f"http://127.0.0.1:{plain}",
        "cert": str(folder / "cert.pem"),
        "folder": folder,
    }
    try:
        yield info
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        site.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_learner_reaches_the_course_over_tls_with_its_kernel_through_the_proxy(proxied, browser):
    r = requests.get(proxied["http"] + "/voila/render/index.ipynb", allow_redirects=False, timeout=30)
    assert r.status_code == 301
    assert r.headers["Location"] == "https://127.0.0.1/voila/render/index.ipynb"  # port 443 on a real server
    r = requests.get(proxied["https"] + "/kit/static/kit.css", verify=proxied["cert"], timeout=30)
    assert r.status_code == 200
    assert r.headers["Server"] == "nginx"  # no version
    assert r.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert r.headers["Content-Security-Policy"].startswith("default-src 'self'")
    # A real page in chromium: its widgets need the kernel's websocket, through the proxy.
    context = browser.new_context(ignore_https_errors=True)
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(proxied["https"] + "/voila/render/index.ipynb", timeout=120_000)
        page.wait_for_selector(".kit-course-map", timeout=120_000)
        # Over TLS the site's cookies are Secure too (the proxy says the scheme is https).
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["kit_poll_xsrf"]["secure"] and cookies["_xsrf"]["sameSite"] == "Lax"
    finally:
        context.close()
    assert errors == []


def test_a_client_cannot_choose_the_address_it_is_counted_by(proxied):
    # The site counts classes opened per address (20 an hour). Through the proxy, a client that
    # sends made-up X-Real-IP / X-Forwarded-For headers is still counted as itself.
    s = requests.Session()
    cert = proxied["cert"]  # per request: requests lets the environment override a Session's verify
    assert s.get(proxied["https"] + "/voila/render/index.ipynb", verify=cert, timeout=120).status_code == 200
    s.headers["X-Kit-Poll-Token"] = s.cookies["kit_poll_xsrf"]
    statuses = []
    for n in range(22):
        spoof = f"203.0.113.{n + 1}"
        r = s.post(
            proxied["https"] + "/kit/poll/classes",
            headers={"X-Real-IP": spoof, "X-Forwarded-For": spoof},
            verify=cert,
            timeout=30,
        )
        statuses.append(r.status_code)
    assert statuses == [201] * 20 + [429] * 2


# Last: the flood uses up this address's page allowance for the rest of the module.
def test_a_class_behind_one_address_gets_in_and_a_flood_of_pages_does_not(proxied):
    # A course page starts a kernel, so pages have their own limit: 2 a second per address with a
    # burst of 80 (deploy/nginx). A missing page (404 from the site) costs the same at the proxy
    # and starts no kernel, so the counts below are the proxy's alone.
    url = proxied["https"] + "/voila/render/no-such-page.ipynb"
    statuses: list[int] = []
    lock = threading.Lock()

    def fetch():
        r = requests.get(url, verify=proxied["cert"], timeout=60)
        with lock:
            statuses.append(r.status_code)

    start = time.monotonic()
    class_of_40 = [threading.Thread(target=fetch) for _ in range(40)]
    for t in class_of_40:
        t.start()
    for t in class_of_40:
        t.join()
    assert statuses == [404] * 40  # all 40 reached the site
    statuses.clear()

    def script():
        # A script keeps its connection (one TLS handshake) and asks again and again.
        with requests.Session() as s:
            for _ in range(10):
                r = s.get(url, verify=proxied["cert"], timeout=60)
                with lock:
                    statuses.append(r.status_code)

    flood = [threading.Thread(target=script) for _ in range(10)]
    for t in flood:
        t.start()
    for t in flood:
        t.join()
    elapsed = time.monotonic() - start
    passed = statuses.count(404)
    # 80 in the burst, 40 of them used by the class; the zone refills 2 a second from the start.
    assert statuses.count(429) == 100 - passed
    assert passed <= 40 + int(2 * elapsed) + 1, (passed, elapsed)
    assert passed < 100
