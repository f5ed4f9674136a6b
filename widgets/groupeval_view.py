"""Stockman's six statements, for a learner, and the instructor's class view (``static/groupeval.js``).

Both widgets only carry text from ``data/group_evaluation.yaml`` and ``data/ui/en.yaml``:
the learner's answers stay in the browser, and when the learner chooses to send them to a
class, the browser sends them straight to the course site's class poll
(:mod:`kitserver.poll_store` behind :mod:`kitserver.poll_handlers`). The kernel never receives them.
"""

from __future__ import annotations

import os

import anywidget
import traitlets

from .content import GroupEvaluation, UIText
from .esm import bundle
from .guard import BrowserSafe

LEARNER_KEYS = (
    "ge-send-title",
    "ge-send-explain",
    "ge-class-code",
    "ge-send",
    "ge-need-code",
    "ge-need-all",
    "ge-sending",
    "ge-status-received",
    "ge-status-already-sent",
    "ge-status-unknown-class",
    "ge-status-invalid",
    "ge-status-failed",
    "ge-status-forbidden",
    "ge-status-unavailable",
    "ge-status-too-many",
)
INSTRUCTOR_KEYS = (
    "cp-title",
    "cp-explain",
    "cp-open",
    "cp-opened",
    "cp-code",
    "cp-key",
    "cp-key-explain",
    "cp-refresh",
    "cp-loading",
    "cp-failed",
    "cp-responses",
    "cp-hidden",
    "cp-shown-some",
    "cp-shown-all",
    "cp-next",
    "cp-statement",
    "cp-table-caption",
    "cp-unknown-class",
    "cp-wrong-key",
    "cp-forbidden",
    "cp-unavailable",
    "cp-too-many",
)


class GroupEvaluationWidget(BrowserSafe, anywidget.AnyWidget):
    """The six statements with a 0-9 scale (``mode='learner'``) or the class view (``'instructor'``)."""

    _esm = bundle("dom.js", "groupeval.js")
    mode = traitlets.Unicode("learner").tag(sync=True)
    meta = traitlets.Dict().tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)


def build(ge: GroupEvaluation, t: UIText, mode: str = "learner") -> GroupEvaluationWidget:
    keys = LEARNER_KEYS if mode == "learner" else INSTRUCTOR_KEYS
    widget = GroupEvaluationWidget(
        mode=mode,
        meta={
            "title": ge.title,
            "intro": ge.intro,
            "minimum": ge.minimum,
            "maximum": ge.maximum,
            "low_label": ge.low_label,
            "high_label": ge.high_label,
            "labels_note": ge.labels_note,
            "statements": [{"id": s.id, "text": s.text} for s in ge.statements],
        },
        texts={k: t[k] for k in keys},
    )
    if mode == "learner":
        # What a learner should know before sending depends on who can send: under JupyterHub
        # (the kernel has the hub's JUPYTERHUB_USER) each login answers a class once; on the
        # plain site anyone can, the class's own instructor included.
        caution = "ge-send-caution-login" if os.environ.get("JUPYTERHUB_USER") else "ge-send-caution-open"
        widget.meta = {**widget.meta, "caution": t[caution]}
    return widget
