// Stockman's six statements (anywidget), and the instructor's class view.
//
// The learner's answers stay in this browser (localStorage). Only when the learner presses
// "send", the six numbers go straight from the browser to the course site's class poll
// (kitserver/poll_store.py through kitserver/poll_handlers.py), with a random token made for that class alone,
// so that one browser answers once per class and nothing links answers across classes. The
// kernel never sees the answers.

// el(), kitKey() come from dom.js (joined in front of this file by widgets/esm.py).

function pollBase() {
  return ((document.body && document.body.dataset.kitBase) || "/") + "kit/poll/classes";
}

function cookie(name) {
  const m = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
  return m ? decodeURIComponent(m[1]) : "";
}

// A POST carries the poll token the course page set (signed by the server: kitserver/poll_handlers.py),
// and the _xsrf cookie, which JupyterHub's own check reads under a hub login.
function postHeaders() {
  return { "Content-Type": "application/json", "X-Kit-Poll-Token": cookie("kit_poll_xsrf"), "X-XSRFToken": cookie("_xsrf") };
}

const LEARNER_STATUSES = ["received", "already-sent", "unknown-class", "invalid", "forbidden", "unavailable", "too-many"];

function readStored(key, fallback) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || "null");
    return v === null ? fallback : v;
  } catch {
    return fallback;
  }
}

function store(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function kitButton(text, cls, onClick) {
  const b = el("button", "jupyter-button " + cls, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function randomToken() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function normaliseCode(text) {
  return String(text || "").toUpperCase().replace(/[^A-Z0-9]/g, "");
}

function renderLearner(model, root) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const meta = model.get("meta");
  const key = kitKey("group-eval");
  const uid = Math.random().toString(36).slice(2, 8);
  const card = el("section", "kit-card kit-groupeval");
  card.setAttribute("aria-label", meta.title);
  card.append(el("h3", "", meta.title), el("p", "", meta.intro));
  const saved = readStored(key, {});
  let answers = (saved && typeof saved.draft === "object" && saved.draft) || {};
  const form = el("form", "kit-ge-form");
  form.addEventListener("submit", (e) => e.preventDefault());
  meta.statements.forEach((s, n) => {
    const fs = el("fieldset", "kit-ge-item");
    fs.dataset.statement = s.id;
    fs.append(el("legend", "kit-prompt", `${n + 1}. ${s.text}`));
    const row = el("div", "kit-ge-scale");
    row.append(el("span", "kit-muted kit-small kit-ge-end", meta.low_label));
    for (let v = meta.minimum; v <= meta.maximum; v++) {
      const label = el("label", "kit-ge-point");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = `kit-${uid}-${s.id}`;
      input.value = String(v);
      input.checked = answers[s.id] === v;
      input.setAttribute("aria-label", `${v}` + (v === meta.minimum ? ` (${meta.low_label})` : v === meta.maximum ? ` (${meta.high_label})` : ""));
      input.addEventListener("change", () => {
        answers[s.id] = v;
        const all = readStored(key, {});
        all.draft = answers;
        store(key, all);
      });
      label.append(input, el("span", "", String(v)));
      row.append(label);
    }
    row.append(el("span", "kit-muted kit-small kit-ge-end", meta.high_label));
    fs.append(row);
    form.append(fs);
  });
  card.append(form, el("p", "kit-muted kit-small", meta.labels_note));

  // ----- send to a class (optional)
  const send = el("div", "kit-ge-send");
  send.append(el("h4", "", t("ge-send-title")), el("p", "", t("ge-send-explain")), el("p", "kit-ge-caution", meta.caution || ""));
  const row = el("div", "kit-actions");
  const label = el("label", "", t("ge-class-code"));
  const input = document.createElement("input");
  input.type = "text";
  input.id = `kit-${uid}-code`;
  input.autocomplete = "off";
  input.maxLength = 12;
  input.className = "kit-ge-code";
  label.htmlFor = input.id;
  const status = el("p", "kit-status-line kit-ge-status");
  status.setAttribute("role", "status");
  const sendButton = kitButton(t("ge-send"), "mod-primary kit-ge-send-button", () => {
    const code = normaliseCode(input.value);
    const values = meta.statements.map((s) => answers[s.id]);
    if (!code) { status.textContent = t("ge-need-code"); return; }
    if (values.some((v) => typeof v !== "number")) { status.textContent = t("ge-need-all"); return; }
    // A class this browser has sent to already: say so without asking the server again.
    const sent = readStored(kitKey("poll-sent"), {});
    if (sent[code]) { status.textContent = t("ge-status-already-sent"); return; }
    const tokens = readStored(kitKey("poll-tokens"), {});
    if (!tokens[code]) { tokens[code] = randomToken(); store(kitKey("poll-tokens"), tokens); }
    sendButton.disabled = true;
    status.textContent = t("ge-sending");
    fetch(`${pollBase()}/${encodeURIComponent(code)}/responses`, {
      method: "POST",
      credentials: "same-origin",
      headers: postHeaders(),
      body: JSON.stringify({ token: tokens[code], answers: values }),
    })
      .then((r) => r.json().catch(() => ({})).then((body) => ({ code: r.status, body })))
      .then(({ code: http, body }) => {
        const kind = (body && body.status) || (http === 201 ? "received" : "failed");
        if (kind === "received" || kind === "already-sent") {
          const done = readStored(kitKey("poll-sent"), {});
          done[code] = true;
          store(kitKey("poll-sent"), done);
        }
        status.textContent = t("ge-status-" + (LEARNER_STATUSES.includes(kind) ? kind : "failed"));
      })
      .catch(() => { status.textContent = t("ge-status-failed"); })
      .finally(() => { sendButton.disabled = false; });
  });
  row.append(label, input, sendButton);
  send.append(row, status);
  card.append(send);
  root.append(card);
}

// What the site answered, in the instructor's words (a refusal is not "no answer").
const INSTRUCTOR_STATUSES = {
  "unknown-class": "cp-unknown-class", "wrong-key": "cp-wrong-key", forbidden: "cp-forbidden",
  unavailable: "cp-unavailable", "too-many": "cp-too-many",
};

function renderInstructor(model, root) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const meta = model.get("meta");
  const key = kitKey("poll-classes");
  const card = el("section", "kit-card kit-classpoll");
  card.setAttribute("aria-label", t("cp-title"));
  card.append(el("h3", "", t("cp-title")), el("p", "", t("cp-explain")));
  const status = el("p", "kit-status-line kit-cp-status");
  status.setAttribute("role", "status");
  const current = el("div", "kit-cp-current");
  const results = el("div", "kit-cp-results");
  results.setAttribute("aria-live", "polite");

  function show(cls) {
    current.textContent = "";
    results.textContent = "";
    if (!cls) return;
    const code = el("p", "kit-cp-code");
    code.append(el("span", "kit-muted", t("cp-code") + " "), el("b", "kit-cp-code-value", cls.code));
    const secret = el("details", "kit-cp-key");
    secret.append(el("summary", "", t("cp-key")), el("code", "kit-cp-key-value", cls.key), el("p", "kit-muted kit-small", t("cp-key-explain")));
    current.append(code, secret, kitButton(t("cp-refresh"), "mod-primary kit-cp-refresh", () => load(cls)));
  }

  function load(cls) {
    status.textContent = t("cp-loading");
    fetch(`${pollBase()}/${encodeURIComponent(cls.code)}/results`, { credentials: "same-origin", headers: { "X-Kit-Class-Key": cls.key } })
      .then((r) => r.json().catch(() => ({})).then((body) => ({ http: r.status, body })))
      .then(({ http, body }) => {
        results.textContent = "";
        if (http !== 200) {
          // Say what the site answered: a closed class, a key that does not open it, a refused
          // login or a poll that is down are not "no answer".
          const kind = body && body.status;
          if (kind === "unknown-class") {
            // The class is gone from the site (30 days): forget it here too.
            store(key, readStored(key, []).filter((c) => c && c.code !== cls.code));
            current.textContent = "";
          }
          status.textContent = t(INSTRUCTOR_STATUSES[kind] || "cp-failed").replace("{code}", cls.code);
          return;
        }
        status.textContent = "";
        results.append(el("p", "kit-cp-count", t("cp-responses").replace("{count}", body.responses)));
        if (!body.shown) {
          results.append(el("p", "kit-muted", t("cp-hidden").replaceAll("{threshold}", body.threshold)));
          return;
        }
        // The counts are released in batches (kitserver/poll_store.py): say which answers the table holds
        // and when it changes next, so that a table that did not move is not taken for a fault.
        const which = (body.shown_n === body.responses ? t("cp-shown-all") : t("cp-shown-some"))
          .replace("{shown}", body.shown_n)
          .replace("{count}", body.responses);
        const next = t("cp-next").replace("{batch}", body.threshold).replace("{next}", body.next_at);
        results.append(el("p", "kit-cp-batch", `${which} ${next}`));
        const table = el("table", "kit-map-table kit-cp-table");
        const cap = el("caption", "", t("cp-table-caption"));
        const head = el("tr");
        const th0 = el("th", "", t("cp-statement"));
        th0.scope = "col";
        head.append(th0);
        for (let v = meta.minimum; v <= meta.maximum; v++) { const th = el("th", "", String(v)); th.scope = "col"; head.append(th); }
        const thead = el("thead");
        thead.append(head);
        const tbody = el("tbody");
        body.statements.forEach((counts, i) => {
          const tr = el("tr");
          const th = el("th", "", `${i + 1}. ${meta.statements[i].text}`);
          th.scope = "row";
          tr.append(th);
          const most = Math.max(1, ...counts);
          counts.forEach((c) => {
            const td = el("td", "kit-cp-cell", String(c));
            td.style.setProperty("--kit-share", String(c / most));
            tr.append(td);
          });
          tbody.append(tr);
        });
        table.append(cap, thead, tbody);
        const wrap = el("div", "kit-table-wrap");
        wrap.append(table);
        results.append(wrap);
      })
      .catch(() => { status.textContent = t("cp-failed"); });
  }

  const open = kitButton(t("cp-open"), "mod-primary kit-cp-open", () => {
    status.textContent = t("cp-loading");
    fetch(pollBase(), { method: "POST", credentials: "same-origin", headers: postHeaders(), body: "{}" })
      .then((r) => r.json().catch(() => ({})).then((body) => ({ http: r.status, body })))
      .then(({ http, body: cls }) => {
        if (http !== 201) {
          status.textContent = t(INSTRUCTOR_STATUSES[cls && cls.status] || "cp-failed");
          return;
        }
        const classes = readStored(key, []);
        classes.push({ code: cls.code, key: cls.key });
        store(key, classes.slice(-20));
        status.textContent = t("cp-opened");
        show(cls);
        load(cls);
      })
      .catch(() => { status.textContent = t("cp-failed"); });
  });
  card.append(open, status, current, results);
  const classes = readStored(key, []);
  if (Array.isArray(classes) && classes.length) {
    const last = classes[classes.length - 1];
    show(last);
    load(last);
  }
  root.append(card);
}

function render({ model, el: root }) {
  if (model.get("mode") === "instructor") renderInstructor(model, root);
  else renderLearner(model, root);
}

export default { render };
