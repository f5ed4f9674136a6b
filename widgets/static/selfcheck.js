// The burnout self-check (anywidget). The questionnaire, the draft answers and the dated
// history live in this browser's localStorage only; Python (widgets/burnout_view.py) scores
// what it is sent, in memory, and returns the results and charts. Text from the data is
// always set with textContent.

// el(), kitKey() come from dom.js; kitDrawFigure() from plotly_load.js (joined by widgets/esm.py).

function render({ model, el: root }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const meta = model.get("meta");
  const draftKey = kitKey(meta.id + "-draft");
  const historyKey = kitKey(meta.id + "-history");
  const uid = Math.random().toString(36).slice(2, 8);

  const read = (key, fallback) => {
    try {
      const v = JSON.parse(localStorage.getItem(key) || "null");
      return v === null ? fallback : v;
    } catch {
      return fallback;
    }
  };
  const write = (key, value) => {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch {
      status.textContent = t("storage-failed");
      return false;
    }
  };
  const button = (text, cls, onClick) => {
    const b = el("button", "jupyter-button " + cls, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  };

  const card = el("section", "kit-card kit-selfcheck");
  card.setAttribute("aria-label", meta.name);
  card.append(el("h3", "", meta.name));
  const care = el("div", "kit-care");
  care.setAttribute("role", "note");
  care.append(el("p", "", meta.not_diagnosis), el("p", "kit-care-help"));
  care.lastChild.append(el("b", "", t("cbi-help-title") + " "), document.createTextNode(meta.help));
  card.append(care, el("p", "kit-muted", t("cbi-private")), el("p", "", meta.instructions));

  // ------------------------------------------------------------------ the questionnaire
  let answers = read(draftKey, {});
  if (typeof answers !== "object" || Array.isArray(answers)) answers = {};
  const form = el("form", "kit-cbi-form");
  form.addEventListener("submit", (e) => e.preventDefault());
  const inputs = {};
  let scale = null;
  let number = 0;
  for (const item of model.get("items")) {
    if (item.scale !== scale) {
      scale = item.scale;
      const info = meta.scales.find((s) => s.name === scale) || {};
      const head = el("div", "kit-cbi-scale");
      head.append(el("h4", "", scale), el("p", "kit-muted", info.definition || ""));
      form.append(head);
    }
    number += 1;
    const fs = el("fieldset", "kit-cbi-item");
    fs.dataset.item = item.id;
    fs.append(el("legend", "kit-prompt", `${number}. ${item.text}`));
    const row = el("div", "kit-cbi-options");
    inputs[item.id] = item.options.map((o) => {
      const label = el("label", "kit-option");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = `kit-${uid}-${item.id}`;
      input.value = String(o.value);
      input.checked = answers[item.id] === o.value;
      input.addEventListener("change", () => {
        answers[item.id] = o.value;
        write(draftKey, answers);
      });
      label.append(input, el("span", "", o.label));
      row.append(label);
      return input;
    });
    fs.append(row);
    form.append(fs);
  }
  card.append(form);
  const status = el("p", "kit-status-line");
  status.setAttribute("role", "status");
  if (Object.keys(answers).length) status.textContent = t("cbi-draft-kept");

  const actions = el("div", "kit-actions");
  actions.append(
    button(t("cbi-score"), "mod-primary kit-cbi-score", () => model.send({ kind: "score", answers })),
    button(t("cbi-clear"), "kit-cbi-clear", () => {
      answers = {};
      write(draftKey, null);
      Object.values(inputs).flat().forEach((x) => { x.checked = false; });
      status.textContent = "";
      resultArea.textContent = "";
    }),
  );
  card.append(actions, status);

  // ------------------------------------------------------------------ results
  const resultArea = el("div", "kit-cbi-result");
  resultArea.setAttribute("aria-live", "polite");
  card.append(resultArea);

  function chart(spec, label) {
    const box = el("div", "kit-chart");
    box.setAttribute("role", "figure");  // a figure may hold plotly's controls; an img may not (axe: nested-interactive)
    box.setAttribute("aria-label", label);
    kitChartNote(box, t("chart-loading"), "loading");
    kitDrawFigure(box, spec, model.get("asset_version")).catch(() => kitChartNote(box, t("chart-unavailable"), "failed"));
    return box;
  }

  function showResult() {
    const r = model.get("result") || {};
    resultArea.textContent = "";
    if (!r.scales) return;
    resultArea.append(el("h4", "", t("cbi-results")));
    if (r.unanswered) resultArea.append(el("p", "kit-muted", t("cbi-unanswered").replace("{count}", r.unanswered)));
    const list = el("ul", "kit-cbi-scores");
    for (const s of r.scales) {
      const li = el("li");
      li.dataset.scale = s.id;
      li.append(el("b", "", s.name + ": "), document.createTextNode((s.score === null ? "" : s.score.toFixed(1) + ". ") + s.message));
      list.append(li);
    }
    resultArea.append(list, chart(r.figure, r.label));
    if (meta.threshold_note) resultArea.append(el("p", "kit-muted kit-small", meta.threshold_note));
    for (const s of meta.scales.filter((x) => !x.published)) {
      resultArea.append(el("p", "kit-muted kit-small", s.name + ": " + s.rule));
    }
    const scored = r.scales.some((s) => s.score !== null);
    if (scored) {
      resultArea.append(button(t("cbi-save"), "mod-primary kit-cbi-save", () => {
        const history = read(historyKey, []);
        const today = new Date();
        const day = [today.getFullYear(), String(today.getMonth() + 1).padStart(2, "0"), String(today.getDate()).padStart(2, "0")].join("-");
        history.push({ date: day, answers: r.answers });
        if (write(historyKey, history)) {
          write(draftKey, null);
          status.textContent = t("cbi-saved");
          sendHistory();
        }
      }));
    }
  }

  // ------------------------------------------------------------------ history
  const historyBox = el("section", "kit-cbi-history");
  historyBox.append(el("h4", "", t("cbi-history")));
  const trendArea = el("div", "kit-cbi-trend");
  const historyStatus = el("p", "kit-status-line");
  historyStatus.setAttribute("role", "status");
  const file = document.createElement("input");
  file.type = "file";
  file.accept = ".csv,text/csv";
  file.className = "kit-sr";
  file.tabIndex = -1;  // reached through the Import button
  file.setAttribute("aria-hidden", "true");
  file.addEventListener("change", () => {
    const f = file.files && file.files[0];
    if (!f) return;
    f.text().then((text) => model.send({ kind: "import", text }));
    file.value = "";
  });
  const importButton = button(t("cbi-import"), "kit-cbi-import", () => file.click());
  let confirming = false;
  const del = button(t("cbi-delete"), "kit-danger kit-cbi-delete", () => {
    if (!confirming) {
      confirming = true;
      del.textContent = t("cbi-delete-confirm");
      return;
    }
    confirming = false;
    del.textContent = t("cbi-delete");
    write(historyKey, null);
    write(draftKey, null);
    historyStatus.textContent = t("cbi-deleted");
    sendHistory();
  });
  del.addEventListener("blur", () => { confirming = false; del.textContent = t("cbi-delete"); });
  const historyActions = el("div", "kit-actions");
  historyActions.append(button(t("cbi-export"), "kit-cbi-export", () => model.send({ kind: "export" })), importButton, file, del);
  historyBox.append(trendArea, historyActions, historyStatus, el("p", "kit-muted kit-small", t("shared-computer")));
  card.append(historyBox, el("p", "kit-muted kit-small kit-cbi-licence", meta.licence + " " + meta.cite));

  function showTrend() {
    const tr = model.get("trend") || {};
    trendArea.textContent = "";
    if (!tr.rows) {
      trendArea.append(el("p", "kit-muted", t("cbi-history-empty")));
      return;
    }
    trendArea.append(chart(tr.figure, tr.label));
    const table = el("table", "kit-map-table kit-cbi-table");
    const head = el("tr");
    [t("cbi-col-date")].concat(tr.columns).forEach((c) => { const th = el("th", "", c); th.scope = "col"; head.append(th); });
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    for (const row of tr.rows) {
      const r = el("tr");
      r.append(el("td", "", row.date));
      row.scores.forEach((s) => r.append(el("td", "", s === null ? t("cbi-no-score-short") : s.toFixed(1))));
      body.append(r);
    }
    table.append(thead, body);
    const details = el("details");
    details.append(el("summary", "", t("cbi-history")), table);
    trendArea.append(details);
  }

  function sendHistory() {
    model.send({ kind: "history", history: read(historyKey, []) });
  }

  model.on("msg:custom", (msg) => {
    if (!msg || typeof msg !== "object") return;
    if (msg.kind === "csv") {
      const blob = new Blob([msg.text], { type: "text/csv" });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = meta.id + "-self-check.csv";
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    } else if (msg.kind === "imported") {
      if (write(historyKey, msg.history)) {
        historyStatus.textContent = t("cbi-imported").replace("{count}", msg.count);
        sendHistory();
      }
    } else if (msg.kind === "import-failed") {
      historyStatus.textContent = msg.message;
    }
  });
  model.on("change:result", showResult);
  model.on("change:trend", showTrend);
  root.append(card);
  showResult();
  showTrend();
  sendHistory();
}

export default { render };
