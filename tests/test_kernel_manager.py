"""The site's kernel manager: its culler passes over a kernel that is still starting.

jupyter_server's culler reads each kernel's ``last_activity``, which a kernel that is still
starting does not have yet: the read raises a ``TraitError`` and the culler logs a traceback
(seen once in the hub test's log, where learners' kernels start while the culler runs).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

from kitserver.kernels import CappedKernelManager

from .conftest import on_a_thread_of_its_own


def _run(coro):
    return on_a_thread_of_its_own(asyncio.run, coro)


def _manager_with(kernel_id: str, kernel) -> CappedKernelManager:
    mgr = CappedKernelManager(cull_idle_timeout=60)
    mgr._kernels[kernel_id] = kernel
    culled = []

    async def shutdown_kernel(kid, *args, **kwargs):
        culled.append(kid)

    mgr.shutdown_kernel = shutdown_kernel
    mgr.culled = culled
    return mgr


def test_a_kernel_still_starting_is_not_culled_and_logs_nothing(caplog):
    kernel = ServerKernelManager()  # no last_activity yet: reading it raises TraitError
    mgr = _manager_with("k-starting", kernel)
    with caplog.at_level(logging.DEBUG):
        _run(mgr.cull_kernels())
    assert mgr.culled == []
    assert "exception" not in caplog.text.lower()
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    "idle_seconds, culled",
    [(61, ["k"]), (5, [])],  # the timeout is 60 s: idle past it, culled; used a moment ago, kept
)
def test_a_started_kernel_is_culled_only_when_idle_past_the_timeout(idle_seconds, culled):
    kernel = ServerKernelManager()
    kernel.last_activity = utcnow() - timedelta(seconds=idle_seconds)
    kernel.execution_state = "idle"
    mgr = _manager_with("k", kernel)
    _run(mgr.cull_kernels())
    assert mgr.culled == culled


def test_new_browsers_per_address_are_counted_over_a_sliding_minute():
    from kitserver.kernels import Arrivals

    now = [1000.0]
    arrivals = Arrivals(3, clock=lambda: now[0])
    assert [arrivals.admit("10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert arrivals.admit("10.0.0.2")  # another address has its own count
    now[0] += 59.9
    assert not arrivals.admit("10.0.0.1")  # still within the minute of the first three
    now[0] += 0.2
    assert [arrivals.admit("10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert all(Arrivals(0, clock=lambda: now[0]).admit("10.0.0.1") for _ in range(100))  # 0: no limit
