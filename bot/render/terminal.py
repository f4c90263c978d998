"""Terminal rendering: each passage quoted verbatim, its best sentence in bold (on a terminal), cited.

The bot's own words (citation labels, refusals, /start, /help…) are in the reply's interface language
(``bot.messages.get``); quotes are always verbatim.
"""

from __future__ import annotations

from bot import messages
from bot.models import Answer, Kind, Passage, Reply, Source
from bot.render.labels import label
from bot.render.notices import notice_text

BOLD, RESET = "\033[1m", "\033[0m"


def citation(number: int, source: Source, lang: str = "en") -> str:
    """'[1] Title — Publisher, 2023-12-09 — https://…' (honest about unknown fields)."""
    link = f" — {source.url}" if source.url else ""
    return f"[{number}] {label(source, lang)}{link}"


def quote(passage: Passage, bold: bool) -> str:
    """The passage as '> ' lines; the highlight emphasised only when ``bold`` (the text stays verbatim)."""
    text = passage.text
    if bold and passage.highlight and passage.highlight in text:
        text = text.replace(passage.highlight, f"{BOLD}{passage.highlight}{RESET}", 1)
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def render_passage(passage: Passage, bold: bool, lang: str = "en") -> str:
    lines = [quote(passage, bold), citation(passage.rank, passage.source, lang)]
    if passage.also_in:
        lines.append(f"    {messages.get(lang).ALSO_IN}: " + "; ".join(label(s, lang) + (f" ({s.url})" if s.url else "")
                                                                for s in passage.also_in))
    return "\n".join(lines)


def render_answer(answer: Answer, bold: bool = False, lang: str = "en") -> str:
    """A whole answer: passages with citations, or the not-found / usage message (in ``lang``)."""
    message = notice_text(answer.notice, lang)
    if not answer.answered:
        return message
    parts = [render_passage(p, bold, lang) for p in answer.results]
    if answer.trimmed:
        parts.insert(0, message)
    return "\n\n".join(parts)


def render_sources(sources: list[Source], lang: str = "en") -> str:
    lines = [f"{messages.get(lang).SOURCES_TITLE}:"]
    lines += [citation(i, s, lang) for i, s in enumerate(sources, 1)]
    return "\n".join(lines)


def render_reply(reply: Reply, bold: bool = False) -> str:
    """Any conversation reply as terminal text, in the reply's language."""
    lang = reply.language
    words = messages.get(lang)
    if reply.kind in (Kind.ANSWER, Kind.NOT_FOUND, Kind.MORE) and reply.answer is not None:
        return render_answer(reply.answer, bold, lang)
    if reply.kind is Kind.START and reply.stats is not None:
        stats = reply.stats
        lines = [words.START_INTRO, words.corpus_line(stats.articles, stats.first_date, stats.last_date),
                 words.TRY] + [f"  • {q}" for q in reply.examples]
        return "\n".join(lines)
    if reply.kind is Kind.HELP:
        return "\n".join(words.HELP_LINES)
    if reply.kind is Kind.SOURCES:
        return render_sources(reply.sources, lang)
    if reply.kind is Kind.NO_MORE:
        return words.NO_MORE
    if reply.kind is Kind.UNKNOWN_COMMAND:
        return words.UNKNOWN_COMMAND
    return words.USAGE
