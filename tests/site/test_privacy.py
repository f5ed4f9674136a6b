"""Privacy and offline, end to end: random tokens typed into every free-text box of every page
(and a self-assessment completed and saved) never reach the server's disk or logs, and no
request leaves 127.0.0.1. A positive control proves the scan finds a token that is on disk."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, wait_rendered
from .test_resources import TOOL_READY

pytestmark = pytest.mark.site
DATA = ROOT / "data"


def _yaml(rel):
    return yaml.safe_load((DATA / rel).read_text(encoding="utf-8"))


def _places() -> list[Path]:
    """Where the server could write: home, the temporary folders, the repo (logs, artifacts, any
    database file the class poll or PostgreSQL keeps there)."""
    return [Path.home(), Path("/tmp"), Path("/var/tmp"), ROOT]


def scan(tokens: list[str], since: float) -> dict[str, list[str]]:
    """Every file changed since ``since`` in the places above that holds one of ``tokens``."""
    found: dict[str, list[str]] = {}
    needles = [t.encode() for t in tokens]
    for place in _places():
        for dirpath, dirnames, filenames in os.walk(place, followlinks=False):
            # node_modules and the venv are installed, not written by the site; skip them for speed.
            dirnames[:] = [d for d in dirnames if d not in (".venv", "node_modules", ".git")]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    st = path.lstat()
                    if not path.is_file() or st.st_mtime < since or st.st_size > 200_000_000:
                        continue
                    blob = path.read_bytes()
                except OSError:
                    continue
                for token, needle in zip(tokens, needles, strict=True):
                    if needle in blob:
                        found.setdefault(token, []).append(str(path))
    return found


def test_typed_tokens_reach_no_disk_and_no_log(site, context):
    started = time.time() - 1
    tokens: list[str] = []
    page = context.new_page()
    cmap = _yaml("course_map.yaml")
    pages = [(m["id"], ".kit-complete-card") for m in cmap["modules"] if m["status"] == "ready"]
    pages += [(t["id"], TOOL_READY[t["id"]]) for t in cmap["tools"]]
    for page_id, ready in pages:
        page.goto(f"{site.url}/voila/render/{page_id}.ipynb")
        wait_rendered(page, ready=ready)
        # Open the parts that hold text boxes behind a choice.
        if page.locator(".kit-solo-seat").count():
            page.locator(".kit-solo-seat").first.select_option("presenter")
        boxes = page.locator("#rendered_cells textarea:visible, #rendered_cells input[type=text]:visible")
        for i in range(boxes.count()):
            token = "tok" + secrets.token_hex(8)
            tokens.append(token)
            boxes.nth(i).fill(f"private note {token}")
            boxes.nth(i).blur()
        if page_id == "07_burnout":
            # The self-check: answer, score, save to the history (kept in the browser only).
            for item in ("personal-1", "personal-2", "personal-3"):
                page.locator(f'.kit-cbi-item[data-item="{item}"] input[value="75"]').check()
            page.locator(".kit-cbi-score").click()
            page.locator(".kit-cbi-save").click()
            page.wait_for_selector(".kit-cbi-table", state="attached")
        if page_id == "06_online_groups":
            page.locator('.kit-pledge [data-field="date"]').fill("2026-12-03")
    assert len(tokens) >= 12, f"only {len(tokens)} text boxes were found"
    # Give the browser's storage and any server-side writer time to settle.
    page.wait_for_timeout(2000)
    page.close()
    assert scan(tokens, started) == {}
    for token in tokens:
        assert token not in site.log()


def test_the_scan_finds_a_token_written_to_disk_on_purpose(tmp_path):
    # Positive control: the same scan, on a token this test writes itself (under /tmp).
    since = time.time() - 1
    token = "tok" + secrets.token_hex(8)
    (tmp_path / "control.txt").write_text(f"written on purpose {token}")
    found = scan([token], since)
    assert list(found) == [token] and str(tmp_path / "control.txt") in found[token]
