"""Scoring a self-assessment instrument (the Copenhagen Burnout Inventory) and its history.

Answers are kept as the value of the chosen response option *before* any reversal
(``{"personal-1": 75, ...}``), so that a stored answer reads the same as the
questionnaire. Scoring reverses the reversed items (100 - value), and gives each
scale the mean of its answered items, rounded to one decimal, when at least the
scale's ``min_answered`` items are answered; otherwise no score (``None``), with
the count of answers still needed.

The history of attempts (``[{"date": "2026-11-24", "answers": {...}}]``) lives in
the learner's browser; this module turns it into CSV and back, checking every
value. This module imports no widget library.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .content import Instrument

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_ATTEMPTS = 500


def is_day(text) -> bool:
    """True for a real day written YYYY-MM-DD (not '2025-02-30', not with a line break after it)."""
    if not isinstance(text, str) or not DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ScaleResult:
    scale: str
    score: float | None
    """Mean of the answered items (0-100), or None when too few are answered."""
    answered: int
    items: int
    needed: int
    """The fewest answers for a score."""


def clean_answers(instrument: Instrument, raw) -> dict[str, int]:
    """Only the answers that name an item and one of its response values; anything else is dropped."""
    if not isinstance(raw, dict):
        return {}
    out = {}
    for item in instrument.items:
        value = raw.get(item.id)
        if isinstance(value, bool) or not isinstance(value, int):
            continue
        allowed = {o.value for o in instrument.response_set(item.response_set).options}
        if value in allowed:
            out[item.id] = value
    return out


def item_score(instrument: Instrument, item_id: str, value: int) -> int:
    item = next(i for i in instrument.items if i.id == item_id)
    return 100 - value if item.reversed else value


def score(instrument: Instrument, answers: dict[str, int]) -> list[ScaleResult]:
    """Each scale's score from ``answers`` (already cleaned), in the instrument's order of scales."""
    results = []
    for scale in instrument.scales:
        values = [
            item_score(instrument, item.id, answers[item.id])
            for item in instrument.items
            if item.scale == scale.id and item.id in answers
        ]
        total = sum(1 for item in instrument.items if item.scale == scale.id)
        mean = _mean(values) if len(values) >= scale.min_answered else None
        results.append(ScaleResult(scale.id, mean, len(values), total, scale.min_answered))
    return results


def _mean(values: list[int]) -> float:
    """The mean to one decimal, halves rounded up (31.25 -> 31.3), as a reader rounds by hand."""
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def clean_history(instrument: Instrument, raw) -> list[dict]:
    """A history from the browser: well-formed attempts only, oldest first, at most MAX_ATTEMPTS."""
    if not isinstance(raw, list):
        return []
    out = []
    for entry in raw[-MAX_ATTEMPTS:]:
        if not isinstance(entry, dict):
            continue
        day = entry.get("date")
        answers = clean_answers(instrument, entry.get("answers"))
        if is_day(day) and answers:
            out.append({"date": day, "answers": answers})
    return sorted(out, key=lambda e: e["date"])


def to_csv(instrument: Instrument, history: list[dict]) -> str:
    """One row per attempt: the date, every item's answer (empty if unanswered), then the scale scores."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["date"] + [i.id for i in instrument.items] + [f"score-{s.id}" for s in instrument.scales])
    for entry in history:
        results = score(instrument, entry["answers"])
        writer.writerow(
            [entry["date"]]
            + [entry["answers"].get(i.id, "") for i in instrument.items]
            + ["" if r.score is None else r.score for r in results]
        )
    return buf.getvalue()


class ImportProblem(ValueError):
    """A CSV file that cannot be read back; the message is a plain sentence."""


def from_csv(instrument: Instrument, text: str) -> list[dict]:
    """Attempts from a CSV written by :func:`to_csv`; scores in the file are ignored and recomputed."""
    if not isinstance(text, str) or len(text) > 2_000_000:
        raise ImportProblem("the file is not a CSV file written by this self-check")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:  # a field longer than csv's limit, a stray quote...
        raise ImportProblem("the file is not a CSV file written by this self-check") from None
    if not rows or not rows[0] or rows[0][0].strip().lstrip("\ufeff") != "date":
        raise ImportProblem("the file does not start with the columns this self-check writes")
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    ids = {i.id for i in instrument.items}
    if not ids & set(header):
        raise ImportProblem("the file has none of this questionnaire's questions")
    history = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        # A row may be shorter than the header (a spreadsheet drops trailing empty cells): the cells
        # present are read, the missing ones are unanswered.
        record = dict(zip(header, row, strict=False))
        day = record.get("date", "").strip()
        if not is_day(day):
            raise ImportProblem(f"row {n} has no date in the form YYYY-MM-DD")
        answers = {}
        for key, cell in record.items():
            cell = cell.strip()
            if key in ids and cell:
                if not re.fullmatch(r"\d{1,3}", cell):
                    raise ImportProblem(f"row {n}: the answer to {key} is not one of the questionnaire's values")
                answers[key] = int(cell)
        cleaned = clean_answers(instrument, answers)
        if cleaned != answers:
            raise ImportProblem(f"row {n}: an answer is not one of the questionnaire's values")
        if cleaned:
            history.append({"date": day, "answers": cleaned})
    if not history:
        raise ImportProblem("the file holds no answers")
    return sorted(history, key=lambda e: e["date"])[-MAX_ATTEMPTS:]


def merge(old: list[dict], new: list[dict]) -> list[dict]:
    """Imported attempts added to the history; an attempt already there (same date and answers) once."""
    seen = {(e["date"], tuple(sorted(e["answers"].items()))) for e in old}
    out = list(old)
    for e in new:
        key = (e["date"], tuple(sorted(e["answers"].items())))
        if key not in seen:
            seen.add(key)
            out.append(e)
    return sorted(out, key=lambda e: e["date"])[-MAX_ATTEMPTS:]
