"""The leader simulator: its engine, its graph checks, the scenario library and the widget."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import content, simulator
from widgets.content import Scenario

SKILLS = ["protects-presenter", "keeps-frame", "opens-feelings", "withholds-solutions", "tolerates-uncertainty"]


def choice(cid, nxt, **scores):
    return {
        "id": cid,
        "text": f"move {cid} to {nxt}",
        "response": "the group responds",
        "feedback": f"feedback {cid} {nxt} {sorted(scores.items())}",
        "scores": {k.replace("_", "-"): v for k, v in scores.items()} or {"keeps-frame": 0},
        "next": nxt,
    }


def moment(mid, *choices):
    return {"id": mid, "situation": f"situation {mid}", "choices": list(choices), "sources": ["johnson2004"]}


def small() -> Scenario:
    """Two decisions, two endings; the scores below are worked out by hand in the tests."""
    return Scenario.model_validate(
        {
            "id": "small",
            "title": "Small",
            "setting": "in-person",
            "summary": "A test scenario.",
            "fictional": "Fictional.",
            "start": "m1",
            "moments": [
                moment(
                    "m1",
                    choice("a", "m2", protects_presenter=2),
                    choice("b", "m2", protects_presenter=-1, withholds_solutions=1),
                    choice("c", "end-poor", protects_presenter=0),
                ),
                moment(
                    "m2",
                    choice("a", "end-good", withholds_solutions=2),
                    choice("b", "end-poor", withholds_solutions=-2),
                    choice("c", "end-good", withholds_solutions=0, tolerates_uncertainty=1),
                ),
                moment("end-good"),
                moment("end-poor"),
            ],
        }
    )


# --------------------------------------------------------------------------- engine
def test_a_run_follows_the_choices_to_an_ending():
    run = simulator.Run(small(), SKILLS)
    assert run.current.id == "m1" and not run.finished
    picked = run.choose("b")
    assert picked.next == "m2" and run.current.id == "m2"
    run.choose("c")
    assert run.finished and run.current.id == "end-good"
    assert [(s.moment, s.choice) for s in run.path] == [("m1", "b"), ("m2", "c")]


def test_profile_worked_by_hand_best_path():
    run = simulator.Run(small(), SKILLS)
    run.choose("a")
    run.choose("a")
    # protects: got 2 of best 2, worst -1 -> 100. withholds: m1 (0; best 1, worst 0) + m2 (2; best 2,
    # worst -2) = got 2, best 3, worst -2 -> 4/5 = 80. tolerates: m2 only (0; best 1, worst 0) -> 0.
    assert run.profile() == {
        "protects-presenter": 100.0,
        "keeps-frame": None,
        "opens-feelings": None,
        "withholds-solutions": 80.0,
        "tolerates-uncertainty": 0.0,
    }


def test_profile_worked_by_hand_short_path():
    run = simulator.Run(small(), SKILLS)
    run.choose("c")
    assert run.finished and run.current.id == "end-poor"
    # protects: got 0, best 2, worst -1 -> 1/3 = 33.3; withholds: got 0, best 1, worst 0 -> 0;
    # tolerates: m2 was never met -> not at stake.
    assert run.profile() == {
        "protects-presenter": 33.3,
        "keeps-frame": None,
        "opens-feelings": None,
        "withholds-solutions": 0.0,
        "tolerates-uncertainty": None,
    }


def test_a_choice_not_offered_is_refused_and_changes_nothing():
    run = simulator.Run(small(), SKILLS)
    with pytest.raises(ValueError, match="'d' is not one of the choices"):
        run.choose("d")
    assert run.current.id == "m1" and run.path == []


def test_restart_forgets_the_path():
    run = simulator.Run(small(), SKILLS)
    run.choose("a")
    run.restart()
    assert run.current.id == "m1" and run.path == [] and run.profile()["protects-presenter"] is None


# --------------------------------------------------------------------------- graph checks
def leadership():
    return content.leadership()


def test_a_sound_scenario_has_no_problems():
    assert simulator.check_scenario(small(), leadership(), ["discussion"]) == []


def test_an_unreachable_moment_is_found():
    raw = small().model_dump()
    raw["moments"].append(
        moment(
            "orphan",
            choice("a", "end-good", keeps_frame=1),
            choice("b", "end-poor", keeps_frame=-1),
            choice("c", "end-good", keeps_frame=0),
        )
    )
    problems = simulator.check_scenario(Scenario.model_validate(raw), leadership())
    assert problems == ["scenario 'small': no path from the start reaches orphan"]


def test_a_loop_is_found():
    raw = small().model_dump()
    raw["moments"][1]["choices"][1]["next"] = "m1"  # m2 b -> back to m1
    problems = simulator.check_scenario(Scenario.model_validate(raw), leadership())
    assert problems == ["scenario 'small': the moments form a loop (m1 → m2 → m1), so a play-through might never end"]


def test_a_choice_leading_nowhere_is_refused_when_the_file_is_read():
    raw = small().model_dump()
    raw["moments"][0]["choices"][0]["next"] = "m9"
    with pytest.raises(ValueError, match="moment 'm1', choice a leads to 'm9', which is not among the moments"):
        Scenario.model_validate(raw)


def test_two_choices_or_five_are_refused():
    raw = small().model_dump()
    raw["moments"][0]["choices"] = raw["moments"][0]["choices"][:2]
    with pytest.raises(ValueError, match="three or four choices, not 2"):
        Scenario.model_validate(raw)


def test_choices_that_all_score_the_same_are_flagged():
    raw = small().model_dump()
    for c in raw["moments"][0]["choices"]:
        c["scores"] = {"keeps-frame": 1}
    problems = simulator.check_scenario(Scenario.model_validate(raw), leadership())
    assert problems == ["scenario 'small', moment 'm1': every choice scores the same, so the choice teaches nothing"]


def test_unknown_tags_are_named():
    raw = small().model_dump()
    raw["moments"][0]["derailments"] = ["advice-giving", "gossip"]
    raw["moments"][0]["phase"] = "tea-break"
    problems = simulator.check_scenario(Scenario.model_validate(raw), leadership(), ["discussion"])
    assert problems == [
        "scenario 'small', moment 'm1': 'gossip' is not a derailment in leadership.yaml",
        "scenario 'small', moment 'm1': 'tea-break' is not a phase in session.yaml",
    ]


def test_library_checks_name_what_is_missing_and_repeated():
    one = small()
    raw = one.model_dump()
    raw["moments"][1]["choices"][0]["feedback"] = raw["moments"][0]["choices"][0]["feedback"].upper()
    problems = simulator.check_library([Scenario.model_validate(raw)], leadership())
    assert problems[0] == "there are 1 scenarios; the simulator needs at least 10"
    assert problems[1].startswith("no scenario covers the derailments advice-giving, interrogation, case-conference")
    assert problems[2] == "no scenario is set online, student-group"
    assert problems[3] == "the feedback of small/m2/a repeats that of small/m1/a"


def test_layers_are_longest_paths_from_the_start():
    assert simulator.layers(small()) == {"m1": 0, "m2": 1, "end-good": 2, "end-poor": 2}


# --------------------------------------------------------------------------- random walks
@st.composite
def dags(draw):
    """A random acyclic scenario: choices only lead to later moments; the last two are endings."""
    n = draw(st.integers(min_value=3, max_value=12))
    moments = []
    for i in range(n - 2):
        k = draw(st.integers(min_value=3, max_value=4))
        choices = []
        for j in range(k):
            nxt = draw(st.integers(min_value=i + 1, max_value=n - 1))
            skill = draw(st.sampled_from(SKILLS))
            choices.append(choice("abcd"[j], f"m{nxt}", **{skill.replace("-", "_"): draw(st.integers(-2, 2))}))
        moments.append(moment(f"m{i}", *choices))
    moments += [moment(f"m{n - 2}"), moment(f"m{n - 1}")]
    raw = {
        "id": "random",
        "title": "R",
        "setting": "online",
        "summary": "S",
        "fictional": "F",
        "start": "m0",
        "moments": moments,
    }
    return Scenario.model_validate(raw)


@settings(deadline=None, max_examples=150)
@given(dags(), st.randoms(use_true_random=False))
def test_random_walks_on_random_graphs_end_with_scores_in_range(scenario, rnd):
    run = simulator.Run(scenario, SKILLS)
    for _ in range(len(scenario.moments)):
        if run.finished:
            break
        run.choose(rnd.choice(run.current.choices).id)
    assert run.finished
    for value in run.profile().values():
        assert value is None or 0 <= value <= 100


def library():
    return [content.scenario(i) for i in content.scenario_ids()]


@settings(deadline=None, max_examples=200)
@given(st.randoms(use_true_random=False))
def test_random_walks_through_every_scenario_of_the_library_end(rnd):
    for scenario in library():
        run = simulator.Run(scenario, SKILLS)
        steps = 0
        while not run.finished:
            run.choose(rnd.choice(run.current.choices).id)
            steps += 1
            assert steps < len(scenario.moments), f"{scenario.id}: the walk did not end"
        assert all(v is None or 0 <= v <= 100 for v in run.profile().values())


# --------------------------------------------------------------------------- the library itself
def test_every_scenario_file_is_sound_and_cites_known_sources():
    lead = leadership()
    phases = [p.id for p in content.session().phases]
    problems = []
    for sid in content.scenario_ids():
        sc = content.scenario(sid)
        content.require_sources(sc.cited_keys(), f"scenarios/{sid}.yaml")
        problems += simulator.check_scenario(sc, lead, phases)
        assert all(m.sources for m in sc.moments), sid  # every moment cites its source
        assert sc.fictional.lower().startswith("this scenario is fictional"), sid
    assert problems == []


def test_the_library_covers_all_sixteen_derailments_and_three_settings():
    assert simulator.check_library(library(), leadership()) == []
    assert len(leadership().derailments) == 16


def test_the_sixteen_derailments_are_numbered_one_to_sixteen():
    assert sorted(d.number for d in leadership().derailments) == list(range(1, 17))


# --------------------------------------------------------------------------- the widget
@pytest.fixture
def widget():
    from widgets.simulator_view import LeaderSimulator

    lead = leadership()
    return LeaderSimulator(
        lead,
        [small()],
        ["The course file data/scenarios/x.yaml has a problem: boom"],
        content.bibliography(),
        content.ui(),
        {"discussion": "Group discussion"},
    )


def send(w, message):
    w._on_browser_message(w, message, [])


def test_the_widget_lists_scenarios_and_broken_files(widget):
    assert widget.view == {"screen": "list"}
    assert [s["id"] for s in widget.scenarios] == ["small"]
    assert widget.broken == ["The course file data/scenarios/x.yaml has a problem: boom"]


def test_the_browser_sees_choices_but_not_their_scores_or_targets(widget):
    send(widget, {"kind": "start", "scenario": "small"})
    view = widget.view
    assert view["screen"] == "play" and view["step"] == 1 and view["last"] is None
    assert view["moment"]["choices"] == [
        {"id": "a", "text": "move a to m2"},
        {"id": "b", "text": "move b to m2"},
        {"id": "c", "text": "move c to end-poor"},
    ]


def test_playing_through_to_the_profile(widget):
    send(widget, {"kind": "start", "scenario": "small"})
    send(widget, {"kind": "choose", "choice": "a"})
    assert widget.view["step"] == 2
    assert widget.view["last"]["feedback"] == "feedback a m2 [('protects_presenter', 2)]"
    assert widget.view["last"]["sources"] == [{"key": "johnson2004", "short": "Johnson et al. 2004"}]
    send(widget, {"kind": "choose", "choice": "a"})
    view = widget.view
    assert view["screen"] == "end"
    assert view["result"]["profile"] == [
        {"skill": "Protects the presenter", "value": 100.0},
        {"skill": "Keeps the frame", "value": None},
        {"skill": "Opens the group to feelings and fantasies", "value": None},
        {"skill": "Withholds solutions", "value": 80.0},
        {"skill": "Tolerates silence and uncertainty", "value": 0.0},
    ]
    assert [p["choice"] for p in view["result"]["path"]] == ["move a to m2", "move a to end-good"]
    assert view["result"]["map_label"] == (
        "A map of the scenario's 4 moments, of which you met 3, including one of its 2 endings. "
        "Your path is listed below the map."
    )


def test_replay_and_back(widget):
    send(widget, {"kind": "start", "scenario": "small"})
    send(widget, {"kind": "choose", "choice": "c"})
    assert widget.view["screen"] == "end"
    send(widget, {"kind": "replay"})
    assert widget.view["screen"] == "play" and widget.view["step"] == 1 and widget.view["last"] is None
    send(widget, {"kind": "back"})
    assert widget.view == {"screen": "list"}


@pytest.mark.parametrize(
    "message",
    [
        {"kind": "choose", "choice": "z"},
        {"kind": "choose", "choice": ["a"]},
        {"kind": "choose"},
        {"kind": "start", "scenario": "no-such"},
        {"kind": "start", "scenario": 3},
        {"kind": "launch"},
        ["start"],
    ],
)
def test_hostile_messages_change_nothing(widget, message):
    send(widget, {"kind": "start", "scenario": "small"})
    before = dict(widget.view)
    send(widget, message)
    assert widget.view == before


def test_choosing_before_starting_does_nothing(widget):
    send(widget, {"kind": "choose", "choice": "a"})
    assert widget.view == {"screen": "list"}


def test_the_browser_cannot_rewrite_the_view_or_the_list(widget):
    widget.set_state({"view": {"screen": "end", "result": {}}, "scenarios": [], "broken": ["x"]})
    assert widget.view == {"screen": "list"}
    assert [s["id"] for s in widget.scenarios] == ["small"]
    assert widget.broken == ["The course file data/scenarios/x.yaml has a problem: boom"]


def test_the_end_figures_are_valid_plotly(widget):
    import plotly.graph_objects as go

    send(widget, {"kind": "start", "scenario": "small"})
    send(widget, {"kind": "choose", "choice": "b"})
    send(widget, {"kind": "choose", "choice": "b"})
    result = widget.view["result"]
    go.Figure(result["profile_figure"])
    fig = go.Figure(result["map_figure"])
    path = fig.data[1]
    assert list(path.x) == [0, 1, 2] and path.name == "Your path, moment by moment"
