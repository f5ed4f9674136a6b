"""Module 2's widgets: the ground rules as cards, and "is the frame holding?"."""

from __future__ import annotations

import html

from . import content
from .content import Quiz, UIText


def rule_cards(t: UIText) -> str:
    g = content.ground_rules()
    bib = content.require_sources(g.cited_keys(), "ground_rules.yaml")
    cards = []
    for r in g.rules:
        cites = bib.cite_html(r.sources)
        badge = f'<span class="kit-status">{html.escape(t["rules-online"])}</span> ' if r.online else ""
        cards.append(
            f'<article class="kit-rule" data-rule="{r.id}"><h3>{badge}{html.escape(r.title)}</h3>'
            f"<p>{html.escape(r.text)}</p>"
            f'<p class="kit-rule-why"><b>{html.escape(t["rules-why"])}</b> {html.escape(r.why)}</p>'
            f'<p class="kit-muted kit-small">{cites}</p></article>'
        )
    return (
        f'<section class="kit-card kit-rules" aria-label="{html.escape(t["rules-title"])}">{"".join(cards)}</section>'
    )


def frame_quiz(t: UIText) -> Quiz:
    """Each scenario as a question: the frame holds, or one of three rules is at stake.

    The options are "the frame holds" and three rules: the one at stake (if any) and others
    taken in turn from the list, so every scenario offers plausible alternatives.
    """
    g = content.ground_rules()
    rules = g.rules
    by_id = {r.id: r for r in rules}
    items = []
    for n, sc in enumerate(g.scenarios):
        chosen = [sc.at_stake] if sc.at_stake != "holds" else []
        k = n
        while len(chosen) < 3 and len(chosen) < len(rules):
            candidate = rules[(k * 3 + 1) % len(rules)].id
            if candidate not in chosen:
                chosen.append(candidate)
            k += 1
        order = [r.id for r in rules if r.id in chosen]
        holds_right = sc.at_stake == "holds"
        options = [
            {
                "text": t["frame-holds"],
                "correct": holds_right,
                # A wrong choice hears why it is wrong, not the answer: the scenario's explanation
                # is the right option's feedback, shown once that option is found or revealed.
                "feedback": sc.feedback if holds_right else t["frame-at-risk"],
            }
        ]
        for rid in order:
            right = rid == sc.at_stake
            options.append(
                {
                    "text": t["frame-rule-at-stake"].format(rule=by_id[rid].title),
                    "correct": right,
                    "feedback": sc.feedback if right else t["frame-not-this-rule"],
                }
            )
        prompt = sc.situation if not sc.content_note else f"{t['content-note']} {sc.content_note} — {sc.situation}"
        items.append({"id": sc.id, "kind": "single", "prompt": prompt, "options": options, "sources": list(sc.sources)})
    return Quiz.model_validate({"module": "02_frame_exercise", "title": t["frame-title"], "items": items})
