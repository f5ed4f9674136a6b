"""Role-play in class: who takes which seat, and which cases match a filter.

The kit's own rules for a role assignment (no source prescribes them; the group sizes are
from the sources: 8 to 12 members, at most 12):

- one leader and one presenter, always;
- a co-leader from ``CO_LEADER_FROM`` participants on (two leaders are the norm in UK and
  US groups, but a very small practice group needs every seat it has);
- everyone else joins the group as a member, up to ``GROUP_LIMIT`` people in the circle
  (leaders and presenter included);
- everyone beyond that watches as an observer, as in a demonstration group.

This module imports no widget library; names never come here (the browser pairs names with
the seats).
"""

from __future__ import annotations

import random
from collections import Counter

from .content import Case

MIN_PARTICIPANTS = 3
MAX_PARTICIPANTS = 40
GROUP_LIMIT = 12
CO_LEADER_FROM = 6


class AssignmentProblem(ValueError):
    """A number of participants the kit cannot seat; the message is a plain sentence."""


def seats(n) -> list[str]:
    """The roles for ``n`` participants, in the order leader, co-leader, presenter, members, observers."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise AssignmentProblem("the number of participants should be a whole number")
    if n < MIN_PARTICIPANTS:
        raise AssignmentProblem(
            f"a role-play needs at least {MIN_PARTICIPANTS} people: a leader, a presenter and one member"
        )
    if n > MAX_PARTICIPANTS:
        raise AssignmentProblem(f"the kit seats at most {MAX_PARTICIPANTS} people; split a larger class into groups")
    roles = ["leader"] + (["co-leader"] if n >= CO_LEADER_FROM else []) + ["presenter"]
    in_circle = min(n, GROUP_LIMIT)
    roles += ["member"] * (in_circle - len(roles))
    roles += ["observer"] * (n - in_circle)
    return roles


def counts(n: int) -> dict[str, int]:
    c = Counter(seats(n))
    return {k: c.get(k, 0) for k in ("leader", "co-leader", "presenter", "member", "observer")}


def hand_out_behaviours(
    members: int, behaviour_ids: list[str], share: float = 0.5, rng: random.Random | None = None
) -> list[str | None]:
    """Behaviour prompts for about ``share`` of the members (the kit's suggestion: half), each prompt at most once."""
    rng = rng or random.Random()
    k = min(len(behaviour_ids), int(members * share))
    chosen = rng.sample(behaviour_ids, k)
    slots: list[str | None] = chosen + [None] * (members - k)
    rng.shuffle(slots)
    return slots


def matching(cases: list[Case], setting: str = "", theme: str = "", difficulty: str = "") -> list[Case]:
    """The cases that fit every filter given (an empty filter matches all)."""
    theme = theme.strip().lower()
    return [
        c
        for c in cases
        if (not setting or c.setting == setting)
        and (not difficulty or c.difficulty == difficulty)
        and (not theme or any(theme == t.lower() for t in c.themes))
    ]
