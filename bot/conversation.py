"""The transport-free conversation core: commands and questions in, typed replies out.

The Telegram bot and the REPL both feed text through ``Conversation.handle`` and only differ in how they
render the ``Reply``. ``lang`` is the user's preferred interface language (Telegram's language_code, the
REPL's --lang), or None; each Reply carries the language to render in (``interface_language``: the user's,
else the question's, else English).

The /more memory is one for both: each answer's passages not yet shown go on a shelf under a random id
(``bot.state.answers``: in memory for the REPL, in the state database for the bot, so its buttons work after a
restart); the Reply carries that id, and each chat's latest id is remembered in memory for ``/more``.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from bot import messages
from bot.engine import Engine
from bot.models import Kind, Reply
from bot.state.answers import MemoryShelf, Pending, Shelf
from bot.text.language import interface_language
from bot.text.question import Question
from bot.text.safe import repair_surrogates

MAX_CHATS = 10_000


class Conversation:
    """Each chat's latest answer (for /more), the shelf of answers' remaining passages, a shared Engine."""

    def __init__(self, engine: Engine, shelf: Shelf | None = None) -> None:
        self.engine = engine
        self.shelf: Shelf = shelf if shelf is not None else MemoryShelf()
        self._latest: OrderedDict[int | str, str] = OrderedDict()
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
        """Answer a question (text, or already ``Engine.read``); an answer's passages not yet shown go on the
        shelf, as the chat's latest."""
        if isinstance(question, str):
            question = self.engine.read(question)
        if not question.has_word:
            return Reply(Kind.USAGE, language=interface_language(lang, question.language))
        answer = self.engine.ask(question)
        language = interface_language(lang, answer.language)
        if not answer.answered:
            self.forget(chat)
            return Reply(Kind.NOT_FOUND, answer=answer, language=language)
        pending = Pending.of(answer)
        self.shelf.keep(pending)
        with self._lock:
            self._latest[chat] = pending.answer_id
            self._latest.move_to_end(chat)
            while len(self._latest) > MAX_CHATS:
                self._latest.popitem(last=False)
        return Reply(Kind.ANSWER, answer=answer, language=language, answer_id=pending.answer_id)

    def more(self, chat: int | str, lang: str | None = None) -> Reply:
        """The next ``top_k`` passages of the chat's latest answer (or "no more")."""
        with self._lock:
            answer_id = self._latest.get(chat)
        found = self.more_of(answer_id, lang) if answer_id else None
        return found or Reply(Kind.NO_MORE, language=interface_language(lang))

    def more_of(self, answer_id: str, lang: str | None = None) -> Reply | None:
        """The next ``top_k`` passages of the answer kept under ``answer_id`` ("no more" when none remain);
        None when it is unknown or has expired."""
        found = self.shelf.take(answer_id, self.engine.settings.top_k)
        if not isinstance(found, tuple):
            return None
        pending, page = found
        if not page:
            return Reply(Kind.NO_MORE, language=interface_language(lang), answer_id=answer_id)
        return Reply(Kind.MORE, answer=pending.answer(page), language=interface_language(lang, pending.language),
                     answer_id=answer_id)

    def has_more(self, chat: int | str) -> bool:
        with self._lock:
            answer_id = self._latest.get(chat)
        pending = self.shelf.get(answer_id) if answer_id else None
        return isinstance(pending, Pending) and bool(pending.rest)

    def forget(self, chat: int | str) -> None:
        """Drop the chat's latest answer (the only thing kept per chat, in memory only)."""
        with self._lock:
            self._latest.pop(chat, None)
