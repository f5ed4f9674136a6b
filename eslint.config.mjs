// ESLint for the kit's browser code (widgets/static/*.js) and its node unit tests (tests/js/*.mjs):
// ESLint's recommended rules, run by tests/test_lint.py in `make test` (`npx eslint`).
//
// Most anywidget modules are not loaded as files: widgets/esm.py joins several files of
// widgets/static/ into one module, `bundle("dom.js", "shuffle_core.js", "quiz.js")`, so quiz.js
// uses the functions that dom.js and shuffle_core.js declare without importing them. This config
// reads those bundle(...) calls from the Python code and gives each module, as globals, exactly
// the top-level names of the files joined in front of it: a name used but defined in none of them
// is still an error (no-undef), as it would be in the browser.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import js from "@eslint/js";
import globals from "globals";

const STATIC = "widgets/static";

// Every bundle("a.js", "b.js", ...) in the kit's Python code, as a list of file names.
function bundles() {
  const found = [];
  for (const dir of ["widgets", "kitserver"]) {
    let names;
    try {
      names = readdirSync(dir, { recursive: true });
    } catch {
      continue; // kitserver/ may not exist
    }
    for (const name of names) {
      if (!String(name).endsWith(".py")) continue;
      const source = readFileSync(join(dir, String(name)), "utf8");
      for (const call of source.matchAll(/\bbundle\(([^)]*)\)/g)) {
        const files = [...call[1].matchAll(/"([^"]+\.js)"/g)].map((m) => m[1]);
        if (files.length) found.push(files);
      }
    }
  }
  return found;
}

// The names a file declares at its top level (function, class, const, let, var; exported or not).
function topLevelNames(file) {
  const source = readFileSync(join(STATIC, file), "utf8");
  const names = new Set();
  const declaration = /^(?:export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/gm;
  for (const m of source.matchAll(declaration)) names.add(m[1]);
  return names;
}

// For each file of a bundle: the names declared by the files joined in front of it, in every
// bundle it is part of (shuffle_core.js comes after dom.js in one bundle and after dom.js and
// plotly_load.js in another: it may use dom.js's names only).
const joinedGlobals = new Map();
const prelude = new Set();
for (const files of bundles()) {
  files.forEach((file, i) => {
    const given = new Set();
    for (const f of files.slice(0, i)) for (const name of topLevelNames(f)) given.add(name);
    const seen = joinedGlobals.get(file);
    joinedGlobals.set(file, seen ? new Set([...seen].filter((n) => given.has(n))) : given);
    if (i < files.length - 1) prelude.add(file);
  });
}
// Files joined in front of others that neither import nor export (dom.js, plotly_load.js): their
// top-level declarations are for the files after them. Linted as scripts, where no-unused-vars
// with vars: "local" leaves top-level names alone; every name inside a function is still checked.
const isModule = (file) => /^\s*(import|export)\b/m.test(readFileSync(join(STATIC, file), "utf8"));
const sharedScripts = [...prelude].filter((file) => !isModule(file));

export default [
  // `npx eslint` with no paths lints the repository; these folders hold installed packages and
  // generated output, not the kit's code.
  { ignores: [".venv/", "artifacts/", "bench/results/"] },
  js.configs.recommended,
  {
    // A parameter named _like_this is unused on purpose (the timer's functions all take `now`).
    rules: { "no-unused-vars": ["error", { argsIgnorePattern: "^_" }] },
  },
  {
    files: [`${STATIC}/*.js`],
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: { ...globals.browser } },
  },
  {
    // The site chrome: a classic <script defer> in the Voila template, not a module.
    files: [`${STATIC}/kit.js`],
    languageOptions: { sourceType: "script" },
  },
  ...sharedScripts.map((file) => ({
    files: [`${STATIC}/${file}`],
    languageOptions: { sourceType: "script" },
    rules: { "no-unused-vars": ["error", { vars: "local", argsIgnorePattern: "^_" }] },
  })),
  ...[...joinedGlobals].map(([file, given]) => ({
    files: [`${STATIC}/${file}`],
    languageOptions: { globals: Object.fromEntries([...given].map((name) => [name, "readonly"])) },
  })),
  {
    files: ["tests/js/*.mjs"],
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: { ...globals.node } },
  },
  {
    files: ["eslint.config.mjs"],
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: { ...globals.node } },
  },
];
