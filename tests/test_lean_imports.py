"""The query path never imports torch, transformers or sentence-transformers (they cost seconds and hundreds of MB)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

HEAVY = ("torch", "transformers", "sentence_transformers")


def imported_top_level(importtime_log: str) -> set[str]:
    """Top-level package names in a ``python -X importtime`` log."""
    return {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in importtime_log.splitlines()
            if line.startswith("import time:")}


def test_wayhome_ask_with_the_real_index_imports_no_heavy_ml(real_index: Path) -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot.cli", "ask", "--json",
                             "Who is Maria Andreyeva?", "--index", str(real_index)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["answered"] is True
    modules = imported_top_level(result.stderr)
    assert {"onnxruntime", "tokenizers", "faiss"} <= modules  # the log is read correctly: the lean stack is there
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_query_modules_import_no_heavy_ml() -> None:
    code = ("import sys, bot.engine, bot.search.hybrid, bot.cli, bot.repl, bot.telegram.app, bot.encoders.onnx_encoder; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
