"""Privacy and offline, end to end: random tokens typed into every free-text box of every page
(and a self-assessment completed and saved) never reach the server's disk or logs, and no
request leaves 127.0.0.1. A positive control proves the scan finds a token that is on disk."""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, SHOTS, reload_and_read_my_data, wait_rendered
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


def test_an_imported_file_is_checked_in_the_browser_and_its_text_never_sent(site, context, tmp_path):
    # A crafted "your data" file: a reflection and a note carrying unique markers, a theme that would
    # break out of the page's attribute, a forged module id, an oversized name and reflection. The
    # browser checks it and keeps the rest in localStorage; no websocket frame carries its text.
    marker = "refl" + secrets.token_hex(8)
    note = "note" + secrets.token_hex(8)
    bad_theme = '" onmouseover=alert(1) x="'
    long_name = "Dr " + "A" * 200
    crafted = {
        "kit": "balint-course-kit",
        "version": 1,
        "progress": {
            "01_history": {"completed": "2026-10-02"},
            "99_forged<script>": {"completed": "2026-10-02"},
            "02_ground_rules": {"completed": "2026-02-30"},
        },
        "quiz": {
            "01_history": {
                "q-enid": {"chosen": ["a"], "correct": True, "tries": 1, "first_try": True, "revealed": False}
            },
            "../../etc": {"q-x": {"chosen": ["a"], "correct": True, "tries": 1, "first_try": True, "revealed": False}},
        },
        "reflections": {
            "01_history-roots": {"text": f"My private thought {marker}.", "saved": "02/10/2026, 10:00:00"},
            "01_history-today": {"text": "x" * 20_001},
        },
        "other": {
            "theme": bad_theme,
            "solo:the-wedding-in-june:associations": f"A heavy feeling {note}.",
            "record-name": long_name,
        },
    }
    path = tmp_path / "my-data.json"
    path.write_text(json.dumps(crafted))
    not_ours = tmp_path / "not-ours.json"
    not_ours.write_text(json.dumps({"hello": marker}))

    page = context.new_page()
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framesent", lambda p: frames.append(p.encode() if isinstance(p, str) else bytes(p))),
    )
    page.goto(f"{site.url}/voila/render/resources/my_data.ipynb")
    wait_rendered(page, ready=".kit-store-card")
    key = "balint-kit:v1:" + page.evaluate("() => document.body.dataset.kitBase") + ":"
    page.evaluate(
        "k => localStorage.setItem(k + 'reflection:02_ground_rules-frame', JSON.stringify({text: 'Kept from before.', saved: ''}))",
        key,
    )
    status = page.locator(".kit-store-status")
    picker = page.locator(".kit-import input[type=file]")

    # A file that is not the kit's: the plain message, and nothing already stored is lost.
    picker.set_input_files(str(not_ours))
    page.wait_for_function(
        "() => document.querySelector('.kit-store-status').innerText.includes('not exported by the Balint Course Kit')"
    )
    assert status.inner_text() == "That file was not exported by the Balint Course Kit. Nothing was changed."

    picker.set_input_files(str(path))
    page.wait_for_function("() => document.querySelector('.kit-store-status').innerText.startsWith('Imported')")
    assert status.inner_text() == (
        "Imported 1 completed module, 1 answer, 1 reflection and 1 other item (self-check history, notes, checklists)."
        " 6 entries in the file were left out because they are not in the form the kit saves:"
        " 2 module records, 1 answer, 1 reflection, 2 other items."
    )
    # The progress and the answer reach the kernel through the store's traits (Python checks them again).
    page.wait_for_function(
        "() => document.querySelector('.kit-nav a[href$=\"/01_history.ipynb\"]').classList.contains('kit-done')"
    )
    stored = page.evaluate(
        "k => Object.fromEntries(Object.keys(localStorage).filter(n => n.startsWith(k)).map(n => [n.slice(k.length), localStorage.getItem(n)]))",
        key,
    )
    assert stored == {
        "progress": '{"01_history":{"completed":"2026-10-02"}}',
        "quiz": '{"01_history":{"q-enid":{"chosen":["a"],"correct":true,"tries":1,"first_try":true,"revealed":false}}}',
        "reflection:01_history-roots": json.dumps(
            {"text": f"My private thought {marker}.", "saved": "02/10/2026, 10:00:00"}, separators=(",", ":")
        ),
        "reflection:02_ground_rules-frame": '{"text":"Kept from before.","saved":""}',
        "solo:the-wedding-in-june:associations": f"A heavy feeling {note}.",
    }
    assert page.evaluate("() => document.documentElement.getAttribute('data-kit-theme')") in ("light", "dark")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".kit-store-card").screenshot(path=str(SHOTS / "import-partly-bad.png"))

    # A reload shows what was imported, read from localStorage. (And the page's head applies only
    # a theme the switch writes: a value put in storage another way is not applied.)
    page.evaluate("([k, v]) => localStorage.setItem(k + 'theme', v)", [key, bad_theme])
    rows = reload_and_read_my_data(page)
    assert rows == [
        ["progress", "1 module"],
        ["quiz", "1 answer"],
        ["reflection", "2 reflections"],
        ["solo", "1 note"],
        ["theme", "1 entry"],  # the value this test put there itself, listed so the learner can delete it
    ]
    assert page.evaluate("() => document.documentElement.getAttribute('data-kit-theme')") in ("light", "dark")
    page.close()

    # The frames were seen (the imported progress went to the kernel), and none carries the file's text.
    sent = b"\n".join(frames)
    assert b"2026-10-02" in sent
    for text in (marker, note, bad_theme, long_name, "onmouseover", "x" * 1000, "Kept from before"):
        assert text.encode() not in sent, text
    assert not re.search(rb'"kind"\s*:\s*"import"', sent)  # no import message of any kind
    assert marker not in site.log()
