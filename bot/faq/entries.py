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

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""An entry id, matched whole (`fullmatch`: `$` would let a final newline through)."""
REQUIRED = ("id", "question", "answer")
FIELDS = (*REQUIRED, "variants", "tags", "review_answers")
YES = frozenset({"true", "yes", "y", "1", "o", "예", "네"})
NO = frozenset({"", "false", "no", "n", "0", "x", "아니오", "아니요"})
LIST_SEPARATOR = re.compile(r"\s*[|\n;]\s*")
MAX_DEPTH = 8
"""How deeply the YAML may nest: an FAQ needs 4 (the list, an entry, its tags, a tag). Deeper
is refused before PyYAML's recursive composer runs out of stack."""


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


class _Refused(Exception):
    """Raised from inside the YAML loader: which entry (None: the file as a whole) and why."""

    def __init__(self, entry: str | None, reason: str) -> None:
        super().__init__(reason)
        self.entry = entry
        self.reason = reason


class _FaqLoader(yaml.SafeLoader):
    """`yaml.safe_load`, refusing what it would let through unseen: a field given twice in an
    entry (the last would win) and nesting too deep for PyYAML's recursive composer."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._entry: int | None = None  # the entry being read, its fields so far, the field
        self._fields: yaml.MappingNode | None = None
        self._field: str | None = None

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self._depth += 1
        try:
            in_list = isinstance(parent, yaml.SequenceNode)
            if self._depth == 2:  # an entry of the top-level list
                self._entry = index + 1 if in_list else None
                self._fields, self._field = None, None
            elif self._depth == 3 and isinstance(parent, yaml.MappingNode):  # one of its fields
                self._fields = parent
                self._field = index.value if isinstance(index, yaml.ScalarNode) else None
            if self._depth > MAX_DEPTH:
                line = self.peek_event().start_mark.line + 1
                where = f"field {self._field!r}" if self._field else "the YAML"
                raise _Refused(
                    self._label(),
                    f"{where} nests more than {MAX_DEPTH} levels deep (line {line}): "
                    "every field of an entry is text or a list of text",
                )
            node = super().compose_node(parent, index)
            if self._depth == 2 and in_list and isinstance(node, yaml.MappingNode):
                self._fields = node
                self._check_fields(node)
            return node
        finally:
            self._depth -= 1

    def _check_fields(self, node: yaml.MappingNode) -> None:
        seen: dict[tuple[str, Any], int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            line = key.start_mark.line + 1
            if (first := seen.setdefault((key.tag, key.value), line)) != line:
                raise _Refused(
                    self._label(),
                    f"field {key.value!r} is given twice (lines {first} and {line}); keep one",
                )

    def _label(self) -> str | None:
        """The entry as `_entry` names it (its id as written, if read yet)."""
        if self._entry is None:
            return None
        ids = [
            value.value
            for key, value in (self._fields.value if self._fields else [])
            if isinstance(key, yaml.ScalarNode) and key.value == "id"
            if isinstance(value, yaml.ScalarNode)
        ]
        return f"entry {self._entry} (id {ids[0]!r})" if ids else f"entry {self._entry}"


def _yaml_rows(path: Path, text: str) -> list[Any]:
    try:
        data = yaml.load(text, Loader=_FaqLoader)  # a SafeLoader: safe_load, checked
    except _Refused as exc:
        raise FaqError(path, exc.entry, exc.reason) from None
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
    columns = reader.fieldnames or []
    for number, name in enumerate(columns):
        if meant := _misspelt(name):
            raise FaqError(path, None, f"unknown column {name!r}: did you mean {meant!r}?")
        if name in columns[:number]:  # DictReader would keep the last of them only
            raise FaqError(path, None, f"column {name!r} appears twice in the CSV header")
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise FaqError(path, None, f"CSV header lacks column(s) {', '.join(missing)}")
    rows: list[Any] = []
    for number, row in enumerate(reader, 2):  # spreadsheet rows: the header is row 1
        if None in row:  # cells past the header's columns: an unquoted comma cut a value short
            cells = len(columns) + len(row[None])
            raise FaqError(
                path,
                f"row {number} (id {row['id']!r})" if row.get("id") else f"row {number}",
                f"{cells} cells for {len(columns)} columns; quote a value that holds a comma",
            )
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
    if not ID_PATTERN.fullmatch(raw_id):
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
