// Checking a "your data" file in the browser before anything of it is kept (pure: no DOM, no
// storage). widgets/store.py sends dom.js, this file and store.js to the browser as one module;
// tests/js/import_check.test.mjs tests it. The file's text never leaves the browser: store.js
// writes the reflections and the rest to localStorage itself and gives the kernel only the
// progress and the knowledge-check answers, as on every page load (the kernel checks those
// again, widgets/learner_data.py clean_progress and clean_quiz).
//
// Every entry is checked against what the kit itself writes there; anything else is left out
// and counted, so the learner can be told how much was taken and how much was not.

export const IMPORT_KIT_ID = "balint-course-kit";
export const IMPORT_VERSION = 1;
export const IMPORT_MAX_BYTES = 2000000; // the same cap as the file picker's (file.size)
export const IMPORT_MAX_REFLECTION = 20000; // reflection.js: the text box's maxLength
export const IMPORT_MAX_OTHER = 200000;

const IC_MODULE = /^[0-9]{2}_[a-z_]+$/;
const IC_ITEM = /^[a-z][a-z0-9-]{0,59}$/;
const IC_OPTION = /^[a-z][a-z0-9-]{0,29}$/;
const IC_REFLECTION = /^[0-9]{2}_[a-z_]+-[a-z0-9-]{1,60}$/;
const IC_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const IC_CONTROL = /[\u0000-\u001f\u007f]/; // eslint-disable-line no-control-regex -- a one-line name has none
const IC_LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const IC_OTHER =
  /^(order-seed|cbi-draft|cbi-history|group-eval|poll-tokens|poll-sent|poll-classes|roleplay|online-checklist|pledge-form|record-name|theme|present|solo:[a-z0-9-]+:[a-z0-9-]+|timer:[A-Za-z0-9_-]{1,80})$/;

function icObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function icBool(v) {
  return typeof v === "boolean";
}

function icInt(v, lo, hi) {
  return Number.isInteger(v) && v >= lo && v <= hi;
}

function icNumber(v) {
  return typeof v === "number" && Number.isFinite(v);
}

function icText(v, max) {
  return typeof v === "string" && v.length <= max && !IC_LONE_SURROGATE.test(v);
}

function icKeys(v, allowed, required) {
  const keys = Object.keys(v);
  return keys.every((k) => allowed.includes(k)) && required.every((k) => keys.includes(k));
}

/** "2025-03-14" and a day that exists (not 2025-02-30). */
export function importRealDate(text) {
  const m = typeof text === "string" ? IC_DATE.exec(text) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** One completed module: {completed: "YYYY-MM-DD"}, nothing else. */
function icProgressEntry(v) {
  return icObject(v) && icKeys(v, ["completed"], ["completed"]) && importRealDate(v.completed);
}

/** One knowledge-check answer as the kit keeps it (learner_data.QuizAnswer), or as kits before
 *  Dec 2026 kept it, {chosen: [positions], correct} (the kernel turns positions into ids). */
function icAnswer(v) {
  if (!icObject(v) || !Array.isArray(v.chosen) || v.chosen.length < 1 || v.chosen.length > 10) return null;
  if (icKeys(v, ["chosen", "correct"], ["chosen", "correct"]) && v.chosen.every((i) => Number.isInteger(i))) {
    if (!v.chosen.every((i) => icInt(i, 0, 9)) || !icBool(v.correct)) return null;
    return { chosen: v.chosen.slice(), correct: v.correct };
  }
  const fields = ["chosen", "correct", "tries", "first_try", "revealed"];
  if (!icKeys(v, fields, fields)) return null;
  if (!v.chosen.every((c) => typeof c === "string" && IC_OPTION.test(c))) return null;
  if (!icBool(v.correct) || !icBool(v.first_try) || !icBool(v.revealed) || !icInt(v.tries, 1, 10000)) return null;
  return { chosen: [...new Set(v.chosen)], correct: v.correct, tries: v.tries, first_try: v.first_try, revealed: v.revealed };
}

/** One reflection: {text, saved?}, the text at most 20,000 characters, "saved" the short time stamp. */
function icReflection(v) {
  if (!icObject(v) || !icKeys(v, ["text", "saved"], ["text"])) return null;
  if (!icText(v.text, IMPORT_MAX_REFLECTION)) return null;
  const saved = v.saved === undefined ? "" : v.saved;
  if (!icText(saved, 40) || IC_CONTROL.test(saved)) return null;
  return { text: v.text, saved };
}

function icJSON(text) {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

function icAllValues(obj, ok) {
  return Object.values(obj).every(ok);
}

/** Whether `text` may be kept under the "other" key `name`: what the widget that reads it writes. */
export function importOtherValue(name, text) {
  if (!icText(text, IMPORT_MAX_OTHER)) return false;
  if (name === "theme") return text === "light" || text === "dark"; // kit.js and the template's head
  if (name === "present") return text === "on"; // kit.js: "on", or no entry
  if (name === "order-seed") return /^[0-9a-f]{16}$/.test(text); // shuffle_core.js kitSeed
  if (name === "record-name") return text.length <= 120 && !IC_CONTROL.test(text); // resources.js: one line of 120
  if (name.startsWith("solo:")) return text.length <= IMPORT_MAX_REFLECTION; // roleplay.js: a note, as a reflection
  const parsed = icJSON(text);
  if (!parsed) return false;
  const v = parsed.value;
  if (name.startsWith("timer:")) {
    // timer_core.js create(): the state of one plan (restore() checks it against the plan again).
    const fields = ["plan", "index", "started", "running", "startedAt", "elapsedBefore", "extraMs", "actualMs", "finished"];
    const ms = (a) => Array.isArray(a) && a.length <= 100 && a.every((x) => icNumber(x) && x >= 0);
    return (
      icObject(v) && icKeys(v, fields, fields) && Array.isArray(v.plan) && v.plan.length <= 100 && v.plan.every(icObject) &&
      icInt(v.index, 0, 99) && icBool(v.started) && icBool(v.running) && icBool(v.finished) &&
      (v.startedAt === null || icNumber(v.startedAt)) && icNumber(v.elapsedBefore) && ms(v.extraMs) && ms(v.actualMs)
    );
  }
  switch (name) {
    case "cbi-draft": // selfcheck.js: {item id: answer}
      return icObject(v) && icAllValues(v, icNumber);
    case "cbi-history": // selfcheck.js: [{date, answers: {item id: answer}}]
      return Array.isArray(v) && v.every((e) => icObject(e) && importRealDate(e.date) && icObject(e.answers) && icAllValues(e.answers, icNumber));
    case "poll-tokens": // groupeval.js: {class code: token}
      return icObject(v) && icAllValues(v, (x) => icText(x, 200));
    case "poll-classes": // groupeval.js: [{code, key}]
      return Array.isArray(v) && v.every((c) => icObject(c) && icText(c.code, 200) && icText(c.key, 200));
    case "online-checklist": // checklist.js: {done: [step ids], start: "YYYY-MM-DDTHH:MM"}
      return icObject(v) && (v.done === undefined || (Array.isArray(v.done) && v.done.every((s) => icText(s, 200)))) && (v.start === undefined || icText(v.start, 40));
    case "pledge-form": // pledge.js: {field: text of at most 120 characters}
      return icObject(v) && icAllValues(v, (x) => icText(x, 200));
    default: // group-eval, poll-sent, roleplay: an object, read field by field by its widget
      return icObject(v);
  }
}

/** The entries of a part of the file, at most `cap` of them (the rest counted as left out). */
function icEntries(part, cap, left, kind) {
  if (part === undefined || part === null) return [];
  if (!icObject(part)) {
    left[kind] += 1;
    return [];
  }
  const entries = Object.entries(part);
  left[kind] += Math.max(0, entries.length - cap);
  return entries.slice(0, cap);
}

/**
 * Read a file the kit exported. Returns {ok: false, problem} when it is not one ("too-large",
 * "not-json", "not-kit", "wrong-version": the end of a text key import-<problem>), else
 * {ok: true, progress, quiz, reflections, other, counts, leftOut}: every entry that is not what
 * the kit writes is left out. counts and leftOut are {modules, answers, reflections, other}: how
 * many entries of each part were kept and how many were left out.
 */
export function checkImport(text) {
  if (typeof text !== "string") return { ok: false, problem: "not-json" };
  if (new TextEncoder().encode(text).length > IMPORT_MAX_BYTES) return { ok: false, problem: "too-large" };
  const parsed = icJSON(text);
  if (!parsed) return { ok: false, problem: "not-json" };
  const raw = parsed.value;
  if (!icObject(raw) || raw.kit !== IMPORT_KIT_ID) return { ok: false, problem: "not-kit" };
  if (raw.version !== IMPORT_VERSION) return { ok: false, problem: "wrong-version" };
  const left = { modules: 0, answers: 0, reflections: 0, other: 0 };
  const out = { ok: true, progress: {}, quiz: {}, reflections: {}, other: {}, leftOut: left };
  for (const [id, entry] of icEntries(raw.progress, 100, left, "modules")) {
    if (IC_MODULE.test(id) && icProgressEntry(entry)) out.progress[id] = { completed: entry.completed };
    else left.modules += 1;
  }
  let answers = 0;
  for (const [id, items] of icEntries(raw.quiz, 100, left, "answers")) {
    if (!IC_MODULE.test(id) || !icObject(items)) {
      left.answers += icObject(items) ? Math.max(1, Object.keys(items).length) : 1;
      continue;
    }
    const kept = {};
    for (const [item, answer] of icEntries(items, 200, left, "answers")) {
      const clean = IC_ITEM.test(item) ? icAnswer(answer) : null;
      if (clean) kept[item] = clean;
      else left.answers += 1;
    }
    if (Object.keys(kept).length) {
      out.quiz[id] = kept;
      answers += Object.keys(kept).length;
    }
  }
  for (const [id, entry] of icEntries(raw.reflections, 200, left, "reflections")) {
    const clean = IC_REFLECTION.test(id) ? icReflection(entry) : null;
    if (clean) out.reflections[id] = clean;
    else left.reflections += 1;
  }
  for (const [name, value] of icEntries(raw.other, 500, left, "other")) {
    if (IC_OTHER.test(name) && importOtherValue(name, value)) out.other[name] = value;
    else left.other += 1;
  }
  out.counts = {
    modules: Object.keys(out.progress).length,
    answers,
    reflections: Object.keys(out.reflections).length,
    other: Object.keys(out.other).length,
  };
  return out;
}
