"""The lexicon: several files read as one, the analysed concepts kept in a cache file, and
some of its groups."""

from __future__ import annotations

import json

from bot.faq import concepts
from bot.faq.concepts import build_concepts, default_concepts
from bot.faq.lexicon import default_lexicon, load_lexicon


def test_files_of_one_lexicon_are_read_as_one(tmp_path):
    core = tmp_path / "core.yaml"
    core.write_text("synonyms:\n  - [소음, 소리]\nbroader:\n  세금: [취득세]\n", encoding="utf-8")
    more = tmp_path / "tax.yaml"
    more.write_text(
        "synonyms:\n  - [소음, 시끄럽다]\n  - [측정, 재다]\nbroader:\n  세금: [재산세]\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon(core, more)
    # a group headed by the same word in another file joins its concept
    assert lexicon.concepts["소리"] == lexicon.concepts["시끄럽다"] == {"소음"}
    assert lexicon.concepts["재다"] == {"측정"}
    # and the kinds of one broader word add up
    assert lexicon.broader["취득세"] == lexicon.broader["재산세"] == {"세금"}


def test_the_analysed_lexicon_is_cached_and_read_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTONG_CACHE", str(tmp_path))
    default_concepts.cache_clear()
    try:
        built = default_concepts()
        (cache,) = tmp_path.glob("concepts-*.json")
        default_concepts.cache_clear()
        assert default_concepts() == built  # read from the file this time
        assert built == build_concepts(default_lexicon())

        cache.write_text("{not json", encoding="utf-8")  # a damaged cache is rebuilt
        default_concepts.cache_clear()
        assert default_concepts() == built
        assert json.loads(cache.read_text(encoding="utf-8"))["table"]
    finally:
        default_concepts.cache_clear()


def test_the_cache_is_named_after_what_it_was_built_from(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTONG_CACHE", str(tmp_path))
    before = concepts._cache_file()
    extra = tmp_path / "lexicon"
    extra.mkdir()
    for path in concepts.lexicon.LEXICON_DIR.glob("*.yaml"):
        (extra / path.name).write_bytes(path.read_bytes())
    (extra / "local.yaml").write_text("synonyms:\n  - [군청, 청사]\n", encoding="utf-8")
    monkeypatch.setattr(concepts.lexicon, "LEXICON_DIR", extra)
    assert concepts._cache_file() != before  # an officer's new word rebuilds the cache


def test_livestock_their_barns_and_their_manure_are_three_things():
    concepts = default_concepts()
    assert "건축물" in concepts.broad("축사")  # a barn is a building …
    assert "건축물" not in concepts.broad("닭")  # … a hen is not
    assert concepts.of("가축분뇨") == concepts.of("똥") != concepts.of("가축")
    assert "축사" in concepts.broad("우사") and "수의사" in concepts.broad("공수의")


def test_residents_words_for_heating_oil_and_food_reach_the_county_words():
    concepts = default_concepts()
    assert concepts.of("기름값") == concepts.of("난방비")  # rural homes heat with oil
    assert "식품" in concepts.broad("통조림") and "식품" in concepts.broad("쌀")
    assert "참말" in concepts.stopwords  # 그게 참말이유?: "really?", not a topic
