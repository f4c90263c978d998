"""The message catalogues: the .pot matches the code, every message has a Russian translation, the committed
.mo is what the .po compiles to, and ``messages.get`` serves them (plurals and dates in Russian)."""

from __future__ import annotations

import re
import tomllib
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from bot import messages
from bot.i18n import DOMAIN, LOCALE_DIR, format_day, supported

ROOT = Path(__file__).resolve().parents[2]
POT = LOCALE_DIR / f"{DOMAIN}.pot"
PO = LOCALE_DIR / "ru" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")
FIELD = re.compile(r"\{[a-z_]*\}")
FIX = "run `make messages`, translate what is new in bot/locale/ru/LC_MESSAGES/wayhome.po, and `make messages` again"


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="ru" if path == PO else None)


def _messages(catalog: Catalog) -> dict[object, object]:
    """msgid (a tuple for plurals) → translation, without the header."""
    def hashable(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {hashable(m.id): hashable(m.string) for m in catalog if m.id}


def test_the_template_holds_exactly_the_strings_marked_in_the_code() -> None:
    in_code = {(m[2] if isinstance(m[2], str) else m[2][0]) for m in extract_from_dir(str(ROOT / "bot"))}
    in_pot = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(POT) if m.id}
    assert in_code == in_pot, f"bot/locale/wayhome.pot is out of date: {FIX}"


def test_every_message_has_a_russian_translation_with_the_same_fields() -> None:
    po = _catalog(PO)
    assert set(_messages(po)) == set(_messages(_catalog(POT))), f"the .po lacks messages of the .pot: {FIX}"
    for message in po:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert not message.fuzzy, f"fuzzy translation of {message.id!r}: {FIX}"
        assert len(strings) == (3 if message.pluralizable else 1) and all(strings), f"untranslated: {message.id!r}"
        source = message.id if isinstance(message.id, str) else message.id[0]
        for string in strings:
            assert set(FIELD.findall(string)) == set(FIELD.findall(source)), (message.id, string)


def test_the_committed_mo_is_what_the_po_compiles_to() -> None:
    compiled = BytesIO()
    write_mo(compiled, _catalog(PO))
    compiled.seek(0)
    with MO.open("rb") as handle:
        committed = read_mo(handle)
    assert _messages(committed) == _messages(read_mo(compiled)), f"wayhome.mo is stale: {FIX}"
    assert committed.plural_forms == _catalog(PO).plural_forms


def test_the_catalogues_ship_with_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bot"]
    assert "locale/*/LC_MESSAGES/*.mo" in patterns and "locale/*/LC_MESSAGES/*.po" in patterns


def test_russian_texts_are_all_translated_and_english_is_the_source() -> None:
    en, ru = messages.get("en"), messages.get("ru")
    assert en.NOT_FOUND == messages.NOT_FOUND and en.EXAMPLES == messages.EXAMPLES
    assert ru.UNTITLED == "Статья без названия" and ru.PUBLISHER_UNKNOWN == "издание не указано"
    assert ru.DATE_UNKNOWN == "дата не указана" and "Путь домой" in ru.START_INTRO
    assert "Кто такая Мария Андреева?" in ru.EXAMPLES
    for name in ("HELP_LINES", "USAGE", "NOT_FOUND", "MORE_BUTTON", "ERROR", "NOT_TEXT", "EXPIRED"):
        assert getattr(ru, name) != getattr(en, name), name
    assert [c for c, _ in ru.COMMANDS] == [c for c, _ in en.COMMANDS]
    assert [c for c, _ in ru.GROUP_COMMANDS] == [c for c, _ in en.GROUP_COMMANDS]


@pytest.mark.parametrize(("n", "seconds", "characters"), [
    (1, "1 секунду", "первый 1 символ"), (2, "2 секунды", "первые 2 символа"), (4, "4 секунды", "первые 4 символа"),
    (5, "5 секунд", "первые 5 символов"), (11, "11 секунд", "первые 11 символов"),
    (21, "21 секунду", "первый 21 символ"), (1000, "1000 секунд", "первые 1000 символов")])
def test_seconds_and_characters_take_russian_plural_forms(n: int, seconds: str, characters: str) -> None:
    ru, en = messages.get("ru"), messages.get("en")
    assert ru.rate_limited(n).endswith(f"через {seconds}.") and characters in ru.trimmed(n)
    assert en.rate_limited(1).endswith("in 1 second.") and en.rate_limited(n if n > 1 else 2).endswith("seconds.")
    assert en.trimmed(1000).endswith("first 1000 characters.")


def test_russian_texts_use_russian_quotes_nested_the_russian_way_and_no_transliteration() -> None:
    """«…» outside, „…“ inside; no English quotes; the movement's Latin name means nothing to a Russian reader."""
    for message in _catalog(PO):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in (s for s in strings if s):
            assert "Put' Domoi" not in string and "”" not in string and '"' not in string, string
            depth = 0
            for char in string:
                if char in "«„":
                    assert (char == "«") == (depth == 0), f"{string!r}: «…» outside, „…“ inside"
                    depth += 1
                elif char in "»“":
                    assert (char == "»") == (depth == 1), f"{string!r}: quotes closed in the wrong order"
                    depth -= 1
            assert depth == 0, string


@pytest.mark.parametrize("code,expected", [("ru", "ru"), ("ru-RU", "ru"), ("RU", "ru"), ("en-GB", "en"),
                                           ("de", "en"), ("", "en"), (None, "en")])
def test_language_codes_map_to_the_interface_languages(code: str | None, expected: str) -> None:
    assert supported(code) == expected and messages.get(code).lang == expected


@pytest.mark.parametrize("n,word", [(1, "статью"), (2, "статьи"), (4, "статьи"), (5, "статей"), (11, "статей"),
                                    (12, "статей"), (21, "статью"), (22, "статьи"), (111, "статей")])
def test_russian_corpus_line_has_plural_forms_and_russian_dates(n: int, word: str) -> None:
    line = messages.get("ru").corpus_line(n, "2023-12-09", "2024-02-03")
    assert line == f"Я знаю {n} {word}, " + line.split(", ", 1)[1]
    assert line.endswith("с 9 декабря 2023\u202fг. по 3 февраля 2024\u202fг.")  # CLDR's narrow no-break space


def test_english_corpus_line_is_unchanged() -> None:
    assert messages.corpus_line(2, "2023-12-09", "2024-02-03") == "I know 2 articles, published 2023-12-09 to 2024-02-03."
    assert messages.corpus_line(1, "2023-12-09", "2023-12-09") == "I know 1 article, published 2023-12-09."
    assert messages.corpus_line(0, "", "") == "I know 0 articles."
    assert messages.get("ru").corpus_line(3, "", "") == "Я знаю 3 статьи."


def test_dates_in_russian_and_partial_dates_as_they_are() -> None:
    assert format_day("2023-12-09", "ru") == "9 декабря 2023\u202fг."
    assert format_day("2023-12-09", "en") == "2023-12-09"
    for odd in ("2023-12", "2023", "2023-02-30", ""):
        assert format_day(odd, "ru") == odd
