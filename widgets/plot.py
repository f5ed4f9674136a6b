"""Draw a plotly.js figure spec in a page with the plotly.js the site serves itself.

Plotly's own notebook renderers load plotly.js from a CDN, and its jupyterlab
mime renderer throws in Voila 0.5; this emits HTML that loads
``kit/static/plotly/plotly.min.js`` from the course site once per page (the
browser caches it), follows the light/dark switch, and carries a text
alternative for screen readers.
"""

from __future__ import annotations

import html
import json
import uuid

from IPython.display import HTML

from .esm import bundle

_LOADER = bundle("plotly_load.js")

_SCRIPT = """
<script>
(function () {
  var el = document.getElementById(%(id)s);
  if (!el) { return; }
  var spec = %(spec)s;
%(loader)s
  function load() {
    kitDrawFigure(el, spec, %(version)s).catch(function () { kitChartNote(el, %(fallback)s, 'failed'); });
  }
  // plotly.js is large (4.6 MB to parse): fetch it only when the chart comes near the
  // screen, so that it does not hold up the widgets above it.
  if (!('IntersectionObserver' in window)) { load(); return; }
  var seen = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); load(); }
  }, {rootMargin: '800px 0px'});
  seen.observe(el);
})();
</script>
"""


def figure_html(spec: dict, label: str, fallback: str, loading: str, version: str = "1") -> HTML:
    """HTML that draws ``spec``; ``label`` is the chart's text alternative, ``loading`` what the
    chart's place says until plotly.js has drawn it, ``fallback`` what it says if it cannot."""
    chart_id = f"kit-chart-{uuid.uuid4().hex[:12]}"
    div = (
        f'<div class="kit-chart" id="{chart_id}" role="figure" aria-label="{html.escape(label)}">'
        f'<p class="kit-chart-fallback" data-chart-state="loading">{html.escape(loading)}</p></div>'
    )
    script = _SCRIPT % {
        "id": json.dumps(chart_id),
        "spec": json.dumps(spec).replace("</", "<\\/"),
        "version": json.dumps(version),
        "loader": _LOADER,
        "fallback": json.dumps(fallback),
    }
    return HTML(div + script)
