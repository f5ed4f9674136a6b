"""Module 6's tools: the confidentiality-pledge generator and the organiser's checklist.

The pledge generator runs wholly in the browser (``static/pledge_core.js`` and
``static/pledge.js``): the organiser's entries never reach the kernel. The checklist keeps
its ticks and the session's start time in the browser and asks :mod:`widgets.online` which
steps are done, open or due.
"""

from __future__ import annotations

from datetime import datetime

import anywidget
import traitlets

from . import online as logic
from .content import OnlineGroups, UIText
from .esm import bundle
from .guard import BrowserSafe

PLEDGE_KEYS = (
    "pledge-title",
    "pledge-explain",
    "pledge-group",
    "pledge-organiser",
    "pledge-date",
    "pledge-recording",
    "pledge-preview",
    "pledge-print",
    "pledge-date-locale",
)
CHECK_KEYS = (
    "check-title",
    "check-explain",
    "check-start",
    "check-summary",
    "check-state-done",
    "check-state-open",
    "check-state-overdue",
    "check-state-due-soon",
    "check-state-later",
    "check-due",
    "check-reset",
    "check-progress",
)


class PledgeGenerator(BrowserSafe, anywidget.AnyWidget):
    _esm = bundle("dom.js", "pledge_core.js", "pledge.js")
    texts = traitlets.Dict().tag(sync=True)
    template = traitlets.Dict(
        help="{title, intro, contents: [7 x {text, by_policy: {policy id: text}}], recording: [{id, label, text}], closing, sign_line}"
    ).tag(sync=True)


def pledge_generator(online: OnlineGroups, t: UIText) -> PledgeGenerator:
    p = online.pledge
    w = PledgeGenerator(
        texts={k: t[k] for k in PLEDGE_KEYS},
        template={
            "title": p.title,
            "intro": p.intro,
            "contents": [{"text": c.text, "by_policy": dict(c.by_policy)} for c in p.contents],
            "recording": [{"id": r.id, "label": r.label, "text": r.text} for r in p.recording],
            "closing": p.closing,
            "sign_line": p.sign_line,
        },
    )
    return w


class OrganiserChecklist(BrowserSafe, anywidget.AnyWidget):
    _esm = bundle("dom.js", "checklist.js")
    texts = traitlets.Dict().tag(sync=True)
    steps = traitlets.List(help="[{id, title, when, items: [{id, text}]}]").tag(sync=True)
    report = traitlets.Dict(help="{steps: [{id, state, label, progress}], summary}").tag(sync=True)

    def __init__(self, online: OnlineGroups, t: UIText):
        self._online = online
        self._t = t
        super().__init__(
            texts={k: t[k] for k in CHECK_KEYS},
            steps=[
                {"id": s.id, "title": s.title, "when": s.when, "items": [{"id": i.id, "text": i.text} for i in s.items]}
                for s in online.checklist
            ],
        )
        self.on_msg(self._on_browser_message)

    def _on_browser_message(self, _widget, message, _buffers) -> None:
        if isinstance(message, dict) and message.get("kind") == "status":
            now = logic.parse_local(message.get("now")) or datetime.now().replace(second=0, microsecond=0)
            self.update(
                logic.clean_done(self._online.checklist, message.get("done")),
                logic.parse_local(message.get("start")),
                now,
            )

    def update(self, done: set[str], start: datetime | None, now: datetime) -> dict:
        t = self._t
        rows = []
        statuses = logic.status(self._online.checklist, done, start, now)
        for st in statuses:
            label = t["check-state-" + st.state]
            if st.due is not None and st.state != "done":
                label += " " + t["check-due"].format(time=st.due.strftime("%Y-%m-%d %H:%M"))
            rows.append(
                {
                    "id": st.step,
                    "state": st.state,
                    "label": label,
                    "progress": t["check-progress"].format(done=st.done, total=st.total),
                }
            )
        open_count = sum(len(st.open_items) for st in statuses)
        report = {"steps": rows, "summary": t["check-summary"].format(open=open_count)}
        self._set(report=report)
        return report
