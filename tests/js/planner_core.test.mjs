// Unit tests of the session planner's browser logic (widgets/static/planner_core.js). Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import * as P from "../../widgets/static/planner_core.js";

const online = { id: "online", phases: [
  { phase: "opening", name: "Opening" }, { phase: "ground-rules", name: "Ground rules" },
  { phase: "discussion", name: "Group discussion" }, { phase: "closing", name: "Closing" }] };
const abs = { id: "abs", phases: [{ phase: "discussion", name: "Group discussion" }, { phase: "closing", name: "Closing" }] };

test("a change of format keeps the entries of the phases both share and names those it would drop", () => {
  const r = P.planCarry(online, abs, { opening: "4", "ground-rules": "abc", discussion: "25", closing: "" });
  assert.deepEqual(r.kept, { discussion: "25" });  // closing was empty: nothing to keep
  assert.deepEqual(r.lost, ["Opening", "Ground rules"]);  // "abc" is an entry too: the learner typed it
});

test("nothing is lost when the new format has every phase that was filled in", () => {
  const r = P.planCarry(abs, online, { discussion: "25", closing: "1" });
  assert.deepEqual(r.kept, { discussion: "25", closing: "1" });
  assert.deepEqual(r.lost, []);
});

test("empty boxes and blanks are neither kept nor lost", () => {
  const r = P.planCarry(online, abs, { opening: "  ", discussion: "" });
  assert.deepEqual(r, { kept: {}, lost: [] });
});

test("plural forms follow the language's rule", () => {
  const forms = { one: "{count} phase kept", other: "{count} phases kept" };
  assert.equal(P.planPlural(forms, 1, "en"), "1 phase kept");
  assert.equal(P.planPlural(forms, 0, "en"), "0 phases kept");
  assert.equal(P.planPlural(forms, 2, "en"), "2 phases kept");
  const ru = { one: "one", few: "few", many: "many", other: "other" };
  assert.equal(P.planPlural(ru, 21, "ru"), "one");
  assert.equal(P.planPlural(ru, 3, "ru"), "few");
  assert.equal(P.planPlural(ru, 5, "ru"), "many");
  assert.equal(P.planPlural({ other: "{count} 项" }, 1, "zh"), "1 项");
});

test("ranges, lists and placeholders", () => {
  assert.equal(P.planRange({ min: 1, max: 2 }), "1–2");
  assert.equal(P.planRange({ min: 5, max: 5 }), "5");
  assert.equal(P.planList(["Opening", "Ground rules", "Closing"], "en"), "Opening, Ground rules, and Closing");
  assert.equal(P.planFill("{phase}: {minutes} min {other}", { phase: "Closing", minutes: 1 }), "Closing: 1 min {other}");
});
