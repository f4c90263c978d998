"""What the corpus already holds, to keep ``wayhome add`` from adding an article twice.

Takes: the corpus folder (read with the ingest loader, bad files skipped) and then each candidate's URLs and
body. Gives: ``KnownArticles.match`` → the file that already has the same canonical URL or the same body text
(``body_fingerprint``: case, Unicode form and whitespace ignored), or None. ``canonical_url`` is the URL key:
scheme, ``www.``, default ports, fragments, trailing slashes and tracking parameters (``utm_*``, ``fbclid``…)
do not make two URLs different.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from bot.errors import CorpusError
from bot.ingest.corpus import load_corpus
from bot.sources.writer import body_fingerprint

_TRACKING = ("utm_", "fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "at_medium", "at_campaign")
_DEFAULT_PORTS = {"http": 80, "https": 443}

SAME_URL = "same URL"
SAME_TEXT = "same text"


def canonical_url(url: str) -> str:
    """A comparison key for ``url`` ("" for something that is not a http(s) URL with a host)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().removeprefix("www.")
    if scheme not in _DEFAULT_PORTS or not host:
        return ""
    if port and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")


@dataclass
class KnownArticles:
    """Corpus files by canonical URL and by body fingerprint."""

    by_url: dict[str, str] = field(default_factory=dict)
    by_body: dict[str, str] = field(default_factory=dict)

    def match_url(self, urls: Iterable[str]) -> str | None:
        """The file that has one of ``urls``, or None."""
        for url in urls:
            key = canonical_url(url)
            if key and key in self.by_url:
                return self.by_url[key]
        return None

    def match(self, urls: Iterable[str], body: str) -> tuple[str, str] | None:
        """``(file, SAME_URL | SAME_TEXT)`` for an article already known, or None."""
        found = self.match_url(urls)
        if found is not None:
            return found, SAME_URL
        fingerprint = body_fingerprint(body)
        if fingerprint in self.by_body:
            return self.by_body[fingerprint], SAME_TEXT
        return None

    def remember(self, file: str, urls: Iterable[str], body: str) -> None:
        """Record an article (one already in the corpus, or one about to be added)."""
        for url in urls:
            key = canonical_url(url)
            if key:
                self.by_url.setdefault(key, file)
        self.by_body.setdefault(body_fingerprint(body), file)


def known_articles(corpus_dir: Path) -> KnownArticles:
    """The articles in ``corpus_dir`` (none when it does not exist or holds no readable article)."""
    known = KnownArticles()
    try:
        corpus = load_corpus(corpus_dir, skip_bad=True)
    except CorpusError:
        return known
    for article in corpus.articles:
        known.remember(article.source.path, [article.source.url], article.body)
    return known
