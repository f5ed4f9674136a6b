// Unit tests of the "your data" import check (widgets/static/import_check.js), which reads an
// exported file in the browser before anything of it is kept. Run: node --test tests/js/
// (These carry over the expectations of the Python parse_export tests the check replaced.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkImport, importOtherValue, importRealDate } from "../../widgets/static/import_check.js";

const NONE = { modules: 0, answers: 0, reflections: 0, other: 0 };

function file(over = {}) {
  return JSON.stringify({
    kit: "balint-course-kit",
    version: 1,
    exported: "2025-03-14",
    progress: { "01_history": { completed: "2025-03-14" } },
    quiz: {
      "01_history": {
        "q-enid": { chosen: ["a", "b", "c"], correct: true, tries: 2, first_try: false, revealed: false },
        "q-first-seminars": { chosen: [1], correct: false }, // saved before option ids
      },
    },
    reflections: { "01_history-roots": { text: "A private thought.", saved: "2025-03-14T10:00" } },
    other: { "order-seed": "0123456789abcdef" },
    ...over,
  });
}

test("a valid file is taken whole, and counted", () => {
  const r = checkImport(file());
  assert.equal(r.ok, true);
  assert.deepEqual(r.progress, { "01_history": { completed: "2025-03-14" } });
  assert.deepEqual(r.quiz, {
    "01_history": {
      "q-enid": { chosen: ["a", "b", "c"], correct: true, tries: 2, first_try: false, revealed: false },
      // positions go to the kernel as they are: clean_quiz turns them into the item's option ids
      "q-first-seminars": { chosen: [1], correct: false },
    },
  });
  assert.deepEqual(r.reflections, { "01_history-roots": { text: "A private thought.", saved: "2025-03-14T10:00" } });
  assert.deepEqual(r.other, { "order-seed": "0123456789abcdef" }); // the learner's option order comes with their data
  assert.deepEqual(r.counts, { modules: 1, answers: 2, reflections: 1, other: 1 });
  assert.deepEqual(r.leftOut, NONE);
});

test("a file with no parts is a valid, empty import", () => {
  const r = checkImport('{"kit": "balint-course-kit", "version": 1}');
  assert.equal(r.ok, true);
  assert.deepEqual([r.progress, r.quiz, r.reflections, r.other], [{}, {}, {}, {}]);
  assert.deepEqual(r.counts, NONE);
  assert.deepEqual(r.leftOut, NONE);
});

test("a part that is not an object is left out, the other parts are kept", () => {
  const r = checkImport(
    file({
      progress: { "01_history": { completed: "soon" }, "02_ground_rules": { completed: "2025-01-02" } },
      quiz: "nope",
      reflections: null,
    }),
  );
  assert.deepEqual(r.progress, { "02_ground_rules": { completed: "2025-01-02" } });
  assert.deepEqual(r.quiz, {});
  assert.deepEqual(r.reflections, {});
  assert.deepEqual(r.other, { "order-seed": "0123456789abcdef" });
  assert.deepEqual(r.leftOut, { modules: 1, answers: 1, reflections: 0, other: 0 });
});

test("progress: module ids of the kit's shape and real dates only", () => {
  const progress = {
    history: { completed: "2025-03-14" },
    "1_history": { completed: "2025-03-14" },
    "01-history": { completed: "2025-03-14" },
    "01_History": { completed: "2025-03-14" },
    "../01_history": { completed: "2025-03-14" },
    "01_history\n": { completed: "2025-03-14" },
    "02_ground_rules": { completed: "2025-02-30" },
    "03_session_structure": { completed: "2025-13-01" },
    "04_leader": { completed: "2025-3-14" },
    "05_balint": { completed: "2025-03-14", by: "me" },
    "06_online": { completed: 20250314 },
    "07_burnout": "2025-03-14",
    "01_history": { completed: "2024-02-29" },
  };
  const r = checkImport(file({ progress }));
  assert.deepEqual(r.progress, { "01_history": { completed: "2024-02-29" } });
  assert.equal(r.leftOut.modules, 12);
  assert.equal(importRealDate("2025-02-28"), true);
  assert.equal(importRealDate("2025-02-29"), false);
  assert.equal(importRealDate("2025-04-31"), false);
});

test("answers: the entry's shape, option ids, tries as a bounded whole number, booleans", () => {
  const ok = { chosen: ["a"], correct: true, tries: 1, first_try: true, revealed: false };
  const quiz = {
    "01_history": {
      "q-ok": ok,
      "q-twice": { ...ok, chosen: ["b", "a", "b"] },
      "q-most-tries": { ...ok, tries: 10000 },
      "Q-caps": ok,
      "q-too-many-tries": { ...ok, tries: 10001 },
      "q-no-tries": { ...ok, tries: 0 },
      "q-half-a-try": { ...ok, tries: 1.5 },
      "q-tries-text": { ...ok, tries: "1" },
      "q-bool-text": { ...ok, correct: "true" },
      "q-extra": { ...ok, note: "x" },
      "q-missing": { chosen: ["a"], correct: true, tries: 1 },
      "q-none-chosen": { ...ok, chosen: [] },
      "q-eleven": { ...ok, chosen: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"] },
      "q-bad-option": { ...ok, chosen: ["A"] },
      "q-markup": { ...ok, chosen: ['"><img src=x onerror=alert(1)>'] },
      "q-old-far": { chosen: [10], correct: true },
      "q-old-negative": { chosen: [-1], correct: true },
      "q-old-bool": { chosen: [0], correct: 1 },
      "q-null": null,
    },
    "1_bad_module": { "q-ok": ok },
    "02_ground_rules": "not an object",
  };
  const r = checkImport(file({ quiz }));
  assert.deepEqual(r.quiz, {
    "01_history": { "q-ok": ok, "q-twice": { ...ok, chosen: ["b", "a"] }, "q-most-tries": { ...ok, tries: 10000 } },
  });
  assert.equal(r.counts.answers, 3);
  assert.equal(r.leftOut.answers, 16 + 1 + 1); // 16 bad items, one forged module of one answer, one bucket not an object
});

test("reflections: ids of the kit's shape, text up to 20,000 characters, a short time stamp", () => {
  const reflections = {
    "01_history-roots": { text: "y".repeat(20000) },
    "01_history-today": { text: "", saved: "14/03/2025, 10:00:00" },
    "01_history": { text: "no prompt part in the id" },
    "history-roots": { text: "no module number" },
    "01_history-long": { text: "x".repeat(20001) },
    "01_history-number": { text: 42 },
    "01_history-extra": { text: "ok", mood: "fine" },
    "01_history-saved": { text: "ok", saved: "s".repeat(41) },
    "01_history-none": null,
    "01_history-half": { text: "half a pair \ud83d" },
  };
  const r = checkImport(file({ reflections }));
  assert.deepEqual(r.reflections, {
    "01_history-roots": { text: "y".repeat(20000), saved: "" },
    "01_history-today": { text: "", saved: "14/03/2025, 10:00:00" },
  });
  assert.deepEqual(r.leftOut, { modules: 0, answers: 0, reflections: 8, other: 0 });
});

test("the rest of the learner's data: known keys, each value what its widget writes", () => {
  const other = {
    "cbi-history": '[{"date": "2026-10-01", "answers": {"personal-1": 75}}]',
    "solo:the-wedding-in-june:associations": "A heavy feeling.",
    "timer:online-consensus": JSON.stringify({
      plan: [{ id: "a", name: "Opening", minutes: 5, cue: "" }],
      index: 0, started: true, running: false, startedAt: null, elapsedBefore: 1000, extraMs: [0], actualMs: [0], finished: false,
    }),
    present: "on", // the header's Present switch, kept like the theme
    theme: "dark",
    "record-name": "Dr Ada Lee",
    "online-checklist": '{"done": ["test-link"], "start": "2026-12-03T18:00"}',
    progress: "not here", // has its own field
    "reflection:01_history-roots": "not here either",
    "../../etc": "x",
    "pledge-form": { group: "not a string" },
    roleplay: "{}" + " ".repeat(200000),
  };
  const r = checkImport(file({ other }));
  assert.deepEqual(Object.keys(r.other), [
    "cbi-history", "solo:the-wedding-in-june:associations", "timer:online-consensus", "present", "theme", "record-name", "online-checklist",
  ]);
  assert.equal(r.other.theme, "dark");
  assert.equal(r.counts.other, 7);
  assert.equal(r.leftOut.other, 5);
});

test("a theme is light or dark, nothing else: it is written into an attribute of the page", () => {
  assert.equal(importOtherValue("theme", "light"), true);
  assert.equal(importOtherValue("theme", "dark"), true);
  for (const bad of ['" onmouseover=alert(1) x="', "Dark", "dark ", "", "sepia", "light dark"]) {
    assert.equal(importOtherValue("theme", bad), false, bad);
  }
  const r = checkImport(file({ other: { theme: '" onmouseover=alert(1) x="', present: "yes" } }));
  assert.deepEqual(r.other, {});
  assert.equal(r.leftOut.other, 2);
});

test("each other value against its shape", () => {
  const cases = [
    ["order-seed", "0123456789abcdef", true],
    ["order-seed", "0123456789ABCDEF", false],
    ["order-seed", "0123", false],
    ["record-name", "x".repeat(120), true],
    ["record-name", "x".repeat(121), false],
    ["record-name", "Ada\nLee", false],
    ["solo:a:b", "line one\nline two", true],
    ["solo:a:b", "z".repeat(20001), false],
    ["timer:plan", "{}", false],
    ["timer:plan", "[]", false],
    ["timer:plan", "not json", false],
    ["cbi-draft", '{"personal-1": 50}', true],
    ["cbi-draft", '{"personal-1": "50"}', false],
    ["cbi-history", '[{"date": "2026-02-30", "answers": {}}]', false],
    ["cbi-history", '{"date": "2026-02-03"}', false],
    ["poll-classes", '[{"code": "ABC123", "key": "k"}]', true],
    ["poll-classes", '[{"code": 5}]', false],
    ["poll-tokens", '{"ABC123": "t0k"}', true],
    ["pledge-form", '{"group": "Tuesday group", "recording": "none"}', true],
    ["pledge-form", '{"group": ["x"]}', false],
    ["online-checklist", '{"done": "all"}', false],
    ["group-eval", '{"draft": {"s1": 4}}', true],
    ["group-eval", "[]", false],
    ["roleplay", '{"caseId": "the-wedding-in-june"}', true],
    ["poll-sent", "null", false],
  ];
  for (const [name, value, ok] of cases) assert.equal(importOtherValue(name, value), ok, `${name}: ${value.slice(0, 40)}`);
});

test("a file that is not the kit's export gets a plain problem, and nothing else", () => {
  const problem = (text) => {
    const r = checkImport(text);
    assert.equal(r.ok, false);
    assert.deepEqual(Object.keys(r), ["ok", "problem"]);
    return r.problem;
  };
  for (const text of ["", "not json at all", "{'kit': 'balint-course-kit'}", '{"kit": ', "\x00\x01", "[".repeat(200000), '{"kit": "balint-course-kit", "version": 1, "progress": NaN}']) {
    assert.equal(problem(text), "not-json", text.slice(0, 30));
  }
  for (const text of ["[]", "null", "42", '"balint-course-kit"', '{"version": 1}', '{"kit": "other-kit", "version": 1}', '{"kit": null}']) {
    assert.equal(problem(text), "not-kit", text);
  }
  for (const version of [2, 0, "1", null]) assert.equal(problem(file({ version })), "wrong-version", String(version));
  assert.equal(problem('{"kit": "balint-course-kit"}'), "wrong-version");
  assert.equal(problem(undefined), "not-json");
});

test("the size cap counts bytes, not characters", () => {
  assert.equal(checkImport(file({ reflections: { "01_history-roots": { text: "z".repeat(2100000) } } })).problem, "too-large");
  // 700,001 three-byte characters: fewer than 2,000,000 characters, more than 2,000,000 bytes.
  const big = file({ note: "€".repeat(700001) });
  assert.ok(big.length < 2000000);
  assert.equal(checkImport(big).problem, "too-large");
});

test("more entries than the kit ever writes: the first are taken, the rest counted as left out", () => {
  const progress = {};
  for (let i = 0; i < 105; i++) progress[`${String(i % 100).padStart(2, "0")}_m${"abcdefghij"[Math.floor(i / 10) % 10]}${i >= 100 ? "x" : ""}`] = { completed: "2025-01-01" };
  const r = checkImport(file({ progress }));
  assert.equal(r.counts.modules, 100);
  assert.equal(r.leftOut.modules, 5);
});
