"""Telegram HTML rendering: passages in <blockquote> with the best sentence in <b>, numbered cited links.

Every message is valid Telegram HTML: only supported tags, all text escaped (control characters and lone
surrogates removed), at most 4096 characters of visible text (counted in UTF-16 units, as Telegram does) and
fewer than 100 entities. Long answers are split on passage boundaries; a passage too long for one message
is cut at a word boundary with "…". The bot's own words are in the reply's interface language
(``bot.messages.get``); quotes are always verbatim.
"""

from __future__ import annotations

import re
from html import escape, unescape

from bot import messages
from bot.models import Answer, Kind, Passage, Reply, Source
from bot.render.labels import is_channel_post, label, shown_date, shown_publisher, shown_title
from bot.render.notices import notice_text
from bot.text.safe import strip_controls

MAX_CHARS = 4096
MAX_ENTITIES = 100
EXPANDABLE_OVER = 400
PASSAGE_BUDGET = 3000
TITLE_BUDGET = 200
MAX_ALSO_IN = 5
_TAG = re.compile(r"<[^>]*>")
START_TAP = messages.START_TAP


def clean(text: str) -> str:
    """Text safe to send: lone surrogates replaced, control characters (except newline and tab) removed."""
    return strip_controls(text)


def esc(text: str) -> str:
    """Escape user or article text for Telegram HTML."""
    return escape(clean(text), quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def visible(html: str) -> str:
    """The text a user sees of our own (well-formed) HTML."""
    return unescape(_TAG.sub("", html))


def entity_count(html: str) -> int:
    return html.count("</")


def shorten(text: str, budget: int) -> str:
    """``text`` cut to at most ``budget`` UTF-16 units at a word boundary, with " …" when cut."""
    if utf16_len(text) <= budget:
        return text
    cut = text[:budget]
    while utf16_len(cut) > budget - 2:
        cut = cut[:-1]
    head = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut
    return head.rstrip() + " …"


def link(source: Source, lang: str = "en") -> str:
    """The source title as a link when it has a web url."""
    title = esc(shorten(shown_title(source, lang), TITLE_BUDGET))
    url = clean(source.url).strip()
    if url.startswith(("http://", "https://")) and not any(ch.isspace() for ch in url):
        return f'<a href="{escape(url, quote=True)}">{title}</a>'
    return title


def citation(number: int, source: Source, lang: str = "en") -> str:
    """'[1] <a href=url>Title</a> — Author, Publisher, date' (the author only when the article names one), or
    '[1] Untitled article, publisher unknown, date unknown' (as the terminal says it: honest about unknown
    fields). A Telegram channel post: '[1] Channel (Telegram), date — <a href=url>https://t.me/NAME/ID</a>' (and
    whose words, when forwarded)."""
    if is_channel_post(source):
        url = escape(source.url, quote=True)
        return f'[{number}] {esc(shorten(label(source, lang), 2 * TITLE_BUDGET))} — <a href="{url}">{url}</a>'
    publisher = esc(shorten(shown_publisher(source, lang), TITLE_BUDGET))
    author = f"{esc(shorten(source.author, TITLE_BUDGET))}, " if source.author.strip() else ""
    date = esc(shown_date(source, lang))
    separator = " — " if source.title else ", "
    return f"[{number}] {link(source, lang)}{separator}{author}{publisher}, {date}"


def quote_html(passage: Passage) -> str:
    """The verbatim passage, escaped, its highlight in bold; expandable when long; cut if huge."""
    text = shorten(passage.text, PASSAGE_BUDGET)
    highlight = passage.highlight
    if highlight.strip() and highlight in text:
        before, _, after = text.partition(highlight)
        body = f"{esc(before)}<b>{esc(highlight)}</b>{esc(after)}"
    else:
        body = esc(text)
    if not visible(body).strip():
        body = "…"
    tag = "<blockquote expandable>" if len(text) > EXPANDABLE_OVER else "<blockquote>"
    return f"{tag}{body}</blockquote>"


def passage_html(passage: Passage, lang: str = "en") -> str:
    """One passage block: quote, citation, and the other articles that carry the same passage."""
    parts = [quote_html(passage), citation(passage.rank, passage.source, lang)]
    if passage.also_in:
        others = [f"{link(s, lang)}, {esc(shown_date(s, lang))}" for s in passage.also_in[:MAX_ALSO_IN]]
        parts.append(f"{esc(messages.get(lang).ALSO_IN)}: " + "; ".join(others))
    return "\n".join(parts)


def fits(html: str) -> bool:
    return utf16_len(visible(html)) <= MAX_CHARS and entity_count(html) < MAX_ENTITIES


def pack_messages(blocks: list[str], sep: str = "\n\n") -> list[str]:
    """Join blocks into messages under the length and entity limits, never splitting a block."""
    parts: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}{sep}{block}" if current else block
        if current and not fits(candidate):
            parts.append(current)
            candidate = block
        current = candidate
    if current:
        parts.append(current)
    return parts


def trimmed_note(answer: Answer, note: str | None, lang: str = "en") -> str:
    words = messages.get(lang)
    return f"<i>{esc(note or notice_text(answer.notice, lang) or words.QUESTION_TRIMMED)}</i>"


def render_answer(answer: Answer, trimmed: str | None = None, lang: str = "en") -> list[str]:
    """An answer (or the not-found message) as messages; ``trimmed`` is the note for a trimmed question."""
    if not answer.answered:
        words = messages.get(lang)
        message = esc(notice_text(answer.notice, lang) or words.NOT_FOUND)
        return [f"{trimmed_note(answer, trimmed, lang)}\n\n{message}" if answer.trimmed else message]
    blocks = [passage_html(p, lang) for p in answer.results]
    if answer.trimmed:
        blocks.insert(0, trimmed_note(answer, trimmed, lang))
    return pack_messages(blocks)


def render_sources(sources: list[Source], lang: str = "en") -> list[str]:
    """/sources: every article with title (linked), publisher and date."""
    lines = [f"<b>{esc(messages.get(lang).SOURCES_TITLE)}</b>"] + [citation(i, s, lang) for i, s in enumerate(sources, 1)]
    return pack_messages(lines, sep="\n")


def render_start(reply: Reply) -> str:
    stats, words = reply.stats, messages.get(reply.language)
    corpus = words.corpus_line(stats.articles, stats.first_date, stats.last_date) if stats else ""
    return f"{esc(words.START_INTRO)}\n{esc(corpus)}\n{esc(words.START_TAP)}"


def render_reply(reply: Reply, max_question_chars: int | None = None) -> list[str]:
    """Any conversation reply as one or more Telegram HTML messages, in the reply's language."""
    lang = reply.language
    words = messages.get(lang)
    if reply.kind in (Kind.ANSWER, Kind.NOT_FOUND, Kind.MORE) and reply.answer is not None:
        note = words.trimmed(max_question_chars) if max_question_chars else None
        return render_answer(reply.answer, note, lang)
    if reply.kind is Kind.START:
        return [render_start(reply)]
    if reply.kind is Kind.HELP:
        return ["\n\n".join(esc(line) for line in words.HELP_LINES)]
    if reply.kind is Kind.SOURCES:
        return render_sources(reply.sources, lang)
    if reply.kind is Kind.NO_MORE:
        return [esc(words.NO_MORE)]
    if reply.kind is Kind.UNKNOWN_COMMAND:
        return [esc(words.UNKNOWN_COMMAND)]
    return [esc(words.USAGE)]
