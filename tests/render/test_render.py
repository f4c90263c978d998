"""Renderers: the terminal text quotes verbatim with numbered citations; JSON has exactly the documented shape."""

from __future__ import annotations

import json

from bot import messages
from bot.models import Answer, Kind, Notice, Passage, Reply, Source
from bot.render.json_output import answer_json, render_json
from bot.render.terminal import BOLD, RESET, citation, render_answer, render_reply

DW = Source(title="Russian soldiers' wives: 'Bring them home'", publisher="DW", url="https://p.dw.com/p/4ZxFJ",
            published="2023-12-09", author="Alexey Strelnikov", path="dw.md")
SEED_002 = Source(path="the-way-home-37000-followers.md")
TEXT = ("This grassroots movement, known as \u201cThe Way Home,\u201d has gained significant traction, with over "
        "37,000 followers on its Telegram channel.\nIn September 2022, Russian President Vladimir Putin ordered a "
        "partial mobilization.")
HIGHLIGHT = TEXT.split("\n")[0]


def _answer(answered: bool = True, **changes: object) -> Answer:
    passages = [Passage(rank=1, score=1.0, text=TEXT, highlight=HIGHLIGHT, source=SEED_002, chunk_id="seed#0"),
                Passage(rank=2, score=0.8123, text="The Telegram channel \"Put' domoi\" has 30,500 users.",
                        highlight="The Telegram channel \"Put' domoi\" has 30,500 users.", source=DW, chunk_id="dw#3",
                        also_in=[SEED_002])]
    fields: dict[str, object] = {"question": "How many followers?", "answered": answered,
                                 "results": passages if answered else []}
    fields.update(changes)
    return Answer(**fields)  # type: ignore[arg-type]


def test_citation_has_number_title_publisher_date_and_link() -> None:
    assert citation(1, DW) == "[1] Russian soldiers' wives: 'Bring them home' — DW, 2023-12-09 — https://p.dw.com/p/4ZxFJ"
    assert citation(2, SEED_002) == "[2] Untitled article, publisher unknown, date unknown"
    assert citation(3, Source(title="T", url="https://x.example")) == "[3] T — publisher unknown, date unknown — https://x.example"


def test_text_quotes_each_passage_verbatim_with_its_citation() -> None:
    out = render_answer(_answer())
    quoted = "\n".join(line[2:] for line in out.split("\n\n")[0].splitlines() if line.startswith("> "))
    assert quoted == TEXT
    assert "[1] Untitled article, publisher unknown, date unknown" in out
    assert "[2] Russian soldiers' wives: 'Bring them home' — DW, 2023-12-09 — https://p.dw.com/p/4ZxFJ" in out
    assert "Also reported by: Untitled article, publisher unknown, date unknown" in out
    assert out.index("[1]") < out.index("[2]")
    assert "\033" not in out


def test_text_bold_highlight_only_on_a_terminal() -> None:
    out = render_answer(_answer(), bold=True)
    assert f"> {BOLD}{HIGHLIGHT}{RESET}" in out
    assert out.replace(BOLD, "").replace(RESET, "") == render_answer(_answer())


def test_text_not_answered_prints_the_message_only() -> None:
    answer = _answer(answered=False, notice=Notice.NOT_FOUND)
    assert render_answer(answer) == messages.NOT_FOUND
    assert render_reply(Reply(Kind.NOT_FOUND, answer=answer)) == messages.NOT_FOUND
    assert "Ask a question" in render_reply(Reply(Kind.USAGE))


def test_text_trimmed_question_says_so() -> None:
    out = render_answer(_answer(trimmed=True, notice=Notice.TRIMMED))
    assert out.startswith("Question trimmed for search.\n\n> ")


def test_json_has_exactly_the_documented_shape() -> None:
    data = json.loads(render_json(_answer()))
    assert list(data) == ["question", "language", "answered", "message", "results"]
    first = data["results"][0]
    assert list(first)[:6] == ["rank", "score", "text", "highlight", "source", "chunk_id"]
    assert set(first) - {"rank", "score", "text", "highlight", "source", "chunk_id"} <= {"also_in"}
    assert first == {**first, "rank": 1, "score": 1.0, "text": TEXT, "highlight": HIGHLIGHT, "chunk_id": "seed#0",
                     "source": {"title": "", "publisher": "", "url": "", "published": "", "author": "",
                                "path": "the-way-home-37000-followers.md", "forwarded_from": ""}}
    assert data["results"][1]["source"]["url"] == "https://p.dw.com/p/4ZxFJ"
    assert isinstance(data["results"][1]["score"], float)
    assert first["highlight"] in first["text"]


def test_json_not_answered_has_empty_results_and_a_message() -> None:
    answer = _answer(answered=False, notice=Notice.USAGE,
                     results=_answer().results)  # even if passages were attached, none are shown
    assert answer_json(answer) == {"question": "How many followers?", "language": "en", "answered": False,
                                   "message": messages.USAGE, "results": []}


def test_json_keeps_unicode_readable_and_round_trips() -> None:
    text = render_json(_answer(question="Путь домой — \u201cquotes\u201d & <b>"))
    assert "Путь домой" in text and json.loads(text)["question"] == "Путь домой — \u201cquotes\u201d & <b>"
