"""Message catalogues: GNU gettext, domain ``wayhome``, under ``bot/locale`` (``.po`` sources and the ``.mo``
files compiled from them with Babel; ``make messages`` extracts, updates and compiles them).

Source strings are English, marked in ``bot/messages.py`` with ``N_`` (or passed to ``gettext``/``ngettext``);
English itself has no catalogue: gettext's fallback returns the source strings unchanged.
"""

from __future__ import annotations

import gettext
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from bot.text.language import DEFAULT, SUPPORTED

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "wayhome"
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where the language is known."""
    return message


def supported(lang: str | None) -> str:
    """``lang`` ("ru", "ru-RU", "RU") as one of the interface languages; English for anything else."""
    short = (lang or "").split("-")[0].split("_")[0].lower()
    return short if short in SUPPORTED else DEFAULT


@lru_cache(maxsize=len(SUPPORTED))
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (source strings unchanged for English or a missing catalogue)."""
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)


def format_day(iso: str, lang: str) -> str:
    """A publication date as ``lang`` writes it ("2023-12-09" → «9 декабря 2023 г.»). English keeps the ISO
    date it always showed; partial or unparseable dates ("2023-12", "") are shown as they are."""
    found = _ISO_DAY.match(iso)
    if lang == DEFAULT or not found:
        return iso
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return iso
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=lang))
