"""The index on disk: JSON + NumPy + FAISS + bm25s files in a build folder, swapped in atomically.

``<index_dir>/current`` is a symlink to the live ``build-*`` folder. A new build is written to a hidden
temporary folder, renamed, and the symlink replaced with ``os.replace`` (atomic), so a failed or killed
build leaves the previous index byte-identical.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import dense
from .errors import IndexError_
from .keyword import KeywordIndex
from .models import Chunk, Source

FORMAT_VERSION = 1
CURRENT = "current"
FILES = ("manifest.json", "articles.json", "chunks.json", "vectors.npy", "dense.faiss")


@dataclass
class IndexData:
    """Everything a build produces and a search needs."""

    manifest: dict[str, Any]
    sources: dict[str, Source]
    chunks: list[Chunk]
    vectors: np.ndarray
    dense_index: Any
    keyword: KeywordIndex
    directory: Path | None = None


def current_dir(index_dir: Path) -> Path | None:
    """The live build folder, or None when no index has been built."""
    link = index_dir / CURRENT
    if not link.exists():
        return None
    return link.resolve()


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The live manifest, or None when missing or unreadable."""
    live = current_dir(index_dir)
    if live is None:
        return None
    try:
        data = json.loads((live / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1))


def write(index_dir: Path, data: IndexData) -> Path:
    """Write ``data`` to a new build folder and swap it in atomically; returns the new folder."""
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-build-", dir=index_dir))
    try:
        _write_json(tmp / "articles.json", [s.model_dump() for s in data.sources.values()])
        _write_json(tmp / "chunks.json", [c.model_dump() for c in data.chunks])
        np.save(tmp / "vectors.npy", np.ascontiguousarray(data.vectors, dtype=np.float32), allow_pickle=False)
        dense.save(data.dense_index, tmp / "dense.faiss")
        data.keyword.save(tmp / "bm25")
        _write_json(tmp / "manifest.json", data.manifest)  # last: its presence marks a complete build
        _fsync_tree(tmp)
        final = index_dir / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{tmp.name[-6:]}"
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    link_tmp = index_dir / f".current-{os.getpid()}"
    if link_tmp.is_symlink():
        link_tmp.unlink()
    os.symlink(final.name, link_tmp)
    os.replace(link_tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    prune(index_dir, keep=final)
    return final


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune(index_dir: Path, keep: Path) -> None:
    """Remove older build folders and leftovers of interrupted builds."""
    for path in index_dir.iterdir():
        if path == keep or not path.is_dir() or path.is_symlink():
            continue
        if path.name.startswith(("build-", ".tmp-build-")):
            shutil.rmtree(path, ignore_errors=True)


def load(index_dir: Path) -> IndexData:
    """Load the live index, validating it; raises IndexError_ with the problem."""
    live = current_dir(index_dir)
    if live is None:
        raise IndexError_(f"{index_dir}: no index built yet (run `wayhome index build`)")
    missing = [name for name in (*FILES, "bm25") if not (live / name).exists()]
    if missing:
        raise IndexError_(f"{live}: index is incomplete, missing {', '.join(missing)}")
    try:
        manifest = json.loads((live / "manifest.json").read_text())
        sources = {s["path"]: Source(**s) for s in json.loads((live / "articles.json").read_text())}
        chunks = [Chunk(**c) for c in json.loads((live / "chunks.json").read_text())]
        vectors = np.load(live / "vectors.npy", mmap_mode="r", allow_pickle=False)
        dense_index = dense.load(live / "dense.faiss")
        keyword = KeywordIndex.load(live / "bm25")
    except Exception as exc:  # any corrupt file: report which index, and why
        raise IndexError_(f"{live}: index is corrupt ({type(exc).__name__}: {exc})") from None
    check_consistent(manifest, chunks, vectors, dense_index, live)
    return IndexData(manifest, sources, chunks, vectors, dense_index, keyword, live)


def check_consistent(manifest: dict[str, Any], chunks: list[Chunk], vectors: np.ndarray, dense_index: Any,
                     live: Path) -> None:
    """Counts and dimensions must agree across the files."""
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexError_(f"{live}: index format {manifest.get('format_version')} != {FORMAT_VERSION}")
    n, dim = len(chunks), int(manifest.get("dim", -1))
    if vectors.ndim != 2 or vectors.shape != (n, dim) or int(dense_index.ntotal) != n or int(dense_index.d) != dim:
        raise IndexError_(f"{live}: index files disagree (chunks {n}, vectors {vectors.shape}, "
                          f"faiss {dense_index.ntotal}x{dense_index.d}, manifest dim {dim})")
