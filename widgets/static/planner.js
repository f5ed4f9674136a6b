// The session planner (anywidget): the learner's numbers stay in the browser until
// "Check my plan", which sends them once; Python checks them and sends back the verdict.
// All text is set with textContent.

// el() comes from dom.js, joined in front of this file by widgets/esm.py.

function render({ model, el: root }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
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

  const availRow = el("div", "kit-planner-row");
  const availLabel = el("label", "", t("planner-available"));
  const avail = el("input", "kit-planner-available");
  avail.type = "number";
  avail.min = "0";
  avail.step = "any";
  avail.value = "60";
  avail.id = `kit-plan-avail-${uid}`;
  availLabel.htmlFor = avail.id;
  availRow.append(availLabel, avail);

  const phaseBox = el("div", "kit-planner-phases");
  let inputs = {};
  const current = () => presets.find((p) => p.id === select.value) || presets[0];
  const build = () => {
    phaseBox.textContent = "";
    inputs = {};
    for (const ph of current().phases) {
      const row = el("div", "kit-planner-row kit-planner-phase");
      const label = el("label", "");
      const rng = ph.min === ph.max ? `${ph.min}` : `${ph.min}–${ph.max}`;
      label.textContent = `${ph.name} [${rng} min${ph.kit ? ", " + t("presets-kit-suggestion") : ""}]`;
      const input = el("input", "");
      input.type = "number";
      input.min = "0";
      input.step = "any";
      input.id = `kit-plan-${uid}-${ph.phase}`;
      label.htmlFor = input.id;
      row.append(label, input);
      phaseBox.append(row);
      inputs[ph.phase] = input;
    }
    result.textContent = "";
  };

  const buttons = el("div", "kit-planner-row kit-planner-buttons");
  const suggest = el("button", "jupyter-button kit-planner-suggest", t("planner-use-suggested"));
  suggest.type = "button";
  const check = el("button", "jupyter-button mod-primary kit-planner-check", t("planner-check"));
  check.type = "button";
  buttons.append(suggest, check);
  const result = el("div", "kit-planner-result");
  result.setAttribute("aria-live", "polite");

  const number = (input) => (input.value.trim() === "" ? null : Number(input.value));
  suggest.addEventListener("click", () => {
    let total = 0;
    for (const ph of current().phases) {
      inputs[ph.phase].value = String(ph.suggested);
      total += ph.suggested;
    }
    if (!(Number(avail.value) >= total)) avail.value = String(total);
  });
  check.addEventListener("click", () => {
    const minutes = {};
    for (const [id, input] of Object.entries(inputs)) minutes[id] = number(input);
    model.send({ kind: "check", preset: select.value, available: number(avail), minutes });
  });
  select.addEventListener("change", build);

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
    const bar = el("div", "kit-plan-bar");
    bar.setAttribute("aria-hidden", "true");
    const total = (r.segments || []).reduce((a, s) => a + s.minutes, 0) || 1;
    for (const s of r.segments || []) {
      if (s.minutes <= 0) continue;
      const seg = el("div", "kit-plan-seg");
      seg.style.flex = String(s.minutes / total);
      seg.style.background = s.colour;
      seg.title = `${s.name}: ${s.minutes} min`;
      bar.append(seg);
    }
    result.append(bar, el("p", "kit-muted kit-small", r.listing || ""));
  };
  model.on("change:result", showResult);

  card.append(formRow, availRow, phaseBox, buttons, result);
  root.append(card);
  build();
  showResult();
}

export default { render };
