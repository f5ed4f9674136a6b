"""The timeline figure spec and its date helpers."""

from __future__ import annotations

import json
from datetime import date

import plotly.graph_objects as go
import pytest

from widgets.content import Bibliography, Timeline, load
from widgets.figures import display_date, event_date, timeline_figure


# --------------------------------------------------------------------------- dates
def test_event_date_year_is_mid_year():
    assert event_date("1957") == date(1957, 7, 1)


def test_event_date_month_is_mid_month():
    assert event_date("1990-05") == date(1990, 5, 15)


def test_event_date_day():
    assert event_date("1896-12-03") == date(1896, 12, 3)


def test_display_date_year():
    assert display_date("1957") == "1957"


def test_display_date_month():
    assert display_date("1990-05") == "May 1990"
    assert display_date("2020-01") == "Jan 2020"


def test_display_date_day():
    assert display_date("1896-12-03") == "3 Dec 1896"
    assert display_date("1974-01-26") == "26 Jan 1974"


# --------------------------------------------------------------------------- the figure
BIB = Bibliography.model_validate(
    {
        "entries": [
            {
                "key": "balint1957",
                "kind": "book",
                "authors": ["Balint M"],
                "title": "The doctor",
                "year": 1957,
                "verified": "page",
                "checked": "A test entry.",
            },
            {
                "key": "elder2020",
                "kind": "web",
                "authors": ["Elder A"],
                "title": "Talk",
                "year": 2020,
                "url": "https://example.org/elder",
                "verified": "page",
            },
            {
                "key": "rcgp2019",
                "kind": "web",
                "authors": ["Smith J", "Jones K"],
                "title": "Plaque",
                "year": 2019,
                "url": "https://example.org/rcgp",
                "verified": "page",
            },
        ]
    }
)

TL = Timeline.model_validate(
    {
        "lanes": [
            {"id": "balints", "label": "The Balints"},
            {"id": "britain", "label": "Britain"},
            {"id": "empty", "label": "Nobody here"},
        ],
        "events": [
            {
                "id": "born",
                "date": "1896-12-03",
                "lane": "balints",
                "title": "Balint is born",
                "detail": "Born in Budapest.",
                "sources": ["balint1957"],
            },
            {
                "id": "left",
                "date": "1939",
                "lane": "balints",
                "title": "The Balints leave Hungary",
                "detail": "They settle in Manchester.",
                "sources": ["elder2020"],
                "disputed": {
                    "note": "One source says 1938.",
                    "alternatives": [{"date": "1938", "sources": ["rcgp2019"]}],
                },
            },
            {
                "id": "seminars",
                "date": "1950-10",
                "lane": "britain",
                "title": "London seminars",
                "detail": "The first group meets.",
                "sources": ["balint1957", "rcgp2019"],
            },
        ],
    }
)


@pytest.fixture(scope="module")
def spec():
    return timeline_figure(TL, BIB, disputed_label="Sources disagree")


def test_one_trace_per_lane_with_events_and_one_per_dispute(spec):
    # Two lanes have events (the third is empty) and one event is disputed.
    assert len(spec["data"]) == 3
    assert [t.get("name") for t in spec["data"][:2]] == ["The Balints", "Britain"]


def test_marker_traces_x_and_y(spec):
    balints, britain = spec["data"][0], spec["data"][1]
    assert balints["mode"] == "markers"
    assert balints["x"] == ["1896-12-03", "1939-07-01"]
    assert balints["y"] == ["The Balints", "The Balints"]
    assert britain["x"] == ["1950-10-15"]
    assert britain["y"] == ["Britain"]


def test_disputed_event_is_a_diamond(spec):
    assert spec["data"][0]["marker"]["symbol"] == ["circle", "diamond"]
    assert spec["data"][1]["marker"]["symbol"] == ["circle"]


def test_dashed_line_joins_disputed_dates(spec):
    line = spec["data"][2]
    assert line["mode"] == "lines+markers"
    assert line["line"]["dash"] == "dash"
    assert line["x"] == ["1938-07-01", "1939-07-01"]
    assert line["y"] == ["The Balints", "The Balints"]
    assert line["showlegend"] is False
    assert line["hoverinfo"] == "skip"


def test_hover_text(spec):
    born, left = spec["data"][0]["text"]
    assert born.startswith("<b>3 Dec 1896: Balint is born</b>")
    assert "Born in Budapest." in born
    assert "<i>Balint 1957</i>" in born
    assert "Sources disagree" not in born
    assert left.startswith("<b>1939: The Balints leave Hungary</b>")
    assert "<i>Elder 2020</i>" in left
    assert "<b>Sources disagree:</b> One source says 1938." in left
    seminars = spec["data"][1]["text"][0]
    assert seminars.startswith("<b>Oct 1950: London seminars</b>")
    assert "<i>Balint 1957; Smith and Jones 2019</i>" in seminars


def test_long_detail_is_wrapped():
    words = " ".join(["word"] * 40)  # 199 characters
    tl = Timeline.model_validate(
        {
            "lanes": [{"id": "a", "label": "A"}],
            "events": [
                {"id": "e", "date": "2000", "lane": "a", "title": "T", "detail": words, "sources": ["balint1957"]}
            ],
        }
    )
    text = timeline_figure(tl, BIB)["data"][0]["text"][0]
    detail = text.split("</b><br>", 1)[1].split("<br><i>", 1)[0]
    lines = detail.split("<br>")
    assert len(lines) == 4
    assert all(len(line) <= 60 for line in lines)
    assert " ".join(lines) == words


def test_unknown_source_key_is_shown_as_is():
    tl = Timeline.model_validate(
        {
            "lanes": [{"id": "a", "label": "A"}],
            "events": [
                {"id": "e", "date": "2000", "lane": "a", "title": "T", "detail": "D", "sources": ["not-in-bib"]}
            ],
        }
    )
    assert "<i>not-in-bib</i>" in timeline_figure(tl, BIB)["data"][0]["text"][0]


def test_layout(spec):
    layout = spec["layout"]
    assert layout["height"] == 120 + 48 * 3
    assert layout["xaxis"]["type"] == "date"
    assert layout["xaxis"]["range"] == ["1893-01-01", "1953-12-31"]
    assert layout["yaxis"]["categoryarray"] == ["Nobody here", "Britain", "The Balints"]


def test_spec_is_plain_json(spec):
    assert json.loads(json.dumps(spec)) == spec


def test_spec_is_valid_plotly(spec):
    fig = go.Figure(spec)
    assert len(fig.data) == 3
    assert fig.data[2].line.dash == "dash"


def test_real_timeline_spec_is_valid_plotly(monkeypatch):
    monkeypatch.delenv("BALINT_KIT_DATA", raising=False)
    spec = timeline_figure(load("timeline.yaml"), load("bibliography.yaml"))
    fig = go.Figure(spec)
    assert len(fig.data) >= 9


# --------------------------------------------------------------------------- module 3's formats chart
def test_the_formats_chart_is_a_valid_figure_with_its_minutes_on_the_bars():
    from widgets import content
    from widgets.figures import PHASE_COLOURS, ink, presets_figure

    session = content.session()
    spec = presets_figure(session)
    go.Figure(spec)  # plotly checks every property (raises on a wrong one)
    by_name = {trace["name"]: trace for trace in spec["data"]}
    ground_rules = by_name["Ground rules"]
    # Ground rules appear in the online format and the demonstration only, each 1-2 min, suggested 2,
    # the middle rounded by the kit: marked with the dagger.
    assert ground_rules["y"] == ["Online group (Chinese expert consensus)", "Online demonstration with observers"]
    assert ground_rules["text"] == ["2†", "2†"]
    assert "the kit's rounding of the source's range" in ground_rules["customdata"][0]
    assert by_name["Group discussion"]["text"][:3] == ["25", "30", "24"]  # online, classic, American
    # The format names stand above the bars (no tick labels eating the width).
    assert spec["layout"]["yaxis"]["showticklabels"] is False
    assert [a["text"] for a in spec["layout"]["annotations"]][0] == "<b>Online group (Chinese expert consensus)</b>"
    assert len(spec["layout"]["annotations"]) == 6
    # Ten colours, all different, each with the ink that reads on it.
    assert len(set(PHASE_COLOURS)) == 10
    assert ink("#f0e442") == "#000000" and ink("#332288") == "#ffffff" and ink("#0072b2") == "#ffffff"
    assert [t["marker"]["color"] for t in spec["data"]][:3] == ["#0072b2", "#e69f00", "#009e73"]
