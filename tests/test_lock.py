"""The locks (requirements.lock, requirements-test.lock) match pyproject.toml and environment.yml.

`make lock` writes them with uv from pyproject.toml's ranges; `make setup` and `make setup-test`
install from them. These tests fail when pyproject.toml or environment.yml changed and the locks
were not made again, or when the environment running the tests is not the locked one.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DEPENDENCIES = [Requirement(d) for d in PROJECT["dependencies"]]
TEST_EXTRA = [Requirement(d) for d in PROJECT["optional-dependencies"]["test"]]
VIA_PYPROJECT = "balint-course-kit (pyproject.toml)"


class Pin(NamedTuple):
    name: str  # canonical
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]
    via: tuple[str, ...]  # what asked for it, from uv's "# via" comments


def read_lock(name: str) -> list[Pin]:
    """The pins of a lock written by `uv pip compile --generate-hashes` (pip's requirements format)."""
    pins: list[Pin] = []
    entry: list[str] = []
    via: list[str] = []

    def close() -> None:
        if not entry:
            return
        text = " ".join(part.rstrip("\\").strip() for part in entry)
        hashes = tuple(re.findall(r"--hash=(sha256:[0-9a-f]{64})", text))
        req = Requirement(re.sub(r"\s--hash=\S+", "", text).strip())
        (spec,) = req.specifier  # exactly one ==version
        assert spec.operator == "==", f"{name}: {text[:80]} is not pinned with =="
        pins.append(Pin(canonicalize_name(req.name), Version(spec.version), req.marker, hashes, tuple(via)))

    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        comment = line.strip()
        if comment.startswith("#"):
            # "    # via jupyterlab" or "    # via" followed by "    #   a" lines
            words = comment.lstrip("#").strip()
            if entry and words.startswith("via"):
                if words[3:].strip():
                    via.append(words[3:].strip())
            elif entry and line.startswith("    #   "):
                via.append(words)
            continue
        if not line.strip():
            continue
        if line.startswith(" "):  # a hash line continuing the entry
            entry.append(line)
            continue
        close()
        entry, via = [line], []
    close()
    return pins


LOCK = read_lock("requirements.lock")
TEST_LOCK = read_lock("requirements-test.lock")

# The environments a lock must serve: every Python that requires-python admits, on the three
# systems (the tests run on Linux with 3.11; the others are resolved by uv, not run here).
PYTHONS = ["3.10.0", "3.11.0", "3.11.7", "3.12.0", "3.13.0", "3.14.0"]
SYSTEMS = [
    {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
    {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
]


def environments():
    for python in PYTHONS:
        for system in SYSTEMS:
            yield {
                "python_full_version": python,
                "python_version": ".".join(python.split(".")[:2]),
                "implementation_name": "cpython",
                "platform_python_implementation": "CPython",
                "extra": "",
                **system,
            }


def applies(pin: Pin, env: dict) -> bool:
    return pin.marker is None or pin.marker.evaluate(env)


def test_requires_python_is_what_the_lock_is_made_for():
    assert PROJECT["requires-python"] == ">=3.10"
    assert "--python-version 3.10 " in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert SpecifierSet(PROJECT["requires-python"]).contains(PYTHONS[0])


@pytest.mark.parametrize(
    ("lock", "wanted"),
    [("requirements.lock", DEPENDENCIES), ("requirements-test.lock", DEPENDENCIES + TEST_EXTRA)],
)
def test_every_requirement_is_locked_once_per_environment_within_its_range(lock, wanted):
    pins = read_lock(lock)
    for req in wanted:
        mine = [p for p in pins if p.name == canonicalize_name(req.name)]
        assert mine, f"{lock} lacks {req.name}, which pyproject.toml asks for: run `make lock`"
        for pin in mine:
            assert req.specifier.contains(pin.version, prereleases=True), (
                f"{lock} has {req.name}=={pin.version}, outside pyproject.toml's {req}: run `make lock`"
            )
        for env in environments():
            if req.marker is not None and not req.marker.evaluate(env):
                continue
            chosen = [p for p in mine if applies(p, env)]
            assert len(chosen) == 1, f"{lock}: {req.name} has {len(chosen)} versions for {env}"


def test_the_locks_were_made_from_this_pyproject():
    """uv notes which pins pyproject.toml asked for: the same packages, no more (none removed since)."""
    for lock, wanted in [("requirements.lock", DEPENDENCIES), ("requirements-test.lock", DEPENDENCIES + TEST_EXTRA)]:
        direct = {p.name for p in read_lock(lock) if VIA_PYPROJECT in p.via}
        assert direct == {canonicalize_name(r.name) for r in wanted}, f"{lock} is out of date: run `make lock`"


def test_extras_of_requirements_are_locked():
    # psycopg[binary]: its extra brings psycopg-binary (written out here, not read from metadata)
    binary = [p for p in TEST_LOCK if p.name == "psycopg-binary"]
    psycopg = [p for p in TEST_LOCK if p.name == "psycopg"]
    assert len(binary) == 1 and len(psycopg) == 1 and binary[0].version == psycopg[0].version


def test_site_lock_is_the_test_lock_less_the_test_tools():
    site = {(p.name, p.version, str(p.marker)) for p in LOCK}
    test = {(p.name, p.version, str(p.marker)) for p in TEST_LOCK}
    assert site <= test, f"versions differ between the locks: {sorted(site - test)[:5]}: run `make lock`"
    names = {p.name for p in LOCK}
    for tool in ["pytest", "playwright", "hypothesis", "nbval", "ruff", "jupyterhub", "psycopg"]:
        assert tool not in names, f"requirements.lock (the site's) installs the test tool {tool}"


def test_every_pin_has_hashes():
    for pin in LOCK + TEST_LOCK:
        assert pin.hashes, f"{pin.name}=={pin.version} has no --hash: pip's hash-checking mode would refuse it"


def test_tests_run_in_the_locked_environment():
    """What the tests see is what the lock says (`make test` installs it)."""
    env = {
        "python_full_version": platform.python_version(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "implementation_name": sys.implementation.name,
        "platform_python_implementation": platform.python_implementation(),
        "sys_platform": sys.platform,
        "platform_system": platform.system(),
        "os_name": os.name,
        "extra": "",
    }
    wrong = []
    for pin in TEST_LOCK:
        if not applies(pin, env):
            continue
        try:
            installed = Version(metadata.version(pin.name))
        except metadata.PackageNotFoundError:
            wrong.append(f"{pin.name} (not installed)")
            continue
        if installed != pin.version:
            wrong.append(f"{pin.name} {installed} (locked {pin.version})")
    assert not wrong, "not the locked versions: " + ", ".join(wrong) + " (run `make setup-test`)"


def test_environment_yml_ranges_admit_the_locked_versions():
    """environment.yml (conda, Binder) gives the same ranges as pyproject.toml, so conda gets a tested version."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {}
    for spec in env["dependencies"]:
        if isinstance(spec, str) and spec != "pip" and not spec.startswith("python="):
            req = Requirement(spec)
            conda[canonicalize_name(req.name)] = req.specifier
    ours = {canonicalize_name(r.name): r.specifier for r in DEPENDENCIES + TEST_EXTRA}
    assert conda == ours, "environment.yml and pyproject.toml give different ranges"
    for pin in TEST_LOCK:
        if pin.name in conda:
            assert conda[pin.name].contains(pin.version, prereleases=True), f"{pin.name}=={pin.version}"
