"""The warm path as users feel it, for ``wayhome bench``: a real ``wayhome repl`` process fed questions through a
pipe, each timed from writing the line to reading the whole printed reply.

The REPL prints each reply followed by a blank line and flushes, but a reply may itself hold blank lines, so
every question is followed by a sentinel line — an unknown command, answered at once with a fixed text (learnt
at start-up, so it follows whatever ``bot/texts.py`` says): the question's reply is complete when the
sentinel's reply has arrived after it. The sentinel adds well under 0.1 ms to each timing.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Callable
from types import TracebackType

SENTINEL = "/wayhome_bench_sentinel"
START_TIMEOUT_S = 300.0  # a stale index is rebuilt first
ANSWER_TIMEOUT_S = 60.0


class ReplError(RuntimeError):
    """The REPL process exited, or did not answer in time."""


class ReplSession:
    """One running REPL process; ``ask`` returns the seconds until a question's reply was printed in full."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, bufsize=0)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in, self._out = self.proc.stdin, self.proc.stdout.fileno()
        self._send(SENTINEL)
        self.marker = self._read_until(lambda text: text.endswith("\n\n"), START_TIMEOUT_S)
        self.last_reply = ""

    def _send(self, line: str) -> None:
        try:
            self._in.write((line + "\n").encode("utf-8"))
            self._in.flush()
        except BrokenPipeError:
            raise ReplError(f"the REPL exited ({self.proc.wait()})") from None

    def _read_until(self, done: Callable[[str], bool], timeout: float) -> str:
        """The output from now until ``done`` holds for the text read so far."""
        data = bytearray()
        deadline = time.monotonic() + timeout
        while True:
            text = data.decode("utf-8", errors="replace")
            if data and done(text):
                return text
            left = deadline - time.monotonic()
            if left <= 0:
                raise ReplError(f"no complete reply within {timeout:.0f} s (got {text[-200:]!r})")
            ready, _, _ = select.select([self._out], [], [], left)
            if ready:
                chunk = os.read(self._out, 65536)
                if not chunk:
                    raise ReplError(f"the REPL exited ({self.proc.wait()}) before replying")
                data += chunk

    def ask(self, question: str) -> float:
        """Send ``question`` (one line); seconds until its reply was printed (``last_reply`` holds it)."""
        line = " ".join(question.split())
        start = time.perf_counter()
        self._send(line)
        self._send(SENTINEL)
        text = self._read_until(lambda t: t.endswith(self.marker), ANSWER_TIMEOUT_S)
        elapsed = time.perf_counter() - start
        self.last_reply = text[: -len(self.marker)]
        return elapsed

    def close(self) -> None:
        """End the session (``/quit``), killing the process if it does not exit."""
        if self.proc.poll() is None:
            try:
                self._send("/quit")
                self._in.close()
                self.proc.wait(timeout=10)
            except (ReplError, OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def __enter__(self) -> ReplSession:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
