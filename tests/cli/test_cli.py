"""The ``wayhome`` command through subprocess, as a user runs it (fake encoder: no model is loaded)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from support import FAKE, QUESTION, cli, tree

from bot.answer.trim import CUT, pieces

pytestmark = pytest.mark.slow  # starts processes or loads the real model


@pytest.fixture
def index(tmp_path: Path, corpus_dir: Path) -> Path:
    """An index of the bundled corpus, built by the CLI."""
    target = tmp_path / "index"
    result = cli(corpus_dir, target, "index", "build")
    assert result.returncode == 0, result.stderr
    return target


def test_help_is_instant_and_imports_no_heavy_library() -> None:
    code = ("import sys, runpy\nsys.argv = ['wayhome', '--help']\n"
            "try:\n    runpy.run_module('bot.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('torch', 'faiss', 'numpy', 'transformers', 'sentence_transformers', "
            "'onnxruntime', 'bm25s', 'pydantic', 'telegram') if m in sys.modules)\n"
            "print('HEAVY', heavy, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in result.stderr, result.stderr
    for command in ("ask", "repl", "index", "bot", "eval", "bench"):
        assert command in result.stdout


@pytest.mark.parametrize("args", [("--help",), ("index", "build", "--help"), ("ask", "--help")])
def test_help_of_every_level_exits_zero(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 0 and "usage: wayhome" in result.stdout


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "latin1.md": ("Caf\xe9 au lait.".encode("latin-1"), "latin1.md: is not valid UTF-8"),
    "front.md": (b"---\ntitle: 'unclosed\nurl: x\n---\nBody.", "front.md: malformed YAML front matter"),
    "empty.txt": (b"   \n\n", "empty.txt: article body is empty"),
    "dup.md": (b"---\nurl: https://p.dw.com/p/4ZxFJ\n---\nCopied text.",
               "dup.md: duplicate url https://p.dw.com/p/4ZxFJ (also in dw-2023-12-09-russian-soldiers-wives-bring-"
               "them-home.md)"),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.md: looks like a binary file"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_article_is_one_clear_line_exit_2_and_leaves_the_index(corpus_dir: Path, index: Path, name: str) -> None:
    content, message = BAD_FILES[name]
    before = tree(index)
    (corpus_dir / name).write_bytes(content)
    result = cli(corpus_dir, index, "index", "build")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wayhome: error: ") and message in lines[0], result.stderr
    assert tree(index) == before

    skipped = cli(corpus_dir, index, "index", "build", "--skip-bad")
    assert skipped.returncode == 0, skipped.stderr
    assert skipped.stdout.startswith("2 articles: 0 embedded, 2 reused, 0 removed")
    assert f"warning: {name}: " in skipped.stderr


def test_empty_corpus_is_exit_2(tmp_path: Path) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    result = cli(corpus, tmp_path / "index", "index", "build")
    assert result.returncode == 2
    assert result.stderr.strip() == f"wayhome: error: {corpus}: no articles to index (add .md, .txt or .html files)"
    missing = cli(tmp_path / "nowhere", tmp_path / "index", "ask", QUESTION)
    assert missing.returncode == 2 and "nowhere: corpus folder not found" in missing.stderr


def test_build_reports_and_is_incremental(corpus_dir: Path, index: Path) -> None:
    shutil_copy = (ROOT / "tests" / "fixtures" / "core" / "article.html").read_bytes()
    (corpus_dir / "article.html").write_bytes(shutil_copy)
    result = cli(corpus_dir, index, "index", "build")
    assert result.returncode == 0 and result.stdout.startswith("3 articles: 1 embedded, 2 reused, 0 removed")
    (corpus_dir / "article.html").unlink()
    result = cli(corpus_dir, index, "index", "build")
    assert result.stdout.startswith("2 articles: 0 embedded, 2 reused, 1 removed")
    result = cli(corpus_dir, index, "index", "build", "--force")
    assert result.stdout.startswith("2 articles: 2 embedded, 0 reused, 0 removed")
    assert result.stderr == "", "no progress bar or noise when not on a terminal"


def test_index_status(corpus_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    assert "No index built yet" in cli(corpus_dir, index, "index", "status").stdout
    cli(corpus_dir, index, "index", "build")
    out = cli(corpus_dir, index, "index", "status").stdout
    assert "articles: 2\n" in out and "model: fake:64\n" in out and "built: 20" in out
    assert "stale: no (index matches the corpus)" in out
    (corpus_dir / "new.txt").write_text("A new article about the movement.")
    out = cli(corpus_dir, index, "index", "status").stdout
    assert "stale: 1 article(s) added: new.txt" in out
    data = json.loads(cli(corpus_dir, index, "index", "status", "--json").stdout)
    assert data["built"] is True and data["stale"] == ["1 article(s) added: new.txt"]


def test_ask_builds_a_missing_index_and_rebuilds_a_stale_one(corpus_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = cli(corpus_dir, index, "ask", QUESTION)
    assert first.returncode == 0, first.stderr
    assert "building the index (no index has been built)" in first.stderr
    assert "2 articles: 2 embedded, 0 reused, 0 removed" in first.stderr
    assert "37,000 followers" in first.stdout

    again = cli(corpus_dir, index, "ask", QUESTION)
    assert again.stderr == "" and again.stdout == first.stdout

    (corpus_dir / "new.md").write_text("---\ntitle: New\n---\nThe Way Home channel gained new followers.\n")
    stale = cli(corpus_dir, index, "ask", QUESTION)
    assert "building the index (1 article(s) added: new.md)" in stale.stderr
    assert "3 articles: 1 embedded, 2 reused, 0 removed" in stale.stderr


def test_text_answer_quotes_verbatim_with_citations(corpus_dir: Path, index: Path) -> None:
    out = cli(corpus_dir, index, "ask", QUESTION).stdout
    bodies = "\n".join(p.read_text() for p in corpus_dir.iterdir())
    quoted = [line[2:] for line in out.splitlines() if line.startswith("> ") and line[2:] != CUT]
    assert quoted and all(line in bodies for line in quoted)
    assert "[1] " in out and "[2] " in out
    assert "Untitled article, The News God, date unknown" in out
    assert "\033[" not in out, "no terminal escapes in a pipe"


def test_ask_json_has_exactly_the_documented_shape(corpus_dir: Path, index: Path) -> None:
    result = cli(corpus_dir, index, "ask", "--json", "-k", "2", QUESTION)
    data = json.loads(result.stdout)
    assert list(data) == ["question", "language", "answered", "message", "results"]
    assert data["language"] == "en"
    assert data["question"] == QUESTION and data["answered"] is True and isinstance(data["message"], str)
    assert [r["rank"] for r in data["results"]] == [1, 2]
    for item in data["results"]:
        assert set(item) >= {"rank", "score", "text", "highlight", "source", "chunk_id"}
        assert isinstance(item["score"], float) and isinstance(item["chunk_id"], str)
        assert list(item["source"]) == ["title", "publisher", "url", "published", "author", "path", "forwarded_from"]
        article = (corpus_dir / item["source"]["path"]).read_text()
        assert all(piece in article for piece in pieces(item["text"]))  # verbatim between "…" cuts
        assert item["highlight"] and item["highlight"] in item["text"]


def test_empty_question_gets_a_usage_hint(corpus_dir: Path, index: Path) -> None:
    for question in ("", "   "):
        result = cli(corpus_dir, index, "ask", question)
        assert result.returncode == 0 and "Ask a question about the Way Home" in result.stdout
    data = json.loads(cli(corpus_dir, index, "ask", "--json", " \t ").stdout)
    assert data["answered"] is False and data["results"] == [] and "Ask a question" in data["message"]


def test_a_10000_character_question_is_handled(corpus_dir: Path, index: Path) -> None:
    question = ("How many followers does the Way Home channel have? " * 200)[:10_000]
    result = cli(corpus_dir, index, "ask", "--json", question)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["question"] == question and data["answered"] is True
    assert "trimmed" in data["message"].lower()


def test_undecodable_argv_bytes_still_print(corpus_dir: Path, index: Path) -> None:
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("WAYHOME_")} | FAKE
    result = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json", b"followers \xff\xfe channel",
                             "--corpus", str(corpus_dir), "--index", str(index)], cwd=ROOT, env=env,
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["question"] == "followers \ufffd\ufffd channel"


def test_env_file_is_ignored_by_git() -> None:
    result = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert result.returncode == 0, ".env must be git-ignored (it holds the bot token)"
    assert "WAYHOME_TELEGRAM_TOKEN=" in (ROOT / ".env.example").read_text()


def test_every_setting_is_documented_and_the_env_file_is_made_private() -> None:
    from bot.settings import Settings

    example = (ROOT / ".env.example").read_text()
    assert [f for f in Settings.model_fields if f"WAYHOME_{f.upper()}=" not in example] == []
    assert "WAYHOME_FEEDBACK_SALT" not in example, "votes use the generated state key, not a salt"
    readme = (ROOT / "README.md").read_text()
    assert "install -m 600 .env.example .env" in readme and "cp .env.example" not in readme


def _build_on_a_terminal(corpus: Path, index: Path, extra_env: dict[str, str]) -> str:
    """Run a forced build with stderr on a pseudo-terminal; returns what it wrote there."""
    import fcntl
    import os
    import select
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 columns wide
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_") and k != "CI"} | FAKE | extra_env
    try:
        subprocess.run([sys.executable, "-m", "bot.cli", "index", "build", "--force", "--corpus", str(corpus),
                        "--index", str(index)], cwd=ROOT, env=env, stderr=slave, stdout=subprocess.DEVNULL,
                       timeout=120, check=True)
        chunks = []
        while select.select([master], [], [], 0.2)[0]:
            chunks.append(os.read(master, 65536))
    finally:
        os.close(slave)
        os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(corpus_dir: Path, index: Path) -> None:
    shown = _build_on_a_terminal(corpus_dir, index, {})
    assert "embedding" in shown and "chunk" in shown
    assert "embedding" not in _build_on_a_terminal(corpus_dir, index, {"CI": "true"})


def test_settings_from_the_environment(corpus_dir: Path, tmp_path: Path) -> None:
    env = FAKE | {"WAYHOME_CORPUS_DIR": str(corpus_dir), "WAYHOME_INDEX_DIR": str(tmp_path / "env-index")}
    result = run_cli("index", "build", env=env)
    assert result.returncode == 0 and (tmp_path / "env-index" / "current").is_symlink()
    bad = run_cli("ask", "x", env=env | {"WAYHOME_TOP_K": "0"})
    assert bad.returncode == 2 and "WAYHOME_TOP_K" in bad.stderr and "Traceback" not in bad.stderr
