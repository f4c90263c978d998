"""Process-level measurements for ``wayhome bench``: cold ``wayhome ask`` (exactly as a user runs it: the installed
script, start to printed answer) on several questions against the naive script, whether the query path imports
anything heavy, and the resident memory of the real ``wayhome bot`` process when idle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.bench.botstub import BotApiStub

# Never imported to answer a question (tests/cli/test_lean_imports.py checks more modules, the bench the costly ones)
HEAVY = ("torch", "transformers", "sentence_transformers", "wordfreq", "onnx")
BENCH_TOKEN = "123456789:AAbenchbenchbenchbenchbenchbenchben"  # noqa: S105 - a dummy for the local stub


def wayhome_command() -> list[str]:
    """The installed ``wayhome`` script next to this interpreter, else ``python -m bot.cli``."""
    script = Path(sys.executable).with_name("wayhome")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def child_env(settings: Any, **extra: str) -> dict[str, str]:
    """The environment for a child process: offline, the bench's index and corpus, and Python's default bytecode
    cache (a ``PYTHONDONTWRITEBYTECODE`` in the bench's own environment would make every cold start compile
    wayhome's modules again, which no user's second ``wayhome ask`` does)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", WAYHOME_INDEX_DIR=str(settings.index_dir),
               WAYHOME_CORPUS_DIR=str(settings.corpus_dir), WAYHOME_EMBEDDING_MODEL=settings.embedding_model,
               WAYHOME_LOG_LEVEL="WARNING", **extra)
    return env


def timed_run(command: list[str], env: dict[str, str], timeout: float = 300) -> float:
    """Wall seconds from process start to exit; raises when the command fails."""
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])}… failed ({result.returncode}): {result.stderr[-400:]}")
    return elapsed


def cold_times(settings: Any, questions: list[str], naive_runs: int, warm_up: bool = True) -> dict[str, list[float]]:
    """Cold-start wall times of ``wayhome ask`` (one run per question) and of the naive script (``naive_runs``
    runs, spread among them), after an untimed ``wayhome ask`` (so both read their files from a warm page cache:
    the bench has loaded the naive path's model in-process before)."""
    env = child_env(settings)
    naive = [sys.executable, "-m", "bot.bench.naive", str(settings.index_dir)]
    if warm_up:
        timed_run([*wayhome_command(), "ask", questions[0]], env)
    every = max(1, len(questions) // max(1, naive_runs))
    times: dict[str, list[float]] = {"wayhome": [], "naive": []}
    for number, question in enumerate(questions):
        times["wayhome"].append(timed_run([*wayhome_command(), "ask", question], env))
        if number % every == 0 and len(times["naive"]) < naive_runs:
            times["naive"].append(timed_run([*naive, question], env))
    return times


def heavy_imports(settings: Any, question: str) -> list[str]:
    """Heavy ML modules a real ``wayhome ask`` imports (read from ``python -X importtime``)."""
    command = [sys.executable, "-X", "importtime", "-m", "bot.cli", "ask", question]
    result = subprocess.run(command, env=child_env(settings), capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"wayhome ask failed: {result.stderr[-400:]}")
    found = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines()
             if line.startswith("import time:")}
    return sorted(found & set(HEAVY))


def _wait(check: Callable[[], bool], timeout: float, what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if proc.poll() is not None:
            raise RuntimeError(f"wayhome bot exited ({proc.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def bot_idle_rss(settings: Any, questions: list[str], settle: float = 2.0) -> dict[str, float]:
    """Start the real ``wayhome bot`` against a local Bot API stub; resident memory (MB) once it is polling,
    and again idle after it has answered ``questions``."""
    import psutil

    stub = BotApiStub().start()
    with tempfile.TemporaryDirectory(prefix="wayhome-bench-bot-") as data_dir:
        env = child_env(settings, WAYHOME_TELEGRAM_TOKEN=BENCH_TOKEN, WAYHOME_TELEGRAM_BASE_URL=stub.base_url,
                        WAYHOME_DATA_DIR=data_dir)
        proc = subprocess.Popen([*wayhome_command(), "bot"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            _wait(lambda: stub.count("getUpdates") >= 2, 120, "the bot to poll", proc)
            time.sleep(settle)
            started = psutil.Process(proc.pid).memory_info().rss / 1e6
            for question in questions:
                stub.say(question)
            _wait(lambda: len(stub.sent) >= len(questions), 120, "the bot's answers", proc)
            time.sleep(settle)
            idle = psutil.Process(proc.pid).memory_info().rss / 1e6
        finally:
            _stop(proc)
            stub.stop()
    return {"started_mb": started, "idle_mb": idle, "answered": float(len(questions))}


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
