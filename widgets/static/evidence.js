// The evidence explorer (anywidget): filters by design, outcome and country over the table of
// studies, run in the browser; a chart of effect sizes with confidence intervals below.

// el() comes from dom.js; kitDrawFigure() from plotly_load.js (joined by widgets/esm.py).

function render({ model, el: root }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const rows = model.get("rows") || [];
  const uid = Math.random().toString(36).slice(2, 8);
  const card = el("section", "kit-card kit-evidence");
  card.setAttribute("aria-label", t("ev-title"));
  card.append(el("h3", "", t("ev-title")));

  const unique = (values) => Array.from(new Set(values.filter(Boolean))).sort();
  const filters = [
    { key: "design", label: t("ev-filter-design"), values: unique(rows.map((r) => r.design)), show: (v) => v },
    { key: "outcome", label: t("ev-filter-outcome"), values: unique(rows.flatMap((r) => r.outcomes)), show: (v) => t("ev-outcome-" + v) },
    { key: "country", label: t("ev-filter-country"), values: unique(rows.map((r) => r.country)), show: (v) => v },
  ];
  const bar = el("div", "kit-ev-filters");
  const selects = {};
  for (const f of filters) {
    const wrap = el("div", "kit-ev-filter");
    const label = el("label", "", f.label);
    const select = document.createElement("select");
    select.id = `kit-${uid}-${f.key}`;
    select.dataset.filter = f.key;
    label.htmlFor = select.id;
    const all = el("option", "", t("ev-all"));
    all.value = "";
    select.append(all);
    for (const v of f.values) {
      const o = el("option", "", f.show(v));
      o.value = v;
      select.append(o);
    }
    select.addEventListener("change", apply);
    selects[f.key] = select;
    wrap.append(label, select);
    bar.append(wrap);
  }
  const reset = el("button", "jupyter-button kit-ev-reset", t("ev-reset"));
  reset.type = "button";
  reset.addEventListener("click", () => { Object.values(selects).forEach((s) => { s.value = ""; }); apply(); });
  bar.append(reset);
  const count = el("p", "kit-muted kit-ev-count");
  count.setAttribute("role", "status");
  card.append(bar, count);

  const wrap = el("div", "kit-table-wrap");
  const table = el("table", "kit-map-table kit-ev-table");
  const head = el("tr");
  for (const k of ["ev-col-study", "ev-col-population", "ev-col-result"]) {
    const th = el("th", "", t(k));
    th.scope = "col";
    head.append(th);
  }
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  const trs = rows.map((r) => {
    const tr = el("tr");
    tr.dataset.study = r.id;
    const study = el("th");
    study.scope = "row";
    study.append(el("span", "kit-ev-study", r.title));
    study.append(document.createElement("br"));
    const cite = r.link ? el("a", "kit-small", r.cite) : el("span", "kit-small", r.cite);
    if (r.link) { cite.href = r.link; cite.rel = "noopener"; cite.target = "_blank"; }
    study.append(cite);
    const known = (v) => (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length))
      ? el("span", "kit-muted kit-not-known", t("ev-not-known")) : document.createTextNode(Array.isArray(v) ? v.join(", ") : String(v));
    // One labelled line per fact, so that an unknown figure says "not known" beside its name.
    const fact = (label, v) => {
      const p = el("p", "kit-ev-fact");
      p.append(el("b", "", label + ": "), known(v));
      return p;
    };
    study.append(fact(t("ev-col-design"), r.design), fact(t("ev-filter-country"), r.country));
    const who = el("td");
    who.append(el("p", "", r.population), fact(t("ev-col-n"), r.n), fact(t("ev-col-sessions"), r.sessions), fact(t("ev-col-measures"), r.measures));
    const result = el("td");
    result.append(document.createTextNode(r.result));
    if (r.unknown) {
      const p = el("p", "kit-muted kit-small kit-ev-unknown");
      p.append(el("b", "", t("ev-unknown") + " "), document.createTextNode(r.unknown));
      result.append(p);
    }
    tr.append(study, who, result);
    tbody.append(tr);
    return { tr, r };
  });
  table.append(thead, tbody);
  wrap.append(table);
  const none = el("p", "kit-muted", t("ev-none"));
  none.hidden = true;
  card.append(wrap, none);

  function apply() {
    const d = selects.design.value, o = selects.outcome.value, c = selects.country.value;
    let shown = 0;
    for (const { tr, r } of trs) {
      const ok = (!d || r.design === d) && (!o || r.outcomes.includes(o)) && (!c || r.country === c);
      tr.hidden = !ok;
      if (ok) shown += 1;
    }
    none.hidden = shown > 0;
    count.textContent = t("ev-showing").replace("{shown}", shown).replace("{total}", rows.length);
  }
  apply();

  const figure = model.get("figure");
  if (figure && figure.data) {
    card.append(el("h4", "", t("ev-chart-title")));
    const box = el("div", "kit-chart kit-ev-chart");
    box.setAttribute("role", "figure");  // a figure may hold plotly's controls; an img may not (axe: nested-interactive)
    box.setAttribute("aria-label", model.get("chart_label"));
    kitChartNote(box, t("chart-loading"), "loading");
    card.append(box);
    const draw = () => kitDrawFigure(box, figure, model.get("asset_version")).catch(() => kitChartNote(box, model.get("chart_label"), "failed"));
    if ("IntersectionObserver" in window) {
      const seen = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { seen.disconnect(); draw(); }
      }, { rootMargin: "800px 0px" });
      seen.observe(box);
    } else draw();
  }
  root.append(card);
}

export default { render };
