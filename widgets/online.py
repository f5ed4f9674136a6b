"""The organiser's checklist for an online session: what is done, what is still open, what is due.

Pure logic over :class:`widgets.content.OnlineGroups`; the view is ``widgets/online_view.py``.
Times are the organiser's local wall-clock times as the browser gives them
(``"2026-12-03T18:30"``), so no time zone is involved. This module imports no widget library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .content import ChecklistStep

SOON = timedelta(hours=24)
"""A step counts as "due soon" this long before it is due (the kit's own choice)."""


@dataclass(frozen=True)
class StepStatus:
    step: str
    done: int
    total: int
    open_items: list[str]
    due: datetime | None
    state: str
    """'done', 'overdue', 'due-soon', 'later' (due in more than a day) or 'open' (no time known)."""


def parse_local(text) -> datetime | None:
    """'2026-12-03T18:30' (a datetime-local value) or None when it is missing or not a time."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.replace(tzinfo=None, second=0, microsecond=0)


def status(steps: list[ChecklistStep], done: set[str], start: datetime | None, now: datetime) -> list[StepStatus]:
    """Each step's progress and, when the session's start is known, whether it is due."""
    out = []
    for step in steps:
        ids = [i.id for i in step.items]
        open_items = [i for i in ids if i not in done]
        due = None
        if start and step.minutes_before is not None:
            try:
                due = start - timedelta(minutes=step.minutes_before)
            except OverflowError:  # a start so early (year 1) that the step would fall before any date
                due = None
        if not open_items:
            state = "done"
        elif due is None:
            state = "open"
        elif now >= due:
            state = "overdue"
        elif due - now <= SOON:
            state = "due-soon"
        else:
            state = "later"
        out.append(StepStatus(step.id, len(ids) - len(open_items), len(ids), open_items, due, state))
    return out


def clean_done(steps: list[ChecklistStep], raw) -> set[str]:
    """Only ids of real checklist items, from whatever the browser sent."""
    known = {i.id for s in steps for i in s.items}
    if not isinstance(raw, list):
        return set()
    return {x for x in raw if isinstance(x, str) and x in known}
