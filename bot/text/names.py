"""Names in running text: the movement's own name as people write it, words as name patterns see them, and
whether a capitalised word merely opens a sentence. Shared by query analysis and the corpus's background names.
"""

from __future__ import annotations

# The movement's name as people type it — "Put' Domoi", "Put Domoy", "Путь домой" all fold to "put domoi" — and
# its English name. A question naming it either way searches both; for coverage the name is one concept.
NAME_FORMS = (("put", "domoi"), ("way", "home"))
DENSE_NAME = "Put' Domoi (The Way Home)"
WORD = r"[^\W\d_][\w'\u2019-]*"  # a word as names are written: letters first, then letters, apostrophes, hyphens
MONTHS = ("January February March April May June July August September October November December").split()
SENTENCE_OPENERS = ".!?\"'\u201c\u00ab(:"  # a capitalised word after one of these may just open a sentence


def opens_sentence(text: str, start: int, openers: str = SENTENCE_OPENERS) -> bool:
    """Does the word at ``start`` open a sentence: only whitespace before it, or one of ``openers`` (found by
    stepping back over whitespace, without copying the text)?"""
    at = start - 1
    while at >= 0 and text[at].isspace():
        at -= 1
    return at < 0 or text[at] in openers
