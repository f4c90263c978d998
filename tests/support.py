"""Helpers several test packages share (the CLI as a subprocess, index snapshots)."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from conftest import run_cli

FAKE = {"WAYHOME_EMBEDDING_MODEL": "fake:64"}
QUESTION = "How many followers does the Way Home channel have?"


def cli(corpus: Path, index: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "--corpus", str(corpus), "--index", str(index), env=FAKE, input=input)


def tree(index_dir: Path) -> dict[str, str]:
    """Every file (sha256), folder and link (target) under the index folder, except the lock file."""
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(index_dir):
        for name in dirs + files:
            path = Path(root) / name
            rel = str(path.relative_to(index_dir))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[rel] = "folder"
            elif name != ".lock":
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
