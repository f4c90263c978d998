"""The bundled corpus is the two seed articles curated: metadata as known (never invented), body verbatim
minus site boilerplate (skip links, header lines, image alt texts and captions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from bot.ingest.corpus import load_corpus
from bot.render.labels import label

SEEDS = ROOT.parent / "shared" / "seeds"
DW = "dw-2023-12-09-russian-soldiers-wives-bring-them-home.md"
SEED_002 = "the-way-home-37000-followers.md"


@pytest.fixture(scope="module")
def articles():  # type: ignore[no-untyped-def]
    return {a.source.path: a for a in load_corpus(CORPUS).articles}


def _seed(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not found beside the repository ({SEEDS})")
    return found[0].read_text(encoding="utf-8")


def test_corpus_has_exactly_the_two_seeds(articles) -> None:  # type: ignore[no-untyped-def]
    assert sorted(articles) == [DW, SEED_002]
    assert sorted(p.name for p in CORPUS.iterdir()) == [DW, SEED_002]


def test_dw_metadata_with_its_short_link(articles) -> None:  # type: ignore[no-untyped-def]
    source = articles[DW].source
    assert source.model_dump() == {"title": "Russian soldiers' wives: 'Bring them home'", "publisher": "DW",
                                   "url": "https://p.dw.com/p/4ZxFJ", "published": "2023-12-09",
                                   "author": "Alexey Strelnikov", "path": DW, "forwarded_from": ""}
    seed = _seed("000")
    assert "p.dw.com/p/4ZxFJ" in seed and "December 9, 2023" in seed and "Alexey Strelnikov" in seed


def test_seed_002_cites_its_page_and_leaves_what_the_page_does_not_state_empty(articles) -> None:  # type: ignore[no-untyped-def]
    source = articles[SEED_002].source  # the page's title, author and date were not found (issue 24): empty
    assert (source.title, source.publisher, source.url, source.published, source.author) == (
        "", "The News God", "https://thenewsgod.com/bring-our-men-home-russian-women-to-putin", "", "")
    assert label(source) == "Untitled article, The News God, date unknown"


def test_seed_002_body_is_verbatim(articles) -> None:  # type: ignore[no-untyped-def]
    assert articles[SEED_002].body == _seed("002").strip()


FOOTER = "This article was originally published in Russian."  # DW's translation note, not article text


def test_dw_body_is_the_seed_minus_boilerplate_in_order(articles) -> None:  # type: ignore[no-untyped-def]
    seed_lines = [line.strip() for line in _seed("000").splitlines() if line.strip()]
    body = articles[DW].body
    paragraphs = body.split("\n\n")
    positions = [seed_lines.index(p) for p in paragraphs]  # each paragraph is a verbatim seed line…
    assert positions == sorted(positions), "…in the seed's order"
    dropped = [line for i, line in enumerate(seed_lines) if i not in set(positions)]
    captions = [i for i, line in enumerate(seed_lines) if re.search(r"Image: \S", line)]
    alt_texts = {seed_lines[i - 1] for i in captions}
    header = {"Russian soldiers' wives: 'Bring them home'", "Alexey Strelnikov", "December 9, 2023"}
    for line in dropped:
        assert (line.startswith(tuple(f"{n}. Skip to" for n in range(1, 4))) or line in header or line == FOOTER
                or line.endswith("p.dw.com/p/4ZxFJ") or "Image: " in line or line in alt_texts), line
    assert len(captions) == 5 and "Image:" not in body and "Skip to" not in body
    assert paragraphs[0].startswith("Despite intimidation") and paragraphs[-1].endswith(
        "had been killed at the front.")


def test_corpus_files_are_plain_utf8_with_lf(articles) -> None:  # type: ignore[no-untyped-def]
    for path in CORPUS.iterdir():
        raw = path.read_bytes()
        assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
        assert raw.decode("utf-8").startswith("---\n")
    assert all(Path(a.source.path).suffix == ".md" for a in articles.values())
