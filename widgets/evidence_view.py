"""Module 8's evidence explorer: every study as a filterable table, and a chart of effect sizes.

The studies come from ``data/evidence.yaml``; the filters run in the browser
(``static/evidence.js``), so narrowing the table needs no round trip to the kernel. An
empty cell means the figure is not known, and the study's own note says what is missing.
"""

from __future__ import annotations

import html

import anywidget
import traitlets

from . import content, figures
from .content import Bibliography, Evidence, UIText
from .esm import bundle
from .guard import BrowserSafe

TEXT_KEYS = (
    "ev-title",
    "ev-filter-design",
    "ev-filter-outcome",
    "ev-filter-country",
    "ev-all",
    "ev-showing",
    "ev-col-study",
    "ev-col-design",
    "ev-col-population",
    "ev-col-n",
    "ev-col-sessions",
    "ev-col-measures",
    "ev-col-result",
    "ev-not-known",
    "ev-unknown",
    "ev-chart-title",
    "ev-chart-label",
    "ev-none",
    "chart-loading",
    "chart-unavailable",
    "ev-outcome-empathy",
    "ev-outcome-burnout",
    "ev-outcome-wellbeing",
    "ev-outcome-attitudes",
    "ev-outcome-professional-identity",
    "ev-outcome-feasibility",
    "ev-outcome-other",
    "ev-no-ci",
    "ev-reset",
)


def study_rows(ev: Evidence, bib: Bibliography) -> list[dict]:
    """The table's rows: plain values, with the publication's link and short citation."""
    rows = []
    for s in ev.studies:
        ref = bib.by_key[s.reference]
        rows.append(
            {
                "id": s.id,
                "title": s.title,
                "cite": ref.short,
                "key": s.reference,
                "link": ref.link or "",
                "design": s.design,
                "population": s.population,
                "country": s.country or "",
                "n": s.sample_size,
                "sessions": s.sessions or "",
                "measures": s.measures,
                "outcomes": list(s.outcomes),
                "result": s.main_result,
                "unknown": s.unknown or "",
            }
        )
    return rows


def effects_figure(ev: Evidence, no_ci: str, bib: Bibliography) -> dict | None:
    """Every reported effect size with its 95% CI, one row each, labelled with its subgroup and its short
    citation ('Nurses (Gong et al. 2024)'); None when the data has none."""
    rows = [(s, e) for s in ev.studies for e in s.effects]
    if not rows:
        return None
    return figures.forest_figure(
        [f"{e.label} ({bib.by_key[s.reference].short})" for s, e in rows],
        [e.estimate for _, e in rows],
        [e.ci_low for _, e in rows],
        [e.ci_high for _, e in rows],
        rows[0][1].measure,
        no_ci,
    )


class EvidenceExplorer(BrowserSafe, anywidget.AnyWidget):
    """The studies of data/evidence.yaml with filters, and the effect sizes as a chart."""

    _esm = bundle("dom.js", "plotly_load.js", "evidence.js")
    texts = traitlets.Dict().tag(sync=True)
    rows = traitlets.List().tag(sync=True)
    figure = traitlets.Dict().tag(sync=True)
    chart_label = traitlets.Unicode().tag(sync=True)
    asset_version = traitlets.Unicode("1").tag(sync=True)


def explorer(t: UIText, asset_version: str) -> EvidenceExplorer:
    ev = content.evidence()
    bib = content.require_sources(ev.cited_keys(), "evidence.yaml")
    fig = effects_figure(ev, t["ev-no-ci"], bib) or {}
    effects = [
        f"{bib.by_key[s.reference].short}, {e.label}: {e.measure} {e.estimate:g}"
        + (f" ({e.ci_low:g} to {e.ci_high:g})" if e.ci_low is not None else "")
        for s in ev.studies
        for e in s.effects
    ]
    widget = EvidenceExplorer(
        texts={k: t[k] for k in TEXT_KEYS},
        rows=study_rows(ev, bib),
        figure=fig,
        chart_label=t["ev-chart-label"].format(effects="; ".join(effects)),
        asset_version=asset_version,
    )
    return widget


def summary_html(t: UIText) -> str:
    ev = content.evidence()
    bib = content.require_sources(ev.cited_keys(), "evidence.yaml")
    points = "".join(f"<li>{html.escape(p)}</li>" for p in ev.summary)
    return (
        f'<section class="kit-card kit-evidence-summary" aria-label="{html.escape(t["ev-summary-title"])}">'
        f"<h3>{html.escape(t['ev-summary-title'])}</h3><ol>{points}</ol>"
        f'<p class="kit-muted kit-small">{html.escape(t["sim-sources"])} {bib.cite_html(ev.summary_sources)}</p></section>'
    )
