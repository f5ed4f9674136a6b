"""A client that talks to the course site as a browser's page does, without a browser: the page
over HTTP (with its own cookies, as one browser), the kernel's websocket and the execution
websocket of progressive rendering (websocket-client), in the kernel protocol's JSON form."""

from __future__ import annotations

import json
import re
import time
import uuid

import requests
import websocket


class RefusedError(Exception):
    def __init__(self, status: int):
        super().__init__(f"refused with HTTP {status}")
        self.status = status


class Browser:
    """One browser: its own cookie jar."""

    def __init__(self, url: str):
        self.url = url
        self.http = requests.Session()

    def page(self, name: str = "index.ipynb") -> tuple[int, str | None]:
        """GET a course page: (status, the kernel id in the page's config, or None)."""
        r = self.http.get(f"{self.url}/voila/render/{name}", timeout=120)
        m = re.search(r'"kernelId": "([0-9a-f-]+)"', r.text)
        return r.status_code, (m.group(1) if m else None)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def kernel(self, kernel_id: str) -> Channels:
        return Channels(self, kernel_id)

    def shutdown(self, kernel_id: str) -> int:
        xsrf = self.http.cookies.get("_xsrf", "")
        return self.http.post(
            f"{self.url}/voila/api/shutdown/{kernel_id}", headers={"X-XSRFToken": xsrf}, timeout=30
        ).status_code

    def run_cells(self, kernel_id: str, timeout: float = 120) -> int:
        """What the page does after it loads: ask the server to run the notebook's cells; the count of results."""
        ws = self._connect(f"/voila/execution/{kernel_id}")
        try:
            ws.recv()  # {"action": "initialized"}
            ws.send(json.dumps({"action": "execute", "payload": {"kernel_id": kernel_id}}))
            done, deadline = 0, time.time() + timeout
            while time.time() < deadline:
                msg = json.loads(ws.recv())
                if msg.get("action") != "execution_result":
                    raise AssertionError(msg)
                done += 1
                if msg["payload"]["cell_index"] + 1 == msg["payload"]["total_cell"]:
                    return done
            raise AssertionError("the cells did not finish")
        finally:
            ws.close()

    def _connect(self, path: str) -> websocket.WebSocket:
        url = self.url.replace("http://", "ws://") + path
        try:
            return websocket.create_connection(
                url, cookie=self.cookie_header(), timeout=60, origin=self.url, suppress_origin=False
            )
        except websocket.WebSocketBadStatusException as e:
            raise RefusedError(e.status_code) from None


class Channels:
    """The kernel websocket of one page (the legacy JSON protocol: one message a frame)."""

    def __init__(self, browser: Browser, kernel_id: str):
        self.session = uuid.uuid4().hex
        self.ws = browser._connect(f"/api/kernels/{kernel_id}/channels?session_id={self.session}")
        self.seen: list[dict] = []

    def send(self, msg_type: str, content: dict, channel: str = "shell", metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": msg_type,
                        "session": self.session,
                        "username": "",
                        "date": "2026-01-01T00:00:00Z",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": metadata or {},
                    "content": content,
                    "channel": channel,
                    "buffers": [],
                }
            )
        )
        return msg_id

    def until(self, predicate, timeout: float = 30) -> dict | None:
        """Read messages until one satisfies ``predicate``; None after ``timeout`` seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.ws.settimeout(max(deadline - time.time(), 0.1))
            try:
                msg = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                return None
            self.seen.append(msg)
            if predicate(msg):
                return msg
        return None

    def idle_after(self, msg_id: str, timeout: float = 30) -> bool:
        """Wait for the kernel to have handled the message (its 'idle' status for it)."""
        return (
            self.until(
                lambda m: (
                    m.get("msg_type") == "status"
                    and m.get("parent_header", {}).get("msg_id") == msg_id
                    and m["content"].get("execution_state") == "idle"
                ),
                timeout,
            )
            is not None
        )

    def info(self, timeout: float = 30) -> dict | None:
        msg_id = self.send("kernel_info_request", {})
        return self.until(
            lambda m: m.get("msg_type") == "kernel_info_reply" and m["parent_header"].get("msg_id") == msg_id, timeout
        )

    def close(self) -> None:
        self.ws.close()
