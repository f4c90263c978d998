"""Links into the bot: ``t.me/<bot>?start=<payload>`` asks a question, ``t.me/<bot>?startgroup=group`` adds the
bot to a group.

A start payload may hold at most 64 of ``A-Z a-z 0-9 _ -``, so a question travels base64url-encoded (no padding)
behind a two-letter prefix: ``q-`` for UTF-8, or ``r-`` for Windows-1251, which spends one byte per Cyrillic
letter instead of two — a Russian question of up to 46 characters fits. Older links that spell the question
with ``_`` for spaces (``?start=Who_is_Maria_Andreyeva``) still work.
"""

from __future__ import annotations

import base64
import binascii

MAX_PAYLOAD = 64
UTF8, CP1251 = "q-", "r-"
GROUP_PAYLOAD = "group"  # the startgroup link's payload: the greeting on joining says hello already
_CODECS = {UTF8: "utf-8", CP1251: "cp1251"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def question_payload(question: str) -> str | None:
    """The shortest start payload for ``question``, or None when it cannot fit in 64 characters."""
    candidates = []
    for prefix, codec in _CODECS.items():
        try:
            candidates.append(prefix + _b64(question.strip().encode(codec)))
        except UnicodeEncodeError:
            continue
    fitting = [c for c in candidates if len(c) <= MAX_PAYLOAD]
    return min(fitting, key=len) if fitting else None


def payload_question(payload: str) -> str:
    """The question a start payload carries (an old ``Who_is_X`` payload: its words)."""
    codec = _CODECS.get(payload[:2])
    if codec is not None:
        body = payload[2:]
        try:
            found = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
            if found:
                return found.decode(codec).strip()
        except (binascii.Error, ValueError):
            pass
    return payload.replace("_", " ").strip()


def ask_link(username: str, question: str) -> str | None:
    """``https://t.me/<bot>?start=…`` that asks ``question`` (None when it is too long for a link)."""
    payload = question_payload(question)
    return f"https://t.me/{username}?start={payload}" if payload else None


def group_link(username: str) -> str:
    """``https://t.me/<bot>?startgroup=group``: choose a group and add the bot to it."""
    return f"https://t.me/{username}?startgroup={GROUP_PAYLOAD}"
