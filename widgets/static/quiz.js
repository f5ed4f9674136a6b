// The knowledge check (anywidget): questions as fieldsets with native radio buttons or
// checkboxes; "Check" sends the chosen option ids to Python, which answers with feedback on
// those options. After a wrong try the learner may try again or press "Show the answer";
// Python sends the right answer only after a second wrong try or that press.
// The options appear in this learner's own order (kitOrder from shuffle_core.js, seeded from
// their browser), so neither the first place nor any other carries a hint.
// Everything is drawn with textContent: no text from the data is parsed as HTML.

// el() comes from dom.js; kitOrder(), kitSeed(), kitKeepSeed() from shuffle_core.js
// (joined in front of this file by widgets/esm.py).

function render({ model, el: root }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const uid = Math.random().toString(36).slice(2, 8);
  const seed = kitSeed();
  const quizId = model.get("quiz_id") || "";
  const card = el("section", "kit-card kit-quiz");
  card.dataset.quiz = quizId;
  card.append(el("h3", "", model.get("title")));
  const views = {};
  model.get("items").forEach((item, n) => {
    const fs = el("fieldset", "kit-quiz-item");
    fs.dataset.item = item.id;
    const legend = el("legend", "kit-prompt", `${n + 1}. ${item.prompt}`);
    fs.append(legend);
    const byId = Object.fromEntries(item.options.map((o) => [o.id, o]));
    const order = kitOrder(seed, quizId, item.id, item.options.map((o) => o.id));
    const inputs = order.map((id) => {
      const label = el("label", "kit-option");
      label.dataset.option = id;
      const input = document.createElement("input");
      input.type = item.kind === "single" ? "radio" : "checkbox";
      input.name = `kit-${uid}-${item.id}`;
      input.value = id;
      label.append(input, el("span", "", byId[id].text));
      fs.append(label);
      return input;
    });
    const row = el("div", "kit-quiz-actions");
    const button = el("button", "jupyter-button mod-primary kit-check", t("quiz-check"));
    button.type = "button";
    const show = el("button", "jupyter-button kit-show-answer", t("quiz-show-answer"));
    show.type = "button";
    show.hidden = true;
    const area = el("div", "kit-feedback-area");
    area.setAttribute("aria-live", "polite");
    button.addEventListener("click", () => {
      const chosen = inputs.filter((x) => x.checked).map((x) => x.value);
      if (chosen.length) kitKeepSeed(seed); // the learner's first answer keeps this order for next time
      model.send({ kind: "check", item: item.id, chosen });
    });
    show.addEventListener("click", () => model.send({ kind: "show", item: item.id }));
    row.append(button, show);
    fs.append(row, area);
    card.append(fs);
    views[item.id] = { inputs, area, button, show };
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
      const offer = Boolean(f && f.retry);
      if (view.show.hidden === offer) {
        // Keep keyboard focus on the item when the button it was on goes away.
        if (!offer && document.activeElement === view.show) view.button.focus();
        view.show.hidden = !offer;
      }
      if (!f) continue;
      if (f.message) {
        view.area.append(el("p", "kit-feedback kit-wrong", f.message));
        continue;
      }
      view.area.dataset.state = f.correct ? "right" : f.revealed ? "revealed" : "retry";
      view.area.append(el("p", "kit-score", f.head));
      for (const entry of f.entries || []) {
        const p = el("p", "kit-feedback " + (entry.right ? "kit-right" : "kit-wrong"));
        p.dataset.option = entry.id;
        p.append(el("b", "", entry.tag + " "), document.createTextNode(`${String(entry.option).replace(/[.!?]$/, "")}: ${entry.text}`));
        view.area.append(p);
      }
    }
  };
  const showAnswers = () => {
    const answers = model.get("answers") || {};
    for (const [id, view] of Object.entries(views)) {
      const chosen = answers[id];
      if (chosen) view.inputs.forEach((x) => { x.checked = chosen.includes(x.value); });
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
