"""Answers with the fake encoder: honest refusals, verbatim quotes, merged duplicates, date order."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.answer.assemble import newest_first
from bot.answer.merge import containment, merge_duplicates
from bot.answer.relevance import Thresholds, is_relevant
from bot.answer.trim import pieces
from bot.engine import Engine
from bot.ingest.corpus import read_article
from bot.models import Answer, Chunk, Notice, Source
from bot.search.hybrid import Hit, SearchResult

TSUKANOVA = ("From September 2022 onward, a \"Council of Mothers and Wives\" of military personnel held vigils near "
             "the Military Prosecutor's Office and the headquarters of the Western Military District in St. "
             "Petersburg.")


def bodies(corpus: Path) -> dict[str, str]:
    """Article bodies by corpus-relative path, as ingest reads them."""
    return {p.name: read_article(p, corpus)[0].body for p in corpus.iterdir() if p.suffix in {".md", ".txt", ".html"}}


def assert_verbatim(answer: Answer, corpus: Path) -> None:
    texts = bodies(corpus)
    for passage in answer.results + answer.more:
        assert all(part in texts[passage.source.path] for part in pieces(passage.text))  # verbatim between cuts
        assert passage.highlight and passage.highlight in passage.text


@pytest.fixture
def engine(fake_settings) -> Engine:  # type: ignore[no-untyped-def]
    return Engine.open(fake_settings)


@pytest.mark.parametrize("question", ["asdkjh qwpoe zmxncb", "How do I reset my router password?"])
def test_questions_the_corpus_cannot_answer_are_refused(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert not answer.answered and answer.results == [] and answer.more == []
    assert answer.notice is Notice.NOT_FOUND


@pytest.mark.parametrize("question", ["", "   ", "?!", "…"])
def test_a_question_without_words_gets_the_usage_hint(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert not answer.answered and answer.notice is Notice.USAGE


@pytest.mark.parametrize("question", ["Who is Olga Tsukanova?", "how many folowers does the way home have",
                                      "Put Domoy", "617000 troops", "What did Anastasia Slavik say?"])
def test_every_quote_is_verbatim_and_its_highlight_is_a_sentence_of_it(engine: Engine, fake_settings,  # type: ignore[no-untyped-def]
                                                                        question: str) -> None:
    answer = engine.ask(question, k=3)
    assert answer.answered and 1 <= len(answer.results) <= 3
    assert [p.rank for p in answer.results + answer.more] == list(range(1, len(answer.results + answer.more) + 1))
    assert answer.results[0].score == 1.0
    assert_verbatim(answer, fake_settings.corpus_dir)


def test_relevance_needs_evidence_from_both_retrievers() -> None:
    rel = Thresholds(min_evidence=0.5, coverage_weight=0.6)
    result = SearchResult([Hit(0, 0.30, 1.0, 0.5), Hit(1, 0.45, 0.0, 0.0)], query=None)  # type: ignore[arg-type]
    assert is_relevant(result, rel)  # 0.30 + 0.6 * 0.5 = 0.60: fair cosine backed by the question's words
    result.hits = [Hit(0, 0.45, 0.0, 0.0), Hit(1, 0.10, 1.0, 0.6)]
    assert not is_relevant(result, rel)  # neither signal alone is enough
    result.hits = []
    assert not is_relevant(result, rel)


def test_newer_dates_sort_first_and_undated_last() -> None:
    dated = [Source(published=d, path=d or "none") for d in ("2023-12-09", "", "2024-05-31", "2024-05")]
    assert [s.path for s in sorted(dated, key=newest_first)] == ["2024-05-31", "2024-05", "2023-12-09", "none"]


def chunk(path: str, start: int, body: str, length: int) -> Chunk:
    return Chunk(chunk_id=f"{path}#{start}", article_path=path, start=start, end=start + length, paragraph=0,
                 text=body[start : start + length])


def test_overlapping_chunks_of_one_article_become_one_verbatim_quote() -> None:
    body = " ".join(f"Sentence number {n} says something different." for n in range(12))
    chunks = [chunk("a.md", 0, body, 200), chunk("a.md", 150, body, 200), chunk("b.md", 0, "x" * 400, 100)]
    vectors = np.eye(3, dtype=np.float32)
    groups = merge_duplicates([Hit(1, 0.9, 0, 0), Hit(0, 0.8, 0, 0), Hit(2, 0.7, 0, 0)], chunks, vectors)
    assert len(groups) == 2 and groups[0].members == [1, 0]
    assert groups[0].text == body[0:350] and groups[0].start == 0 and groups[0].end == 350


def test_the_same_paragraph_in_two_articles_is_one_result_citing_both() -> None:
    para = TSUKANOVA + " The leader of the organization was arrested several times."
    body_a, body_b = "Intro of A. " + para, para + " And B goes on about something else entirely, at length."
    chunks = [chunk("a.md", 0, body_a, len(body_a)), chunk("b.md", 0, body_b, len(body_b))]
    assert containment(chunks[0].text, chunks[1].text) > 0.8
    vectors = np.eye(2, dtype=np.float32)  # embeddings disagree: the text overlap alone decides
    groups = merge_duplicates([Hit(0, 0.9, 0, 0), Hit(1, 0.8, 0, 0)], chunks, vectors)
    assert len(groups) == 1 and groups[0].others == [1]


def test_duplicated_article_paragraph_is_merged_and_the_newer_source_leads(fake_settings) -> None:  # type: ignore[no-untyped-def]
    corpus = fake_settings.corpus_dir
    dw = corpus / "dw-2023-12-09-russian-soldiers-wives-bring-them-home.md"
    paragraph = next(p for p in dw.read_text().split("\n\n") if p.startswith("From September 2022 onward"))
    (corpus / "reprint.md").write_text("---\ntitle: Reprint\npublisher: Example Weekly\nurl: https://example.org/r\n"
                                       f"published: 2024-01-15\n---\n\n{paragraph}\n")
    engine = Engine.open(fake_settings)
    answer = engine.ask("Who is Olga Tsukanova?", k=3)
    carrying = [p for p in answer.results + answer.more if "Olga Tsukanova" in p.text]
    assert len(carrying) == 1
    passage = carrying[0]
    assert passage.source.path == "reprint.md" and passage.source.published == "2024-01-15"
    assert [s.path for s in passage.also_in] == [dw.name]
    assert_verbatim(answer, corpus)


def test_an_answer_quotes_each_article_passage_once(engine: Engine) -> None:
    answer = engine.ask("Theatre Square flowers Eternal Flame police", k=3)
    spans = [(p.source.path, p.text) for p in answer.results + answer.more]
    for n, (path, text) in enumerate(spans):
        for other_path, other in spans[n + 1 :]:
            assert path != other_path or (text not in other and other not in text)


def test_html_and_txt_articles_are_quoted_verbatim(fake_settings) -> None:  # type: ignore[no-untyped-def]
    fixtures = Path(__file__).parents[1] / "fixtures" / "unseen"
    for name in ("saturday-flowers.html", "yekaterinburg-chapter.txt"):
        shutil.copy(fixtures / name, fake_settings.corpus_dir / name)
    engine = Engine.open(fake_settings)
    for question, wanted in (("How many journalists were detained?", "27 journalists"),
                             ("Irina Volkova signatures petition", "1,200 signatures")):
        answer = engine.ask(question, k=3)
        assert answer.answered and any(wanted in p.text for p in answer.results)
        assert_verbatim(answer, fake_settings.corpus_dir)
    undated = engine.ask("Yekaterinburg chapter", k=1).results[0].source
    assert undated.published == "" and undated.title == ""  # a .txt without front matter: nothing invented
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", engine.ask("white scarves", k=1).results[0].source.published)
