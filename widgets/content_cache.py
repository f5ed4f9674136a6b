"""Validated course content, kept between kernels: each page's kernel reads it instead of
parsing and validating the data files again.

Every page view starts a new kernel, and each used to read its data files with YAML and
validate them with pydantic (and load Babel's plural rules for the interface text): about
a quarter of what a module page's kernel spent beyond a bare page's. Here the validated
model of a file is pickled once, under a key made of

- the file's bytes (its path inside ``data/`` and a SHA-256 of its contents), and
- the code that validates it (every ``*.py`` beside the schema's module, pydantic's and
  Python's versions),

so a changed data file, or a changed schema, is validated again in full, and a broken file
is never stored: it gives its plain message on the pages that use it, as before. Only course
content (``data/``) is kept here, never anything a learner sends.

The copies live in ``$BALINT_KIT_CACHE_DIR/content`` (default
``~/.cache/balint-course-kit/content``), made by the first kernel that validates a file, or at
the server's start (:func:`prepare`, run by ``python -m widgets.content_cache``). Loading a pickle
runs code, so a copy is read only from a folder and a file owned by this user that no one else
may write; anything unreadable or unexpected is ignored and the file validated again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

import pydantic

log = logging.getLogger("balint_kit")


def kit_cache_root() -> Path:
    """The kit's cache folder: ``BALINT_KIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/balint-course-kit``
    (``~/.cache/balint-course-kit``). Its sub-folders: ``content`` (here) and ``gzip`` (the server's
    compressed static files, kitserver/compress.py)."""
    base = os.environ.get("BALINT_KIT_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "balint-course-kit")
    return Path(base)


def cache_dir() -> Path:
    """Where the validated copies are kept: the kit's cache folder, sub-folder ``content``."""
    return kit_cache_root() / "content"


@lru_cache(maxsize=8)
def code_version(module_file: str) -> str:
    """A hash of the code that validates content: the ``*.py`` files in the folder of the schema's module."""
    h = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0".encode())
    # Babel's plural rules check the interface text's plural forms; a reinstalled Babel counts as new.
    babel = importlib.util.find_spec("babel")
    if babel is not None and babel.origin:
        h.update(f"{babel.origin}\0{os.stat(babel.origin).st_mtime_ns}\0".encode())
    for path in sorted(Path(module_file).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _names(relpath: str, data: bytes, schema: type) -> tuple[str, str]:
    """The copy's file-name prefix (one per data file) and its full name (one per content and code)."""
    prefix = hashlib.sha256(relpath.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    module_file = sys.modules[schema.__module__].__file__ or ""
    key = hashlib.sha256(
        b"\0".join([code_version(module_file).encode(), schema.__qualname__.encode(), data])
    ).hexdigest()[:32]
    return prefix, f"{prefix}-{key}.pickle"


def _trusted(st: os.stat_result) -> bool:
    """Ours and writable by no one else (a pickle from elsewhere could run any code)."""
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def get(relpath: str, data: bytes, schema: type):
    """The validated model of ``data`` (the bytes of ``data/<relpath>``), or None."""
    folder = cache_dir()
    try:
        copy = folder / _names(relpath, data, schema)[1]
        with open(copy, "rb") as fh:
            if not (_trusted(os.fstat(fh.fileno())) and _trusted(folder.stat())):
                return None
            model = pickle.load(fh)
    except Exception:  # noqa: BLE001 - no copy, or an unreadable one: the file is validated again
        return None
    return model if type(model) is schema else None


def put(relpath: str, data: bytes, schema: type, model) -> None:
    """Keep ``model`` (validated from ``data``) for the next kernels; old copies of the file go."""
    folder = cache_dir()
    try:
        prefix, name = _names(relpath, data, schema)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(folder.stat()):
            return
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
        for old in folder.glob(prefix + "-*.pickle"):
            if old.name != name:
                old.unlink(missing_ok=True)
    except Exception as exc:  # noqa: BLE001 - a cache that cannot be kept only costs time
        log.debug("validated content not kept in %s (%s)", folder, type(exc).__name__)


def prepare() -> int:
    """What the server does once at start, so that its first learners' kernels find everything ready:
    validate every data file (keeping the copies above) and compile the kit's modules to bytecode
    (Python does not write ``__pycache__`` where ``PYTHONDONTWRITEBYTECODE`` is set, so every kernel
    compiled them again). Returns how many data files failed validation (they are left to the pages)."""
    import compileall

    from . import content

    here = Path(__file__).resolve().parent
    compileall.compile_dir(str(here), quiet=2, workers=1)
    # The kernel-side guard every page's kernel loads (kitserver/__init__.py imports nothing else).
    for name in ("__init__.py", "guard.py"):
        if (here.parent / "kitserver" / name).is_file():
            compileall.compile_file(str(here.parent / "kitserver" / name), quiet=2)
    failed = 0
    for relpath in content.data_files():
        try:
            content.schema_for(relpath)
        except content.ContentError:
            continue  # not a content file (e.g. data/schemas/)
        try:
            content.load(relpath)
        except content.ContentError:
            failed += 1
    return failed


def prepare_in_background() -> None:
    """:func:`prepare` in a child process, so that the server's own event loop stays free; reaped by a thread."""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", __name__], cwd=root, stdin=subprocess.DEVNULL)
    threading.Thread(target=proc.wait, name="kit-prepare", daemon=True).start()


if __name__ == "__main__":
    sys.exit(1 if prepare() else 0)
