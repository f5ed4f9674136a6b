// The phase timer's view (anywidget). widgets/timer.py sends timer_core.js followed by this
// file as one module, so the core's functions (create, start, view, ...) are in scope here.
//
// The clock is the browser's wall clock: every redraw computes the display from
// view(state, Date.now()). The 250 ms interval only REDRAWS; a late or skipped redraw (a slow
// page, a background tab, a busy kernel) never loses time. The state changes only when the
// leader acts, and is kept in localStorage at once, so a reload continues the session.
// Python sends the plan and the texts and never drives the clock; this view writes no trait.
// All text goes into the page through textContent.

const TIMER_SVG = "http://www.w3.org/2000/svg";

// el() comes from dom.js, joined in front of the core and this file by widgets/esm.py.

function tSvg(tag, attrs) {
  const e = document.createElementNS(TIMER_SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

function tFill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

function tStorageKey(planId) {
  return kitKey("timer:" + planId);
}

function tButton(cls, text) {
  const b = el("button", "kit-timer-btn " + cls, text);
  b.type = "button";
  return b;
}

function tBeep(audio, times) {
  if (!audio) return;
  try {
    for (let k = 0; k < times; k++) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      const at = audio.currentTime + k * 0.3;
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.25);
    }
  } catch {
    /* no sound on this browser: the visible warning remains */
  }
}

// The end-of-session chart: planned against actual minutes, as an SVG bar chart with a
// summary label, and the same numbers in a table (the chart's text alternative).
function tChart(rows, t) {
  const wrap = el("figure", "kit-timer-chart");
  const cap = el("figcaption", "kit-timer-chart-title", t("timer-chart-title"));
  const max = Math.max(0.01, ...rows.map((r) => Math.max(r.plannedMin + (r.addedMin || 0), r.actualMin)));
  const W = 640, left = 8, right = 70, rowH = 62, top = 34;
  const H = top + rows.length * rowH + 4;
  const scale = (W - left - right) / max;
  const svg = tSvg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "kit-timer-svg", width: "100%" });
  const title = tSvg("title");
  title.textContent = t("timer-chart-label");
  svg.append(title);
  // Legend
  const legend = [["kit-timer-bar-planned", t("timer-planned")], ["kit-timer-bar-actual", t("timer-actual")]];
  legend.forEach(([cls, label], k) => {
    svg.append(tSvg("rect", { x: left + k * 150, y: 6, width: 16, height: 12, class: cls }));
    const tx = tSvg("text", { x: left + k * 150 + 22, y: 17, class: "kit-timer-svg-text" });
    tx.textContent = label;
    svg.append(tx);
  });
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const name = tSvg("text", { x: left, y: y + 13, class: "kit-timer-svg-name" });
    name.textContent = r.name;
    svg.append(name);
    const planned = r.plannedMin + (r.addedMin || 0);
    const bars = [["kit-timer-bar-planned", planned, y + 20], [r.actualMin > planned + 1e-9 ? "kit-timer-bar-actual kit-timer-bar-long" : "kit-timer-bar-actual", r.actualMin, y + 38]];
    for (const [cls, value, by] of bars) {
      const w = Math.max(1, value * scale);
      svg.append(tSvg("rect", { x: left, y: by, width: w, height: 15, rx: 2, class: cls }));
      const v = tSvg("text", { x: left + w + 6, y: by + 12, class: "kit-timer-svg-text" });
      v.textContent = String(value);
      svg.append(v);
    }
  });
  const table = el("table", "kit-timer-table");
  const head = el("tr");
  for (const k of ["timer-col-phase", "timer-col-planned", "timer-col-added", "timer-col-actual"]) {
    const th = el("th", "", t(k));
    th.scope = "col";
    head.append(th);
  }
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  for (const r of rows) {
    const tr = el("tr");
    const th = el("th", "", r.name);
    th.scope = "row";
    tr.append(th, el("td", "", String(r.plannedMin)), el("td", "", String(r.addedMin || 0)), el("td", "", String(r.actualMin)));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  wrap.append(cap, svg, table);
  return wrap;
}

function render({ model, el: root }) {
  const t = (k) => (model.get("texts") || {})[k] || k;
  let state = null;
  let key = "";
  let audio = null;
  let soundOn = false;
  let last = { index: -1, warning: "none", finished: false };
  let resetArmed = null;

  const card = el("section", "kit-card kit-timer");
  card.tabIndex = 0;
  const heading = el("h3", "kit-timer-title");
  card.setAttribute("aria-roledescription", "timer");

  const top = el("div", "kit-timer-top");
  const counter = el("p", "kit-timer-counter");
  const status = el("p", "kit-timer-status");
  top.append(counter, status);

  const phaseName = el("p", "kit-timer-phase");
  const digits = el("p", "kit-timer-digits");
  const digitsLabel = el("span", "kit-timer-digits-label");
  const clock = el("span", "kit-timer-clock");
  digits.append(digitsLabel, clock);
  const bar = el("div", "kit-timer-progress");
  const barFill = el("div", "kit-timer-progress-fill");
  bar.append(barFill);
  bar.setAttribute("aria-hidden", "true");
  const warning = el("p", "kit-timer-warning");
  const cueBox = el("div", "kit-timer-cue");
  const cueLabel = el("p", "kit-timer-cue-label", "");
  const cueText = el("p", "kit-timer-cue-text");
  cueBox.append(cueLabel, cueText);
  const facts = el("div", "kit-timer-facts");
  const nextLine = el("p", "kit-timer-next");
  const sessionLine = el("p", "kit-timer-session");
  facts.append(nextLine, sessionLine);

  const controls = el("div", "kit-timer-controls");
  const bStart = tButton("kit-timer-start kit-timer-primary", "");
  const bBack = tButton("kit-timer-back", "");
  const bNext = tButton("kit-timer-next-btn", "");
  const bAdd = tButton("kit-timer-add", "");
  const bProj = tButton("kit-timer-projector-btn", "");
  const bSound = tButton("kit-timer-sound", "");
  const bReset = tButton("kit-timer-reset", "");
  bProj.setAttribute("aria-pressed", "false");
  bSound.setAttribute("aria-pressed", "false");
  controls.append(bStart, bBack, bNext, bAdd, bProj, bSound, bReset);
  const shortcuts = el("p", "kit-timer-shortcuts");
  const live = el("p", "kit-sr kit-timer-live");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("role", "status");
  const end = el("div", "kit-timer-end");
  const running = el("div", "kit-timer-running");
  running.append(phaseName, digits, bar, warning, cueBox, facts);
  card.append(heading, top, running, end, controls, shortcuts, live);
  root.append(card);

  const save = () => {
    try {
      localStorage.setItem(key, JSON.stringify(state));
    } catch {
      /* private mode or storage full: the timer still runs for this page */
    }
  };

  const load = () => {
    const plan = model.get("plan") || [];
    key = tStorageKey(model.get("plan_id") || "plan");
    if (!plan.length) {
      state = null;
      return;
    }
    let saved;
    try {
      saved = JSON.parse(localStorage.getItem(key) || "null");
    } catch {
      saved = null;
    }
    state = restore(saved, plan) || create(plan);
    last = { index: -1, warning: "none", finished: state.finished, init: true };
    end.textContent = "";
  };

  const labels = () => {
    heading.textContent = model.get("title") || t("timer-title");
    card.setAttribute("aria-label", model.get("title") || t("timer-title"));
    bBack.textContent = t("timer-back");
    bNext.textContent = t("timer-next");
    bAdd.textContent = t("timer-add-minute");
    bReset.textContent = resetArmed ? t("timer-reset-confirm") : t("timer-reset");
    bSound.textContent = soundOn ? t("timer-sound-on") : t("timer-sound-off");
    bSound.setAttribute("aria-pressed", soundOn ? "true" : "false");
    const proj = card.classList.contains("kit-timer-projector");
    bProj.textContent = proj ? t("timer-projector-exit") : t("timer-projector");
    bProj.setAttribute("aria-pressed", proj ? "true" : "false");
    shortcuts.textContent = t("timer-shortcuts");
    cueLabel.textContent = t("timer-cue");
    digitsLabel.textContent = "";
  };

  const set = (text, node) => {
    if (node.textContent !== text) node.textContent = text;
  };

  const announce = (text) => {
    live.textContent = text;
  };

  const showEnd = () => {
    end.textContent = "";
    const rows = summary(state);
    end.append(el("p", "kit-timer-finished", t("timer-finished")), tChart(rows, t));
    const csv = tButton("kit-timer-csv", t("timer-csv"));
    csv.addEventListener("click", () => {
      const header = ["timer-col-phase", "timer-col-planned", "timer-col-added", "timer-col-actual"].map(t);
      const blob = new Blob(["\ufeff" + toCSV(rows, header)], { type: "text/csv;charset=utf-8" });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = (model.get("plan_id") || "session") + "-" + new Date().toISOString().slice(0, 10) + ".csv";
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
    end.append(csv);
  };

  const draw = () => {
    if (!state) {
      set(t("timer-no-plan"), phaseName);
      return;
    }
    const now = Date.now();
    const v = view(state, now);
    card.classList.toggle("kit-timer-soon", v.warning === "soon");
    card.classList.toggle("kit-timer-over", v.warning === "over");
    card.classList.toggle("kit-timer-is-finished", v.finished);
    card.classList.toggle("kit-timer-is-running", v.running);
    set(tFill(t("timer-phase-of"), { n: v.phaseIndex + 1, total: v.phaseCount }), counter);
    let st = v.finished ? t("timer-state-finished") : v.running ? t("timer-state-running") : v.started ? t("timer-state-paused") : t("timer-state-ready");
    set(st, status);
    set(v.finished ? t("timer-start-again") : v.running ? t("timer-pause") : v.started ? t("timer-resume") : t("timer-start"), bStart);
    bBack.disabled = !v.finished && v.phaseIndex === 0;
    bNext.disabled = v.finished;
    bAdd.disabled = v.finished;
    set(v.nextName === null ? t("timer-finish") : t("timer-next"), bNext);
    if (!v.finished) {
      set(v.phaseName, phaseName);
      const text = (v.phaseLeftMs < 0 ? "+" : "") + formatClock(v.phaseLeftMs);
      set(text, clock);
      clock.dataset.leftMs = String(Math.round(v.phaseLeftMs));
      clock.dataset.drawnAt = String(now);
      set(v.phaseLeftMs < 0 ? t("timer-over-by") : t("timer-left-in-phase"), digitsLabel);
      const frac = Math.min(1, Math.max(0, 1 - v.phaseLeftMs / v.phasePlannedMs));
      barFill.style.width = (frac * 100).toFixed(2) + "%";
      set(v.warning === "over" ? tFill(t("timer-over"), { time: formatClock(v.phaseLeftMs) }) : v.warning === "soon" ? t("timer-soon") : "", warning);
      set(v.cue, cueText);
      cueBox.hidden = !v.cue;
      set(v.nextName === null ? t("timer-last-phase") : tFill(t("timer-next-up"), { name: v.nextName }), nextLine);
      const sl = v.sessionLeftMs;
      set(sl < 0 ? tFill(t("timer-session-over"), { time: formatClock(sl) }) : tFill(t("timer-session-left"), { time: formatClock(sl) }), sessionLine);
    }
    // What changed since the last redraw: announce it, and beep if the leader asked for sound.
    if (v.finished !== last.finished || (v.finished && !end.firstChild)) {
      if (v.finished) {
        showEnd();
        if (!last.init) announce(t("timer-finished"));
      } else {
        end.textContent = "";
      }
    }
    if (!v.finished && v.phaseIndex !== last.index) {
      if (!last.init) announce(tFill(t("timer-announce-phase"), { n: v.phaseIndex + 1, total: v.phaseCount, name: v.phaseName, time: formatClock(v.phaseLeftMs) }));
    } else if (!v.finished && v.warning !== last.warning && !last.init) {
      if (v.warning === "soon") {
        announce(t("timer-soon"));
        if (soundOn) tBeep(audio, 1);
      } else if (v.warning === "over") {
        announce(tFill(t("timer-over"), { time: formatClock(v.phaseLeftMs) }));
        if (soundOn) tBeep(audio, 2);
      }
    }
    if (v.phaseIndex !== last.index || v.finished !== last.finished) {
      // Other widgets on the page (the role-play's prompts per role) follow the phase.
      const phase = state.plan[Math.min(v.phaseIndex, state.plan.length - 1)];
      window.dispatchEvent(new CustomEvent("kit-timer-phase", { detail: {
        planId: model.get("plan_id") || "plan", index: v.phaseIndex, id: phase ? phase.id : "", finished: v.finished } }));
    }
    last = { index: v.phaseIndex, warning: v.warning, finished: v.finished };
  };

  // A button that the step turns off ("End session" at the end, "Back" on the first phase)
  // would drop the keyboard focus to the page, and the shortcuts and Esc, which listen on the
  // card, would stop until a click: keep the focus on the card instead.
  const keepFocus = () => {
    const a = document.activeElement;
    if (a && a.disabled && card.contains(a)) card.focus();
  };
  const act = (fn) => {
    if (!state) return;
    state = fn(state, Date.now());
    save();
    draw();
    keepFocus();
  };

  const toggleRun = () => {
    if (!state) return;
    if (state.finished) return;
    act(state.running ? pause : state.started ? resume : start);
  };

  const setProjector = (on) => {
    card.classList.toggle("kit-timer-projector", on);
    labels();
  };
  const toggleProjector = () => {
    const on = !card.classList.contains("kit-timer-projector");
    if (on) {
      setProjector(true);
      try {
        if (card.requestFullscreen && document.fullscreenEnabled) {
          const p = card.requestFullscreen();
          if (p && p.catch) p.catch(() => {}); // refused: the class alone fills the window
        }
      } catch {
        /* the class is the fallback */
      }
    } else {
      setProjector(false);
      try {
        if (document.fullscreenElement === card) document.exitFullscreen().catch(() => {});
      } catch {
        /* nothing to leave */
      }
    }
    card.focus();
  };
  const onFullscreen = () => {
    if (document.fullscreenElement !== card && card.classList.contains("kit-timer-projector") && card.dataset.wasFull) {
      setProjector(false);
    }
    if (document.fullscreenElement === card) card.dataset.wasFull = "1";
    else delete card.dataset.wasFull;
  };
  document.addEventListener("fullscreenchange", onFullscreen);

  const toggleSound = () => {
    soundOn = !soundOn;
    if (soundOn && !audio) {
      try {
        const AC = window.AudioContext || window.webkitAudioContext;
        audio = AC ? new AC() : null;
      } catch {
        audio = null;
      }
    }
    if (soundOn && audio && audio.state === "suspended") audio.resume().catch(() => {});
    labels();
    announce(soundOn ? t("timer-sound-on") : t("timer-sound-off"));
  };

  const reset = () => {
    if (!resetArmed) {
      resetArmed = setTimeout(() => { resetArmed = null; labels(); }, 6000);
      labels();
      return;
    }
    clearTimeout(resetArmed);
    resetArmed = null;
    try { localStorage.removeItem(key); } catch { /* nothing stored */ }
    state = create(model.get("plan") || []);
    last = { index: -1, warning: "none", finished: false, init: true };
    end.textContent = "";
    labels();
    draw();
    announce(t("timer-state-ready"));
  };

  bStart.addEventListener("click", () => {
    if (state && state.finished) {
      // "Start again": a new session with the same plan.
      try { localStorage.removeItem(key); } catch { /* nothing stored */ }
      state = create(model.get("plan") || []);
      last = { index: -1, warning: "none", finished: false, init: true };
      end.textContent = "";
      draw();
      return;
    }
    toggleRun();
  });
  bBack.addEventListener("click", () => act(back));
  bNext.addEventListener("click", () => act(next));
  bAdd.addEventListener("click", () => act(addMinute));
  bProj.addEventListener("click", toggleProjector);
  bSound.addEventListener("click", toggleSound);
  bReset.addEventListener("click", reset);

  card.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = (e.target && e.target.tagName) || "";
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag)) return;
    const onButton = tag === "BUTTON";
    const k = e.key;
    if (k === " " || k === "Spacebar") {
      if (onButton) return; // Space presses the focused button, as everywhere
      toggleRun();
    } else if (k === "n" || k === "N") act(next);
    else if (k === "b" || k === "B") act(back);
    else if (k === "+" || k === "=") act(addMinute);
    else if (k === "p" || k === "P") toggleProjector();
    else if (k === "s" || k === "S") toggleSound();
    else if (k === "Escape" && card.classList.contains("kit-timer-projector")) toggleProjector();
    else return;
    e.preventDefault();
    e.stopPropagation();
  });

  const onVisible = () => { if (!document.hidden) draw(); };
  document.addEventListener("visibilitychange", onVisible);
  const reload = () => {
    load();
    labels();
    draw();
  };
  model.on("change:plan", reload);
  model.on("change:plan_id", reload);
  model.on("change:title", labels);
  model.on("change:texts", () => { labels(); draw(); });
  reload();
  const timer = setInterval(draw, 250);

  return () => {
    clearInterval(timer);
    document.removeEventListener("fullscreenchange", onFullscreen);
    document.removeEventListener("visibilitychange", onVisible);
    model.off("change:plan", reload);
    model.off("change:plan_id", reload);
    if (audio) audio.close().catch(() => {});
  };
}

export default { render };
