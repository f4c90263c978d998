"""When an index on disk still fits the code and settings: the one home of the staleness rules.

Takes a ``Manifest`` (``bot.index.manifest``) and what the current run wants; gives the reasons it does not fit
(empty when it does). ``index build`` reuses vectors only from a fitting index; ``index status`` and ``ask``
report the same reasons (plus keyword-tokenizer and corpus changes, which need no re-embedding).
"""

from __future__ import annotations

from bot.index.calibrate import null_digest
from bot.index.manifest import FORMAT_VERSION, Manifest
from bot.index.multilingual import generic_digest, multilingual_model
from bot.ingest.chunking import ChunkParams
from bot.ingest.corpus import READER_VERSION
from bot.settings import Settings
from bot.text.normalize import TOKENIZER_VERSION


def chunk_params(settings: Settings, model_max_tokens: int) -> ChunkParams:
    """Chunker parameters from the settings, capped by the model's maximum sequence length."""
    return ChunkParams(min(settings.chunk_max_tokens, model_max_tokens), settings.chunk_min_tokens,
                       settings.chunk_overlap_sentences)


def vector_mismatches(manifest: Manifest, model: str, params: ChunkParams) -> list[str]:
    """Why the stored vectors cannot be reused: format, model, chunker or article reader changed."""
    reasons: list[str] = []
    if manifest.format_version != FORMAT_VERSION:
        reasons.append("index format changed")
    if manifest.model != model:
        reasons.append(f"embedding model changed ({manifest.model} → {model})")
    chunker = manifest.chunker
    if chunker is None or chunker.get("algorithm") != params.algorithm:
        reasons.append("chunking method changed")
    elif dict(chunker) != params.__dict__:
        reasons.append("chunking settings changed")
    if manifest.article_reader != READER_VERSION:
        reasons.append("article reader changed")
    return reasons


def settings_mismatches(manifest: Manifest, settings: Settings) -> list[str]:
    """Every reason the index no longer fits the code and settings (corpus changes aside)."""
    model_max = manifest.model_max_tokens
    # an index from before the model's limit was recorded does not fit (ChunkParams(-1) matches no chunker)
    params = chunk_params(settings, model_max) if isinstance(model_max, int) else ChunkParams(-1)
    reasons = vector_mismatches(manifest, settings.embedding_model, params)
    if (manifest.multilingual_model or "") != multilingual_model(settings):
        reasons.append("multilingual model changed")
    elif manifest.multilingual_model and manifest.generic_texts != generic_digest():
        reasons.append("generic texts changed")
    elif manifest.multilingual_model and manifest.pairs is None:
        reasons.append("language pairs not measured")
    elif manifest.multilingual_model and manifest.null_questions != null_digest():
        reasons.append("language pairs measured another way (null questions or method changed)")
    if manifest.keyword_tokenizer != TOKENIZER_VERSION:
        reasons.append("keyword tokenizer changed")
    return reasons
