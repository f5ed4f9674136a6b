"""The bibliography (``data/bibliography.yaml``): the publications the course cites by key."""

from __future__ import annotations

import html
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, StringConstraints, field_validator, model_validator

from .base import Key, Text, Verbatim, VerbatimShort, _no_duplicates, _Strict

Topic = Literal["history", "method", "ground-rules", "leadership", "online", "burnout", "evidence", "instruments"]


Verification = Literal["doi", "abstract", "page", "source-document", "unverified"]


def _is_site_root(url: str) -> bool:
    """True for an address that names only a site: https://example.org or https://example.org/."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query and not parts.fragment


class Reference(_Strict):
    """One entry of the bibliography: a publication the course cites by its key."""

    key: Key
    """The name other files cite it by in their `sources` (lower case, digits, hyphens: salinsky2009)."""
    kind: Literal["article", "book", "chapter", "web", "report"]
    """What the work is: a journal article, a book, a chapter of a book, a web page or a report."""
    authors: list[VerbatimShort] = Field(min_length=1)
    """The authors as 'Surname Initials' ('Salinsky J'), or an organisation's name; 'et al.' may end the list."""
    title: Verbatim
    """The work's title as published."""
    year: int | None = Field(default=None, ge=1800, le=2100)
    """The year of publication; null when it is unknown, and then `note` says so."""
    container: Verbatim | None = None
    """The journal, book or website the work appears in."""
    volume: VerbatimShort | None = None
    """The journal's volume."""
    issue: VerbatimShort | None = None
    """The journal's issue."""
    pages: VerbatimShort | None = None
    """The pages, e.g. '123-130'."""
    publisher: VerbatimShort | None = None
    """The publisher of a book or report."""
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    """The DOI without https://doi.org/ in front (10.1234/...). An entry needs a DOI or a URL, unless it is a book."""
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    """The address of the page or article itself, not a website's home page."""
    note: Text | None = None
    """Anything a reader should know about the entry, e.g. that its year is unknown."""
    label: VerbatimShort | None = None
    """A short name for in-text citations when the author is a long organisation name."""
    topics: list[Topic] = Field(default_factory=list)
    """The parts of the course the entry belongs to, for the list of sources by topic."""
    verified: Verification
    """How the entry was checked against the work itself: by the record its DOI leads to, by its
    abstract, by the web page at its address, by the source document it is, or not at all."""
    why: Text | None = None
    """For an unverified entry, why it could not be checked (shown to learners with the entry)."""
    checked: Verbatim | None = None
    """What was seen when it was checked, for the editors (not shown to learners)."""

    @field_validator("url")
    @classmethod
    def _not_a_home_page(cls, url: str | None) -> str | None:
        if url and _is_site_root(url):
            raise ValueError(
                f"the address {url} is only a website's home page: give the address of the page or article itself"
            )
        return url

    @model_validator(mode="after")
    def _locatable(self) -> Reference:
        if not (self.doi or self.url or self.kind == "book"):
            raise ValueError("a reference needs a DOI or a URL, or must be a book")
        if self.year is None and not self.note:
            raise ValueError("the year is missing: give it, or add a note saying it is unknown")
        if self.verified == "unverified" and not self.why:
            raise ValueError("an unverified entry needs `why`: say in a plain sentence why it could not be checked")
        if self.verified != "unverified" and self.why:
            raise ValueError("`why` is only for an unverified entry; say what was seen in `checked`")
        return self

    @property
    def link(self) -> str | None:
        """Where a learner can find the publication."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url

    @property
    def short(self) -> str:
        """'Salinsky 2009', 'Johnson et al. 2004', 'Deutsche Balint-Gesellschaft (n.d.)'."""
        if self.label:
            return f"{self.label} {self.year}" if self.year else f"{self.label} (n.d.)"
        first = _surname(self.authors[0])
        if len(self.authors) > 2 or (len(self.authors) == 2 and self.authors[1] == "et al."):
            who = f"{first} et al."
        elif len(self.authors) == 2:
            who = f"{first} and {_surname(self.authors[1])}"
        else:
            who = first
        return f"{who} {self.year}" if self.year else f"{who} (n.d.)"


def _surname(author: str) -> str:
    """'Nease DE Jr' → 'Nease'; 'Salinsky J' → 'Salinsky'; an organisation stays whole."""
    words = author.split()
    if len(words) > 1 and words[-1] in ("Jr", "Sr"):
        words = words[:-1]
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,3}", words[-1]):
        words = words[:-1]
    return " ".join(words)


class Bibliography(_Strict):
    entries: list[Reference] = Field(min_length=1)

    @field_validator("entries")
    @classmethod
    def _unique(cls, entries: list[Reference]) -> list[Reference]:
        _no_duplicates([e.key for e in entries], "key")
        return entries

    def get(self, key: str) -> Reference | None:
        return self.by_key.get(key)

    @property
    def by_key(self) -> dict[str, Reference]:
        return {e.key: e for e in self.entries}

    def cite_html(self, keys, sep: str = "; ") -> str:
        """In-text citations as links to the page's list of sources: 'Salinsky 2009; IBF 2016'."""
        return sep.join(f'<a href="#ref-{k}">{html.escape(self.by_key[k].short)}</a>' for k in keys)
