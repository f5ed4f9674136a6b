"""What Voila redid on every page view, done once per server: the prose of a page converted from
Markdown, and the page templates compiled.

Voila makes a new exporter for each page view, and with it a new Jinja environment that compiled
the templates again (about a sixth of the server process's CPU for a page view, the bare page's
too); a module page then converted each of its Markdown cells with mistune, which its kernel
did not pay for but the server did (about 0.04 CPU-s a view). Here

- a Markdown cell's HTML is kept by its source (a cell with an image or an attachment is
  converted every time, as Voila does, since its image is read from a file), and
- the compiled templates are kept in memory by Jinja's own bytecode cache, which checks
  each template's source and compiles a changed one again.

:func:`install` puts :class:`CourseExporter` in Voila's place; ``kitserver/app.py`` calls it.
"""

from __future__ import annotations

import functools
import re

import jinja2
from nbconvert.filters.markdown_mistune import MarkdownWithMath
from voila import notebook_renderer
from voila.exporter import VoilaExporter

_IMAGE = re.compile(r"!\[|<img", re.IGNORECASE)


@functools.lru_cache(maxsize=2048)
def _markdown(renderer_class: type, anchor_link_text: str, source: str) -> str:
    # As VoilaExporter.markdown2html, for a cell without attachments (nothing to inline).
    renderer = renderer_class(escape=False, attachments={}, contents_manager=None, anchor_link_text=anchor_link_text)
    return MarkdownWithMath(renderer=renderer).render(source)


class _InMemory(jinja2.BytecodeCache):
    """Jinja's bytecode cache in this process's memory (a bucket whose source changed is compiled anew)."""

    def __init__(self):
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._codes[bucket.key] = bucket.bytecode_to_string()


_bytecode: dict[tuple, _InMemory] = {}


class CourseExporter(VoilaExporter):
    """Voila's exporter, with the Markdown and the compiled templates kept between page views."""

    @jinja2.pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell") or {}
        if cell.get("attachments") or _IMAGE.search(source):
            return VoilaExporter.markdown2html(self, context, source)
        return _markdown(self.markdown_renderer_class, self.anchor_link_text, source)

    def _create_environment(self):
        env = super()._create_environment()
        # One cache per kind of environment: a compiled template depends on these, not only on its source.
        kind = (self.enable_async, tuple(self.template_paths), tuple(sorted(map(str, env.extensions))))
        env.bytecode_cache = _bytecode.setdefault(kind, _InMemory())
        return env


def install() -> None:
    """Voila's page views use :class:`CourseExporter` (Voila makes its exporter by this name)."""
    notebook_renderer.VoilaExporter = CourseExporter
