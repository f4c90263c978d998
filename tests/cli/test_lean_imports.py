"""The query path imports only what answering needs: never torch, transformers or sentence-transformers (they
cost seconds and hundreds of MB), nor wordfreq (0.2-0.6 s: the index stores the word frequencies a question
needs, ``bot/text/lexicon.py``), nor the export-only ONNX tooling."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow  # starts processes or loads the real model

HEAVY = ("torch", "transformers", "sentence_transformers", "wordfreq", "onnx", "optimum", "huggingface_hub",
         "sklearn", "pandas")
# A clean question, and a typed one: typos of everyday words ("realy", "becuase"), a word the corpus lacks,
# a year — every word-frequency lookup a question can make.
QUESTIONS = ("Who is Maria Andreyeva?",
             "who is maria andreyeva realy, i ask becuase my neighbour said she went to moscow in 2023")


def imported_top_level(importtime_log: str) -> set[str]:
    """Top-level package names in a ``python -X importtime`` log."""
    return {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in importtime_log.splitlines()
            if line.startswith("import time:")}


@pytest.mark.parametrize("question", QUESTIONS)
def test_wayhome_ask_with_the_real_index_imports_nothing_heavy(real_index: Path, question: str) -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot.cli", "ask", "--json",
                             question, "--index", str(real_index)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["answered"] is True
    modules = imported_top_level(result.stderr)
    assert {"onnxruntime", "tokenizers", "faiss"} <= modules  # the log is read correctly: the lean stack is there
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_query_modules_import_nothing_heavy() -> None:
    code = ("import sys, bot.engine, bot.search.hybrid, bot.cli, bot.repl, bot.telegram.app, bot.encoders.onnx_encoder; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
