"""The lock's stamp: a digest of pyproject.toml's dependency lists, written into requirements.lock by `make lock`.

`python tests/lockfile.py stamp requirements.lock` adds (or replaces) the stamp line; the lock test recomputes the
digest from pyproject.toml and fails when it differs, so a dependency changed without `make lock` is caught by
content, not by file times.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

STAMP = "# pyproject-dependencies-sha256: "


def declared(pyproject: Path) -> list[str]:
    """Every requirement pyproject.toml names: the dependencies and each extra's, in file order."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    found = list(project.get("dependencies", []))
    for extra in sorted(project.get("optional-dependencies", {})):
        found += project["optional-dependencies"][extra]
    return found


def digest(pyproject: Path) -> str:
    return hashlib.sha256(json.dumps(declared(pyproject)).encode()).hexdigest()


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them (case, runs of -_. folded)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return canonical(re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0])


def pinned(lock: Path) -> dict[str, str]:
    """name -> exact version, for every `name==version` line of the lock."""
    pins: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def stamp_of(lock: Path) -> str | None:
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith(STAMP):
            return line[len(STAMP):].strip()
    return None


def write_stamp(lock: Path, pyproject: Path) -> None:
    lines = [line for line in lock.read_text(encoding="utf-8").splitlines() if not line.startswith(STAMP)]
    lock.write_text("\n".join([STAMP + digest(pyproject), *lines]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] != ["stamp"] or len(sys.argv) != 3:
        sys.exit("usage: python tests/lockfile.py stamp requirements.lock")
    write_stamp(Path(sys.argv[2]), Path(__file__).resolve().parent.parent / "pyproject.toml")
