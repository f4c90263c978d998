"""The lock covers pyproject.toml: every dependency named there is pinned, the stamp matches its dependency lists,
and the environment the tests run in holds exactly the lock's versions."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from lockfile import canonical, declared, digest, pinned, requirement_name, stamp_of

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"


def test_every_declared_dependency_is_pinned() -> None:
    pins = pinned(LOCK)
    missing = [req for req in declared(PYPROJECT) if requirement_name(req) not in pins]
    assert not missing, f"pyproject.toml names {missing}, requirements.lock lacks them: run `make lock`"


def test_lock_is_not_older_than_the_dependency_lists() -> None:
    assert stamp_of(LOCK) == digest(PYPROJECT), "pyproject.toml's dependencies changed since `make lock`: run it"


def test_pins_are_exact_and_torch_is_the_cpu_build() -> None:
    pins = pinned(LOCK)
    assert len(pins) > 50
    assert pins["torch"].endswith("+cpu")


def test_installed_versions_are_the_locked_ones() -> None:
    pins = pinned(LOCK)
    ignored = {"wayhome", "pip", "setuptools", "wheel"}
    wrong = {}
    for dist in metadata.distributions():
        name = canonical(dist.metadata["Name"])
        if name in ignored:
            continue
        if pins.get(name) != dist.version:
            wrong[name] = (dist.version, pins.get(name))
    assert not wrong, f"installed (version, locked version) differ from requirements.lock: {wrong}"


def test_stamp_changes_with_the_dependency_lists(tmp_path: Path) -> None:
    text = PYPROJECT.read_text(encoding="utf-8")
    changed = tmp_path / "pyproject.toml"
    changed.write_text(text.replace('"numpy>=1.26"', '"numpy>=1.27"'), encoding="utf-8")
    assert digest(changed) != digest(PYPROJECT)
    reordered_comment = tmp_path / "p2.toml"
    reordered_comment.write_text(text.replace("[tool.ruff]", "# a comment\n[tool.ruff]"), encoding="utf-8")
    assert digest(reordered_comment) == digest(PYPROJECT)
