"""Per-client limits of the course server, kept in the server's memory only.

A thin layer over the ``limits`` library (moving windows in memory): what one
client may do in a window of time, keyed by what the server knows of the client
(its address, a class code). Nothing is written to disk, and a key holds no more
than the address or code it was given: the counts are forgotten when their
window passes or the server restarts.

A rule is written as ``limits`` parses it: ``"20/hour"``, ``"30 per 10 minutes"``;
an empty rule means no limit. This module imports no widget library.
"""

from __future__ import annotations

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class Throttle:
    """One rule for many clients: ``hit(key)`` is True while ``key`` is within the rule.

    Parameters
    ----------
    rule
        ``"N/period"`` or ``"N per M periods"`` (``limits``' notation); ``""`` for none.
    name
        What is limited, for messages (``"classes opened"``).
    """

    def __init__(self, rule: str, name: str = ""):
        self.rule: RateLimitItem | None = parse(rule) if rule.strip() else None
        self.name = name
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, *key: str) -> bool:
        """Count one more event for ``key``; False (and not counted) when it would exceed the rule."""
        if self.rule is None:
            return True
        return self._limiter.hit(self.rule, self.name, *key)

    def allows(self, *key: str) -> bool:
        """Whether ``key`` is still within the rule, without counting anything."""
        if self.rule is None:
            return True
        return self._limiter.test(self.rule, self.name, *key)

    def __repr__(self) -> str:  # for the server's start-up log line
        return f"{self.name}: {self.rule or 'no limit'}"
