"""The intent model: which of question, inconvenience, suggestion or chatter a message is,
weighed from its cues.

The cues (triage.py) say what a message does: names county things, tells a problem, asks,
proposes, laughs. How much each cue counts was first set by hand, as a cascade of rules;
rules tuned on the messages we could read did not carry to departments we had not (small
talk escalated 34 of 170 on unread sets). The weights are now learned by a logistic
regression from labelled messages (`make train`, scripts/train_intents.py) and kept in
intents.json, so a decision is still a sum one can read: `sotong faq ask` lists the cues
that weighed most.

Only what a message *does* is a feature (cue counts, endings, particles, verbs), never its
nouns: a topic learned from one department's messages says nothing about another's.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

from bot.faq.text import Analysis

Intent = Literal["question", "inconvenience", "suggestion", "chatter"]
MODEL_FILE = Path(__file__).with_name("intents.json")
# morphemes that say what a message does: endings, particles, adverbs, pronouns,
# interjections, verbs and adjectives (their nouns are its topic)
_DOING = ("E", "J", "X", "IC", "MAG", "MAJ", "NP", "MM", "SF", "SE", "SW", "VV", "VA", "VX", "VC")
_LAST = 3  # how many morphemes at the end count by position: 나요, 주세요, 네요 ㅋㅋ
_LETTER = re.compile(r"[가-힣0-9a-zA-Z]")
_CAPPED = 3.0  # a cue counted more than three times adds nothing


def features(analysis: Analysis, signals: dict[str, float]) -> dict[str, float]:
    """The features of one message: its cue counts, and what its morphemes do."""
    found = {f"cue:{name}": min(value, _CAPPED) for name, value in signals.items()}
    for form, tag in analysis.morphs:
        if tag.startswith(_DOING):
            found[f"morph:{form}/{tag[:2]}"] = 1.0
    last = [(form, tag) for form, tag in analysis.morphs if not tag.startswith("S")][-_LAST:]
    for place, (form, tag) in zip(range(-len(last), 0), last, strict=True):
        doing = tag.startswith(_DOING)  # a noun at the end counts by its tag alone
        found[f"last{place}:{form}/{tag[:2]}" if doing else f"last{place}:{tag[:2]}"] = 1.0
    squeezed = analysis.text.replace(" ", "")
    end = squeezed[-1:]  # ?, ~, ㅋ, an emoji, or a letter
    found[f"end:{'letter' if _LETTER.match(end) else end}"] = 1.0
    found["length"] = min(len(squeezed), 200) / 100
    return found


class IntentModelError(ValueError):
    """The model file is missing or is not one `make train` wrote."""


@dataclass(frozen=True)
class IntentModel:
    """Learned weights: one per intent for each feature, and a bias per intent."""

    intents: tuple[Intent, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> IntentModel:
        """Read a model file; a broken one is refused with its path, not at the first
        message (where the understanding would quietly take everything for small talk)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = cls(
                intents=tuple(cast(Intent, intent) for intent in data["intents"]),
                bias=tuple(float(b) for b in data["bias"]),
                weights={name: tuple(map(float, w)) for name, w in data["weights"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            problem = f"{path}: not an intent model ({exc}); run `make train`"
            raise IntentModelError(problem) from exc
        unknown = set(model.intents) - set(get_args(Intent))
        if unknown:
            raise IntentModelError(f"{path}: {sorted(unknown)} is not an intent")
        sizes = {len(model.bias), *(len(w) for w in model.weights.values())}
        if sizes != {len(model.intents)}:
            raise IntentModelError(f"{path}: weights for {sizes} intents, not {len(model.intents)}")
        return model

    def probabilities(self, found: dict[str, float]) -> dict[Intent, float]:
        """How likely each intent is (a softmax over the weighted sums)."""
        sums = list(self.bias)
        for name, value in found.items():
            for number, weight in enumerate(self.weights.get(name, ())):
                sums[number] += weight * value
        top = max(sums)
        exps = [math.exp(s - top) for s in sums]
        total = sum(exps)
        return {intent: e / total for intent, e in zip(self.intents, exps, strict=True)}

    def decide(self, found: dict[str, float]) -> tuple[Intent, float]:
        """The likeliest intent and its probability, the triage's confidence."""
        probabilities = self.probabilities(found)
        intent = max(probabilities, key=probabilities.__getitem__)
        return intent, probabilities[intent]

    def reasons(self, found: dict[str, float], intent: Intent, limit: int = 6) -> list[str]:
        """The features that weighed most for `intent` against the others, strongest first."""
        at = self.intents.index(intent)

        def pull(name: str) -> float:
            weights = self.weights.get(name)
            if not weights:
                return 0.0
            others = (w for number, w in enumerate(weights) if number != at)
            return found[name] * (weights[at] - max(others))

        ranked = sorted((name for name in found if pull(name) > 0), key=pull, reverse=True)
        return [f"{name} {pull(name):+.2f}" for name in ranked[:limit]]


@functools.cache
def default_model() -> IntentModel:
    """The packaged model, read once per process."""
    return IntentModel.load()
