"""JSON rendering of an Answer: exactly one object, in the documented shape."""

from __future__ import annotations

import json
from typing import Any

from bot.models import Answer, Passage

SOURCE_FIELDS = ("title", "publisher", "url", "published", "author", "path")


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


def answer_json(answer: Answer) -> dict[str, Any]:
    """``{"question", "language", "answered", "message", "results": [...]}``; results empty when not answered."""
    return {
        "question": answer.question,
        "language": answer.language,
        "answered": answer.answered,
        "message": answer.message,
        "results": [passage_json(p) for p in answer.results] if answer.answered else [],
    }


def render_json(answer: Answer) -> str:
    return json.dumps(answer_json(answer), ensure_ascii=False, indent=2)
