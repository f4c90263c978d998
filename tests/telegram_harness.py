"""Test harness for the Telegram bot: the local Bot API emulator (``node tests/telegram/server.js``) and the
real ``wayhome bot`` as a subprocess talking to it; and, in process, the bot's handlers fed with PTB's offline
objects (``offline_engine``, ``inline_session``).

Nothing here is skipped: without node or the emulator's npm packages the tests fail, saying how to install
them (``make test`` runs ``npm ci`` in tests/telegram itself).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import psutil
import pytest
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, ExtBot

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.telegram.services import Services

ROOT = Path(__file__).resolve().parent.parent
EMULATOR_DIR = ROOT / "tests" / "telegram"
BOT_USERNAME = "WayhomeTestBot"
T = TypeVar("T")


def new_token() -> str:
    """A fresh, well-formed bot token (the emulator keeps each token's chats apart)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return f"{secrets.randbelow(10**9) + 10**9}:AA" + "".join(secrets.choice(alphabet) for _ in range(33))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(check: Callable[[], T | None], timeout: float, what: str, interval: float = 0.05) -> T:
    """Poll ``check`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def require_emulator() -> None:
    """Fail (never skip) with the fix when node or the npm packages are missing."""
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the Telegram end-to-end tests need Node.js (apt-get install nodejs npm)")
    if not (EMULATOR_DIR / "node_modules" / "telegram-test-api").is_dir():
        pytest.fail("the Bot API emulator is not installed: run `make test`, or `npm ci` in tests/telegram")


class Emulator:
    """The emulator process and its client/control API."""

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.url, timeout=10)

    @property
    def api_base(self) -> str:
        return f"{self.url}/bot"

    def start(self) -> Emulator:
        require_emulator()
        out = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(["node", "server.js", "--port", str(self.port)], cwd=EMULATOR_DIR,
                                     stdout=out, stderr=subprocess.STDOUT)
        wait_for(self._healthy, 20, "the emulator to listen")
        return self

    def _healthy(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            pytest.fail(f"the emulator exited with status {self.proc.returncode}")
        try:
            return self.http.get("/health").status_code == 200
        except httpx.TransportError:
            return False

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.http.post(path, json=body)
        response.raise_for_status()
        return response.json()["result"]

    def _get(self, path: str, **params: Any) -> Any:
        response = self.http.get(path, params=params)
        response.raise_for_status()
        return response.json()["result"]

    def send(self, token: str, chat_id: int, text: str | None = None, **fields: Any) -> dict[str, Any]:
        """A user message (fields: user_id, chat_type, title, kind=sticker|photo|voice, caption (with a photo),
        reply_to_message_id, message_thread_id (a forum topic), language_code, username, first_name)."""
        body = {"token": token, "chat_id": chat_id, "user_id": fields.pop("user_id", abs(chat_id)), **fields}
        if text is not None:
            body["text"] = text
        result: dict[str, Any] = self._post("/client/message", body)
        result["sent_at"] = time.time()
        return result

    def member(self, token: str, chat_id: int, user_id: int, new_status: str = "member", old_status: str = "left",
               **fields: Any) -> int:
        """The bot's membership of a chat changed (a ``my_chat_member`` update, sent by ``user_id``; fields:
        chat_type, title, language_code)."""
        body = {"token": token, "chat_id": chat_id, "user_id": user_id, "new_status": new_status,
                "old_status": old_status, "chat_type": "supergroup", **fields}
        return int(self._post("/client/member", body)["update_id"])

    def update(self, token: str, update: dict[str, Any]) -> int:
        """Deliver ``update`` (a Bot API Update without its id: ``{"channel_post": {...}}``) to the bot."""
        return int(self._post("/client/update", {"token": token, "update": update})["update_id"])

    def press(self, token: str, chat_id: int, message_id: int, data: str, user_id: int | None = None,
              language_code: str | None = None, **fields: Any) -> str:
        """A button press (fields: username, first_name)."""
        body = {"token": token, "chat_id": chat_id, "message_id": message_id, "data": data,
                "user_id": user_id or abs(chat_id), "language_code": language_code, **fields}
        return str(self._post("/client/callback", body)["callback_query_id"])

    def inline(self, token: str, user_id: int, query: str, language_code: str | None = None) -> str:
        body = {"token": token, "user_id": user_id, "query": query, "language_code": language_code}
        return str(self._post("/client/inline", body)["inline_query_id"])

    def history(self, token: str, chat_id: int | None = None) -> list[dict[str, Any]]:
        params = {"token": token} if chat_id is None else {"token": token, "chat_id": chat_id}
        result: list[dict[str, Any]] = self._get("/client/history", **params)
        return result

    def calls(self, token: str, method: str | None = None) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = self._get("/client/calls", token=token)
        return [c for c in calls if method is None or c["method"] == method]

    def listed(self, name: str, token: str) -> list[dict[str, Any]]:
        """inline_answers, callback_answers or deliveries."""
        result: list[dict[str, Any]] = self._get(f"/client/{name}", token=token)
        return result

    def fault(self, token: str, method: str, kind: str, count: int = 1, **extra: Any) -> None:
        self._post("/control/fault", {"token": token, "method": method, "kind": kind, "count": count, **extra})

    def revoke(self, token: str) -> None:
        self._post("/control/revoke", {"token": token})

    def in_flight(self, method: str = "sendMessage") -> int:
        """Bot API calls of ``method`` being answered right now."""
        return int(self._get("/control/in_flight", method=method))

    def replies_to(self, token: str, chat_id: int, message_id: int) -> list[dict[str, Any]]:
        """Bot messages sent as a reply to ``message_id`` (the first message of each reply)."""
        return [m for m in self.history(token, chat_id)
                if (m.get("reply_parameters") or {}).get("message_id") == message_id]

    def wait_reply(self, token: str, chat_id: int, message_id: int, timeout: float = 15) -> dict[str, Any]:
        found = wait_for(lambda: self.replies_to(token, chat_id, message_id), timeout,
                         f"the bot's reply to message {message_id} in chat {chat_id}")
        return found[0]

    def ask(self, token: str, chat_id: int, text: str, timeout: float = 15, **fields: Any) -> dict[str, Any]:
        """Send a message and return the bot's reply to it."""
        sent = self.send(token, chat_id, text, **fields)
        return self.wait_reply(token, chat_id, sent["message_id"], timeout)

    def close(self) -> None:
        self.stop()
        self.http.close()


class BotProcess:
    """``python -m bot.cli bot`` against the emulator, logging at DEBUG into a file."""

    def __init__(self, emulator: Emulator, workdir: Path, index_dir: Path, corpus_dir: Path,
                 model: str = "fake:64", token: str | None = None, env: dict[str, str] | None = None) -> None:
        self.emulator = emulator
        self.token = token or new_token()
        self.workdir = workdir
        self.log_path = workdir / f"bot-{self.token.split(':')[0]}.log"
        self.data_dir = workdir / "data"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")}
        self.env.update({
            "WAYHOME_TELEGRAM_TOKEN": self.token, "WAYHOME_TELEGRAM_BASE_URL": emulator.api_base,
            "WAYHOME_EMBEDDING_MODEL": model, "WAYHOME_DATA_DIR": str(self.data_dir),
            "WAYHOME_LOG_LEVEL": "DEBUG", "HF_HUB_OFFLINE": "1",
            **(env or {})})
        self.args = [sys.executable, "-m", "bot.cli", "bot", "--index", str(index_dir), "--corpus", str(corpus_dir)]
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, wait: bool = True) -> BotProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(self.args, cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 90) -> None:
        """Until the bot polls getUpdates (or set its webhook)."""
        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                pytest.fail(f"the bot exited with status {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                return bool(self.emulator.calls(self.token, "getUpdates") or self.emulator.calls(self.token, "setWebhook"))
            except httpx.TransportError:
                return False
        wait_for(ready, timeout, "the bot to start polling", interval=0.1)

    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        """Signal the bot and wait for it to exit; its exit status."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                pytest.fail(f"the bot did not stop within {timeout} s after signal {sig}")
        return int(self.proc.returncode)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def assert_token_not_logged(self) -> None:
        log = self.log()
        for form in (self.token, self.token.replace(":", "%3A"), self.token.split(":", 1)[1]):
            assert form not in log, "the bot token appeared in the bot's log"


def build_fake_index(workdir: Path, corpus: Path) -> tuple[Path, Path]:
    """A private corpus copy and its index built with the fake encoder (fast)."""
    corpus_dir = workdir / "corpus"
    shutil.copytree(corpus, corpus_dir)
    index_dir = workdir / "index"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")}
    env["WAYHOME_EMBEDDING_MODEL"] = "fake:64"
    built = subprocess.run([sys.executable, "-m", "bot.cli", "index", "build", "--index", str(index_dir),
                            "--corpus", str(corpus_dir)], cwd=workdir, env=env, capture_output=True, text=True)
    assert built.returncode == 0, f"index build failed:\n{built.stderr[-3000:]}"
    return corpus_dir, index_dir


class RssSampler:
    """Samples a process's resident memory every 0.1 s while in use (``with RssSampler(pid) as rss:``)."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.samples: list[int] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._done.is_set():
            with contextlib.suppress(psutil.Error):
                self.samples.append(self.process.memory_info().rss)
            time.sleep(0.1)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def peak_mib(self) -> float:
        return max(self.samples) / 2**20

    def growth_mib(self) -> float:
        """Peak of the second half of the run minus peak of the first half."""
        half = len(self.samples) // 2
        return (max(self.samples[half:]) - max(self.samples[:half])) / 2**20


@contextlib.contextmanager
def fake_world(work: Path, corpus: Path, env: dict[str, str] | None = None,
               twin: bool = True) -> Iterator[dict[str, Any]]:
    """Emulator + one running bot (its extra environment ``env``) on a fake-encoder index of a copy of ``corpus``
    in ``work``: "emulator", "bot", "token", "corpus", "index", "work", and with ``twin`` an in-process twin of
    the bot's conversation core (to render what the bot should send)."""
    from bot.conversation import Conversation
    from bot.engine import Engine
    from bot.settings import Settings

    corpus_dir, index_dir = build_fake_index(work, corpus)
    emulator = Emulator(log_path=work / "emulator.log").start()
    bot = BotProcess(emulator, work, index_dir, corpus_dir, env=env).start()
    world: dict[str, Any] = {"emulator": emulator, "bot": bot, "token": bot.token, "corpus": corpus_dir,
                             "index": index_dir, "work": work}
    try:
        if twin:
            settings = Settings(corpus_dir=corpus_dir, index_dir=index_dir, embedding_model="fake:64",
                                _env_file=None)  # type: ignore[call-arg]
            world["twin"] = Conversation(Engine.open(settings))
        yield world
    finally:
        assert bot.stop() == 0
        emulator.close()


def expected_reply(world: dict[str, Any], text: str, lang: str | None = None) -> str:
    """The first message the bot should send for question ``text`` (``lang``: its interface language), as
    ``fake_world``'s twin renders it."""
    from bot.render.telegram_html import render_reply

    return render_reply(world["twin"].ask("expected", text, lang), 1000)[0]


def inline_buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every inline-keyboard button of a sent message, row by row."""
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]



class RecordingBot(ExtBot[None]):
    """PTB's bot with answer_inline_query recorded instead of sent."""

    answered: list[dict[str, Any]]

    @property
    def username(self) -> str:  # what getMe would have said
        return BOT_USERNAME

    async def answer_inline_query(self, inline_query_id: str, results: Any, *args: Any, **kwargs: Any) -> bool:
        self.answered.append({"id": inline_query_id, "results": list(results), **kwargs})
        return True


def offline_engine(work: Path, **settings: Any) -> Engine:
    """An in-process engine on a copy of the repository's corpus, with the fake encoder; index and state in
    ``work``; ``settings`` override the rest."""
    from bot.engine import Engine
    from bot.settings import Settings

    shutil.copytree(ROOT / "corpus", work / "corpus")
    return Engine.open(Settings(corpus_dir=work / "corpus", index_dir=work / "index", data_dir=work / "data",
                                embedding_model="fake:64", _env_file=None, **settings))  # type: ignore[call-arg]


def inline_session(engine: Engine, state: Path, queries: list[str], language_code: str | None = None,
                   questions_per_minute: int = 5) -> tuple[list[dict[str, Any]], Services]:
    """``queries`` typed one after another in inline mode by one user (id 42, ``language_code`` if given), each
    handled by the bot's inline-query handler in process: what it answered to each (update ``i`` has the
    inline query id ``iq<i>``, from 1), and the bot's services (state in the SQLite file ``state``)."""
    from bot.conversation import Conversation
    from bot.state import StateStore
    from bot.telegram.inline import inline_query
    from bot.telegram.ratelimit import UserRateLimiter
    from bot.telegram.services import KEY, Services

    bot = RecordingBot(new_token())
    object.__setattr__(bot, "answered", [])
    application = ApplicationBuilder().bot(bot).build()
    services = Services(settings=engine.settings, conversation=Conversation(engine),
                        limiter=UserRateLimiter(questions_per_minute, 60), state=StateStore(state))
    application.bot_data[KEY] = services
    user: dict[str, Any] = {"id": 42, "is_bot": False, "first_name": "A", **({"language_code": language_code}
                                                                             if language_code else {})}
    context = ContextTypes.DEFAULT_TYPE(application)
    for i, query in enumerate(queries, 1):
        update = Update.de_json({"update_id": i, "inline_query": {"id": f"iq{i}", "from": user, "query": query,
                                                                  "offset": ""}}, bot)
        asyncio.run(inline_query(update, context))
    return bot.answered, services
