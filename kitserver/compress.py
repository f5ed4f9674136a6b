"""Compressed responses: what the course site sends is gzip-encoded when the browser accepts it.

Two parts, both put on the site by :func:`install` and :func:`precompressed_handlers`:

* :class:`CompressResponses`, a tornado output transform, gzips every response of a
  compressible type (HTML, JavaScript, CSS, JSON, SVG, ...) that is at least
  :data:`MIN_LENGTH` bytes or streamed in several chunks (Voila's page, which comes cell by
  cell: each chunk is flushed to the browser as it comes, ``Z_SYNC_FLUSH``), at level
  :data:`DYNAMIC_LEVEL`. It is tornado's ``compress_response`` with three differences: an
  ``Accept-Encoding`` of ``gzip;q=0`` is a refusal, the types include web fonts and wasm,
  and a compressed response's ``ETag`` is made weak (``W/"…"``, as nginx does) since its
  bytes are not the file's.
* :class:`Precompressed`, a mixin put in front of every static file handler of the site
  (Voila's ``/voila/static/``, its templates' and labextensions' files, the kit's
  ``/kit/static/`` and plotly.js), serves a file of a compressible type from a gzip copy made
  once, at level 9, in a cache folder (:func:`cache_dir`). Voila's JavaScript and plotly.js
  are 10-15 MB and the same for every learner: gzipping them on every first visit would cost
  the server about a CPU-second per learner; read from the copy, it costs what sending the
  file costs. The copy is made in a background thread the first time a file is asked for
  (that response is gzipped on the fly instead), named by the file's path, size and
  modification time, so that an upgraded package gets new copies; a stale copy of the same
  file is removed. If the folder cannot be written the site logs it once and compresses on
  the fly.

Cache headers are kept: the file's ``ETag`` (weak when compressed), ``Last-Modified``,
``Cache-Control`` as each handler sets it, and ``Vary: Accept-Encoding`` on every response,
so that a shared cache keeps the two encodings apart. A revalidation (``If-None-Match`` or
``If-Modified-Since``) still gets a 304 with no body. Range requests get the plain file.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import os
import threading
import zlib
from pathlib import Path

import tornado.web
from tornado import httputil

from widgets.content_cache import kit_cache_root

log = logging.getLogger("tornado.application")

MIN_LENGTH = 1024
"""Bytes below which a one-chunk response is sent as it is (gzip's header and trailer and the
Content-Encoding header would eat most of the saving)."""
DYNAMIC_LEVEL = 6
"""zlib level for responses compressed as they are sent (gzip's own default)."""
STATIC_LEVEL = 9
"""zlib level for the gzip copies of static files: made once, so the smallest."""

COMPRESSIBLE = frozenset(
    {
        "application/javascript",
        "application/x-javascript",
        "application/json",
        "application/manifest+json",
        "application/xml",
        "application/xhtml+xml",
        "application/atom+xml",
        "application/wasm",
        "application/vnd.ms-fontobject",
        "font/ttf",
        "font/otf",
        "application/x-font-ttf",
        "image/svg+xml",
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }
)
"""Media types worth compressing besides ``text/*``. Not images (PNG, JPEG, WebP) nor woff/woff2
fonts: they are compressed already."""


def compressible(content_type: str) -> bool:
    ctype = content_type.split(";", 1)[0].strip().lower()
    return ctype.startswith("text/") or ctype in COMPRESSIBLE


def accepts_gzip(request: httputil.HTTPServerRequest) -> bool:
    """Whether the request's ``Accept-Encoding`` takes gzip (``gzip``, ``x-gzip`` or ``*``, not at q=0)."""
    header = request.headers.get("Accept-Encoding", "")
    star = None
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        coding = coding.strip().lower()
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding in ("gzip", "x-gzip"):
            return q > 0
        if coding == "*":
            star = q > 0
    return bool(star)


def _weak(etag: str) -> str:
    return etag if etag.startswith("W/") else "W/" + etag


def _add_vary(headers: httputil.HTTPHeaders) -> None:
    vary = headers.get("Vary", "")
    if "accept-encoding" not in vary.lower():
        headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"


class CompressResponses(tornado.web.OutputTransform):
    """Gzip a compressible response on its way out (see the module docstring)."""

    def __init__(self, request: httputil.HTTPServerRequest) -> None:
        self._accepts = accepts_gzip(request)
        self._zip = None

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if status_code in (204, 304) or status_code < 200:
            return status_code, headers, chunk
        _add_vary(headers)
        if "Content-Encoding" in headers:  # a precompressed file, or encoded by its handler
            if "Etag" in headers:
                headers["Etag"] = _weak(headers["Etag"])
            return status_code, headers, chunk
        if not (self._accepts and compressible(headers.get("Content-Type", ""))):
            return status_code, headers, chunk
        if status_code == 206 or "Content-Range" in headers:
            return status_code, headers, chunk  # a range is of the file's own bytes
        if finishing and len(chunk) < MIN_LENGTH:
            return status_code, headers, chunk
        headers["Content-Encoding"] = "gzip"
        if "Etag" in headers:
            headers["Etag"] = _weak(headers["Etag"])
        self._zip = zlib.compressobj(DYNAMIC_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        chunk = self.transform_chunk(chunk, finishing)
        if "Content-Length" in headers:
            if finishing:
                headers["Content-Length"] = str(len(chunk))
            else:
                del headers["Content-Length"]  # chunked from here on
        return status_code, headers, chunk

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        if self._zip is None:
            return chunk
        out = self._zip.compress(chunk)
        return out + self._zip.flush(zlib.Z_FINISH if finishing else zlib.Z_SYNC_FLUSH)


# --------------------------------------------------------------------------- precompressed files


def cache_dir() -> Path:
    """Where the gzip copies of static files are kept: the kit's cache folder
    (:func:`widgets.content_cache.kit_cache_root`), sub-folder ``gzip``."""
    return kit_cache_root() / "gzip"


def _names(path: str, st: os.stat_result) -> tuple[str, str]:
    """The copy's file-name prefix (one per source file) and its full name (one per version)."""
    prefix = hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    version = hashlib.sha256(f"{st.st_size}:{st.st_mtime_ns}:{STATIC_LEVEL}".encode()).hexdigest()[:12]
    return prefix, f"{prefix}-{version}.gz"


class GzipCache:
    """Gzip copies of static files in one folder, made in one background thread."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="kit-gzip")
        self._broken = False

    def lookup(self, path: str, st: os.stat_result) -> Path | None:
        """The copy of ``path`` (as it is now), or None; a missing copy is made for later requests."""
        if self._broken:
            return None
        prefix, name = _names(path, st)
        copy = self.folder / name
        if copy.is_file():
            return copy
        with self._lock:
            if name not in self._pending:
                self._pending.add(name)
                self._pool.submit(self._make, path, st, prefix, copy)
        return None

    def wait(self) -> None:
        """Wait until the copies asked for so far are made (for tests and warm-up)."""
        self._pool.submit(lambda: None).result()

    def _make(self, path: str, st: os.stat_result, prefix: str, copy: Path) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = copy.with_name(f".{copy.name}.{os.getpid()}.tmp")
            with open(path, "rb") as src:
                data = src.read()
            now = os.stat(path)
            if (now.st_size, now.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                return  # changed while being read: the next request sees the new version
            zipper = zlib.compressobj(STATIC_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            tmp.write_bytes(zipper.compress(data) + zipper.flush())
            os.replace(tmp, copy)
            for old in self.folder.glob(prefix + "-*.gz"):
                if old != copy:
                    old.unlink(missing_ok=True)
        except OSError as exc:
            if not self._broken:
                self._broken = True
                log.warning(
                    "Static files are gzipped on every request: their gzip copies cannot be kept in %s (%s).",
                    self.folder,
                    exc.strerror or type(exc).__name__,
                )
        finally:
            with self._lock:
                self._pending.discard(copy.name)


_cache: GzipCache | None = None
_cache_lock = threading.Lock()


def gzip_cache() -> GzipCache:
    global _cache
    with _cache_lock:
        if _cache is None or _cache.folder != cache_dir():
            _cache = GzipCache(cache_dir())
        return _cache


class Precompressed:
    """Mixin for a ``tornado.web.StaticFileHandler``: a compressible file goes out from its
    gzip copy when the browser takes gzip (see the module docstring)."""

    _kit_copy: Path | None = None

    def _kit_choose_copy(self) -> Path | None:
        if not accepts_gzip(self.request) or self.request.headers.get("Range"):
            return None
        st = self._stat()
        if st.st_size < MIN_LENGTH or not compressible(self.get_content_type() or ""):
            return None
        return gzip_cache().lookup(self.absolute_path, st)

    def set_headers(self) -> None:
        self._kit_copy = self._kit_choose_copy()
        super().set_headers()
        if self._kit_copy is not None:
            self.set_header("Content-Encoding", "gzip")
            _add_vary(self._headers)
            self.set_header("Accept-Ranges", "none")  # ranges of the gzip copy are not offered
            self.get_content = self._kit_copy_content  # the class method stays for get_content_version

    def compute_etag(self):
        # Called by set_headers, after the copy is chosen: the copy's bytes are not the file's.
        etag = super().compute_etag()
        return _weak(etag) if etag and self._kit_copy is not None else etag

    def get_content_size(self) -> int:
        if self._kit_copy is not None:
            return self._kit_copy.stat().st_size
        return super().get_content_size()

    def _kit_copy_content(self, abspath, start=None, end=None):
        with open(self._kit_copy, "rb") as f:
            while True:
                chunk = f.read(64 * 1024)
                if not chunk:
                    return
                yield chunk


def precompressed_handlers(handlers: list) -> list:
    """``handlers`` (tornado's ``(pattern, class, kwargs…)`` tuples) with every static file
    handler class given the :class:`Precompressed` mixin."""
    out = []
    made: dict[type, type] = {}
    for pattern, handler, *rest in handlers:
        if (
            isinstance(handler, type)
            and issubclass(handler, tornado.web.StaticFileHandler)
            and not issubclass(handler, Precompressed)
        ):
            if handler not in made:
                made[handler] = type(handler.__name__, (Precompressed, handler), {"__module__": handler.__module__})
            handler = made[handler]
        out.append((pattern, handler, *rest))
    return out


def install(app: tornado.web.Application) -> None:
    """Put the compressing transform on ``app`` (once)."""
    if CompressResponses not in app.transforms:
        app.add_transform(CompressResponses)
