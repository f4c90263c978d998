"""Real ``wayhome index build`` processes: killed with SIGKILL mid-build, and two at once (the lock file)."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from support import tree

from bot.index import store as index_store
from bot.index.build import build_index
from bot.settings import Settings

pytestmark = pytest.mark.slow


def _grow(corpus: Path, articles: int = 30) -> None:
    """Enough generated articles that a forced build takes seconds (the fake encoder is instant)."""
    rng = random.Random(7)
    words = (corpus / "dw-2023-12-09-russian-soldiers-wives-bring-them-home.md").read_text().split()[20:]
    for i in range(articles):
        paragraphs = [" ".join(" ".join(rng.choices(words, k=rng.randint(8, 25))).rstrip(".") + "." for _ in range(4))
                      for _ in range(30)]
        (corpus / f"generated-{i:03d}.md").write_text(f"---\ntitle: Generated {i}\nurl: https://gen.example/{i}\n"
                                                      "---\n" + "\n\n".join(paragraphs) + "\n")


def _build_process(settings: Settings, *flags: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")}
    env["WAYHOME_EMBEDDING_MODEL"] = "fake:64"
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "index", "build", "--corpus", str(settings.corpus_dir),
                             "--index", str(settings.index_dir), *flags], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(condition, timeout: float = 60.0, interval: float = 0.0005) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def _writing(index_dir: Path) -> bool:
    return any(name.startswith(".tmp-build-") for name in os.listdir(index_dir))


def _kill_and_check(fake_settings: Settings, when: str) -> bool:
    """Start a forced build, SIGKILL it at ``when``; True when it died mid-build (False: it finished first)."""
    before = tree(fake_settings.index_dir)
    process = _build_process(fake_settings, "--force")
    if when == "while writing the new build folder":
        _wait_for(lambda: _writing(fake_settings.index_dir) or process.poll() is not None)
    else:
        time.sleep(1.0)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    if process.returncode != -signal.SIGKILL:
        return False
    after = tree(fake_settings.index_dir)
    assert {k: after.get(k) for k in before} == before, f"killed {when}: the previous index changed"
    leftovers = {k.split("/")[0] for k in set(after) - set(before)}
    assert all(name.startswith((".tmp-build-", "build-", ".current-")) for name in leftovers), leftovers
    if when == "while writing the new build folder":
        assert leftovers, "killed after the new build folder was created"
    data = index_store.load(fake_settings.index_dir)  # and it is usable
    assert data.manifest.article_count == 2 and len(data.chunks) == data.dense_index.ntotal
    return True


@pytest.mark.parametrize("when", ["while chunking and embedding", "while writing the new build folder"])
def test_sigkill_mid_build_leaves_previous_index_byte_identical(fake_settings: Settings, when: str) -> None:
    build_index(fake_settings)
    _grow(fake_settings.corpus_dir)
    assert any(_kill_and_check(fake_settings, when) for _ in range(3)), "the build always finished before the kill"
    result = run_cli("index", "build", "--corpus", str(fake_settings.corpus_dir), "--index",
                     str(fake_settings.index_dir), env={"WAYHOME_EMBEDDING_MODEL": "fake:64"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("32 articles:")
    live = os.readlink(fake_settings.index_dir / "current")
    assert [p.name for p in fake_settings.index_dir.iterdir() if "build-" in p.name] == [live], "leftovers removed"


def _lock_held(index_dir: Path) -> bool:
    try:
        with open(index_dir / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_UN)
    except (BlockingIOError, FileNotFoundError):
        return True
    return False


def test_two_builds_at_once_are_serialised_by_the_lock(fake_settings: Settings) -> None:
    build_index(fake_settings)
    _grow(fake_settings.corpus_dir)
    first = _build_process(fake_settings, "--force")
    assert _wait_for(lambda: _lock_held(fake_settings.index_dir), interval=0.01)

    refused = _build_process(fake_settings, "--no-wait")
    out, err = refused.communicate(timeout=60)
    assert refused.returncode == 2 and out == ""
    assert err.strip().splitlines() == [
        f"wayhome: error: {fake_settings.index_dir}: another `wayhome index build` is running; "
        "try again when it has finished"]

    waiting = _build_process(fake_settings)
    time.sleep(0.5)
    assert waiting.poll() is None, "the second build waits for the lock"
    first_out, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert first_out.startswith("32 articles: 32 embedded, 0 reused")
    second_out, second_err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, second_err
    assert second_out.startswith("32 articles: 0 embedded, 32 reused"), "it ran after the first, reusing its work"
