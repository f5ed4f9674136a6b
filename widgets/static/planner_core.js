// The session planner's logic that needs no page (pure: no DOM). widgets/session_view.py sends
// dom.js, this file and planner.js to the browser as one module; tests/js/ tests it.

/** Fill {name} placeholders in `text` from `values`; an unknown placeholder is kept as typed. */
export function planFill(text, values) {
  return String(text).replace(/\{([a-z]+)\}/g, (whole, key) => (values && key in values ? String(values[key]) : whole));
}

/** A text with plural forms ({one, other, ...}, from data/ui/en.yaml) for `count`, filled in.
 *  The form is the language's own (Intl.PluralRules: English 1 -> one, 0, 2, 1.5 -> other). */
export function planPlural(forms, count, lang) {
  if (typeof forms === "string") return planFill(forms, { count });
  let form = "other";
  try { form = new Intl.PluralRules(lang || "en").select(count); } catch { /* an odd language tag: other */ }
  return planFill((forms && (forms[form] || forms.other)) || "", { count });
}

/** "1–2" or "5": a phase's range as its label shows it. */
export function planRange(ph) {
  return ph.min === ph.max ? `${ph.min}` : `${ph.min}–${ph.max}`;
}

/** What the learner typed for `from` (a format) carried over to `to`:
 *  {kept: {phase id: text}, lost: [phase names]} – an entry is kept when `to` has the same
 *  phase, lost when it has not; empty boxes count for neither. */
export function planCarry(from, to, entries) {
  const phases = new Set(((to && to.phases) || []).map((p) => p.phase));
  const kept = {};
  const lost = [];
  for (const ph of (from && from.phases) || []) {
    const text = String((entries && entries[ph.phase]) || "").trim();
    if (!text) continue;
    if (phases.has(ph.phase)) kept[ph.phase] = entries[ph.phase];
    else lost.push(ph.name);
  }
  return { kept, lost };
}

/** A list of names in plain words: "A", "A and B", "A, B and C" (Intl.ListFormat where there is one). */
export function planList(names, lang) {
  try { return new Intl.ListFormat(lang || "en", { style: "long", type: "conjunction" }).format(names); } catch { return names.join(", "); }
}
