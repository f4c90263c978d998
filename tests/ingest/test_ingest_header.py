"""Articles without front matter: a title line and a byline become metadata; body text never does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.corpus import read_article
from bot.ingest.header import byline, parse_date, split_header, title_line

UNSEEN2 = Path(__file__).parents[1] / "fixtures" / "unseen2"


def test_a_pasted_txt_article_gets_its_title_author_publisher_and_date() -> None:
    article, _ = read_article(UNSEEN2 / "why-it-matters.txt", UNSEEN2)
    source = article.source
    assert source.title == "Why a small movement of soldiers' wives worries the Kremlin more than its size suggests"
    assert (source.author, source.publisher, source.published, source.url) == (
        "Ruth Calloway", "The Meridian Review", "2024-04-22", "")
    assert article.body.startswith("The Way Home has never brought more than a few dozen women")
    assert article.body in (UNSEEN2 / "why-it-matters.txt").read_text()  # still verbatim


@pytest.mark.parametrize(("text", "iso"), [("22 April 2024", "2024-04-22"), ("April 22, 2024", "2024-04-22"),
                                           ("2024-04-22", "2024-04-22"), ("Published: 3 Jun 2024", "2024-06-03"),
                                           ("Monday 22 April 2024, 10:15", "2024-04-22"), ("22.04.2024", "2024-04-22"),
                                           ("The Meridian Review", ""), ("in 2024", ""), ("31 February 2024", "")])
def test_byline_dates_as_people_write_them(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_bylines_name_what_they_name_and_nothing_else() -> None:
    assert byline("By Anna Kask") == {"author": "Anna Kask"}
    assert byline("By Anna Kask | March 29, 2024") == {"author": "Anna Kask", "published": "2024-03-29"}
    assert byline("Northern Wire — 29 March 2024") == {}  # a publisher needs the "By" of a byline beside it
    assert byline("29 March 2024") == {"published": "2024-03-29"}
    assert byline("Bystanders filmed the detentions on their phones") == {}
    assert byline("By the end of the year the chapter had grown.\nIt organised petitions.") == {}


def test_sentences_are_body_and_headings_are_titles() -> None:
    assert title_line("# Soldiers' wives bring carnations") == "Soldiers' wives bring carnations"
    assert title_line("Why the Kremlin worries") == "Why the Kremlin worries"
    assert title_line("Relatives gathered outside the ministry.") == ""
    assert title_line("A first line\nthat goes on") == ""
    assert title_line("- a list item") == "" and title_line("## A section") == ""


def test_a_one_line_article_stays_body_and_front_matter_wins(tmp_path: Path) -> None:
    assert split_header("Just a headline-like line") == ({}, "Just a headline-like line")
    (tmp_path / "fm.md").write_text("---\ntitle: From front matter\n---\n\nHeadline line\n\nBy Someone\n\nText.\n")
    article, _ = read_article(tmp_path / "fm.md", tmp_path)
    assert article.source.title == "From front matter" and article.source.author == ""
    assert article.body.startswith("Headline line")  # curated front matter: the body is left as it is
    (tmp_path / "bare.md").write_text("# Vigils in Moscow\n\nBy Anna Kask\n\nWomen held vigils.\n")
    article, _ = read_article(tmp_path / "bare.md", tmp_path)
    assert (article.source.title, article.source.author, article.body) == ("Vigils in Moscow", "Anna Kask",
                                                                          "Women held vigils.")
