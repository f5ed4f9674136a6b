"""The `hub` marker: tests that start a real JupyterHub (tests/hub/)."""

from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "hub: starts a real JupyterHub with configurable-http-proxy on 127.0.0.1 (tests/hub/)",
    )
