// Unit tests of the pledge generator's text (widgets/static/pledge_core.js). Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import * as P from "../../widgets/static/pledge_core.js";

const template = {
  title: "Confidentiality pledge: {group}",
  intro: "I join {group}, organised by {organiser}, on {date}.",
  contents: ["One.", "Two.", "Three.", "Four.", "Five.", "Six.", "Seven: {organiser} keeps the list."],
  recording: [
    { id: "archive", label: "Archive", text: "{organiser} records the session for the archive." },
    { id: "none", label: "None", text: "Nobody records the session." },
  ],
  closing: "Signed for {group}.",
  sign_line: "Name, signature and date",
};

test("the entries fill every placeholder, and the date reads as words", () => {
  const p = P.pledgeBuild(template, { group: "Tuesday group", organiser: "Dr Lee", date: "2026-12-03", recording: "archive" }, "en-GB");
  assert.equal(p.title, "Confidentiality pledge: Tuesday group");
  assert.equal(p.intro, "I join Tuesday group, organised by Dr Lee, on 3 December 2026.");
  assert.equal(p.contents.length, 7);
  assert.equal(p.contents[6], "Seven: Dr Lee keeps the list.");
  assert.equal(p.recording, "Dr Lee records the session for the archive.");
  assert.equal(p.closing, "Signed for Tuesday group.");
  assert.equal(p.signLine, "Name, signature and date");
});

test("an empty entry leaves a line to write on, and the policy can be none", () => {
  const p = P.pledgeBuild(template, { group: " ", organiser: "", date: "", recording: "none" }, "en-GB");
  assert.equal(p.intro, "I join ______________, organised by ______________, on ______________.");
  assert.equal(p.recording, "Nobody records the session.");
});

test("an unknown policy falls back to the first, and odd dates are kept as typed", () => {
  const p = P.pledgeBuild(template, { group: "G", organiser: "O", date: "next Tuesday", recording: "<script>" }, "en-GB");
  assert.equal(p.recording, "O records the session for the archive.");
  assert.equal(p.intro, "I join G, organised by O, on next Tuesday.");
  assert.equal(P.pledgeDate("2026-02-30", "en-GB"), "2026-02-30");
});

test("text typed with braces is not treated as a placeholder twice", () => {
  const p = P.pledgeBuild(template, { group: "{organiser}", organiser: "Ann", date: "2026-01-05", recording: "none" }, "en-GB");
  assert.equal(p.title, "Confidentiality pledge: {organiser}");
});

// The pledge's lines follow the recording policy chosen (issue 14: with "No recording at all",
// items 2 and 3 still spoke of the organiser's recording). The template is the shape
// widgets/online_view.py sends: lines are {text, by_policy}.
const withPolicies = {
  ...template,
  contents: [
    { text: "One.", by_policy: {} },
    { text: "I accept that {organiser} keeps a recording for the archive.", by_policy: { none: "I accept that {organiser} does not record this session." } },
    { text: "Apart from the organiser, no one records.", by_policy: { none: "No one records this session." } },
    "Four.", "Five.", "Six.", "Seven.",
  ],
};

test("with no recording, no line speaks of the organiser's recording", () => {
  const p = P.pledgeBuild(withPolicies, { group: "G", organiser: "Dr Lee", date: "", recording: "none" }, "en-GB");
  assert.deepEqual(p.contents.slice(0, 3), ["One.", "I accept that Dr Lee does not record this session.", "No one records this session."]);
  assert.equal(p.recording, "Nobody records the session.");
  assert.equal(p.contents.length, 7);
});

test("with the organiser's recording, the lines say so", () => {
  const p = P.pledgeBuild(withPolicies, { group: "G", organiser: "Dr Lee", date: "", recording: "archive" }, "en-GB");
  assert.deepEqual(p.contents.slice(0, 3), ["One.", "I accept that Dr Lee keeps a recording for the archive.", "Apart from the organiser, no one records."]);
  assert.equal(p.contents[3], "Four.");
});

test("a wording for another policy, or an odd policy id, falls back to the line's own text", () => {
  assert.equal(P.pledgeLine({ text: "Plain.", by_policy: { none: "Other." } }, "archive"), "Plain.");
  assert.equal(P.pledgeLine({ text: "Plain.", by_policy: { none: "Other." } }, "__proto__"), "Plain.");
  assert.equal(P.pledgeLine("Just text.", "none"), "Just text.");
});
