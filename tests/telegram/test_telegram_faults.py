"""Telegram faults against the emulator (issue 7): bad tokens, the API down at start-up and going away
mid-run, RetryAfter, unparseable HTML, network errors, a failing send, one user flooding, load, secrets in
logs, and clean shutdown on SIGINT/SIGTERM with replies in flight."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram_harness import BotProcess, Emulator, RssSampler, build_fake_index, new_token, wait_for
from telegram_html_validator import problems, visible_text

from bot import messages

pytestmark = pytest.mark.slow  # starts processes or loads the real model

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Who is Maria Andreyeva?"


@pytest.fixture(scope="module")
def fake_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    work = tmp_path_factory.mktemp("tgfaults")
    corpus_dir, index_dir = build_fake_index(work, ROOT / "corpus")
    return work, corpus_dir, index_dir


@pytest.fixture(scope="module")
def emulator(fake_index: tuple[Path, Path, Path]) -> Iterator[Emulator]:
    emu = Emulator(log_path=fake_index[0] / "emulator.log").start()
    yield emu
    emu.close()


@pytest.fixture(scope="module")
def fault_bot(emulator: Emulator, fake_index: tuple[Path, Path, Path]) -> Iterator[BotProcess]:
    """One bot for the injected-fault tests (each uses its own chats); 5 questions per user per minute."""
    work, corpus_dir, index_dir = fake_index
    bot = BotProcess(emulator, work / "fault-bot", index_dir, corpus_dir,
                     env={"WAYHOME_USER_RATE_LIMIT": "5", "WAYHOME_USER_RATE_WINDOW_S": "60"}).start()
    yield bot
    assert bot.stop() == 0
    bot.assert_token_not_logged()


def bot_cli(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")} | env
    return subprocess.run([sys.executable, "-m", "bot.cli", "bot"], cwd=cwd, env=full, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("token", ["", "12345:abc", "not a token at all"])
def test_missing_or_malformed_token_exits_2_naming_the_setting(tmp_path: Path, token: str) -> None:
    result = bot_cli({"WAYHOME_TELEGRAM_TOKEN": token}, tmp_path)
    assert result.returncode == 2
    assert "WAYHOME_TELEGRAM_TOKEN" in result.stderr and ".env.example" in result.stderr
    assert "Traceback" not in result.stderr
    if token:
        assert token not in result.stderr + result.stdout


def test_token_refused_by_the_server_exits_2(emulator: Emulator, fake_index: tuple[Path, Path, Path]) -> None:
    work, corpus_dir, index_dir = fake_index
    bot = BotProcess(emulator, work / "revoked", index_dir, corpus_dir)
    emulator.revoke(bot.token)
    bot.start(wait=False)
    assert bot.proc is not None and bot.proc.wait(60) == 2
    assert "Telegram refused WAYHOME_TELEGRAM_TOKEN" in bot.log()
    bot.assert_token_not_logged()


def test_api_down_at_start_and_going_away_mid_run(fake_index: tuple[Path, Path, Path]) -> None:
    """The bot waits for the API with backoff, then survives the API vanishing and coming back."""
    work, corpus_dir, index_dir = fake_index
    emu = Emulator(log_path=work / "flaky-emulator.log")
    bot = BotProcess(emu, work / "flaky", index_dir, corpus_dir).start(wait=False)
    try:
        time.sleep(4)
        assert bot.alive(), bot.log()[-2000:]
        emu.start()
        bot.wait_ready(timeout=40)
        first = emu.ask(bot.token, 71, QUESTION)
        assert "<blockquote" in first["text"]
        emu.stop(signal.SIGKILL)
        time.sleep(4)
        assert bot.alive(), bot.log()[-2000:]
        emu.start()
        started = time.monotonic()
        again = emu.ask(bot.token, 72, QUESTION, timeout=45)
        assert again["text"] == first["text"]
        print(f"\nresumed {time.monotonic() - started:.1f} s after the API came back")
        assert "Bot API unreachable" in bot.log()
    finally:
        assert bot.stop() == 0
        emu.close()
    bot.assert_token_not_logged()


def test_retry_after_is_honoured(emulator: Emulator, fault_bot: BotProcess) -> None:
    token = fault_bot.token
    emulator.fault(token, "sendMessage", "retry_after", retry_after=2)
    reply = emulator.ask(token, 81, QUESTION, timeout=20)
    sends = [c for c in emulator.calls(token, "sendMessage") if str(c["params"].get("chat_id")) == "81"]
    assert len(sends) == 2, "one refused send and one retry"
    assert sends[1]["t"] - sends[0]["t"] >= 2000, "the retry came before retry_after elapsed"
    assert problems(reply["text"]) == []


def test_unparseable_html_falls_back_to_plain_text(emulator: Emulator, fault_bot: BotProcess) -> None:
    token = fault_bot.token
    emulator.fault(token, "sendMessage", "parse_entities")
    reply = emulator.ask(token, 82, QUESTION)
    assert not reply.get("parse_mode")
    assert "<" not in reply["text"] and "[1] " in reply["text"]
    html = emulator.ask(token, 83, QUESTION)  # the same answer as HTML, for comparison
    assert reply["text"] == visible_text(html["text"])


def test_network_errors_on_send_are_retried(emulator: Emulator, fault_bot: BotProcess) -> None:
    token = fault_bot.token
    emulator.fault(token, "sendMessage", "bad_gateway", count=2)
    reply = emulator.ask(token, 84, QUESTION, timeout=20)
    assert reply["parse_mode"] == "HTML" and "<blockquote" in reply["text"]
    assert "sendMessage failed (NetworkError" in fault_bot.log()


def test_a_failing_update_tells_the_user_and_the_bot_lives_on(emulator: Emulator, fault_bot: BotProcess) -> None:
    token = fault_bot.token
    emulator.fault(token, "sendMessage", "bad_request")
    emulator.send(token, 85, QUESTION)
    error = wait_for(lambda: emulator.history(token, 85), 15, "the error message")[0]
    assert visible_text(error["text"]) == messages.ERROR
    assert "Traceback" not in error["text"] and token not in error["text"]
    assert "<blockquote" in emulator.ask(token, 85, QUESTION)["text"]


def test_one_user_flooding_is_limited_while_another_is_answered_promptly(emulator: Emulator,
                                                                         fault_bot: BotProcess) -> None:
    token = fault_bot.token
    flooder, other = 91, 92
    flood: list[dict[str, Any]] = []

    def send_flood() -> None:
        for i in range(50):
            flood.append(emulator.send(token, flooder, f"{QUESTION} #{i}"))
            time.sleep(0.2)

    thread = threading.Thread(target=send_flood)
    thread.start()
    time.sleep(5)
    asked = time.time()
    reply = emulator.ask(token, other, QUESTION, timeout=10)
    latency = reply["time"] / 1000 - asked
    thread.join()
    assert latency < 3, f"the other user waited {latency:.1f} s"
    time.sleep(1)
    flooded = emulator.history(token, flooder)
    answers = [m for m in flooded if "<blockquote" in m["text"]]
    notices = [m for m in flooded if messages.get().rate_limited(2).split(" 2 ")[0] in visible_text(m["text"])]
    assert len(answers) == 5 and len(notices) == 1 and len(flooded) == 6
    print(f"\nflood: 50 messages in 10 s → {len(answers)} answers + 1 slow-down notice; "
          f"other user answered in {latency:.2f} s")


LOAD_QUESTIONS = ["Who is Maria Andreyeva?", "How many followers does the Way Home channel have?",
                  "How did the authorities respond to the protests?", "What do the soldiers' wives demand?",
                  "Where did the women lay flowers?", "What did Putin order in September 2022?"]


def test_load_200_questions_from_50_chats(real_index: Path, tmp_path: Path) -> None:
    """Every question answered exactly once; report p95 reply time and peak RSS (real model)."""
    emu = Emulator(log_path=tmp_path / "emulator.log").start()
    bot = BotProcess(emu, tmp_path, real_index, ROOT / "corpus", model="all-MiniLM-L6-v2",
                     env={"WAYHOME_LOG_LEVEL": "INFO"}).start()
    latencies: list[float] = []
    try:
        with RssSampler(bot.pid()) as rss:
            sent = []
            for i in range(200):
                chat = 5000 + i % 50
                sent.append((chat, emu.send(bot.token, chat, LOAD_QUESTIONS[i % len(LOAD_QUESTIONS)])))
                time.sleep(0.05)
            for chat, message in sent:
                reply = emu.wait_reply(bot.token, chat, message["message_id"], timeout=60)
                latencies.append(reply["time"] / 1000 - message["sent_at"])
        time.sleep(1)
        for chat, message in sent:
            assert len(emu.replies_to(bot.token, chat, message["message_id"])) == 1, "answered twice"
        assert all("<blockquote" in m["text"] for m in emu.history(bot.token))
    finally:
        code = bot.stop()
        emu.close()
    latencies.sort()
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    print(f"\nload: {len(latencies)}/200 answered once each; p50 {latencies[99]:.3f} s, p95 {p95:.3f} s, "
          f"max {latencies[-1]:.3f} s; peak RSS {rss.peak_mib():.0f} MiB "
          f"(second-half growth {rss.growth_mib():+.1f} MiB)")
    assert code == 0
    assert p95 < 5
    assert rss.growth_mib() < 50, "memory kept growing under load"
    bot.assert_token_not_logged()


def test_token_never_in_debug_logs(emulator: Emulator, fault_bot: BotProcess) -> None:
    """After questions, faults, retries and tracebacks at DEBUG level, the token is nowhere in the log."""
    token = fault_bot.token
    emulator.fault(token, "sendMessage", "bad_request")
    emulator.send(token, 86, QUESTION)
    wait_for(lambda: emulator.history(token, 86), 15, "the error message")
    emulator.fault(token, "sendMessage", "bad_gateway")
    emulator.ask(token, 87, QUESTION)
    log = fault_bot.log()
    assert " DEBUG " in log and "sendMessage" in log and "Traceback" in log
    fault_bot.assert_token_not_logged()
    for message in emulator.history(fault_bot.token):
        assert fault_bot.token not in message["text"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_shutdown_finishes_replies_in_flight(emulator: Emulator, fake_index: tuple[Path, Path, Path],
                                             sig: int) -> None:
    work, corpus_dir, index_dir = fake_index
    bot = BotProcess(emulator, work / f"stop-{sig}", index_dir, corpus_dir, token=new_token()).start()
    emulator.fault(bot.token, "sendMessage", "delay", delay_ms=3000)
    sent = emulator.send(bot.token, 99, QUESTION)
    wait_for(lambda: emulator.in_flight() > 0, 10, "the reply to be in flight")
    stopped = time.monotonic()
    assert bot.stop(sig) == 0
    elapsed = time.monotonic() - stopped
    assert emulator.replies_to(bot.token, 99, sent["message_id"]), "the in-flight reply was lost"
    assert 1 < elapsed < 15, "the bot did not wait for its reply in flight"
    bot.assert_token_not_logged()


def test_a_killed_bot_loses_its_reply_in_flight(emulator: Emulator, fake_index: tuple[Path, Path, Path]) -> None:
    """The control for the shutdown test: SIGKILL (no clean shutdown) does lose the reply in flight."""
    work, corpus_dir, index_dir = fake_index
    bot = BotProcess(emulator, work / "killed", index_dir, corpus_dir).start()
    emulator.fault(bot.token, "sendMessage", "delay", delay_ms=2000)
    sent = emulator.send(bot.token, 98, QUESTION)
    wait_for(lambda: emulator.in_flight() > 0, 10, "the reply to be in flight")
    assert bot.stop(signal.SIGKILL) == -signal.SIGKILL
    time.sleep(2.5)
    assert emulator.replies_to(bot.token, 98, sent["message_id"]) == []
