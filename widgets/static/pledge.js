// The confidentiality-pledge generator (anywidget): the organiser's entries stay in this
// browser (remembered in localStorage for next time); the pledge is built by pledge_core.js
// and printed with kitPrint (dom.js).

function render({ model, el: root }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const template = model.get("template");
  const key = kitKey("pledge-form");
  const uid = Math.random().toString(36).slice(2, 8);
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch { saved = {}; }
  const card = el("section", "kit-card kit-pledge");
  card.setAttribute("aria-label", t("pledge-title"));
  card.append(el("h3", "", t("pledge-title")), el("p", "kit-muted", t("pledge-explain")));
  const form = el("div", "kit-pledge-form");
  const inputs = {};
  const field = (name, type) => {
    const wrap = el("div", "kit-field");
    const label = el("label", "", t("pledge-" + name));
    const input = type === "select" ? document.createElement("select") : document.createElement("input");
    input.id = `kit-${uid}-${name}`;
    input.dataset.field = name;
    label.htmlFor = input.id;
    if (type === "select") {
      for (const r of template.recording) {
        const o = el("option", "", r.label);
        o.value = r.id;
        input.append(o);
      }
    } else {
      input.type = type;
      input.maxLength = 120;
    }
    if (typeof saved[name] === "string") input.value = saved[name];
    // Kept only once the organiser changes something: a visit alone stores nothing.
    input.addEventListener("input", changed);
    input.addEventListener("change", changed);
    inputs[name] = input;
    wrap.append(label, input);
    form.append(wrap);
  };
  field("group", "text");
  field("organiser", "text");
  field("date", "date");
  field("recording", "select");
  const preview = el("article", "kit-print-page kit-pledge-preview");
  preview.setAttribute("aria-live", "polite");
  const print = el("button", "jupyter-button mod-primary kit-pledge-print", t("pledge-print"));
  print.type = "button";
  print.addEventListener("click", () => kitPrint(preview));
  card.append(form, el("h4", "", t("pledge-preview")), preview, print);

  function fieldValues() {
    const fields = {};
    for (const [name, input] of Object.entries(inputs)) fields[name] = input.value;
    return fields;
  }
  function changed() {
    try { localStorage.setItem(key, JSON.stringify(fieldValues())); } catch { /* private mode: the form still works */ }
    update();
  }
  function update() {
    const fields = fieldValues();
    const p = pledgeBuild(template, fields, t("pledge-date-locale"));
    preview.textContent = "";
    preview.append(el("h3", "", p.title), el("p", "", p.intro));
    const list = el("ol", "kit-pledge-contents");
    p.contents.forEach((c) => list.append(el("li", "", c)));
    preview.append(list, el("p", "kit-pledge-recording", p.recording), el("p", "", p.closing), el("p", "kit-pledge-sign", p.signLine));
  }
  update();
  root.append(card);
}

export default { render };
