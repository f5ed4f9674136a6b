// Load the plotly.js the course site serves itself (never a CDN), once per page, and theme a
// figure spec for the light or dark page. Shared by widgets/plot.py's inline charts and the
// anywidgets that draw charts (joined in front of their module by widgets/esm.py).

function kitPlotly(version) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__kitPlotly) {
    const body = document.body.dataset;
    const src = (body.kitStatic || ((body.kitBase || "/") + "kit/static/")) + "plotly/plotly.min.js?v=" + (version || "1");
    window.__kitPlotly = new Promise(function (resolve, reject) {
      // plotly.min.js is a UMD bundle: hide an AMD loader, if any, so that it sets window.Plotly.
      const amd = window.define; window.define = undefined;
      const s = document.createElement("script");
      s.src = src;
      s.onload = function () { window.define = amd; resolve(window.Plotly); };
      s.onerror = function () { window.define = amd; window.__kitPlotly = null; reject(new Error("plotly.js did not load")); };
      document.head.appendChild(s);
    });
  }
  return window.__kitPlotly;
}

function kitPlotLayout(layout) {
  const dark = document.documentElement.getAttribute("data-kit-theme") === "dark";
  const ink = dark ? "#e6eaee" : "#1b2530", grid = dark ? "#3a444e" : "#e1e5e9";
  const l = JSON.parse(JSON.stringify(layout || {}));
  l.font = {color: ink, family: "system-ui, DejaVu Sans, sans-serif", size: 14};
  l.xaxis = Object.assign({}, l.xaxis, {gridcolor: grid, linecolor: grid, zerolinecolor: grid});
  l.yaxis = Object.assign({}, l.yaxis, {gridcolor: grid, linecolor: grid, zerolinecolor: grid});
  l.hoverlabel = Object.assign({}, l.hoverlabel, {bgcolor: dark ? "#1d2329" : "#ffffff", font: {color: ink}});
  return l;
}

// A chart's placeholder: "Loading the chart…" (state "loading") until plotly.js has drawn it, or
// the failure text (state "failed") if plotly.js could not be loaded.
function kitChartNote(node, text, state) {
  node.textContent = "";
  const p = document.createElement("p");
  p.className = "kit-chart-fallback";
  p.dataset.chartState = state;
  p.textContent = text;
  node.appendChild(p);
  return node;
}

// Draw spec into node; redraw on the light/dark switch. Resolves when drawn.
function kitDrawFigure(node, spec, version) {
  return kitPlotly(version).then(function (Plotly) {
    node.textContent = "";
    Plotly.newPlot(node, spec.data, kitPlotLayout(spec.layout), {responsive: true, displaylogo: false, displayModeBar: "hover",
      modeBarButtonsToRemove: ["toImage", "select2d", "lasso2d"]});
    window.addEventListener("kit-theme", function () { if (node.isConnected) Plotly.relayout(node, kitPlotLayout(spec.layout)); });
  });
}
