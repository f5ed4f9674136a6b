// Module 5's widgets (anywidget): the case library, the guided role-play, solo rehearsal.
// Names, notes and associations stay in this browser (localStorage); the kernel only works
// out the seats for a number of participants and switches the timer's format. Text from the
// data is always set with textContent. el(), kitKey(), kitPrint() come from dom.js.

function rpText(model) {
  return (k) => (model.get("texts") || {})[k] || k;
}

function rpButton(text, cls, onClick) {
  const b = el("button", "jupyter-button " + cls, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function rpRead(key, fallback) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || "null");
    return v === null || typeof v !== "object" ? fallback : v;
  } catch {
    return fallback;
  }
}

function rpWrite(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function rpSelect(id, label, options, value) {
  const wrap = el("div", "kit-field");
  const l = el("label", "", label);
  const s = document.createElement("select");
  s.id = id;
  l.htmlFor = id;
  for (const [v, text] of options) {
    const o = el("option", "", text);
    o.value = v;
    s.append(o);
  }
  if (value !== undefined) s.value = value;
  wrap.append(l, s);
  return { wrap, select: s };
}

function rpBroken(t, model, card) {
  for (const message of model.get("broken") || []) {
    const err = el("div", "kit-error");
    err.setAttribute("role", "alert");
    err.append(el("p", "", message), el("p", "", t("case-broken")));
    card.append(err);
  }
}

// The case as a handout: title, badges, fictional line, content note, story, feelings, request.
function rpCaseHandout(t, c, withUnsaid) {
  const page = el("article", "kit-print-page kit-case");
  page.dataset.case = c.id;
  page.append(el("h3", "", c.title));
  page.append(el("p", "kit-muted kit-small", [t("setting-" + c.setting), c.profession, t("difficulty-" + c.difficulty), c.themes.join(", ")].join(" · ")));
  if (c.content_note) page.append(el("p", "kit-content-note", t("case-content-note") + " " + c.content_note));
  page.append(el("h4", "", t("case-story")), el("p", "", c.story), el("h4", "", t("case-felt")), el("p", "", c.felt));
  if (withUnsaid) page.append(el("h4", "", t("case-unsaid")), el("p", "", c.unsaid));
  const req = el("p", "kit-case-request");
  req.append(el("b", "", t("case-request") + " "), document.createTextNode(c.request));
  page.append(req, el("p", "kit-muted kit-small", c.fictional));
  return page;
}

function rpFilters(t, cases, uid, onChange) {
  const unique = (xs) => Array.from(new Set(xs)).sort();
  const bar = el("div", "kit-ev-filters kit-case-filters");
  const setting = rpSelect(`kit-${uid}-setting`, t("case-filter-setting"), [["", t("case-all")]].concat(unique(cases.map((c) => c.setting)).map((s) => [s, t("setting-" + s)])));
  const theme = rpSelect(`kit-${uid}-theme`, t("case-filter-theme"), [["", t("case-all")]].concat(unique(cases.flatMap((c) => c.themes)).map((s) => [s, s])));
  const difficulty = rpSelect(`kit-${uid}-difficulty`, t("case-filter-difficulty"), [["", t("case-all")]].concat(["introductory", "intermediate", "advanced"].filter((d) => cases.some((c) => c.difficulty === d)).map((d) => [d, t("difficulty-" + d)])));
  setting.select.dataset.filter = "setting";
  theme.select.dataset.filter = "theme";
  difficulty.select.dataset.filter = "difficulty";
  for (const f of [setting, theme, difficulty]) {
    f.select.addEventListener("change", onChange);
    bar.append(f.wrap);
  }
  const matching = () => cases.filter((c) =>
    (!setting.select.value || c.setting === setting.select.value) &&
    (!theme.select.value || c.themes.includes(theme.select.value)) &&
    (!difficulty.select.value || c.difficulty === difficulty.select.value));
  return { bar, matching };
}

// ------------------------------------------------------------------ the case library
function renderLibrary(model, root) {
  const t = rpText(model);
  const cases = model.get("cases") || [];
  const uid = Math.random().toString(36).slice(2, 8);
  const card = el("section", "kit-card kit-case-library");
  card.setAttribute("aria-label", t("case-library-title"));
  card.append(el("h3", "", t("case-library-title")), el("p", "kit-muted", t("case-library-explain")));
  rpBroken(t, model, card);
  const list = el("div", "kit-case-list");
  const count = el("p", "kit-muted kit-case-count");
  count.setAttribute("role", "status");
  const filters = rpFilters(t, cases, uid, show);
  const draw = rpButton(t("case-draw"), "mod-primary kit-case-draw", () => {
    const pool = filters.matching();
    if (!pool.length) return;
    const c = pool[Math.floor(Math.random() * pool.length)];
    const item = list.querySelector(`[data-case="${c.id}"]`);
    list.querySelectorAll("details").forEach((d) => { d.open = false; });
    if (item) {
      item.open = true;
      item.scrollIntoView({ block: "nearest" });
      item.querySelector("summary").focus();
    }
    count.textContent = t("case-drawn").replace("{title}", c.title);
  });
  filters.bar.append(draw);
  card.append(filters.bar, count, list);

  function show() {
    const pool = filters.matching();
    list.textContent = "";
    for (const c of pool) {
      const d = el("details", "kit-case-item");
      d.dataset.case = c.id;
      const s = el("summary", "");
      s.append(el("b", "", c.title), document.createTextNode(" "), el("span", "kit-status", t("setting-" + c.setting)), document.createTextNode(" "), el("span", "kit-status", t("difficulty-" + c.difficulty)));
      d.append(s, rpCaseHandout(t, c, false));
      d.append(rpButton(t("case-print"), "kit-case-print kit-no-print", () => kitPrint(rpCaseHandout(t, c, false))));
      list.append(d);
    }
    count.textContent = t("case-count").replace("{shown}", pool.length).replace("{total}", cases.length);
    if (!pool.length) list.append(el("p", "kit-muted", t("case-none")));
  }
  show();
  root.append(card);
}

// ------------------------------------------------------------------ the guided role-play
function renderRolePlay(model, root) {
  const t = rpText(model);
  const cases = model.get("cases") || [];
  const key = kitKey("roleplay");
  const uid = Math.random().toString(36).slice(2, 8);
  const saved = rpRead(key, {});
  const card = el("section", "kit-card kit-roleplay");
  card.setAttribute("aria-label", t("rp-title"));
  card.append(el("h3", "", t("rp-title")), el("p", "kit-muted", t("rp-explain")));
  rpBroken(t, model, card);
  const save = (patch) => rpWrite(key, Object.assign(rpRead(key, {}), patch));

  // Step 1: the case
  const s1 = el("fieldset", "kit-rp-step");
  s1.append(el("legend", "", t("rp-step-case")));
  const caseSel = rpSelect(`kit-${uid}-case`, t("rp-case"), cases.map((c) => [c.id, `${c.title} (${t("setting-" + c.setting)}, ${t("difficulty-" + c.difficulty)})`]), saved.caseId);
  caseSel.select.classList.add("kit-rp-case");
  const caseInfo = el("div", "kit-rp-case-info");
  const drawn = rpButton(t("case-draw"), "kit-rp-draw", () => {
    caseSel.select.value = cases[Math.floor(Math.random() * cases.length)].id;
    caseChanged(true);
  });
  caseSel.select.addEventListener("change", () => caseChanged(true));
  const row1 = el("div", "kit-actions");
  row1.append(caseSel.wrap, drawn);
  s1.append(row1, caseInfo);
  const chosenCase = () => cases.find((c) => c.id === caseSel.select.value) || cases[0];
  function caseChanged(chosenByUser) {
    const c = chosenCase();
    if (chosenByUser) save({ caseId: c ? c.id : "" });  // showing the first case on a visit stores nothing
    caseInfo.textContent = "";
    if (!c) return;
    caseInfo.append(el("p", "", c.request));
    if (c.content_note) caseInfo.append(el("p", "kit-content-note", t("case-content-note") + " " + c.content_note));
  }

  // Step 2: participants
  const s2 = el("fieldset", "kit-rp-step");
  s2.append(el("legend", "", t("rp-step-people")));
  const nWrap = el("div", "kit-field");
  const nLabel = el("label", "", t("rp-number"));
  const n = document.createElement("input");
  n.type = "number";
  n.min = "3";
  n.max = "40";
  n.id = `kit-${uid}-n`;
  n.className = "kit-rp-n";
  n.value = saved.n || "10";
  nLabel.htmlFor = n.id;
  nWrap.append(nLabel, n);
  const namesWrap = el("div", "kit-field");
  const namesLabel = el("label", "", t("rp-names"));
  const names = document.createElement("textarea");
  names.id = `kit-${uid}-names`;
  names.className = "kit-rp-names";
  names.rows = 4;
  names.value = typeof saved.names === "string" ? saved.names : "";
  namesLabel.htmlFor = names.id;
  namesWrap.append(namesLabel, names, el("p", "kit-muted kit-small", t("rp-names-private")));
  const behaviourLabel = el("label", "kit-option");
  const behaviourBox = document.createElement("input");
  behaviourBox.type = "checkbox";
  behaviourBox.className = "kit-rp-behaviours";
  behaviourBox.checked = !!saved.behaviours;
  behaviourLabel.append(behaviourBox, el("span", "", t("rp-behaviours")));
  const seatStatus = el("p", "kit-status-line kit-rp-seat-status");
  seatStatus.setAttribute("role", "status");
  const assign = rpButton(t("rp-assign"), "mod-primary kit-rp-assign", () => {
    const value = Number(n.value);
    save({ n: n.value, names: names.value, behaviours: behaviourBox.checked, people: null });
    model.send({ kind: "seats", n: Number.isFinite(value) ? value : -1, behaviours: behaviourBox.checked });
  });
  const table = el("div", "kit-rp-seating");
  s2.append(nWrap, namesWrap, behaviourLabel, assign, seatStatus, table);

  // Step 3: print
  const s3 = el("fieldset", "kit-rp-step");
  s3.append(el("legend", "", t("rp-step-print")), el("p", "kit-muted", t("rp-print-explain")));
  const printCards = rpButton(t("rp-print-cards"), "mod-primary kit-rp-print", () => kitPrint(handouts()));
  const printCase = rpButton(t("rp-print-case"), "kit-rp-print-case", () => kitPrint(rpCaseHandout(t, chosenCase(), false)));
  const row3 = el("div", "kit-actions");
  row3.append(printCards, printCase);
  s3.append(row3);

  // Step 4: run
  const s4 = el("fieldset", "kit-rp-step");
  s4.append(el("legend", "", t("rp-step-run")));
  const presetSel = rpSelect(`kit-${uid}-preset`, t("rp-format"), (model.get("presets") || []).map((p) => [p.id, p.title]), (model.get("preset") || {}).id);
  presetSel.select.classList.add("kit-rp-preset");
  presetSel.select.addEventListener("change", () => model.send({ kind: "preset", id: presetSel.select.value }));
  const now = el("div", "kit-rp-prompts");
  now.setAttribute("aria-live", "polite");
  s4.append(presetSel.wrap, el("p", "kit-muted kit-small", t("rp-run-explain")), now);

  // Step 5: debrief (shown when the timer finishes)
  const s5 = el("fieldset", "kit-rp-step kit-rp-debrief");
  s5.append(el("legend", "", t("rp-step-debrief")));
  const qs = el("ol");
  for (const k of ["rp-debrief-1", "rp-debrief-2", "rp-debrief-3", "rp-debrief-4"]) qs.append(el("li", "", t(k)));
  s5.append(el("p", "", t("rp-debrief-explain")), qs, el("p", "kit-muted", t("rp-debrief-stockman")));
  s5.hidden = true;
  card.append(s1, s2, s3, s4, s5);

  let people = Array.isArray(saved.people) ? saved.people : [];

  function roleName(kind) {
    const r = (model.get("roles") || {})[kind];
    return r ? r.name : kind;
  }
  function showSeating() {
    table.textContent = "";
    if (!people.length) return;
    const tb = el("table", "kit-map-table kit-rp-table");
    const head = el("tr");
    for (const k of ["rp-col-person", "rp-col-role", "rp-col-behaviour"]) { const th = el("th", "", t(k)); th.scope = "col"; head.append(th); }
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    for (const p of people) {
      const tr = el("tr");
      tr.dataset.role = p.role;
      const b = (model.get("behaviours") || []).find((x) => x.id === p.behaviour);
      tr.append(el("td", "", p.name), el("td", "", roleName(p.role)), el("td", "", b ? b.name : ""));
      body.append(tr);
    }
    tb.append(thead, body);
    table.append(tb);
  }
  model.on("change:seating", () => {
    const seating = model.get("seating") || {};
    if (seating.error) {
      seatStatus.textContent = seating.error;
      return;
    }
    const typed = names.value.split("\n").map((x) => x.trim()).filter(Boolean).slice(0, seating.roles.length);
    // Names are shuffled in the browser, so the first name typed is not always the leader.
    for (let i = typed.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [typed[i], typed[j]] = [typed[j], typed[i]]; }
    people = seating.roles.map((role, i) => ({ name: typed[i] || t("rp-participant").replace("{n}", i + 1), role, behaviour: seating.behaviours[i] || null }));
    save({ people });
    seatStatus.textContent = t("rp-assigned").replace("{count}", people.length);
    showSeating();
    showPrompts(shownPhase.key, shownPhase.finished);  // only the roles now in play
  });

  function handouts() {
    const box = el("div", "kit-rp-handouts");
    const roles = model.get("roles") || {};
    const c = chosenCase();
    const list = people.length ? people : [];
    for (const p of list) {
      const r = roles[p.role] || { name: p.role, card: "", tips: [] };
      const page = el("article", "kit-print-page kit-role-card");
      page.dataset.role = p.role;
      page.append(el("p", "kit-muted kit-small", t("rp-card-for")), el("h3", "", `${p.name}: ${r.name}`), el("p", "", r.card));
      if (r.tips.length) {
        const ul = el("ul");
        r.tips.forEach((tip) => ul.append(el("li", "", tip)));
        page.append(ul);
      }
      const b = (model.get("behaviours") || []).find((x) => x.id === p.behaviour);
      if (b) page.append(el("h4", "", t("rp-your-behaviour") + " " + b.name), el("p", "", b.prompt));
      if (p.role === "presenter" && c) page.append(rpCaseHandout(t, c, true));
      box.append(page);
    }
    if (!list.length) box.append(el("p", "", t("rp-no-seats")));
    return box;
  }

  let shownPhase = { key: null, finished: false };
  function showPrompts(phaseKey, finished) {
    shownPhase = { key: phaseKey, finished };
    now.textContent = "";
    const preset = model.get("preset") || {};
    if (finished) {
      s5.hidden = false;
      now.append(el("p", "kit-rp-phase", t("rp-finished")));
      return;
    }
    s5.hidden = true;
    const phaseId = String(phaseKey || "").replace(/-\d+$/, "");
    const name = (preset.phases || {})[phaseKey] || phaseId;
    now.append(el("h4", "kit-rp-phase", t("rp-now").replace("{phase}", name)));
    const base = (model.get("prompts") || {})[phaseId] || {};
    const extra = preset.setting === "online" ? ((model.get("online_prompts") || {})[phaseId] || {}) : {};
    // The roles in play: those seated in step 2; before anyone is seated, the roles of every
    // circle, and observers only in the format made for them (the online demonstration).
    const unseated = ["leader", "co-leader", "presenter", "member"].concat(preset.setting === "demonstration" ? ["observer"] : []);
    const kinds = people.length ? Array.from(new Set(people.map((p) => p.role))) : unseated;
    const dl = el("dl", "kit-rp-prompt-list");
    for (const kind of ["leader", "co-leader", "presenter", "member", "observer"].filter((k) => kinds.includes(k))) {
      if (!base[kind] && !extra[kind]) continue;
      const dt = el("dt", "", roleName(kind));
      const dd = el("dd", "", [base[kind], extra[kind]].filter(Boolean).join(" "));
      dd.dataset.role = kind;
      dl.append(dt, dd);
    }
    now.append(dl);
  }
  window.addEventListener("kit-timer-phase", (e) => {
    if (!card.isConnected || !e.detail || e.detail.planId !== model.get("plan_id")) return;
    showPrompts(e.detail.id, e.detail.finished);
  });
  model.on("change:preset", () => {
    const p = model.get("preset") || {};
    presetSel.select.value = p.id || "";
    const first = Object.keys(p.phases || {})[0];
    showPrompts(first, false);
  });
  caseChanged();
  showSeating();
  showPrompts(Object.keys((model.get("preset") || {}).phases || {})[0], false);
  root.append(card);
}

// ------------------------------------------------------------------ solo rehearsal
function renderSolo(model, root) {
  const t = rpText(model);
  const cases = model.get("cases") || [];
  const uid = Math.random().toString(36).slice(2, 8);
  const card = el("section", "kit-card kit-solo");
  card.setAttribute("aria-label", t("solo-title"));
  card.append(el("h3", "", t("solo-title")), el("p", "kit-muted", t("solo-explain")));
  rpBroken(t, model, card);
  const top = el("div", "kit-actions");
  const caseSel = rpSelect(`kit-${uid}-case`, t("rp-case"), cases.map((c) => [c.id, c.title]));
  caseSel.select.classList.add("kit-solo-case");
  const seat = rpSelect(`kit-${uid}-seat`, t("solo-seat"), [["member", t("solo-seat-member")], ["presenter", t("solo-seat-presenter")]]);
  seat.select.classList.add("kit-solo-seat");
  top.append(caseSel.wrap, seat.wrap);
  const area = el("div", "kit-solo-area");
  card.append(top, area);
  caseSel.select.addEventListener("change", draw);
  seat.select.addEventListener("change", draw);

  function note(id, label, hint) {
    const k = kitKey("solo:" + id);
    const wrap = el("div", "kit-field kit-solo-note");
    const l = el("label", "", label);
    const box = document.createElement("textarea");
    box.id = `kit-${uid}-${id.replace(/[^a-z0-9-]/gi, "-")}`;
    box.rows = 5;
    box.dataset.note = id;
    l.htmlFor = box.id;
    try { box.value = localStorage.getItem(k) || ""; } catch { box.value = ""; }
    const status = el("p", "kit-muted kit-small");
    status.setAttribute("role", "status");
    box.addEventListener("input", () => {
      try { localStorage.setItem(k, box.value); status.textContent = t("solo-saved"); } catch { status.textContent = t("solo-not-saved"); }
    });
    wrap.append(l, el("p", "kit-muted kit-small", hint || t("solo-privacy")), box, status);
    return { wrap, box };
  }

  function samples(c) {
    const d = el("div", "kit-solo-samples");
    d.append(el("h4", "", t("solo-samples")), el("p", "kit-muted kit-small", t("solo-samples-note")));
    const ul = el("ul");
    c.associations.forEach((a) => ul.append(el("li", "", a)));
    d.append(ul);
    return d;
  }

  function draw() {
    const c = cases.find((x) => x.id === caseSel.select.value) || cases[0];
    area.textContent = "";
    if (!c) return;
    if (seat.select.value === "member") {
      area.append(el("p", "", t("solo-member-intro")), rpCaseHandout(t, c, false));
      const mine = note(`${c.id}:associations`, t("solo-your-associations"));
      const reveal = rpButton(t("solo-compare"), "mod-primary kit-solo-compare", () => {
        if (!mine.box.value.trim()) { hint.textContent = t("solo-write-first"); return; }
        hint.textContent = "";
        reveal.replaceWith(samples(c));
      });
      const hint = el("p", "kit-status-line");
      hint.setAttribute("role", "status");
      area.append(mine.wrap, reveal, hint);
    } else {
      area.append(el("p", "", t("solo-presenter-intro")), rpCaseHandout(t, c, true));
      const tell = note(`${c.id}:telling`, t("solo-prepare"));
      const reveal = rpButton(t("solo-hear"), "mod-primary kit-solo-hear", () => {
        reveal.replaceWith(samples(c), reflect());
      });
      area.append(tell.wrap, reveal);
    }
    function reflect() {
      const box = el("div", "kit-solo-reflect");
      box.append(el("h4", "", t("solo-reflect-title")));
      ["solo-reflect-1", "solo-reflect-2", "solo-reflect-3"].forEach((k, i) => box.append(note(`${c.id}:reflect-${i + 1}`, t(k)).wrap));
      return box;
    }
  }
  draw();
  root.append(card);
}

function render({ model, el: root }) {
  const mode = model.get("mode");
  if (mode === "roleplay") renderRolePlay(model, root);
  else if (mode === "solo") renderSolo(model, root);
  else renderLibrary(model, root);
}

export default { render };
