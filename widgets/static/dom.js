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
