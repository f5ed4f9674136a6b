"""Checks that teach, as learners meet them: options in each learner's own order, answers
stored by option id, and retry before the answer (issue 14).

Two learners are two browser contexts (two browsers' storage). Their order seeds are given
(the seed a browser makes for itself is random); the orders expected for them are copied by
hand from tests/test_shuffle.py, where the Python twin of the browser's shuffle is pinned.
"""

from __future__ import annotations

import json
import re

from .conftest import SHOTS, wait_for, wait_rendered, watched_context

SEED_A = "0123456789abcdef"
SEED_B = "fedcba9876543210"
KEY = "balint-kit:v1:/:"
ITEM = '.kit-quiz[data-quiz="01_history"] .kit-quiz-item[data-item="q-first-seminars"]'


def learner(browser, watch, seed: str | None = None, quiz: dict | None = None):
    """A learner's browser; ``seed`` and ``quiz`` are put in its storage before the first page."""
    ctx = watched_context(browser, watch)
    for name, value in (("order-seed", seed), ("quiz", json.dumps(quiz) if quiz else None)):
        if value is not None:
            ctx.add_init_script(
                # (try: the script also runs in frames without storage, such as about:blank)
                f"try {{ if (!localStorage.getItem({json.dumps(KEY + name)})) "
                f"localStorage.setItem({json.dumps(KEY + name)}, {json.dumps(value)}); }} catch (e) {{}}"
            )
    return ctx


def open_page(ctx, site, page_name: str):
    page = ctx.new_page()
    page.goto(f"{site.url}/voila/render/{page_name}.ipynb")
    wait_rendered(page)
    return page


def open_pages(ctx, site, page_names: list[str]) -> list:
    """Open several pages in one browser's tabs at once (their kernels start side by side), each
    then waited for until it is ready."""
    pages = [ctx.new_page() for _ in page_names]
    for page, name in zip(pages, page_names, strict=True):
        page.goto(f"{site.url}/voila/render/{name}.ipynb", wait_until="commit")
    for page in pages:
        wait_rendered(page)
    return pages


def shown(page, item: str) -> list[str]:
    return page.eval_on_selector_all(f"{item} .kit-option", "els => els.map(e => e.dataset.option)")


def check(page, item: str, option: str, expect: str) -> str:
    """Choose ``option`` (an id) in ``item``, press Check, wait for ``expect`` in the feedback; the feedback."""
    page.locator(f'{item} input[value="{option}"]').check()
    page.locator(f"{item} .kit-check").click()
    page.wait_for_function(
        "([s, t]) => document.querySelector(s + ' .kit-feedback-area').innerText.includes(t)",
        arg=[item, expect],
        timeout=30_000,
    )
    return page.locator(f"{item} .kit-feedback-area").inner_text()


def stored(page, name: str, expect=None):
    """What the learner's browser keeps under ``name`` (once it is ``expect``, if given: the store
    writes after the kernel has sent the answer back, a moment after the feedback)."""
    read = lambda: page.evaluate(f"() => JSON.parse(localStorage.getItem({json.dumps(KEY + name)}) || 'null')")  # noqa: E731
    if expect is not None:
        wait_for(lambda: read() == expect, timeout=30)
    return read()


def shot(locator, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(SHOTS / f"{name}.png"))


def test_two_learners_see_two_orders_and_are_graded_alike(site, browser, watch):
    a, b = learner(browser, watch, SEED_A), learner(browser, watch, SEED_B)
    try:
        pa, pb = open_page(a, site, "01_history"), open_page(b, site, "01_history")
        # Budapest (a, the right answer) is first for learner A and last for learner B.
        assert shown(pa, ITEM) == ["a", "b", "d", "c"]
        assert shown(pb, ITEM) == ["c", "d", "b", "a"]
        assert pa.locator(f"{ITEM} .kit-option").first.inner_text().startswith("In Budapest")
        assert pb.locator(f"{ITEM} .kit-option").last.inner_text().startswith("In Budapest")
        # The same answer by id (London, b), wherever it stands, gets the same feedback: on it only.
        fa = check(pa, ITEM, "b", "Your choice, but not right:")
        fb = check(pb, ITEM, "b", "Your choice, but not right:")
        assert fa == fb
        assert fa.startswith("Not quite. Read why, then try again")
        assert "In London" in fa and "In Budapest" not in fa and "Right. After returning to Budapest" not in fa
        for p in (pa, pb):
            assert p.locator(f"{ITEM} .kit-show-answer").is_visible()
            want = {
                "01_history": {
                    "q-first-seminars": {
                        "chosen": ["b"],
                        "correct": False,
                        "tries": 1,
                        "first_try": False,
                        "revealed": False,
                    }
                }
            }
            assert stored(p, "quiz", want) == want
        shot(pa.locator(ITEM), "quiz-first-wrong-try-light")
        # Right at the second try: the same for both.
        fa = check(pa, ITEM, "a", "Correct.")
        fb = check(pb, ITEM, "a", "Correct.")
        assert fa == fb and "Right. After returning to Budapest" in fa
        for p in (pa, pb):
            assert not p.locator(f"{ITEM} .kit-show-answer").is_visible()
            want = {
                "01_history": {
                    "q-first-seminars": {
                        "chosen": ["a"],
                        "correct": True,
                        "tries": 2,
                        "first_try": False,
                        "revealed": False,
                    }
                }
            }
            assert stored(p, "quiz", want) == want
        for p, seed in ((pa, SEED_A), (pb, SEED_B)):
            assert p.evaluate(f"() => localStorage.getItem({json.dumps(KEY + 'order-seed')})") == seed
    finally:
        a.close()
        b.close()
    watch.check()


def test_the_other_exercises_and_the_simulator_are_in_each_learners_order(site, browser, watch):
    a, b = learner(browser, watch, SEED_A), learner(browser, watch, SEED_B)
    frame = '.kit-quiz[data-quiz="02_frame_exercise"] .kit-quiz-item[data-item="marriage-question"]'
    phase = '.kit-quiz[data-quiz="03_which_phase"] .kit-quiz-item[data-item="who-has-a-case"]'
    incident = '.kit-quiz[data-quiz="06_online_incidents"] .kit-quiz-item[data-item="camera-off"]'
    try:
        for ctx, want in (
            (a, {frame: "acdb", phase: "abcd", incident: "cdba", "sim": "dabc"}),
            (b, {frame: "abdc", phase: "dcab", incident: "acbd", "sim": "dbca"}),
        ):
            # Four pages in four tabs (one browser keeps up to five pages open).
            p2, p3, p6, p = open_pages(
                ctx, site, ["02_ground_rules", "03_session_structure", "06_online_groups", "04_leadership"]
            )
            assert "".join(shown(p2, frame)) == want[frame]
            assert "".join(shown(p3, phase)) == want[phase]
            assert "".join(shown(p6, incident)) == want[incident]
            p.locator('.kit-sim-item[data-scenario="the-boy-who-asked-the-nurse"] .kit-sim-start').click()
            p.wait_for_selector('.kit-sim-moment[data-moment="m1"]')
            order = p.eval_on_selector_all(".kit-sim-choice", "els => els.map(e => e.dataset.choice)")
            assert "".join(order) == want["sim"]
            if ctx is a:
                shot(p.locator(".kit-simulator"), "simulator-shuffled-light")
                p.locator("#kit-theme-toggle").click()
                p.wait_for_function("() => document.documentElement.dataset.kitTheme === 'dark'")
                shot(p.locator(".kit-simulator"), "simulator-shuffled-dark")
            # A choice is sent by its id: the moment's feedback is that of choice a wherever it stood.
            p.locator('.kit-sim-choice[data-choice="a"]').click()
            p.wait_for_selector(".kit-sim-feedback")
    finally:
        a.close()
        b.close()
    watch.check()


def test_a_reload_keeps_the_order_the_answer_and_the_reveal(site, browser, watch):
    ctx = learner(browser, watch)  # a new learner: the browser makes its own seed
    try:
        page = open_page(ctx, site, "01_history")
        items = page.eval_on_selector_all(
            '.kit-quiz[data-quiz="01_history"] .kit-quiz-item', "els => els.map(e => e.dataset.item)"
        )
        before = {i: shown(page, f'.kit-quiz-item[data-item="{i}"]') for i in items}
        assert stored(page, "order-seed") is None  # a visit alone stores nothing
        wrong = next(o for o in before["q-first-seminars"] if o != "a")
        check(page, ITEM, wrong, "Your choice, but not right:")
        page.locator(f"{ITEM} .kit-show-answer").click()
        page.wait_for_function(
            "s => document.querySelector(s + ' .kit-feedback-area').innerText.includes('The right answer:')", arg=ITEM
        )
        text = page.locator(f"{ITEM} .kit-feedback-area").inner_text()
        assert text.startswith("Not this time. Here is the right answer, and why.")
        assert "Right. After returning to Budapest" in text
        assert not page.locator(f"{ITEM} .kit-show-answer").is_visible()
        seed = page.evaluate(f"() => localStorage.getItem({json.dumps(KEY + 'order-seed')})")
        assert re.fullmatch(r"[0-9a-f]{16}", seed)
        shot(page.locator(ITEM), "quiz-revealed-light")
        page.locator("#kit-theme-toggle").click()
        page.wait_for_function("() => document.documentElement.dataset.kitTheme === 'dark'")
        shot(page.locator(ITEM), "quiz-revealed-dark")

        page.reload()
        wait_rendered(page)
        page.wait_for_function(
            "s => document.querySelector(s + ' .kit-feedback-area').innerText.includes('The right answer:')",
            arg=ITEM,
            timeout=30_000,
        )
        assert {i: shown(page, f'.kit-quiz-item[data-item="{i}"]') for i in items} == before
        assert page.locator(f'{ITEM} input[value="{wrong}"]').is_checked()
        assert stored(page, "quiz")["01_history"]["q-first-seminars"] == {
            "chosen": [wrong],
            "correct": False,
            "tries": 1,
            "first_try": False,
            "revealed": True,
        }  # kept before the reload
        # Another item, wrong once in dark: the first-wrong-try screen.
        other = '.kit-quiz-item[data-item="q-budapest-ended"]'
        check(page, other, "b", "Your choice, but not right:")
        shot(page.locator(other), "quiz-first-wrong-try-dark")
    finally:
        ctx.close()
    watch.check()


def test_answers_saved_as_positions_still_load(site, browser, watch):
    # What a browser kept before option ids: London (position 1) chosen, wrong.
    ctx = learner(browser, watch, quiz={"01_history": {"q-first-seminars": {"chosen": [1], "correct": False}}})
    try:
        page = open_page(ctx, site, "01_history")
        page.wait_for_function(
            "s => document.querySelector(s + ' .kit-feedback-area').innerText.length > 0", arg=ITEM, timeout=30_000
        )
        assert page.locator(f'{ITEM} input[value="b"]').is_checked()
        assert "In London" in page.locator(f"{ITEM} .kit-feedback-area").inner_text()
        want = {
            "01_history": {
                "q-first-seminars": {
                    "chosen": ["b"],
                    "correct": False,
                    "tries": 1,
                    "first_try": False,
                    "revealed": False,
                }
            }
        }
        assert stored(page, "quiz", want) == want  # written back in today's format
    finally:
        ctx.close()
    watch.check()
