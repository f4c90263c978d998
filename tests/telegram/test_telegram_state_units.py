"""The bot's durable answers (the shared /more memory), live index reload and admin replies, without Telegram
(fake encoder: fast)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.conversation import Conversation
from bot.engine import Engine
from bot.index import store as index_store
from bot.index.build import build_index
from bot.models import Answer, CorpusStats, Kind, Passage, Source
from bot.settings import Settings
from bot.sources.add import Added, AddReport, Duplicate, Failure
from bot.state import ALREADY, VOTED, Expired, StateStore, Stats
from bot.state.answers import MemoryShelf, Pending, StateShelf
from bot.telegram.admin import add_reply, admin_messages, start_of_day, stats_text, without_server_paths
from bot.telegram.reload import reload_now, watch_index
from bot.text.question import Question

DAY = 86_400.0


def passage(n: int) -> Passage:
    return Passage(rank=n, score=1.0 / n, text=f"Passage {n} «текст».", highlight=f"Passage {n}",
                   source=Source(title=f"T{n}", path=f"a{n}.md"), chunk_id=f"a{n}.md#{n}")


QUESTION = "Кто такая Мария?"


class FixedEngine:
    """An engine stand-in that always gives the same eight-passage answer."""

    settings = Settings(top_k=3, _env_file=None)  # type: ignore[call-arg]

    def read(self, text: str) -> Question:
        return Question(text=text, search=text, language="ru", trimmed=False, has_word=True)

    def ask(self, question: Question, k: int | None = None) -> Answer:
        every = [passage(n) for n in range(1, 9)]
        return Answer(question=question.text, answered=True, results=every[:3], more=every[3:], language="ru")


def conversation(store: StateStore, retention_s: float = DAY) -> Conversation:
    return Conversation(FixedEngine(), StateShelf(store, retention_s))  # type: ignore[arg-type]


def test_more_passages_survive_a_restart_and_nothing_of_the_question_is_stored(tmp_path: Path) -> None:
    db = tmp_path / "wayhome.sqlite3"
    with StateStore(db) as store:
        reply = conversation(store).ask(987654321, QUESTION)
        assert reply.kind is Kind.ANSWER and reply.answer_id
    answer_id = reply.answer_id
    with StateStore(db) as store:  # a new process: nothing in memory
        chat = conversation(store)
        assert chat.more(987654321).kind is Kind.NO_MORE  # /more's "latest answer" is per process
        first = chat.more_of(answer_id, None)
        assert first is not None and first.kind is Kind.MORE and first.answer is not None
        assert [p.rank for p in first.answer.results] == [4, 5, 6] and [p.rank for p in first.answer.more] == [7, 8]
        assert first.language == "ru" and first.answer_id == answer_id
        pending = chat.shelf.get(answer_id)
        assert isinstance(pending, Pending) and pending.shown == ["a1.md#1", "a2.md#2", "a3.md#3"]
        assert store.record_vote(answer_id, 5, "up", pending.language, pending.shown) == VOTED
        assert store.record_vote(answer_id, 5, "up", pending.language, pending.shown) == ALREADY
    with StateStore(db) as store:
        chat = conversation(store)
        second = chat.more_of(answer_id, "en")
        assert second is not None and [p.rank for p in second.answer.results] == [7, 8]  # type: ignore[union-attr]
        third = chat.more_of(answer_id, "en")
        assert third is not None and third.kind is Kind.NO_MORE
        assert store.record_vote(answer_id, 5, "up") == ALREADY
    with sqlite3.connect(db) as conn:
        stored = "\n".join(conn.iterdump())
    assert QUESTION not in stored and "987654321" not in stored and '"chat_id"' not in stored
    assert json.loads(stored.split("'")[3]).keys() == {"language", "shown", "trimmed", "notice", "rest"}


def test_the_repl_and_the_bot_share_one_more_memory(tmp_path: Path) -> None:
    repl = Conversation(FixedEngine())  # type: ignore[arg-type]
    assert isinstance(repl.shelf, MemoryShelf)
    with StateStore(tmp_path / "s.sqlite3") as store:
        bot = conversation(store)
        for chat in (repl, bot):
            chat.ask("c", QUESTION)
            pages = [chat.more("c"), chat.more("c"), chat.more("c")]
            assert [p.kind for p in pages] == [Kind.MORE, Kind.MORE, Kind.NO_MORE]
            chat.ask("c", QUESTION)
            chat.forget("c")
            assert chat.more("c").kind is Kind.NO_MORE


def test_an_answer_older_than_the_retention_has_expired(tmp_path: Path) -> None:
    with StateStore(tmp_path / "s.sqlite3") as store:
        answer_id = conversation(store).ask(1, QUESTION).answer_id
        expired = StateShelf(store, 0.001)
        asyncio.run(asyncio.sleep(0.01))
        assert isinstance(expired.get(answer_id), Expired) and isinstance(expired.take(answer_id, 3), Expired)
        assert conversation(store, 0.001).more_of(answer_id) is None
        assert conversation(store).more_of("no-such-id") is None
        assert store.purge(0.001) == 1 and StateShelf(store, DAY).get(answer_id) is None


def test_an_unreadable_payload_is_treated_as_unknown(tmp_path: Path) -> None:
    with StateStore(tmp_path / "s.sqlite3") as store:
        store.save_answer("broken", {"chat_id": "not a number"})
        assert StateShelf(store, DAY).get("broken") is None


def test_admin_replies_name_what_happened(tmp_path: Path) -> None:
    source = Source(title="Irkutsk wives knit scarves", publisher="Siberian Courier", published="2024-04-11")
    report = AddReport(added=[Added("http://x/a", tmp_path / "corpus" / "a.md", source)],
                       duplicates=[Duplicate("http://x/b", tmp_path / "corpus" / "b.md", "same URL")])
    assert add_reply(report).splitlines() == [  # file names only: no server paths
        "Added a.md: Irkutsk wives knit scarves | Siberian Courier | 2024-04-11",
        "Already in the corpus: b.md (http://x/b: same URL)"]
    nothing = "Nothing was added: fix or leave out the URLs that failed, then send /add again."
    failed = AddReport(failures=[Failure("http://x/c", "HTTP 404")], duplicates=report.duplicates)
    assert add_reply(failed).splitlines()[1:] == ["Not added: http://x/c: HTTP 404", nothing]
    one_of_one = AddReport(failures=[Failure("http://x/d", "timed out after 15 s")])  # a single URL that failed
    assert add_reply(one_of_one).splitlines() == ["Not added: http://x/d: timed out after 15 s", nothing]
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index",
                        _env_file=None)  # type: ignore[call-arg]
    said = without_server_paths(f"{tmp_path}/index/.add.lock is locked; see {tmp_path / 'corpus'}", settings)
    assert str(tmp_path) not in said and said == ".add.lock is locked; see corpus"
    many = AddReport(failures=[Failure(f"https://example.org/{i:03d}/" + "x" * 60, "HTTP 404") for i in range(120)])
    parts = admin_messages(add_reply(many), settings)
    assert len(parts) > 1 and all(len(part) <= 4096 for part in parts)
    assert "\n".join(parts).splitlines() == add_reply(many).splitlines()  # split between lines, nothing lost
    text = stats_text(CorpusStats(3, 41, "", ""), Stats(answered=5, refused=2, up=1, down=0), {"up": 4, "down": 2})
    assert text.splitlines() == ["Articles: 3", "Passages: 41", "Questions today (UTC): 7 — 5 answered, 2 refused",
                                 "Votes today: 👍 1 👎 0", "Votes in all: 👍 4 👎 2"]
    noon = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)
    assert start_of_day(noon) == dt.datetime(2024, 5, 1, tzinfo=dt.UTC).timestamp()


@pytest.fixture
def served(fake_settings: Settings) -> Engine:
    build_index(fake_settings)
    return Engine.open(fake_settings)


def test_reload_swaps_in_a_rebuilt_index_and_keeps_the_encoder(served: Engine, tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    settings = served.settings
    assert served.reload() is False  # nothing changed
    old_data, old_encoder = served.data, served.searcher.encoder
    (settings.corpus_dir / "irkutsk.md").write_text("---\ntitle: Irkutsk\n---\n\nGalina Petrenko founded the Warm "
                                                    "Hands knitting circle of soldiers' wives in Irkutsk.\n")
    assert not served.ask("Who is Galina Petrenko?").answered
    build_index(settings)
    with caplog.at_level(logging.INFO, logger="bot.engine"):
        assert served.reload() is True
    assert "index reloaded: 3 articles" in caplog.text
    assert served.data is not old_data and served.searcher.encoder is old_encoder
    assert served.stats().articles == 3 and served.ask("Who is Galina Petrenko?").answered
    assert served.reload() is False


def test_a_new_index_that_cannot_be_loaded_is_reported_once_and_the_old_one_kept(
        served: Engine, caplog: pytest.LogCaptureFixture) -> None:
    settings = served.settings
    build_index(settings, force=True)
    live = index_store.current_dir(settings.index_dir)
    assert live is not None
    (live / "chunks.json").write_text("[not json")
    with caplog.at_level(logging.WARNING):
        assert asyncio.run(reload_now(served)) is False
        assert asyncio.run(reload_now(served)) is False
    assert caplog.text.count("cannot be loaded") == 1
    assert served.stats().articles == 2 and served.ask("Who is Maria Andreyeva?").answered


def test_the_watcher_notices_a_rebuild(served: Engine) -> None:
    settings = served.settings
    seed = (settings.corpus_dir / "the-way-home-37000-followers.md").read_text(encoding="utf-8")
    (settings.corpus_dir / "copy.md").write_text(seed.replace("url: https://", "url: https://copy."), encoding="utf-8")

    async def scenario() -> int:
        task = asyncio.create_task(watch_index(served, interval=0.05))
        await asyncio.to_thread(build_index, settings)
        for _ in range(200):
            if served.stats().articles == 3:
                break
            await asyncio.sleep(0.05)
        task.cancel()
        return served.stats().articles

    assert asyncio.run(scenario()) == 3


def test_the_bot_searches_on_one_thread_in_turn_and_stops_it_on_close(tmp_path: Path, fake_settings: Settings) -> None:
    """Questions asked at once are searched one after another on the bot's one search thread (each thread that
    runs the encoders keeps its own buffers); closing the services stops it and closes the state database."""
    import threading
    import time

    from bot.telegram.ratelimit import UserRateLimiter
    from bot.telegram.services import Services

    store = StateStore(tmp_path / "state.sqlite3")
    svc = Services(settings=fake_settings, conversation=conversation(store), limiter=UserRateLimiter(5, 60),
                   state=store)
    seen: list[tuple[str, str]] = []

    def work(name: str) -> str:
        seen.append((name + " in", threading.current_thread().name))
        time.sleep(0.02)
        seen.append((name + " out", threading.current_thread().name))
        return name

    async def ask_three() -> list[str]:
        return list(await asyncio.gather(*(svc.search(work, name) for name in ("a", "b", "c"))))

    assert asyncio.run(ask_three()) == ["a", "b", "c"]
    assert [event for event, _ in seen] == ["a in", "a out", "b in", "b out", "c in", "c out"]
    assert {thread for _, thread in seen} == {next(t for _, t in seen)}
    assert next(t for _, t in seen).startswith("wayhome-search")
    svc.close()
    with pytest.raises(RuntimeError):
        svc.searching.submit(work, "d")
