"""``wayhome repl`` from a pipe: every line answered through the conversation core, exit 0 at end of input."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from support import QUESTION, cli
from telegram_html_validator import problems

pytestmark = pytest.mark.slow  # starts processes or loads the real model


@pytest.fixture
def index(tmp_path: Path, corpus_dir: Path) -> Path:
    target = tmp_path / "index"
    assert cli(corpus_dir, target, "index", "build").returncode == 0
    return target


def repl(corpus: Path, index: Path, text: str, *flags: str) -> subprocess.CompletedProcess[str]:
    result = cli(corpus, index, "repl", *flags, input=text)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def test_each_piped_line_is_answered_and_the_session_ends_at_eof(corpus_dir: Path, index: Path) -> None:
    result = repl(corpus_dir, index, f"{QUESTION}\nWho is Maria Andreyeva?\n")
    assert "37,000 followers" in result.stdout and "Maria Andreyeva" in result.stdout
    assert result.stdout.count("[1] ") == 2, "two answers, each with its own numbered citations"
    assert "wayhome>" not in result.stdout, "no prompt when reading a pipe"
    assert result.stderr == ""


def test_a_missing_index_is_built_saying_so(corpus_dir: Path, tmp_path: Path) -> None:
    result = repl(corpus_dir, tmp_path / "fresh", "/sources\n")
    assert "building the index (no index has been built)" in result.stderr
    assert "Articles I quote" in result.stdout


def test_commands_start_help_sources_more(corpus_dir: Path, index: Path) -> None:
    out = repl(corpus_dir, index, f"/start\n/help\n/sources\n{QUESTION}\n/more\n/more\n/more\n/more\n/nonsense\n").stdout
    assert "I know 2 articles, published 2023-12-09." in out and "How many followers" in out  # /start
    assert "/sources lists the articles" in out  # /help
    assert "[1] Russian soldiers' wives: 'Bring them home' — DW, 2023-12-09 — https://p.dw.com/p/4ZxFJ" in out
    assert "[2] Untitled article, The News God, date unknown — https://thenewsgod.com/bring-our-men-home-russian-women-to-putin" in out  # /sources
    after_question = out.split("37,000 followers", 1)[1]
    assert "[4] " in after_question, "/more continues the numbering with the next passages"
    assert "No more passages for the last question" in out
    assert "Unknown command" in out


def test_more_without_a_question(corpus_dir: Path, index: Path) -> None:
    assert "No more passages" in repl(corpus_dir, index, "/more\n").stdout


def test_blank_and_whitespace_lines_get_the_usage_hint(corpus_dir: Path, index: Path) -> None:
    out = repl(corpus_dir, index, "\n   \n\t\n").stdout
    assert out.count("Ask a question about the Way Home") == 3


def test_quit_ends_the_session(corpus_dir: Path, index: Path) -> None:
    out = repl(corpus_dir, index, f"/quit\n{QUESTION}\n").stdout
    assert "37,000" not in out


def test_a_10000_character_line_is_answered(corpus_dir: Path, index: Path) -> None:
    line = ("How many followers does the Way Home channel have? " * 200)[:10_000]
    out = repl(corpus_dir, index, line + "\n").stdout
    assert "Question trimmed for search." in out and "37,000 followers" in out


def test_telegram_mode_prints_valid_telegram_html(corpus_dir: Path, index: Path) -> None:
    answer = repl(corpus_dir, index, f"{QUESTION}\n", "--telegram").stdout.strip()
    assert answer.startswith("<blockquote") and "<b>" in answer and "37,000 followers" in answer
    assert '<a href="https://p.dw.com/p/4ZxFJ">' in answer and "Untitled article" in answer
    assert '<a href="https://thenewsgod.com/bring-our-men-home-russian-women-to-putin">' in answer and "The News God" in answer
    assert problems(answer) == [], answer
    hostile = repl(corpus_dir, index, "<b>hi</b> & <script>alert(1)</script>\n", "--telegram").stdout.strip()
    assert problems(hostile) == [] and "<script>" not in hostile


def test_undecodable_input_bytes_do_not_crash(corpus_dir: Path, index: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")} | {"WAYHOME_EMBEDDING_MODEL": "fake:64"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "repl", "--corpus", str(corpus_dir), "--index",
                             str(index)], cwd=ROOT, env=env, input=b"followers \xff\xfe\x00 channel\n/sources\n",
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert b"Articles I quote" in result.stdout and b"Traceback" not in result.stderr


def test_interactive_terminal_session_with_prompt_history_and_quit(corpus_dir: Path, index: Path,
                                                                    tmp_path: Path) -> None:
    import pty
    import select

    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")} | {
        "WAYHOME_EMBEDDING_MODEL": "fake:64", "HOME": str(tmp_path), "TERM": "dumb"}
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "repl", "--corpus", str(corpus_dir), "--index",
                                str(index)], cwd=ROOT, env=env, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    output = b""

    def read_until(marker: bytes, timeout: float = 60) -> None:
        nonlocal output
        deadline = time.monotonic() + timeout
        while marker not in output and time.monotonic() < deadline:
            if select.select([master], [], [], 0.5)[0]:
                try:
                    output += os.read(master, 65536)
                except OSError:
                    break

    read_until(b"wayhome> ")
    assert b"I know 2 articles" in output, "a terminal session opens with /start"
    os.write(master, f"{QUESTION}\n".encode())
    read_until(b"37,000 followers")
    os.write(master, b"/quit\n")
    assert process.wait(timeout=60) == 0
    os.close(master)
    assert b"37,000 followers" in output and b"Traceback" not in output
    assert QUESTION in (tmp_path / ".wayhome_history").read_text(), "questions are kept in the history file"
