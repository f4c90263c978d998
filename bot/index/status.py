"""Is the index there, current and loadable? Build or rebuild it when not (``ask``, ``repl``, ``bot``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.errors import CorpusError, IndexUnavailable, WayhomeError
from bot.index import store as index_store
from bot.index.build import BuildReport, build_index
from bot.index.manifest import Manifest
from bot.index.staleness import settings_mismatches
from bot.ingest.corpus import corpus_fingerprints
from bot.settings import Settings

log = logging.getLogger(__name__)
Notify = Callable[[str], None]  # where a line for the user goes (the CLI: stderr, as "wayhome: …")


def log_notes(line: str) -> None:
    """The default ``Notify``: the logging module (library code never prints)."""
    log.warning("%s", line)


def _corpus_changes(manifest: Manifest, settings: Settings) -> list[str]:
    """Articles added, changed or removed since the index was built."""
    known = manifest.known_hashes()
    try:
        current = corpus_fingerprints(settings.corpus_dir)
    except CorpusError as exc:
        return [str(exc)]
    added = set(current) - set(known)
    removed = set(known) - set(current)
    changed = {p for p in set(current) & set(known) if current[p] != known[p]}
    reasons: list[str] = []
    for label, paths in (("added", added), ("changed", changed), ("removed", removed)):
        if paths:
            reasons.append(f"{len(paths)} article(s) {label}: {', '.join(sorted(paths)[:3])}")
    return reasons


def stale_reasons(settings: Settings) -> list[str]:
    """Why the live index does not match the corpus and settings (empty when it is current)."""
    if index_store.current_dir(settings.index_dir) is None:
        return ["no index has been built"]
    manifest = index_store.read_manifest(settings.index_dir)
    if manifest is None:
        return ["the index manifest is missing or unreadable"]
    reasons = settings_mismatches(manifest, settings)
    return reasons + _corpus_changes(manifest, settings)


@dataclass
class Status:
    """What ``wayhome index status`` prints."""

    built: bool
    articles: int = 0
    chunks: int = 0
    model: str = ""
    built_at: str = ""
    dense_index: str = ""
    stale: list[str] = field(default_factory=list)
    pairs: dict[str, dict[str, float]] = field(default_factory=dict)  # the multilingual space's language pairs

    def pair_lines(self) -> list[str]:
        """One line per calibrated language pair (``bot.index.calibrate``)."""
        return [f"pair {key}: answer line {p['line']:+.2f}, quote floor {p['floor']:+.2f} standard units "
                f"(null cosines {p['mean']:.3f} ± {p['std']:.3f}, {int(p['nulls'])} null questions)"
                for key, p in self.pairs.items()]

    def summary(self) -> str:
        """The status as ``wayhome index status`` prints it."""
        if not self.built:
            return f"No index built yet ({'; '.join(self.stale)}): run `wayhome index build`."
        return (f"articles: {self.articles}\nchunks: {self.chunks}\nmodel: {self.model}\n"
                f"dense index: {self.dense_index}\nbuilt: {self.built_at}\n" + "".join(f"{line}\n" for line in self.pair_lines())
                + "stale: " + ("; ".join(self.stale) if self.stale else "no (index matches the corpus)"))


def status(settings: Settings) -> Status:
    """Articles, chunks, model and build time of the live index, and why it is stale (if it is)."""
    manifest = index_store.read_manifest(settings.index_dir)
    if manifest is None:
        return Status(built=False, stale=stale_reasons(settings))
    return Status(True, manifest.article_count, manifest.chunk_count, manifest.model or "", manifest.built_at,
                  manifest.dense_index, stale_reasons(settings),
                  {key: line.to_json() for key, line in (manifest.pairs or {}).items()})


def _build(settings: Settings, why: str, skip_bad: bool, notify: Notify, force: bool = False) -> BuildReport:
    """Build, telling the user why (with any skipped-file warnings)."""
    notify(f"building the index ({why})…")
    report = build_index(settings, force=force, skip_bad=skip_bad)
    for warning in report.warnings:
        notify(f"warning: {warning}")
    notify(report.summary())
    return report


def ensure_index(settings: Settings, skip_bad: bool = False, notify: Notify = log_notes) -> index_store.IndexData:
    """Load the index, building it first when missing or stale and rebuilding it when corrupt.

    When the corpus cannot be indexed (a bad article, no corpus folder) but a usable index exists, it keeps
    serving that one and says why (``notify``); with no usable index the error goes to the caller (exit 2).
    """
    reasons = stale_reasons(settings)
    if reasons:
        try:
            _build(settings, "; ".join(reasons), skip_bad, notify)
        except WayhomeError as exc:  # a bad article, no corpus, an index folder that cannot be written
            try:
                data = index_store.load(settings.index_dir)
            except WayhomeError:
                raise exc from None
            notify(f"warning: {exc}")
            notify("cannot refresh the index; answering from the previous one (fix the file, or run "
                   "`wayhome index build --skip-bad`)")
            return data
    try:
        return index_store.load(settings.index_dir)
    except IndexUnavailable:
        pass
    try:  # once more: a build may have swapped in a new index (and pruned the old one) while it was read
        return index_store.load(settings.index_dir)
    except IndexUnavailable as exc:
        _build(settings, f"{exc}; rebuilding from the corpus", skip_bad, notify, force=True)
        return index_store.load(settings.index_dir)
