"""A minimal local Telegram Bot API for ``wayhome bench``: enough for ``wayhome bot`` to start, long-poll, receive
a few private messages and reply, so the bench can measure the real bot process's idle memory.

Serves ``/bot<token>/<method>`` on 127.0.0.1; ``getUpdates`` hands out queued messages (or waits briefly and
returns none), ``send*`` methods echo back a Message, anything else answers ``true``.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

CHAT_ID = 4242
ME = {"id": 777000111, "is_bot": True, "first_name": "Wayhome", "username": "WayhomeBenchBot",
      "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}
USER = {"id": CHAT_ID, "is_bot": False, "first_name": "Bench"}


class BotApiStub:
    """The stub server, its queue of incoming messages and a log of the bot's calls."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.pending: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.sent: list[dict[str, Any]] = []
        self.next_id = 1
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def start(self) -> BotApiStub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def say(self, text: str) -> None:
        """Queue a private message from the bench user."""
        with self.lock:
            message = {"message_id": self.next_id, "date": int(time.time()), "chat": {"id": CHAT_ID,
                       "type": "private", "first_name": "Bench"}, "from": USER, "text": text}
            self.pending.append({"update_id": self.next_id, "message": message})
            self.next_id += 1
            self.lock.notify_all()

    def count(self, method: str) -> int:
        with self.lock:
            return sum(1 for call in self.calls if call == method)

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        """The result of one Bot API call."""
        with self.lock:
            self.calls.append(method)
        if method == "getMe":
            return ME
        if method == "getUpdates":
            return self._updates(int(params.get("offset") or 0), float(params.get("timeout") or 0))
        if method.startswith("send") or method.startswith("edit"):
            with self.lock:
                self.sent.append(params)
                self.next_id += 1
                return {"message_id": self.next_id, "date": int(time.time()), "from": ME, "text": "",
                        "chat": {"id": int(params.get("chat_id") or CHAT_ID), "type": "private"}}
        return True

    def _updates(self, offset: int, timeout: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + min(timeout, 1.0)
        with self.lock:
            while True:
                self.pending = [u for u in self.pending if u["update_id"] >= offset]
                if self.pending or time.monotonic() >= deadline:
                    return list(self.pending)
                self.lock.wait(max(0.0, deadline - time.monotonic()))


def _params(handler: BaseHTTPRequestHandler) -> dict[str, Any]:
    """Form or JSON parameters of a Bot API request (JSON-encoded values decoded where possible)."""
    body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
    if "json" in (handler.headers.get("Content-Type") or ""):
        data = json.loads(body or "{}")
        return data if isinstance(data, dict) else {}
    params: dict[str, Any] = {}
    for key, values in parse_qs(body).items():
        try:
            params[key] = json.loads(values[-1])
        except ValueError:
            params[key] = values[-1]
    return params


def _handler(stub: BotApiStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            method = self.path.rstrip("/").rsplit("/", 1)[-1]
            payload = json.dumps({"ok": True, "result": stub.answer(method, _params(self))}).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the bot hung up (it is being stopped mid long-poll)
                self.close_connection = True

        do_GET = do_POST  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the access log
            return

    return Handler
