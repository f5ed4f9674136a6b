"""The order in which a learner sees an exercise's options; the same algorithm as
``static/shuffle_core.js`` (the browser shuffles; this twin lets Python give the same
order, e.g. for a handout made in the kernel, and pins the algorithm in tests).

The order depends only on (seed, exercise id, item id), never on which option is right:
FNV-1a (32 bit) of ``"seed|exercise|item"`` as UTF-8 seeds mulberry32, which drives a
Fisher-Yates shuffle; every step is modulo 2**32 as in JavaScript's ``Math.imul``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

_MASK = 0xFFFFFFFF


def fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & _MASK
    return h


def mulberry32(state: int) -> Callable[[], int]:
    a = state & _MASK

    def next_int() -> int:
        nonlocal a
        a = (a + 0x6D2B79F5) & _MASK
        t = ((a ^ (a >> 15)) * (1 | a)) & _MASK
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & _MASK)) & _MASK) ^ t
        return (t ^ (t >> 14)) & _MASK

    return next_int


def order(seed: str, exercise: str, item: str, ids: Sequence[str]) -> list[str]:
    """``ids`` in the order the learner with ``seed`` sees them."""
    out = list(ids)
    nxt = mulberry32(fnv1a(f"{seed}|{exercise}|{item}"))
    for i in range(len(out) - 1, 0, -1):
        j = (nxt() * (i + 1)) >> 32
        out[i], out[j] = out[j], out[i]
    return out
