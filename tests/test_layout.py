"""The package layout the README describes: stages in subpackages, dependencies pointing one way."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

BOT = ROOT / "bot"
# Lower stages never import higher ones (equal ranks may import each other, cycles aside).
RANK = {"calibration": 0, "text": 0, "errors": 0, "messages": 0, "i18n": 0, "models": 0, "settings": 0, "ingest": 1, "encoders": 1,
        "state": 1, "index": 2, "sources": 3, "search": 3, "answer": 4, "render": 5, "engine": 6,
        "conversation": 7, "repl": 8, "telegram": 8, "bench": 8, "evaluation": 8, "cli": 9}


def modules() -> dict[str, Path]:
    found = {}
    for path in BOT.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """bot modules ``path`` imports anywhere (module level or inside functions)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.add(sub if sub in known else node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("bot"))
    return out


def stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def test_top_level_and_subpackages() -> None:
    top = [p for p in BOT.glob("*.py") if p.name != "__init__.py"]
    packages = [p for p in BOT.iterdir() if (p / "__init__.py").exists()]
    assert len(top) <= 10, sorted(p.name for p in top)
    assert len(packages) >= 5


def test_no_module_is_over_300_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in BOT.rglob("*.py") if (n := len(p.read_text().splitlines())) > 300}
    assert not long, long


def test_python_telegram_bot_only_inside_bot_telegram() -> None:
    for path in BOT.rglob("*.py"):
        if path.parent.name == "telegram":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not any(n == "telegram" or n.startswith("telegram.") for n in names), path


def test_no_import_cycles_and_no_upward_imports() -> None:
    known = modules()
    graph = {name: {m for m in imports(path, known) if m in known and m != name} for name, path in known.items()}
    for name, targets in graph.items():
        for target in targets:
            if name.count(".") and target != "bot":
                assert RANK[stage(target)] <= RANK[stage(name)], f"{name} imports the higher stage {target}"
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*trail[trail.index(nxt):], nxt]))
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])
