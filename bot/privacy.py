"""Finding and masking residents' personal data in free text (개인정보 보호법).

- A resident or foreigner registration number (주민등록번호 · 외국인등록번호) is never stored or
  echoed: it is replaced whole by a placeholder, before the message is even stored.
- Phone numbers, bank account numbers and e-mail addresses are masked (`010-****-5678`) wherever
  people other than officers can read them, and in logs. Officers see contact details unmasked.

The patterns lean towards what people write in Korean chats and away from false alarms: a
date (2026-11-25), a receipt number (2026-0042), an amount (1,000,000원), a time or a business
number (1588-xxxx, 1599-0903) is not personal data and is left as written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["rrn", "phone", "account", "email"]

RRN_PLACEHOLDER = "[주민등록번호 삭제]"
"""Default text in place of a registration number; callers may pass their own wording."""

# YYMMDD, an optional separator, then the 7th digit (1-4 citizens, 5-8 foreigners) and 6 more.
# Not right after a minus sign: Telegram group ids (-100…, 13 digits) would look like one.
_RRN = re.compile(
    r"(?<![\d-])\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"[ \t]*[-‐‑–—]?[ \t]*[1-8]\d{6}(?!\d)"
)

_SEP = r"(?:[ \t]*[-.‐‑–][ \t]*|[ \t]+)"
# Mobile 010/011/016-019 (separators optional), and numbers with separators in the Seoul (02)
# and provincial (031-064) areas or on internet telephony (070). Numbers that begin with 1
# (1588-, 1599-: businesses and public services) never match. Not preceded by a digit or
# "digit-" so the tail of a receipt number (2026-0042) cannot start one.
_PHONE = re.compile(
    rf"(?<!\d)(?<!\d-)(?:"
    rf"(?P<mobile>01[016789]){_SEP}?(?P<mobile_mid>\d{{3,4}}){_SEP}?(?P<mobile_last>\d{{4}})"
    rf"|(?P<area>02|0[3-6][1-5]|070){_SEP}(?P<area_mid>\d{{3,4}}){_SEP}(?P<area_last>\d{{4}})"
    rf")(?![-.]?\d)"
)

# 10-14 digits, plain or in hyphenated groups; only an account when a bank word is near.
_ACCOUNT = re.compile(r"(?<!\d)(?<!\d-)(?:\d{2,6}(?:-\d{2,8}){1,4}|\d{10,14})(?!-?\d)")
_ACCOUNT_DIGITS = range(10, 15)
_BANK_WORDS = re.compile(
    r"계좌|은행|뱅크|입금|송금|이체|예금주|농협|수협|신협|새마을금고|우체국|국민|신한|우리|하나|"
    r"기업|카카오|토스|케이뱅크|씨티|SC제일|KB|NH|IBK|bank",
    re.IGNORECASE,
)
_BANK_BEFORE, _BANK_AFTER = 20, 12

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what it is and where it was in the original text."""

    kind: Kind
    span: tuple[int, int]


@dataclass(frozen=True)
class Masked:
    """Text safe to show in a group room or a log, and what was hidden in it."""

    text: str
    found: list[Finding] = field(default_factory=list)


def contains_rrn(text: str) -> bool:
    """Whether `text` holds a registration number (a resident should be warned)."""
    return _RRN.search(text) is not None


def strip_rrn(text: str, placeholder: str = RRN_PLACEHOLDER) -> tuple[str, int]:
    """`text` with every registration number replaced, and how many there were; applied before
    a message is stored, so the number never reaches the database."""
    return _RRN.subn(placeholder, text)


def mask(
    text: str, *, rrn_placeholder: str = RRN_PLACEHOLDER, keep: Collection[str] = ()
) -> Masked:
    """Hide personal data for readers who are not officers: registration numbers go whole,
    phone and account numbers keep their last 4 digits, e-mails their first letter.

    `keep` lists public numbers (the county office's own lines) that stay as written; they are
    compared by digits only, so `043-830-1234` keeps `0438301234` too.
    """
    kept = {_digits(number) for number in keep}
    findings = _find(text)
    pieces: list[str] = []
    found: list[Finding] = []
    last = 0
    for kind, match in findings:
        if kind == "phone" and _digits(match.group()) in kept:
            continue
        start, end = match.span()
        pieces += [text[last:start], _masked(kind, match, rrn_placeholder)]
        found.append(Finding(kind, (start, end)))
        last = end
    pieces.append(text[last:])
    return Masked("".join(pieces), found)


def remove_contacts(text: str, contacts: Collection[str], placeholder: str) -> str:
    """`text` with each of `contacts` (phones compared by digits, e-mails as written)
    replaced whole: for erasing one person, whose number others may have quoted."""
    wanted = {_digits(c) if "@" not in c else c.lower() for c in contacts}
    pieces: list[str] = []
    last = 0
    for kind, match in _find(text):
        value = match.group().lower() if kind == "email" else _digits(match.group())
        if value not in wanted:
            continue
        pieces += [text[last : match.start()], placeholder]
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def extract_contacts(text: str) -> list[str]:
    """Phone numbers (as `010-1234-5678`) and e-mail addresses in `text`, once each in order of
    appearance: kept on the resident's record, for officers' eyes only."""
    contacts: dict[str, None] = {}
    for kind, match in _find(text):
        if kind == "phone":
            contacts["-".join(_phone_parts(match))] = None
        elif kind == "email":
            contacts[match.group()] = None
    return list(contacts)


class PiiLogFilter(logging.Filter):
    """Masks personal data in log records (message, arguments, traceback), so no log line
    carries a phone number or a registration number.

    Attach it to handlers: a handler's filters see every record that reaches it, a logger's
    only the records logged on that very logger.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: let the handler report it as logging does
            return True
        record.msg, record.args = mask(message).text, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text).text
        if record.stack_info:
            record.stack_info = mask(record.stack_info).text
        return True


def _find(text: str) -> list[tuple[Kind, re.Match[str]]]:
    """Every finding, in order and without overlaps; the stricter kinds claim text first."""
    claimed: list[tuple[Kind, re.Match[str]]] = []

    def free(match: re.Match[str]) -> bool:
        start, end = match.span()
        return all(end <= m.start() or start >= m.end() for _, m in claimed)

    for kind, matches in (
        ("rrn", _RRN.finditer(text)),
        ("email", _EMAIL.finditer(text)),
        ("phone", _PHONE.finditer(text)),
        ("account", (m for m in _ACCOUNT.finditer(text) if _is_account(text, m))),
    ):
        claimed += [(kind, m) for m in matches if free(m)]
    return sorted(claimed, key=lambda found: found[1].start())


def _is_account(text: str, match: re.Match[str]) -> bool:
    start, end = match.span()
    near = text[max(0, start - _BANK_BEFORE) : start] + " " + text[end : end + _BANK_AFTER]
    return len(_digits(match.group())) in _ACCOUNT_DIGITS and _BANK_WORDS.search(near) is not None


def _masked(kind: Kind, match: re.Match[str], rrn_placeholder: str) -> str:
    value = match.group()
    if kind == "rrn":
        return rrn_placeholder
    if kind == "phone":
        first, middle, last = _phone_parts(match)
        return f"{first}-{'*' * len(middle)}-{last}"
    if kind == "account":
        return _stars_but_last(value, 4)
    local, domain = value.split("@", 1)
    return f"{local[0]}***@{domain}"


def _phone_parts(match: re.Match[str]) -> tuple[str, str, str]:
    prefix = "mobile" if match.group("mobile") else "area"
    return match.group(prefix), match.group(f"{prefix}_mid"), match.group(f"{prefix}_last")


def _stars_but_last(value: str, visible: int) -> str:
    """Every digit but the last `visible` ones as `*`, separators kept."""
    total = sum(c.isdigit() for c in value)
    seen = 0
    out = []
    for c in value:
        if c.isdigit():
            seen += 1
            out.append(c if seen > total - visible else "*")
        else:
            out.append(c)
    return "".join(out)


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())
