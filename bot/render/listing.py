"""Article lists a page at a time, as Telegram HTML: ``/sources`` (by publisher, filterable) and ``/latest``
(newest first). Each line is a numbered citation (title linked, author, publisher, date), as in answers.

Takes: the indexed ``Source`` list. Gives: ``by_publisher`` (the filter: a case-insensitive part of the
publisher's name), ``catalogue_order`` / ``newest_first``, ``page_count`` and ``listing_page``.
"""

from __future__ import annotations

import math

from bot import messages
from bot.models import Source
from bot.render.telegram_html import citation, esc

PAGE_SIZE = 10


def by_publisher(sources: list[Source], query: str) -> list[Source]:
    """The sources whose publisher contains ``query`` (case and surrounding spaces ignored; "" keeps all)."""
    wanted = query.strip().casefold()
    return [s for s in sources if wanted in s.publisher.casefold()] if wanted else list(sources)


def catalogue_order(sources: list[Source]) -> list[Source]:
    """By publisher (unknown last), then newest first, then title."""
    newest = sorted(sources, key=lambda s: s.published, reverse=True)  # undated ("") last
    return sorted(newest, key=lambda s: (s.publisher == "", s.publisher.casefold()))


def newest_first(sources: list[Source]) -> list[Source]:
    """Newest first; undated articles last, by title."""
    dated = sorted((s for s in sources if s.published), key=lambda s: s.published, reverse=True)
    return dated + sorted((s for s in sources if not s.published), key=lambda s: s.title.casefold())


def page_count(n: int) -> int:
    return max(1, math.ceil(n / PAGE_SIZE))


def listing_page(title: str, sources: list[Source], page: int, lang: str = "en") -> str:
    """Page ``page`` (from 0, clamped) of ``sources`` under a bold ``title`` ("· page 2 of 5" when paged)."""
    pages = page_count(len(sources))
    page = min(max(page, 0), pages - 1)
    start = page * PAGE_SIZE
    head = f"<b>{esc(title)}</b>"
    if pages > 1:
        head += " · " + esc(messages.get(lang).PAGE_OF.format(page=page + 1, pages=pages))
    lines = [citation(start + i + 1, s, lang) for i, s in enumerate(sources[start:start + PAGE_SIZE])]
    return "\n".join([head, *lines])
