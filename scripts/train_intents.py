"""Learn the intent model's weights (bot/faq/intents.json) from labelled messages: `make train`.

The training messages are the held-out sets of tests/faq/data whose errors were read while
the cues were written (tests/faq/data/README.md), and small talk written for training. Not
the development data of ../shared/data, which stays a measurement, nor the sets kept unread,
which stay a check of what the weights carry to departments nobody tuned for.

A county's own misread messages, as officers refiled them (`sotong learned --intents`), are
labelled lines of the same form: save them under tests/faq/data, list them in TRAINING, and
run `make train`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.faq import FaqIndex  # noqa: E402
from bot.faq.intents import MODEL_FILE, features  # noqa: E402
from bot.faq.text import analyse, clean  # noqa: E402
from bot.faq.triage import signals  # noqa: E402

DATA = ROOT / "tests" / "faq" / "data"
COUNTY_FAQ = ROOT / "data" / "faq-county.yaml"
# (FAQ of tests/faq/data, or None for the sample county FAQ; its labelled messages)
# departments whose FAQ and messages were read while the cues were written
READ = (
    "health farm culture welfare economy urban family safety housing livestock youth tax land "
    "transport water forest leisure childcare welfare2 village library roads"
)
TRAINING: list[tuple[str | None, list[str]]] = [
    (None, ["cases-county-extra", "cases-triage-extra", "cases-triage-stress"]),
    (None, ["cases-triage-examples", "chatter-train", "chatter-county-train", "civic-train"]),
    (None, ["voices-train", "young-train", "hard-train", "hard2-train"]),
    (None, ["contrast-a-train", "contrast-b-train"]),
    (None, ["cases-triage-conversations"]),
    *((f"faq-{name}", [f"cases-{name}"]) for name in READ.split()),
    ("faq-economy", ["cases-economy-paraphrased"]),
    ("faq-urban", ["cases-urban-paraphrased"]),
    ("faq-family", ["cases-family-paraphrased"]),
]
STRENGTH = 1.0  # inverse regularisation (scikit-learn's C), chosen by leave-one-set-out
PRECISION = 4  # decimals kept of each weight


def examples(data: Path = DATA) -> Iterator[tuple[dict[str, float], str]]:
    """(features, labelled intent) of every training message the model decides (a message
    with no content word is small talk without it)."""
    for faq, names in TRAINING:
        index = FaqIndex.load(data / f"{faq}.yaml" if faq else COUNTY_FAQ)
        for name in names:
            for line in (data / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                labelled = json.loads(line)
                cleaned = clean(labelled["text"])
                analysis = analyse(cleaned)
                if not analysis.terms:
                    continue
                score = index.decide(cleaned).score
                yield features(analysis, signals(analysis, score)), labelled["intent"]


def train(rows: list[tuple[dict[str, float], str]], strength: float = STRENGTH) -> dict:
    """A multinomial logistic regression, each intent weighted as if equally common."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform([found for found, _ in rows])
    labels = [intent for _, intent in rows]
    # trained to the optimum (which is unique), not to scikit-learn's default tolerance, so
    # every machine computes the same weights
    fitted = LogisticRegression(C=strength, class_weight="balanced", max_iter=10_000, tol=1e-10)
    fitted.fit(matrix, labels)
    weights = {
        name: [round(float(w), PRECISION) for w in fitted.coef_[:, column]]
        for column, name in enumerate(vectoriser.get_feature_names_out())
    }
    return {
        "about": "intent model of bot/faq/intents.py; written by scripts/train_intents.py",
        "trained_on": dict(sorted(Counter(labels).items())),
        "intents": [str(intent) for intent in fitted.classes_],
        "bias": [round(float(b), PRECISION) for b in fitted.intercept_],
        "weights": {name: w for name, w in sorted(weights.items()) if any(w)},
    }


def _one_feature_a_line(model: dict) -> str:
    """JSON a reviewer can diff: a retrained weight shows as one changed line."""
    head = {key: value for key, value in model.items() if key != "weights"}
    lines = [f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in head.items()]
    weights = [f"    {json.dumps(k, ensure_ascii=False)}: {w}" for k, w in model["weights"].items()]
    return "{\n" + ",\n".join(lines) + ',\n  "weights": {\n' + ",\n".join(weights) + "\n  }\n}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    model = train(list(examples()))
    args.out.write_text(_one_feature_a_line(model), encoding="utf-8")
    counts = ", ".join(f"{intent} {n}" for intent, n in model["trained_on"].items())
    print(f"{args.out}: {len(model['weights'])} features, trained on {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
