// Shared by the kit's anywidgets (prepended to each one's module by widgets/esm.py):
// make an element with a class and text, never parsing text as HTML.
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
