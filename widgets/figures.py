"""Plotly figure specifications built as plain dictionaries.

Figures are plotly.js specs (``{"data": [...], "layout": {...}}``) rather than
``plotly.graph_objects`` objects: a page then needs neither plotly.py's
validators nor pandas in its kernel, which keeps each page's start-up cost close
to a bare notebook. The tests check every spec against plotly's own schema.
This module imports no widget library.
"""

from __future__ import annotations

import itertools
from datetime import date

from .content import Bibliography, Timeline

LANE_COLOURS = ["#0a5a86", "#b4541d", "#2f7d4f", "#7a4aa0", "#a3245c", "#3b6e8f", "#8a6d00", "#555f69", "#00796b"]


def event_date(text: str) -> date:
    """The date a 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' string stands for on the axis (mid-period)."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return date(parts[0], 7, 1)
    if len(parts) == 2:
        return date(parts[0], parts[1], 15)
    return date(parts[0], parts[1], parts[2])


def display_date(text: str) -> str:
    """'1896-12-03' → '3 Dec 1896'; '1990-05' → 'May 1990'; '1957' → '1957'."""
    parts = text.split("-")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return f"{months[int(parts[1]) - 1]} {parts[0]}"
    return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"


def _wrap(text: str, width: int = 60) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def timeline_figure(tl: Timeline, bib: Bibliography, disputed_label: str = "Sources disagree") -> dict:
    """A timeline: one row per lane, one marker per event, dashed lines joining disputed dates."""
    lanes = [lane.label for lane in tl.lanes]
    lane_label = {lane.id: lane.label for lane in tl.lanes}
    data: list[dict] = []
    for n, lane in enumerate(tl.lanes):
        events = [e for e in tl.events if e.lane == lane.id]
        if not events:
            continue
        hover = []
        for e in events:
            cites = "; ".join(bib.by_key[k].short if k in bib.by_key else k for k in e.sources)
            text = f"<b>{display_date(e.date)}: {e.title}</b><br>{_wrap(e.detail)}<br><i>{cites}</i>"
            if e.disputed:
                text += f"<br><b>{disputed_label}:</b> {_wrap(e.disputed.note)}"
            hover.append(text)
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": lane.label,
                "x": [event_date(e.date).isoformat() for e in events],
                "y": [lane.label] * len(events),
                "text": hover,
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {
                    "size": 13,
                    "color": LANE_COLOURS[n % len(LANE_COLOURS)],
                    "symbol": ["diamond" if e.disputed else "circle" for e in events],
                    "line": {"width": 1, "color": "#ffffff"},
                },
            }
        )
    for e in tl.events:
        if not e.disputed:
            continue
        dates = [e.date] + [alt.date for alt in e.disputed.alternatives]
        xs = sorted(event_date(d).isoformat() for d in dates)
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": xs,
                "y": [lane_label[e.lane]] * len(xs),
                "line": {"dash": "dash", "width": 2, "color": "#8a6d00"},
                "marker": {"size": 8, "symbol": "line-ns-open", "color": "#8a6d00"},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    years = [event_date(e.date).year for e in tl.events]
    return {
        "data": data,
        "layout": {
            "height": 120 + 48 * len(lanes),
            "margin": {"l": 150, "r": 20, "t": 30, "b": 40},
            "showlegend": False,
            "hovermode": "closest",
            "hoverlabel": {"align": "left"},
            "xaxis": {
                "type": "date",
                "range": [f"{min(years) - 3}-01-01", f"{max(years) + 3}-12-31"],
                "showgrid": True,
            },
            "yaxis": {"categoryorder": "array", "categoryarray": list(reversed(lanes)), "automargin": True},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


PHASE_COLOURS = [
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#332288",
    "#f0e442",
    "#882255",
    "#117733",
]
"""One colour per phase of data/session.yaml, in its order (Okabe and Ito's colour-blind safe set,
with Tol's indigo, wine and green): ten colours told apart by hue and lightness, not ten blues."""


def ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG contrast of relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def phase_colour(session, phase_id: str) -> str:
    """The colour of a phase: the same in the formats chart, the planner's bar and anywhere else."""
    order = [p.id for p in session.phases]
    n = order.index(phase_id) if phase_id in order else len(order)
    return PHASE_COLOURS[n % len(PHASE_COLOURS)]


def presets_figure(
    session,
    kit_label: str = "the kit's suggestion",
    rounded_label: str = "the kit's rounding of the source's range",
    mark: str = "†",
    axis_title: str = "minutes",
    hover: str = "{phase}: {suggested} min suggested, range {range} min",
) -> dict:
    """Presets one above the other: one bar each, its phases stacked at their suggested minutes.

    Each format's name stands above its bar (so the bars use the chart's whole width), each
    segment shows its minutes (with ``mark`` where the kit rounded a source's range), segments
    whose minutes no source gives (the kit's suggestion) are hatched, and the hover text gives
    each phase's range and where its minutes come from.
    """
    order = [p.id for p in session.phases]
    names = {p.id: p.name for p in session.phases}
    titles = [p.title for p in session.presets]
    data = []
    for phase_id in order:
        xs, ys, texts, hovers, patterns = [], [], [], [], []
        for preset in session.presets:
            for pp in preset.phases:
                if pp.phase == phase_id:
                    xs.append(pp.suggested)
                    ys.append(preset.title)
                    texts.append(f"{pp.suggested:g}{mark if pp.rounded else ''}")
                    rng = f"{pp.min:g}–{pp.max:g}" if pp.min != pp.max else f"{pp.min:g}"
                    origin = (
                        f" ({kit_label})" if pp.kit_suggestion else f" ({mark} {rounded_label})" if pp.rounded else ""
                    )
                    line = hover.format(phase=names[phase_id], suggested=f"{pp.suggested:g}", range=rng)
                    hovers.append(f"<b>{preset.title}</b><br>{line}{origin}")
                    patterns.append("/" if pp.kit_suggestion else "")
        if not xs:
            continue
        colour = phase_colour(session, phase_id)
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": names[phase_id],
                "x": xs,
                "y": ys,
                "text": texts,
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textangle": 0,
                "textfont": {"color": ink(colour), "size": 13},
                "constraintext": "inside",
                "customdata": hovers,
                "hovertemplate": "%{customdata}<extra></extra>",
                "marker": {
                    "color": colour,
                    "line": {"width": 1, "color": "#ffffff"},
                    # overlay: the phase colour fills the bar and the hatching is drawn on top of it
                    "pattern": {
                        "shape": patterns,
                        "fillmode": "overlay",
                        "fgcolor": ink(colour),
                        "size": 8,
                        "solidity": 0.15,
                    },
                },
            }
        )

    # Each format's name above its bar, at the left edge, instead of a tick label that would
    # take a third of the width (the names are long).
    def names(wrap: int | None, size: int, shift: int) -> list[dict]:
        return [
            {
                "x": 0,
                "xref": "paper",
                "xanchor": "left",
                "y": title,
                "yref": "y",
                "yanchor": "bottom",
                "yshift": shift,
                "text": "<b>" + (_wrap(title, wrap) if wrap else title).replace("<br>", "</b><br><b>") + "</b>",
                "showarrow": False,
                "align": "left",
                "font": {"size": size},
            }
            for title in titles
        ]

    annotations = names(None, 14, 17)
    # On a phone (static/plotly_load.js applies this below 560 px): names on two lines, more room
    # between the bars for them, and the legend further down, clear of the axis title.
    narrow = {
        "annotations": names(30, 13, 21),
        "height": 300 + 100 * len(titles),
        "bargap": 0.6,
        "margin": {"l": 6, "r": 6, "t": 50, "b": 60},
        "legend": {
            "orientation": "h",
            "yanchor": "top",
            "y": -0.1,
            "x": 0,
            "traceorder": "normal",
            "font": {"size": 12},
        },
    }
    return {
        "data": data,
        "layout": {
            "barmode": "stack",
            "bargap": 0.5,
            "height": 150 + 86 * len(titles),
            "margin": {"l": 8, "r": 8, "t": 34, "b": 40},
            "xaxis": {"title": {"text": axis_title}, "showgrid": True, "dtick": 10, "rangemode": "tozero"},
            "yaxis": {"categoryorder": "array", "categoryarray": list(reversed(titles)), "showticklabels": False},
            "annotations": annotations,
            "uniformtext": {"mode": "hide", "minsize": 11},
            "meta": {"kit_narrow": narrow, "kit_narrow_below": 560},
            "legend": {
                "orientation": "h",
                "yanchor": "top",
                "y": -0.12,
                "x": 0,
                "traceorder": "normal",
                "font": {"size": 13},
            },
            "hovermode": "closest",
            "hoverlabel": {"align": "left"},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def skill_profile_figure(profile: list[tuple[str, float | None]], not_at_stake: str = "not at stake") -> dict:
    """Horizontal bars, 0 to 100, one per leader skill; a skill not at stake gets a note, no bar."""
    names = [_wrap(name, 28) for name, _ in profile]
    values = [value if value is not None else 0 for _, value in profile]
    text = [f"{value:.0f}" if value is not None else not_at_stake for _, value in profile]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": names,
                "x": values,
                "text": text,
                "textposition": "outside",
                "cliponaxis": False,
                "marker": {"color": "#0a5a86"},
                "hoverinfo": "skip",
            }
        ],
        "layout": {
            "height": 80 + 56 * len(profile),
            "margin": {"l": 220, "r": 110, "t": 10, "b": 40},
            "xaxis": {"range": [0, 100], "dtick": 25, "fixedrange": True},
            "yaxis": {"autorange": "reversed", "fixedrange": True},
            "showlegend": False,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def scenario_map_figure(moments: list[dict], depth: dict[str, int], path: list[str], labels: dict[str, str]) -> dict:
    """The scenario's moments as a left-to-right map, the learner's path drawn over it.

    ``moments``: ``[{"id", "hover", "ending", "next": [ids]}]``; ``depth``: column per moment;
    ``path``: the moment ids met, in order; ``labels``: legend names for 'path', 'other',
    'ending'.
    """
    columns: dict[int, list[str]] = {}
    for m in moments:
        if m["id"] in depth:
            columns.setdefault(depth[m["id"]], []).append(m["id"])
    pos = {}
    for col, ids in columns.items():
        for row, mid in enumerate(ids):
            pos[mid] = (col, row - (len(ids) - 1) / 2)
    on_path = set(path)
    steps = set(itertools.pairwise(path))
    edge_x: list = []
    edge_y: list = []
    for m in moments:
        for nxt in dict.fromkeys(m["next"]):
            if m["id"] in pos and nxt in pos and (m["id"], nxt) not in steps:
                edge_x += [pos[m["id"]][0], pos[nxt][0], None]
                edge_y += [pos[m["id"]][1], pos[nxt][1], None]
    path_x = [pos[mid][0] for mid in path if mid in pos]
    path_y = [pos[mid][1] for mid in path if mid in pos]

    def nodes(selected, name, colour, symbol, size):
        chosen = [m for m in moments if m["id"] in pos and selected(m)]
        return {
            "type": "scatter",
            "mode": "markers+text",
            "name": name,
            "x": [pos[m["id"]][0] for m in chosen],
            "y": [pos[m["id"]][1] for m in chosen],
            "text": [str(path.index(m["id"]) + 1) if m["id"] in on_path else "" for m in chosen],
            "textposition": "middle center",
            "textfont": {"color": "#ffffff", "size": 12},
            "hovertext": [_wrap(m["hover"], 50) for m in chosen],
            "hoverinfo": "text",
            "marker": {"color": colour, "symbol": symbol, "size": size, "line": {"width": 1, "color": "#555f69"}},
        }

    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "x": edge_x,
                "y": edge_y,
                "hoverinfo": "skip",
                "line": {"color": "#9aa5b1", "width": 1.5},
                "showlegend": False,
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": path_x,
                "y": path_y,
                "hoverinfo": "skip",
                "line": {"color": "#b4541d", "width": 4},
                "name": labels["path"],
            },
            nodes(lambda m: m["id"] not in on_path and not m["ending"], labels["other"], "#d5dbe1", "circle", 18),
            nodes(lambda m: m["id"] not in on_path and m["ending"], labels["ending"], "#d5dbe1", "square", 18),
            {**nodes(lambda m: m["id"] in on_path, labels["path"], "#b4541d", "circle", 24), "showlegend": False},
        ],
        "layout": {
            "height": 140 + 52 * max((len(ids) for ids in columns.values()), default=1),
            "margin": {"l": 20, "r": 20, "t": 10, "b": 30},
            "xaxis": {"visible": False, "fixedrange": True},
            "yaxis": {"visible": False, "fixedrange": True},
            "legend": {"orientation": "h", "y": -0.05},
            "showlegend": True,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


SCALE_COLOURS = ["#0a5a86", "#b4541d", "#2f7d4f"]


def scale_scores_figure(
    rows: list[tuple[str, float | None]], threshold: float | None, threshold_label: str, no_score: str
) -> dict:
    """One bar per scale (0 to 100); a dashed line at the threshold; a scale without a score is named."""
    names = [_wrap(name, 26) for name, _ in rows]
    layout = {
        "height": 90 + 60 * len(rows),
        "margin": {"l": 200, "r": 90, "t": 30, "b": 40},
        "xaxis": {"range": [0, 100], "dtick": 25, "fixedrange": True},
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "showlegend": False,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    if threshold is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "x0": threshold,
                "x1": threshold,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dash", "color": "#8a6d00", "width": 2},
            }
        ]
        layout["annotations"] = [
            {
                "x": threshold,
                "y": 1.0,
                "yref": "paper",
                "yanchor": "bottom",
                "text": threshold_label,
                "showarrow": False,
                "font": {"size": 12},
            }
        ]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": names,
                "x": [v if v is not None else 0 for _, v in rows],
                "text": [f"{v:.1f}" if v is not None else no_score for _, v in rows],
                "textposition": "outside",
                "cliponaxis": False,
                "hoverinfo": "skip",
                "marker": {"color": SCALE_COLOURS[: len(rows)] * (1 + len(rows) // 3)},
            }
        ],
        "layout": layout,
    }


def trend_figure(dates: list[str], series: list[tuple[str, list[float | None]]], threshold: float | None) -> dict:
    """Scale scores across attempts, one line per scale; gaps where a scale had no score."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": dates,
            "y": values,
            "connectgaps": False,
            "line": {"color": SCALE_COLOURS[n % 3], "width": 2},
            "marker": {"size": 8},
            "hovertemplate": "%{x}: %{y:.1f}<extra>" + name + "</extra>",
        }
        for n, (name, values) in enumerate(series)
    ]
    layout = {
        "height": 320,
        "margin": {"l": 50, "r": 20, "t": 20, "b": 50},
        "xaxis": {"type": "category", "fixedrange": True},
        "yaxis": {"range": [0, 100], "dtick": 25, "fixedrange": True},
        "legend": {"orientation": "h", "y": -0.2},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    if threshold is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": threshold,
                "y1": threshold,
                "line": {"dash": "dash", "color": "#8a6d00", "width": 2},
            }
        ]
    return {"data": data, "layout": layout}


def forest_figure(
    labels: list[str],
    estimates: list[float],
    lows: list[float | None],
    highs: list[float | None],
    measure: str,
    no_ci: str,
) -> dict:
    """Effect sizes as points with 95% confidence intervals; a point without an interval says so."""
    has_ci = [lo is not None for lo in lows]
    hover = [
        f"{_wrap(label, 50)}<br>{measure} {est:g}" + (f" (95% CI {lo:g} to {hi:g})" if ok else f" ({no_ci})")
        for label, est, lo, hi, ok in zip(labels, estimates, lows, highs, has_ci, strict=True)
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": estimates,
                "y": [_wrap(x, 40) for x in labels],
                "marker": {
                    "size": 11,
                    "color": "#0a5a86",
                    "symbol": ["square" if ok else "diamond-open" for ok in has_ci],
                },
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": [(hi - est) if ok else 0 for est, hi, ok in zip(estimates, highs, has_ci, strict=True)],
                    "arrayminus": [
                        (est - lo) if ok else 0 for est, lo, ok in zip(estimates, lows, has_ci, strict=True)
                    ],
                    "color": "#0a5a86",
                    "thickness": 2,
                    "width": 6,
                },
                "hovertext": hover,
                "hoverinfo": "text",
            }
        ],
        "layout": {
            "height": 120 + 60 * len(labels),
            "margin": {"l": 300, "r": 30, "t": 20, "b": 50},
            "xaxis": {"title": {"text": measure}, "zeroline": True, "zerolinewidth": 2, "fixedrange": True},
            "yaxis": {"autorange": "reversed", "fixedrange": True},
            "showlegend": False,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }
