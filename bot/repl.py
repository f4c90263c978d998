"""``wayhome repl``: the bot's conversation core in a terminal (line editing and history) or a pipe."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from .conversation import Conversation
from .engine import Engine
from .settings import Settings

PROMPT = "wayhome> "
CHAT = "repl"


def _setup_readline() -> None:
    try:
        import readline
    except ImportError:  # pragma: no cover - not on every platform
        return
    history = Path.home() / ".wayhome_history"
    with contextlib.suppress(OSError):
        readline.read_history_file(history)
    import atexit

    atexit.register(lambda: _save_history(readline, history))


def _save_history(readline, history: Path) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(OSError):
        readline.write_history_file(history)


def render(conversation: Conversation, line: str, telegram: bool, bold: bool) -> str:
    """One input line → the rendered reply (terminal text, or the exact Telegram HTML messages)."""
    reply = conversation.handle(CHAT, line)
    if telegram:
        from .render_telegram import render_reply as render_html

        return "\n\n".join(render_html(reply))
    from .render_text import render_reply

    return render_reply(reply, bold=bold)


def run_repl(settings: Settings, telegram: bool = False, skip_bad: bool = False) -> int:
    """Read questions until /quit or end of input; exit 0."""
    interactive = sys.stdin.isatty()
    conversation = Conversation(Engine.open(settings, skip_bad=skip_bad))
    if interactive:
        _setup_readline()
        print(render(conversation, "/start", telegram, bold=True))
        print("Type a question, /help, /sources, /more, or /quit.\n")
    while True:
        try:
            line = input(PROMPT) if interactive else sys.stdin.readline()
        except EOFError:
            break
        if not interactive and line == "":
            break
        line = line.rstrip("\n")
        if line.strip() in ("/quit", "/exit"):
            break
        if not line.strip() and not interactive:
            continue
        print(render(conversation, line, telegram, bold=interactive and not telegram))
        print()
        sys.stdout.flush()
    return 0
