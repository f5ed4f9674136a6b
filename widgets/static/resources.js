// The completion record and the "your data in this browser" page (anywidget). Both read this
// browser's localStorage only; nothing here is sent to the kernel or the server.
// el(), kitKey(), kitPrint() come from dom.js.

function resRead(key, fallback) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || "null");
    return v === null || typeof v !== "object" ? fallback : v;
  } catch {
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

// A module's knowledge check as the record shows it: how many of its items have a stored
// answer (tried), and how many were right at the first try. An entry of the format with
// retries says so in `first_try`; an older entry ({chosen, correct}) had one try only.
function resFirstTry(answers, itemIds) {
  let tried = 0;
  let right = 0;
  const a = answers && typeof answers === "object" ? answers : {};
  for (const id of itemIds) {
    const entry = a[id];
    if (!entry || typeof entry !== "object") continue;
    tried += 1;
    const first = "first_try" in entry ? entry.first_try : entry.correct;
    if (first === true) right += 1;
  }
  return { tried, right };
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
  try { name.value = localStorage.getItem(nameKey) || ""; } catch { name.value = ""; }
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
    } catch { /* the record still shows */ }
    const progress = resRead(kitKey("progress"), {});
    const quiz = resRead(kitKey("quiz"), {});
    const modules = model.get("modules") || [];
    sheet.textContent = "";
    sheet.append(el("h2", "", t("record-heading")));
    // First, in words a reviewer cannot miss: self-declared, made by the learner, checked by no one.
    sheet.append(el("p", "kit-record-self-declared", t("record-self-declared")));
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
    for (const m of modules) {
      const entry = progress[m.id];
      const completed = entry && typeof entry.completed === "string" ? entry.completed : "";
      if (completed) { minutes += m.minutes; done += 1; }
      const score = resFirstTry(quiz[m.id], m.item_ids || []);
      const tr = el("tr");
      tr.dataset.module = m.id;
      let check = "";
      if (m.items && score.tried === m.items) check = kitPlural(t("record-first-try"), m.items, { right: score.right });
      else if (m.items && score.tried) check = kitPlural(t("record-tried"), m.items, { tried: score.tried });
      else if (m.items) check = t("record-check-none");
      tr.append(
        el("td", "", `${m.number}. ${m.title}`),
        el("td", "", t("record-minutes").replace("{minutes}", m.minutes)),
        el("td", "", completed || t("record-not-yet")),
        el("td", "", check),
      );
      body.append(tr);
    }
    table.append(thead, body);
    const hours = (minutes / 60).toFixed(1);
    sheet.append(table, el("p", "kit-record-total", kitPlural(t("record-total"), modules.length, { done, hours })));
    const what = el("section", "kit-record-what");
    what.append(
      el("h3", "", t("record-what-title")),
      el("p", "kit-record-attests", t("record-attests")),
      el("p", "kit-record-not-attests", t("record-not-attests")),
    );
    sheet.append(what);
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
  if (name === "order-seed") return "order";
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

// What a learner would count in one kind of data: modules marked complete, answers given,
// reflections written, self-check results saved, notes written; for the rest, the entries.
function resParse(text) {
  try { return JSON.parse(text); } catch { return null; }
}

function resCount(kind, entries) {
  const obj = (v) => (v && typeof v === "object" && !Array.isArray(v) ? v : {});
  if (kind === "progress") {
    return entries.reduce((n, x) => n + Object.values(obj(resParse(x.text))).filter((e) => e && typeof e.completed === "string").length, 0);
  }
  if (kind === "quiz") {
    return entries.reduce((n, x) => n + Object.values(obj(resParse(x.text))).reduce((m, items) => m + Object.keys(obj(items)).length, 0), 0);
  }
  if (kind === "reflection") {
    return entries.filter((x) => { const v = obj(resParse(x.text)); return typeof v.text === "string" && v.text.trim(); }).length;
  }
  if (kind === "self-check") {
    // Saved results (each a dated attempt); answers in progress (the draft) are not a result.
    return entries.reduce((n, x) => {
      const v = x.name.endsWith("-history") ? resParse(x.text) : null;
      return n + (Array.isArray(v) ? v.length : 0);
    }, 0);
  }
  if (kind === "solo") return entries.filter((x) => x.text.trim()).length;
  return entries.length;
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
      const text = localStorage.getItem(k) || "";
      (groups[kind] = groups[kind] || []).push({ name, text, size: text.length });
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
    const order = ["progress", "quiz", "order", "reflection", "self-check", "group-eval", "poll", "roleplay", "solo", "online", "timer", "record", "theme", "other"];
    for (const kind of order.filter((k) => groups[k])) {
      const tr = el("tr");
      tr.dataset.kind = kind;
      const size = groups[kind].reduce((s, x) => s + x.size, 0);
      const n = resCount(kind, groups[kind]);
      const forms = (model.get("texts") || {})["mydata-count-" + kind] || t("mydata-count-entries");
      tr.dataset.count = String(n);
      tr.append(el("td", "", t("mydata-kind-" + kind)), el("td", "", kitPlural(forms, n)), el("td", "", kitPlural(t("mydata-chars"), size)));
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
