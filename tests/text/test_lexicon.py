"""The word-frequency table stored with the index gives wordfreq's own figures, without importing wordfreq."""

from __future__ import annotations

import json
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from bot.text import lexicon

wordfreq = pytest.importorskip("wordfreq")


@pytest.fixture(scope="module")
def table() -> lexicon.Table:
    exported = lexicon.Lexicon.from_wordfreq().table
    assert exported is not None
    return exported


def stored_table() -> str:
    table = lexicon.Lexicon.from_wordfreq().table
    assert table is not None
    return json.dumps(table.to_json())


def probe_words(table: lexicon.Table) -> set[str]:
    """Every word of the table, random letter/digit strings, numbers and years, inflected and numbered words."""
    rng = random.Random(15)
    words = set(table.band)
    for _ in range(5000):
        n = rng.randint(1, 9)
        for alphabet in (string.ascii_lowercase, string.ascii_lowercase + string.digits, string.digits):
            words.add("".join(rng.choice(alphabet) for _ in range(n)))
    words |= {str(n) for n in range(0, 2200)} | {f"{n}th" for n in range(100)} | {"covid19", "g7", "ak47", "00s"}
    words |= {w + end for w in sorted(table.band)[:2000] for end in ("s", "ed", "ly", "1", "22")}
    return words


def test_table_gives_exactly_wordfreqs_zipf_frequency(table: lexicon.Table) -> None:
    words = probe_words(table)
    assert len(words) > 40_000
    wrong = [(w, table.zipf(w), wordfreq.zipf_frequency(w, "en", wordlist="small")) for w in sorted(words)
             if table.zipf(w) != wordfreq.zipf_frequency(w, "en", wordlist="small")]
    assert not wrong, wrong[:10]


def test_table_holds_the_same_everyday_words_in_the_same_order(table: lexicon.Table) -> None:
    expected = tuple(w for w in wordfreq.top_n_list("en", 10000, wordlist="small")
                     if w.isalpha() and wordfreq.zipf_frequency(w, "en", wordlist="small") >= lexicon.EVERYDAY)
    assert table.everyday == expected and len(expected) > 5000


def test_only_plain_folded_words_are_answered_from_the_table() -> None:
    assert lexicon.Table.covers("mobilization") and lexicon.Table.covers("2023") and lexicon.Table.covers("g7")
    assert not lexicon.Table.covers("don't") and not lexicon.Table.covers("Moscow") and not lexicon.Table.covers("")


def _lookups_in_a_fresh_process(build: Path) -> dict[str, object]:
    """zipf, rarity and typo lookups in a new interpreter that loaded ``build`` as an index folder would."""
    code = ("import json, sys; from pathlib import Path; from bot.text.lexicon import Lexicon; "
            f"x = Lexicon.stored_in(Path({str(build)!r})); "
            "words = ['the', 'lasagna', 'mobilization', '2023', 'xqzv', 'realy', 'becuase', 'covid19']; "
            "print(json.dumps({'zipf': [x.zipf(w) for w in words], 'typos': [x.everyday_typo(w) for w in words], "
            "'wordfreq': 'wordfreq' in sys.modules}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    answer: dict[str, object] = json.loads(result.stdout)
    return answer


def test_a_build_with_the_table_answers_without_wordfreq_and_one_without_it_the_same(tmp_path: Path) -> None:
    with_table, without = tmp_path / "new", tmp_path / "old"
    with_table.mkdir()
    without.mkdir()
    (with_table / lexicon.TABLE_FILE).write_text(stored_table())
    fast, slow = _lookups_in_a_fresh_process(with_table), _lookups_in_a_fresh_process(without)
    assert fast["wordfreq"] is False and slow["wordfreq"] is True
    assert fast["zipf"] == slow["zipf"] and fast["typos"] == slow["typos"]
    assert slow["typos"][5:7] == ["really", "because"]


def test_an_unreadable_table_falls_back_to_wordfreq(tmp_path: Path) -> None:
    (tmp_path / lexicon.TABLE_FILE).write_text('{"format": 99}')
    answer = _lookups_in_a_fresh_process(tmp_path)
    assert answer["wordfreq"] is True and answer["typos"][5] == "really"  # type: ignore[index]


def test_everyday_typo_finds_what_a_scan_of_every_everyday_word_finds(table: lexicon.Table) -> None:
    from rapidfuzz.distance import DamerauLevenshtein

    words = lexicon.Lexicon(table=table)

    def scan(word: str) -> str | None:  # the definition: the most frequent everyday word one edit away
        if len(word) < 4 or words.is_common(word):
            return None
        return next((c for c in words.everyday_words
                     if c[0] == word[0] and DamerauLevenshtein.distance(word, c) <= 1), None)

    rng = random.Random(7)
    typos = {"realy", "becuase", "freind", "movment", "andreyeva", "lasagna"}
    for word in [w for w in table.everyday if len(w) >= 4][:600]:
        i = rng.randrange(1, len(word))
        typos |= {word[:i] + word[i + 1:], word[:i] + rng.choice(string.ascii_lowercase) + word[i:],
                  word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]}
    found = {w: words.everyday_typo(w) for w in sorted(typos)}
    assert found == {w: scan(w) for w in sorted(typos)}
    assert found["realy"] == "really" and found["becuase"] == "because" and sum(map(bool, found.values())) > 500


def test_the_stored_table_reads_back_as_written(table: lexicon.Table, tmp_path: Path) -> None:
    (tmp_path / lexicon.TABLE_FILE).write_text(stored_table())
    stored = lexicon.Lexicon.stored_in(tmp_path).table
    assert stored is not None and stored.to_json() == table.to_json()
    assert stored.source.startswith("wordfreq ") and stored.band == table.band and stored.everyday == table.everyday


def test_each_index_answers_from_its_own_table_and_one_without_a_table_from_wordfreq(tmp_path: Path) -> None:
    new, old = tmp_path / "build-new", tmp_path / "build-old"
    new.mkdir()
    old.mkdir()
    (new / lexicon.TABLE_FILE).write_text(stored_table())
    code = ("import sys; from pathlib import Path; from bot.text.lexicon import Lexicon; "
            f"new, old = Lexicon.stored_in(Path({str(new)!r})), Lexicon.stored_in(Path({str(old)!r})); "
            "print(new.zipf('the'), 'wordfreq' in sys.modules, old.zipf('the'), 'wordfreq' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    the = str(wordfreq.zipf_frequency("the", "en", wordlist="small"))
    assert result.stdout.split() == [the, "False", the, "True"]


def test_the_russian_table_gives_wordfreqs_russian_figures_by_folded_word(tmp_path: Path) -> None:
    from bot.text.normalize import fold

    built = lexicon.Lexicon.from_wordfreq().russian
    assert built is not None and built.source.endswith(" ru small")
    (tmp_path / lexicon.RUSSIAN_FILE).write_text(json.dumps(built.to_json()))
    stored = lexicon.Lexicon.stored_in(tmp_path)
    assert stored.russian is not None and stored.russian.band == built.band
    words = ["что", "было", "на", "написано", "плакате", "мобилизованных", "подписчиков", "жены"]
    for word in words:  # the folded key gives the word's own figure (its most frequent homograph's, if any)
        assert abs(stored.russian.zipf(fold(word)) - wordfreq.zipf_frequency(word, "ru", wordlist="small")) < 0.02, word
    assert stored.russian_rarity("chto") == lexicon.WEIGHTS.rarity_floor < stored.rarity("chto") == 1.0
    assert stored.russian_rarity("grishkovoi") == 1.0 and 0.5 < stored.russian_rarity("napisano") < 1.0


def test_an_index_without_the_russian_table_asks_wordfreq_for_it(tmp_path: Path) -> None:
    old = lexicon.Lexicon.stored_in(tmp_path)
    assert old.russian_path is None and old.russian_rarity("bylo") == lexicon.WEIGHTS.rarity_floor
