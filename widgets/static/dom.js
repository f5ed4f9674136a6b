// Shared by the kit's anywidgets (prepended to each one's module by widgets/esm.py).

// Make an element with a class and text, never parsing text as HTML.
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// The localStorage key for one piece of this learner's data. The site's base URL is part of
// it, so learners of a hub who share one browser origin stay apart. (static/kit.js, the site
// chrome, is not an anywidget and builds its progress key the same way.)
function kitKey(name) {
  const base = (document.body && document.body.dataset.kitBase) || "/";
  return "balint-kit:v1:" + base + ":" + name;
}

// Print one part of the page (a pledge, role cards, a case): a copy of `node` is put in a
// print-only container and the browser's print dialog opens (paper or PDF); the page's
// navigation and everything else are left out by the print style in kit.css.
function kitPrint(node) {
  const old = document.getElementById("kit-print-root");
  if (old) old.remove();
  const root = document.createElement("div");
  root.id = "kit-print-root";
  root.append(node.cloneNode(true));
  document.body.append(root);
  document.body.classList.add("kit-printing");
  const done = () => {
    document.body.classList.remove("kit-printing");
    root.remove();
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}

// A text with a number in it: `forms` is {one: "{count} module", other: "{count} modules"}
// (the CLDR plural categories of data/ui/<language>.yaml) or a plain text. The form is picked
// by the browser's plural rules for the page's language (Intl.PluralRules), and {count} and
// the other placeholders in `values` are filled in. (static/kit.js has its own copy.)
function kitPlural(forms, count, values) {
  let text = forms;
  if (forms && typeof forms === "object") {
    let category = "other";
    try {
      category = new Intl.PluralRules(document.documentElement.lang || "en").select(count);
    } catch { /* an unknown language: the "other" form */ }
    text = forms[category] || forms.other || "";
  }
  const all = Object.assign({ count }, values || {});
  return String(text || "").replace(/\{([a-z]+)\}/g, (m, k) => (k in all ? String(all[k]) : m));
}
