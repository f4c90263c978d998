"""Ingest: Markdown (with and without front matter), plain text, HTML metadata and body, skipped extensions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.errors import ArticleError, CorpusError
from bot.ingest.corpus import load_corpus, read_article
from bot.render.labels import label

FIXTURES = Path(__file__).parents[1] / "fixtures" / "core"


def _corpus(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, content in files.items():
        target = corpus / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return corpus


def _fixture_corpus(tmp_path: Path, *names: str) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in names:
        shutil.copy(FIXTURES / name, corpus / name)
    return corpus


def test_markdown_with_front_matter(tmp_path: Path) -> None:
    corpus = _fixture_corpus(tmp_path, "with-front-matter.md")
    article, _ = read_article(corpus / "with-front-matter.md", corpus)
    source = article.source
    assert (source.title, source.publisher, source.url, source.published, source.author) == (
        "Wives of conscripts hold a vigil", "Fixture Weekly", "https://weekly.example/vigil", "2024-01-20",
        "Core Fixture Desk")
    assert source.path == "with-front-matter.md"
    assert article.body.startswith("Wives of conscripts held a vigil")
    assert "---" not in article.body and "publisher:" not in article.body
    assert article.body == article.body.strip()


def test_markdown_without_front_matter_has_empty_metadata(tmp_path: Path) -> None:
    body = "Relatives gathered outside the ministry.\n\nThey asked for rotation."
    corpus = _corpus(tmp_path, {"bare.md": body + "\n"})
    article, _ = read_article(corpus / "bare.md", corpus)
    assert article.body == body
    assert article.source.model_dump(exclude={"path"}) == {"title": "", "publisher": "", "url": "", "published": "",
                                                             "author": "", "forwarded_from": ""}


def test_empty_front_matter_fields_stay_empty(corpus_dir: Path) -> None:
    path = corpus_dir / "empty-fields.md"
    path.write_text("---\ntitle:\npublisher:\nurl:\npublished:\nauthor:\n---\n\nWomen laid flowers.\n")
    article, _ = read_article(path, corpus_dir)
    assert article.source.title == article.source.publisher == article.source.published == ""
    assert label(article.source) == "Untitled article, publisher unknown, date unknown"


def test_plain_text_is_all_body(tmp_path: Path) -> None:
    corpus = _fixture_corpus(tmp_path, "plain.txt")
    article, _ = read_article(corpus / "plain.txt", corpus)
    assert article.body == (FIXTURES / "plain.txt").read_text().strip()
    assert article.source.title == "" and article.source.path == "plain.txt"


def test_html_metadata_from_open_graph_canonical_and_published_time(tmp_path: Path) -> None:
    corpus = _fixture_corpus(tmp_path, "article.html")
    source = read_article(corpus / "article.html", corpus)[0].source
    assert source.title == "Mothers of mobilised men petition the Duma"  # og:title, not the <title> with site
    assert source.publisher == "Fixture Gazette"
    assert source.url == "https://gazette.example/2024/03/02/petition"
    assert source.published == "2024-03-02"
    assert source.author == "Core Fixture Desk"


def test_html_metadata_falls_back_to_title_tag(tmp_path: Path) -> None:
    page = "<html><head><title> Plain   title </title></head><body><p>Some article text here.</p></body></html>"
    corpus = _corpus(tmp_path, {"plain.html": page})
    source = read_article(corpus / "plain.html", corpus)[0].source
    assert source.title == "Plain title" and source.url == "" and source.published == ""


def test_html_body_drops_boilerplate_and_keeps_article_text(tmp_path: Path) -> None:
    corpus = _fixture_corpus(tmp_path, "article.html")
    body = read_article(corpus / "article.html", corpus)[0].body
    assert "SHOULD-NOT-APPEAR" not in body
    assert "tracker" not in body and "color: red" not in body
    paragraphs = body.split("\n\n")
    assert paragraphs[0] == "Mothers of mobilised men petition the Duma"
    assert paragraphs[1] == ("A group of mothers handed a petition with 2,000 signatures to the State Duma on Friday. "
                             "They asked for a fixed term of service for mobilised men.")
    assert "The petition was accepted by a clerk. No deputy came out to meet the women." in paragraphs
    assert "\u201cWe will come back every month,\u201d said one of them & left." in paragraphs


def test_unknown_extension_is_skipped_with_a_warning(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, {"good.md": "Some text about the vigil.", "photo.png": b"\x89PNG\x00\x00",
                                "notes.docx": b"PK\x03\x04", ".hidden.md": "ignored"})
    loaded = load_corpus(corpus)
    assert [a.source.path for a in loaded.articles] == ["good.md"]
    assert any(w.startswith("notes.docx: skipped") for w in loaded.warnings)
    assert any(w.startswith("photo.png: skipped") for w in loaded.warnings)
    assert not any(".hidden" in w for w in loaded.warnings)


def test_subfolders_are_read(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, {"a.md": "First article.", "2024/b.txt": "Second article."})
    assert [a.source.path for a in load_corpus(corpus).articles] == ["2024/b.txt", "a.md"]


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    raw = "\ufeff---\r\ntitle: BOM\r\n---\r\nLine one.\r\n\r\nLine two.\r\n".encode()
    corpus = _corpus(tmp_path, {"bom.md": raw})
    article, digest = read_article(corpus / "bom.md", corpus)
    assert article.source.title == "BOM"
    assert article.body == "Line one.\n\nLine two."
    assert len(digest) == 64


def test_front_matter_aliases_and_author_list(tmp_path: Path) -> None:
    text = "---\ntitle: T\nsource: Paper\nlink: https://p.example/x\ndate: 2024-05-31\nauthors: [A, B]\n---\nBody."
    corpus = _corpus(tmp_path, {"alias.md": text})
    source = read_article(corpus / "alias.md", corpus)[0].source
    assert (source.publisher, source.url, source.published, source.author) == (
        "Paper", "https://p.example/x", "2024-05-31", "A, B")


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("latin1.md", "Caf\xe9 society.".encode("latin-1"), "not valid UTF-8"),
    ("utf16.txt", "Text".encode("utf-16"), "UTF-16"),
    ("binary.md", b"\x7fELF\x02\x01\x00\x00binary", "binary"),
    ("unclosed.md", "---\ntitle: x\nNo closing fence.", "no closing '---'"),
    ("badyaml.md", "---\ntitle: [unclosed\n---\nBody.", "malformed YAML front matter"),
    ("listfm.md", "---\n- a\n- b\n---\nBody.", "must be a YAML mapping"),
    ("baddate.md", "---\npublished: December 9\n---\nBody.", "not an ISO date"),
    ("nested.md", "---\ntitle: {a: b}\n---\nBody.", "must be text"),
    ("empty.md", "", "empty"),
    ("onlyfm.md", "---\ntitle: Nothing else\n---\n\n  \n", "empty"),
    ("empty.html", "<html><body><nav>Only navigation</nav></body></html>", "empty"),
])
def test_bad_article_names_file_and_problem(tmp_path: Path, name: str, content: str | bytes, problem: str) -> None:
    corpus = _corpus(tmp_path, {"good.md": "A good article.", name: content})
    with pytest.raises(ArticleError) as caught:
        load_corpus(corpus)
    assert caught.value.path == name
    assert problem in str(caught.value)
    assert str(caught.value).startswith(f"{name}: ")
    skipped = load_corpus(corpus, skip_bad=True)
    assert [a.source.path for a in skipped.articles] == ["good.md"]
    assert any(w.startswith(f"{name}: ") and w.endswith("(skipped)") for w in skipped.warnings)


def test_duplicate_url_names_both_files(tmp_path: Path) -> None:
    front = "---\nurl: https://same.example/a\n---\n"
    corpus = _corpus(tmp_path, {"a.md": front + "One.", "b.md": front + "Two."})
    with pytest.raises(ArticleError, match=r"^b\.md: duplicate url https://same\.example/a \(also in a\.md\)"):
        load_corpus(corpus)
    assert [a.source.path for a in load_corpus(corpus, skip_bad=True).articles] == ["a.md"]


def test_a_newly_dropped_copy_is_the_duplicate_even_when_it_sorts_first(tmp_path: Path) -> None:
    front = "---\nurl: https://same.example/a\n---\n"
    corpus = _corpus(tmp_path, {"zz-original.md": front + "Original."})
    os.utime(corpus / "zz-original.md", (1_700_000_000, 1_700_000_000))
    (corpus / "aa-copy.md").write_text(front + "Copy.")
    with pytest.raises(ArticleError, match=r"^aa-copy\.md: duplicate url .* \(also in zz-original\.md\)"):
        load_corpus(corpus)
    assert [a.source.path for a in load_corpus(corpus, skip_bad=True).articles] == ["zz-original.md"]


def test_empty_or_missing_corpus(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no articles"):
        load_corpus(_corpus(tmp_path, {"readme.rst": "not an article"}))
    with pytest.raises(CorpusError, match="not found"):
        load_corpus(tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="no articles"):
        load_corpus(_corpus(tmp_path, {"bad.md": b"\xff\xfe\x00"}), skip_bad=True)


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, {"ctl.txt": "Form\x0cfeed and \x1b[31mescape\x1b[0m text.\tTab kept."})
    assert read_article(corpus / "ctl.txt", corpus)[0].body == "Formfeed and [31mescape[0m text.\tTab kept."


def test_html_page_furniture_inside_the_article_is_dropped(tmp_path: Path) -> None:
    page = ("<html><body><article><h1>Headline</h1><p class='byline'>By A. Writer · 9 min read</p>"
            "<p>The real first paragraph of the story.</p>"
            "<div class='share-bar'><span>Share this story</span></div>"
            "<p>The second paragraph, with <a href='/x'>a link</a> inside it.</p>"
            "<div><a href='/tags/russia'>Russia</a> <a href='/tags/mobilisation'>Mobilisation</a></div>"
            "</article></body></html>")
    (tmp_path / "page.html").write_text(page)
    body = read_article(tmp_path / "page.html", tmp_path)[0].body
    assert body.split("\n\n") == ["Headline", "The real first paragraph of the story.",
                                  "The second paragraph, with a link inside it."]
