"""The warm path as users feel it, for ``wayhome bench``: a REPL process (``wayhome repl``, or the naive one) fed
questions through a pipe, each timed from writing the line to reading the last byte of its printed reply.

A REPL prints each reply followed by a blank line and flushes, but a reply may itself hold blank lines, so once
the output ends with one, a sentinel line follows — an unknown command, answered at once with a fixed text (learnt
at start-up, so it follows whatever ``bot/messages.py`` says). The question's reply is complete when the sentinel's
reply has arrived after it; its timing ends when the last byte before the sentinel's reply had arrived.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
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
        self.marker = b""
        self._send(SENTINEL)
        data, _ = self._read_until(b"\n\n", START_TIMEOUT_S)
        self.marker = bytes(data)
        self.last_reply = ""

    def _send(self, line: str) -> None:
        try:
            self._in.write((line + "\n").encode("utf-8"))
            self._in.flush()
        except BrokenPipeError:
            raise ReplError(f"the REPL exited ({self.proc.wait()})") from None

    def _read_until(self, end: bytes, timeout: float, data: bytearray | None = None,
                    arrivals: list[tuple[int, float]] | None = None) -> tuple[bytearray, list[tuple[int, float]]]:
        """Read output (onto ``data``) until it ends with ``end``, noting when each part arrived (bytes so far,
        time)."""
        data = bytearray() if data is None else data
        arrivals = [] if arrivals is None else arrivals
        deadline = time.monotonic() + timeout
        while not (data and data.endswith(end)):
            left = deadline - time.monotonic()
            if left <= 0:
                raise ReplError(f"no complete reply within {timeout:.0f} s (got {bytes(data[-200:])!r})")
            ready, _, _ = select.select([self._out], [], [], left)
            if ready:
                chunk = os.read(self._out, 65536)
                if not chunk:
                    raise ReplError(f"the REPL exited ({self.proc.wait()}) before replying")
                data += chunk
                arrivals.append((len(data), time.perf_counter()))
        return data, arrivals

    def ask(self, question: str) -> float:
        """Send ``question`` (one line); seconds until its reply was printed (``last_reply`` holds it). The
        sentinel goes out once the output looks complete (ends with a blank line), so the REPL is not answering
        it while the reply is read; its reply then shows where the question's reply ended."""
        line = " ".join(question.split())
        start = time.perf_counter()
        self._send(line)
        data, arrivals = self._read_until(b"\n\n", ANSWER_TIMEOUT_S)
        self._send(SENTINEL)
        self._read_until(self.marker, ANSWER_TIMEOUT_S, data, arrivals)
        reply = len(data) - len(self.marker)
        self.last_reply = data[:reply].decode("utf-8", errors="replace")
        return next(at for size, at in arrivals if size >= reply) - start

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
