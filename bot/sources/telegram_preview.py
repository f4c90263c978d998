"""A public channel's web preview (``https://t.me/s/NAME``, or any page with the same markup) as posts.

Takes: the page URL, fetch limits and how many posts to take at most. Gives: the newest posts with text, newest
page first, walking to older pages through ``?before=ID`` until ``max_posts`` are read or a page brings nothing
older. The markup: each ``div.tgme_widget_message`` carries ``data-post="NAME/ID"``, its text in
``div.tgme_widget_message_text`` (``<br>`` line breaks), its time in ``.tgme_widget_message_date
time[datetime]``, a forward's origin in ``.tgme_widget_message_forwarded_from_name``; the channel's title is in
``.tgme_channel_info_header_title``. A first page without posts is a SourceError.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import html as lxml_html

from bot.sources.channel_writer import Post
from bot.sources.fetch import SourceError, fetch_page

PREVIEW_PATH = re.compile(r"^/s/([A-Za-z][A-Za-z0-9_]{2,31})/?$")
_DATA_POST = re.compile(r"^([A-Za-z][A-Za-z0-9_]{2,31})/(\d+)$")


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_MESSAGES = f"//div[{_has_class('tgme_widget_message')} and @data-post]"
_TEXT = (f".//div[{_has_class('tgme_widget_message_text')} and "
         f"not(ancestor::*[{_has_class('tgme_widget_message_reply')}])]")
_TIME = f".//*[{_has_class('tgme_widget_message_date')}]//time[@datetime]"
_FORWARDED = f".//*[{_has_class('tgme_widget_message_forwarded_from_name')}]"
_TITLE = f"//*[{_has_class('tgme_channel_info_header_title')}]"
_OWNER = f".//*[{_has_class('tgme_widget_message_owner_name')}]"


def is_preview_url(url: str) -> bool:
    """A channel preview address: ``…/s/NAME`` (t.me's own, or a page served the same way)."""
    try:
        return bool(PREVIEW_PATH.match(urlsplit(url).path))
    except ValueError:
        return False


@dataclass
class PreviewPage:
    """The posts of one preview page (``without_text``: posts skipped, e.g. a photo without caption)."""

    posts: list[Post]
    oldest: int | None
    without_text: int


def parse_page(page: str, fallback_title: str = "") -> PreviewPage:
    """The posts with text on one page, in page order (oldest first)."""
    tree = lxml_html.fromstring(page) if page.strip() else None
    if tree is None:
        return PreviewPage([], None, 0)
    titles = [_text(t) for t in tree.xpath(_TITLE)]
    channel_title = next((t for t in titles if t), "")
    posts: list[Post] = []
    ids: list[int] = []
    skipped = 0
    for node in tree.xpath(_MESSAGES):
        found = _DATA_POST.match(node.get("data-post", "").strip())
        if not found:
            continue
        ids.append(int(found[2]))
        texts = node.xpath(_TEXT)
        text = _text(texts[0]) if texts else ""
        if not text.strip():
            skipped += 1
            continue
        times = node.xpath(_TIME)
        forwarded = node.xpath(_FORWARDED)
        owner = node.xpath(_OWNER)
        title = channel_title or (_text(owner[0]) if owner else "") or fallback_title or found[1]
        posts.append(Post(channel=found[1], channel_title=title, id=int(found[2]),
                          date=times[0].get("datetime", "") if times else "", text=text,
                          forwarded_from=_text(forwarded[0]) if forwarded else ""))
    return PreviewPage(posts, min(ids) if ids else None, skipped)


def read_preview(url: str, max_posts: int, timeout: float, max_bytes: int) -> tuple[list[Post], int]:
    """The newest ``max_posts`` posts with text reachable from ``url`` (newest first), and how many were
    skipped for having no text."""
    posts: dict[tuple[str, int], Post] = {}
    skipped = 0
    for page in _pages(url, timeout, max_bytes):
        skipped += page.without_text
        for post in reversed(page.posts):
            if len(posts) >= max_posts:
                break
            posts.setdefault((post.channel.lower(), post.id), post)
        if len(posts) >= max_posts:
            break
    return list(posts.values()), skipped


def _pages(url: str, timeout: float, max_bytes: int) -> Iterator[PreviewPage]:
    """The page at ``url``, then older ones (``?before=`` its oldest post) while they bring older posts."""
    current, before = url, None
    while True:
        fetched = fetch_page(current, timeout=timeout, max_bytes=max_bytes)
        page = parse_page(fetched.text)
        if page.oldest is None:
            if before is None:
                raise SourceError(url, "no channel posts on this page (expected a Telegram channel preview "
                                  "such as https://t.me/s/NAME)")
            return
        if before is not None and page.oldest >= before:
            return
        yield page
        before = page.oldest
        current = _before(fetched.final_url, before)


def _before(url: str, post_id: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "before"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("before", str(post_id))])))


def _text(node: lxml_html.HtmlElement) -> str:
    """The text of ``node`` with ``<br>`` as line breaks, each line's outer spaces trimmed."""
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = [" ".join(line.split()) for line in node.text_content().split("\n")]
    return "\n".join(lines).strip()
