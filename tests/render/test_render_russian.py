"""Rendering in Russian: the bot's own words in Russian, quotes verbatim in their language, valid Telegram HTML;
English replies exactly as before."""

from __future__ import annotations

from telegram_html_validator import problems, visible_text

from bot import messages
from bot.models import Answer, CorpusStats, Kind, Notice, Passage, Reply, Source
from bot.render import telegram_html as tg
from bot.render import terminal

DW = Source(title="Russian soldiers' wives: 'Bring them home'", publisher="DW", url="https://p.dw.com/p/4ZxFJ",
            published="2023-12-09", path="dw.md")
UNKNOWN = Source(path="seed.md")
TEXT = "Olga Tsukanova is the founder of the Council of Wives & Mothers <movement>."
RU = messages.get("ru")


def _answer(answered: bool = True, **changes: object) -> Answer:
    passages = [Passage(rank=1, score=1.0, text=TEXT, highlight=TEXT, source=DW, chunk_id="dw#1", also_in=[UNKNOWN]),
                Passage(rank=2, score=0.5, text="The Way Home channel.", highlight="", source=UNKNOWN,
                        chunk_id="seed#0")]
    fields: dict[str, object] = {"question": "Кто такая Olga Tsukanova?", "language": "ru", "answered": answered,
                                 "notice": None if answered else Notice.NOT_FOUND,
                                 "results": passages if answered else []}
    fields.update(changes)
    return Answer(**fields)  # type: ignore[arg-type]


def _reply(kind: Kind, lang: str = "ru", **fields: object) -> Reply:
    return Reply(kind, language=lang, **fields)  # type: ignore[arg-type]


def test_terminal_answer_has_russian_labels_and_verbatim_quotes() -> None:
    out = terminal.render_reply(_reply(Kind.ANSWER, answer=_answer()))
    assert f"> {TEXT}" in out  # the quote is never translated
    assert "[1] Russian soldiers' wives: 'Bring them home' — DW, 9 декабря 2023\u202fг. — https://p.dw.com/p/4ZxFJ" in out
    assert "Об этом также писали: Статья без названия, издание не указано, дата не указана" in out
    assert "[2] Статья без названия, издание не указано, дата не указана" in out


def test_terminal_refusal_usage_and_commands_in_russian() -> None:
    assert terminal.render_reply(_reply(Kind.NOT_FOUND, answer=_answer(False))) == RU.NOT_FOUND
    assert terminal.render_reply(_reply(Kind.USAGE)) == RU.USAGE
    assert terminal.render_reply(_reply(Kind.HELP)) == "\n".join(RU.HELP_LINES)
    assert terminal.render_reply(_reply(Kind.NO_MORE)) == RU.NO_MORE
    assert terminal.render_reply(_reply(Kind.UNKNOWN_COMMAND)) == RU.UNKNOWN_COMMAND
    start = terminal.render_reply(_reply(Kind.START, stats=CorpusStats(2, 26, "2023-12-09", "2023-12-09"),
                                         examples=RU.EXAMPLES))
    assert start.splitlines()[:3] == [RU.START_INTRO, "Я знаю 2 статьи, опубликованные 9 декабря 2023\u202fг.",
                                      "Попробуйте:"]
    assert "  • Кто такая Мария Андреева?" in start
    sources = terminal.render_reply(_reply(Kind.SOURCES, sources=[DW, UNKNOWN]))
    assert sources.startswith("Статьи, которые я цитирую:\n[1] ")


def test_terminal_trimmed_note_in_russian() -> None:
    out = terminal.render_answer(_answer(trimmed=True, notice=Notice.TRIMMED), lang="ru")
    assert out.startswith("Вопрос сокращён для поиска.\n\n> ")


def test_telegram_answer_in_russian_is_valid_html() -> None:
    parts = tg.render_reply(_reply(Kind.ANSWER, answer=_answer()), 1000)
    assert messages and all(problems(m) == [] for m in parts)
    shown = visible_text(parts[0])
    assert TEXT in shown and "&lt;movement&gt;" in parts[0]
    assert "[1] Russian soldiers' wives: 'Bring them home' — DW, 9 декабря 2023\u202fг." in shown
    assert "Об этом также писали: Статья без названия, дата не указана" in shown
    assert "[2] Статья без названия, издание не указано, дата не указана" in shown


def test_telegram_every_reply_kind_in_russian_is_valid_html() -> None:
    stats = CorpusStats(5, 40, "2023-12-09", "2024-02-03")
    replies = [_reply(Kind.START, stats=stats, examples=RU.EXAMPLES), _reply(Kind.HELP), _reply(Kind.USAGE),
               _reply(Kind.SOURCES, sources=[DW, UNKNOWN]), _reply(Kind.NO_MORE), _reply(Kind.UNKNOWN_COMMAND),
               _reply(Kind.NOT_FOUND, answer=_answer(False, trimmed=True))]
    for reply in replies:
        for message in tg.render_reply(reply, 1000):
            assert problems(message) == [], (reply.kind, message)
    start = visible_text(tg.render_reply(replies[0])[0])
    assert "Я знаю 5 статей, опубликованных с 9 декабря 2023\u202fг. по 3 февраля 2024\u202fг." in start
    assert RU.START_TAP in start
    refusal = visible_text(tg.render_reply(replies[-1], 1000)[0])
    assert refusal == f"{RU.trimmed(1000)}\n\n{RU.NOT_FOUND}" and "/sources" in refusal
    assert "&lt;вопрос&gt;" in tg.render_reply(replies[1])[0]


def test_english_replies_are_unchanged() -> None:
    answer = _answer(language="en")
    shown = visible_text(tg.render_reply(_reply(Kind.ANSWER, "en", answer=answer))[0])
    assert "— DW, 2023-12-09" in shown and "Also reported by: Untitled article, date unknown" in shown
    refusal = _reply(Kind.NOT_FOUND, "en", answer=_answer(False, language="en"))
    assert tg.render_reply(refusal) == [tg.esc(messages.NOT_FOUND)]
    assert terminal.render_reply(refusal) == messages.NOT_FOUND
    assert terminal.render_reply(Reply(Kind.USAGE)) == messages.USAGE
