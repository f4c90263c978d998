"""Background names (no model): the capitalised names most articles mention, such as Moscow and Putin."""

from __future__ import annotations

from bot.index.background import background_names
from bot.models import Chunk


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
