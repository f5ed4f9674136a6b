// A reflection box (anywidget). What the learner writes never leaves this browser:
// it is saved to localStorage as they type and is not sent to the kernel.

// kitKey() comes from dom.js, joined in front of this file by widgets/esm.py.
function keyFor(id) {
  return kitKey("reflection:" + id);
}

function render({ model, el }) {
  const id = model.get("prompt_id");
  const t = (k) => (model.get("texts") || {})[k] || k;
  const box = document.createElement("div");
  box.className = "kit-card kit-reflection";
  const label = document.createElement("label");
  const area = document.createElement("textarea");
  const areaId = "kit-reflection-" + id;
  area.id = areaId;
  label.htmlFor = areaId;
  label.className = "kit-prompt";
  label.textContent = model.get("prompt");
  const hint = document.createElement("p");
  hint.className = "kit-muted";
  hint.textContent = model.get("hint") || "";
  const privacy = document.createElement("p");
  privacy.className = "kit-reflection-privacy";
  privacy.textContent = t("reflection-privacy");
  area.rows = 6;
  area.maxLength = 20000;
  area.className = "kit-reflection-text";
  area.setAttribute("aria-describedby", areaId + "-status");
  const status = document.createElement("p");
  status.id = areaId + "-status";
  status.className = "kit-muted kit-small";
  status.setAttribute("role", "status");

  const load = () => {
    try {
      const v = JSON.parse(localStorage.getItem(keyFor(id)) || "null");
      area.value = v && typeof v.text === "string" ? v.text : "";
      status.textContent = v && v.saved ? t("reflection-saved").replace("{time}", v.saved) : t("reflection-not-saved");
    } catch {
      area.value = "";
      status.textContent = t("reflection-not-saved");
    }
  };
  let timer = null;
  const save = () => {
    const saved = new Date().toLocaleString();
    try {
      localStorage.setItem(keyFor(id), JSON.stringify({ text: area.value, saved }));
      status.textContent = t("reflection-saved").replace("{time}", saved);
    } catch {
      status.textContent = t("storage-failed");
    }
  };
  area.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; save(); }, 400);
  });
  area.addEventListener("blur", () => {
    if (timer) { clearTimeout(timer); timer = null; save(); }
  });
  window.addEventListener("kit-reflections", load);
  load();
  box.append(label, hint, privacy, area, status);
  el.appendChild(box);
  return () => window.removeEventListener("kit-reflections", load);
}

export default { render };
