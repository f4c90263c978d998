"""Live reload for the running bot: notice a new index on disk and swap it in without a restart.

Takes: the bot's ``Engine``. Gives: ``start_watching`` / ``stop_watching`` for the application's post-init and
post-stop hooks. Every ``POLL_S`` seconds a worker thread checks which build ``<index_dir>/current`` points to
(any ``wayhome index build``, ``wayhome add`` or ``/add`` swaps it) and, when it changed, loads it and swaps it
in with ``Engine.reload`` — the event loop never waits for the load, questions in flight finish on the old
index. A new index that cannot be loaded is reported once; the bot keeps answering from the old one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from telegram.ext import Application

from bot.engine import Engine
from bot.models import Source

log = logging.getLogger(__name__)

POLL_S = 2.0
TASK_KEY = "wayhome.reload"
Announce = Callable[[list[Source]], Awaitable[None]]  # told the articles a reload brought in


async def reload_now(engine: Engine, announce: Announce | None = None) -> bool:
    """Swap in the live index if it changed (off the event loop); False, with a warning, when it cannot. The
    articles the swap brought in (not in the index before) go to ``announce``, once, by whichever call swapped."""
    before = {source.path for source in engine.sources()}
    try:
        swapped = await asyncio.to_thread(engine.reload)
    except Exception as exc:  # a corrupt or incompatible build: keep serving the one loaded
        log.warning("a new index is on disk but cannot be loaded (%s); still answering from the previous one",
                    exc)
        return False
    new = [source for source in engine.sources() if source.path not in before] if swapped else []
    if new and announce is not None:
        await announce(new)
    return swapped


async def watch_index(engine: Engine, interval: float = POLL_S, announce: Announce | None = None) -> None:
    """Poll for a new index forever (until cancelled)."""
    while True:
        await asyncio.sleep(interval)
        await reload_now(engine, announce)


def start_watching(application: Application, engine: Engine,  # type: ignore[type-arg]
                   announce: Announce | None = None) -> None:
    application.bot_data[TASK_KEY] = asyncio.create_task(watch_index(engine, announce=announce),
                                                         name="wayhome-index-reload")


async def stop_watching(application: Application) -> None:  # type: ignore[type-arg]
    task = application.bot_data.pop(TASK_KEY, None)
    if isinstance(task, asyncio.Task):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
