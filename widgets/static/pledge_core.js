// The confidentiality pledge's text from its template (pure: no DOM). widgets/online_view.py
// sends this file, dom.js and pledge.js to the browser as one module; tests/js/ tests it.
// The organiser's entries never leave the browser: the pledge is put together here.

/** Fill {group}, {organiser} and {date} in `text`; an empty entry becomes a line to write on. */
export function pledgeFill(text, fields) {
  const blank = "______________";
  return String(text).replace(/\{(group|organiser|date)\}/g, (_, key) => {
    const value = String((fields && fields[key]) || "").trim();
    return value ? value.slice(0, 200) : blank;
  });
}

/** "2026-12-03" -> "3 December 2026" in the page's language; anything else is kept as typed. */
export function pledgeDate(iso, lang) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
  if (!m) return String(iso || "").trim();
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCMonth() !== Number(m[2]) - 1) return String(iso);
  return new Intl.DateTimeFormat(lang || "en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(d);
}

/** One content line's text under a recording policy: a line is a text, or {text, by_policy}
 *  where by_policy holds its wording for the policies the plain text would contradict. */
export function pledgeLine(line, policyId) {
  if (line && typeof line === "object") {
    const own = line.by_policy && Object.prototype.hasOwnProperty.call(line.by_policy, policyId) ? line.by_policy[policyId] : null;
    return typeof own === "string" ? own : String(line.text || "");
  }
  return String(line);
}

/** The whole pledge: {title, intro, contents: [..7], recording, closing, signLine}; every line
 *  follows the recording policy chosen. */
export function pledgeBuild(template, fields, lang) {
  const f = { group: fields.group, organiser: fields.organiser, date: pledgeDate(fields.date, lang) };
  const policy = template.recording.find((r) => r.id === fields.recording) || template.recording[0];
  return {
    title: pledgeFill(template.title, f),
    intro: pledgeFill(template.intro, f),
    contents: template.contents.map((c) => pledgeFill(pledgeLine(c, policy.id), f)),
    recording: pledgeFill(policy.text, f),
    closing: pledgeFill(template.closing, f),
    signLine: template.sign_line,
  };
}
