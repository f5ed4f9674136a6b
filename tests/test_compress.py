"""Units of what the site sends over the wire: which requests take gzip, the compressing transform,
which static handlers get gzip copies, and which plotly.js bundle is served (kitserver/compress.py,
kitserver/plotly_bundle.py). The site itself is tested in tests/site/test_wire.py."""

from __future__ import annotations

import ast
import gzip
from pathlib import Path

import pytest
import tornado.web
from tornado import httputil

from kitserver import compress, plotly_bundle

ROOT = Path(__file__).resolve().parent.parent


def request(accept: str | None) -> httputil.HTTPServerRequest:
    headers = httputil.HTTPHeaders({"Host": "127.0.0.1"})
    if accept is not None:
        headers["Accept-Encoding"] = accept
    return httputil.HTTPServerRequest(headers=headers, start_line=httputil.RequestStartLine("GET", "/x", "HTTP/1.1"))


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip, deflate, br, zstd", True),  # Chrome over HTTPS
        ("gzip, deflate", True),  # Chrome over HTTP
        ("gzip;q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        ("gzip;q=0, *", False),  # an explicit refusal wins over the star
        ("gzip;q=0", False),
        ("identity", False),
        ("br", False),
        ("", False),
        (None, False),
        ("*;q=0", False),
        ("gzip;q=bad", False),
    ],
)
def test_which_requests_take_gzip(header, takes):
    assert compress.accepts_gzip(request(header)) is takes


def run_transform(accept, status, headers, chunks):
    t = compress.CompressResponses(request(accept))
    h = httputil.HTTPHeaders(headers)
    status, h, first = t.transform_first_chunk(status, h, chunks[0], len(chunks) == 1)
    rest = [t.transform_chunk(c, i == len(chunks) - 2) for i, c in enumerate(chunks[1:])]
    return status, h, first + b"".join(rest)


def test_a_streamed_html_page_is_gzipped_chunk_by_chunk():
    chunks = [b"<html><body>", b"<p>cell one</p>" * 50, b"<p>cell two</p></body></html>"]
    status, h, body = run_transform("gzip", 200, {"Content-Type": "text/html; charset=UTF-8"}, chunks)
    assert h["Content-Encoding"] == "gzip" and h["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == b"".join(chunks)


def test_each_chunk_is_flushed_so_that_the_browser_can_show_it_at_once():
    t = compress.CompressResponses(request("gzip"))
    _, _, first = t.transform_first_chunk(
        200, httputil.HTTPHeaders({"Content-Type": "text/html"}), b"<p>one</p>", False
    )
    # A sync flush ends on an empty stored block: 00 00 ff ff.
    assert first.endswith(b"\x00\x00\xff\xff")


def test_a_one_chunk_response_gets_its_new_length_and_a_weak_etag():
    body = b'{"a": "' + b"x" * 5000 + b'"}'
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), "Etag": '"abc"'}
    _, h, out = run_transform("gzip", 200, headers, [body])
    assert h["Content-Length"] == str(len(out)) and gzip.decompress(out) == body
    assert h["Etag"] == 'W/"abc"'


@pytest.mark.parametrize(
    ("accept", "status", "ctype", "size"),
    [
        (None, 200, "text/html", 5000),  # not asked
        ("gzip", 200, "image/png", 5000),  # compressed already
        ("gzip", 200, "font/woff2", 5000),
        ("gzip", 200, "text/plain", 500),  # too small to gain
        ("gzip", 304, "text/html", 0),
        ("gzip", 206, "text/javascript", 5000),  # a range of the file's own bytes
    ],
)
def test_what_is_sent_as_it_is(accept, status, ctype, size):
    body = b"a" * size
    headers = {"Content-Type": ctype, "Etag": '"abc"'}
    if status == 206:
        headers["Content-Range"] = f"bytes 0-{size - 1}/{size * 2}"
    _, h, out = run_transform(accept, status, headers, [body])
    assert "Content-Encoding" not in h and out == body and h["Etag"] == '"abc"'


def test_a_response_its_handler_encoded_is_left_alone_with_a_weak_etag():
    body = gzip.compress(b"x" * 5000)
    headers = {"Content-Type": "text/javascript", "Content-Encoding": "gzip", "Etag": '"v1"', "Vary": "Cookie"}
    _, h, out = run_transform("gzip", 200, headers, [body])
    assert out == body and h["Etag"] == 'W/"v1"' and h["Vary"] == "Cookie, Accept-Encoding"


def test_every_static_handler_and_only_those_get_the_gzip_copies():
    class Page(tornado.web.RequestHandler):
        pass

    class Files(tornado.web.StaticFileHandler):
        pass

    routes = compress.precompressed_handlers(
        [("/p", Page), ("/a/(.*)", Files, {"path": "/tmp"}), ("/b/(.*)", Files, {"path": "/srv"})]
    )
    assert routes[0] == ("/p", Page)
    assert issubclass(routes[1][1], compress.Precompressed) and issubclass(routes[1][1], Files)
    assert routes[1][1] is routes[2][1]  # one class per handler class
    assert routes[1][2] == {"path": "/tmp"} and routes[1][1].__name__ == "Files"


def test_the_copies_live_in_the_folder_given_else_in_the_user_s_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("BALINT_KIT_CACHE_DIR", str(tmp_path))
    assert compress.cache_dir() == tmp_path / "gzip"
    monkeypatch.delenv("BALINT_KIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/x")
    assert compress.cache_dir() == Path("/var/cache/x/balint-course-kit/gzip")


def test_a_copy_is_made_in_the_background_and_replaces_the_one_of_an_older_version(tmp_path):
    src = tmp_path / "app.js"
    src.write_bytes(b"console.log(1);\n" * 400)
    cache = compress.GzipCache(tmp_path / "copies")
    assert cache.lookup(str(src), src.stat()) is None  # not made yet: this response is gzipped on the fly
    cache.wait()
    copy = cache.lookup(str(src), src.stat())
    assert copy is not None and gzip.decompress(copy.read_bytes()) == src.read_bytes()
    src.write_bytes(b"console.log(2);\n" * 500)  # a new version of the package
    assert cache.lookup(str(src), src.stat()) is None
    cache.wait()
    new = cache.lookup(str(src), src.stat())
    assert gzip.decompress(new.read_bytes()) == src.read_bytes()
    assert sorted(p.name for p in (tmp_path / "copies").iterdir()) == [new.name]  # the old copy is gone


def test_a_cache_folder_that_cannot_be_written_means_gzip_on_the_fly(tmp_path, caplog):
    src = tmp_path / "app.js"
    src.write_bytes(b"x" * 4000)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = compress.GzipCache(blocker / "copies")
    with caplog.at_level("WARNING"):
        assert cache.lookup(str(src), src.stat()) is None
        cache.wait()
        assert cache.lookup(str(src), src.stat()) is None
    assert [r.getMessage() for r in caplog.records if "gzip copies cannot be kept" in r.getMessage()] != []


# --------------------------------------------------------------------------- plotly.js


def trace_types_in_figures() -> set[str]:
    """The "type" of every trace the kit's figures build (dict literals with x or y in widgets/figures.py)."""
    tree = ast.parse((ROOT / "widgets" / "figures.py").read_text())
    types = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)}
            if "type" in keys and ({"x", "y"} & keys.keys()):
                types.add(keys["type"].value)
    return types


def test_every_chart_of_the_kit_is_of_a_trace_type_the_basic_bundle_draws():
    assert trace_types_in_figures() == {"scatter", "bar"}
    assert trace_types_in_figures() <= plotly_bundle.TRACE_TYPES


def test_the_version_is_read_from_either_bundle_s_opening_comment(tmp_path):
    basic = tmp_path / "basic.js"
    basic.write_bytes(b"/**\n* plotly.js (basic - minified) v4.1.1\n* Copyright\n*/\n(function(){})")
    full = tmp_path / "full.js"
    full.write_bytes(b"/**\n* plotly.js v4.1.1\n* Copyright\n*/\n(function(){})")
    assert plotly_bundle.version_of(basic) == plotly_bundle.version_of(full) == "4.1.1"
    assert plotly_bundle.version_of(tmp_path / "missing.js") is None


def test_without_the_basic_bundle_the_full_one_is_served_and_the_log_says_why(tmp_path, monkeypatch):
    monkeypatch.delenv("BALINT_KIT_PLOTLY", raising=False)
    full = tmp_path / "full.js"
    full.write_bytes(b"/**\n* plotly.js v4.1.1\n*/\n")
    missing = plotly_bundle.choose(basic=tmp_path / "nope.js", full=full)
    assert (missing.path, missing.flavour) == (full, "full")
    assert "not installed" in missing.note and "npm ci" in missing.note
    other = tmp_path / "old.js"
    other.write_bytes(b"/**\n* plotly.js (basic - minified) v3.0.0\n*/\n")
    old = plotly_bundle.choose(basic=other, full=full)
    assert old.flavour == "full" and "plotly.js 3.0.0" in old.note and "4.1.1" in old.note
    same = tmp_path / "same.js"
    same.write_bytes(b"/**\n* plotly.js (basic - minified) v4.1.1\n*/\n")
    assert plotly_bundle.choose(basic=same, full=full).flavour == "basic"
    monkeypatch.setenv("BALINT_KIT_PLOTLY", "full")
    assert plotly_bundle.choose(basic=same, full=full).flavour == "full"
