"""The intent model: trained from the labelled sets, readable, and reproducible."""

from __future__ import annotations

import json

import pytest

from bot.faq.intents import MODEL_FILE, IntentModel, IntentModelError, default_model, features
from bot.faq.text import analyse
from bot.faq.triage import signals
from scripts.train_intents import examples, train


def test_the_packaged_model_is_what_training_on_the_labelled_sets_gives():
    """Change a cue, the lexicon or a training set, and `make train` must be run again."""
    packaged = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    trained = train(list(examples()))
    assert trained["intents"] == packaged["intents"]
    assert trained["trained_on"] == packaged["trained_on"]
    assert set(trained["weights"]) == set(packaged["weights"])
    for name, weights in trained["weights"].items():
        assert weights == pytest.approx(packaged["weights"][name], abs=1e-3), name
    assert trained["bias"] == pytest.approx(packaged["bias"], abs=1e-3)


def test_only_what_a_message_does_is_a_feature_never_its_topic():
    analysis = analyse("가로등 언제 고쳐줘요?")
    found = features(analysis, signals(analysis, 0.35))
    assert not [name for name in found if "가로등" in name]
    assert found["cue:fix"] == 2.0 and found["morph:언제/MA"] == 1.0 and found["end:?"] == 1.0
    ending_in_a_place = analyse("쓰레기 안 가져가요 병영면 감나무골")
    found = features(ending_in_a_place, signals(ending_in_a_place, 0.2))
    assert not [name for name in found if "감나무" in name or "병영" in name]
    assert found["last-1:NN"] == 1.0 and found["end:letter"] == 1.0


def test_a_decision_is_a_sum_one_can_read():
    model = default_model()
    analysis = analyse("면사무소 앞 가로등 또 나갔어요 새터마을 입구")
    found = features(analysis, signals(analysis, 0.2))
    probabilities = model.probabilities(found)
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert model.decide(found)[0] == "inconvenience"
    assert model.reasons(found, "inconvenience")[0].startswith("cue:")


def test_an_unknown_feature_counts_for_nothing():
    model = IntentModel(("chatter", "question"), (0.0, 0.0), {"cue:asked": (0.0, 2.0)})
    assert model.probabilities({"never-seen": 5.0}) == {"chatter": 0.5, "question": 0.5}
    assert model.decide({"cue:asked": 1.0})[0] == "question"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "not an intent model"),
        ('{"intents": ["chatter", "question"], "bias": [0.0], "weights": {}}', "weights for"),
        ('{"intents": ["chatter"], "weights": {}}', "'bias'"),
        ('{"intents": ["maybe"], "bias": [0.0], "weights": {}}', "is not an intent"),
    ],
)
def test_a_broken_model_file_is_refused_with_its_path(tmp_path, text, why):
    path = tmp_path / "intents.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IntentModelError, match=why) as refused:
        IntentModel.load(path)
    assert str(path) in str(refused.value)
