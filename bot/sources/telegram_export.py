"""Telegram Desktop exports ("Export chat history", JSON) of a channel, read as a stream.

Takes: the path of a ``result.json`` and the channel's username (the export does not contain it). Gives: an
``Export`` — the channel's title, type and id — whose ``posts()`` yields one ``Post`` per message with text
(service messages and posts without text are counted, not yielded), reading the file with ijson so memory stays
bounded whatever its size. Exports of anything but a channel (a personal chat, a group, a whole account) are
refused before a post is read: they hold other people's private messages. Invalid JSON raises a SourceError
naming the file, wherever in the file it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from bot.sources.channel_writer import Post, username
from bot.sources.fetch import SourceError

CHANNEL_TYPES = {"public_channel", "private_channel"}
CHAT_KINDS = {"personal_chat": "a personal chat", "bot_chat": "a chat with a bot", "saved_messages":
              "Saved Messages", "private_group": "a group", "private_supergroup": "a group",
              "public_supergroup": "a group"}
_HEADER = ("name", "type", "id")


@dataclass
class Export:
    """A channel export being read; ``service`` and ``without_text`` count what ``posts()`` skipped."""

    path: Path
    title: str
    channel: str
    service: int = 0
    without_text: int = 0

    def posts(self) -> Iterator[Post]:
        with _open(self.path) as handle:
            try:
                for message in ijson.items(handle, "messages.item"):
                    post = self._post(message)
                    if post is not None:
                        yield post
            except ijson.JSONError as exc:
                raise SourceError(str(self.path), f"is not valid JSON ({_reason(exc)})") from None

    def _post(self, message: Any) -> Post | None:
        if not isinstance(message, dict) or message.get("type") != "message":
            self.service += 1
            return None
        text = flatten(message.get("text", ""))
        if not text.strip() or not isinstance(message.get("id"), int):
            self.without_text += 1
            return None
        forwarded = message.get("forwarded_from")
        return Post(channel=self.channel, channel_title=self.title, id=message["id"], date=str(message.get("date", "")),
                    text=text, forwarded_from=forwarded if isinstance(forwarded, str) else "")


def flatten(text: Any) -> str:
    """A message's ``text`` as plain text: a string as it is; a list of strings and entity objects joined, each
    object by its ``text`` (a link keeps the words it shows)."""
    if isinstance(text, str):
        return text
    if not isinstance(text, list):
        return ""
    parts = [part if isinstance(part, str) else str(part.get("text", "")) if isinstance(part, dict) else ""
             for part in text]
    return "".join(parts)


def open_export(path: Path, channel_username: str | None) -> Export:
    """Check that ``path`` is an export of a channel (reading only up to its messages) and return it."""
    header = _header(path)
    if "chats" in header or "personal_information" in header:
        raise SourceError(str(path), "is an export of a whole Telegram account; export one channel's history "
                          "instead (only channels are imported)")
    kind = header.get("type")
    if not isinstance(kind, str) or "messages" not in header:
        raise SourceError(str(path), "is not a Telegram Desktop chat export (no 'type' and 'messages')")
    if kind not in CHANNEL_TYPES:
        what = CHAT_KINDS.get(kind, f"a '{kind}' chat")
        raise SourceError(str(path), f"is an export of {what}, not of a channel; refused, nothing was written "
                          "(only channels are imported: other chats hold people's private messages)")
    title = header.get("name") if isinstance(header.get("name"), str) else ""
    if channel_username:
        channel = username(channel_username)
    elif isinstance(header.get("id"), int):
        channel = f"c/{header['id']}"
    else:
        raise SourceError(str(path), "names no channel id: give --channel-username NAME")
    return Export(path, str(title), channel)


def _header(path: Path) -> dict[str, Any]:
    """The top-level scalars of the export (and which keys it has), without reading the messages into memory."""
    found: dict[str, Any] = {}
    with _open(path) as handle:
        try:
            for prefix, event, value in ijson.parse(handle):
                if "." in prefix or not prefix:
                    if prefix == "" and event != "start_map" and event != "map_key" and event != "end_map":
                        raise SourceError(str(path), "is not a Telegram Desktop chat export (not a JSON object)")
                    continue
                if event in ("start_array", "start_map"):
                    found.setdefault(prefix, None)
                elif event not in ("end_array", "end_map"):
                    found[prefix] = value
                if all(key in found for key in (*_HEADER, "messages")):
                    break
        except ijson.JSONError as exc:
            raise SourceError(str(path), f"is not valid JSON ({_reason(exc)})") from None
    return found


def _open(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise SourceError(str(path), "no such file") from None
    except OSError as exc:
        raise SourceError(str(path), f"cannot be read: {exc.strerror}") from None


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__
