"""Module 5's widgets: the case library, the guided role-play and solo rehearsal.

Everything a participant types (names, associations, notes) stays in the browser
(``static/roleplay.js``); the kernel only works out the seats for a number of
participants (:mod:`widgets.roleplay`) and switches the phase timer's format. The
timer announces each phase on the page (a ``kit-timer-phase`` event) and the role-play
shows every role's prompt for it.
"""

from __future__ import annotations

import random

import anywidget
import traitlets

from . import content, roleplay
from .content import Case, Roles, UIText
from .esm import bundle
from .guard import BrowserSafe, VBox

TEXT_PREFIXES = ("rp-", "case-", "solo-", "setting-", "difficulty-", "role-")


def case_dict(c: Case) -> dict:
    return {
        "id": c.id,
        "title": c.title,
        "setting": c.setting,
        "profession": c.profession,
        "themes": list(c.themes),
        "difficulty": c.difficulty,
        "fictional": c.fictional,
        "content_note": c.content_note or "",
        "story": c.story,
        "felt": c.felt,
        "unsaid": c.unsaid,
        "request": c.request,
        "associations": list(c.sample_associations),
    }


def load_cases() -> tuple[list[Case], list[str]]:
    """Every readable case, and a plain message for each file that could not be read."""
    cases, broken = [], []
    for cid in content.case_ids():
        try:
            cases.append(content.case(cid))
        except content.ContentError as exc:
            broken.append(str(exc))
    if not cases and not broken:
        raise content.ContentError("cases/", "there are no cases in this folder")
    return cases, broken


class _KitWidget(BrowserSafe, anywidget.AnyWidget):
    """Traits are set by Python; the page may set none of them (BrowserSafe refuses them)."""

    texts = traitlets.Dict().tag(sync=True)
    cases = traitlets.List().tag(sync=True)
    broken = traitlets.List().tag(sync=True)


class CaseLibrary(_KitWidget):
    _esm = bundle("dom.js", "roleplay.js")
    mode = traitlets.Unicode("library").tag(sync=True)


class SoloRehearsal(_KitWidget):
    _esm = bundle("dom.js", "roleplay.js")
    mode = traitlets.Unicode("solo").tag(sync=True)


class RolePlay(_KitWidget):
    """Pick a case, seat the participants, print their cards, run the session with prompts per role."""

    _esm = bundle("dom.js", "roleplay.js")
    mode = traitlets.Unicode("roleplay").tag(sync=True)
    roles = traitlets.Dict(help="{kind: {name, card, tips}}").tag(sync=True)
    behaviours = traitlets.List(help="[{id, name, prompt}]").tag(sync=True)
    prompts = traitlets.Dict(help="{phase id: {role kind: prompt}}").tag(sync=True)
    online_prompts = traitlets.Dict().tag(sync=True)
    presets = traitlets.List(help="[{id, title, setting}]").tag(sync=True)
    preset = traitlets.Dict(help="The chosen format: {id, setting, phases: {timer phase id: phase name}}").tag(
        sync=True
    )
    plan_id = traitlets.Unicode().tag(sync=True)
    seating = traitlets.Dict(help="{roles: [...], behaviours: [...]} or {error}").tag(sync=True)

    def __init__(self, cases, broken, roles: Roles, texts: dict, timer, **kwargs):
        self.timer = timer
        self._behaviour_ids = [b.id for b in roles.behaviours]
        session = content.session()
        self._session = session
        super().__init__(
            texts=texts,
            cases=cases,
            broken=broken,
            roles={r.kind: {"name": r.name, "card": r.card, "tips": list(r.tips)} for r in roles.roles},
            behaviours=[{"id": b.id, "name": b.name, "prompt": b.prompt} for b in roles.behaviours],
            prompts={k: dict(v) for k, v in roles.phase_prompts.items()},
            online_prompts={k: dict(v) for k, v in roles.online_prompts.items()},
            presets=[{"id": p.id, "title": p.title, "setting": p.setting} for p in session.presets],
            plan_id=timer.plan_id,
            **kwargs,
        )
        self._show_preset(timer.plan_id)
        self.on_msg(self._on_browser_message)

    def _on_browser_message(self, _widget, message, _buffers) -> None:
        if not isinstance(message, dict):
            return
        if message.get("kind") == "seats":
            self.seat(message.get("n"), bool(message.get("behaviours")))
        elif (
            message.get("kind") == "preset"
            and isinstance(message.get("id"), str)
            and any(p.id == message["id"] for p in self._session.presets)
        ):
            self.timer.set_preset(message["id"])
            self._show_preset(message["id"])

    def _show_preset(self, preset_id: str) -> None:
        preset = self._session.preset(preset_id)
        names = {p.id: p.name for p in self._session.phases}
        self._set(
            preset={
                "id": preset.id,
                "setting": preset.setting,
                "phases": {f"{pp.phase}-{i + 1}": names[pp.phase] for i, pp in enumerate(preset.phases)},
            },
            plan_id=self.timer.plan_id,
        )

    def seat(self, n, behaviours: bool = False, rng: random.Random | None = None) -> dict:
        try:
            seats = roleplay.seats(n)
        except roleplay.AssignmentProblem as exc:
            result = {"error": self.texts["rp-seat-problem"].format(problem=str(exc))}
        else:
            given = (
                roleplay.hand_out_behaviours(seats.count("member"), self._behaviour_ids, rng=rng) if behaviours else []
            )
            it = iter(given)
            result = {"roles": seats, "behaviours": [next(it, None) if s == "member" else None for s in seats]}
        self._set(seating=result)
        return result


def _texts(t: UIText) -> dict:
    return {k: v for k, v in t.strings.items() if k.startswith(TEXT_PREFIXES)}


def case_library(t: UIText) -> CaseLibrary:
    cases, broken = load_cases()
    wdg = CaseLibrary(texts=_texts(t), cases=[case_dict(c) for c in cases], broken=broken)
    return wdg


def solo_rehearsal(t: UIText) -> SoloRehearsal:
    cases, broken = load_cases()
    wdg = SoloRehearsal(texts=_texts(t), cases=[case_dict(c) for c in cases], broken=broken)
    return wdg


ROLE_PLAY_PRESET = "abs-45"
"""The role-play's format until the leader chooses another: the American 45-minute one, which
module 5 and the instructor page recommend for a class of about an hour."""


def role_play(t: UIText, preset_id: str = ROLE_PLAY_PRESET):
    """The guided role-play with its phase timer below it."""
    from . import timer as timer_module

    cases, broken = load_cases()
    roles = content.roles()
    content.require_sources(roles.cited_keys(), "roles.yaml")
    session = content.session()
    if not any(p.id == preset_id for p in session.presets):
        preset_id = session.presets[0].id
    timer = timer_module.PhaseTimer.from_preset(preset_id)
    play = RolePlay([case_dict(c) for c in cases], broken, roles, _texts(t), timer)
    box = VBox([play, timer], _dom_classes=("kit-roleplay-box",))
    return box
