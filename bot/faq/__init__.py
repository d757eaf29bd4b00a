"""Understanding residents: the FAQ index, the matcher and the triage of messages.

Pure and fast (no I/O besides reading the FAQ file); the Korean analyser loads lazily, once
per process, so importing this package costs little.
"""

from bot.faq.entries import FaqEntry, FaqError, load_entries
from bot.faq.index import Decision, FaqIndex
from bot.faq.source import FaqSource
from bot.faq.understand import Understanding, understand

__all__ = [
    "Decision",
    "FaqEntry",
    "FaqError",
    "FaqIndex",
    "FaqSource",
    "Understanding",
    "load_entries",
    "understand",
]
