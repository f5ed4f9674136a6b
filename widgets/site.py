"""The course site: Voila with the kit's template, navigation, kernel cap and offline assets.

Run it with ``python -m widgets.site`` from the repository root (``make serve`` does).
Configuration is read from ``voila.json`` in the working directory, as Voila does;
what this module adds on top of stock Voila:

* ``/`` sends a learner to the landing page (``voila/render/index.ipynb``); the
  file tree and the contents API are not served, so no notebook or code is listed.
* ``/kit/static/…`` serves the kit's own browser assets and plotly.js from the
  installed plotly package, cached by the browser (no CDN).
* Each course page gets the course map in its page config, from which the
  ``balint`` template draws the header, navigation and previous/next links.
* Every page response sets the ``_xsrf`` cookie, so the page's shutdown beacon
  is accepted and the kernel ends when the tab closes (stock Voila answers 403
  for pages opened by direct link and leaves the kernel running).
* Above ``CourseVoila.max_kernels`` running kernels a new visitor gets a plain
  "busy" page (HTTP 503) instead of a kernel. Idle kernels whose page is gone
  are culled by the kernel manager (``MappingKernelManager.cull_*`` in voila.json).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import plotly
import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from traitlets import Int, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.treehandler import VoilaTreeHandler

from . import content

ROOT = Path(__file__).resolve().parent.parent
STATIC = Path(__file__).resolve().parent / "static"
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data"
ASSET_VERSION = f"kit-0.1.0-plotly-{plotly.__version__}"


def course_nav(page: str, base_url: str = "/") -> dict:
    """What the template needs to draw the header and the navigation for one page.

    ``page`` is the notebook's path under course/ without .ipynb ('01_history',
    'instructor/timer'). Links are absolute, so they work from pages in sub-folders.
    Never raises: a broken course map gives a page with an ``error`` sentence and no
    module list, and the page itself still works.
    """
    render = url_path_join(base_url, "voila/render/")

    def href(page_id: str) -> str:
        return f"{render}{page_id}.ipynb"

    try:
        cmap = content.course_map()
    except content.ContentError as exc:
        return {"title": "Balint Course Kit", "modules": [], "tools": [], "error": str(exc), "current": page, "home": href("index")}
    modules = [
        {"id": m.id, "number": m.number, "title": m.title, "ready": m.status == "ready", "href": href(m.id)}
        for m in sorted(cmap.modules, key=lambda m: m.number)
    ]
    tools = [{"id": tool.id, "title": tool.title, "href": href(tool.id), "audience": tool.audience} for tool in cmap.tools]
    ready = [m for m in modules if m["ready"]]
    order = [{"id": "index", "title": "Course map", "href": href("index")}] + ready
    ids = [m["id"] for m in order]
    prev = nxt = None
    if page in ids:
        i = ids.index(page)
        prev = order[i - 1] if i > 0 else None
        nxt = order[i + 1] if i + 1 < len(order) else None
    elif page in {tool["id"] for tool in tools}:
        prev = order[0]
    return {
        "title": cmap.title,
        "subtitle": cmap.subtitle,
        "modules": modules,
        "tools": tools,
        "current": page,
        "home": href("index"),
        "prev": prev,
        "next": nxt,
        "error": None,
    }


def page_config_hook(page_config, base_url, settings, log, voila_configuration, notebook_path):
    """Voila's page-config hook: add the course navigation and the kit's asset URL."""
    page = os.path.splitext(notebook_path.replace(os.sep, "/"))[0]
    page_config = dict(page_config)
    page_config["balintCourse"] = course_nav(page, base_url)
    page_config["balintKitStatic"] = url_path_join(base_url, "kit/static/")
    page_config["balintAssetVersion"] = ASSET_VERSION
    try:
        page_config["balintText"] = dict(content.ui().strings)
    except content.ContentError:
        page_config["balintText"] = {}
    return page_config


def _ui(key: str, default: str) -> str:
    try:
        return content.ui()[key]
    except content.ContentError:
        return default


class KernelCapReached(Exception):
    """No kernel was started: as many as the cap allows are running or starting."""


class CappedKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager with a cap on kernels running or starting.

    The check and the reservation happen together, before the first ``await``, and each
    starting kernel is counted once by its id (jupyter_client lists a kernel only once
    it has started): learners who arrive at the same moment cannot all slip past the cap,
    and none is turned away while there is room.
    """

    max_kernels = Int(40, config=True, help="Kernels running or starting above which none is started.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._reserved: set[str] = set()

    def kernels_in_use(self) -> int:
        ids = set(self.list_kernel_ids()) | set(getattr(self, "_pending_kernels", {})) | self._reserved
        pooled = sum(len(p) for p in getattr(self, "_pools", {}).values())
        return len(ids) - pooled

    async def start_kernel(self, *, kernel_id=None, **kwargs):
        if kernel_id is not None and kernel_id in self:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        if self.kernels_in_use() >= self.max_kernels:
            raise KernelCapReached()
        kernel_id = kernel_id or str(uuid.uuid4())
        self._reserved.add(kernel_id)
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self._reserved.discard(kernel_id)


class CourseVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, with the xsrf cookie set and the busy page above the kernel cap."""

    @tornado.web.authenticated
    async def get(self, path=None):
        # Touching the token sets the _xsrf cookie, which the page's shutdown beacon needs.
        self.xsrf_token  # noqa: B018
        try:
            await super().get(path)
        except KernelCapReached:
            # Voila starts the kernel before it writes any of the page, so the answer is still ours.
            self.log.warning("kernel cap of %d reached: sent the busy page", self.kernel_manager.max_kernels)
            self.clear()
            self.set_status(503)
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Retry-After", "60")
            self.set_header("Cache-Control", "no-store")
            template = self.settings["voila_jinja2_env"].get_template("busy.html")
            self.finish(
                template.render(
                    title=_ui("busy-title", "The course is busy"),
                    message=_ui("busy-message", "The course is busy. Please try again in a minute."),
                    retry=_ui("busy-retry", "Try again"),
                )
            )


class KitStaticHandler(tornado.web.StaticFileHandler):
    """The kit's own assets; with ``?v=`` in the URL the browser keeps them for a year."""

    def get_cache_time(self, path, modified, mime_type):
        return self.CACHE_MAX_AGE if "v" in self.request.arguments else 0


class NotFound(tornado.web.RequestHandler):
    def get(self, *args):
        raise tornado.web.HTTPError(404)


class LandingRedirect(tornado.web.RequestHandler):
    def get(self, *args):
        self.redirect(url_path_join(self.settings["base_url"], "voila/render/index.ipynb"))


class CourseVoila(Voila):
    """Voila as the course site (see the module docstring)."""

    name = "balint-course"
    description = "The Balint Course Kit site"
    max_kernels = Int(
        40,
        config=True,
        help="Kernels running or starting above which a new visitor gets the 'busy' page.",
    )
    landing = Unicode("index.ipynb", config=True, help="The landing notebook.")

    def initialize(self, argv=None):
        super().initialize(argv)
        self.voila_configuration.page_config_hook = page_config_hook
        self.voila_configuration.multi_kernel_manager_class = CappedKernelManager

    def init_settings(self):
        settings = super().init_settings()
        self.kernel_manager.max_kernels = self.max_kernels
        return settings

    def init_handlers(self):
        stock = super().init_handlers()
        keep = []
        for pattern, handler, *rest in stock:
            if handler is TornadoVoilaHandler:
                keep.append((pattern, CourseVoilaHandler, *rest))
            elif isinstance(handler, type) and issubclass(handler, VoilaTreeHandler):
                continue  # no file listing: learners start at the landing page
            elif "api/contents" in pattern:
                continue  # the contents API would list the notebooks
            else:
                keep.append((pattern, handler, *rest))
        base = self.server_url
        ours = [
            (base, LandingRedirect),
            (url_path_join(base, r"/voila/tree(.*)"), LandingRedirect),
            # Only a template's static/ folder is public (stock Voila answers 500 for anything else).
            (url_path_join(base, r"/voila/templates/[^/]+/(?!static/).*"), NotFound),
            (url_path_join(base, r"/kit/static/plotly/(.*)"), KitStaticHandler, {"path": str(PLOTLY_JS)}),
            (url_path_join(base, r"/kit/static/(.*)"), KitStaticHandler, {"path": str(STATIC)}),
        ]
        return ours + keep


def main(argv=None):
    # Voila finds the kit's template through JUPYTER_PATH (its template_paths option is
    # overwritten whenever a template is set).
    ours = str(ROOT / "share" / "jupyter")
    rest = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != ours]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([ours, *rest])
    CourseVoila.launch_instance(argv=argv)


if __name__ == "__main__":
    main()
