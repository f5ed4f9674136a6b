"""A learner's single-user server under JupyterHub: the course site itself, behind the hub's login.

JupyterHub starts this file (``c.Spawner.cmd`` in ``jupyterhub_config.py``, ``singleuser.cmd``
in ``deploy/kubernetes/values.yaml``) once per learner, with the hub's ``JUPYTERHUB_*``
environment. It runs the kit's own Voila application, ``kitserver.app.CourseVoila`` (template,
navigation, kernel cap, kernel culling, class poll, no file tree: everything ``make serve``
has), with three changes for the hub:

* it listens where the hub tells it (``JUPYTERHUB_SERVICE_URL``: address, port, and the
  learner's base URL ``/user/<name>/``), so every URL the site draws, and every key the
  browser store writes (``balint-kit:v1:/user/<name>/:…``), carries the learner's path;
* a request is let in only with the hub's login for this server: JupyterHub's own
  identity provider and authorizer for Jupyter Server 2 (the ones ``jupyterhub-singleuser``
  uses), which Voila 0.5 accepts as ``Voila.identity_provider_class`` and
  ``Voila.authorizer_class``;
* their two pages (``oauth_callback`` and ``logout``) are served under the base URL (Voila
  0.5 adds an identity provider's pages at the server's root, where the hub's proxy never
  sends them).

Arguments given to this file are passed on to the site (``--CourseVoila.max_kernels=8``).
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlparse

import jupyterhub
import tornado.web
from jupyter_server.utils import url_path_join
from jupyterhub.singleuser.extension import (
    JupyterHubAuthorizer,
    JupyterHubIdentityProvider,
)
from traitlets import Bool, List, Unicode

from kitserver import app as site


class HubIdentityProvider(JupyterHubIdentityProvider):
    """JupyterHub's identity provider, taking the ``token`` argument Voila 0.5 always passes
    (the hub's provider has its own token, the server's API token)."""

    def __init__(self, token=None, **kwargs):
        super().__init__(**kwargs)


class HubVersionHandler(tornado.web.RequestHandler):
    """``{base}api``: where the hub looks for the single-user server's JupyterHub version."""

    def get(self):
        self.set_header("X-JupyterHub-Version", jupyterhub.__version__)
        self.write({"version": jupyterhub.__version__})


class HubCourseVoila(site.CourseVoila):
    """The course site as a JupyterHub single-user server."""

    name = "balint-course-hub"
    # Every learner is a login here: the poll takes one response per login per class.
    poll_one_per_login = Bool(
        True, config=True, help="One response per login per class (every learner is a login here)."
    )
    # Behind the hub's proxy the Host is the hub's public name, and every request needs the hub's
    # login, so a rebound name (evil.example pointed at the hub) reaches only the login page.
    allowed_hosts = List(Unicode(), ["*"], config=True, help="Host names the server answers to; '*': any.")

    def initialize(self, argv=None):
        super().initialize(argv)
        # Set here, not by configuration, so that no config file can open a learner's server.
        self.identity_provider_class = HubIdentityProvider
        self.authorizer_class = JupyterHubAuthorizer

    def init_handlers(self):
        handlers = super().init_handlers()
        own = {pattern for pattern, *_ in self.identity_provider.get_handlers()}
        return [(url_path_join(self.base_url, "api"), HubVersionHandler)] + [
            (
                url_path_join(self.base_url, pattern) if pattern in own else pattern,
                *rest,
            )
            for pattern, *rest in handlers
        ]


def hub_argv(environ: dict[str, str], extra: list[str]) -> list[str]:
    """The site's command line for the server the hub asked for in ``environ``."""
    url = urlparse(environ["JUPYTERHUB_SERVICE_URL"])
    base_url = url.path if url.path.endswith("/") else url.path + "/"
    # The most specific class section: voila.json sets CourseVoila.ip and .port for `make serve`.
    return [
        "course",
        f"--HubCourseVoila.ip={url.hostname or '127.0.0.1'}",
        f"--HubCourseVoila.port={url.port or 8888}",
        f"--HubCourseVoila.base_url={base_url}",
        "--HubCourseVoila.open_browser=False",
        *extra,
    ]


def main() -> None:
    # The site reads voila.json and serves course/ from the kit's folder, wherever the spawner
    # started us (LocalProcessSpawner starts in the learner's home).
    os.chdir(site.ROOT)
    ours = str(site.ROOT / "share" / "jupyter")
    rest = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != ours]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([ours, *rest])
    HubCourseVoila.launch_instance(argv=hub_argv(dict(os.environ), sys.argv[1:]))


if __name__ == "__main__":
    main()
