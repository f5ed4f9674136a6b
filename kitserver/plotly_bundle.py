"""Which plotly.js the course site serves at ``/kit/static/plotly/plotly.min.js``.

Every chart of the kit (``widgets/figures.py``) is made of ``scatter`` and ``bar`` traces with
shapes, annotations, error bars, patterns and date axes, all of which plotly.js's *basic*
bundle draws (it holds the scatter, bar and pie traces and every component of the core).
That bundle, npm's ``plotly.js-basic-dist-min``, is 1.2 MB (0.39 MB gzipped) against 4.8 MB
(1.4 MB gzipped) for the full bundle that plotly.py ships, and a browser parses it in a
quarter of the time. It is installed into ``node_modules/`` by ``npm ci`` (``make serve`` and
``make test`` run it when npm is there), at the version in ``package.json``, which is the
plotly.js version of the plotly.py the kit depends on (``tests/site/test_wire.py`` checks).

When it is missing, or its version is not plotly.py's, the site serves plotly.py's full bundle
(which draws everything too) and says so once in its log. ``BALINT_KIT_PLOTLY=full`` serves
the full bundle in any case (a course leader who adds a chart of another trace type).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parent.parent
FULL = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
BASIC = ROOT / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})
"""The trace types the basic bundle draws."""

_VERSION = re.compile(rb"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+\S*)")


def version_of(path: Path) -> str | None:
    """The plotly.js version named in a bundle's opening comment, or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(400)
    except OSError:
        return None
    m = _VERSION.search(head)
    return m.group(1).decode("ascii") if m else None


@dataclass(frozen=True)
class Bundle:
    path: Path
    flavour: str  # "basic" or "full"
    version: str | None
    note: str | None = None  # why the full bundle is served, when the basic one was wanted


def choose(basic: Path = BASIC, full: Path = FULL) -> Bundle:
    """The basic bundle when it is installed at plotly.py's plotly.js version, else the full one."""
    want = version_of(full)
    if os.environ.get("BALINT_KIT_PLOTLY", "").strip().lower() == "full":
        return Bundle(full, "full", want, "plotly.js: the full bundle of plotly.py is served (BALINT_KIT_PLOTLY=full).")
    have = version_of(basic)
    if have is not None and have == want:
        return Bundle(basic, "basic", have)
    if have is None:
        note = (
            f"plotly.js: the full bundle of plotly.py is served (4.8 MB); the 1.2 MB basic bundle is not installed "
            f"({basic.relative_to(ROOT) if basic.is_relative_to(ROOT) else basic}: run `npm ci` in the kit's folder, "
            "or `make serve` with npm installed)."
        )
    else:
        note = (
            f"plotly.js: the full bundle of plotly.py is served (plotly.js {want}); the installed basic bundle is "
            f"plotly.js {have} (package.json pins plotly.js-basic-dist-min; run `npm ci`)."
        )
    return Bundle(full, "full", want, note)


def log_choice(bundle: Bundle, log: logging.Logger) -> None:
    if bundle.note and "BALINT_KIT_PLOTLY" in bundle.note:
        log.info(bundle.note)
    elif bundle.note:
        log.warning(bundle.note)
    else:
        log.info("plotly.js: the basic bundle %s is served (%s).", bundle.version, bundle.path)
