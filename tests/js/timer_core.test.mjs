// Unit tests of the phase timer's pure core (widgets/static/timer_core.js), with a fake clock.
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import * as T from "../../widgets/static/timer_core.js";

const MIN = 60000;
const plan = [
  { id: "a", name: "Opening", minutes: 5, cue: "Welcome" },
  { id: "b", name: "Case", minutes: 10, cue: "Who has a case?" },
  { id: "c", name: "Closing", minutes: 2, cue: "Thank the presenter" },
];

test("a fresh timer shows the first phase, whole, with no warning", () => {
  const v = T.view(T.create(plan), 1000);
  assert.equal(v.phaseIndex, 0);
  assert.equal(v.phaseName, "Opening");
  assert.equal(v.cue, "Welcome");
  assert.equal(v.nextName, "Case");
  assert.equal(v.phaseLeftMs, 5 * MIN);
  assert.equal(v.sessionLeftMs, 17 * MIN);
  assert.equal(v.warning, "none");
  assert.equal(v.finished, false);
  assert.equal(v.running, false);
});

test("start, pause and resume keep time; a pause does not count", () => {
  let s = T.start(T.create(plan), 1_000_000);
  assert.equal(T.view(s, 1_000_000 + 30_000).phaseLeftMs, 5 * MIN - 30_000);
  s = T.pause(s, 1_000_000 + 30_000);
  // An hour of pause changes nothing.
  assert.equal(T.view(s, 1_000_000 + 3_630_000).phaseLeftMs, 5 * MIN - 30_000);
  s = T.resume(s, 1_000_000 + 3_630_000);
  assert.equal(T.view(s, 1_000_000 + 3_640_000).phaseLeftMs, 5 * MIN - 40_000);
  assert.equal(T.view(s, 1_000_000 + 3_640_000).sessionLeftMs, 17 * MIN - 40_000);
  // Pausing twice, or resuming a running timer, changes nothing.
  const p = T.pause(s, 1_000_000 + 3_650_000);
  assert.deepEqual(T.pause(p, 1_000_000 + 3_700_000), p);
  assert.deepEqual(T.start(s, 1_000_000 + 3_700_000), s);
});

test("the functions do not change the state they are given", () => {
  const s0 = T.create(plan);
  const copy = JSON.stringify(s0);
  const s1 = T.addMinute(T.next(T.start(s0, 0), 1000), 2000);
  assert.equal(JSON.stringify(s0), copy);
  assert.notEqual(s1, s0);
});

test("the last minute of a phase warns 'soon'; under 5 minutes, the last 10 %", () => {
  let s = T.start(T.create(plan), 0);
  assert.equal(T.view(s, 4 * MIN - 1).warning, "none");
  assert.equal(T.view(s, 4 * MIN).warning, "soon");
  assert.equal(T.view(s, 5 * MIN).warning, "soon");
  s = T.next(T.next(s, 5 * MIN), 15 * MIN); // Closing: 2 minutes, so the last 12 s
  assert.equal(T.view(s, 15 * MIN + 107_000).warning, "none");
  assert.equal(T.view(s, 15 * MIN + 108_000).warning, "soon");
  assert.equal(T.soonWindowMs(10 * MIN), MIN);
  assert.equal(T.soonWindowMs(2 * MIN), 12_000);
});

test("an overrun gives a negative time left and the 'over' warning", () => {
  const s = T.start(T.create(plan), 0);
  const v = T.view(s, 5 * MIN + 42_000);
  assert.equal(v.phaseLeftMs, -42_000);
  assert.equal(v.warning, "over");
  assert.equal(v.sessionLeftMs, 12 * MIN - 42_000);
  assert.equal(T.formatClock(v.phaseLeftMs), "0:42");
});

test("add a minute extends the phase and the session", () => {
  let s = T.start(T.create(plan), 0);
  s = T.addMinute(s, 4.5 * MIN);
  const v = T.view(s, 5 * MIN + 30_000);
  assert.equal(v.phaseLeftMs, 30_000);
  assert.equal(v.warning, "soon");
  assert.equal(v.sessionLeftMs, 18 * MIN - 5.5 * MIN);
  s = T.next(s, 6 * MIN);
  const rows = T.summary(s);
  assert.equal(rows[0].addedMin, 1);
  assert.equal(rows[0].plannedMin, 5);
});

test("next and back record the actual time of the phase they leave", () => {
  let s = T.start(T.create(plan), 0);
  s = T.next(s, 4 * MIN); // Opening took 4 minutes
  assert.equal(s.actualMs[0], 4 * MIN);
  assert.equal(T.view(s, 4 * MIN).phaseName, "Case");
  assert.equal(T.view(s, 4 * MIN).phaseLeftMs, 10 * MIN);
  s = T.back(s, 4 * MIN + 20_000); // 20 s in Case by mistake, back to Opening
  assert.equal(s.actualMs[1], 20_000);
  // Opening continues from its 4 minutes.
  assert.equal(T.view(s, 4 * MIN + 30_000).phaseLeftMs, MIN - 10_000);
  s = T.next(s, 4 * MIN + 50_000);
  assert.equal(s.actualMs[0], 4 * MIN + 30_000);
  // Case continues from its 20 s.
  assert.equal(T.view(s, 4 * MIN + 50_000).phaseLeftMs, 10 * MIN - 20_000);
  // back on the first phase does nothing
  const first = T.start(T.create(plan), 0);
  assert.deepEqual(T.back(first, 1000), first);
});

test("next on the last phase ends the session; a paused timer moves without running", () => {
  let s = T.create(plan);
  s = T.next(s, 0);
  assert.equal(T.view(s, 99_999).phaseLeftMs, 10 * MIN); // not started: the clock does not run
  s = T.start(s, 0);
  s = T.next(s, 9 * MIN);
  s = T.pause(s, 10 * MIN);
  s = T.next(s, 50 * MIN);
  const v = T.view(s, 60 * MIN);
  assert.equal(v.finished, true);
  assert.equal(v.warning, "none");
  assert.equal(s.running, false);
  assert.equal(s.actualMs[2], MIN);
  assert.equal(v.sessionLeftMs, 17 * MIN - 10 * MIN);
  assert.deepEqual(T.next(s, 70 * MIN), s);
  // back after the end reopens the last phase, paused, with its time.
  const b = T.back(s, 70 * MIN);
  assert.equal(b.finished, false);
  assert.equal(T.view(b, 80 * MIN).phaseLeftMs, MIN);
});

test("summary and CSV", () => {
  let s = T.start(T.create([...plan.slice(0, 2), { id: "c", name: 'Closing, "round"', minutes: 2, cue: "" }]), 0);
  s = T.next(s, 6.5 * MIN);
  s = T.next(s, 15 * MIN);
  s = T.next(s, 15 * MIN + 45_000);
  assert.deepEqual(T.summary(s), [
    { name: "Opening", plannedMin: 5, addedMin: 0, actualMin: 6.5 },
    { name: "Case", plannedMin: 10, addedMin: 0, actualMin: 8.5 },
    { name: 'Closing, "round"', plannedMin: 2, addedMin: 0, actualMin: 0.75 },
  ]);
  assert.equal(
    T.toCSV(T.summary(s)),
    'phase,planned_min,added_min,actual_min\r\nOpening,5,0,6.5\r\nCase,10,0,8.5\r\n"Closing, ""round""",2,0,0.75\r\n'
  );
  // A phase name that a spreadsheet would run as a formula is quoted as text.
  assert.equal(T.toCSV([{ name: "=1+1", plannedMin: 1, addedMin: 0, actualMin: 1 }], ["a", "b", "c", "d"]), "a,b,c,d\r\n'=1+1,1,0,1\r\n");
});

test("formatClock shows m:ss, rounded up to the second", () => {
  assert.equal(T.formatClock(0), "0:00");
  assert.equal(T.formatClock(1), "0:01");
  assert.equal(T.formatClock(59_001), "1:00");
  assert.equal(T.formatClock(90 * MIN), "90:00");
  assert.equal(T.formatClock(-61_000), "1:01");
});

test("restore accepts only a well-formed state of the same plan", () => {
  const s = T.next(T.start(T.create(plan), 5), 1000);
  const back = T.restore(JSON.parse(JSON.stringify(s)), plan);
  assert.deepEqual(back, s);
  assert.equal(T.restore(s, plan.slice(0, 2)), null);
  assert.equal(T.restore({ ...s, index: 7 }, plan), null);
  assert.equal(T.restore({ ...s, elapsedBefore: "x" }, plan), null);
  assert.equal(T.restore({ ...s, actualMs: [1, 2] }, plan), null);
  assert.equal(T.restore(null, plan), null);
  assert.equal(T.restore("junk", plan), null);
});

test("drift: 90 minutes with irregular redraws keep exactly the wall clock", () => {
  // A pseudo-random but repeatable sequence of gaps between redraws, 0.1 s to 60 s, as a
  // slow page or a background tab would see them; the state changes only at a few actions.
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const long = [{ id: "x", name: "Whole session", minutes: 120, cue: "" }];
  const t0 = 1_700_000_000_000;
  let s = T.start(T.create(long), t0);
  let now = t0;
  let redraws = 0;
  while (now - t0 < 90 * MIN) {
    now += Math.round(100 + rand() * 59_900);
    const v = T.view(s, now);
    assert.equal(v.phaseLeftMs, 120 * MIN - (now - t0));
    redraws++;
  }
  assert.ok(redraws > 150);
  // With pauses and phase changes in between, elapsed time is still the sum of the run spells.
  const three = [
    { id: "a", name: "A", minutes: 30, cue: "" },
    { id: "b", name: "B", minutes: 30, cue: "" },
    { id: "c", name: "C", minutes: 30, cue: "" },
  ];
  s = T.create(three);
  now = t0;
  let running = false;
  let ran = 0;
  for (let k = 0; k < 400; k++) {
    const gap = Math.round(100 + rand() * 59_900);
    if (running) ran += gap;
    now += gap;
    const r = rand();
    if (r < 0.05) { s = running ? T.pause(s, now) : T.resume(s, now); running = !running; }
    else if (r < 0.08 && s.index < 2) s = T.next(s, now);
    const v = T.view(s, now);
    const used = s.actualMs.reduce((a, b, i) => a + (i === s.index ? 0 : b), 0);
    assert.equal(90 * MIN - v.sessionLeftMs, ran);
    assert.equal(used + (v.phasePlannedMs - v.phaseLeftMs), ran);
  }
});
