"""Validated content kept between kernels (widgets/content_cache.py), and Voila's prose and templates
kept between page views (kitserver/render_cache.py)."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from widgets import content, content_cache
from widgets.content import loader

from .conftest import on_a_thread_of_its_own

ROOT = Path(__file__).resolve().parent.parent
COURSE_MAP = (
    "title: {title}\nmodules:\n  - id: 01_history\n    number: 1\n    title: H\n    status: ready\n"
    "    minutes: 30\n    summary: S\n    objectives: [o]\n"
)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BALINT_KIT_CACHE_DIR", str(tmp_path / "cache"))
    loader._load_cached.cache_clear()
    yield tmp_path / "cache" / "content"
    loader._load_cached.cache_clear()


def copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def write(path: Path, text: str) -> None:
    """Write and move the time stamp on, as an editor saving the file a moment later would."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def in_a_new_kernel(code: str, env: dict) -> str:
    """Run ``code`` in a fresh Python, as a page's kernel is one, and return what it prints."""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_second_kernel_gets_the_content_without_reading_yaml(tmp_path):
    env = {"BALINT_KIT_CACHE_DIR": str(tmp_path / "cache")}
    code = (
        "import sys; from widgets import content; "
        "print(content.course_map().title, content.ui()['error-tail'] != '', 'yaml' in sys.modules)"
    )
    assert in_a_new_kernel(code, env) == "Balint Course Kit True True"  # validated, and kept
    assert in_a_new_kernel(code, env) == "Balint Course Kit True False"  # from the copies: no YAML read


def test_a_changed_file_is_validated_again_and_a_broken_one_gives_its_message(data_copy, cache):
    write(data_copy / "course_map.yaml", COURSE_MAP.format(title="First"))
    assert content.course_map().title == "First"
    assert len(copies(cache)) == 1
    write(data_copy / "course_map.yaml", COURSE_MAP.format(title="Second"))
    assert content.course_map().title == "Second"
    assert len(copies(cache)) == 1  # the first version's copy was replaced
    write(data_copy / "course_map.yaml", COURSE_MAP.format(title="Third").replace("minutes: 30", "minutes: many"))
    with pytest.raises(content.ContentError) as info:
        content.course_map()
    assert str(info.value) == (
        "The course file data/course_map.yaml has a problem: record 1 ('01_history'), field 'minutes': "
        "input should be a valid integer, unable to parse string as an integer"
    )
    assert len(copies(cache)) == 1  # nothing kept of the broken version
    loader._load_cached.cache_clear()  # as a new kernel: the broken file still gives its message
    with pytest.raises(content.ContentError):
        content.course_map()


def test_the_copy_is_what_a_kernel_reads_and_only_when_no_one_else_may_write_it(data_copy, cache):
    write(data_copy / "course_map.yaml", COURSE_MAP.format(title="Real"))
    assert content.course_map().title == "Real"
    [copy] = copies(cache)
    # Put another model in the copy's place: a new kernel shows it, so the copy is what kernels read.
    other = content.CourseMap.model_validate({**content.course_map().model_dump(), "title": "From the copy"})
    copy.write_bytes(pickle.dumps(other))
    loader._load_cached.cache_clear()
    assert content.course_map().title == "From the copy"
    # A copy that others may write could have been put there by anyone: it is not read.
    copy.chmod(0o666)
    loader._load_cached.cache_clear()
    assert content.course_map().title == "Real"
    # Nor is a copy in a folder that others may write, nor one that is not a course map.
    copy.write_bytes(pickle.dumps(other))
    copy.chmod(0o600)
    cache.chmod(0o777)
    loader._load_cached.cache_clear()
    assert content.course_map().title == "Real"
    cache.chmod(0o700)
    copy.write_bytes(pickle.dumps({"title": "a dict"}))
    loader._load_cached.cache_clear()
    assert content.course_map().title == "Real"


def test_a_cache_that_cannot_be_kept_only_costs_time(data_copy, tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("BALINT_KIT_CACHE_DIR", str(blocked))
    loader._load_cached.cache_clear()
    write(data_copy / "course_map.yaml", COURSE_MAP.format(title="Still loads"))
    assert content.course_map().title == "Still loads"


def test_prepare_keeps_every_good_file_and_counts_the_broken(data_copy, cache):
    (data_copy / "glossary.yaml").write_text("terms: [", encoding="utf-8")
    good = [
        p
        for p in data_copy.rglob("*.yaml")
        if p.name != "glossary.yaml" and not p.relative_to(data_copy).as_posix().startswith("schemas/")
    ]
    assert content_cache.prepare() == 1
    assert len(copies(cache)) == len(good)
    with pytest.raises(content.ContentError) as info:
        content.glossary()
    assert str(info.value).startswith("The course file data/glossary.yaml has a problem:")


# --------------------------------------------------------------------------- Voila's page views
def test_a_cell_of_prose_is_converted_as_voila_converts_it():
    from voila.exporter import VoilaExporter

    from kitserver.render_cache import CourseExporter

    ours = CourseExporter()
    cell = {"cell_type": "markdown", "metadata": {}, "source": "A **bold** [link](01_history.ipynb)"}
    expected = '<p>A <strong>bold</strong> <a href="01_history.ipynb">link</a></p>\n'
    assert ours.markdown2html({"cell": cell}, cell["source"]) == expected
    assert ours.markdown2html({"cell": cell}, cell["source"]) == expected  # the second time, from the cache
    # Every cell of every course page, as Voila's own exporter makes it.
    stock = VoilaExporter()
    cells = 0
    for notebook in sorted((ROOT / "course").rglob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                source = "".join(cell["source"])
                mine = ours.markdown2html({"cell": cell}, source)
                assert mine == VoilaExporter.markdown2html(stock, {"cell": cell}, source), notebook.name
                cells += 1
    assert cells > 100


def _render(template) -> str:
    # Voila's environment is async: its render() runs an event loop of its own.
    return on_a_thread_of_its_own(template.render)


def test_a_changed_template_is_compiled_again(tmp_path):
    from kitserver.render_cache import CourseExporter

    (tmp_path / "page.j2").write_text("first {{ 1 + 1 }}", encoding="utf-8")
    one = CourseExporter(template_paths=[str(tmp_path)])
    assert _render(one.environment.get_template("page.j2")) == "first 2"
    (tmp_path / "page.j2").write_text("second {{ 2 + 2 }}", encoding="utf-8")
    two = CourseExporter(template_paths=[str(tmp_path)])  # a new page view's exporter, as Voila makes one
    assert two.environment.bytecode_cache is one.environment.bytecode_cache
    assert _render(two.environment.get_template("page.j2")) == "second 4"
