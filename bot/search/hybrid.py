"""Hybrid retrieval: dense (FAISS) and keyword (BM25) candidates, fused in one place.

Candidates are the union of the dense and the keyword top lists. Each carries its cosine similarity, its BM25
score (plus a smaller credit for question words found in its article's metadata: publisher, author, title,
publication date) and its *coverage* — the weighted share of the question's words it contains; they are
fused by one of ``bot.search.fusion``'s methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bot.calibration import RETRIEVAL
from bot.encoders.base import Encoder, encode_queries
from bot.encoders.cache import word_vectors
from bot.index import dense
from bot.index.calibrate import chunk_languages, offsets, pair_line
from bot.index.manifest import PairLine
from bot.index.store import IndexData
from bot.search.focus import focus_text
from bot.search.fusion import DEFAULT_FUSION, fuse, opening_chunks, top_ids
from bot.search.generic import contrast_to_generic
from bot.search.languages import rank_across
from bot.search.metadata import MetadataMatcher
from bot.search.query import NAME, Query, analyse, has_phrase
from bot.search.sentences import reorder_across
from bot.search.translation import Translations
from bot.search.vocabulary import Vocabulary


@dataclass
class Hit:
    """One candidate chunk with the evidence from both retrievers."""

    index: int
    dense: float
    keyword: float
    coverage: float
    context: float = 0.0  # coverage added by the previous chunk of the article (who "she" is)
    lead: float = 0.0  # coverage added by the article's opening chunk or the previous one (ranking: ``fuse``)
    fused: float = 0.0
    focus: float = 0.0  # cosine to the question without its background names (``background``), if it has any
    language: str = "en"  # the passage's language
    standard: float | None = None  # its multilingual cosine in standard units of its language pair (ranking)
    judged: float | None = None  # the same less the question's closeness to generic text (the pair's line)
    calibrated: bool = False  # judged by its pair's line (``standard``), not by the question model's thresholds
    order: float = 0.0  # the ranking key: ``fused``, or across languages ``bot.search.languages.rank_across``
    shared: float = 0.0  # coverage by the question's words that passages in other languages share (names, numbers)


@dataclass
class SearchResult:
    """Ranked candidates plus the signals the relevance decision needs."""

    hits: list[Hit]
    query: Query
    focused: bool = False  # the question named background names: ``Hit.focus`` was measured
    model: str = ""  # the embedding model whose cosines ``Hit.dense`` holds (thresholds are per model)
    contrast: float | None = None  # best cosine minus the question's cosine to generic texts (``generic``)
    vector: np.ndarray | None = None  # the question's vector in ``model``'s space
    lines: dict[str, PairLine] = field(default_factory=dict)  # per passage language: the pair's calibration
    readable: frozenset[str] = frozenset({"en"})  # passage languages ``model`` reads (its cosines mean something)
    ml_vector: np.ndarray | None = None  # the question in the multilingual space, when some pair judges a hit
    offsets: dict[str, float] = field(default_factory=dict)  # per passage language: ``PairLine.judged``'s offset


class Searcher:
    """Search one loaded index with one query encoder (the one that built it)."""

    def __init__(self, data: IndexData, encoder: Encoder, pool: int = RETRIEVAL.pool, fusion: str = DEFAULT_FUSION,
                 ml_encoder: Encoder | None = None) -> None:
        self.data = data
        self.encoder = encoder
        self.ml_encoder = ml_encoder if data.ml_vectors is not None else None
        self.pool = pool
        self.fusion = fusion
        self.vocab = Vocabulary(**data.keyword.term_stats(), lexicon=data.lexicon)
        self.metadata = MetadataMatcher(data.sources, [c.article_path for c in data.chunks])
        self.background = frozenset(data.manifest.background)
        chunks = data.chunks
        self.opening = opening_chunks(chunks)
        self.previous = [i - 1 if opening != i else -1 for i, opening in enumerate(self.opening)]
        self.pairs = dict(data.manifest.pairs or {}) if self.ml_encoder is not None else {}
        self.languages = chunk_languages(data.manifest.articles, len(chunks))
        self.corpus_languages = frozenset(str(code) for code in self.languages)
        self.generic_languages = np.array(data.manifest.generic_languages, dtype=object)
        self.texts = [c.text for c in chunks]
        words = data.ml_words if self.ml_encoder is not None else None
        self.translations = Translations(words) if words is not None and len(words.words) else None
        self.selectors = {code: dense.selector(np.flatnonzero(self.languages == code)) for code in
                          sorted(self.corpus_languages)} if self.pairs and len(self.corpus_languages) > 1 else {}

    def token_scores(self, query: Query) -> dict[str, np.ndarray]:
        """BM25 score of every chunk for each distinct known query token."""
        return {t: self.data.keyword.scores([t]) for t in dict.fromkeys(query.tokens) if t in self.vocab.df}

    def lines(self, language: str, encoder: Encoder) -> dict[str, PairLine]:
        """Per passage language, the calibrated pair of a question in ``language`` — for every language of the
        corpus when the question is judged in the multilingual space, else for the other languages only (an
        English question on English passages is the main model's to judge); empty without calibration."""
        if not self.pairs:
            return {}
        wanted = self.corpus_languages if encoder is self.ml_encoder else self.corpus_languages - {language}
        found = {code: pair_line(self.pairs, language, code) for code in wanted}
        return {code: line for code, line in found.items() if line is not None}

    def _space(self, language: str) -> tuple[Encoder, Any, np.ndarray]:
        """Encoder, FAISS index and vectors for a question in ``language``: the multilingual model's when the
        question is not English and the index has them, else the main model's."""
        if language != "en" and self.ml_encoder is not None and self.data.ml_vectors is not None:
            return self.ml_encoder, self.data.ml_dense, self.data.ml_vectors
        return self.encoder, self.data.dense_index, self.data.vectors

    def search(self, question: str, language: str = "en") -> SearchResult:
        """Candidates from both retrievers, ordered by fused score."""
        query = analyse(question, self.vocab)
        focus = focus_text(query.dense_text, self.background)
        encoder, dense_index, matrix = self._space(language)
        texts = [query.dense_text] if focus is None else [query.dense_text, focus]
        carry = self.translations if encoder is self.ml_encoder and len(self.corpus_languages) > 1 else None
        asked = carry.asked(query) if carry is not None else {}
        unknown = carry.unknown(asked) if carry is not None else []
        vectors = encode_queries(encoder, texts)
        encoded = dict(zip(unknown, word_vectors(encoder, unknown), strict=True)) if carry is not None else None
        vector = vectors[0]
        per_token = self.token_scores(query)
        keyword = np.zeros(len(self.data.chunks), np.float32)
        for token, scores in per_token.items():
            keyword += scores * query.tokens.count(token)
        keyword += self.metadata.scores(query, self.vocab)
        if encoder is self.ml_encoder:
            d_scores, d_ids = self._ml_pool(vector)
        else:
            d_scores, d_ids = dense.search(dense_index, vector, self.pool)
        lines = self.lines(language, encoder)
        ml_vector, ml_ids = self._multilingual(query.dense_text, encoder, vector, lines)
        ids = list(dict.fromkeys([int(i) for i in d_ids if i >= 0] + top_ids(keyword, self.pool) + ml_ids))
        block = np.asarray(matrix[ids], dtype=np.float32) if ids else np.zeros((0, len(vector)))
        cosine = block @ vector
        focused = cosine if focus is None else block @ vectors[1]
        token_hits = self._token_hits(query, per_token, ids)
        hits = []
        for i, c, f in zip(ids, cosine, focused, strict=True):
            found = {t for t, where in token_hits.items() if i in where}
            hit = Hit(i, float(c), float(keyword[i]), query.coverage(found), focus=float(f))
            before, opening = self.previous[i], self.opening[i]
            if before >= 0:
                earlier = {t for t, s in per_token.items() if s[before] > 0}
                hit.context = query.coverage(earlier - found)
                hit.lead = query.coverage((earlier | {t for t, s in per_token.items() if s[opening] > 0}) - found)
            hits.append(hit)
        fuse(self.fusion, hits)
        for hit in hits:
            hit.order = hit.fused
        offsets: dict[str, float] = {}
        if ml_vector is not None:
            offsets = self._standardise(hits, ml_vector, language, lines)
            self._shared(hits, query, token_hits, language, asked, encoded)
            rank_across(hits, by_fused=encoder is self.ml_encoder)
            if self.ml_encoder is not None and self.data.ml_vectors is not None:
                reorder_across(hits, language, ml_vector, self.ml_encoder, self.data.ml_vectors, self.texts, lines,
                               by_fused=encoder is self.ml_encoder)
        hits.sort(key=lambda h: -h.order)
        generic = self.data.ml_generic if encoder is self.ml_encoder else None
        contrast = contrast_to_generic(float(d_scores[0]), vector, generic) if generic is not None else None
        return SearchResult(hits, query, focused=focus is not None, model=encoder.model, contrast=contrast,
                            vector=vector, lines=lines,
                            readable=self.corpus_languages if encoder is self.ml_encoder else frozenset({"en"}),
                            ml_vector=ml_vector, offsets=offsets)

    def _multilingual(self, text: str, encoder: Encoder, vector: np.ndarray,
                      lines: dict[str, PairLine]) -> tuple[np.ndarray | None, list[int]]:
        """The question in the multilingual space and its nearest passages there, when some pair is judged in
        it (``lines``); the main model's neighbours of an English question miss passages in other languages."""
        if not lines or self.ml_encoder is None:
            return None, []
        if encoder is self.ml_encoder:
            return vector, []
        ml_vector = encode_queries(self.ml_encoder, [text])[0]
        _, ids = self._ml_pool(ml_vector)
        return ml_vector, [int(i) for i in ids if i >= 0]

    def _ml_pool(self, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the question's nearest passages in the multilingual space, best first: ``pool`` of
        each corpus language's. One pool for all would hold few passages in another language than the
        question's, which the model scores lower whatever they say (blind set4, seen: 16 of 50 cross-language
        answers were in no candidate list)."""
        if not self.selectors:
            return dense.search(self.data.ml_dense, vector, self.pool)
        found = [dense.search(self.data.ml_dense, vector, self.pool, among=s) for s in self.selectors.values()]
        scores, ids = np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])
        order = np.argsort(-scores, kind="stable")
        return scores[order], ids[order]

    def _shared(self, hits: list[Hit], query: Query, token_hits: dict[str, set[int]], language: str,
                asked: dict[str, str], encoded: dict[str, np.ndarray] | None) -> None:
        """Each hit's coverage by the question's words found in passages of another language than the
        question's too — names and numbers, which transliteration carries across scripts ("Kravets" in
        «Кравец») — the keyword evidence passages in both languages can have; for a question the multilingual
        model reads (``asked``: its words; ``encoded``: those the corpus lacks), also the words it carries into the
        other language (``bot.search.translation``)."""
        found = {t: set(where) for t, where in token_hits.items()}
        if encoded is not None and self.translations is not None:
            other = [h.index for h in hits if self.languages[h.index] != language]
            for token, where in self.translations.holding(asked, encoded, self.data.keyword, other).items():
                found.setdefault(token, set()).update(where)
        shared = {t for t, where in found.items() if any(self.languages[i] != language for i in where)}
        for hit in hits:
            hit.shared = query.coverage({t for t in shared if hit.index in found[t]})

    def _standardise(self, hits: list[Hit], ml_vector: np.ndarray, language: str,
                     lines: dict[str, PairLine]) -> dict[str, float]:
        """Each hit's language and its multilingual cosine in standard units of its pair; a hit is judged by its
        pair's line (``calibrated``) when that pair is in ``lines``. Gives the question's offset per language."""
        assert self.data.ml_vectors is not None
        near = self._offsets(ml_vector)
        cosines = np.asarray(self.data.ml_vectors[[h.index for h in hits]], np.float32) @ ml_vector
        for hit, cosine in zip(hits, cosines, strict=True):
            hit.language = str(self.languages[hit.index])
            line = pair_line(self.pairs, language, hit.language)
            if line is not None:
                hit.standard = line.standard(float(cosine))
                hit.judged = line.judged(float(cosine), float(near[hit.language][0]))
            hit.calibrated = hit.language in lines
        return {code: float(v[0]) for code, v in near.items()}

    def _offsets(self, ml_vector: np.ndarray) -> dict[str, np.ndarray]:
        """The question's closeness to generic text in each corpus language, as its pairs were measured."""
        generic = self.data.ml_generic if self.data.ml_generic is not None else np.zeros((0, len(ml_vector)))
        return offsets(ml_vector[None, :], generic, self.generic_languages, self.corpus_languages)

    def _token_hits(self, query: Query, per_token: dict[str, np.ndarray], ids: list[int]) -> dict[str, set[int]]:
        """Which candidates contain each weighted query token or a word of its family ("Russian" for "Russia",
        in text or article metadata), and the name."""
        hits = {t: {i for i in ids if s[i] > 0} for t, s in per_token.items() if t in query.weights}
        for token in query.weights:
            found = hits.setdefault(token, set())
            found.update(self.metadata.chunks_with(token, ids))
            for relative in self.vocab.family(token):
                scores = self.data.keyword.scores([relative])
                found.update(i for i in ids if scores[i] > 0)
        if query.name_forms:
            hits[NAME] = {i for i in ids if any(all(t in per_token and per_token[t][i] > 0 for t in form)
                                                for form in query.name_forms)}
        for key, stems in query.phrases.items():
            having = [i for i in ids if all(t in per_token and per_token[t][i] > 0 for t in stems)]
            hits[key] = {i for i in having if has_phrase(self.data.chunks[i].text, stems)}
        return hits
