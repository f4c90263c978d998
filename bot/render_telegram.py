"""Telegram HTML rendering: passages in <blockquote> with the best sentence in <b>, numbered cited links.

Every message is valid Telegram HTML, at most 4096 characters and 100 entities; long answers are split on
passage boundaries.
"""

from __future__ import annotations

from html import escape

from . import texts
from .conversation import Kind, Reply
from .models import Answer, Passage, Source

MAX_CHARS = 4096
MAX_ENTITIES = 100
EXPANDABLE_OVER = 400
PASSAGE_BUDGET = 3500


def esc(text: str) -> str:
    """Escape user or article text for Telegram HTML (lone surrogates replaced)."""
    return escape(text.encode("utf-8", "replace").decode("utf-8"), quote=False)


def link(source: Source) -> str:
    """The source title as a link when it has a url."""
    title = esc(source.title or "Untitled article")
    if source.url.startswith(("http://", "https://")):
        return f'<a href="{escape(source.url, quote=True)}">{title}</a>'
    return title


def citation(number: int, source: Source) -> str:
    publisher = esc(source.publisher or "publisher unknown")
    date = esc(source.published or "date unknown")
    return f"[{number}] {link(source)} — {publisher}, {date}"


def quote_html(passage: Passage) -> str:
    """The verbatim passage, escaped, highlight in bold; expandable when long; trimmed if huge."""
    text = passage.text
    if len(text) > PASSAGE_BUDGET:
        text = text[:PASSAGE_BUDGET].rsplit(" ", 1)[0] + " …"
    highlight = passage.highlight
    if highlight and highlight in text:
        before, _, after = text.partition(highlight)
        body = f"{esc(before)}<b>{esc(highlight)}</b>{esc(after)}"
    else:
        body = esc(text)
    tag = "<blockquote expandable>" if len(text) > EXPANDABLE_OVER else "<blockquote>"
    return f"{tag}{body}</blockquote>"


def passage_html(passage: Passage) -> str:
    parts = [quote_html(passage), citation(passage.rank, passage.source)]
    if passage.also_in:
        parts.append(f"{texts.ALSO_IN}: " + "; ".join(link(s) + ", " + esc(s.published or "date unknown")
                                                       for s in passage.also_in))
    return "\n".join(parts)


def pack_messages(blocks: list[str]) -> list[str]:
    """Join blocks into messages under the length and entity limits, never splitting a block."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if current and (len(candidate) > MAX_CHARS or candidate.count("</") >= MAX_ENTITIES):
            messages.append(current)
            candidate = block
        current = candidate
    if current:
        messages.append(current)
    return messages


def render_answer(answer: Answer) -> list[str]:
    if not answer.answered:
        return [esc(answer.message)]
    blocks = [passage_html(p) for p in answer.results]
    if answer.trimmed:
        blocks.insert(0, f"<i>{esc(answer.message)}</i>")
    return pack_messages(blocks)


def render_sources(sources: list[Source]) -> list[str]:
    blocks = [f"<b>{esc(texts.SOURCES_TITLE)}</b>"] + [citation(i, s) for i, s in enumerate(sources, 1)]
    return pack_messages(["\n".join(blocks)] if len("\n".join(blocks)) < MAX_CHARS else blocks)


def render_reply(reply: Reply) -> list[str]:
    """Any conversation reply as one or more Telegram HTML messages."""
    if reply.kind in (Kind.ANSWER, Kind.NOT_FOUND, Kind.MORE) and reply.answer is not None:
        return render_answer(reply.answer)
    if reply.kind is Kind.START and reply.stats is not None:
        s = reply.stats
        return [f"{esc(texts.START_INTRO)}\n{esc(texts.corpus_line(s.articles, s.first_date, s.last_date))}\n"
                "Tap an example question below, or send your own."]
    if reply.kind is Kind.HELP:
        return ["\n\n".join(esc(line) for line in texts.HELP_LINES)]
    if reply.kind is Kind.SOURCES:
        return render_sources(reply.sources)
    if reply.kind is Kind.NO_MORE:
        return [esc(texts.NO_MORE)]
    if reply.kind is Kind.UNKNOWN_COMMAND:
        return [esc(texts.UNKNOWN_COMMAND)]
    from .answer import USAGE

    return [esc(USAGE)]
