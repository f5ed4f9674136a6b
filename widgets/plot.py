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

_SCRIPT = """
<script>
(function () {
  var el = document.getElementById(%(id)s);
  if (!el) { return; }
  var spec = %(spec)s;
  var body = document.body.dataset;
  var src = (body.kitStatic || ((body.kitBase || '/') + 'kit/static/')) + 'plotly/plotly.min.js?v=%(version)s';
  function layout() {
    var dark = document.documentElement.getAttribute('data-kit-theme') === 'dark';
    var ink = dark ? '#e6eaee' : '#1b2530', grid = dark ? '#3a444e' : '#e1e5e9';
    var l = JSON.parse(JSON.stringify(spec.layout));
    l.font = {color: ink, family: 'system-ui, DejaVu Sans, sans-serif', size: 14};
    l.xaxis = Object.assign({}, l.xaxis, {gridcolor: grid, linecolor: grid, zerolinecolor: grid});
    l.yaxis = Object.assign({}, l.yaxis, {gridcolor: grid, linecolor: grid, zerolinecolor: grid});
    l.hoverlabel = Object.assign({}, l.hoverlabel, {bgcolor: dark ? '#1d2329' : '#ffffff', font: {color: ink}});
    return l;
  }
  function draw() {
    el.textContent = '';
    window.Plotly.newPlot(el, spec.data, layout(), {responsive: true, displaylogo: false,
      modeBarButtonsToRemove: ['toImage', 'select2d', 'lasso2d']});
    window.addEventListener('kit-theme', function () { window.Plotly.relayout(el, layout()); });
  }
  function fail() { el.textContent = %(fallback)s; }
  function load() {
  if (window.Plotly) { draw(); return; }
  if (!window.__kitPlotly) {
    window.__kitPlotly = new Promise(function (resolve, reject) {
      // plotly.min.js is a UMD bundle: hide an AMD loader, if any, so that it sets window.Plotly.
      var amd = window.define; window.define = undefined;
      var s = document.createElement('script');
      s.src = src;
      s.onload = function () { window.define = amd; resolve(); };
      s.onerror = function () { window.define = amd; reject(); };
      document.head.appendChild(s);
    });
  }
  window.__kitPlotly.then(draw, fail);
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


def figure_html(spec: dict, label: str, fallback: str, version: str = "1") -> HTML:
    """HTML that draws ``spec``; ``label`` is the chart's text alternative."""
    chart_id = f"kit-chart-{uuid.uuid4().hex[:12]}"
    div = (
        f'<div class="kit-chart" id="{chart_id}" role="img" aria-label="{html.escape(label)}">'
        f'<p class="kit-chart-fallback">{html.escape(fallback)}</p></div>'
    )
    script = _SCRIPT % {
        "id": json.dumps(chart_id),
        "spec": json.dumps(spec).replace("</", "<\\/"),
        "version": html.escape(version),
        "fallback": json.dumps(fallback),
    }
    return HTML(div + script)
