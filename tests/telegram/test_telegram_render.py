"""Telegram HTML rendering: the validator itself, and property tests that any passage, source and question
render to valid Telegram HTML (allowed tags, balanced, escaped, ≤4096 characters, <100 entities)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram_html_validator import problems, visible_text

from bot.conversation import Conversation
from bot.engine import Engine
from bot.models import Answer, Kind, Passage, Reply, Source
from bot.render.telegram_html import clean, render_answer, render_reply, render_sources
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
wild_text = st.one_of(any_text, st.text(alphabet="<>&\"'/ab;#x\n\x00\ud800😀", max_size=200),
                      st.text(min_size=4000, max_size=6000, alphabet="a &<😀"))
sources = st.builds(Source, title=any_text, publisher=any_text, published=any_text, path=any_text,
                    url=st.one_of(any_text, st.just("https://example.org/a?b=1&c=\"<x>\""), st.just("")))


@st.composite
def passages(draw: st.DrawFn, rank: int = 1) -> Passage:
    text = draw(wild_text.filter(lambda t: t.strip()))
    start = draw(st.integers(0, len(text)))
    highlight = text[start: draw(st.integers(start, len(text)))] if draw(st.booleans()) else draw(any_text)
    also = draw(st.lists(sources, max_size=8))
    return Passage(rank=rank, score=1.0, text=text, highlight=highlight, source=draw(sources),
                   chunk_id=f"c{rank}", also_in=also)


def assert_all_valid(messages: list[str]) -> None:
    assert messages
    for message in messages:
        assert problems(message) == [], message[:500]


@pytest.mark.parametrize("bad", ["<div>x</div>", "a < b", "a & b", "<b>open", "<b><i>x</b></i>", "",
                                 "<blockquote><blockquote>x</blockquote></blockquote>", "<a>no href</a>",
                                 "x" * 4097, "<b>a</b>" * 100, "lone \ud800", "<code><b>x</b></code>",
                                 '<span class="other">x</span>', "<br/>", "&nbsp;"])
def test_validator_rejects_what_telegram_refuses(bad: str) -> None:
    assert problems(bad), bad


@pytest.mark.parametrize("good", ["<b>a</b> &amp; <i>b</i> &lt;3 &#128512;", '<a href="https://x.org/?a=1&amp;b=2">t</a>',
                                  "<blockquote expandable>q <b>best</b></blockquote>\n[1] cite",
                                  '<pre><code class="language-python">x</code></pre>', "😀" * 2048,
                                  '<tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">s</span>'])
def test_validator_accepts_valid_telegram_html(good: str) -> None:
    assert problems(good) == []


@settings(max_examples=150)
@given(passage=passages())
def test_any_passage_renders_to_valid_html(passage: Passage) -> None:
    answer = Answer(question="q", answered=True, results=[passage])
    messages = render_answer(answer)
    assert_all_valid(messages)
    shown = visible_text("\n".join(messages))
    assert clean(passage.text)[:100].strip() in shown  # the quote is verbatim (control characters aside)


@settings(max_examples=60)
@given(many=st.lists(passages(), min_size=1, max_size=12), trimmed=st.booleans())
def test_long_answers_split_on_passage_boundaries(many: list[Passage], trimmed: bool) -> None:
    ranked = [p.model_copy(update={"rank": i}) for i, p in enumerate(many, 1)]
    messages = render_answer(Answer(question="q", answered=True, results=ranked, trimmed=trimmed))
    assert_all_valid(messages)
    everything = "\n".join(messages)
    for passage in ranked:
        assert everything.count(f"\n[{passage.rank}] ") == 1
    for message in messages:
        assert message.count("<blockquote") == message.count("</blockquote>")


@settings(max_examples=60)
@given(listed=st.lists(sources, max_size=150))
def test_any_source_list_renders_to_valid_html(listed: list[Source]) -> None:
    assert_all_valid(render_sources(listed))


@pytest.mark.parametrize("kind", [Kind.HELP, Kind.USAGE, Kind.NO_MORE, Kind.UNKNOWN_COMMAND, Kind.START])
def test_fixed_replies_are_valid(kind: Kind) -> None:
    assert_all_valid(render_reply(Reply(kind)))


@pytest.fixture(scope="module")
def conversation(tmp_path_factory: pytest.TempPathFactory) -> Conversation:
    work = tmp_path_factory.mktemp("render")
    shutil.copytree(ROOT / "corpus", work / "corpus")
    settings_ = Settings(corpus_dir=work / "corpus", index_dir=work / "index", embedding_model="fake:64",
                         _env_file=None)  # type: ignore[call-arg]
    return Conversation(Engine.open(settings_))


@settings(max_examples=120, suppress_health_check=[*settings().suppress_health_check, HealthCheck.function_scoped_fixture])
@given(question=st.one_of(wild_text, st.sampled_from(["Who is Maria Andreyeva?", "/start", "/sources", "/more",
                                                      "/ask", "/ask protests & <b>police</b>", "/nope"])))
def test_any_question_renders_to_valid_html(conversation: Conversation, question: str) -> None:
    assert_all_valid(render_reply(conversation.handle("prop", question), 1000))
