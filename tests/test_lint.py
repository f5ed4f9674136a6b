"""Lint in the tests: ruff (Python and notebooks, configured in pyproject.toml) and ESLint (the
browser modules widgets/static/*.js and tests/js/*.mjs, configured in eslint.config.mjs).

Each linter runs over the repository as a developer would run it by hand; a finding fails the
test with the linter's own report. Fix with `ruff check --fix`, `ruff format` and `npx eslint --fix`
(or by hand). Each linter is also given one planted mistake, so a linter that silently checks
nothing (a config that matches no file) fails here too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=300)


def ruff(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    # --no-cache: no .ruff_cache/ written into the repository by the tests
    return run(sys.executable, "-m", "ruff", *args, "--no-cache", stdin=stdin)


def eslint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    if shutil.which("npx") is None:
        pytest.fail("npx (npm) is not installed: `make test` installs it with ESLint (make npm)")
    # --no-install: ESLint comes from node_modules/ (package-lock.json), never fetched on the fly
    return run("npx", "--no-install", "eslint", "--max-warnings", "0", *args, stdin=stdin)


def report(what: str, result: subprocess.CompletedProcess) -> str:
    return f"{what} found problems (exit code {result.returncode}):\n{result.stdout}{result.stderr}"


def test_ruff_check():
    result = ruff("check", ".")
    if result.returncode != 0:
        pytest.fail(report("ruff check", result) + "\nMany are fixed by `.venv/bin/ruff check --fix`.", pytrace=False)


def test_ruff_format():
    # concise: one line a file (the full diff of many files would bury the report); see the
    # changes with `.venv/bin/ruff format --diff`, make them with `.venv/bin/ruff format`.
    result = ruff("format", "--check", "--output-format", "concise", ".")
    if result.returncode != 0:
        pytest.fail(
            report("ruff format --check", result) + "Run `.venv/bin/ruff format` to format them.", pytrace=False
        )


def test_eslint():
    result = eslint()
    if result.returncode != 0:
        pytest.fail(report("eslint", result), pytrace=False)


def test_ruff_reports_a_planted_mistake_with_the_kits_rules():
    planted = "import os\n\n\ndef f(items=[]):\n    return items\n"  # F401 unused import, B006 mutable default
    result = ruff("check", "--output-format", "concise", "--stdin-filename", "widgets/planted.py", "-", stdin=planted)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "F401" in result.stdout and "B006" in result.stdout


def test_eslint_reports_a_planted_mistake_in_a_browser_module():
    # el() comes from dom.js, joined in front of every anywidget module: known there. kitNoSuchThing
    # is defined nowhere: an error, as it would be in the browser.
    planted = 'export default { render() { el("p", "", "x"); kitNoSuchThing(); } };\n'
    result = eslint("--stdin", "--stdin-filename", "widgets/static/quiz.js", stdin=planted)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'kitNoSuchThing' is not defined" in result.stdout
    assert "'el' is not defined" not in result.stdout
