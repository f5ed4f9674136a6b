"""The deployment files agree with the kit: JupyterHub, Zero to JupyterHub (Kubernetes), Binder.

Kubernetes and Binder cannot be tried on this project's machines; these checks read their files
(deploy/kubernetes/values.yaml and Dockerfile, deploy/binder/, start, environment.yml) and check
them against what the kit installs and runs (pyproject.toml, voila.json, the hub configuration
that tests/hub/test_hub.py runs for real).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
IMAGE_ROOT = "/srv/balint-course-kit"  # where the Dockerfile puts the kit


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


@pytest.fixture(scope="module")
def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.fixture(scope="module")
def hub_config(tmp_path_factory):
    # The config makes its poll secret file in the hub's working folder (beside the hub's own
    # database): loaded from a private folder, so that no secret is left in the repository.
    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("hub-cwd"))
    try:
        return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY / "jupyterhub")).load_config()
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load((DEPLOY / "kubernetes" / "values.yaml").read_text())


@pytest.fixture(scope="module")
def dockerfile():
    return (DEPLOY / "kubernetes" / "Dockerfile").read_text()


@pytest.fixture(scope="module")
def voila():
    return json.loads((ROOT / "voila.json").read_text())


def _in_repo(image_path: str) -> Path:
    assert image_path.startswith(IMAGE_ROOT + "/"), image_path
    return ROOT / image_path[len(IMAGE_ROOT) + 1 :]


def _bytes(quantity: str) -> int:
    number, unit = re.fullmatch(r"([0-9.]+)([KMGT]i?)?", str(quantity)).groups()
    scale = {
        "K": 1e3,
        "M": 1e6,
        "G": 1e9,
        "T": 1e12,
        "Ki": 2**10,
        "Mi": 2**20,
        "Gi": 2**30,
        "Ti": 2**40,
    }
    return int(float(number) * scale.get(unit or "", 1))


def test_the_hub_config_starts_the_course_site_as_each_learners_server(hub_config):
    cmd = list(hub_config.Spawner.cmd)
    assert Path(cmd[-1]) == DEPLOY / "jupyterhub" / "kit_singleuser.py"
    assert Path(cmd[-1]).is_file()
    assert hub_config.Spawner.default_url == "/voila/render/index.ipynb"
    assert any(a.startswith("--CourseVoila.max_kernels=") for a in hub_config.Spawner.args)
    names = [s["name"] for s in hub_config.JupyterHub.services]
    assert names == ["idle-culler"]
    assert Path(hub_config.ConfigurableHTTPProxy.command[0]).name == "configurable-http-proxy"


def test_the_launcher_serves_where_the_hub_says():
    spec = importlib.util.spec_from_file_location("kit_singleuser", DEPLOY / "jupyterhub" / "kit_singleuser.py")
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    argv = launcher.hub_argv(
        {"JUPYTERHUB_SERVICE_URL": "http://0.0.0.0:8888/user/a%40b/"},
        ["--CourseVoila.max_kernels=8"],
    )
    assert argv[0] == "course"
    assert "--HubCourseVoila.ip=0.0.0.0" in argv
    assert "--HubCourseVoila.port=8888" in argv
    assert "--HubCourseVoila.base_url=/user/a%40b/" in argv
    assert argv[-1] == "--CourseVoila.max_kernels=8"
    assert issubclass(launcher.HubCourseVoila, launcher.site.CourseVoila)


def test_the_launcher_puts_the_hubs_login_and_the_learners_cap_in_force(monkeypatch):
    """Configured as the hub starts it, from the repository's voila.json (cap 40 for `make serve`)
    and the hub config's arguments: the cap is the learner's, the login the hub's."""
    spec = importlib.util.spec_from_file_location("kit_singleuser", DEPLOY / "jupyterhub" / "kit_singleuser.py")
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    monkeypatch.chdir(ROOT)
    env = {"JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:9999/user/alice/"}
    app = launcher.HubCourseVoila()
    try:
        app.initialize(launcher.hub_argv(env, ["--CourseVoila.max_kernels=8"]))
        assert (app.ip, app.port, app.base_url) == ("127.0.0.1", 9999, "/user/alice/")
        assert app.max_kernels == 8
        assert app.voila_configuration.template == "balint"
        assert app.identity_provider_class is launcher.HubIdentityProvider
        assert app.authorizer_class is launcher.JupyterHubAuthorizer
    finally:
        launcher.HubCourseVoila.clear_instance()


def test_kubernetes_runs_the_same_server_as_the_hub_config(values, hub_config, project):
    single = values["singleuser"]
    cmd = single["cmd"]
    assert cmd[0] == "python"
    assert _in_repo(cmd[1]) == Path(hub_config.Spawner.cmd[-1])
    assert cmd[2:] == list(hub_config.Spawner.args)
    assert single["defaultUrl"] == hub_config.Spawner.default_url
    assert single["image"]["tag"] == project["version"]
    assert single["storage"]["type"] == "none"  # the server keeps nothing per learner


def test_kubernetes_gives_each_learner_room_for_their_kernel_cap(values):
    single = values["singleuser"]
    cap = int(next(a for a in single["cmd"] if a.startswith("--CourseVoila.max_kernels=")).split("=")[1])
    # Measured (docs/benchmarks.md, Capacity): about 160 MB for the site and 70 MB per page kernel.
    assert _bytes(single["memory"]["limit"]) >= 160e6 + cap * 70e6
    assert _bytes(single["memory"]["guarantee"]) <= _bytes(single["memory"]["limit"])


def test_kubernetes_culls_idle_learners_as_the_hub_config_does(values, hub_config):
    cull = values["cull"]
    assert cull["enabled"] is True
    command = hub_config.JupyterHub.services[0]["command"]
    assert f"--timeout={cull['timeout']}" in command
    assert f"--cull-every={cull['every']}" in command


def test_the_image_installs_the_kit_with_the_hub_and_postgres_extras(dockerfile, values, project):
    # The same Python as the conda/Binder environment.
    python = re.search(r"^FROM python:(\d+\.\d+)", dockerfile, re.MULTILINE).group(1)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python={python}" in env["dependencies"]
    assert f"COPY . {IMAGE_ROOT}" in dockerfile
    install = re.search(r"pip install [^\n]*-e '\.\[([a-z,]+)\]'", dockerfile)
    assert install, "the image installs the kit itself, editable, with extras"
    extras = set(install.group(1).split(","))
    assert {"hub", "postgres"} <= extras <= set(project["optional-dependencies"])
    # The JupyterHub pinned in the image is one the hub extra allows.
    pinned = re.search(r"ARG JUPYTERHUB_VERSION=(\d+)\.", dockerfile).group(1)
    spec = next(d for d in project["optional-dependencies"]["hub"] if _name(d) == "jupyterhub")
    low, high = re.search(r">=(\d+),<(\d+)", spec).groups()
    assert int(low) <= int(pinned) < int(high)
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1))
    assert cmd == values["singleuser"]["cmd"]
    # The poll's URL comes from a secret, and the image has the driver for it.
    assert "BALINT_KIT_POLL_URL" in values["singleuser"]["extraEnv"]


def test_the_hub_extra_is_in_the_tests_and_in_the_conda_environment(project):
    hub = {_name(d) for d in project["optional-dependencies"]["hub"]}
    assert hub == {"jupyterhub", "jupyterhub-idle-culler"}
    assert hub <= {_name(d) for d in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert hub <= {_name(d) for d in env["dependencies"] if isinstance(d, str)}


def test_binder_serves_the_course_as_voila_json_does(voila, project):
    start = (ROOT / "start").read_text()
    assert 'JUPYTER_CONFIG_PATH="$PWD/deploy/binder' in start
    assert 'JUPYTER_PATH="$PWD/share/jupyter' in start
    assert start.rstrip().endswith('exec "$@"')
    binder = json.loads((DEPLOY / "binder" / "jupyter_server_config.json").read_text())
    ours, shipped = binder["VoilaConfiguration"], voila["VoilaConfiguration"]
    for key in (
        "template",
        "strip_sources",
        "show_tracebacks",
        "progressive_rendering",
    ):
        assert ours[key] == shipped[key], key
    assert (ROOT / "share" / "jupyter" / "voila" / "templates" / ours["template"]).is_dir()
    km = binder["MappingKernelManager"]
    assert km["cull_idle_timeout"] > 0 and km["cull_interval"] > 0
    assert km["cull_connected"] is False
    # The landing page the Binder link in docs/deploying.md opens.
    assert (ROOT / "course" / "index.ipynb").is_file()
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    minimum = re.match(r">=(\d+)\.(\d+)", project["requires-python"]).groups()
    assert tuple(map(int, python.split("=")[1].split("."))) >= tuple(map(int, minimum))


def test_the_npm_proxy_is_pinned_and_locked():
    package = json.loads((ROOT / "package.json").read_text())
    version = package["devDependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "pinned to one version"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == version
    assert lock["packages"][""]["devDependencies"] == package["devDependencies"]
