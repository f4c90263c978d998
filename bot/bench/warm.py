"""Warm measurements for ``wayhome bench``: query latency through a real ``wayhome repl`` process (what users feel)
against the naive REPL (``bot.bench.naive --repl``), and in-process (``Engine.ask``: encode, hybrid search,
answer build) against the naive path (sentence-transformers torch encode + flat FAISS search over the same index
vectors), and encoder throughput over the index's chunk texts.

Both paths answer the same questions in alternating blocks (so a burst of load from elsewhere hits both), after
a warm-up; p50 and p95 are over all timed calls.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bot.bench.naive import NaivePath, st_throughput
from bot.encoders.onnx_encoder import OnnxEncoder

BLOCK = 8  # questions per alternating block
SETTLE_S = 0.05  # pause before each REPL block: threads left spinning by the other process (onnxruntime's, torch's
# OpenMP) settle first, so neither side is timed while the other still holds a core
REPL_WARMUP = 12  # questions a REPL answers before timing starts (first calls allocate, caches fill)


def timings(call: Callable[[str], Any], questions: list[str]) -> list[float]:
    """Seconds per call, one per question."""
    out = []
    for question in questions:
        start = time.perf_counter()
        call(question)
        out.append(time.perf_counter() - start)
    return out


def summary(samples: list[float]) -> dict[str, float]:
    """p50/p95 in milliseconds."""
    arr = np.asarray(samples) * 1000
    return {"p50_ms": float(np.percentile(arr, 50)), "p95_ms": float(np.percentile(arr, 95)), "n": float(len(arr))}


def warm_queries(engine: Any, naive: NaivePath, questions: list[str], rounds: int) -> dict[str, dict[str, float]]:
    """Warm latency of both paths (and of wayhome's encoder alone), alternating blocks."""
    encoder = engine.searcher.encoder
    for question in questions[:REPL_WARMUP]:  # warm-up: first calls allocate, caches fill
        engine.ask(question)
        naive.ask(question)
    samples: dict[str, list[float]] = {"wayhome": [], "naive": [], "wayhome_encode": [], "naive_encode": []}
    for _ in range(rounds):
        samples["wayhome"] += timings(engine.ask, questions)
        samples["naive"] += timings(naive.ask, questions)
        samples["wayhome_encode"] += timings(lambda q: encoder.encode([q]), questions)
        samples["naive_encode"] += timings(lambda q: naive.encode([q]), questions)
    return {name: summary(values) for name, values in samples.items()}


def repl_queries(ours: list[str], naive: list[str], env: dict[str, str], questions: list[str],
                 russian: list[str] | None = None, warmup: int = REPL_WARMUP) -> dict[str, dict[str, float]]:
    """Warm latency through two REPL processes fed the same questions through pipes — ``wayhome repl``
    (``ours``) and the naive one (``naive``): from writing the line to reading the whole printed reply — in
    alternating blocks of ``BLOCK`` questions; then the ``russian`` questions through ours (``repl_ru``). The
    first ``warmup`` questions warm both up and are not timed, so no timed question repeats an answered one."""
    from bot.bench.repl import ReplSession

    samples: dict[str, list[float]] = {"repl": [], "naive": []}
    with ReplSession(ours, env) as repl, ReplSession(naive, env) as theirs:
        for question in questions[:warmup]:
            repl.ask(question)
            theirs.ask(question)
        timed = questions[warmup:]
        for start in range(0, len(timed), BLOCK):
            block = timed[start : start + BLOCK]
            time.sleep(SETTLE_S)
            samples["repl"] += [repl.ask(q) for q in block]
            time.sleep(SETTLE_S)
            samples["naive"] += [theirs.ask(q) for q in block]
        if russian:
            samples["repl_ru"] = [repl.ask(q) for q in russian]
    return {name: summary(values) for name, values in samples.items()}


def throughput(encoder_dir: Any, naive: NaivePath, texts: list[str], rounds: int) -> dict[str, float]:
    """Chunks/s of the encoder ``wayhome index build`` uses (all cores, its batch size) and of
    sentence-transformers' batch encode, over the same texts; medians over ``rounds`` alternating runs."""
    build_encoder = OnnxEncoder(encoder_dir, threads=os.cpu_count() or 1)
    build_encoder.encode(texts[:16])
    naive.encode(texts[:16])
    ours, theirs = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        build_encoder.encode(texts)
        ours.append(len(texts) / (time.perf_counter() - start))
        theirs.append(st_throughput(naive, texts))
    return {"wayhome": float(np.median(ours)), "naive": float(np.median(theirs)), "texts": float(len(texts))}


def agreement(engine: Any, naive: NaivePath, texts: list[str], questions: list[str]) -> dict[str, float]:
    """How closely wayhome's encoder reproduces the torch model: lowest cosine over chunks and questions, and
    the share of questions whose dense top-10 over the index is the same list with either encoder."""
    encoder = engine.searcher.encoder
    ours = encoder.encode(texts + questions)
    theirs = naive.encode(texts + questions)
    lowest = float(np.min(np.sum(ours * theirs, axis=1)))
    chunk_ours, chunk_theirs = ours[: len(texts)], theirs[: len(texts)]
    k = min(10, len(texts))
    same = [np.array_equal(np.argsort(-(chunk_ours @ q1))[:k], np.argsort(-(chunk_theirs @ q2))[:k])
            for q1, q2 in zip(ours[len(texts):], theirs[len(texts):], strict=True)]
    return {"min_cosine": lowest, "same_top10": float(np.mean(same)) if same else 1.0}
