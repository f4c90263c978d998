"""End-to-end smoke tests of the CLI with the real model (through subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, run_cli

pytestmark = pytest.mark.slow  # starts processes


def test_ask_answers_followers_question_with_citation(real_index: Path) -> None:
    result = run_cli("ask", "How many followers does the Way Home channel have?", "--index", str(real_index))
    assert result.returncode == 0, result.stderr
    assert "37,000 followers" in result.stdout
    assert "[1]" in result.stdout


def test_ask_json_shape_and_verbatim(real_index: Path) -> None:
    result = run_cli("ask", "--json", "Who is Olga Tsukanova?", "--index", str(real_index))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"question", "language", "answered", "message", "results"}
    assert data["answered"] is True
    first = data["results"][0]
    assert first["rank"] == 1 and first["highlight"] in first["text"]
    body = (CORPUS / first["source"]["path"]).read_text()
    assert first["text"] in body
    assert any("Tsukanova" in r["text"] for r in data["results"])


def test_offtopic_is_refused(real_index: Path) -> None:
    result = run_cli("ask", "--json", "What is the best recipe for lasagna?", "--index", str(real_index))
    data = json.loads(result.stdout)
    assert data["answered"] is False and data["results"] == []
    assert "Way Home" in data["message"]


def test_repl_from_pipe_answers_each_line(real_index: Path) -> None:
    result = run_cli("repl", "--index", str(real_index), input="Who is Maria Andreyeva?\n/sources\n\n")
    assert result.returncode == 0, result.stderr
    assert "Andreyeva" in result.stdout
    assert "https://p.dw.com/p/4ZxFJ" in result.stdout
