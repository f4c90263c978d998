"""Merging ranked chunks: touching paragraphs of one article become one verbatim quote."""

from __future__ import annotations

import numpy as np

from bot.answer.merge import merge_duplicates
from bot.encoders.fake import FakeEncoder
from bot.ingest.chunking import ChunkParams, chunk_article
from bot.models import Article, Chunk, Source
from bot.search.hybrid import Hit

LEDE = ("Russia's Ministry of Justice on Friday added The Way Home to its register of foreign agents, a label "
        "with Soviet-era overtones.")
REASON = ("In its weekly update of the register on May 31, the ministry said the movement had spread unreliable "
          "information and had acted under foreign influence.")
OTHER = "Zotova said the movement would not close its channel or stop its Saturday visits to the Kremlin wall."


def _chunks(body: str, path: str = "a.md") -> list[Chunk]:
    article = Article(source=Source(path=path), body=body, content_hash="x")
    return chunk_article(article, ChunkParams(max_tokens=40, min_tokens=5), FakeEncoder().count_tokens)


def _vectors(n: int) -> np.ndarray:
    return np.eye(n, dtype=np.float32)


def test_a_lower_ranked_paragraph_that_follows_the_best_one_joins_its_quote() -> None:
    body = f"{LEDE}\n\n{REASON}\n\n{OTHER}"
    chunks = _chunks(body)
    assert [c.text for c in chunks] == [LEDE, REASON, OTHER] and chunks[1].lead == "\n\n"
    groups = merge_duplicates([Hit(0, 0.9, 0, 0), Hit(2, 0.8, 0, 0), Hit(1, 0.5, 0, 0)], chunks, _vectors(3))
    assert [g.text for g in groups] == [f"{LEDE}\n\n{REASON}", OTHER]  # the text as it stands in the body
    assert groups[0].members == [0, 1] and groups[0].text in body


def test_a_better_ranked_paragraph_is_prefixed_by_the_one_before_it() -> None:
    body = f"{LEDE}\n\n{REASON}"
    chunks = _chunks(body)
    groups = merge_duplicates([Hit(1, 0.9, 0, 0), Hit(0, 0.5, 0, 0)], chunks, _vectors(2))
    assert len(groups) == 1 and groups[0].text == body and groups[0].hit.index == 1


def test_paragraphs_apart_or_in_other_articles_stay_separate_results() -> None:
    body = f"{LEDE}\n\n{OTHER}\n\n{REASON}"
    chunks = _chunks(body) + _chunks(REASON, "b.md")
    hits = [Hit(0, 0.9, 0, 0), Hit(2, 0.8, 0, 0)]
    assert len(merge_duplicates(hits, chunks, _vectors(4))) == 2  # not neighbours
    groups = merge_duplicates([Hit(0, 0.9, 0, 0), Hit(3, 0.8, 0, 0)], chunks, _vectors(4))
    assert len(groups) == 2  # the next paragraph of another article


def test_a_quote_grows_by_at_most_one_neighbour_and_a_duplicate_is_not_widened() -> None:
    body = f"{LEDE}\n\n{REASON}\n\n{OTHER}"
    chunks = _chunks(body)
    groups = merge_duplicates([Hit(1, 0.9, 0, 0), Hit(0, 0.8, 0, 0), Hit(2, 0.7, 0, 0)], chunks, _vectors(3))
    assert [g.text for g in groups] == [f"{LEDE}\n\n{REASON}", OTHER]  # a third paragraph is too long to join
    reprint = _chunks(REASON, "b.md")
    both = chunks + reprint
    groups = merge_duplicates([Hit(1, 0.9, 0, 0), Hit(3, 0.85, 0, 0), Hit(0, 0.8, 0, 0)], both, _vectors(4))
    assert groups[0].text == REASON and groups[0].others == [3]  # still the very text both articles carry
    assert [g.text for g in groups[1:]] == [LEDE]


def test_no_whitespace_known_between_chunks_means_no_join() -> None:
    chunks = [Chunk(chunk_id="a#0", article_path="a.md", start=0, end=5, paragraph=0, text="Hello"),
              Chunk(chunk_id="a#1", article_path="a.md", start=9, end=14, paragraph=1, text="World")]
    groups = merge_duplicates([Hit(0, 0.9, 0, 0), Hit(1, 0.8, 0, 0)], chunks, _vectors(2))
    assert [g.text for g in groups] == ["Hello", "World"]
