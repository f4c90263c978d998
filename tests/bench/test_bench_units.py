"""``wayhome bench``'s measuring parts with fakes: the REPL session over a pipe, the question sets, the cold-start
schedule, and the PASS/FAIL logic of the new targets. Nothing here is timed."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.bench import cold as bench_cold
from bot.bench import naive
from bot.bench import repl as bench_repl
from bot.bench import warm as bench_warm
from bot.bench.quality import TYPED_ENDINGS, typed
from bot.bench.runner import COLD_MAX_S, Questions, percentiles, repl_checks
from bot.text.language import is_cyrillic

# A stand-in for ``wayhome repl`` reading a pipe: every line gets a reply and a blank line, then a flush. Answers
# hold blank lines and arrive in two writes, as a real reply may; an unknown command gets one fixed line.
FAKE_REPL = r"""
import sys, time
for line in sys.stdin:
    line = line.rstrip("\n")
    if line == "/quit":
        break
    if line.startswith("/"):
        print("Unknown command.")
    elif line == "die":
        sys.exit(3)
    else:
        sys.stdout.write("1. first passage about " + line + "\n\n")
        sys.stdout.flush()
        time.sleep(0.01)
        print("2. second passage")
    print()
    sys.stdout.flush()
"""


def fake_repl() -> list[str]:
    return [sys.executable, "-c", FAKE_REPL]


class FakeNaive:
    """The naive path's interface: the first passage, instantly."""

    def ask(self, question: str, k: int = 3) -> tuple[list[float], list[int]]:
        return [1.0, 0.0], [0, -1]


def test_repl_session_times_whole_replies_split_over_writes_and_blank_lines() -> None:
    with bench_repl.ReplSession(fake_repl()) as repl:
        assert repl.marker == b"Unknown command.\n\n"
        seconds = repl.ask("Who is   Maria Andreyeva?")
        assert seconds >= 0.01  # the reply's second half was waited for
        assert repl.last_reply == ("1. first passage about Who is Maria Andreyeva?\n\n2. second passage\n\n")
        repl.ask("and again")
        assert repl.last_reply.startswith("1. first passage about and again")
    assert repl.proc.returncode == 0  # /quit ended it


def test_repl_session_reports_a_repl_that_exits(monkeypatch: pytest.MonkeyPatch) -> None:
    with bench_repl.ReplSession(fake_repl()) as repl, pytest.raises(bench_repl.ReplError, match="exited"):
        repl.ask("die")


def test_repl_session_gives_up_on_a_repl_that_never_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_repl, "START_TIMEOUT_S", 0.5)
    silent = [sys.executable, "-c", "import time; time.sleep(30)"]
    with pytest.raises(bench_repl.ReplError, match="no complete reply"):
        bench_repl.ReplSession(silent).close()


def test_repl_queries_alternates_two_repls_and_times_no_warm_up_question() -> None:
    questions = [f"question {i}" for i in range(20)]
    result = bench_warm.repl_queries(fake_repl(), fake_repl(), {}, questions, russian=["вопрос"], warmup=3)
    assert result["repl"]["n"] == result["naive"]["n"] == 17 and result["repl_ru"]["n"] == 1
    assert 0.01 <= result["repl"]["p50_ms"] / 1000 <= result["repl"]["p95_ms"] / 1000 < 5


def test_the_naive_repl_answers_each_line_with_passages_and_commands_with_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("who is she\n/wayhome_bench_sentinel\n/quit\nnever read\n"))
    naive.repl(FakeNaive(), ["Maria Andreyeva is an activist.", "Other."])  # type: ignore[arg-type]
    assert capsys.readouterr().out == "1. Maria Andreyeva is an activist.\n\nUnknown command.\n\n"


def test_questions_are_english_clean_and_typed_pairs_and_samples_alternate(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("".join(f"- question: Question number {i}?\n  expected: [x]\n" for i in range(30))
                                     + "- question: Кто такая Мария Андреева?\n  expected: [x]\n")
    questions = Questions.load(tmp_path, quick=False)
    assert len(questions.english) == 60 and questions.russian == ["Кто такая Мария Андреева?"]
    assert questions.english[:2] == ["Question number 0?", f"Question number 0? {TYPED_ENDINGS[0]}"]
    assert questions.clean == [f"Question number {i}?" for i in range(30)]
    sample = questions.sample(6)
    assert len(sample) == len(set(sample)) == 6
    assert [s.endswith("?") for s in sample] == [True, False] * 3  # clean, typed, clean…
    assert len(Questions.load(tmp_path, quick=True).english) == 16


def test_typed_variants_append_everyday_words_some_misspelt() -> None:
    variants = typed(["Who is Olga Katz?"] * len(TYPED_ENDINGS))
    assert all(v.startswith("Who is Olga Katz? ") for v in variants)
    assert any("realy" in v for v in variants) and any("becuase" in v for v in variants)
    assert is_cyrillic("Кто такая?") and not is_cyrillic("Who is she?")


def test_cold_times_runs_every_question_once_and_the_naive_script_spread_among_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[list[str]] = []
    monkeypatch.setattr(bench_cold, "timed_run", lambda command, env: runs.append(command) or 0.5)
    settings = type("S", (), {"index_dir": Path("/i"), "corpus_dir": Path("/c"), "embedding_model": "m"})()
    times = bench_cold.cold_times(settings, [f"q{i}" for i in range(12)], naive_runs=3)
    assert len(times["wayhome"]) == 12 and len(times["naive"]) == 3
    asked = [c[-1] for c in runs if "ask" in c]
    assert asked == ["q0", *[f"q{i}" for i in range(12)]]  # one untimed warm-up run first
    naive = [c[-1] for c in runs if "bot.bench.naive" in c]
    assert naive == ["q0", "q4", "q8"]


def test_repl_check_passes_at_a_third_of_the_naive_path_and_reports_russian_when_measured() -> None:
    def figures(ours: float, theirs: float) -> dict[str, dict[str, float]]:
        return {"repl": {"p50_ms": ours, "p95_ms": ours * 2, "n": 10.0},
                "naive": {"p50_ms": theirs, "p95_ms": theirs, "n": 10.0}}

    assert repl_checks(figures(7.0, 21.0))[0].passed
    assert not repl_checks(figures(8.0, 21.0))[0].passed
    assert "PASS" in repl_checks(figures(7.0, 21.0))[0].line()
    with_ru = repl_checks({**figures(7.0, 21.0), "repl_ru": {"p50_ms": 31.0, "p95_ms": 40.0, "n": 5.0}})
    assert [c.name for c in with_ru] == ["warm REPL", "warm REPL, Russian"] and not with_ru[1].passed
    assert percentiles([1.0, 2.0, 3.0]) == (2.0, pytest.approx(2.9)) and COLD_MAX_S == 1.0
