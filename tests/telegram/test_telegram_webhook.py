"""Webhook mode end-to-end: the bot registers its webhook (with the secret) at the emulator, rejects
requests without the right secret token, and answers updates the emulator delivers."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from telegram_harness import BotProcess, Emulator, build_fake_index, free_port, wait_for

pytestmark = pytest.mark.slow  # starts processes

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret_Token-42"


def test_webhook_checks_the_secret_and_answers(tmp_path: Path) -> None:
    corpus_dir, index_dir = build_fake_index(tmp_path, ROOT / "corpus")
    port = free_port()
    hook = f"http://127.0.0.1:{port}/wayhome/hook"
    emulator = Emulator(log_path=tmp_path / "emulator.log").start()
    bot = BotProcess(emulator, tmp_path / "bot", index_dir, corpus_dir, env={
        "WAYHOME_WEBHOOK_URL": hook, "WAYHOME_WEBHOOK_SECRET": SECRET,
        "WAYHOME_WEBHOOK_LISTEN": "127.0.0.1", "WAYHOME_WEBHOOK_PORT": str(port)}).start()
    try:
        registered = emulator.calls(bot.token, "setWebhook")[-1]["params"]
        assert registered["url"] == hook and registered["secret_token"] == SECRET
        assert registered["drop_pending_updates"] is True

        def posted(headers: dict[str, str]) -> int:
            update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 9, "type": "private"},
                                                  "from": {"id": 9, "is_bot": False, "first_name": "X"},
                                                  "text": "Who is Maria Andreyeva?"}}
            try:
                return httpx.post(hook, content=json.dumps(update), timeout=5,
                                  headers={"content-type": "application/json", **headers}).status_code
            except httpx.TransportError:
                return 0

        wait_for(lambda: posted({"X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403, 20, "the webhook server")
        assert posted({}) == 403
        assert emulator.history(bot.token, 9) == [], "an update without the secret was processed"

        reply = emulator.ask(bot.token, 31, "Who is Maria Andreyeva?")
        assert "<blockquote" in reply["text"] and "[1] " in reply["text"]
        assert all(d["status"] == 200 for d in emulator.listed("deliveries", bot.token))
        assert "/ask" in emulator.ask(bot.token, 31, "/help")["text"]
    finally:
        assert bot.stop() == 0
        emulator.close()
    bot.assert_token_not_logged()
    assert SECRET not in bot.log()
