"""Every quoted paragraph answers its question, on every eval set, with the real model, and trimming costs no
hit (issue 24).

Each question of tests/eval and of every tests/fixtures/*/questions.yaml (its articles indexed beside the
seeds) is asked as ``wayhome ask`` asks it; every paragraph of every quote (shown or behind /more) must then
have its own evidence for the question, measured here again — in a passage the question's model reads, its
cosine in that model's space plus the weighted share of the question's words, at the quotable line
``min_passage``; in a passage only its language pair judges (an English question's Russian passage), its
multilingual cosine on the pair's scale, at the pair's floor — or hold the highlighted sentence, or hold a word
of the question that none of those paragraphs holds, or be the
context of such a paragraph (it leans on it, or the paragraph after it leans back on it: "She…"). Russian
questions and answers across languages are checked as English ones are. Before quotes were trimmed, "Who is Maria Andreyeva?"
quoted a paragraph on the Kremlin's denial of a second mobilisation, which has none of these.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, ROOT, run_cli
from test_eval_thresholds import fixture_corpus, settings_for

from bot.answer import assemble
from bot.answer.assemble import decide
from bot.answer.highlight import sentence_score
from bot.answer.relevance import Thresholds
from bot.answer.trim import CUT, paragraph_texts, pieces
from bot.calibration import WEIGHTS
from bot.engine import Engine
from bot.evaluation.harness import judge, load_items
from bot.ingest.chunking import leans_back
from bot.models import Answer
from bot.search.hybrid import Searcher, SearchResult
from bot.text.normalize import clean_text, keyword_tokens

pytestmark = pytest.mark.slow
# the movement's fixture sets (the XQuAD development corpus is Wikipedia, measured by `wayhome eval`)
FIXTURES = sorted(p.parent for p in (ROOT / "tests" / "fixtures").glob("*/questions.yaml") if p.parent.name != "xquad")


def unjustified(engine: Engine, question: str, answer: Answer) -> list[str]:
    """The quoted paragraphs of ``answer`` without evidence for ``question`` (nor a highlight, nor context)."""
    searcher = engine.searcher
    result, rel = decide(searcher, " ".join(clean_text(question).split()), answer.language, None)
    lacking: list[str] = []
    articles = engine.data.manifest.articles or {}
    for passage in answer.results:  # the passages behind "More" are quoted whole
        entry = articles.get(passage.source.path)
        language = entry.language if entry is not None and entry.language else "en"
        paragraphs = [t for part in pieces(passage.text) for t in paragraph_texts(part)]
        if len(paragraphs) < 2 and CUT not in passage.text:
            continue  # quoted whole: the passage itself reached the quotable line
        if language in result.readable or language not in result.lines:
            own = readable_evidence(searcher, result, rel, paragraphs)
        else:
            own = pair_evidence(searcher, result, language, paragraphs)
        own = [yes or passage.highlight in text for yes, text in zip(own, paragraphs, strict=True)]
        wanted = {t for t, w in result.query.weights.items() if w > 0}
        covered = set().union(*(wanted & set(keyword_tokens(t)) for t, yes in zip(paragraphs, own, strict=True) if yes))
        own = [yes or bool(wanted & set(keyword_tokens(t)) - covered) for yes, t in zip(own, paragraphs, strict=True)]
        for i, text in enumerate(paragraphs):
            context = (i > 0 and leans_back(text) and own[i - 1]) or (
                i + 1 < len(paragraphs) and leans_back(paragraphs[i + 1]) and own[i + 1])
            if not own[i] and not context:
                lacking.append(f"{question!r} [{passage.rank}] {passage.chunk_id}: {text[:80]}")
    return lacking


def readable_evidence(searcher: Searcher, result: SearchResult, rel: Thresholds, paragraphs: list[str]) -> list[bool]:
    """A passage the question's model reads: each paragraph's cosine in that model's space plus its weighted
    word coverage, at the quotable line or near the best paragraph (see ``bot.answer.trim.answering``)."""
    encoder = searcher.ml_encoder if result.model != searcher.encoder.model else searcher.encoder
    assert encoder is not None and result.vector is not None
    cosines = np.asarray(encoder.encode(paragraphs, batch_size=1)) @ result.vector
    scores = [float(c) + rel.coverage_weight * sentence_score(t, result.query, None)
              for t, c in zip(paragraphs, cosines, strict=True)]
    near = rel.min_cosine + WEIGHTS.paragraph_share * (max(scores) - rel.min_cosine)
    return [s >= rel.min_passage or (s > rel.min_cosine and s >= near) for s in scores]


def pair_evidence(searcher: Searcher, result: SearchResult, language: str, paragraphs: list[str]) -> list[bool]:
    """A passage only its language pair judges (an English question's Russian passage): each paragraph's
    multilingual cosine on the pair's scale, at the pair's floor or near the best paragraph (see
    ``bot.answer.trim.answering_judged``)."""
    line, offset = result.lines[language], result.offsets[language]
    assert searcher.ml_encoder is not None and result.ml_vector is not None
    cosines = np.asarray(searcher.ml_encoder.encode(paragraphs, batch_size=1)) @ result.ml_vector
    scores = [line.judged(float(c), offset) for c in cosines]
    near = WEIGHTS.paragraph_share * max(max(scores), 0.0)
    return [s >= line.floor or (s > 0.0 and s >= near) for s in scores]


def ask_every(engine: Engine, folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every quoted paragraph without evidence, and every question whose outcome (answered, rank of the first
    hit) differs from the one with every quote whole: trimming must not cost a hit."""
    items = load_items([folder])
    answers = [engine.ask(item.question, k=3) for item in items]
    problems = [line for item, answer in zip(items, answers, strict=True)
                for line in unjustified(engine, item.question, answer)]
    with monkeypatch.context() as patch:
        patch.setattr(assemble, "_answering", lambda groups, *_: [[True] * len(paragraph_texts(g.text))
                                                                  for g in groups])
        for item, answer in zip(items, answers, strict=True):
            trimmed, whole = judge(item, answer), judge(item, engine.ask(item.question, k=3))
            if (trimmed.answered, trimmed.rank) != (whole.answered, whole.rank):
                problems.append(f"{item.question!r}: first hit at {trimmed.rank} trimmed, {whole.rank} whole")
    return problems


def test_no_quoted_paragraph_of_the_eval_sets_lacks_evidence(real_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine.open(settings_for(CORPUS, real_index))
    maria = engine.ask("Who is Maria Andreyeva?", k=3)
    assert "Maria Andreyeva, a famous activist" in maria.results[0].text
    assert all("The Kremlin has denied" not in p.text for p in maria.results)
    assert ask_every(engine, ROOT / "tests" / "eval", monkeypatch) == []


@pytest.mark.parametrize("folder", FIXTURES, ids=[f.name for f in FIXTURES])
def test_no_quoted_paragraph_of_the_fixture_sets_lacks_evidence(folder: Path, real_index: Path,
                                                                 tmp_path_factory: pytest.TempPathFactory,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, index = fixture_corpus(real_index, tmp_path_factory, folder)
    assert ask_every(Engine.open(settings_for(corpus, index)), folder / "questions.yaml", monkeypatch) == []


def test_maria_andreyeva_is_quoted_without_the_kremlin_paragraph_in_json_the_repl_and_telegram_html(
        real_index: Path) -> None:
    where = ("--corpus", str(CORPUS), "--index", str(real_index))
    env = {"WAYHOME_EMBEDDING_MODEL": "all-MiniLM-L6-v2"}
    data = json.loads(run_cli("ask", "--json", "Who is Maria Andreyeva?", *where, env=env).stdout)
    first = data["results"][0]
    assert first["text"].startswith("Maria Andreyeva, a famous activist") and first["text"].endswith(f"\n{CUT}")
    assert first["source"]["publisher"] == "The News God" and first["source"]["url"].startswith("https://thenewsgod")
    for mode in ((), ("--telegram",)):
        shown = run_cli("repl", *mode, *where, env=env, input="Who is Maria Andreyeva?\n").stdout
        assert "Maria Andreyeva, a famous activist" in shown and "The Kremlin has denied" not in shown
    assert '<a href="https://thenewsgod.com/bring-our-men-home-russian-women-to-putin">' in shown
