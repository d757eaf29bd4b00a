"""FAQ entries and the file formats officers edit (YAML list, or a CSV export).

A malformed file must be refused with a message an officer can act on: which file, which
entry (index and id) and what is wrong, so the bot never serves a half-read FAQ.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz.distance import Levenshtein

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = ("id", "question", "answer")
FIELDS = (*REQUIRED, "variants", "tags", "review_answers")
YES = frozenset({"true", "yes", "y", "1", "o", "예", "네"})
NO = frozenset({"", "false", "no", "n", "0", "x", "아니오", "아니요"})
LIST_SEPARATOR = re.compile(r"\s*[|\n;]\s*")


class FaqError(ValueError):
    """The FAQ file cannot be used as it is: which file, which entry (None when the file as a
    whole is wrong) and why."""

    def __init__(self, file: str | Path, entry: str | None, reason: str) -> None:
        self.file = str(file)
        self.entry = entry
        self.reason = reason
        super().__init__(f"{file}: {entry}: {reason}" if entry else f"{file}: {reason}")


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """One question the county answers, with the phrasings officers expect."""

    id: str
    question: str
    answer: str
    variants: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    learned: tuple[str, ...] = ()
    """Residents' own words for it, taught by officers answering their tickets with this
    entry; they live in the database, not in the file."""
    review_answers: bool = False
    """An officer checks every answer the bot picks from it before the resident sees it,
    whatever `review_answers` says: its facts change (this year's amounts, an application
    period) or it commits the county (who qualifies for support)."""

    @property
    def text(self) -> str:
        """Everything the entry says, for checks on its subject as a whole."""
        return "\n".join((self.question, *self.variants, self.answer, *self.tags))


def load_entries(path: str | Path) -> list[FaqEntry]:
    """Read a YAML (list of mappings) or CSV (header row) FAQ file and validate every entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FaqError(path, None, f"cannot read the FAQ file ({exc})") from exc
    rows = _csv_rows(path, text) if path.suffix.lower() == ".csv" else _yaml_rows(path, text)
    entries: list[FaqEntry] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, 1):
        entry = _entry(path, number, row)
        if entry.id in seen:
            raise FaqError(
                path,
                f"entry {number} (id {entry.id!r})",
                f"duplicate id, already used by entry {seen[entry.id]}",
            )
        seen[entry.id] = number
        entries.append(entry)
    if not entries:
        raise FaqError(path, None, "the FAQ has no entries")
    return entries


def _yaml_rows(path: Path, text: str) -> list[Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FaqError(path, None, f"YAML syntax error{where}: {problem}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise FaqError(path, None, "the FAQ must be a YAML list of entries (- id: …)")
    return data


def _csv_rows(path: Path, text: str) -> list[Any]:
    """CSV columns id, question, variants, answer, tags (and review_answers: 예, yes, 1 or
    empty); list items are separated by |, ; or newlines (tags also by commas), which
    spreadsheet exports keep intact."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    for name in reader.fieldnames or []:
        if meant := _misspelt(name):
            raise FaqError(path, None, f"unknown column {name!r}: did you mean {meant!r}?")
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise FaqError(path, None, f"CSV header lacks column(s) {', '.join(missing)}")
    rows: list[Any] = []
    for row in reader:
        row = {key: value for key, value in row.items() if key is not None}
        row["tags"] = (row.get("tags") or "").replace(",", "|")
        for key in ("variants", "tags"):
            row[key] = [part for part in LIST_SEPARATOR.split((row.get(key) or "").strip()) if part]
        rows.append(row)
    return rows


def _entry(path: Path, number: int, row: Any) -> FaqEntry:
    if not isinstance(row, dict):
        raise FaqError(path, f"entry {number}", "wrong type, expected a mapping of fields")
    raw_id = row.get("id")
    label = f"entry {number} (id {raw_id!r})" if raw_id is not None else f"entry {number}"

    def fail(reason: str) -> FaqError:
        return FaqError(path, label, reason)

    for name in row:
        if meant := _misspelt(name):
            raise fail(f"unknown field {name!r}: did you mean {meant!r}?")

    for name in REQUIRED:
        value = row.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise fail(f"missing field {name!r}")
        if not isinstance(value, str):
            raise fail(f"wrong type for {name!r}: expected text, got {type(value).__name__}")
    if not ID_PATTERN.match(raw_id):
        raise fail("bad id format: use lowercase kebab-case like 'waste-schedule'")
    lists: dict[str, tuple[str, ...]] = {}
    for name in ("variants", "tags"):
        value = row.get(name) or []
        if isinstance(value, str) or not isinstance(value, list):
            raise fail(f"wrong type for {name!r}: expected a list, got {type(value).__name__}")
        if not all(isinstance(item, str | int) for item in value):
            raise fail(f"wrong type in {name!r}: every item must be text")
        lists[name] = tuple(str(item).strip() for item in value if str(item).strip())
    review = row.get("review_answers")
    if isinstance(review, str | None):  # a CSV cell, or `review_answers: 예`; left empty is no
        flag = (review or "").strip().lower()
        review = True if flag in YES else False if flag in NO else review
    if not isinstance(review, bool):
        raise fail(f"wrong value for 'review_answers': write true, false or 예, not {review!r}")
    return FaqEntry(
        id=raw_id,
        question=row["question"].strip(),
        answer=row["answer"].strip(),
        variants=lists["variants"],
        tags=lists["tags"],
        review_answers=review,
    )


def _misspelt(name: object) -> str | None:
    """The field `name` was meant to be, if it is a slip of one (`variant`, `Tags`), whose
    words would otherwise be dropped unseen. Other keys are left alone, for the county's own
    tools."""
    if not isinstance(name, str) or name in FIELDS:
        return None
    slack = 1 if len(name) <= 4 else 2
    return next((f for f in FIELDS if Levenshtein.distance(name.lower(), f) <= slack), None)
