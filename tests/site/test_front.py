"""The site's front door, attacked over HTTP as a hostile visitor would (kitserver/front.py, kitserver/app.py).

What a security tester found on the site as shipped, each as a request against the real server:
a Content-Security-Policy of ``frame-ancestors`` only, static files with no security header at
all, cookies without ``SameSite``, a 30-day anonymous identity cookie, ``Server:
TornadoServer/6.6.1``, any ``Host`` answered (DNS rebinding), and 500s with tracebacks in the log
for ``/logout``, ``/voila/templates/foo`` and the 404 page of ``/voila/labextensions/x``.
Expected values are written out by hand. The browser tests load every page under this policy
and fail on any console error, which is where a CSP violation shows.
"""

from __future__ import annotations

import http.client
import re
import time
from email.utils import parsedate_to_datetime

import pytest
import requests

pytestmark = pytest.mark.site

POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def get(site, path: str, host: str | None = None) -> http.client.HTTPResponse:
    """A GET with a Host header of our choosing (requests would send the URL's)."""
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{site.port}")
    conn.endheaders()
    r = conn.getresponse()
    r.body = r.read()
    conn.close()
    return r


def test_every_kind_of_response_carries_the_security_headers(site):
    session = requests.Session()
    responses = {
        "page": session.get(site.url + "/voila/render/index.ipynb", timeout=120),
        "kit asset": session.get(site.url + "/kit/static/kit.css", timeout=30),
        "plotly.js": session.get(site.url + "/kit/static/plotly/plotly.min.js", timeout=30),
        "Voila asset": session.get(site.url + "/voila/static/voila.js", timeout=30),
        "poll refusal": requests.post(site.url + "/kit/poll/classes", timeout=30),
        "not found": session.get(site.url + "/no/such/page", timeout=30),
        "kernel API": session.get(site.url + "/api/kernels", timeout=30),
    }
    for what, r in responses.items():
        assert r.headers.get("Content-Security-Policy") == POLICY, what
        assert r.headers.get("X-Content-Type-Options") == "nosniff", what
        assert r.headers.get("Referrer-Policy") == "same-origin", what
        assert "Server" not in r.headers, (what, r.headers.get("Server"))
    assert [r.status_code for r in responses.values()] == [200, 200, 200, 200, 403, 404, 404]


def test_every_cookie_is_samesite_lax_and_the_visitor_cookie_lasts_a_day(site):
    r = requests.get(site.url + "/voila/render/index.ipynb", timeout=120)
    cookies = r.raw.headers.getlist("Set-Cookie")
    names = sorted(c.split("=", 1)[0] for c in cookies)
    # The kernel's binding to this browser (a session cookie), the poll token, the visitor, _xsrf.
    assert names == ["_xsrf", f"kit-browser-127-0-0-1-{site.port}", "kit_poll_xsrf", f"username-127-0-0-1-{site.port}"]
    for cookie in cookies:
        assert re.search(r";\s*SameSite=Lax", cookie), cookie
    binding = next(c for c in cookies if c.startswith("kit-browser-"))
    assert "HttpOnly" in binding and "expires=" not in binding.lower()  # gone when the browser closes
    visitor = next(c for c in cookies if c.startswith("username-"))
    assert "HttpOnly" in visitor
    expires = parsedate_to_datetime(re.search(r"expires=([^;]+)", visitor).group(1)).timestamp()
    assert 23 * 3600 < expires - time.time() <= 24 * 3600 + 60  # was 30 days


def test_a_host_name_the_site_is_not_known_by_is_refused(site):
    # DNS rebinding: a page on evil.example whose name is pointed at 127.0.0.1 sends Host: evil.example.
    for path in ("/voila/render/index.ipynb", "/kit/static/kit.css", "/kit/poll/classes/ZZZZZ2/results", "/"):
        r = get(site, path, host="evil.example")
        assert r.status == 421, path
        assert r.body == b"This course site does not answer to that address. Open it by the address you were given.\n"
        assert r.getheader("Content-Security-Policy") == POLICY
    # The names the site is known by, with or without the port, answer.
    for host in (f"127.0.0.1:{site.port}", f"localhost:{site.port}", "localhost", f"[::1]:{site.port}", "LOCALHOST"):
        assert get(site, "/kit/static/kit.css", host=host).status == 200, host


def test_addresses_that_answered_500_now_answer_a_plain_404_and_log_one_line(site):
    before = len(site.log())
    paths = ["/logout", "/login", "/voila/templates/foo", "/voila/labextensions/x", "/voila/api/themes/x", "/nope"]
    for path in paths:
        r = requests.get(site.url + path, timeout=30, allow_redirects=False)
        assert r.status_code == 404, path
        assert "<h1>This page is not part of the course</h1>" in r.text, path
        assert "prefers-color-scheme: dark" in r.text, path  # the plain pages' shared style was included
        assert "Traceback" not in r.text and "static_path" not in r.text
    time.sleep(0.5)  # the last log lines are written after the answer
    log = site.log()[before:]
    assert "Traceback" not in log and "Uncaught exception" not in log
    assert "500" not in log
