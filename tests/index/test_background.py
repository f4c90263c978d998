"""Background names and a question's focus (no model): what a question asks once Moscow and Putin are set aside."""

from __future__ import annotations

from bot.answer.relevance import Thresholds, is_relevant
from bot.index.background import background_names
from bot.models import Chunk
from bot.search.focus import focus_text
from bot.search.hybrid import Hit, SearchResult
from bot.text.names import DENSE_NAME


def _chunk(path: str, text: str) -> Chunk:
    return Chunk(chunk_id=f"{path}#0", article_path=path, start=0, end=len(text), paragraph=0, text=text)


ARTICLES = {
    "a.md": "Women gathered in Moscow on Saturday. They asked Vladimir Putin to bring the men home from Ukraine. "
            "Olga Katz spoke. The Way Home movement grew.",
    "b.md": "Police in Moscow detained them. A spokesman for Putin said the Kremlin had no comment. The Way Home "
            "said nothing. In Moscow the women laid flowers.",
    "c.md": "In Novosibirsk the mothers met the governor; the Kremlin and Putin were not named. Moscow was far away.",
}


def test_background_names_are_capitalised_names_most_articles_mention() -> None:
    names = background_names([_chunk(path, text) for path, text in ARTICLES.items()])
    assert names == ["kremlin", "moscow", "putin"]  # in two or three of three articles, always capitalised
    # not: Olga Katz, Novosibirsk, Ukraine (one article each); "women" (lower case); Way Home (the movement)
    long_read = [_chunk("d.md", f"Passage {n} of a long read on the war in Russia and its Olga.") for n in range(3)]
    assert "russia" in background_names([_chunk(p, t) for p, t in ARTICLES.items()] + long_read)  # 3 of 6 passages


def test_the_focus_of_a_question_leaves_out_background_names_only() -> None:
    names = frozenset({"moscow", "putin", "russian", "vladimir"})
    assert focus_text("How many people live in Moscow?", names) == "How many people live in ?"
    assert focus_text("How tall is Vladimir Putin?", names) == "How tall is ?"
    assert focus_text("What share of Russians is afraid?", names) == "What share of is afraid?"
    assert focus_text("Who is Olga Katz?", names) is None  # nothing to set aside: no second encoding
    assert focus_text(f"Is {DENSE_NAME} in Moscow?", names) == f"Is {DENSE_NAME} in ?"
    assert focus_text("How many people live in Moscow?", frozenset()) is None


def test_a_question_naming_background_names_needs_a_match_without_them() -> None:
    rel = Thresholds(min_evidence=0.6, min_focus=0.45, focus_coverage_weight=0.5)
    strong = SearchResult([Hit(0, 0.5, 1.0, 0.5, focus=0.3)], query=None)  # type: ignore[arg-type]
    assert is_relevant(strong, rel)  # not focused: the focus is not looked at
    strong.focused = True
    assert is_relevant(strong, rel)  # 0.3 + 0.5 * 0.5 = 0.55: the rest of the question matches too
    weak = SearchResult([Hit(0, 0.5, 1.0, 0.5, focus=0.1)], query=None,  # type: ignore[arg-type]
                        focused=True)
    assert not is_relevant(weak, rel)  # only "Moscow" matched: 0.1 + 0.25 < 0.45


def test_words_in_a_passage_the_encoder_finds_unrelated_are_no_evidence() -> None:
    rel = Thresholds(min_evidence=0.69, min_cosine=0.15)
    result = SearchResult([Hit(0, -0.001, 1.0, 0.864)], query=None)  # type: ignore[arg-type]
    assert not is_relevant(result, rel)  # "my internet is not working" vs. an article mentioning the internet
    result.hits = [Hit(0, 0.2, 1.0, 0.864)]
    assert is_relevant(result, rel)
