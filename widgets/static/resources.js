// The completion record and the "your data in this browser" page (anywidget). Both read this
// browser's localStorage only; nothing here is sent to the kernel or the server.
// el(), kitKey(), kitPrint() come from dom.js.

function resRead(key, fallback) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || "null");
    return v === null || typeof v !== "object" ? fallback : v;
  } catch (e) {
    return fallback;
  }
}

function resOwnKeys() {
  const p = kitKey("");
  const keys = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k && k.startsWith(p)) keys.push(k);
  }
  return keys.sort();
}

// ------------------------------------------------------------------ the completion record
function renderRecord(model, root) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const card = el("section", "kit-card kit-record-card");
  card.setAttribute("aria-label", t("record-title"));
  const nameKey = kitKey("record-name");
  const wrap = el("div", "kit-field kit-no-print");
  const label = el("label", "", t("record-name"));
  const name = document.createElement("input");
  name.type = "text";
  name.id = "kit-record-name-" + Math.random().toString(36).slice(2, 8);
  name.className = "kit-record-name-input";
  name.maxLength = 120;
  label.htmlFor = name.id;
  try { name.value = localStorage.getItem(nameKey) || ""; } catch (e) { name.value = ""; }
  wrap.append(label, name, el("p", "kit-muted kit-small", t("record-name-private")));
  const sheet = el("article", "kit-print-page kit-record");
  const print = el("button", "jupyter-button mod-primary kit-record-print kit-no-print", t("record-print"));
  print.type = "button";
  print.addEventListener("click", () => kitPrint(sheet));
  card.append(wrap, sheet, print);

  function draw() {
    try {
      // An empty name is not kept: the data page would list an entry the learner never made.
      if (name.value) localStorage.setItem(nameKey, name.value); else localStorage.removeItem(nameKey);
    } catch (e) { /* the record still shows */ }
    const progress = resRead(kitKey("progress"), {});
    const quiz = resRead(kitKey("quiz"), {});
    sheet.textContent = "";
    sheet.append(el("h2", "", t("record-heading")));
    if (name.value.trim()) sheet.append(el("p", "kit-record-name", name.value.trim()));
    sheet.append(el("p", "kit-record-made", t("record-made").replace("{date}", new Date().toISOString().slice(0, 10))));
    const table = el("table", "kit-map-table kit-record-table");
    const head = el("tr");
    for (const k of ["record-col-module", "record-col-time", "record-col-completed", "record-col-check"]) {
      const th = el("th", "", t(k));
      th.scope = "col";
      head.append(th);
    }
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    let minutes = 0;
    let done = 0;
    for (const m of model.get("modules") || []) {
      const entry = progress[m.id];
      const completed = entry && typeof entry.completed === "string" ? entry.completed : "";
      if (completed) { minutes += m.minutes; done += 1; }
      const answers = quiz[m.id] && typeof quiz[m.id] === "object" ? Object.values(quiz[m.id]) : [];
      const right = answers.filter((a) => a && a.correct === true).length;
      const tr = el("tr");
      tr.dataset.module = m.id;
      tr.append(
        el("td", "", `${m.number}. ${m.title}`),
        el("td", "", t("record-minutes").replace("{minutes}", m.minutes)),
        el("td", "", completed || t("record-not-yet")),
        el("td", "", m.items ? t("record-check").replace("{answered}", answers.length).replace("{items}", m.items).replace("{right}", right) : ""),
      );
      body.append(tr);
    }
    table.append(thead, body);
    const hours = (minutes / 60).toFixed(1);
    sheet.append(table, el("p", "kit-record-total", t("record-total").replace("{done}", done).replace("{count}", (model.get("modules") || []).length).replace("{hours}", hours)));
    sheet.append(el("p", "kit-record-what", t("record-what")));
  }
  name.addEventListener("input", draw);
  window.addEventListener("kit-progress", draw);
  window.addEventListener("kit-data-cleared", draw);
  draw();
  root.append(card);
}

// ------------------------------------------------------------------ your data in this browser
function resKind(name) {
  if (name === "progress") return "progress";
  if (name === "quiz") return "quiz";
  if (name.startsWith("reflection:")) return "reflection";
  if (name.startsWith("cbi-")) return "self-check";
  if (name === "group-eval") return "group-eval";
  if (name.startsWith("poll-")) return "poll";
  if (name === "roleplay") return "roleplay";
  if (name.startsWith("solo:")) return "solo";
  if (name === "online-checklist" || name === "pledge-form") return "online";
  if (name.startsWith("timer:")) return "timer";
  if (name === "record-name") return "record";
  if (name === "theme" || name === "present") return "theme";  // both are how the site is shown
  return "other";
}

function renderMyData(model, root) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const card = el("section", "kit-card kit-mydata");
  card.setAttribute("aria-label", t("mydata-title"));
  card.append(el("h2", "", t("mydata-title")), el("p", "", t("mydata-explain")));
  const warn = el("p", "kit-content-note kit-mydata-shared", t("mydata-shared"));
  const list = el("div", "kit-mydata-list");
  list.setAttribute("aria-live", "polite");
  card.append(warn, list);

  function draw() {
    const p = kitKey("");
    const groups = {};
    for (const k of resOwnKeys()) {
      const name = k.slice(p.length);
      const kind = resKind(name);
      const size = (localStorage.getItem(k) || "").length;
      (groups[kind] = groups[kind] || []).push({ name, size });
    }
    list.textContent = "";
    const kinds = Object.keys(groups);
    if (!kinds.length) {
      list.append(el("p", "kit-mydata-empty", t("mydata-empty")));
      return;
    }
    const table = el("table", "kit-map-table kit-mydata-table");
    const head = el("tr");
    for (const k of ["mydata-col-what", "mydata-col-items", "mydata-col-size"]) { const th = el("th", "", t(k)); th.scope = "col"; head.append(th); }
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    const order = ["progress", "quiz", "reflection", "self-check", "group-eval", "poll", "roleplay", "solo", "online", "timer", "record", "theme", "other"];
    for (const kind of order.filter((k) => groups[k])) {
      const tr = el("tr");
      tr.dataset.kind = kind;
      const size = groups[kind].reduce((s, x) => s + x.size, 0);
      tr.append(el("td", "", t("mydata-kind-" + kind)), el("td", "", String(groups[kind].length)), el("td", "", t("mydata-chars").replace("{n}", size)));
      body.append(tr);
    }
    table.append(thead, body);
    list.append(table);
  }
  for (const ev of ["kit-progress", "kit-reflections", "kit-data-cleared", "storage"]) window.addEventListener(ev, draw);
  draw();
  root.append(card);
}

function render({ model, el: root }) {
  if (model.get("mode") === "record") renderRecord(model, root);
  else renderMyData(model, root);
}

export default { render };
