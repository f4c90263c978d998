"""to_markdown / article_filename / write_new_file / body_fingerprint."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

from bot.sources import ExtractedArticle, article_filename, body_fingerprint, to_markdown, write_new_file

ARTICLE = ExtractedArticle(
    title='"Bring them home": wives\' #1 demand: yes',
    author="",
    published="2024-03-12",
    publisher="Meduza: English",
    url="https://example.org/a?b=c#d",
    paragraphs=("First paragraph — with a dash.", "  Second paragraph.  ", "---"),
)


def _split(text: str) -> tuple[dict[str, object], str]:
    assert text.startswith("---\n")
    head, _, body = text[4:].partition("\n---\n")
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data, body


def test_front_matter_round_trips_through_yaml() -> None:
    text = to_markdown(ARTICLE)
    data, body = _split(text)
    assert list(data) == ["title", "publisher", "url", "published", "author"]
    assert data["title"] == ARTICLE.title
    assert data["publisher"] == "Meduza: English"
    assert data["url"] == "https://example.org/a?b=c#d"
    assert data["published"] == dt.date(2024, 3, 12)
    assert data["author"] is None
    assert "\npublished: 2024-03-12\n" in text and "\nauthor:\n" in text
    assert body == "\nFirst paragraph — with a dash.\n\nSecond paragraph.\n\n---\n"
    assert text.endswith("---\n") and not text.endswith("\n\n")


def test_front_matter_keeps_unicode_and_odd_strings() -> None:
    article = ExtractedArticle("Жёны: «верните мужей»", "null", "", "yes", "", ("Текст.",))
    data, _ = _split(to_markdown(article))
    assert data == {"title": "Жёны: «верните мужей»", "publisher": "yes", "url": None, "published": None,
                    "author": "null"}
    assert "Жёны" in to_markdown(article)


def test_article_filename() -> None:
    assert article_filename(ARTICLE) == "2024-03-12-bring-them-home-wives-1-demand-yes.md"
    russian = ExtractedArticle("Жёны мобилизованных у стен Кремля " * 5, "", "", "", "", ())
    name = article_filename(russian)
    assert name.startswith("zhiony-mobilizovannykh-u-sten-kremlia-") and name.endswith(".md")
    assert len(name) <= 80 and name.isascii() and "--" not in name and not name.endswith("-.md")
    assert article_filename(ExtractedArticle("", "", "", "", "", ())) == "article.md"


def test_write_new_file_never_overwrites(tmp_path: Path) -> None:
    first = write_new_file(tmp_path, "a.md", "one\n")
    second = write_new_file(tmp_path, "a.md", "two\n")
    third = write_new_file(tmp_path, "a.md", "три\n")
    assert [first.name, second.name, third.name] == ["a.md", "a-2.md", "a-3.md"]
    assert [p.read_text(encoding="utf-8") for p in (first, second, third)] == ["one\n", "two\n", "три\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-2.md", "a-3.md", "a.md"]  # no temporary files left


def test_write_new_file_leaves_nothing_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        write_new_file(tmp_path, "a.md", "text\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["", "../a.md", "sub/a.md", ".hidden.md"])
def test_write_new_file_refuses_odd_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        write_new_file(tmp_path, name, "x")


def test_body_fingerprint_ignores_whitespace_and_case() -> None:
    assert body_fingerprint("Hello  World\n\nSecond\tline ") == body_fingerprint("hello world second LINE")
    assert body_fingerprint("Straße") == body_fingerprint("STRASSE")
    assert body_fingerprint("one text") != body_fingerprint("another text")
    assert len(body_fingerprint("")) == 64
