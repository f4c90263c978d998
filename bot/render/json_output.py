"""JSON rendering of an Answer: exactly one object, in the documented shape."""

from __future__ import annotations

import json
from typing import Any

from bot.models import Answer, Passage
from bot.render.notices import notice_text

SOURCE_FIELDS = ("title", "publisher", "url", "published", "author", "path", "forwarded_from")


def passage_json(passage: Passage) -> dict[str, Any]:
    return {
        "rank": passage.rank,
        "score": passage.score,
        "text": passage.text,
        "highlight": passage.highlight,
        "source": passage.source.model_dump(include=set(SOURCE_FIELDS)),
        "chunk_id": passage.chunk_id,
        "also_in": [s.model_dump(include=set(SOURCE_FIELDS)) for s in passage.also_in],
    }


def answer_json(answer: Answer, lang: str = "en") -> dict[str, Any]:
    """``{"question", "language", "answered", "message", "results": [...]}``; results empty when not answered;
    "message" is the answer's notice in interface language ``lang`` ("" when it has none)."""
    return {
        "question": answer.question,
        "language": answer.language,
        "answered": answer.answered,
        "message": notice_text(answer.notice, lang),
        "results": [passage_json(p) for p in answer.results] if answer.answered else [],
    }


def render_json(answer: Answer, lang: str = "en") -> str:
    return json.dumps(answer_json(answer, lang), ensure_ascii=False, indent=2)
