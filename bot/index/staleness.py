"""When an index on disk still fits the code and settings: the one home of the staleness rules.

Takes a manifest (``manifest.json`` as a dict) and what the current run wants; gives the reasons it does not fit
(empty when it does). ``index build`` reuses vectors only from a fitting index; ``index status`` and ``ask``
report the same reasons (plus keyword-tokenizer and corpus changes, which need no re-embedding).
"""

from __future__ import annotations

from typing import Any

from bot.index.multilingual import generic_digest, multilingual_model
from bot.index.store import FORMAT_VERSION
from bot.ingest.chunking import ChunkParams
from bot.ingest.corpus import READER_VERSION
from bot.settings import Settings
from bot.text.normalize import TOKENIZER_VERSION


def chunk_params(settings: Settings, model_max_tokens: int) -> ChunkParams:
    """Chunker parameters from the settings, capped by the model's maximum sequence length."""
    return ChunkParams(min(settings.chunk_max_tokens, model_max_tokens), settings.chunk_min_tokens,
                       settings.chunk_overlap_sentences)


def vector_mismatches(manifest: dict[str, Any], model: str, params: ChunkParams) -> list[str]:
    """Why the stored vectors cannot be reused: format, model, chunker or article reader changed."""
    reasons: list[str] = []
    if manifest.get("format_version") != FORMAT_VERSION:
        reasons.append("index format changed")
    if manifest.get("model") != model:
        reasons.append(f"embedding model changed ({manifest.get('model')} → {model})")
    chunker = manifest.get("chunker")
    if not isinstance(chunker, dict) or chunker.get("algorithm") != params.algorithm:
        reasons.append("chunking method changed")
    elif chunker != params.__dict__:
        reasons.append("chunking settings changed")
    if manifest.get("article_reader") != READER_VERSION:
        reasons.append("article reader changed")
    return reasons


def settings_mismatches(manifest: dict[str, Any], settings: Settings) -> list[str]:
    """Every reason the index no longer fits the code and settings (corpus changes aside)."""
    model_max = manifest.get("model_max_tokens")
    # an index from before the model's limit was recorded does not fit (ChunkParams(-1) matches no chunker)
    params = chunk_params(settings, model_max) if isinstance(model_max, int) else ChunkParams(-1)
    reasons = vector_mismatches(manifest, settings.embedding_model, params)
    if manifest.get("multilingual_model", "") != multilingual_model(settings):
        reasons.append("multilingual model changed")
    elif manifest.get("multilingual_model") and manifest.get("generic_texts") != generic_digest():
        reasons.append("generic texts changed")
    if manifest.get("keyword_tokenizer") != TOKENIZER_VERSION:
        reasons.append("keyword tokenizer changed")
    return reasons
