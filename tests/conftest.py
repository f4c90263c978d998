"""Shared fixtures: a fake encoder for unit tests (loads nothing), the real model for a few end-to-end ones."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests judge the code, not the machine or the luck of the draw: no timing or input-size health
# checks (a run on a busy CI box once failed with "data too large"), and the same examples on CI every run.
settings.register_profile("wayhome", deadline=None, derandomize=bool(os.environ.get("CI")),
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("wayhome")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's .env or WAYHOME_* variables."""
    for name in list(os.environ):
        if name.startswith("WAYHOME_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("WAYHOME_TELEGRAM_TOKEN", "")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def fake_settings(tmp_path: Path, corpus_dir: Path):  # type: ignore[no-untyped-def]
    """Settings over a copied corpus and a fresh index folder, with the fake encoder."""
    from bot.settings import Settings

    return Settings(corpus_dir=corpus_dir, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                    embedding_model="fake:64", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus indexed once with the real model (the ONNX export happens here, once)."""
    index = tmp_path_factory.mktemp("real") / "index"
    shared = ROOT / "index" / "encoders"
    if shared.is_dir():  # reuse the project's exported encoder when it exists
        shutil.copytree(shared, index / "encoders")
    subprocess.run([sys.executable, "-m", "bot.cli", "index", "build", "--index", str(index), "--corpus",
                    str(CORPUS)], check=True, cwd=ROOT, env={**os.environ, "WAYHOME_EMBEDDING_MODEL": "all-MiniLM-L6-v2"})
    return index


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``wayhome`` as a subprocess, as a user would."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=full_env, input=input,
                          capture_output=True, text=True, timeout=timeout)
