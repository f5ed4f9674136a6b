# JupyterHub configuration for a cohort on one machine: each learner logs in and lands on the
# course site in a server of their own.
#
#   pip install -e '.[hub]'                  # the kit with jupyterhub and jupyterhub-idle-culler
#   npm ci                                   # configurable-http-proxy into node_modules/ (or install it globally)
#   jupyterhub -f deploy/jupyterhub/jupyterhub_config.py
#
# See deploy/README.md. tests/hub/test_hub.py starts a real hub with this file (with a test
# login and spawner layered on top) and logs three learners in.
#
# How a learner's server runs the course, and why
# -----------------------------------------------
# The single-user server is the kit's own Voila application, `kitserver.app.CourseVoila`, started by
# deploy/jupyterhub/kit_singleuser.py with the hub's login in front of it (a custom
# `c.Spawner.cmd`). The alternatives were weighed against voila 0.5 and CourseVoila:
#
# * Voila as a Jupyter Server extension under `jupyterhub-singleuser`
#   (`c.Spawner.default_url = '/voila/render/index.ipynb'`): the page is stock Voila's. Everything
#   CourseVoila adds lives in its application, not in Voila's extension: the course navigation
#   (its page-config hook), the kernel cap and busy page, the `_xsrf` cookie that lets a closed
#   tab end its kernel, /kit/static (the site's own plotly.js, no CDN), the class poll, and the
#   closed file tree. A learner would also get JupyterLab, a terminal and the contents API,
#   which show the notebooks and the quiz answer keys in data/.
# * jupyter-server-proxy under `jupyterhub-singleuser`, starting `python -m kitserver` behind
#   it: the course site is complete, but every learner then runs two servers (a Jupyter server
#   with JupyterLab, terminals and the kernels API, which can run any code, plus the site), and
#   every page, static file and kernel websocket is proxied twice.
# * Chosen: the site itself is the single-user server. Voila 0.5 takes Jupyter Server 2's
#   pluggable login (`Voila.identity_provider_class`, `Voila.authorizer_class`), so the launcher
#   plugs in JupyterHub's own (`jupyterhub.singleuser.extension.JupyterHubIdentityProvider` and
#   `JupyterHubAuthorizer`, which `jupyterhub-singleuser` uses) and serves their oauth_callback
#   and logout pages under the learner's base URL. Only the course is reachable; the kernel cap,
#   the culling and the template are those of `make serve` (voila.json), per learner.
#
# What follows from it:
# * The learner's base URL is /user/<name>/, so the site's links, and the keys of the browser
#   store (`balint-kit:v1:/user/<name>/:progress`), are the learner's own even though every
#   learner's server shares one browser origin (the hub's address).
# * Activity: the hub learns of a learner's activity from the proxy's routes (every
#   `c.JupyterHub.last_activity_interval`), which the idle culler below reads.
# * The site's kernels are still culled by the site itself (60 s after their page is gone,
#   voila.json); the culler below stops a whole learner's server after an hour without traffic.

import os
import secrets
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
KIT = HERE.parent.parent

# --------------------------------------------------------------------------- the learner's server
# The Python that has the kit installed (the hub's own, unless BALINT_KIT_PYTHON names another).
c.Spawner.cmd = [
    os.environ.get("BALINT_KIT_PYTHON", sys.executable),
    str(HERE / "kit_singleuser.py"),
]
# One learner opens a few tabs: 8 kernels (about 70 MB each) is plenty and bounds a server's memory.
c.Spawner.args = ["--CourseVoila.max_kernels=8"]
# The site sends /user/<name>/ to this page itself; the hub is told too, for its own links.
c.Spawner.default_url = "/voila/render/index.ipynb"
# A server is up in 3-5 s on a quiet 2-core machine; a class logging in together takes longer.
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
# The class poll is shared by the whole cohort, so every learner's server must use one store:
# PostgreSQL (BALINT_KIT_POLL_URL=postgresql://...) on a hub, or one SQLite file all servers
# can write (BALINT_KIT_POLL_DB). Without either, each learner would have a poll of their own.
c.Spawner.environment = {k: os.environ[k] for k in ("BALINT_KIT_POLL_URL", "BALINT_KIT_POLL_DB") if k in os.environ}
# Each learner answers a class once (the servers run with CourseVoila.poll_one_per_login); the
# poll keeps a keyed hash of who has answered, apart from the answers, under one secret that all
# the servers share and the database never holds: BALINT_KIT_POLL_SECRET if set, else a file
# made once beside the hub's own database (readable by the hub's user only).
_poll_secret = os.environ.get("BALINT_KIT_POLL_SECRET")
if not _poll_secret:
    _secret_file = Path("balint_kit_poll_secret")
    if not _secret_file.exists():
        _secret_file.touch(mode=0o600)
        _secret_file.write_text(secrets.token_hex(32))
    _poll_secret = _secret_file.read_text().strip()
c.Spawner.environment["BALINT_KIT_POLL_SECRET"] = _poll_secret

# Learners are system users here (LocalProcessSpawner, PAM login: JupyterHub's defaults), each
# server running as its learner. Replace the authenticator with your institution's (OAuth, LTI,
# LDAP); for a cohort beyond one machine use Kubernetes (deploy/kubernetes/values.yaml).
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"

# --------------------------------------------------------------------------- the hub and its proxy
c.JupyterHub.bind_url = os.environ.get("BALINT_KIT_HUB_URL", "http://127.0.0.1:8000")
# configurable-http-proxy from the npm registry: node_modules/ of the kit (`npm ci`), else PATH.
_chp = KIT / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [
    str(_chp) if _chp.exists() else (shutil.which("configurable-http-proxy") or "configurable-http-proxy")
]
# Stop every learner's server and the proxy when the hub stops.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --------------------------------------------------------------------------- idle learners
# jupyterhub-idle-culler (the `hub` extra) stops a learner's server after an hour without
# traffic through the proxy; the learner's progress is in their browser and survives.
c.JupyterHub.last_activity_interval = 60
try:
    import jupyterhub_idle_culler  # noqa: F401
except ImportError:
    pass
else:
    c.JupyterHub.services = [
        {
            "name": "idle-culler",
            "command": [
                sys.executable,
                "-m",
                "jupyterhub_idle_culler",
                "--timeout=3600",
                "--cull-every=300",
            ],
        }
    ]
    c.JupyterHub.load_roles = [
        {
            "name": "idle-culler",
            "scopes": [
                "list:users",
                "read:users:activity",
                "read:servers",
                "delete:servers",
            ],
            "services": ["idle-culler"],
        }
    ]
