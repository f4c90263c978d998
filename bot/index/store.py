"""The index on disk: JSON + NumPy + FAISS + bm25s files in a build folder, swapped in atomically.

``<index_dir>/current`` is a symlink to the live ``build-*`` folder. A new build is written to a hidden
temporary folder, renamed, and the symlink replaced with ``os.replace`` (atomic), so a failed or killed
build leaves the previous index byte-identical.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from bot.errors import IndexUnavailable
from bot.index import dense
from bot.index import manifest as manifest_file
from bot.index.bm25 import KeywordIndex
from bot.index.manifest import FORMAT_VERSION, Manifest, from_json
from bot.index.words import CorpusWords
from bot.models import Chunk, Source
from bot.text.lexicon import RUSSIAN_FILE, TABLE_FILE, Lexicon

log = logging.getLogger(__name__)
CURRENT = "current"
T = TypeVar("T")
FILES = ("manifest.json", "articles.json", "chunks.json", "vectors.npy", "dense.faiss")
ML_VECTORS, ML_DENSE, ML_GENERIC = "vectors_ml.npy", "dense_ml.faiss", "generic_ml.npy"


@dataclass
class IndexData:
    """Everything a build produces and a search needs."""

    manifest: Manifest
    sources: dict[str, Source]
    chunks: list[Chunk]
    vectors: np.ndarray
    dense_index: Any
    keyword: KeywordIndex
    directory: Path | None = None
    lexicon: Lexicon = field(default_factory=Lexicon)  # general-English word frequencies (wordfreq's without a table)
    ml_vectors: np.ndarray | None = None  # the multilingual model's passage vectors (see ``multilingual``)
    ml_dense: Any = None
    ml_generic: np.ndarray | None = None  # the multilingual model's vectors of the generic texts
    ml_words: CorpusWords | None = None  # the corpus's words in the multilingual space (``bot.index.words``)


def current_dir(index_dir: Path) -> Path | None:
    """The live build folder, or None when no index has been built."""
    link = index_dir / CURRENT
    if not link.exists():
        return None
    return link.resolve()


def read_manifest(index_dir: Path) -> Manifest | None:
    """The live manifest, or None when missing or unreadable."""
    live = current_dir(index_dir)
    if live is None:
        return None
    return manifest_file.read(live / "manifest.json")


def _write_json(path: Path, data: Any, ascii_only: bool = False) -> None:
    """UTF-8 JSON; ``ascii_only`` escapes everything (the manifest may name skipped files whose names are not
    valid UTF-8: escaped, they round-trip exactly)."""
    path.write_text(json.dumps(data, ensure_ascii=ascii_only, indent=1), encoding="utf-8")


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
        for name, table in ((TABLE_FILE, data.lexicon.table), (RUSSIAN_FILE, data.lexicon.russian)):
            if table is not None:  # compact: 0.3 and 0.7 MB, read at the first question that needs one
                (tmp / name).write_text(json.dumps(table.to_json(), separators=(",", ":")), encoding="utf-8")
        if data.ml_vectors is not None:
            np.save(tmp / ML_VECTORS, np.ascontiguousarray(data.ml_vectors, dtype=np.float32), allow_pickle=False)
            dense.save(data.ml_dense, tmp / ML_DENSE)
        if data.ml_words is not None:
            data.ml_words.write(tmp)
        if data.ml_generic is not None:
            np.save(tmp / ML_GENERIC, np.ascontiguousarray(data.ml_generic, dtype=np.float32), allow_pickle=False)
        _write_json(tmp / "manifest.json", data.manifest.to_json(), ascii_only=True)  # last: marks a complete build
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


def _short(exc: BaseException) -> str:
    """A one-line, bounded description of why a file could not be read."""
    text = " ".join(str(exc).split())
    text = text.rsplit("Error: ", 1)[-1]  # FAISS prefixes its message with the C++ call site
    return f"{type(exc).__name__}: {text[:160]}"


def _read(live: Path, name: str, reader: Callable[[Path], T]) -> T:
    """Read one index file, turning any failure into an IndexUnavailable that names it."""
    try:
        return reader(live / name)
    except Exception as exc:  # any corrupt file: report which one, and why
        raise IndexUnavailable(f"{live / name}: index file is corrupt ({_short(exc)})") from None


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def load(index_dir: Path) -> IndexData:
    """Load the live index, validating it; raises IndexUnavailable naming the problem file."""
    live = current_dir(index_dir)
    if live is None:
        raise IndexUnavailable(f"{index_dir}: no index built yet (run `wayhome index build`)")
    missing = [name for name in (*FILES, "bm25") if not (live / name).exists()]
    if missing:
        raise IndexUnavailable(f"{live}: index is incomplete, missing {', '.join(missing)}")
    raw = _read(live, "manifest.json", _json)
    if not isinstance(raw, dict):
        raise IndexUnavailable(f"{live / 'manifest.json'}: index file is corrupt (not a JSON object)")
    manifest = from_json(raw)
    sources = _read(live, "articles.json", lambda p: {s["path"]: Source(**s) for s in _json(p)})
    chunks = _read(live, "chunks.json", lambda p: [Chunk(**c) for c in _json(p)])
    vectors = _read(live, "vectors.npy", lambda p: np.load(p, mmap_mode="r", allow_pickle=False))
    dense_index = _read(live, "dense.faiss", dense.load)
    keyword = _read(live, "bm25", KeywordIndex.load)
    if not keyword.current:  # queries would be tokenised differently from the stored index
        log.warning("keyword index was tokenised by another version: re-tokenising it in memory "
                    "(run `wayhome index build --force` to store it)")
        keyword = KeywordIndex.build([c.text for c in chunks])
    check_consistent(manifest, chunks, vectors, dense_index, live)
    orphans = {c.article_path for c in chunks} - set(sources)
    if orphans:
        raise IndexUnavailable(f"{live}: index files disagree (chunks of unknown articles: {sorted(orphans)[:3]})")
    # word frequencies for queries without importing wordfreq (older builds lack the table: wordfreq answers)
    data = IndexData(manifest, sources, chunks, vectors, dense_index, keyword, live, lexicon=Lexicon.stored_in(live))
    if manifest.multilingual_model:
        data.ml_vectors = _read(live, ML_VECTORS, lambda p: np.load(p, mmap_mode="r", allow_pickle=False))
        data.ml_dense = _read(live, ML_DENSE, dense.load)
        if data.ml_vectors.shape[0] != len(chunks) or int(data.ml_dense.ntotal) != len(chunks):
            raise IndexUnavailable(f"{live}: multilingual vectors disagree with the chunks")
        if manifest.generic_texts:
            data.ml_generic = _read(live, ML_GENERIC, lambda p: np.load(p, allow_pickle=False))
        data.ml_words = CorpusWords.read(live)  # None for an index built before them: names and numbers only
    return data


def check_consistent(manifest: Manifest, chunks: list[Chunk], vectors: np.ndarray, dense_index: Any,
                     live: Path) -> None:
    """Counts and dimensions must agree across the files."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexUnavailable(f"{live}: index format {manifest.format_version} != {FORMAT_VERSION}")
    n, dim = len(chunks), manifest.dim
    if not isinstance(dim, int):
        raise IndexUnavailable(f"{live / 'manifest.json'}: index file is corrupt (no vector dimension)")
    if vectors.ndim != 2 or vectors.shape != (n, dim) or int(dense_index.ntotal) != n or int(dense_index.d) != dim:
        raise IndexUnavailable(f"{live}: index files disagree (chunks {n}, vectors {vectors.shape}, "
                          f"faiss {dense_index.ntotal}x{dense_index.d}, manifest dim {dim})")
