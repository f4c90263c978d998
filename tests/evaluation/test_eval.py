"""The eval harness: question files, hit rules, figures, and ``wayhome eval`` through the CLI (fake encoder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from bot.errors import WayhomeError
from bot.evaluation.harness import EvalItem, Outcome, is_hit, judge, load_items, matchable, metrics
from bot.models import Answer, Passage, Source

pytestmark = pytest.mark.slow  # starts processes or loads the real model

FAKE = {"WAYHOME_EMBEDDING_MODEL": "fake:64"}
EVAL = Path(__file__).parents[1] / "eval"


def passage(text: str, path: str = "a.md", also: tuple[str, ...] = ()) -> Passage:
    return Passage(rank=1, score=1.0, text=text, highlight=text, source=Source(path=path),
                   chunk_id=f"{path}#0", also_in=[Source(path=p) for p in also])


def test_bundled_question_sets_are_well_formed_and_big_enough() -> None:
    items = load_items([EVAL])
    on = [i for i in items if not i.offtopic]
    assert len(on) >= 60 and len(items) - len(on) >= 20
    assert {"heldout.yaml"} <= {i.file for i in items}
    corpus = " ".join(matchable(p.read_text()) for p in (EVAL.parent.parent / "corpus").glob("*.md"))
    missing = [e for i in on for e in i.expected if matchable(e) not in corpus]
    assert not missing  # every expected substring exists in the corpus, so every question can be hit


@pytest.mark.parametrize(("content", "problem"), [
    ("- question: q\n", "give 'expected' or 'article'"),
    ("- question: q\n  expected: [a]\n  offtopic: true\n", "give 'expected' or 'article'"),
    ("- expected: [a]\n", "non-empty 'question'"),
    ("- question: q\n  expected: [1]\n", "'expected' must be"),
    ("question: q\n", "must be a YAML list"),
    ("- question: [unclosed\n", "cannot read question file"),
])
def test_malformed_question_files_are_reported_with_their_name(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "bad.yaml").write_text(content)
    with pytest.raises(WayhomeError, match=problem) as info:
        load_items([tmp_path])
    assert "bad.yaml" in str(info.value)


def test_an_empty_question_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(WayhomeError, match="no questions found"):
        load_items([tmp_path])


def test_a_hit_is_an_expected_substring_or_the_expected_article() -> None:
    item = EvalItem("q", expected=("Moscow's Theatre Square",))
    assert is_hit(item, passage("about 30 women gathered on Moscow\u2019s  Theatre\u00a0Square"))
    assert not is_hit(item, passage("Red Square"))
    by_article = EvalItem("q", article="b.md")
    assert is_hit(by_article, passage("anything", path="b.md"))
    assert is_hit(by_article, passage("anything", path="a.md", also=("b.md",)))
    assert not is_hit(by_article, passage("anything", path="a.md"))


def test_judge_ranks_results_then_more() -> None:
    item = EvalItem("q", expected=("needle",))
    answer = Answer(question="q", answered=True, results=[passage("hay"), passage("hay")],
                    more=[passage("a needle")])
    assert judge(item, answer).rank == 3
    refused = Answer(question="q", answered=False)
    outcome = judge(item, refused)
    assert outcome.rank == 0 and not outcome.answered


def test_figures_over_on_and_off_topic_outcomes() -> None:
    on = EvalItem("on", expected=("x",), file="f.yaml")
    off = EvalItem("off", offtopic=True, file="f.yaml")
    outcomes = [Outcome(on, True, 1), Outcome(on, True, 2), Outcome(on, True, 0), Outcome(on, False, 0),
                Outcome(off, False, 0), Outcome(off, True, 0)]
    m = metrics(outcomes)
    assert (m.on_topic, m.off_topic) == (4, 2)
    assert m.hit_at_1 == 0.25 and m.hit_at_3 == 0.5 and m.mrr == pytest.approx((1 + 0.5) / 4, abs=1e-4)
    assert m.offtopic_refused == 0.5 and m.ontopic_refused == 0.25
    problems = sorted(x["problem"] for x in m.misses)
    assert problems == ["answered an off-topic question", "first hit at rank 2", "no hit in the results",
                        "refused an on-topic question"]


def write_set(folder: Path) -> Path:
    folder.mkdir()
    (folder / "mini.yaml").write_text(
        "- question: Who is Olga Tsukanova?\n  expected: [\"Olga Tsukanova\"]\n"
        "- question: 617000 troops\n  expected: [\"617,000\"]\n"
        "- question: Maria Andreyeva\n  article: the-way-home-37000-followers.md\n"
        "- question: asdkjh qwpoe zmxncb\n  offtopic: true\n")
    return folder


def test_wayhome_eval_prints_the_figures_and_the_misses(tmp_path: Path, corpus_dir: Path) -> None:
    questions = write_set(tmp_path / "set")
    common = ("--set", str(questions), "--corpus", str(corpus_dir), "--index", str(tmp_path / "index"))
    result = run_cli("eval", *common, env=FAKE)
    assert result.returncode == 0, result.stderr
    assert "hit@1" in result.stdout and "mini.yaml" in result.stdout and "TOTAL" in result.stdout
    data = json.loads(run_cli("eval", "--json", *common, env=FAKE).stdout)
    assert set(data) == {"total", "languages", "pairs", "files", "misses"}
    assert data["pairs"]["en→en"]["on_topic"] == 3  # question language → language of the answering article
    assert "en" in data["languages"] and data["total"]["on_topic"] == sum(m["on_topic"] for m in data["languages"].values())
    total = data["total"]
    assert (total["on_topic"], total["off_topic"]) == (3, 1)
    assert total["hit_at_3"] == 1.0 and total["offtopic_refused"] == 1.0 and total["ontopic_refused"] == 0.0
    compared = json.loads(run_cli("eval", "--json", "--compare", *common, env=FAKE).stdout)
    assert set(compared["fusions"]) == {"dense", "keyword", "rrf", "weighted", "evidence"}
    assert compared["default"] == "evidence"


def test_wayhome_eval_reports_a_bad_question_file_in_one_line(tmp_path: Path, corpus_dir: Path) -> None:
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "broken.yaml").write_text("- nothing: here\n")
    result = run_cli("eval", "--set", str(tmp_path / "set"), "--corpus", str(corpus_dir), "--index",
                     str(tmp_path / "index"), env=FAKE)
    assert result.returncode == 2
    assert "broken.yaml" in result.stderr and "Traceback" not in result.stderr
