"""End-to-end, article lists: ``/latest`` and ``/sources [publisher]`` a page at a time, pages turned in place
by ‹ Back / Next ›, in English and Russian — on a corpus of 25 articles from three publishers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram_harness import BotProcess, Emulator, build_fake_index, wait_for
from telegram_html_validator import problems, visible_text

from bot import messages

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RU = messages.get("ru")
PUBLISHERS = ("DW", "Meduza", "Новая газета")
EXTRA = 23  # plus the two bundled articles: 25, three pages of ten


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    work = tmp_path_factory.mktemp("tglist")
    seed = work / "seed"
    seed.mkdir()
    for path in (ROOT / "corpus").iterdir():
        (seed / path.name).write_bytes(path.read_bytes())
    for i in range(EXTRA):
        (seed / f"extra-{i:02d}.md").write_text(
            f"---\ntitle: Vigil report {i:02d}\npublisher: {PUBLISHERS[i % 3]}\npublished: 2025-01-{i + 1:02d}\n"
            f"url: https://example.org/{i}\n---\nWives of mobilised men held vigil number {i} in the city square "
            f"asking for rotation and the return of their husbands from the front.\n", encoding="utf-8")
    corpus_dir, index_dir = build_fake_index(work, seed)
    emulator = Emulator(log_path=work / "emulator.log").start()
    bot = BotProcess(emulator, work, index_dir, corpus_dir).start()
    try:
        yield {"emulator": emulator, "bot": bot, "token": bot.token}
    finally:
        assert bot.stop() == 0
        emulator.close()


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def numbers(message: dict[str, Any]) -> list[int]:
    return [int(n) for n in re.findall(r"^\[(\d+)\]", visible_text(message["text"]), re.MULTILINE)]


def turn(world: dict[str, Any], chat: int, message: dict[str, Any], label: str, **kw: Any) -> dict[str, Any]:
    """Press ``label`` and wait for the message to be edited."""
    emulator, token = world["emulator"], world["token"]
    before = message["text"]
    button = next(b for b in buttons(message) if b["text"] == label)
    emulator.press(token, chat, message["message_id"], button["callback_data"], **kw)
    return wait_for(lambda: next((m for m in emulator.history(token, chat) if m["message_id"] == message["message_id"]
                                  and m["text"] != before), None), 10, "the page to turn")


@pytest.mark.parametrize(("chat", "lang"), [(8001, None), (8002, "ru")])
def test_latest_lists_the_newest_first_and_turns_pages_in_place(world: dict[str, Any], chat: int,
                                                                 lang: str | None) -> None:
    emulator, token = world["emulator"], world["token"]
    words = messages.get(lang)
    kw: dict[str, Any] = {"language_code": lang} if lang else {}
    first = emulator.ask(token, chat, "/latest", **kw)
    assert problems(first["text"]) == []
    shown = visible_text(first["text"])
    assert shown.splitlines()[0] == f"{words.LATEST_TITLE} · {words.PAGE_OF.format(page=1, pages=3)}"
    assert numbers(first) == list(range(1, 11)) and "Vigil report 22" in shown.splitlines()[1]  # the newest
    assert '<a href="https://example.org/22">' in first["text"]
    assert [b["text"] for b in buttons(first)] == [words.NEXT]
    second = turn(world, chat, first, words.NEXT, **kw)
    assert numbers(second) == list(range(11, 21))
    assert [b["text"] for b in buttons(second)] == [words.PREVIOUS, words.NEXT]
    third = turn(world, chat, second, words.NEXT, **kw)
    assert numbers(third) == list(range(21, 26)) and [b["text"] for b in buttons(third)] == [words.PREVIOUS]
    assert len(emulator.history(token, chat)) == 1  # one message, edited


@pytest.mark.parametrize(("chat", "lang", "query", "publisher"), [(8003, None, "dw", "DW"),
                                                                  (8004, "ru", "новая", "Новая газета")])
def test_sources_filtered_by_publisher(world: dict[str, Any], chat: int, lang: str | None, query: str,
                                       publisher: str) -> None:
    emulator, token = world["emulator"], world["token"]
    words = messages.get(lang)
    kw: dict[str, Any] = {"language_code": lang} if lang else {}
    reply = emulator.ask(token, chat, f"/sources {query}", **kw)
    lines = visible_text(reply["text"]).splitlines()
    assert lines[0] == words.SOURCES_FROM.format(publisher=publisher)
    assert len(lines) > 2 and all(f", {publisher}, " in line or f"— {publisher}, " in line for line in lines[1:])
    everything = emulator.ask(token, chat, "/sources", **kw)
    assert visible_text(everything["text"]).splitlines()[0].startswith(words.SOURCES_TITLE + " · ")
    assert buttons(everything)[-1]["text"] == words.NEXT
    none = emulator.ask(token, chat, "/sources Pravda", **kw)
    assert visible_text(none["text"]) == words.NO_SOURCES_FROM.format(publisher="Pravda")
