"""Is the index there, current and loadable? Build or rebuild it when not (``ask``, ``repl``, ``bot``)."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from . import index_store
from .errors import IndexError_
from .index_build import build_index, file_hashes
from .settings import Settings

log = logging.getLogger(__name__)


def stale_reasons(settings: Settings) -> list[str]:
    """Why the live index does not match the corpus and settings (empty when it is current)."""
    manifest = index_store.read_manifest(settings.index_dir)
    if manifest is None:
        return ["no index has been built"]
    reasons: list[str] = []
    if manifest.get("format_version") != index_store.FORMAT_VERSION:
        reasons.append("index format changed")
    if manifest.get("model") != settings.embedding_model:
        reasons.append(f"embedding model changed ({manifest.get('model')} → {settings.embedding_model})")
    wanted = [settings.chunk_max_tokens, settings.chunk_min_tokens, settings.chunk_overlap_sentences]
    if manifest.get("chunk_settings") != wanted:
        reasons.append("chunking settings changed")
    known = {p: e["hash"] for p, e in manifest.get("articles", {}).items()} | manifest.get("skipped", {})
    current = file_hashes(settings.corpus_dir)
    added = set(current) - set(known)
    removed = set(known) - set(current)
    changed = {p for p in set(current) & set(known) if current[p] != known[p]}
    for label, paths in (("added", added), ("changed", changed), ("removed", removed)):
        if paths:
            reasons.append(f"{len(paths)} article(s) {label}: {', '.join(sorted(paths)[:3])}")
    return reasons


@dataclass
class Status:
    """What ``wayhome index status`` prints."""

    built: bool
    articles: int = 0
    chunks: int = 0
    model: str = ""
    built_at: str = ""
    dense_index: str = ""
    stale: list[str] | None = None


def status(settings: Settings) -> Status:
    manifest = index_store.read_manifest(settings.index_dir)
    if manifest is None:
        return Status(built=False, stale=["no index has been built"])
    counts = manifest.get("counts", {})
    return Status(True, counts.get("articles", 0), counts.get("chunks", 0), manifest.get("model", ""),
                  manifest.get("built_at", ""), manifest.get("dense_index", ""), stale_reasons(settings))


def ensure_index(settings: Settings, skip_bad: bool = False) -> index_store.IndexData:
    """Load the index, building it first when missing or stale and rebuilding it when corrupt."""
    reasons = stale_reasons(settings)
    if reasons:
        print(f"wayhome: building the index ({'; '.join(reasons)})…", file=sys.stderr)
        print(f"wayhome: {build_index(settings, skip_bad=skip_bad).summary()}", file=sys.stderr)
    try:
        return index_store.load(settings.index_dir)
    except IndexError_ as exc:
        print(f"wayhome: {exc}; rebuilding from the corpus…", file=sys.stderr)
        print(f"wayhome: {build_index(settings, force=True, skip_bad=skip_bad).summary()}", file=sys.stderr)
        return index_store.load(settings.index_dir)
