"""The transport-free conversation core: commands and questions in, typed replies out.

The Telegram bot and the REPL both feed text through ``Conversation.handle`` and only differ in how they
render the ``Reply``. ``lang`` is the user's preferred interface language (Telegram's language_code, the
REPL's --lang), or None; each Reply carries the language to render in (``interface_language``: the user's,
else the question's, else English).
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from bot import messages
from bot.engine import Engine
from bot.models import Answer, Kind, Passage, Reply
from bot.text.language import interface_language
from bot.text.question import Question
from bot.text.safe import repair_surrogates

MAX_CHATS = 10_000


class Conversation:
    """Per-chat state (the passages left for /more) around a shared Engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._pending: OrderedDict[int | str, tuple[Answer, list[Passage]]] = OrderedDict()
        self._lock = Lock()

    def handle(self, chat: int | str, text: str, lang: str | None = None) -> Reply:
        """A line from the user: a command (``/start``, ``/help``, ``/sources``, ``/more``, ``/ask``) or a question."""
        text = repair_surrogates(text)
        stripped = text.strip()
        if stripped.startswith("/"):
            command, _, rest = stripped.partition(" ")
            return self.command(chat, command[1:].split("@", 1)[0].lower(), rest.strip(), lang)
        return self.ask(chat, text, lang)

    def command(self, chat: int | str, name: str, argument: str, lang: str | None = None) -> Reply:
        language = interface_language(lang)
        if name == "start":
            return self.ask(chat, argument, lang) if argument else self.start(lang)
        if name == "help":
            return Reply(Kind.HELP, language=language)
        if name == "sources":
            return Reply(Kind.SOURCES, sources=self.engine.sources(), language=language)
        if name == "more":
            return self.more(chat, lang)
        if name == "ask":
            return self.ask(chat, argument, lang) if argument else Reply(Kind.USAGE, language=language)
        return Reply(Kind.UNKNOWN_COMMAND, command=name, language=language)

    def start(self, lang: str | None = None) -> Reply:
        language = interface_language(lang)
        return Reply(Kind.START, stats=self.engine.stats(), examples=messages.get(language).EXAMPLES,
                     language=language)

    def ask(self, chat: int | str, question: str | Question, lang: str | None = None) -> Reply:
        """Answer a question (text, or already ``Engine.read``) and keep the remaining passages for /more."""
        if isinstance(question, str):
            question = self.engine.read(question)
        if not question.has_word:
            return Reply(Kind.USAGE, language=interface_language(lang, question.language))
        answer = self.engine.ask(question)
        self._remember(chat, answer, list(answer.more))
        language = interface_language(lang, answer.language)
        if not answer.answered:
            return Reply(Kind.NOT_FOUND, answer=answer, language=language)
        return Reply(Kind.ANSWER, answer=answer, language=language)

    def more(self, chat: int | str, lang: str | None = None) -> Reply:
        """The next ``top_k`` passages of the chat's last answer."""
        with self._lock:
            pending = self._pending.get(chat)
        if pending is None or not pending[1]:
            return Reply(Kind.NO_MORE, language=interface_language(lang))
        answer, rest = pending
        k = self.engine.settings.top_k
        page, rest = rest[:k], rest[k:]
        self._remember(chat, answer, rest)
        more = answer.model_copy(update={"results": page, "more": rest})
        return Reply(Kind.MORE, answer=more, language=interface_language(lang, answer.language))

    def has_more(self, chat: int | str) -> bool:
        with self._lock:
            pending = self._pending.get(chat)
        return bool(pending and pending[1])

    def _remember(self, chat: int | str, answer: Answer, rest: list[Passage]) -> None:
        with self._lock:
            self._pending[chat] = (answer, rest)
            self._pending.move_to_end(chat)
            while len(self._pending) > MAX_CHATS:
                self._pending.popitem(last=False)
