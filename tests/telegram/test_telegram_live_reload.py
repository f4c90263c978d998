"""End-to-end: the real bot against the emulator while the corpus grows (fake encoder, pages served locally).

A question about an article not yet in the corpus is refused; ``wayhome add`` runs in another process; the same
question is answered from the new article within seconds, by the same bot process. Admins can ``/add`` and
``/stats``; for anyone else those are unknown commands. A restart between an answer and a press of "More
passages" keeps the button working.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from telegram_harness import ROOT, BotProcess, fake_world, wait_for
from telegram_html_validator import visible_text

from bot import messages
from bot.conversation import Conversation
from bot.engine import Engine
from bot.render.telegram_html import render_reply
from bot.settings import Settings

pytestmark = pytest.mark.slow

ADMIN = 424242
IRKUTSK = ("In Irkutsk, a knitting circle of soldiers' wives that calls itself Warm Hands has sent more than four "
           "hundred scarves to the front since January, and every parcel carries a letter asking for the men to be "
           "rotated home. Its founder, Galina Petrenko, says the women began writing letters when nobody in the "
           "regional administration would meet them.")
OMSK = ("In Omsk, eleven mothers of mobilised men stood in silence for an hour outside the regional duma, holding "
        "photographs of their sons and a banner that read 'Eighteen months is enough'. A deputy came out after "
        "forty minutes to collect their letter; police officers watched from a van but did not intervene.")


def page(title: str, text: str) -> bytes:
    return (f'<html><head><title>{title}</title><meta property="og:title" content="{title}">'
            '<meta property="og:site_name" content="Siberian Courier">'
            '<meta property="article:published_time" content="2024-04-11T09:00:00+08:00"></head><body>'
            '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
            f"<article><h1>{title}</h1><p>{text}</p></article><footer>© Siberian Courier</footer>"
            "</body></html>").encode()


class Pages(BaseHTTPRequestHandler):
    """Serves PAGES; remembers every path asked for."""

    pages: dict[str, bytes] = {"/irkutsk": page("Irkutsk wives knit scarves", IRKUTSK),
                               "/omsk": page("Omsk mothers hold a silent vigil", OMSK),
                               "/secret": page("Secret", OMSK.replace("Omsk", "Tomsk"))}
    asked: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.asked.append(self.path)
        body = self.pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with fake_world(tmp_path_factory.mktemp("tglive"), ROOT / "corpus", env={"WAYHOME_ADMIN_IDS": f"1, {ADMIN}"},
                    twin=False) as world:
        yield world
    world["bot"].assert_token_not_logged()  # the whole log: the bot has stopped


def answered(reply: dict[str, Any]) -> bool:
    return "<blockquote" in reply["text"]


def test_an_article_added_by_another_process_is_answered_without_a_restart(world: dict[str, Any],
                                                                           site: str) -> None:
    emulator, token, bot = world["emulator"], world["token"], world["bot"]
    question = "Who is Galina Petrenko?"
    assert not answered(emulator.ask(token, 3001, question))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")}
    added = subprocess.run([sys.executable, "-m", "bot.cli", "add", f"{site}/irkutsk", "--corpus",
                            str(world["corpus"]), "--index", str(world["index"])], cwd=world["work"],
                           env={**env, "WAYHOME_EMBEDDING_MODEL": "fake:64"}, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    assert "Irkutsk wives knit scarves | Siberian Courier | 2024-04-11" in added.stdout
    done = time.monotonic()
    wait_for(lambda: "index reloaded: 3 articles" in bot.log(), 15, "the bot to reload the index")
    reply = emulator.ask(token, 3001, question)
    assert answered(reply) and "Warm Hands" in reply["text"] and "Siberian Courier" in reply["text"]
    assert time.monotonic() - done < 10
    assert bot.alive() and "Bot @" in bot.log() and bot.log().count(" is up: ") == 1  # the same process


def test_admins_can_add_and_see_stats_and_others_get_no_hint(world: dict[str, Any], site: str) -> None:
    emulator, token = world["emulator"], world["token"]
    reply = visible_text(emulator.ask(token, ADMIN, f"/add {site}/omsk", timeout=60)["text"])
    assert reply.startswith("Added ") and "Omsk mothers hold a silent vigil | Siberian Courier" in reply
    assert answered(emulator.ask(token, ADMIN, "Where did eleven mothers stand in silence holding photographs?"))
    again = visible_text(emulator.ask(token, ADMIN, f"/add {site}/omsk", timeout=60)["text"])
    assert again.startswith("Already in the corpus: ")
    failed = visible_text(emulator.ask(token, ADMIN, f"/add {site}/missing", timeout=60)["text"])
    assert failed.splitlines() == [f"Not added: {site}/missing: HTTP 404",  # and, all or nothing: so nothing
                                   "Nothing was added: fix or leave out the URLs that failed, then send /add again."]
    assert str(world["work"]) not in reply + again  # no server paths
    stats = visible_text(emulator.ask(token, ADMIN, "/stats")["text"]).splitlines()
    assert stats[0].startswith("Articles: ") and int(stats[0].split()[-1]) >= 3
    assert stats[2].startswith("Questions today (UTC): ") and stats[3].startswith("Votes today: ")
    unknown = visible_text(emulator.ask(token, 3002, "/frobnicate")["text"])
    assert unknown == messages.UNKNOWN_COMMAND
    for command in (f"/add {site}/secret", "/stats", "/add"):
        assert visible_text(emulator.ask(token, 3002, command)["text"]) == unknown
    assert "/secret" not in Pages.asked and not any("tomsk" in p.name for p in world["corpus"].iterdir())


def test_more_passages_and_votes_work_across_a_restart(world: dict[str, Any]) -> None:
    emulator, work = world["emulator"], world["work"] / "restart"
    bot = BotProcess(emulator, work, world["index"], world["corpus"]).start()
    token, chat = bot.token, 3003
    question = "What do the wives and mothers of mobilised soldiers demand?"
    reply = emulator.ask(token, chat, question)
    more = next(b for row in reply["reply_markup"]["inline_keyboard"] for b in row if b["text"].startswith(messages.MORE_BUTTON))
    up = next(b for row in reply["reply_markup"]["inline_keyboard"] for b in row if b["text"].startswith("👍"))
    restart(bot)
    emulator.press(token, chat, reply["message_id"], more["callback_data"])
    page = emulator.wait_reply(token, chat, reply["message_id"])
    settings = Settings(corpus_dir=world["corpus"], index_dir=world["index"], embedding_model="fake:64",
                        _env_file=None)  # type: ignore[call-arg]
    twin = Conversation(Engine.open(settings))
    twin.ask("twin", question)
    assert page["text"] == render_reply(twin.more("twin"), 1000)[0]
    emulator.press(token, chat, reply["message_id"], up["callback_data"], user_id=99)
    wait_for(lambda: messages.THANKS in json.dumps(emulator.listed("callback_answers", token), ensure_ascii=False),
             10, "the vote to be thanked for")
    bot.env["WAYHOME_ANSWER_RETENTION_DAYS"] = "0.00001"  # under a second: every stored answer has expired
    restart(bot)
    pressed = emulator.press(token, chat, reply["message_id"], up["callback_data"], user_id=98)
    expired = wait_for(lambda: [a for a in emulator.listed("callback_answers", token)
                                if a["callback_query_id"] == pressed], 10, "the expired button's answer")
    assert expired[0]["text"] == messages.EXPIRED
    assert bot.stop() == 0


def restart(bot: BotProcess) -> None:
    """Stop the bot, start it again on the same data folder, and wait until it polls again."""
    assert bot.stop(signal.SIGTERM) == 0
    polls = len(bot.emulator.calls(bot.token, "getUpdates"))
    bot.start(wait=False)
    wait_for(lambda: len(bot.emulator.calls(bot.token, "getUpdates")) > polls or not bot.alive(), 60,
             "the restarted bot to poll")
    assert bot.alive(), bot.log()[-2000:]
