"""The documentation: README.md stays short, and every relative link in it and in docs/*.md leads
somewhere (an existing file, and for a link into one of our .md files, an existing heading).

Links are read with a small parser of our own rather than a Markdown library: our pages use only
inline links (`[text](target)`), and a regex over the text with code blocks and code spans removed
reads them; headings are turned into anchors the way GitHub does (lower case, punctuation dropped,
spaces to hyphens, -1, -2 for repeats), which is what a reader clicking the link on GitHub meets.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

PAGES = ["index.md", "instructors.md", "authors.md", "deploying.md", "developers.md", "benchmarks.md"]
# A page for one reader, reached from the index (not from every page's navigation): translators,
# who need the catalogs and the tools, not the rest of the docs.
INDEXED = ["translators.md"]
"""The docs pages, written out by hand: a page added or removed must be added here (and linked)."""

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^()\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def _prose(text: str) -> str:
    """The text without fenced code blocks and code spans (a link in code is not a link)."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file, with GitHub's -1, -2 for repeated headings."""
    seen: dict[str, int] = {}
    out = set()
    for _, title in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        s = slug(title)
        n = seen.get(s, 0)
        seen[s] = n + 1
        out.add(s if n == 0 else f"{s}-{n}")
    return out


def links(path: Path) -> list[str]:
    return LINK.findall(_prose(path.read_text(encoding="utf-8")))


def broken_links(path: Path) -> list[str]:
    """The relative links of ``path`` that lead nowhere, each with the reason."""
    broken = []
    for target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto: ...: not ours to check
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / unquote(file_part)).resolve() if file_part else path
        if not dest.exists():
            broken.append(f"{target}: no file {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}")
        elif anchor and dest.suffix == ".md" and unquote(anchor) not in anchors(dest):
            broken.append(f"{target}: no heading #{anchor} in {dest.name}")
    return broken


# ------------------------------------------------------------------------------ the checker itself


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("What the kit stores and where", "what-the-kit-stores-and-where"),
        (
            "Security: what the site promises, and how it is tested",
            "security-what-the-site-promises-and-how-it-is-tested",
        ),
        ("The configuration: voila.json", "the-configuration-voilajson"),
        ("The bibliography and its verified field", "the-bibliography-and-its-verified-field"),
        ("Licences: what content may include", "licences-what-content-may-include"),
        ("The nginx front (a site on the internet)", "the-nginx-front-a-site-on-the-internet"),
        ("Run `make serve` **now**", "run-make-serve-now"),
        ("See [the map](x.md) first", "see-the-map-first"),
        ("snake_case and co-leader", "snake_case-and-co-leader"),
    ],
)
def test_slug_is_githubs(heading, expected):
    assert slug(heading) == expected


def test_the_checker_finds_a_broken_file_and_a_broken_anchor(tmp_path):
    # A positive control: a page with two good links and three bad ones, in prose, with links in
    # code that must be ignored.
    (tmp_path / "other.md").write_text("# Other page\n\n## Repeated\n\n## Repeated\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n## Our part\n\n"
        "Good: [other](other.md#repeated-1) and [here](#our-part) and [web](https://example.org/x#y).\n"
        "Bad: [missing](nowhere.md), [anchor](other.md#repeated-2), [self](#their-part).\n\n"
        "`[in code](ignored.md)`\n\n```\n[in a block](also-ignored.md)\n```\n",
        encoding="utf-8",
    )
    found = broken_links(page)
    assert [f.split(":")[0] for f in found] == ["nowhere.md", "other.md#repeated-2", "#their-part"]


# ------------------------------------------------------------------------------ our pages


@pytest.mark.parametrize("name", ["README.md", *(f"docs/{p}" for p in PAGES + INDEXED)])
def test_every_relative_link_resolves(name):
    path = ROOT / name
    assert links(path), f"{name} has no links at all"
    assert broken_links(path) == []


def test_the_docs_folder_holds_the_pages_listed_here():
    assert sorted(p.name for p in DOCS.glob("*.md")) == sorted(PAGES + INDEXED)


def test_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 80, f"README.md has {len(lines)} lines; move detail into docs/"


def test_readme_keeps_what_a_newcomer_needs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("make serve", "make test"):
        assert command in text
    assert {
        "the-two-commands",
        "course-map",
        "where-to-go-next",
        "languages",
        "licence-and-credits",
        "reporting-a-problem",
    } <= anchors(ROOT / "README.md")
    assert {t.partition("#")[0] for t in links(ROOT / "README.md")} >= {f"docs/{p}" for p in PAGES}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_links_back_to_readme_and_its_neighbours(name):
    targets = {t.partition("#")[0] for t in links(DOCS / name)}
    assert "../README.md" in targets
    assert set(PAGES) - {name} <= targets


@pytest.mark.parametrize("name", INDEXED)
def test_a_page_for_one_reader_is_in_the_index_and_links_back(name):
    assert name in {t.partition("#")[0] for t in links(DOCS / "index.md")}
    assert {"../README.md", "index.md"} <= {t.partition("#")[0] for t in links(DOCS / name)}
