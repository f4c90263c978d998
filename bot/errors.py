"""Errors a user can act on: each names the file (or setting) and the problem."""

from __future__ import annotations

from pathlib import Path


class WayhomeError(Exception):
    """Base class for errors shown to the user as one clear line (exit status 2)."""


class ArticleError(WayhomeError):
    """A corpus file that cannot be indexed."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class CorpusError(WayhomeError):
    """The corpus as a whole cannot be indexed (empty, missing, duplicates)."""


class IndexUnavailable(WayhomeError):
    """The index on disk is missing, corrupt or incompatible."""


class BuildLockedError(WayhomeError):
    """Another ``index build`` holds the lock."""
