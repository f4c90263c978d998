"""End to end with the real models: a channel export and a channel preview page (served locally) added with
`wayhome add`, then asked about with `wayhome ask` — each post a cited answer (channel, date as the reader's
language writes it, link; whose words a forwarded post carries), in English and in Russian. Short posts are
answers too: «Акция 7 ноября в 12:00 на Манежной» is found by the question it answers. Bad input: one line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3000)]

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "telegram"
RU = ROOT / "tests" / "fixtures" / "ru"


def wayhome(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args, "--corpus", str(work / "corpus"), "--index",
                           str(work / "index")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The Russian fixture articles, then the channel export added (real models)."""
    work = tmp_path_factory.mktemp("channels")
    (work / "corpus").mkdir()
    for article in ("zheny-piket-ru.md", "intervyu-yurist.txt", "obrashchenie-materey.html"):
        shutil.copy(RU / article, work / "corpus")
    shared = ROOT / "index" / "encoders"
    if shared.is_dir():
        shutil.copytree(shared, work / "index" / "encoders")
    added = wayhome(work, "add", str(FIXTURES / "channel_export.json"), "--channel-username", "wayhome_demo")
    assert added.returncode == 0, added.stderr[-3000:]
    yield work


def ask(work: Path, question: str, lang: str) -> tuple[str, dict[str, Any]]:
    shown = wayhome(work, "ask", question, "--lang", lang)
    as_json = wayhome(work, "ask", question, "--json")
    assert shown.returncode == 0 and as_json.returncode == 0, shown.stderr[-2000:] + as_json.stderr[-2000:]
    return shown.stdout.replace("\u202f", " "), json.loads(as_json.stdout)


def test_a_short_announcement_is_found_by_the_question_it_answers(work: Path) -> None:
    for lang, date in (("ru", "1 ноября 2023 г."), ("en", "2023-11-01")):
        shown, answer = ask(work, "Когда акция на Манежной?", lang)
        first = answer["results"][0]
        assert answer["answered"] and first["text"] == "Акция 7 ноября в 12:00 на Манежной", answer
        assert first["source"]["url"] == "https://t.me/wayhome_demo/101"
        assert f"[1] Путь домой (Telegram), {date} — https://t.me/wayhome_demo/101" in shown


def test_a_forwarded_post_says_whose_words_they_are(work: Path) -> None:
    for lang, words in (("ru", "переслано от: Анна Соколова"), ("en", "forwarded from Анна Соколова")):
        shown, answer = ask(work, "Почему жена хочет, чтобы мужа демобилизовали после второго года в окопах?", lang)
        urls = [r["source"]["url"] for r in answer["results"]]
        assert answer["answered"] and "https://t.me/wayhome_demo/104" in urls, answer
        assert words in shown and answer["results"][urls.index("https://t.me/wayhome_demo/104")]["source"][
            "forwarded_from"] == "Анна Соколова"


def test_an_english_post_answers_an_english_question(work: Path) -> None:
    shown, answer = ask(work, "How can journalists interview the wives of mobilised men?", "en")
    assert answer["answered"] and answer["results"][0]["source"]["url"] == "https://t.me/wayhome_demo/106", answer
    assert "Путь домой (Telegram), 2023-12-06 — https://t.me/wayhome_demo/106" in shown


def test_preview_posts_become_cited_answers(work: Path, httpserver: HTTPServer) -> None:
    headers = {"Content-Type": "text/html; charset=utf-8"}
    httpserver.expect_request("/s/wayhome_demo", query_string="before=201").respond_with_data(
        (FIXTURES / "preview_page2.html").read_bytes(), headers=headers)
    httpserver.expect_request("/s/wayhome_demo", query_string="before=199").respond_with_data(
        (FIXTURES / "preview_empty.html").read_bytes(), headers=headers)
    httpserver.expect_request("/s/wayhome_demo").respond_with_data(
        (FIXTURES / "preview_page1.html").read_bytes(), headers=headers)
    added = wayhome(work, "add", httpserver.url_for("/s/wayhome_demo"))
    assert added.returncode == 0, added.stderr[-3000:]
    assert "telegram posts: added 4, replaced 0 (edited)" in added.stdout
    for lang, date in (("ru", "11 декабря 2023 г."), ("en", "2023-12-11")):
        shown, answer = ask(work, "Сколько подписей матери собрали под обращением о ротации?", lang)
        assert answer["answered"] and answer["results"][0]["source"]["url"] == "https://t.me/wayhome_demo/202"
        assert f"Путь домой (демо) (Telegram), {date}" in shown and "Совет матерей (демо)" in shown


def test_bad_channel_input_gets_one_line_and_changes_nothing(work: Path) -> None:
    before = sorted(p.relative_to(work) for p in (work / "corpus").rglob("*"))
    refused = wayhome(work, "add", str(FIXTURES / "personal_chat.json"))
    lines = refused.stderr.strip().splitlines()
    assert refused.returncode == 2 and len(lines) == 1 and "personal chat" in lines[0] and "refused" in lines[0]
    assert sorted(p.relative_to(work) for p in (work / "corpus").rglob("*")) == before
