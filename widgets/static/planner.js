// The session planner (anywidget): the learner's numbers stay in the browser until
// "Check my plan", which sends them once (as typed: Python reads them and says plainly what
// is wrong with an entry); Python checks them and sends back the verdict.
// All text is set with textContent.

// el() comes from dom.js and planFill, planPlural, planRange, planCarry and planList from
// planner_core.js, joined in front of this file by widgets/esm.py.

function render({ model, el: root }) {
  const texts = () => model.get("texts") || {};
  const t = (k) => { const v = texts()[k]; return typeof v === "string" ? v : k; };
  const lang = model.get("locale") || "en";
  const uid = Math.random().toString(36).slice(2, 8);
  const presets = model.get("presets") || [];
  const card = el("section", "kit-card kit-planner");
  card.append(el("h3", "", t("planner-title")), el("p", "kit-muted", t("planner-explain")));

  const formRow = el("div", "kit-planner-row");
  const formatLabel = el("label", "", t("planner-format"));
  const select = el("select", "kit-planner-format");
  select.id = `kit-plan-format-${uid}`;
  formatLabel.htmlFor = select.id;
  for (const p of presets) {
    const o = el("option", "", p.title);
    o.value = p.id;
    select.append(o);
  }
  formRow.append(formatLabel, select);
  // Asked before a change of format drops what the learner typed (see switchTo).
  const ask = el("div", "kit-planner-ask");
  ask.hidden = true;
  const switchNote = el("p", "kit-muted kit-small kit-planner-switch-note");
  switchNote.setAttribute("role", "status");

  // Text boxes, not number boxes: a number box empties itself on "abc" or "--", so the learner
  // would lose the entry and the check could not say what was wrong with it.
  const numberBox = (cls) => {
    const input = el("input", cls);
    input.type = "text";
    input.inputMode = "decimal";
    input.autocomplete = "off";
    input.spellcheck = false;
    return input;
  };
  const availRow = el("div", "kit-planner-row");
  const availLabel = el("label", "", t("planner-available"));
  const avail = numberBox("kit-planner-available");
  avail.value = "60";
  avail.id = `kit-plan-avail-${uid}`;
  availLabel.htmlFor = avail.id;
  availRow.append(availLabel, avail);

  const phaseBox = el("div", "kit-planner-phases");
  let inputs = {};
  let shown = presets[0];
  const byId = (id) => presets.find((p) => p.id === id) || presets[0];
  const entries = () => Object.fromEntries(Object.entries(inputs).map(([id, input]) => [id, input.value]));
  const build = (keep) => {
    phaseBox.textContent = "";
    inputs = {};
    for (const ph of shown.phases) {
      const row = el("div", "kit-planner-row kit-planner-phase");
      const label = el("label", "", ph.name);
      const hint = el("span", "kit-planner-hint kit-muted kit-small",
        planFill(t("planner-phase-hint"), { range: planRange(ph), suggested: ph.suggested }) + (ph.rounded ? t("presets-rounded-mark") : ""));
      if (ph.kit) hint.append(" ", el("span", "kit-suggestion", t("presets-kit-suggestion")));
      if (ph.rounded) hint.append(" ", el("span", "kit-suggestion kit-rounded", t("presets-rounded")));
      hint.id = `kit-plan-${uid}-${ph.phase}-hint`;
      const swatch = el("span", "kit-plan-swatch");
      swatch.style.background = ph.colour || "";
      swatch.setAttribute("aria-hidden", "true");
      label.prepend(swatch);
      const input = numberBox("kit-planner-minutes");
      input.id = `kit-plan-${uid}-${ph.phase}`;
      input.setAttribute("aria-describedby", hint.id);
      if (keep && keep[ph.phase] !== undefined) input.value = keep[ph.phase];
      label.htmlFor = input.id;
      const text = el("div", "kit-planner-label");
      text.append(label, hint);
      row.append(text, input);
      phaseBox.append(row);
      inputs[ph.phase] = input;
    }
    result.textContent = "";
  };

  const switchTo = (next) => {
    const { kept, lost } = planCarry(shown, next, entries());
    ask.hidden = true;
    ask.textContent = "";
    shown = next;
    select.value = next.id;
    build(kept);
    const n = Object.keys(kept).length;
    switchNote.textContent = n ? planPlural(texts()["planner-switch-kept"], n, lang) : "";
    return lost;
  };
  select.addEventListener("change", () => {
    const next = byId(select.value);
    const { lost } = planCarry(shown, next, entries());
    if (!lost.length) { switchTo(next); return; }
    // Some of what was typed has no place in the new format: ask before it goes.
    const before = shown;
    select.value = before.id;
    ask.textContent = "";
    const q = el("p", "", planPlural(texts()["planner-switch-ask"], lost.length, lang).replace("{format}", next.title).replace("{phases}", planList(lost.map((name) => planFill(t("planner-switch-phase"), { phase: name })), lang)));
    const yes = el("button", "jupyter-button kit-planner-switch-yes", t("planner-switch-yes"));
    yes.type = "button";
    const no = el("button", "jupyter-button mod-primary kit-planner-switch-no", t("planner-switch-no"));
    no.type = "button";
    yes.addEventListener("click", () => { switchTo(next); select.focus(); });
    no.addEventListener("click", () => { ask.hidden = true; ask.textContent = ""; select.focus(); });
    ask.addEventListener("keydown", (e) => { if (e.key === "Escape") no.click(); });
    const row = el("div", "kit-planner-row kit-planner-buttons");
    row.append(no, yes);
    ask.append(q, row);
    ask.setAttribute("role", "group");
    ask.setAttribute("aria-label", t("planner-format"));
    ask.hidden = false;
    switchNote.textContent = "";
    no.focus();
  });

  const buttons = el("div", "kit-planner-row kit-planner-buttons");
  const suggest = el("button", "jupyter-button kit-planner-suggest", t("planner-use-suggested"));
  suggest.type = "button";
  const check = el("button", "jupyter-button mod-primary kit-planner-check", t("planner-check"));
  check.type = "button";
  buttons.append(suggest, check);
  const result = el("div", "kit-planner-result");
  result.setAttribute("aria-live", "polite");

  suggest.addEventListener("click", () => {
    let total = 0;
    for (const ph of shown.phases) {
      inputs[ph.phase].value = String(ph.suggested);
      total += ph.suggested;
    }
    if (!(Number(avail.value) >= total)) avail.value = String(total);
  });
  check.addEventListener("click", () => {
    const typed = (input) => (input.value.trim() === "" ? null : input.value.slice(0, 60));
    const minutes = {};
    for (const [id, input] of Object.entries(inputs)) minutes[id] = typed(input);
    model.send({ kind: "check", preset: shown.id, available: typed(avail), minutes });
  });

  const showResult = () => {
    const r = model.get("result") || {};
    result.textContent = "";
    if (!r.head) return;
    result.append(el("p", "kit-feedback " + (r.fits ? "kit-right" : "kit-wrong"), r.head));
    if ((r.problems || []).length) {
      const ul = el("ul", "");
      for (const p of r.problems) ul.append(el("li", "", p));
      result.append(ul);
    }
    // The bar: each phase's share, labelled with its minutes (the names are in the legend
    // below, with the same colours); the legend and the line under it say it all in words.
    const bar = el("div", "kit-plan-bar");
    bar.setAttribute("aria-hidden", "true");
    const segs = (r.segments || []).filter((s) => s.minutes > 0);
    const total = segs.reduce((a, s) => a + s.minutes, 0) || 1;
    const legend = el("ul", "kit-plan-legend");
    for (const s of segs) {
      const seg = el("div", "kit-plan-seg", String(s.minutes));
      seg.style.flex = String(s.minutes / total);
      seg.style.background = s.colour;
      seg.style.color = s.ink || "";
      seg.title = planFill(t("planner-legend-item"), { phase: s.name, minutes: s.minutes });
      bar.append(seg);
      const item = el("li", "");
      const sw = el("span", "kit-plan-swatch");
      sw.style.background = s.colour;
      sw.setAttribute("aria-hidden", "true");
      item.append(sw, planFill(t("planner-legend-item"), { phase: s.name, minutes: s.minutes }));
      legend.append(item);
    }
    if (segs.length) result.append(bar, legend);
    result.append(el("p", "kit-muted kit-small kit-plan-listing", r.listing || ""));
  };
  model.on("change:result", showResult);

  card.append(formRow, ask, switchNote, availRow, phaseBox, buttons, result);
  root.append(card);
  build();
  showResult();
}

export default { render };
