// The order in which a learner sees an exercise's options (widgets/shuffle.py is the same
// algorithm in Python; tests/js/shuffle_core.test.mjs and tests/test_shuffle.py pin both to
// the same hand-copied orders). The order depends only on (seed, exercise id, item id):
// the same learner (the same seed, kept in their browser) sees the same order on every
// visit, another learner another order. Nothing about which option is right goes in.
//
// FNV-1a (32 bit) of "seed|exercise|item" as UTF-8 starts mulberry32, which drives a
// Fisher-Yates shuffle. Integer steps are modulo 2^32 (Math.imul, >>> 0) so that Python,
// with its own integers masked to 32 bits, gets exactly the same numbers.

export function kitHash(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// mulberry32: a small, well-known generator; each call gives the next whole number in [0, 2^32).
export function kitRandom(state) {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a) >>> 0;
    t = ((t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t) >>> 0;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

// `ids` in the order this learner sees them (a new array; `ids` is left as it is).
export function kitOrder(seed, exercise, item, ids) {
  const out = ids.slice();
  const next = kitRandom(kitHash(`${seed}|${exercise}|${item}`));
  for (let i = out.length - 1; i > 0; i--) {
    // floor(r * (i + 1) / 2^32) in exact integer arithmetic (r < 2^32, i + 1 <= 2^21).
    const j = Math.floor((next() * (i + 1)) / 4294967296);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// This browser's order seed: read from the learner's store, or made now. A new seed is held
// in memory (shared by every widget of the page) and written to the store only when the
// learner does something worth keeping (kitKeepSeed, on their first answer), so visiting a
// page stores nothing.
export function kitSeed() {
  const key = kitKey("order-seed");
  try {
    const kept = localStorage.getItem(key);
    if (kept && /^[0-9a-f]{16}$/.test(kept)) return kept;
  } catch { /* no storage: an order for this visit only */ }
  if (!window.__kitSeed) {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    window.__kitSeed = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  return window.__kitSeed;
}

export function kitKeepSeed(seed) {
  const key = kitKey("order-seed");
  try {
    if (!localStorage.getItem(key)) localStorage.setItem(key, seed);
  } catch { /* storage full or refused: the order holds for this visit */ }
}
