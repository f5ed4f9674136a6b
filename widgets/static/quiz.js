// The knowledge check (anywidget): questions as fieldsets with native radio buttons or
// checkboxes; "Check" sends the choice to Python, which answers with the feedback.
// Everything is drawn with textContent: no text from the data is parsed as HTML.

// el() comes from dom.js, joined in front of this file by widgets/esm.py.

function render({ model, el: root }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const uid = Math.random().toString(36).slice(2, 8);
  const card = el("section", "kit-card kit-quiz");
  card.dataset.quiz = model.get("quiz_id") || "";
  card.append(el("h3", "", model.get("title")));
  const views = {};
  model.get("items").forEach((item, n) => {
    const fs = el("fieldset", "kit-quiz-item");
    const legend = el("legend", "kit-prompt", `${n + 1}. ${item.prompt}`);
    fs.append(legend);
    const inputs = item.options.map((text, i) => {
      const label = el("label", "kit-option");
      const input = document.createElement("input");
      input.type = item.kind === "single" ? "radio" : "checkbox";
      input.name = `kit-${uid}-${item.id}`;
      input.value = String(i);
      label.append(input, el("span", "", text));
      fs.append(label);
      return input;
    });
    const button = el("button", "jupyter-button mod-primary kit-check", t("quiz-check"));
    button.type = "button";
    const area = el("div", "kit-feedback-area");
    area.setAttribute("aria-live", "polite");
    button.addEventListener("click", () => {
      const chosen = inputs.filter((x) => x.checked).map((x) => Number(x.value));
      model.send({ kind: "check", item: item.id, chosen });
    });
    fs.append(button, area);
    card.append(fs);
    views[item.id] = { inputs, area };
  });
  const score = el("p", "kit-score kit-quiz-score");
  score.setAttribute("role", "status");
  card.append(score);
  root.append(card);

  const showFeedback = () => {
    const fb = model.get("feedback") || {};
    for (const [id, view] of Object.entries(views)) {
      const f = fb[id];
      view.area.textContent = "";
      if (!f) continue;
      if (f.message) {
        view.area.append(el("p", "kit-feedback kit-wrong", f.message));
        continue;
      }
      view.area.append(el("p", "kit-score", f.head));
      for (const entry of f.entries || []) {
        const p = el("p", "kit-feedback " + (entry.right ? "kit-right" : "kit-wrong"));
        p.append(el("b", "", entry.tag + " "), document.createTextNode(`${String(entry.option).replace(/[.!?]$/, "")}: ${entry.text}`));
        view.area.append(p);
      }
    }
  };
  const showAnswers = () => {
    const answers = model.get("answers") || {};
    for (const [id, chosen] of Object.entries(answers)) {
      const view = views[id];
      if (!view) continue;
      view.inputs.forEach((x, i) => { x.checked = chosen.includes(i); });
    }
  };
  const showScore = () => { score.textContent = model.get("score") || ""; };
  model.on("change:feedback", showFeedback);
  model.on("change:answers", showAnswers);
  model.on("change:score", showScore);
  showAnswers();
  showFeedback();
  showScore();
}

export default { render };
