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

// A spec may carry layout.meta.kit_narrow: layout changes for a chart narrower than
// layout.meta.kit_narrow_below px (a phone), e.g. names wrapped onto two lines.
function kitIsNarrow(layout, width) {
  const meta = (layout && layout.meta) || {};
  return !!(meta.kit_narrow && width && width < (meta.kit_narrow_below || 560));
}

function kitPlotLayout(layout, width) {
  const dark = document.documentElement.getAttribute("data-kit-theme") === "dark";
  const ink = dark ? "#e6eaee" : "#1b2530", grid = dark ? "#3a444e" : "#e1e5e9";
  let l = JSON.parse(JSON.stringify(layout || {}));
  if (kitIsNarrow(layout, width)) {
    const patch = l.meta.kit_narrow;
    for (const k of Object.keys(patch)) {
      l[k] = (patch[k] && typeof patch[k] === "object" && !Array.isArray(patch[k]) && l[k] && typeof l[k] === "object")
        ? Object.assign({}, l[k], patch[k]) : patch[k];
    }
  }
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
    let narrow = kitIsNarrow(spec.layout, node.clientWidth);
    Plotly.newPlot(node, spec.data, kitPlotLayout(spec.layout, node.clientWidth), {responsive: true, displaylogo: false, displayModeBar: "hover",
      modeBarButtonsToRemove: ["toImage", "select2d", "lasso2d"]});
    window.addEventListener("kit-theme", function () { if (node.isConnected) Plotly.relayout(node, kitPlotLayout(spec.layout, node.clientWidth)); });
    if (spec.layout && spec.layout.meta && spec.layout.meta.kit_narrow && window.ResizeObserver) {
      // The window turned from wide to narrow (or back): lay the chart out for its new width.
      new ResizeObserver(function () {
        const now = kitIsNarrow(spec.layout, node.clientWidth);
        if (now !== narrow && node.isConnected) { narrow = now; Plotly.react(node, spec.data, kitPlotLayout(spec.layout, node.clientWidth)); }
      }).observe(node);
    }
  });
}
