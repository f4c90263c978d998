"""``wayhome repl``: the bot's conversation core in a terminal (line editing and history) or a pipe.

``--lang en|ru`` fixes the interface language; without it each answer is in its question's language and the
rest (/start, /help…) in English.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from pathlib import Path

from bot import messages
from bot.conversation import Conversation
from bot.engine import Engine
from bot.index.status import Notify, log_notes
from bot.settings import Settings

log = logging.getLogger(__name__)
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


def render(conversation: Conversation, line: str, telegram: bool, bold: bool, lang: str | None = None) -> str:
    """One input line → the rendered reply (terminal text, or the exact Telegram HTML messages); ``lang``:
    the interface language, or None for each question's own."""
    reply = conversation.handle(CHAT, line, lang)
    if telegram:
        from bot.render.telegram_html import render_reply as render_html

        return "\n\n".join(render_html(reply, conversation.engine.settings.max_question_chars))
    from bot.render.terminal import render_reply

    return render_reply(reply, bold=bold)


def _read_line(interactive: bool) -> str | None:
    """The next input line without its newline, or None at end of input."""
    try:
        line = input(PROMPT) if interactive else sys.stdin.readline()
    except EOFError:
        return None
    if not interactive and line == "":
        return None
    return line.rstrip("\r\n")


def run_repl(settings: Settings, telegram: bool = False, skip_bad: bool = False, lang: str | None = None,
             notify: Notify = log_notes) -> int:
    """Answer each line until /quit or end of input. Every line of a pipe gets a reply (a blank one the usage
    hint); on a terminal an empty line is ignored. Exit status 0, or 1 if a line could not be answered."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")  # undecodable bytes become U+FFFD, never a crash
    interactive = sys.stdin.isatty()
    conversation = Conversation(Engine.open(settings, skip_bad=skip_bad, notify=notify))
    if interactive:
        _setup_readline()
        print(render(conversation, "/start", telegram, bold=True, lang=lang))
        print(messages.get(lang).REPL_HINT + "\n")
    status = 0
    while (line := _read_line(interactive)) is not None:
        if line.strip() in ("/quit", "/exit"):
            break
        if interactive and not line:
            continue
        try:
            print(render(conversation, line, telegram, bold=interactive and not telegram, lang=lang))
        except Exception as exc:  # one bad line must not end the session
            log.debug("could not answer %r", line[:80], exc_info=True)
            print(f"wayhome: error: could not answer this line ({type(exc).__name__})", file=sys.stderr)
            status = 1
        print()
        sys.stdout.flush()
    return status
