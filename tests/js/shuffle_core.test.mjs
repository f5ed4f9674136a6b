// Unit tests of the per-learner option order (widgets/static/shuffle_core.js). Run: node --test tests/js/
// The expected orders are the ones tests/test_shuffle.py holds for the Python twin (widgets/shuffle.py),
// copied by hand: the browser and Python must give one order.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as S from "../../widgets/static/shuffle_core.js";

const A = "0123456789abcdef";
const B = "fedcba9876543210";

test("FNV-1a gives the published test values", () => {
  assert.equal(S.kitHash(""), 0x811c9dc5);
  assert.equal(S.kitHash("a"), 0xe40c292c);
  assert.equal(S.kitHash("foobar"), 0xbf9cf968);
});

test("mulberry32 from 1", () => {
  const next = S.kitRandom(1);
  assert.deepEqual([next(), next(), next()], [2693262067, 11749833, 2265367787]);
});

test("the same seed gives the same order, and the file's order is left alone", () => {
  const ids = ["a", "b", "c", "d"];
  assert.deepEqual(S.kitOrder(A, "01_history", "q-first-seminars", ids), ["a", "b", "d", "c"]);
  assert.deepEqual(S.kitOrder(A, "01_history", "q-first-seminars", ids), ["a", "b", "d", "c"]);
  assert.deepEqual(ids, ["a", "b", "c", "d"]);
});

test("two seeds give two orders", () => {
  assert.deepEqual(S.kitOrder(B, "01_history", "q-first-seminars", ["a", "b", "c", "d"]), ["c", "d", "b", "a"]);
  const six = ["a", "b", "c", "d", "e", "f"];
  assert.deepEqual(S.kitOrder(A, "01_history", "q-enid", six), ["a", "d", "f", "c", "e", "b"]);
  assert.deepEqual(S.kitOrder(B, "01_history", "q-enid", six), ["d", "b", "e", "a", "f", "c"]);
});

test("the exercise and the item change the order", () => {
  const ids = ["a", "b", "c", "d"];
  assert.deepEqual(S.kitOrder(A, "02_frame_exercise", "sc-late", ids), ["b", "d", "c", "a"]);
  assert.deepEqual(S.kitOrder(A, "simulator/x", "m1", ids), ["c", "a", "b", "d"]);
  assert.deepEqual(S.kitOrder(B, "simulator/x", "m1", ids), ["a", "d", "b", "c"]);
});

test("no place is favoured over 1,000 learners", () => {
  const firsts = { a: 0, b: 0, c: 0, d: 0 };
  for (let n = 0; n < 1000; n++) {
    firsts[S.kitOrder(n.toString(16).padStart(16, "0"), "01_history", "q-first-seminars", ["a", "b", "c", "d"])[0]] += 1;
  }
  for (const count of Object.values(firsts)) assert.ok(count >= 200 && count <= 300, JSON.stringify(firsts));
});
