"""The course site: Voila with the kit's template, navigation, kernel cap and offline assets.

Run it with ``python -m kitserver`` from the repository root (``make serve`` does).
Configuration is read from ``voila.json`` in the working directory, as Voila does;
what this module adds on top of stock Voila:

* ``/`` sends a learner to the landing page (``voila/render/index.ipynb``); the
  file tree and the contents API are not served, so no notebook or code is listed.
* ``/kit/static/…`` serves the kit's own browser assets and plotly.js (the basic bundle
  from node_modules/, else plotly.py's own: :mod:`kitserver.plotly_bundle`), cached by the
  browser (no CDN). It is public, as Jupyter Server's own ``/static/`` is, also under
  JupyterHub: it holds no learner data.
* Responses go out gzipped to browsers that take gzip, static files from gzip copies made
  once (:mod:`kitserver.compress`; ``CourseVoila.compress_responses``).
* Each course page gets the course map in its page config, from which the
  ``balint`` template draws the header, navigation and previous/next links, and the
  definitions of the glossary terms the page links to (``balintGlossary``), which
  ``static/kit.js`` shows in place when a learner opens a term.
* Every page response sets the ``_xsrf`` cookie, so the page's shutdown beacon
  is accepted and the kernel ends when the tab closes (stock Voila answers 403
  for pages opened by direct link and leaves the kernel running).
* Above ``CourseVoila.max_kernels`` running kernels a new visitor gets a plain
  "busy" page (HTTP 503) instead of a kernel. Idle kernels whose page is gone
  are culled by the kernel manager (``MappingKernelManager.cull_*`` in voila.json).
* Each kernel belongs to the browser that opened its page: the page response sets a signed,
  HttpOnly, SameSite=Lax session cookie (``kit-browser-<host>``), and the kernel websocket,
  the execution websocket, ``/api/kernels/<id>`` and the shutdown beacon answer 403 to any
  other request (one log line). Kernel ids in log lines are replaced by a short tag.
* One client cannot hold the site (``CourseVoila.*`` in voila.json): a browser keeps at most
  ``pages_per_browser`` kernels (its next page ends its oldest), one address brings at most
  ``new_browsers_per_minute`` new browsers a minute (then a plain 429 page), and a connected
  page that sends nothing for ``silent_timeout`` seconds loses its kernel.
* Kernels are launched hardened (:mod:`kitserver.guard` as an IPython extension): a memory limit
  enforced by the operating system (``kernel_memory_mb``), no IPython history, no widget
  models created by the browser, no traceback sent back for a failing comm message. A page
  whose kernel is ended by the server (API, culler, limits) is told so and shows the banner.
* ``/kit/poll/…`` is the anonymous class poll's JSON API (see :class:`kitserver.poll_handlers.PollHandler`),
  on the store of :mod:`kitserver.poll_store`, opened once per server from
  ``BALINT_KIT_POLL_URL`` / ``BALINT_KIT_POLL_DB`` or ``--poll-url``. Under JupyterHub
  it needs the hub's login for this server, as the pages do.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import ClassVar

import jinja2
import plotly
import tornado.web
from jupyter_server.utils import url_path_join
from tornado.log import app_log
from traitlets import Bool, Int, List, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.treehandler import VoilaTreeHandler

from widgets import content, content_cache

from . import compress, front, plotly_bundle, render_cache
from . import poll_store as poll
from .kernels import (
    _BOUND,
    Arrivals,
    CappedKernelManager,
    KernelCapReached,
    _page_browser,
    browser_cookie_name,
    browser_of,
    hide_kernel_ids_in_the_log,
)
from .poll_handlers import (
    PollClassesHandler,
    PollLimits,
    PollResponsesHandler,
    PollResultsHandler,
    _NoPollURLs,
    poll_statement_count,
    set_poll_token,
)

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "widgets" / "static"
TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "balint"
PLOTLY = plotly_bundle.choose()  # the basic bundle from node_modules/, else plotly.py's full one
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
        return {
            "title": "Balint Course Kit",
            "modules": [],
            "tools": [],
            "error": str(exc),
            "current": page,
            "home": href("index"),
        }
    modules = [
        {"id": m.id, "number": m.number, "title": m.title, "ready": m.status == "ready", "href": href(m.id)}
        for m in sorted(cmap.modules, key=lambda m: m.number)
    ]
    tools = [
        {"id": tool.id, "title": tool.title, "href": href(tool.id), "audience": tool.audience} for tool in cmap.tools
    ]
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
    root = getattr(settings.get("contents_manager"), "root_dir", None) or settings.get("root_dir") or os.getcwd()
    page_config["balintGlossary"] = glossary_for(Path(root) / notebook_path)
    return page_config


_TERM_LINK = re.compile(r"glossary\.ipynb#term-([a-z][a-z0-9-]*)")


def glossary_for(notebook: Path) -> dict:
    """The glossary terms a notebook links to, ``{id: {"term", "definition"}}``, for kit.js to
    show in place. Empty when it links to none, or when data/glossary.yaml is broken: then the
    links stay plain links to the glossary page, which names the problem."""
    try:
        ids = set(_TERM_LINK.findall(notebook.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}
    if not ids:
        return {}
    try:
        terms = content.glossary().terms
    except content.ContentError:
        return {}
    return {t.id: {"term": t.term, "definition": t.definition} for t in terms if t.id in ids}


def _error_texts() -> dict[str, str]:
    """The error page's sentences (data/ui/en.yaml); plain English if that file cannot be read."""
    try:
        strings = content.ui().strings
    except content.ContentError:
        return {
            "error-title-other": "Error",
            "error-other": "The course site could not show this page.",
            "error-home": "Home",
        }
    return {k: v for k, v in strings.items() if k.startswith("error-")}


def _ui(key: str, default: str) -> str:
    try:
        return content.ui()[key]
    except content.ContentError:
        return default


class CourseVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, with the xsrf cookie, the binding cookie, the limit of new browsers
    per address and the busy page above the kernel cap."""

    @tornado.web.authenticated
    async def get(self, path=None):
        # Touching the token sets the _xsrf cookie, which the page's shutdown beacon needs.
        self.xsrf_token  # noqa: B018
        set_poll_token(self)
        browser = browser_of(self)
        if browser is None:
            if not self.settings["kit_arrivals"].admit(self.request.remote_ip or ""):
                self.kit_reason = "too many new browsers from one address in a minute: sent the wait page"
                self._plain_page(
                    429,
                    "too-many-new-title",
                    "The course is busy",
                    "too-many-new-message",
                    "Many new browsers opened the course from your network in the last minute. "
                    "Please wait a minute and try again; nothing you have done so far is lost.",
                )
                return
            browser = secrets.token_urlsafe(18)
            self.set_signed_cookie(
                browser_cookie_name(self),
                browser,
                expires_days=None,  # for as long as the browser runs
                path=self.base_url,
                httponly=True,
                samesite="Lax",
                secure=self.request.protocol == "https",
            )
        token = _page_browser.set(browser)
        try:
            await super().get(path)
        except KernelCapReached:
            # Voila starts the kernel before it writes any of the page, so the answer is still ours.
            self.kit_reason = f"kernel cap of {self.kernel_manager.max_kernels} reached: sent the busy page"
            self._plain_page(
                503,
                "busy-title",
                "The course is busy",
                "busy-message",
                "The course is busy. Please try again in a minute.",
            )
        finally:
            _page_browser.reset(token)

    def write_error(self, status_code: int, **kwargs):
        try:
            super().write_error(status_code, **kwargs)
        except Exception:  # noqa: BLE001 - refused before the request had a user (a path that is not UTF-8: 400)
            self.clear()
            self.set_status(status_code)
            self.set_header("Content-Type", "text/plain; charset=UTF-8")
            self.finish(_error_texts().get("error-other", "The course site could not show this page.") + "\n")

    def _plain_page(self, status: int, title_key: str, title: str, message_key: str, message: str) -> None:
        self.clear()
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Retry-After", "60")
        self.set_header("Cache-Control", "no-store")
        template = self.settings["voila_jinja2_env"].get_template("busy.html")
        self.finish(
            template.render(
                title=_ui(title_key, title),
                message=_ui(message_key, message),
                retry=_ui("busy-retry", "Try again"),
            )
        )


class KitStaticHandler(tornado.web.StaticFileHandler):
    """The kit's own assets; with ``?v=`` in the URL the browser keeps them for a year."""

    def get_cache_time(self, path, modified, mime_type):
        return self.CACHE_MAX_AGE if "v" in self.request.arguments else 0


class PlotlyHandler(KitStaticHandler):
    """``plotly.min.js``: the bundle :func:`kitserver.plotly_bundle.choose` picked, under one name."""

    def parse_url_path(self, url_path):
        return PLOTLY.path.name


class NotFound(tornado.web.RequestHandler):
    """404 in the site's own words (the error page of the site template), for what is not served."""

    def get(self, *args):
        raise tornado.web.HTTPError(404)

    def write_error(self, status_code: int, **kwargs):
        env = self.settings.get("jinja2_env")
        if env is None:
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(
            env.get_template("error.html").render(status_code=status_code, base_url=self.settings.get("base_url", "/"))
        )


class LandingRedirect(tornado.web.RequestHandler):
    def get(self, *args):
        self.redirect(url_path_join(self.settings["base_url"], "voila/render/index.ipynb"))


def quiet_notebook_trust(contents_manager) -> None:
    """Voila runs every notebook on the server and marks their outputs trusted itself; the contents
    manager's signature check (an HMAC of the notebook and a SQLite lookup per page view) only
    logs "Notebook ... is not trusted" each time. Cells are marked untrusted without the check."""

    def mark_trusted_cells(nb, path=""):
        contents_manager.notary.mark_cells(nb, False)

    contents_manager.mark_trusted_cells = mark_trusted_cells


class CourseVoila(Voila):
    """Voila as the course site (see the module docstring)."""

    name = "balint-course"
    description = "The Balint Course Kit site"
    max_kernels = Int(
        40,
        config=True,
        help="Kernels running or starting above which a new visitor gets the 'busy' page.",
    )
    pages_per_browser = Int(
        5,
        config=True,
        help="Course pages one browser may have open at once (by its binding cookie); its next page ends the "
        "kernel of its oldest. 0: no limit.",
    )
    new_browsers_per_minute = Int(
        50,
        config=True,
        help="New browsers (page requests without the binding cookie) one client address may bring in a "
        "minute; above it, the 'wait a minute' page (HTTP 429). A class of 40 behind one address passes. 0: no limit.",
    )
    silent_timeout = Int(
        4 * 3600,
        config=True,
        help="Seconds a connected page may send nothing before its kernel is ended. 0: never.",
    )
    kernel_memory_mb = Int(
        768,
        config=True,
        help="Each kernel's memory limit in MiB, enforced by the operating system (RLIMIT_DATA). 0: none.",
    )
    landing = Unicode("index.ipynb", config=True, help="The landing notebook.")
    poll_url = Unicode(
        config=True,
        help="The class poll's store: postgresql://… or sqlite:PATH; empty for BALINT_KIT_POLL_URL, "
        "else the SQLite file BALINT_KIT_POLL_DB or the default in the user's data folder.",
    )
    poll_open_limit = Unicode(
        "20/hour",
        config=True,
        help="Classes one address may open (limits' notation: '20/hour'; '' for no limit). An instructor "
        "opens one a session; a department behind one address, a few.",
    )
    poll_send_limit = Unicode(
        "45/day",
        config=True,
        help="Responses one address may send to one class. A class of 40 behind one hospital address "
        "(one NAT) must get through; a client that makes up tokens can add no more than this.",
    )
    poll_miss_limit = Unicode(
        "30 per 10 minutes",
        config=True,
        help="Look-ups of class codes that do not exist, or keys that do not fit, one address may make "
        "before every poll request from it gets 429 for the rest of the window (codes are 6 of 31 "
        "characters: about 887 million).",
    )
    poll_one_per_login = Bool(
        False,
        config=True,
        help="One response per login per class, enforced by the server (set by the JupyterHub "
        "single-user server, where every learner is a login). On the plain site every visitor is "
        "anonymous, and each browser answers once.",
    )
    allowed_hosts = List(
        Unicode(),
        ["localhost", "127.0.0.1", "[::1]"],
        config=True,
        help="Host names the site answers to (any port); any other Host header gets 421, so that a page "
        "elsewhere whose name is pointed at this machine (DNS rebinding) cannot read the site. Add the "
        "name learners use (e.g. course.hospital.example) when the site is served to a network; '*' "
        "turns the check off (behind a proxy that checks it, as JupyterHub's does).",
    )
    trust_xheaders = Bool(
        False,
        config=True,
        help="Take the client's address and scheme from X-Real-IP / X-Forwarded-For and X-Scheme, as a "
        "reverse proxy in front of the site sets them (deploy/nginx/). Only behind such a proxy: "
        "otherwise a client could choose the address the per-address limits count it by.",
    )
    compress_responses = Bool(
        True,
        config=True,
        help="Send compressible responses gzipped to browsers that take gzip, static files from gzip copies "
        "made once (kitserver/compress.py). False when a proxy in front compresses.",
    )
    aliases: ClassVar[dict] = {**Voila.aliases, "poll-url": "CourseVoila.poll_url", "poll_url": "CourseVoila.poll_url"}

    def initialize(self, argv=None):
        super().initialize(argv)
        render_cache.install()  # each page's Markdown converted, and the templates compiled, once per server
        self.voila_configuration.page_config_hook = page_config_hook
        self.voila_configuration.multi_kernel_manager_class = CappedKernelManager

    def init_settings(self):
        settings = super().init_settings()
        km = self.kernel_manager
        km.max_kernels = self.max_kernels
        km.pages_per_browser = self.pages_per_browser
        km.silent_timeout = self.silent_timeout
        km.kernel_memory_mb = self.kernel_memory_mb
        settings["kit_arrivals"] = Arrivals(self.new_browsers_per_minute)
        quiet_notebook_trust(self.contents_manager)
        hide_kernel_ids_in_the_log()
        # Jupyter Server's error page needs static files this site does not serve (it failed as a
        # 500 with a traceback in the log): the kit's own, from the site template's folder.
        env = settings.get("jinja2_env")
        if env is not None:
            env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(TEMPLATE)), env.loader])
            env.globals["kit_ui"] = _error_texts()
        # Voila's page handler renders its error pages (a missing notebook's 404) from its own
        # environment, which needs the same sentences (the 404 was a traceback in the log).
        if settings.get("voila_jinja2_env") is not None:
            settings["voila_jinja2_env"].globals["kit_ui"] = _error_texts()
        settings["default_handler_class"] = NotFound  # any other address: the same plain 404 page
        # SameSite=Lax on every cookie (front.py); the anonymous visitor cookie lasts a day.
        settings.update(front.cookie_settings(tls=bool(getattr(self, "certfile", ""))))
        if type(self.identity_provider).__module__.startswith("jupyter_server."):  # not the hub's own
            self.identity_provider.cookie_options = {
                **front.identity_cookie_options(),
                **self.identity_provider.cookie_options,
            }
        return settings

    def init_handlers(self):
        stock = super().init_handlers()
        # The plain site has no login: the identity provider's login and logout pages (Voila adds
        # them; /logout answered 500) are not served. Under JupyterHub the hub's are kept.
        no_login = type(self.identity_provider).__module__.startswith("jupyter_server.")
        login_pages = {pattern for pattern, *_ in self.identity_provider.get_handlers()} if no_login else set()
        keep = []
        for pattern, handler, *rest in stock:
            if pattern in login_pages:
                continue
            if handler is TornadoVoilaHandler:
                keep.append((pattern, CourseVoilaHandler, *rest))
            elif handler in _BOUND:
                keep.append((pattern, _BOUND[handler], *rest))
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
            (url_path_join(base, r"/voila/templates/(?![^/]+/static/).*"), NotFound),
            (
                url_path_join(base, r"/kit/static/plotly/(plotly\.min\.js)"),
                PlotlyHandler,
                {"path": str(PLOTLY.path.parent)},
            ),
            (url_path_join(base, r"/kit/static/(.*)"), KitStaticHandler, {"path": str(STATIC)}),
        ]
        # The class poll: one store per server, opened here (nothing is connected until first use).
        self.poll_store = poll.open_store(
            self.poll_url or None,
            statements=poll_statement_count(),
            sender_secret=os.environ.get("BALINT_KIT_POLL_SECRET", "").encode(),
        )
        if self.poll_one_per_login and not os.environ.get("BALINT_KIT_POLL_SECRET"):
            self.log.warning(
                "Class poll: BALINT_KIT_POLL_SECRET is not set, so whoever reads the poll's database "
                "could tell which logins sent answers to a class (not what they sent)."
            )
        self.log.info("Class poll answers are stored in the %s.", self.poll_store.where())
        plotly_bundle.log_choice(PLOTLY, self.log)
        limits = PollLimits(self.poll_open_limit, self.poll_send_limit, self.poll_miss_limit)
        self.log.info("Class poll limits: %r.", limits)
        store = {"store": self.poll_store, "limits": limits, "one_per_login": self.poll_one_per_login}
        if not any(isinstance(f, _NoPollURLs) for f in app_log.filters):
            app_log.addFilter(_NoPollURLs())
        ours += [
            (url_path_join(base, r"/kit/poll/classes"), PollClassesHandler, store),
            (url_path_join(base, r"/kit/poll/classes/([^/]+)/responses"), PollResponsesHandler, store),
            (url_path_join(base, r"/kit/poll/classes/([^/]+)/results"), PollResultsHandler, store),
        ]
        return compress.precompressed_handlers(ours + keep) if self.compress_responses else ours + keep

    def listen(self):
        # The security headers and the Host check go on the application Voila has just made
        # (Voila.start makes it and calls this), before the first request can arrive.
        if self.trust_xheaders:
            listen = self.app.listen
            self.app.listen = lambda port, address="", **kw: listen(port, address, xheaders=True, **kw)
        hosts = list(self.allowed_hosts)
        if self.ip not in ("", "localhost", "127.0.0.1", "::1", "0.0.0.0", "::"):
            hosts.append(self.ip)  # the address the site was told to listen on answers to itself
        front.install(self.app, hosts)
        if self.compress_responses:
            compress.install(self.app)
        content_cache.prepare_in_background()  # the kernels' validated content and bytecode, made once
        super().listen()


def main(argv=None):
    # Voila finds the kit's template through JUPYTER_PATH (its template_paths option is
    # overwritten whenever a template is set).
    ours = str(ROOT / "share" / "jupyter")
    rest = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != ours]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([ours, *rest])
    CourseVoila.launch_instance(argv=argv)


if __name__ == "__main__":
    main()
