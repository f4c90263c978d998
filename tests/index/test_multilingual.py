"""Questions not in English go to the multilingual vectors; English ones stay on the main model."""

from __future__ import annotations

import numpy as np
import pytest

from bot.answer.relevance import UncalibratedModel, relevance_for
from bot.encoders.base import encode_queries
from bot.engine import Engine
from bot.index import store
from bot.index.build import build_index
from bot.index.calibrate import offsets
from bot.index.multilingual import generic_languages, multilingual_model
from bot.settings import Settings


def test_a_second_vector_space_is_built_and_used_for_russian(fake_settings: Settings) -> None:
    settings = fake_settings.model_copy(update={"multilingual_model": "fake:32"})
    build_index(settings)
    data = store.load(settings.index_dir)
    assert data.manifest.multilingual_model == "fake:32"
    assert data.ml_vectors is not None and data.ml_vectors.shape == (len(data.chunks), 32)
    assert data.manifest.pairs is not None and {"en→en", "ru→en"} <= set(data.manifest.pairs)
    engine = Engine.open(settings)
    russian = engine.searcher.search("Кто такая Olga Tsukanova?", "ru")
    assert russian.model == "fake:32" and set(russian.lines) == {"en"}, "every pair of a Russian question calibrated"
    assert all(h.calibrated and h.standard is not None for h in russian.hits)
    assert "Tsukanova" in data.chunks[russian.hits[0].index].text
    english = engine.searcher.search("Who is Olga Tsukanova?", "en")
    assert english.model == "fake:64" and english.lines == {}, "English on English: the main model's to judge"
    # the fake vectors carry no meaning, so the calibrated line's answer is not checked here (the real models'
    # figures are in tests/eval/README.md); the answer follows the search's order
    answer = engine.ask("Кто такая Olga Tsukanova?")
    assert answer.language == "ru"
    assert not answer.answered or "Tsukanova" in answer.results[0].text


def test_changing_the_multilingual_model_makes_the_index_stale(fake_settings: Settings) -> None:
    from bot.index.status import stale_reasons

    build_index(fake_settings)
    assert stale_reasons(fake_settings) == []
    changed = fake_settings.model_copy(update={"multilingual_model": "fake:32"})
    assert "multilingual model changed" in stale_reasons(changed)


def test_no_second_space_when_one_model_serves_every_language(fake_settings: Settings) -> None:
    assert multilingual_model(fake_settings) == ""  # the fake main model without a fake multilingual one
    same = fake_settings.model_copy(update={"embedding_model": "multilingual-e5-small"})
    assert multilingual_model(same) == ""


def test_a_model_without_calibrated_thresholds_is_refused() -> None:
    assert relevance_for("multilingual-e5-small").min_cosine > relevance_for("all-MiniLM-L6-v2").min_cosine
    with pytest.raises(UncalibratedModel, match="wayhome eval"):
        relevance_for("BAAI/bge-small-en")


def test_an_english_question_meets_russian_passages_on_their_pairs_scale(fake_settings: Settings) -> None:
    import shutil

    from conftest import ROOT

    for path in (ROOT / "tests" / "fixtures" / "ru").glob("*.md"):
        shutil.copy(path, fake_settings.corpus_dir / path.name)
    settings = fake_settings.model_copy(update={"multilingual_model": "fake:32"})
    build_index(settings)
    engine = Engine.open(settings)
    assert "ru" in engine.data.manifest.languages and engine.data.manifest.pairs is not None
    result = engine.searcher.search("Who is Olga Tsukanova?", "en")
    assert set(result.lines) == {"ru"}, "Russian passages are judged by the en→ru line, English ones by MiniLM's"
    russian = [h for h in result.hits if h.language == "ru"]
    english = [h for h in result.hits if h.language == "en"]
    assert russian and english, "the multilingual neighbours bring the Russian passages in"
    assert all(h.calibrated and h.standard is not None for h in russian)
    assert not any(h.calibrated for h in english)
    assert [h.order for h in result.hits] == sorted((h.order for h in result.hits), reverse=True)
    searcher, data = engine.searcher, engine.data
    assert searcher.ml_encoder is not None and data.ml_vectors is not None and data.ml_generic is not None
    vector = encode_queries(searcher.ml_encoder, [result.query.dense_text])[0]
    assert data.manifest.generic_languages == tuple(generic_languages()) and {"en", "ru"} <= set(generic_languages())
    near = float(offsets(vector[None, :], data.ml_generic, generic_languages(), ["ru"])["ru"][0])
    assert near != 0.0, "the question's closeness to the Russian generic texts"
    cosine = float(np.asarray(data.ml_vectors[russian[0].index]) @ vector)
    pair = data.manifest.pairs["en→ru"]
    assert russian[0].standard == pytest.approx(pair.standard(cosine), abs=1e-4), "ranked on the pair's scale"
    assert russian[0].judged == pytest.approx(pair.judged(cosine, near), abs=1e-4), "judged less its offset"


def test_russian_passages_get_no_english_model_vector_when_a_multilingual_model_reads_them(
        fake_settings: Settings) -> None:
    """The English model cannot read Cyrillic (and embedding it cost more than the multilingual model): with a
    multilingual model, Russian passages get a zero main-model vector; without one they keep the main model's."""
    import shutil

    from conftest import ROOT

    for path in (ROOT / "tests" / "fixtures" / "ru").glob("*.md"):
        shutil.copy(path, fake_settings.corpus_dir / path.name)
    for model, zero in (("fake:32", True), ("", False)):
        settings = fake_settings.model_copy(update={"multilingual_model": model})
        build_index(settings, force=True)
        data = store.load(settings.index_dir)
        articles = data.manifest.articles or {}
        norms = np.linalg.norm(np.asarray(data.vectors), axis=1)
        russian = [i for i, c in enumerate(data.chunks) if articles[c.article_path].language == "ru"]
        english = [i for i, c in enumerate(data.chunks) if articles[c.article_path].language == "en"]
        assert russian and english
        assert np.all(norms[english] > 0.99)
        assert np.all(norms[russian] == 0) if zero else np.all(norms[russian] > 0.99)
    settings = fake_settings.model_copy(update={"multilingual_model": "fake:32"})
    build_index(settings, force=True)
    engine = Engine.open(settings)
    result = engine.searcher.search("Who is Olga Tsukanova?", "en")
    assert any(h.language == "ru" and h.calibrated for h in result.hits), "still met through their pair"


def test_each_language_brings_its_own_nearest_passages_into_the_pool(fake_settings: Settings) -> None:
    """The multilingual model scores passages in the question's language higher whatever they say: one pool for
    all languages held few of the others' (blind set4, seen: 16 of 50 cross-language answers in no candidate
    list). Each language brings its own ``pool`` nearest, in questions of either language."""
    import shutil

    from conftest import ROOT

    from bot.search.hybrid import Searcher

    for path in (ROOT / "tests" / "fixtures" / "ru").glob("*.md"):
        shutil.copy(path, fake_settings.corpus_dir / path.name)
    settings = fake_settings.model_copy(update={"multilingual_model": "fake:32"})
    build_index(settings)
    engine = Engine.open(settings)
    data, pool = engine.data, 2
    searcher = Searcher(data, engine.searcher.encoder, pool=pool, ml_encoder=engine.searcher.ml_encoder)
    assert searcher.ml_encoder is not None and data.ml_vectors is not None
    languages = searcher.languages
    for question, language in (("Кто такая Ольга Цуканова?", "ru"), ("Who is Olga Tsukanova?", "en")):
        result = searcher.search(question, language)
        vector = encode_queries(searcher.ml_encoder, [result.query.dense_text])[0]
        cosines = np.asarray(data.ml_vectors, np.float32) @ vector
        found = {h.index for h in result.hits}
        for code in ("en", "ru"):
            mine = np.flatnonzero(languages == code)
            nearest = mine[np.argsort(-cosines[mine])[:pool]]
            assert set(nearest.tolist()) <= found, f"{language} question: the {pool} nearest {code} passages"
        assert [h.order for h in result.hits] == sorted((h.order for h in result.hits), reverse=True)


def test_a_corpus_of_two_languages_stores_its_words_and_a_russian_question_carries_them(fake_settings: Settings,
                                                                                      monkeypatch: pytest.MonkeyPatch
                                                                                      ) -> None:
    import shutil

    from conftest import ROOT

    from bot.search import translation

    settings = fake_settings.model_copy(update={"multilingual_model": "fake:32"})
    build_index(settings)
    assert store.load(settings.index_dir).ml_words is None, "one language: nothing to carry words between"
    for path in (ROOT / "tests" / "fixtures" / "ru").glob("*.md"):
        shutil.copy(path, settings.corpus_dir / path.name)
    build_index(settings)
    engine = Engine.open(settings)
    words = engine.data.ml_words
    assert words is not None and {"en", "ru"} <= set(words.languages) and len(words.vectors) == len(words.words)
    assert engine.searcher.translations is not None
    asked: list[str] = []
    original = translation.Translations.translate

    def spy(self: translation.Translations, words: dict[str, str], encoded: dict[str, np.ndarray]
            ) -> dict[str, set[str]]:
        asked.append(" ".join(words))
        return original(self, words, encoded)

    monkeypatch.setattr(translation.Translations, "translate", spy)
    engine.searcher.search("Кто такая Ольга Цуканова?", "ru")
    engine.searcher.search("Who is Olga Tsukanova?", "en")
    assert len(asked) == 1 and "ольга" in asked[0], "only a question the multilingual model reads is carried"
