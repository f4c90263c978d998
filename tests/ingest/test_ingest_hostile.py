"""Hostile article files: huge, binary, links out of the corpus, FIFOs, deeply nested or broken HTML.

Each is refused with an error naming the file (without reading what it must not read), or parsed safely.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.errors import ArticleError
from bot.index.build import build_index
from bot.index.status import stale_reasons
from bot.ingest.corpus import MAX_ARTICLE_BYTES, corpus_fingerprints, load_corpus, read_article
from bot.settings import Settings


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.md").write_text("A good article about the vigil.")
    return corpus


def _refused(corpus: Path, name: str, problem: str) -> None:
    """``name`` stops a build with ``problem``; --skip-bad keeps the good article and warns about it."""
    with pytest.raises(ArticleError) as caught:
        load_corpus(corpus)
    assert caught.value.path == name and problem in caught.value.problem
    loaded = load_corpus(corpus, skip_bad=True)
    assert [a.source.path for a in loaded.articles] == ["good.md"]
    assert any(w.startswith(f"{name}: ") and problem in w for w in loaded.warnings)


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    with open(corpus / "huge.txt", "wb") as handle:  # 50 MB, sparse: refused by size before any read
        handle.truncate(50 * 2**20)
    started = time.perf_counter()
    _refused(corpus, "huge.txt", "50.0 MB")
    assert corpus_fingerprints(corpus)["huge.txt"].startswith("refused:")
    assert time.perf_counter() - started < 5


def test_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "big.txt").write_text(("Word " * 40 + "end.\n\n") * ((MAX_ARTICLE_BYTES // 206) // 64))
    article, _ = read_article(corpus / "big.txt", corpus)
    assert article.body.startswith("Word Word")


def test_binary_file_with_article_extension(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "image.md").write_bytes(bytes(range(256)) * 64)
    _refused(corpus, "image.md", "binary")


def test_symlink_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("SECRET outside the corpus")
    (corpus / "leak.md").symlink_to(secret)
    _refused(corpus, "leak.md", "outside the corpus folder")
    assert not any("SECRET" in a.body for a in load_corpus(corpus, skip_bad=True).articles)


def test_symlink_to_a_folder_outside_is_refused(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "other.md").write_text("SECRET folder")
    (corpus / "linked").symlink_to(outside)
    _refused(corpus, "linked", "link to a folder outside")


def test_symlink_inside_the_corpus_is_followed(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "alias.md").symlink_to(corpus / "good.md")
    assert sorted(a.source.path for a in load_corpus(corpus).articles) == ["alias.md", "good.md"]


@pytest.mark.parametrize(("make", "problem"), [
    (lambda p: p.symlink_to(p), "link loop"),
    (lambda p: p.symlink_to(p.parent / "missing.md"), "broken link"),
    (lambda p: os.mkfifo(p), "not a regular file"),
    (lambda p: p.symlink_to("/dev/zero"), "outside the corpus"),
])
def test_special_files_are_refused_without_blocking(tmp_path: Path, make, problem: str) -> None:  # type: ignore[no-untyped-def]
    corpus = _corpus(tmp_path)
    make(corpus / "special.md")
    _refused(corpus, "special.md", problem)
    assert corpus_fingerprints(corpus)["special.md"].startswith("refused:")


def test_deeply_nested_html_is_refused_quickly_naming_the_file(tmp_path: Path) -> None:
    """Markup nested 10,000 levels deep is past what the HTML parser reads (256 levels): a clear refusal
    naming the file, in bounded time, never a RecursionError or a hang."""
    corpus = _corpus(tmp_path)
    depth = 10_000
    page = ("<html><head><title>Deep</title></head><body>" + "<div>" * depth + "<p>Deep text. Second sentence.</p>"
            + "</div>" * depth + "</body></html>")
    (corpus / "deep.html").write_text(page)
    started = time.perf_counter()
    _refused(corpus, "deep.html", "empty")
    assert time.perf_counter() - started < 20
    shallow = page.replace("<div>" * depth, "<div>" * 100).replace("</div>" * depth, "</div>" * 100)
    (corpus / "deep.html").write_text(shallow)
    article, _ = read_article(corpus / "deep.html", corpus)
    assert article.source.title == "Deep" and "Deep text. Second sentence." in article.body


@pytest.mark.parametrize("page", [
    "<html><body><p>Unclosed <b>bold <i>text. <p>Second para</article></table></div>",
    "<p>No html or body tags at all, just a paragraph.",
    "<html><body><article><p>Text <<<>>> & stray & ampersands &bogus; entity.</p></article>",
    "<!-- only a comment --><p>Real text after a comment.<!-- unterminated",
])
def test_broken_markup_still_yields_text(tmp_path: Path, page: str) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "broken.html").write_text(page)
    body = read_article(corpus / "broken.html", corpus)[0].body
    assert body and "<p>" not in body and "comment" not in body.replace("after a comment", "")


def test_html_where_everything_is_markup_or_script_is_an_empty_article(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "script.html").write_text("<html><head><title>Only script<script>alert(1)</script></head>"
                                        "<body><script>var a = '<p>not text</p>';</script><style>p{}</style></body>")
    _refused(corpus, "script.html", "empty")


def test_unclosed_title_swallowing_the_page_is_an_empty_article(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "title.html").write_text("<html><head><title>Broken<body><p>All of this is title text.")
    _refused(corpus, "title.html", "empty")


def test_deeply_nested_yaml_front_matter(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "yaml.md").write_text("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.")
    with pytest.raises(ArticleError) as caught:
        load_corpus(corpus)
    assert caught.value.path == "yaml.md"


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    with open(os.fsencode(corpus) + b"/bad-\xff-name.md", "wb") as handle:
        handle.write(b"Readable text in a badly named file.")
    with pytest.raises(ArticleError, match="not valid UTF-8; rename it"):
        load_corpus(corpus)
    loaded = load_corpus(corpus, skip_bad=True)
    assert [a.source.path for a in loaded.articles] == ["good.md"]
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model="fake:64",
                        _env_file=None)  # type: ignore[call-arg]
    assert build_index(settings, skip_bad=True).articles == 1
    assert stale_reasons(settings) == [], "the skipped file is remembered in the manifest exactly"


def test_front_matter_escapes_cannot_smuggle_surrogates_or_control_characters(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "escapes.md").write_text('---\ntitle: "A \\ud800 title\\x00 with\\nlines\\ttabs"\n'
                                       'author: "\\x1b[31mred"\n---\nBody text of the article.')
    source = read_article(corpus / "escapes.md", corpus)[0].source
    assert source.title == "A \ufffd title with lines tabs"
    assert source.author == "[31mred"
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model="fake:64",
                        _env_file=None)  # type: ignore[call-arg]
    assert build_index(settings).articles == 2
