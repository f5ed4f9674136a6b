"""Browser modules for the kit's anywidgets.

anywidget loads one ES module per widget and cannot resolve relative imports, so a
widget whose code is split into files gets them joined here, in order.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


def bundle(*names: str) -> str:
    """The named files of ``widgets/static/`` joined into one module's source."""
    return "\n\n".join((STATIC / name).read_text(encoding="utf-8") for name in names)
