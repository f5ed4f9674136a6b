"""Shared test set-up: a skipped test fails the run (a skip hides a check that did not happen)."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of data/ that ``content.load`` reads instead of the real one."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("BALINT_KIT_DATA", str(target))
    return target


def on_a_thread_of_its_own(fn, *args):
    """``fn(*args)`` on a thread of its own, for code that starts an event loop (``asyncio.run``,
    an async Jinja template's ``render``): in the full run playwright's sync API keeps an event loop
    running on the main thread, where another cannot start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_line(
            f"FAILED: {len(_skipped)} test(s) were skipped, and a skipped test fails this run:", red=True
        )
        for nodeid in _skipped:
            terminalreporter.write_line(f"  {nodeid}", red=True)
