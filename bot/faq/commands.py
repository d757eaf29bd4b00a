"""`sotong triage`, `sotong faq check` and `sotong faq ask`: the understanding from the shell.

Registered at every start of the CLI, so nothing heavy is imported at module level.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from bot.faq.index import FaqIndex

READ_SIZE = 1 << 16  # bytes of stdin read at once: some hundreds of messages


def register(sub: argparse._SubParsersAction) -> None:
    """Add `triage` and `faq check|ask` to the `sotong` command line."""
    triage = sub.add_parser("triage", help="classify messages read from stdin, one per line")
    _faq_option(triage)
    triage.add_argument("--jsonl", action="store_true", help="write JSON lines (the default)")
    triage.set_defaults(func=_triage)

    faq = sub.add_parser("faq", help="FAQ tools for officers")
    actions = faq.add_subparsers(dest="faq_command", required=True)
    check = actions.add_parser("check", help="list FAQ entries the matcher confuses")
    _faq_option(check)
    check.set_defaults(func=_check)
    ask = actions.add_parser("ask", help="explain how the bot would understand a message")
    ask.add_argument("text", help="the message, in quotes")
    _faq_option(ask)
    ask.add_argument("--mention", action="store_true", help="as if the bot were addressed")
    ask.set_defaults(func=_ask)


def _faq_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--faq", help="FAQ file, YAML or CSV (default: the config's faq)")
    parser.add_argument("--config", default=None, help="config file for the default FAQ")
    parser.add_argument(
        "--learned",
        metavar="JSONL",
        help="phrasings to teach first: JSON lines with 'text' and 'faq' (an entry id), "
        "such as labelled past messages; lines without 'faq' are skipped",
    )


def _lessons(path: str) -> dict[str, list[str]]:
    """Entry id → texts from a JSON-lines file; a bad line is a FaqError naming it."""
    from bot.faq import FaqError

    learned: dict[str, list[str]] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FaqError(path, None, f"cannot read the phrasings ({exc})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text, entry = record.get("text"), record.get("faq")
        except (ValueError, AttributeError):
            raise FaqError(path, f"line {number}", "not a JSON object") from None
        if entry is None:
            continue
        if not isinstance(text, str) or not isinstance(entry, str):
            raise FaqError(path, f"line {number}", "'text' and 'faq' must be text")
        learned.setdefault(entry, []).append(text)
    return learned


def _index(args: argparse.Namespace) -> FaqIndex | None:
    """The FAQ of --faq, or of the config; None (after one line on stderr) when unusable."""
    from bot.faq import FaqError, FaqIndex
    from bot.faq.intents import IntentModelError, default_model

    path = args.faq
    if path is None:
        from bot.cli import DEFAULT_CONFIG
        from bot.config import ConfigError, load_settings

        try:
            path = load_settings(args.config or DEFAULT_CONFIG).faq
        except ConfigError as exc:
            print(f"config error: {exc} (or give --faq PATH)", file=sys.stderr)
            return None
    try:
        default_model()
    except IntentModelError as exc:
        print(f"intent model error: {exc}", file=sys.stderr)
        return None
    try:
        return FaqIndex.load(path, _lessons(args.learned) if args.learned else None)
    except FaqError as exc:
        print(f"faq error: {exc}", file=sys.stderr)
        return None


def _triage(args: argparse.Namespace) -> int:
    """The contract of DESIGN §3: one JSON object per input line, in order."""
    from bot.faq import understand
    from bot.faq.text import read_ahead

    index = _index(args)
    if index is None:
        return 2
    out = sys.stdout.buffer
    try:
        for window in _windows(sys.stdin.buffer):
            for text in read_ahead(window):
                result = understand(index, text, listen=True)
                decision = result.decision
                answered = result.intent == "question" and decision.outcome == "answer"
                record = {
                    "text": text,
                    "intent": result.intent,
                    "faq": decision.entry.id if answered and decision.entry else None,
                    "score": round(decision.score, 4),
                }
                out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            out.flush()  # a caller that writes a line and waits for its answer gets it now
    finally:
        out.flush()
    return 0


def _windows(stream: BinaryIO) -> Iterator[list[str]]:
    """The lines that have arrived on `stream`, as many as are there at each read (the analyser
    reads them together). One message per "\n"-terminated line, whatever else a line holds
    (a lone "\r", bytes that are not UTF-8): the output must keep step with the input."""
    pending = b""
    while chunk := stream.read1(READ_SIZE):
        *lines, pending = (pending + chunk).split(b"\n")
        if lines:
            yield [_line(line) for line in lines]
    if pending:
        yield [_line(pending)]


def _line(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").removesuffix("\r")


def _check(args: argparse.Namespace) -> int:
    from bot.faq.report import confusions

    index = _index(args)
    if index is None:
        return 2
    found = confusions(index)
    print(f"{len(index.entries)} entries; {len(found)} phrasing(s) the matcher confuses.")
    for item in found:
        print(item.describe())
    if found:
        print(
            "\nTo fix: make the questions and variants of these entries more distinct, or "
            "merge entries that answer the same thing."
        )
    if any(item.learned for item in found):
        print(
            "A learned phrasing listed is a lesson that did not take or that contradicts "
            "another: `/unlearn N` the ticket it came from (`sotong learned` names it)."
        )
    return 0


def _ask(args: argparse.Namespace) -> int:
    from bot.faq.report import explain

    index = _index(args)
    if index is None:
        return 2
    print(explain(index, args.text, listen=not args.mention))
    return 0
