// The leader simulator (anywidget). Python (widgets/simulator_view.py) holds the scenario and
// the scores and sends the `view` to draw; the browser sends back "start", "choose", "replay"
// or "back". Text from the data is always set with textContent, never parsed as HTML.

// el() comes from dom.js; kitDrawFigure() from plotly_load.js; kitOrder(), kitSeed() and
// kitKeepSeed() from shuffle_core.js (joined in front by widgets/esm.py).

function render({ model, el: root }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  const card = el("section", "kit-card kit-simulator");
  card.setAttribute("aria-label", t("sim-title"));
  root.append(card);
  let lastScreen = "";

  const settingBadge = (setting) => el("span", "kit-status kit-sim-setting", t("sim-setting-" + setting));

  const button = (text, cls, onClick) => {
    const b = el("button", "jupyter-button " + cls, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  };

  function sourcesLine(sources) {
    const p = el("p", "kit-muted kit-small kit-sim-sources");
    p.append(document.createTextNode(t("sim-sources") + " "));
    sources.forEach((s, i) => {
      if (i) p.append(document.createTextNode("; "));
      const a = el("a", "", s.short);
      a.href = "#ref-" + s.key;
      p.append(a);
    });
    return p;
  }

  function feedbackPanel(last) {
    const box = el("div", "kit-sim-feedback");
    const chose = el("p", "kit-sim-chose");
    chose.append(el("b", "", t("sim-you-chose") + " "), document.createTextNode(last.choice));
    const resp = el("p", "kit-sim-response");
    resp.append(el("b", "", t("sim-group-responds") + " "), document.createTextNode(last.response));
    const why = el("p", "kit-feedback kit-sim-why");
    why.append(el("b", "", t("sim-why") + " "), document.createTextNode(last.feedback));
    box.append(chose, resp, why, sourcesLine(last.sources || []));
    return box;
  }

  function drawList() {
    card.append(el("h3", "", t("sim-title")), el("p", "", t("sim-intro")));
    for (const message of model.get("broken") || []) {
      const err = el("div", "kit-error");
      err.setAttribute("role", "alert");
      err.append(el("p", "", message), el("p", "", t("sim-broken")));
      card.append(err);
    }
    const list = el("ul", "kit-sim-list");
    for (const s of model.get("scenarios") || []) {
      const item = el("li", "kit-sim-item");
      item.dataset.scenario = s.id;
      const head = el("h4", "");
      head.append(settingBadge(s.setting), document.createTextNode(" " + s.title));
      item.append(head, el("p", "", s.summary));
      if (s.content_note) item.append(el("p", "kit-content-note", t("sim-content-note") + " " + s.content_note));
      item.append(el("p", "kit-muted kit-small", t("sim-covers") + " " + s.covers.join("; ")));
      const start = button(t("sim-start"), "mod-primary kit-sim-start", () => model.send({ kind: "start", scenario: s.id }));
      start.setAttribute("aria-label", t("sim-start") + ": " + s.title);
      item.append(start);
      list.append(item);
    }
    card.append(list);
  }

  function drawHeader(view) {
    const sc = view.scenario;
    const head = el("div", "kit-sim-head");
    const h = el("h3", "kit-sim-title");
    h.append(settingBadge(sc.setting), document.createTextNode(" " + sc.title));
    head.append(h, button(t("sim-back"), "kit-sim-back", () => model.send({ kind: "back" })));
    card.append(head);
  }

  function drawPlay(view) {
    const sc = view.scenario;
    drawHeader(view);
    if (view.step === 1 && !view.last) {
      if (sc.content_note) card.append(el("p", "kit-content-note", t("sim-content-note") + " " + sc.content_note));
      card.append(el("p", "kit-sim-summary", sc.summary), el("p", "kit-muted kit-small", sc.fictional));
    }
    if (view.last) card.append(feedbackPanel(view.last));
    const m = view.moment;
    const now = el("div", "kit-sim-moment");
    now.dataset.moment = m.id;
    const title = el("h4", "kit-sim-step", t("sim-step-of").replace("{step}", view.step) + (m.phase ? " · " + t("sim-phase") + " " + m.phase : ""));
    title.tabIndex = -1;
    now.append(title, el("p", "kit-sim-situation", m.situation));
    const group = el("div", "kit-sim-choices");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t("sim-choose-label"));
    // In this learner's own order (the best move is no more often first than any other).
    const seed = kitSeed();
    const byId = Object.fromEntries(m.choices.map((c) => [c.id, c]));
    for (const id of kitOrder(seed, "simulator/" + sc.id, m.id, m.choices.map((c) => c.id))) {
      const c = byId[id];
      const b = button(c.text, "kit-sim-choice", () => {
        group.querySelectorAll("button").forEach((x) => { x.disabled = true; });
        kitKeepSeed(seed);
        model.send({ kind: "choose", choice: c.id });
      });
      b.dataset.choice = c.id;
      group.append(b);
    }
    now.append(group);
    card.append(now);
    return title;
  }

  function chart(spec, label) {
    const box = el("div", "kit-chart kit-sim-chart");
    box.setAttribute("role", "figure");  // a figure may hold plotly's controls; an img may not (axe: nested-interactive)
    box.setAttribute("aria-label", label);
    kitChartNote(box, t("chart-loading"), "loading");
    kitDrawFigure(box, spec, model.get("asset_version")).catch(() => kitChartNote(box, t("chart-unavailable"), "failed"));
    return box;
  }

  function drawEnd(view) {
    const r = view.result;
    drawHeader(view);
    if (view.last) card.append(feedbackPanel(view.last));
    const end = el("div", "kit-sim-end");
    const h = el("h4", "kit-sim-ending-title", t("sim-ending"));
    h.tabIndex = -1;
    end.append(h, el("p", "kit-sim-situation", view.moment.situation));

    end.append(el("h4", "", t("sim-profile")), el("p", "kit-muted", t("sim-profile-note")));
    const summary = r.profile.map((p) => `${p.skill}: ${p.value === null ? t("sim-not-at-stake") : Math.round(p.value)}`).join("; ");
    end.append(chart(r.profile_figure, t("sim-profile") + ". " + summary));
    const table = el("table", "kit-map-table kit-sim-profile");
    const thead = el("thead");
    const hr = el("tr");
    hr.append(el("th", "", t("sim-skill")), el("th", "", t("sim-score")));
    hr.querySelectorAll("th").forEach((th) => th.setAttribute("scope", "col"));
    thead.append(hr);
    const tbody = el("tbody");
    for (const p of r.profile) {
      const tr = el("tr");
      tr.dataset.skill = p.skill;
      tr.append(el("td", "", p.skill), el("td", "", p.value === null ? t("sim-not-at-stake") : String(Math.round(p.value))));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    end.append(table);

    end.append(el("h4", "", t("sim-map")));
    end.append(chart(r.map_figure, r.map_label));
    const path = el("ol", "kit-sim-path");
    path.setAttribute("aria-label", t("sim-path"));
    for (const step of r.path) {
      const li = el("li");
      li.append(el("span", "", step.situation + " "), el("b", "", t("sim-you-chose") + " "), document.createTextNode(step.choice));
      path.append(li);
    }
    const details = el("details", "kit-sim-path-text");
    details.append(el("summary", "", t("sim-path")), path);
    end.append(details);
    const actions = el("div", "kit-sim-actions");
    actions.append(
      button(t("sim-replay"), "mod-primary kit-sim-replay", () => model.send({ kind: "replay" })),
      button(t("sim-other"), "kit-sim-other", () => model.send({ kind: "back" })),
    );
    end.append(actions);
    card.append(end);
    return h;
  }

  function draw() {
    const view = model.get("view") || {};
    card.textContent = "";
    let focus = null;
    if (view.screen === "play") focus = drawPlay(view);
    else if (view.screen === "end") focus = drawEnd(view);
    else drawList();
    card.dataset.screen = view.screen || "list";
    // Keyboard and screen-reader users continue where the new content starts.
    const key = view.screen + ":" + (view.step || 0);
    if (focus && lastScreen && key !== lastScreen) focus.focus({ preventScroll: false });
    else if (view.screen === "list" && lastScreen && lastScreen !== "list:0") {
      card.scrollIntoView({ block: "start" });
      const first = card.querySelector("button");
      if (first) first.focus({ preventScroll: true });
    }
    lastScreen = key;
  }

  model.on("change:view", draw);
  model.on("change:scenarios", draw);
  draw();
}

export default { render };
