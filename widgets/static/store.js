// The kit's browser store (anywidget). Keeps progress, knowledge-check answers and
// reflections in this browser's localStorage; exports them to a file, imports a file and
// deletes them on request. Keys: "balint-kit:v1:<base url>:progress", ":quiz", ":reflection:<id>".
//
// An imported file is read and checked here, in the browser (import_check.js): its reflections
// and the rest of the learner's data are written to localStorage directly and never sent to the
// kernel. Only its progress and knowledge-check answers reach the kernel, through the `progress`
// and `quiz` traits as on every page load, where Python checks them again.

// kitKey(), kitPlural() come from dom.js and checkImport() and the IMPORT_ constants from import_check.js,
// joined in front of this file by widgets/esm.py.
function prefix() {
  return kitKey("");
}

function readJSON(key) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

function writeJSON(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function ownKeys() {
  const p = prefix();
  const keys = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k && k.startsWith(p)) keys.push(k);
  }
  return keys;
}

function collect() {
  const p = prefix();
  const reflections = {};
  const other = {};
  for (const k of ownKeys()) {
    const name = k.slice(p.length);
    if (name.startsWith("reflection:")) reflections[name.slice("reflection:".length)] = readJSON(k);
    else if (name !== "progress" && name !== "quiz") other[name] = localStorage.getItem(k);
  }
  return {
    kit: IMPORT_KIT_ID, // the file's format, as import_check.js reads it back
    version: IMPORT_VERSION,
    exported: new Date().toISOString().slice(0, 10),
    progress: readJSON(p + "progress"),
    quiz: readJSON(p + "quiz"),
    reflections,
    other,
  };
}

function initialize({ model }) {
  const p = prefix();
  model.set("progress", readJSON(p + "progress"));
  model.set("quiz", readJSON(p + "quiz"));
  model.set("loaded", true);
  model.save_changes();
  const persist = (name) => () => {
    if (!model.get("loaded")) return;
    const value = model.get(name);
    if (!value || !Object.keys(value).length) {
      // Nothing to keep: leave no empty entry behind (after "delete my data" the store is bare).
      try { localStorage.removeItem(p + name); } catch { /* nothing stored */ }
    } else if (!writeJSON(p + name, value)) {
      model.set("status", (model.get("texts") || {})["storage-failed"] || "");
    }
    window.dispatchEvent(new CustomEvent("kit-progress"));
  };
  model.on("change:progress", persist("progress"));
  model.on("change:quiz", persist("quiz"));
}

// What an import took and what it left out, in the words of data/ui/<language>.yaml.
function importMessage(texts, found) {
  const parts = ["modules", "answers", "reflections", "other"];
  const count = (part, n) => kitPlural(texts["import-count-" + part], n);
  const names = Object.fromEntries(parts.map((part) => [part, count(part, found.counts[part])]));
  let text = kitPlural(texts["import-done"] || "", 0, names);
  const leftOut = parts.filter((part) => found.leftOut[part] > 0);
  if (leftOut.length) {
    const total = leftOut.reduce((sum, part) => sum + found.leftOut[part], 0);
    // Entries of the file, not the learner's work ("2 module records", not "2 completed modules").
    const items = leftOut.map((part) => kitPlural(texts["import-out-" + part], found.leftOut[part]));
    // A plain list after the text's colon ("2 answers, 1 reflection"), in the page's language.
    let list = items.join(", ");
    try {
      list = new Intl.ListFormat(document.documentElement.lang || "en", { type: "unit" }).format(items);
    } catch { /* an unknown language: the items with commas */ }
    text += " " + kitPlural(texts["import-left-out"] || "", total, { items: list });
  }
  return text;
}

// Keep what checkImport() found in the file: the reflections and the rest in localStorage, the
// progress and answers merged into the traits (the kernel checks them; persist() stores them).
// False if the browser's storage refused an entry.
function importKeep(model, found) {
  const p = prefix();
  let stored = true;
  for (const [id, entry] of Object.entries(found.reflections)) {
    if (!writeJSON(p + "reflection:" + id, entry)) stored = false;
  }
  for (const [name, text] of Object.entries(found.other)) {
    try { localStorage.setItem(p + name, text); } catch { stored = false; }
  }
  model.set("progress", { ...(model.get("progress") || {}), ...found.progress });
  const quiz = { ...(model.get("quiz") || {}) };
  for (const [module, answers] of Object.entries(found.quiz)) quiz[module] = { ...(quiz[module] || {}), ...answers };
  model.set("quiz", quiz);
  model.save_changes();
  window.dispatchEvent(new CustomEvent("kit-reflections"));
  return stored;
}

function render({ model, el }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  el.classList.add("kit-store");
  el.innerHTML = "";
  const box = document.createElement("div");
  box.className = "kit-card kit-store-card";
  const h = document.createElement("h3");
  h.textContent = t("store-title");
  const p = document.createElement("p");
  p.className = "kit-muted";
  p.textContent = t("store-explain");
  const row = document.createElement("div");
  row.className = "kit-store-row";

  const exportBtn = document.createElement("button");
  exportBtn.type = "button";
  exportBtn.className = "jupyter-button kit-export";
  exportBtn.textContent = t("export");
  exportBtn.addEventListener("click", () => {
    const blob = new Blob([JSON.stringify(collect(), null, 2)], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "balint-kit-my-data-" + new Date().toISOString().slice(0, 10) + ".json";
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    model.set("status", t("export-done"));
    model.save_changes();
  });

  const importLabel = document.createElement("label");
  importLabel.className = "jupyter-button kit-import";
  importLabel.textContent = t("import");
  const input = document.createElement("input");
  input.type = "file";
  input.accept = "application/json,.json";
  input.className = "kit-sr";
  input.setAttribute("aria-label", t("import"));
  importLabel.appendChild(input);
  // The import's message is shown here only: it is not sent to the kernel.
  const say = (text) => { status.textContent = text; };
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    if (file.size > IMPORT_MAX_BYTES) return say(t("import-too-large"));
    let text;
    try {
      text = await file.text();
    } catch {
      return say(t("import-failed"));
    }
    const found = checkImport(text);
    if (!found.ok) return say(t("import-" + found.problem));
    const stored = importKeep(model, found);
    say(stored ? importMessage(model.get("texts") || {}, found) : t("storage-failed"));
  });

  const del = document.createElement("button");
  del.type = "button";
  del.className = "jupyter-button kit-delete";
  del.textContent = t("delete");
  let armed = false;
  del.addEventListener("click", () => {
    if (!armed) {
      armed = true;
      del.textContent = t("delete-confirm");
      setTimeout(() => { armed = false; del.textContent = t("delete"); }, 6000);
      return;
    }
    for (const k of ownKeys()) localStorage.removeItem(k);
    window.dispatchEvent(new CustomEvent("kit-data-cleared"));
    armed = false;
    del.textContent = t("delete");
    window.dispatchEvent(new CustomEvent("kit-reflections"));
    window.dispatchEvent(new CustomEvent("kit-progress"));
    model.send({ kind: "cleared" });
  });

  row.append(exportBtn, importLabel, del);
  const status = document.createElement("p");
  status.className = "kit-store-status";
  status.setAttribute("role", "status");
  const showStatus = () => { status.textContent = model.get("status") || ""; };
  model.on("change:status", showStatus);
  showStatus();
  const shared = document.createElement("p");
  shared.className = "kit-muted kit-small";
  shared.textContent = t("shared-computer");
  box.append(h, p, row, status, shared);
  el.appendChild(box);
}

export default { initialize, render };
