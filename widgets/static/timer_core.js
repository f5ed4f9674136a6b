// The phase timer's clock and state machine (pure: no DOM, no timers, no globals).
//
// Every function takes the current wall-clock time `now` (ms) from its caller and returns a
// NEW state; nothing here reads a clock. The time spent in a phase is always
//     elapsedBefore + (now - startedAt)        while running
//     elapsedBefore                            while paused
// never a count of ticks, so however late or seldom the page redraws (a slow machine, a
// background tab, a busy kernel) the time shown is the wall clock's.
//
// widgets/timer.py sends this file followed by timer_view.js to the browser as ONE module:
// this file must not import anything, and its top-level names must not clash with the view's.
// Plan: [{id, name, minutes, cue}]. Times in the state are milliseconds.

export const TIMER_MINUTE_MS = 60000;

function timerCopy(s) {
  return { ...s, extraMs: s.extraMs.slice(), actualMs: s.actualMs.slice() };
}

function timerElapsed(s, now) {
  const run = s.running && typeof s.startedAt === "number" ? Math.max(0, now - s.startedAt) : 0;
  return s.elapsedBefore + run;
}

function timerPlannedMs(s, i) {
  return s.plan[i].minutes * TIMER_MINUTE_MS + s.extraMs[i];
}

/** The warning window of a phase lasting `phaseMs`.
 * The kit's own choice (no source prescribes it): the last minute of a phase, or the last
 * 10 % of a phase shorter than 5 minutes, so that a 2-minute phase is not "nearly over"
 * for half its length. */
export function soonWindowMs(phaseMs) {
  return phaseMs < 5 * TIMER_MINUTE_MS ? 0.1 * phaseMs : TIMER_MINUTE_MS;
}

export function create(plan) {
  const n = plan.length;
  return {
    plan: plan.map((p) => ({ id: String(p.id), name: String(p.name), minutes: Number(p.minutes), cue: String(p.cue || "") })),
    index: 0,
    started: false,
    running: false,
    startedAt: null,
    elapsedBefore: 0,
    extraMs: new Array(n).fill(0),
    actualMs: new Array(n).fill(0),
    finished: false,
  };
}

export function start(s, now) {
  if (s.finished || s.running) return s;
  const out = timerCopy(s);
  out.started = true;
  out.running = true;
  out.startedAt = now;
  return out;
}

export function pause(s, now) {
  if (!s.running) return s;
  const out = timerCopy(s);
  out.elapsedBefore = timerElapsed(s, now);
  out.running = false;
  out.startedAt = null;
  return out;
}

export function resume(s, now) {
  return start(s, now);
}

/** Leave the current phase at `now` (its time is recorded) and enter phase `to`, which
 * continues from the time it already had (after "back", a phase picks up where it was). */
function timerMove(s, now, to) {
  const out = timerCopy(s);
  out.actualMs[s.index] = timerElapsed(s, now);
  out.index = to;
  out.elapsedBefore = out.actualMs[to];
  out.startedAt = s.running ? now : null;
  return out;
}

/** The next phase; on the last phase, the end of the session. */
export function next(s, now) {
  if (s.finished) return s;
  if (s.index < s.plan.length - 1) return timerMove(s, now, s.index + 1);
  const out = timerCopy(s);
  out.actualMs[s.index] = timerElapsed(s, now);
  out.elapsedBefore = 0;
  out.running = false;
  out.startedAt = null;
  out.finished = true;
  out.started = true;
  return out;
}

/** The previous phase; after the end, the last phase again (paused). On the first phase, nothing. */
export function back(s, now) {
  if (s.finished) {
    const out = timerCopy(s);
    out.finished = false;
    out.elapsedBefore = out.actualMs[s.index];
    return out;
  }
  if (s.index === 0) return s;
  return timerMove(s, now, s.index - 1);
}

/** One more minute for the current phase (and so for the session). `_now` is unused: every
 *  function of the timer takes the same (state, now), whatever it needs of them. */
export function addMinute(s, _now) {
  if (s.finished) return s;
  const out = timerCopy(s);
  out.extraMs[s.index] += TIMER_MINUTE_MS;
  return out;
}

/** What to show at `now`. phaseLeftMs is negative when the phase has overrun. */
export function view(s, now) {
  const n = s.plan.length;
  const i = s.index;
  let total = 0;
  let used = 0;
  for (let k = 0; k < n; k++) {
    total += timerPlannedMs(s, k);
    if (k !== i || s.finished) used += s.actualMs[k];
  }
  if (s.finished) {
    return {
      phaseIndex: i, phaseCount: n, phaseName: s.plan[i].name, cue: "", nextName: null,
      phasePlannedMs: timerPlannedMs(s, i), phaseLeftMs: 0, sessionLeftMs: total - used,
      warning: "none", running: false, started: true, finished: true,
    };
  }
  const elapsed = timerElapsed(s, now);
  const planned = timerPlannedMs(s, i);
  const left = planned - elapsed;
  let warning = "none";
  if (left < 0) warning = "over";
  else if (left <= soonWindowMs(planned) && s.started) warning = "soon";
  return {
    phaseIndex: i,
    phaseCount: n,
    phaseName: s.plan[i].name,
    cue: s.plan[i].cue,
    nextName: i + 1 < n ? s.plan[i + 1].name : null,
    phasePlannedMs: planned,
    phaseLeftMs: left,
    sessionLeftMs: total - used - elapsed,
    warning,
    running: s.running,
    started: s.started,
    finished: false,
  };
}

function timerRound(x) {
  return Math.round(x * 100) / 100;
}

/** Planned (as in the plan, without added minutes) against actual minutes, one row per phase. */
export function summary(s) {
  return s.plan.map((p, i) => ({
    name: p.name,
    plannedMin: timerRound(p.minutes),
    addedMin: timerRound(s.extraMs[i] / TIMER_MINUTE_MS),
    actualMin: timerRound(s.actualMs[i] / TIMER_MINUTE_MS),
  }));
}

function timerCsvField(value) {
  let v = String(value);
  // A cell starting with = + - @ would be run as a formula by a spreadsheet.
  if (/^[=+\-@\t\r]/.test(v) && typeof value === "string") v = "'" + v;
  return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

/** The summary as CSV text (RFC 4180: comma-separated, CRLF line ends). */
export function toCSV(rows, header = ["phase", "planned_min", "added_min", "actual_min"]) {
  const lines = [header.map(timerCsvField).join(",")];
  for (const r of rows) {
    lines.push([r.name, r.plannedMin, r.addedMin || 0, r.actualMin].map(timerCsvField).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

/** m:ss of a duration, rounded up to the second (a countdown shows 0:00 only at the end). */
export function formatClock(ms) {
  const total = Math.ceil(Math.abs(ms) / 1000 - 1e-9);
  const m = Math.floor(total / 60);
  const sec = total % 60;
  return m + ":" + String(sec).padStart(2, "0");
}

/** A state read back from storage, if it is well-formed and belongs to this plan; else null. */
export function restore(saved, plan) {
  try {
    if (!saved || typeof saved !== "object") return null;
    const fresh = create(plan);
    if (JSON.stringify(saved.plan) !== JSON.stringify(fresh.plan)) return null;
    const n = plan.length;
    const num = (x) => typeof x === "number" && Number.isFinite(x) && x >= 0;
    const arr = (a) => Array.isArray(a) && a.length === n && a.every(num);
    if (!Number.isInteger(saved.index) || saved.index < 0 || saved.index >= n) return null;
    if (!num(saved.elapsedBefore) || !arr(saved.extraMs) || !arr(saved.actualMs)) return null;
    if (saved.running && !num(saved.startedAt)) return null;
    return {
      plan: fresh.plan,
      index: saved.index,
      started: !!saved.started,
      running: !!saved.running && !saved.finished,
      startedAt: saved.running && !saved.finished ? saved.startedAt : null,
      elapsedBefore: saved.elapsedBefore,
      extraMs: saved.extraMs.slice(),
      actualMs: saved.actualMs.slice(),
      finished: !!saved.finished,
    };
  } catch {
    return null;
  }
}
