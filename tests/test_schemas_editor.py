"""What an author sees in VS Code: the data files opened in Red Hat's YAML language server.

The YAML extension for VS Code (redhat.vscode-yaml) runs yaml-language-server; package.json pins the
same server (npm ci in `make test`), and these tests talk to it over stdio as the editor does: open a
file, read the problems it marks, hover over a field, ask for completions. They show that the schema
line at the top of each file leads the editor to the right schema (its path is relative to the file),
and what it then says. The server is told not to fetch the public schema catalogue (no request leaves
the machine).
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SERVER = ROOT / "node_modules" / ".bin" / "yaml-language-server"
SETTINGS = {
    "yaml": {
        "validate": True,
        "completion": True,
        "hover": True,
        "format": {"enable": False},
        "schemaStore": {"enable": False},
    }
}
DATA_FILES = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*.yaml"))


class LanguageServer:
    """A yaml-language-server on stdio, spoken to in JSON-RPC with LSP's Content-Length framing."""

    def __init__(self, root: Path):
        assert SERVER.exists(), "node_modules/.bin/yaml-language-server is missing: run `make npm` (npm ci)"
        self.proc = subprocess.Popen(
            [str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=root
        )
        self.inbox: queue.Queue = queue.Queue()
        self.diagnostics: dict[str, list] = {}
        self.replies: dict[int, dict] = {}
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.call(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": {
                    "workspace": {"configuration": True},
                    "textDocument": {"hover": {"contentFormat": ["markdown"]}, "completion": {"completionItem": {}}},
                },
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length)))

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def _pump(self, done, timeout: float = 60):
        """Handle what the server sends until ``done()`` holds; answer its questions about settings."""
        end = time.monotonic() + timeout
        while not done():
            left = end - time.monotonic()
            assert left > 0, "the YAML language server did not answer in time"
            try:
                message = self.inbox.get(timeout=min(left, 1))
            except queue.Empty:
                assert self.proc.poll() is None, "the YAML language server stopped"
                continue
            method = message.get("method")
            if method and "id" in message:  # a request from the server
                result = None
                if method == "workspace/configuration":
                    result = [
                        SETTINGS.get(item.get("section"), SETTINGS["yaml"])
                        if item.get("section") != "yaml"
                        else SETTINGS["yaml"]
                        for item in message["params"]["items"]
                    ]
                self._send({"id": message["id"], "result": result})
            elif method == "textDocument/publishDiagnostics":
                self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
            elif "id" in message:
                self.replies[message["id"]] = message

    def call(self, method: str, params: dict):
        self.next_id += 1
        ident = self.next_id
        self._send({"id": ident, "method": method, "params": params})
        self._pump(lambda: ident in self.replies)
        reply = self.replies.pop(ident)
        assert "error" not in reply, reply
        return reply["result"]

    def open(self, path: Path) -> list[tuple[int, str]]:
        """Open a file as the editor does; the problems marked in it: (line, as the editor numbers it; message)."""
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "yaml",
                    "version": 1,
                    "text": path.read_text(encoding="utf-8"),
                }
            },
        )
        self._pump(lambda: uri in self.diagnostics)
        return [(d["range"]["start"]["line"] + 1, d["message"]) for d in self.diagnostics[uri]]

    def close(self):
        self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A copy of data/ in which quizzes/01_history.yaml is the planted typo (tests/fixtures), with its schema line."""
    root = tmp_path_factory.mktemp("editor")
    shutil.copytree(DATA, root / "data")
    typo = (FIXTURES / "quiz_misspelt_field.yaml").read_text(encoding="utf-8")
    (root / "data" / "quizzes" / "01_history.yaml").write_text(
        "# yaml-language-server: $schema=../schemas/quiz.schema.json\n" + typo, encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def server(workspace):
    ls = LanguageServer(workspace)
    yield ls
    ls.close()


def test_the_editor_marks_a_misspelt_field(server, workspace):
    # Lines as VS Code numbers them: the fixture's option starts on its line 34, after the schema line 35.
    assert server.open(workspace / "data" / "quizzes" / "01_history.yaml") == [
        (35, 'Missing property "feedback".'),
        (37, "Property feedbak is not allowed."),
    ]


@pytest.mark.parametrize("relpath", [f for f in DATA_FILES if f != "quizzes/01_history.yaml"])
def test_the_editor_marks_nothing_in_a_real_file(server, workspace, relpath):
    assert server.open(workspace / "data" / relpath) == []


def test_the_real_first_quiz_is_clean_in_the_editor(server):
    assert server.open(DATA / "quizzes" / "01_history.yaml") == []


def test_hover_shows_what_a_field_is_for(server, workspace):
    path = workspace / "data" / "quizzes" / "01_history.yaml"
    server.open(path)
    line = path.read_text(encoding="utf-8").split("\n").index("    kind: single")
    hover = server.call(
        "textDocument/hover", {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": 5}}
    )
    text = hover["contents"]["value"]
    assert (
        "single: exactly one option is correct; multiple: one or more are, and the learner ticks every right one."
        in text
    )
    assert "`single`" in text and "`multiple`" in text


def complete(server, path: Path, text: str) -> list[str]:
    """The fields the editor offers at the end of ``text``, a new file the author is typing."""
    path.write_text(text, encoding="utf-8")
    server.open(path)
    last = text.split("\n")
    result = server.call(
        "textDocument/completion",
        {"textDocument": {"uri": path.as_uri()}, "position": {"line": len(last) - 1, "character": len(last[-1])}},
    )
    items = result["items"] if isinstance(result, dict) else result
    return sorted(item["label"] for item in items)


def test_completion_offers_a_new_quiz_items_fields(server, workspace):
    text = "# yaml-language-server: $schema=../schemas/quiz.schema.json\nmodule: 09_new\ntitle: New\nitems:\n  - "
    # 'QuizItem' is the extension's snippet of a whole item, beside the item's five fields.
    assert complete(server, workspace / "data" / "quizzes" / "09_new.yaml", text) == [
        "QuizItem",
        "id",
        "kind",
        "options",
        "prompt",
        "sources",
    ]


def test_completion_offers_a_new_cases_fields(server, workspace):
    text = "# yaml-language-server: $schema=../schemas/case.schema.json\n"
    # The schema's title is the extension's snippet of a whole case, beside the case's fields.
    assert complete(server, workspace / "data" / "cases" / "a-new-case.yaml", text) == [
        "content_note",
        "data/cases/*.yaml (Case)",
        "difficulty",
        "felt",
        "fictional",
        "id",
        "profession",
        "request",
        "sample_associations",
        "setting",
        "story",
        "themes",
        "title",
        "unsaid",
    ]
