"""environment.yml (conda, Binder) and pyproject.toml name the same packages; the config is in the repo."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_and_pyproject_name_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(d) for d in project["dependencies"]} | {_name(d) for d in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert pip == ["-e ."], "the conda environment installs the kit itself"
    assert conda == wanted


def test_voila_config_ships_safe_defaults():
    cfg = json.loads((ROOT / "voila.json").read_text())
    vc = cfg["VoilaConfiguration"]
    assert vc["template"] == "balint"
    assert vc["strip_sources"] is True
    assert vc["show_tracebacks"] is False
    km = cfg["MappingKernelManager"]
    assert km["cull_idle_timeout"] > 0 and km["cull_interval"] > 0
    assert km["cull_connected"] is False  # an idle learner's open page keeps its kernel
    assert cfg["CourseVoila"]["max_kernels"] >= 1


def test_the_shipped_timeouts_are_the_documented_ones():
    # The site tests shorten these through the same options (tests/site/test_kernels.py,
    # test_hostile_visitor.py), so that they prove the mechanism without waiting out the
    # production minutes; these are the numbers a deployment gets (docs/deploying.md).
    cfg = json.loads((ROOT / "voila.json").read_text())
    km = cfg["MappingKernelManager"]
    assert (km["cull_idle_timeout"], km["cull_interval"]) == (60, 15)
    assert cfg["CourseVoila"]["silent_timeout"] == 14400  # 4 hours
    from kitserver.kernels import CappedKernelManager

    assert CappedKernelManager().silent_timeout == 14400  # the default without voila.json, too
