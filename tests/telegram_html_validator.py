"""A strict validator for one Telegram HTML message (``parse_mode=HTML``).

``problems(html)`` lists everything Telegram would refuse or mangle, and is stricter than Telegram where that
keeps the bot safe: only the documented tags, attributes in double quotes, every ``<``, ``>`` and ``&`` of text
escaped, tags balanced and properly nested, no nested ``<blockquote>`` or ``<a>``, nothing inside ``<code>`` or
``<pre>`` except ``<code class="language-…">`` directly in ``<pre>``, non-empty text of at most 4096 UTF-16 code
units after entity parsing, fewer than 100 entities, valid UTF-8 (no lone surrogates). An empty list means valid.
"""

from __future__ import annotations

import html
import re

MAX_TEXT = 4096
MAX_ENTITIES = 100
ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote",
           "tg-spoiler", "span"}
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z][A-Za-z0-9-]*(?:=\"[^\"<>]*\")?)*)\s*(/?)>")
ATTR = re.compile(r"([A-Za-z][A-Za-z0-9-]*)(?:=\"([^\"<>]*)\")?")
ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _attribute_problems(name: str, attrs: dict[str, str | None], parent: str | None) -> list[str]:
    """Attributes each tag may carry."""
    found: list[str] = []
    if name == "a":
        href = attrs.pop("href", None)
        if not href:
            found.append("<a> without href")
    elif name == "blockquote":
        if "expandable" in attrs and attrs.pop("expandable") is not None:
            found.append("<blockquote expandable> takes no value")
    elif name == "span":
        if attrs.pop("class", None) != "tg-spoiler":
            found.append('<span> without class="tg-spoiler"')
    elif name == "code" and "class" in attrs:
        cls = attrs.pop("class") or ""
        if parent != "pre" or not cls.startswith("language-"):
            found.append('<code class> is only allowed as <pre><code class="language-…">')
    found += [f"<{name}> has unsupported attribute {key!r}" for key in attrs]
    return found


def _nesting_problems(name: str, stack: list[str]) -> list[str]:
    """Telegram's nesting rules for an opening tag inside ``stack``."""
    found: list[str] = []
    if name == "blockquote" and "blockquote" in stack:
        found.append("nested <blockquote>")
    if name == "a" and "a" in stack:
        found.append("nested <a>")
    inner = stack[-1] if stack else None
    if inner == "code" or (inner == "pre" and name != "code"):
        found.append(f"<{name}> inside <{inner}>")
    if name == "pre" and stack and stack[-1] in ("code", "pre"):
        found.append("<pre> inside code")
    return found


def _open_tag(name: str, raw_attrs: str, stack: list[str]) -> list[str]:
    if name not in ALLOWED:
        return [f"unsupported tag <{name}>"]
    attrs = {m.group(1).lower(): m.group(2) for m in ATTR.finditer(raw_attrs)}
    return _nesting_problems(name, stack) + _attribute_problems(name, attrs, stack[-1] if stack else None)


def _close_tag(name: str, stack: list[str]) -> list[str]:
    if not stack:
        return [f"closing </{name}> without opening tag"]
    if stack[-1] != name:
        return [f"closing </{name}> does not match open <{stack[-1]}>"]
    stack.pop()
    return []


def _scan(text: str) -> tuple[list[str], str, int]:
    """Walk the message: problems, the visible text, and the number of entities."""
    found: list[str] = []
    visible: list[str] = []
    stack: list[str] = []
    entities = 0
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = TAG.match(text, pos)
            if match is None:
                found.append(f"unescaped '<' at {pos}")
                pos += 1
                continue
            closing, name, raw_attrs, selfclose = match.group(1), match.group(2).lower(), match.group(3), match.group(4)
            if selfclose:
                found.append(f"self-closing <{name}/>")
            elif closing:
                found += _close_tag(name, stack) if not raw_attrs.strip() else [f"</{name}> with attributes"]
            else:
                found += _open_tag(name, raw_attrs, stack)
                stack.append(name)
                entities += 1
            pos = match.end()
        elif char == "&":
            match = ENTITY.match(text, pos)
            if match is None:
                found.append(f"unescaped '&' at {pos}")
                pos += 1
                continue
            visible.append(html.unescape(match.group(0)))
            pos = match.end()
        else:
            if char == ">":
                found.append(f"unescaped '>' at {pos}")
            visible.append(char)
            pos += 1
    found += [f"unclosed <{name}>" for name in reversed(stack)]
    return found, "".join(visible), entities


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def problems(html_text: str) -> list[str]:
    """Everything wrong with one Telegram HTML message; an empty list when it is valid."""
    found: list[str] = []
    try:
        html_text.encode("utf-8")
    except UnicodeEncodeError:
        found.append("not valid UTF-8 (lone surrogate)")
    if "\x00" in html_text:
        found.append("NUL character")
    scan_problems, visible, entities = _scan(html_text)
    found += scan_problems
    if not visible.strip():
        found.append("empty text")
    if utf16_len(visible) > MAX_TEXT:
        found.append(f"text is {utf16_len(visible)} UTF-16 units (limit {MAX_TEXT})")
    if entities >= MAX_ENTITIES:
        found.append(f"{entities} entities (limit {MAX_ENTITIES - 1})")
    return found


def visible_text(html_text: str) -> str:
    """The text a user sees (tags removed, entities decoded)."""
    return _scan(html_text)[1]
