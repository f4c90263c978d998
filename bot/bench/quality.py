"""Quality side of ``wayhome bench``: the eval figures with wayhome's ONNX encoder against the same engine run on
the sentence-transformers torch model (its own vectors for the chunks and its own query vectors)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np

from bot.bench.naive import NaivePath
from bot.index import dense
from bot.ingest.chunking import embedding_text

FIGURES = ("hit_at_1", "hit_at_3", "mrr", "offtopic_refused", "ontopic_refused")
# How people type: everyday words appended to a question, some misspelt (the typos go through the everyday-word
# check, the extra words through the word-frequency weights and a longer encoder input).
TYPED_ENDINGS = ("please", "thanks a lot", "i really want to know", "asking for my mum who is worried",
                 "realy curious about this", "pls tell me becuase i need to know", "any news on that today",
                 "sorry if this is a silly question", "my freind told me about it yesterday", "just wondering")


class TorchEncoder:
    """The torch model behind the query encoder interface (bench only)."""

    def __init__(self, naive: NaivePath, model: str, dim: int) -> None:
        self.naive = naive
        self.model = model
        self.dim = dim
        self.max_tokens = int(naive.model.max_seq_length)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Token counts by the torch model's tokenizer."""
        return [len(ids) for ids in self.naive.model.tokenizer(texts)["input_ids"]]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Normalised torch vectors."""
        return self.naive.encode(texts, batch_size=batch_size)


def torch_engine(engine: Any, naive: NaivePath) -> Any:
    """A copy of ``engine`` whose chunk vectors, dense index and query encoder all come from the torch model."""
    from bot.engine import Engine

    data = engine.data
    vectors = naive.encode([embedding_text(c) for c in data.chunks])
    kind = dense.describe(data.dense_index)["type"]
    torch_data = dataclasses.replace(data, vectors=vectors, dense_index=dense.build(vectors, kind))
    encoder = TorchEncoder(naive, str(data.manifest.model), int(vectors.shape[1]))
    return Engine(engine.settings, torch_data, encoder)


def eval_figures(engine: Any, naive: NaivePath, eval_dir: Path, limit: int = 0) -> dict[str, dict[str, float]]:
    """Total eval figures for wayhome's engine and for its torch twin (the first ``limit`` items when set)."""
    from bot.evaluation.harness import load_items, metrics, run

    items = load_items([eval_dir])
    items = items[:limit] if limit else items
    twin = torch_engine(engine, naive)
    return {name: {k: float(getattr(metrics(run(e, items)), k)) for k in FIGURES}
            for name, e in (("wayhome", engine), ("naive", twin))}


def load_questions(eval_dir: Path) -> list[str]:
    """The questions of the eval set (every ``question`` in its YAML files)."""
    from bot.evaluation.harness import load_items

    return [item.question for item in load_items([eval_dir])]


def typed(questions: list[str]) -> list[str]:
    """Each question with everyday words appended, the way people type (``TYPED_ENDINGS`` in turn)."""
    return [f"{q.rstrip()} {TYPED_ENDINGS[i % len(TYPED_ENDINGS)]}" for i, q in enumerate(questions)]
