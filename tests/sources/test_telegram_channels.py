"""Telegram channels as sources (fake encoder: fast): Desktop exports read as a stream, preview pages walked on
a local HTTP server, post documents, re-imports (idempotent, edits replace), dry runs, and bad input that
leaves corpus and index untouched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from support import ru_corpus_settings

from bot.errors import WayhomeError
from bot.index.build import build_index
from bot.ingest.corpus import load_corpus
from bot.render.labels import change_line, label
from bot.settings import Settings
from bot.sources.channel_writer import Post, post_document, post_title
from bot.sources.channels import add_channels, is_channel_input
from bot.sources.fetch import SourceError
from bot.sources.telegram_export import flatten, open_export
from bot.sources.telegram_preview import parse_page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
EXPORT = FIXTURES / "channel_export.json"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return ru_corpus_settings(tmp_path)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".add.lock"}


def test_export_posts_become_documents_with_front_matter(settings: Settings) -> None:
    report = add_channels(settings, [str(EXPORT)], channel_username="@wayhome_demo")
    folder = settings.corpus_dir / "telegram" / "wayhome_demo"
    assert sorted(p.name for p in folder.iterdir()) == ["101.md", "102.md", "104.md", "105.md", "106.md"]
    assert (report.service, report.without_text, report.unchanged) == (2, 1, 0)
    assert [c.kind for c in report.changes] == ["added"] * 5 and report.index is not None
    demands = (folder / "102.md").read_text(encoding="utf-8")
    assert demands.startswith("---\ntitle: Наши требования\npublisher: Путь домой\npublished: '2023-11-20T10:30:00'\n"
                              "url: https://t.me/wayhome_demo/102\n---\n\nНаши требования\n\n")
    assert "Наше обращение к депутатам: читайте здесь." in demands  # a link keeps the words it shows
    articles = {a.source.path: a.source for a in load_corpus(settings.corpus_dir).articles}
    forwarded = articles["telegram/wayhome_demo/104.md"]
    assert forwarded.forwarded_from == "Анна Соколова" and forwarded.published == "2023-12-02"
    assert label(forwarded, "ru").replace("\u202f", " ") == ("Путь домой (Telegram), 2 декабря 2023 г., переслано от: Анна Соколова")
    assert label(articles["telegram/wayhome_demo/101.md"], "en") == "Путь домой (Telegram), 2023-11-01"


def test_reimport_is_idempotent_and_an_edit_replaces_the_post(settings: Settings, tmp_path: Path) -> None:
    add_channels(settings, [str(EXPORT)], channel_username="wayhome_demo")
    before = snapshot(settings.corpus_dir)
    again = add_channels(settings, [str(EXPORT)], channel_username="wayhome_demo")
    assert (again.changes, again.unchanged, again.index) == ([], 5, None)
    assert snapshot(settings.corpus_dir) == before
    data = json.loads(EXPORT.read_text(encoding="utf-8"))
    edited = next(m for m in data["messages"] if m["id"] == 101)
    edited["text"] = "Акция 7 ноября переносится на 13:00, место прежнее — Манежная площадь"
    data["messages"].append({"id": 108, "type": "message", "date": "2023-12-07T10:00:00", "text": "Новый пост"})
    newer = tmp_path / "result.json"
    newer.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dry = add_channels(settings, [str(newer)], channel_username="wayhome_demo", dry_run=True)
    assert sorted((c.kind, c.path.name) for c in dry.changes) == [("added", "108.md"), ("replaced", "101.md")]
    assert any(change_line(c, settings.corpus_dir, True).startswith("would replace ") and c.path.name == "101.md"
               for c in dry.changes)
    assert dry.totals().startswith("telegram posts: would add 1, would replace 1 (edited), unchanged 4;")
    assert snapshot(settings.corpus_dir) == before  # a dry run writes nothing
    report = add_channels(settings, [str(newer)], channel_username="wayhome_demo")
    assert (len(report.changes), report.unchanged) == (2, 4)
    post = (settings.corpus_dir / "telegram" / "wayhome_demo" / "101.md").read_text(encoding="utf-8")
    assert "переносится на 13:00" in post and "в 12:00" not in post


@pytest.mark.parametrize(("name", "problem"), [
    ("personal_chat.json", "is an export of a personal chat, not of a channel; refused"),
    ("group.json", "is an export of a group, not of a channel; refused"),
    ("broken_export.json", "is not valid JSON"),
])
def test_bad_exports_are_refused_with_corpus_and_index_untouched(settings: Settings, name: str,
                                                                   problem: str) -> None:
    build_index(settings)
    before, index_before = snapshot(settings.corpus_dir), snapshot(settings.index_dir)
    with pytest.raises(SourceError) as caught:
        add_channels(settings, [str(FIXTURES / name)], channel_username="wayhome_demo")
    assert problem in str(caught.value) and name in str(caught.value)
    assert snapshot(settings.corpus_dir) == before and snapshot(settings.index_dir) == index_before


def test_invalid_json_late_in_a_large_export_writes_nothing(settings: Settings, tmp_path: Path) -> None:
    good = [{"id": i, "type": "message", "date": "2023-12-01T10:00:00", "text": f"Пост номер {i}"}
            for i in range(1, 301)]
    text = json.dumps({"name": "Путь домой", "type": "public_channel", "id": 1, "messages": good})
    broken = tmp_path / "late.json"
    broken.write_text(text[:-40], encoding="utf-8")  # cut inside the last messages
    before = snapshot(settings.corpus_dir)
    with pytest.raises(SourceError, match="is not valid JSON"):
        add_channels(settings, [str(broken)], channel_username="wayhome_demo")
    assert snapshot(settings.corpus_dir) == before


@pytest.mark.parametrize(("document", "problem"), [
    ({"about": "x"}, "not a Telegram Desktop chat export"),
    ({"personal_information": {}, "chats": {"list": []}}, "whole Telegram account"),
    ([1, 2], "not a Telegram Desktop chat export"),
])
def test_json_that_is_not_a_channel_export_is_named(tmp_path: Path, document: Any, problem: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SourceError, match=problem):
        open_export(path, "wayhome_demo")


def test_export_without_username_links_by_channel_id(tmp_path: Path) -> None:
    export = open_export(EXPORT, None)
    first = next(export.posts())
    assert first.url == "https://t.me/c/1700000001/101" and str(first.path) == "telegram/c1700000001/101.md"
    with pytest.raises(SourceError, match="not a Telegram channel username"):
        open_export(EXPORT, "no spaces allowed")


def test_flatten_keeps_the_shown_text_of_every_entity() -> None:
    assert flatten(["Читайте ", {"type": "text_link", "text": "обращение", "href": "https://x"}, "!",
                    {"type": "bold", "text": " Важно"}]) == "Читайте обращение! Важно"
    assert flatten("plain") == "plain" and flatten(None) == "" and flatten([{"type": "x"}]) == ""


def test_post_title_is_the_first_line_or_post_id() -> None:
    assert post_title("\n  Первая строка  \nвторая", 7) == "Первая строка"
    assert post_title("   ", 7) == "Post 7"
    long = post_title("слово " * 40, 1)
    assert long.endswith("…") and len(long) <= 101


def test_a_document_always_reads_back_as_its_post() -> None:
    post = Post("wayhome_demo", "Путь: домой — «канал»", 5, "2023-12-05T12:00:00+03:00",
                "---\ntitle: not front matter\n---\nтекст", forwarded_from="Кто-то: «цитата»")
    document = post_document(post)
    from bot.ingest.markdown import parse_markdown

    source, body = parse_markdown(document, post.path)
    assert (source.publisher, source.forwarded_from, source.published) == ("Путь: домой — «канал»",
                                                                            "Кто-то: «цитата»", "2023-12-05")
    assert body.strip() == post.text


def test_channel_inputs_are_recognised() -> None:
    assert is_channel_input("result.json") and is_channel_input("https://t.me/s/wayhome_demo")
    assert is_channel_input("http://127.0.0.1:8080/s/wayhome_demo/")
    assert not is_channel_input("https://t.me/wayhome_demo/5") and not is_channel_input("page.html")


def serve_preview(httpserver: HTTPServer) -> str:
    page1, page2, empty = (FIXTURES / n for n in ("preview_page1.html", "preview_page2.html", "preview_empty.html"))
    headers = {"Content-Type": "text/html; charset=utf-8"}
    httpserver.expect_request("/s/wayhome_demo", query_string="before=201").respond_with_data(
        page2.read_bytes(), headers=headers)
    httpserver.expect_request("/s/wayhome_demo", query_string="before=199").respond_with_data(
        empty.read_bytes(), headers=headers)
    httpserver.expect_request("/s/wayhome_demo").respond_with_data(page1.read_bytes(), headers=headers)
    httpserver.expect_request("/s/nobody").respond_with_data(empty.read_bytes(), headers=headers)
    return httpserver.url_for("/s/wayhome_demo")


def test_preview_pages_are_walked_to_older_posts(settings: Settings, httpserver: HTTPServer) -> None:
    url = serve_preview(httpserver)
    report = add_channels(settings, [url])
    folder = settings.corpus_dir / "telegram" / "wayhome_demo"
    assert sorted(p.name for p in folder.iterdir()) == ["199.md", "200.md", "201.md", "202.md"]
    assert report.without_text == 1  # the photo without caption
    rescheduled = (folder / "201.md").read_text(encoding="utf-8")
    assert "publisher: Путь домой (демо)" in rescheduled and "published: '2023-12-10T09:00:00+00:00'" in rescheduled
    assert rescheduled.endswith("\n\nПикет у приёмной Госдумы переносится на 16 декабря, 11:00.\nВозьмите с собой "
                                "паспорт.\n")
    signatures = (folder / "202.md").read_text(encoding="utf-8")
    assert "forwarded_from: Совет матерей (демо)" in signatures and "Цитата из другого" not in signatures
    assert add_channels(settings, [url]).changes == []


def test_preview_walk_stops_at_max_posts(settings: Settings, httpserver: HTTPServer) -> None:
    report = add_channels(settings, [serve_preview(httpserver)], max_posts=2, dry_run=True)
    assert sorted(c.path.name for c in report.changes) == ["201.md", "202.md"]
    assert not (settings.corpus_dir / "telegram").exists()


def test_preview_page_without_posts_is_refused(settings: Settings, httpserver: HTTPServer) -> None:
    serve_preview(httpserver)
    before = snapshot(settings.corpus_dir)
    with pytest.raises(WayhomeError, match="no channel posts on this page"):
        add_channels(settings, [httpserver.url_for("/s/nobody")])
    assert snapshot(settings.corpus_dir) == before


def test_parse_page_reads_the_markup() -> None:
    page = parse_page((FIXTURES / "preview_page1.html").read_text(encoding="utf-8"))
    assert [(p.channel, p.id) for p in page.posts] == [("wayhome_demo", 201), ("wayhome_demo", 202)]
    assert page.oldest == 201 and page.without_text == 1
    assert page.posts[1].text == "Матери мобилизованных собрали 12 000 подписей под обращением о ротации."
    assert parse_page("").posts == []


def test_a_failed_index_refresh_takes_the_posts_out_again(settings: Settings,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    add_channels(settings, [str(EXPORT)], channel_username="wayhome_demo")
    before = snapshot(settings.corpus_dir)
    data = json.loads(EXPORT.read_text(encoding="utf-8"))
    data["messages"][1]["text"] = "Изменённый текст"
    data["messages"].append({"id": 300, "type": "message", "date": "2023-12-09T10:00:00", "text": "Новый"})
    changed = settings.corpus_dir.parent / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise WayhomeError("disk full")

    monkeypatch.setattr("bot.sources.channels.build_index", broken)
    with pytest.raises(WayhomeError, match="nothing was added"):
        add_channels(settings, [str(changed)], channel_username="wayhome_demo")
    assert snapshot(settings.corpus_dir) == before
