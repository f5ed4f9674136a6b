// The organiser's checklist (anywidget): ticks and the session's start time stay in this
// browser's localStorage; Python (widgets/online.py) says which steps are done, open or due.

function render({ model, el: root }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const key = kitKey("online-checklist");
  const uid = Math.random().toString(36).slice(2, 8);
  let saved;
  try { saved = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch { saved = {}; }
  const done = new Set(Array.isArray(saved.done) ? saved.done : []);
  const card = el("section", "kit-card kit-checklist");
  card.setAttribute("aria-label", t("check-title"));
  card.append(el("h3", "", t("check-title")), el("p", "kit-muted", t("check-explain")));
  const startWrap = el("div", "kit-field");
  const startLabel = el("label", "", t("check-start"));
  const start = document.createElement("input");
  start.type = "datetime-local";
  start.id = `kit-${uid}-start`;
  start.className = "kit-check-start";
  startLabel.htmlFor = start.id;
  if (typeof saved.start === "string") start.value = saved.start;
  start.addEventListener("change", changed);
  startWrap.append(startLabel, start);
  card.append(startWrap);
  const summary = el("p", "kit-check-summary");
  summary.setAttribute("role", "status");
  const views = {};
  for (const step of model.get("steps")) {
    const fs = el("fieldset", "kit-check-step");
    fs.dataset.step = step.id;
    const legend = el("legend", "kit-prompt", step.title);
    const state = el("span", "kit-status kit-check-state");
    legend.append(document.createTextNode(" "), state);
    fs.append(legend, el("p", "kit-muted kit-small", step.when));
    for (const item of step.items) {
      const label = el("label", "kit-option");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.dataset.item = item.id;
      box.checked = done.has(item.id);
      box.addEventListener("change", () => {
        if (box.checked) done.add(item.id); else done.delete(item.id);
        changed();
      });
      label.append(box, el("span", "", item.text));
      fs.append(label);
    }
    const progress = el("p", "kit-muted kit-small kit-check-progress");
    fs.append(progress);
    views[step.id] = { fs, state, progress };
    card.append(fs);
  }
  const reset = el("button", "jupyter-button kit-check-reset", t("check-reset"));
  reset.type = "button";
  reset.addEventListener("click", () => {
    done.clear();
    start.value = "";
    card.querySelectorAll("input[type=checkbox]").forEach((b) => { b.checked = false; });
    changed();
  });
  card.append(summary, reset);

  function localNow() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }
  // What the organiser did is kept (and an empty checklist leaves no entry behind); a visit
  // alone, or the minute's refresh, stores nothing.
  function changed() {
    try {
      if (done.size || start.value) localStorage.setItem(key, JSON.stringify({ done: Array.from(done), start: start.value }));
      else localStorage.removeItem(key);
    } catch { /* still works for this visit */ }
    ask();
  }
  function ask() {
    model.send({ kind: "status", done: Array.from(done), start: start.value, now: localNow() });
  }
  function show() {
    const report = model.get("report") || {};
    for (const row of report.steps || []) {
      const v = views[row.id];
      if (!v) continue;
      v.state.textContent = row.label;
      v.fs.dataset.state = row.state;
      v.progress.textContent = row.progress;
    }
    summary.textContent = report.summary || "";
  }
  model.on("change:report", show);
  root.append(card);
  ask();
  // Due times move with the clock: refresh once a minute while the page is open.
  setInterval(() => { if (card.isConnected) ask(); }, 60000);
}

export default { render };
