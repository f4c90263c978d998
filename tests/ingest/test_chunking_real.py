"""With the real model's tokenizer: every indexed chunk fits the model's maximum sequence length (checked with
the tokenizer that embeds it, without truncation), and chunk spans are exact slices of the article bodies."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS

from bot.encoders.onnx_encoder import OnnxEncoder
from bot.index import store as index_store
from bot.ingest.chunking import ChunkParams, chunk_article
from bot.ingest.corpus import load_corpus
from bot.models import Article, Source

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def encoder(real_index: Path) -> OnnxEncoder:
    data = index_store.load(real_index)
    return OnnxEncoder(real_index / data.manifest.encoder_dir)


def test_indexed_chunks_fit_the_model(real_index: Path, encoder: OnnxEncoder) -> None:
    data = index_store.load(real_index)
    limit = data.manifest.chunker["max_tokens"]
    assert limit <= encoder.max_tokens
    counts = encoder.count_tokens([c.text for c in data.chunks])
    assert max(counts) <= limit
    bodies = {a.source.path: a.body for a in load_corpus(CORPUS).articles}
    for chunk in data.chunks:
        assert bodies[chunk.article_path][chunk.start : chunk.end] == chunk.text


def test_text_the_tokenizer_explodes_still_fits(encoder: OnnxEncoder) -> None:
    """URLs, numbers and non-Latin scripts take many word pieces per word: the budget is measured, not guessed."""
    body = ("See https://example.org/" + "a1b2c3" * 200 + " for details. "
            + "Числа 1234567890 9876543210 " * 60 + "конец. " + "漢字" * 300 + "。")
    params = ChunkParams(max_tokens=encoder.max_tokens)
    chunks = chunk_article(Article(source=Source(path="x.md"), body=body, content_hash="x"), params,
                           encoder.count_tokens)
    assert len(chunks) > 3
    assert max(encoder.count_tokens([c.text for c in chunks])) <= encoder.max_tokens
    assert all(body[c.start : c.end] == c.text for c in chunks)
