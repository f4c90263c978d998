"""``wayhome eval``: retrieval quality on YAML question sets, through the same path as ``wayhome ask``.

A question file is a YAML list; each item has ``question`` and one of ``expected`` (substrings, any of which
in a returned passage is a hit), ``article`` (a returned passage from that article, or citing it in
``also_in``, is a hit) or ``offtopic: true`` (the bot must refuse); ``passage_language`` optionally names the
language of the articles that answer it (else it is read from the index: the language of the articles whose
text holds an expected string). Figures: hit@1, hit@3, MRR over the on-topic questions, the refusal rate over
the off-topic ones, and the false-refusal rate over the on-topic ones — per file, per question language, per
(question language → article language) pair and in total, with every miss listed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.errors import WayhomeError

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.index.status import Notify
    from bot.models import Answer, Passage
    from bot.settings import Settings

DEPTH = 10  # passages looked at for MRR
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})


@dataclass(frozen=True)
class EvalItem:
    """One question and what counts as a correct answer to it."""

    question: str
    expected: tuple[str, ...] = ()
    article: str = ""
    offtopic: bool = False
    file: str = ""
    passage_language: str = ""  # the language of the articles that answer it ("" = found in the index)


@dataclass
class Outcome:
    """What the engine did with one item: refused, or the rank (1-based) of the first hit (0 = none)."""

    item: EvalItem
    answered: bool
    rank: int
    top: str = ""
    language: str = "en"  # the question's language, as the bot detected it
    passage_language: str = ""  # the language of the articles that answer it ("" for off-topic items)


@dataclass
class Metrics:
    """The figures for a group of outcomes."""

    on_topic: int = 0
    off_topic: int = 0
    hit_at_1: float = 0.0
    hit_at_3: float = 0.0
    mrr: float = 0.0
    offtopic_refused: float = 0.0
    ontopic_refused: float = 0.0
    misses: list[dict[str, Any]] = field(default_factory=list)


def matchable(text: str) -> str:
    """Text as compared: NFKC, typographic quotes made plain, whitespace runs collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def _item(raw: Any, path: Path, number: int) -> EvalItem:
    where = f"{path}: item {number}"
    if not isinstance(raw, dict) or not isinstance(raw.get("question"), str) or not raw["question"].strip():
        raise WayhomeError(f"{where}: needs a non-empty 'question'")
    expected = raw.get("expected", [])
    expected = [expected] if isinstance(expected, str) else expected
    if not isinstance(expected, list) or not all(isinstance(e, str) and e.strip() for e in expected):
        raise WayhomeError(f"{where}: 'expected' must be a string or a list of strings")
    item = EvalItem(raw["question"], tuple(expected), str(raw.get("article") or ""), bool(raw.get("offtopic")),
                    path.name, str(raw.get("passage_language") or ""))
    if item.offtopic == bool(item.expected or item.article):
        raise WayhomeError(f"{where}: give 'expected' or 'article' for on-topic items, or 'offtopic: true'")
    return item


def load_items(paths: list[Path]) -> list[EvalItem]:
    """Items of the given YAML files (or of every ``*.yaml`` in a given folder)."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    items: list[EvalItem] = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise WayhomeError(f"{file}: cannot read question file ({exc})") from None
        if not isinstance(data, list):
            raise WayhomeError(f"{file}: a question file must be a YAML list")
        items.extend(_item(raw, file, n) for n, raw in enumerate(data, 1))
    if not items:
        raise WayhomeError(f"{', '.join(map(str, paths))}: no questions found (*.yaml)")
    return items


def is_hit(item: EvalItem, passage: Passage) -> bool:
    """Does this passage answer the item?"""
    if item.article:
        paths = {passage.source.path, *(s.path for s in passage.also_in)}
        if item.article in paths:
            return True
    text = matchable(passage.text)
    return any(matchable(e) in text for e in item.expected)


def judge(item: EvalItem, answer: Answer) -> Outcome:
    """Rank of the first passage that answers ``item`` in ``answer`` (results, then /more)."""
    passages = [*answer.results, *answer.more][:DEPTH] if answer.answered else []
    rank = next((n for n, p in enumerate(passages, 1) if not item.offtopic and is_hit(item, p)), 0)
    top = passages[0].text if passages else ""
    return Outcome(item, answer.answered, rank, re.sub(r"\s+", " ", top)[:90], answer.language)


def run(engine: Engine, items: list[EvalItem]) -> list[Outcome]:
    """Ask every question, as ``wayhome ask`` would."""
    outcomes = [judge(item, engine.ask(item.question, k=3)) for item in items]
    where = answer_languages(engine)
    for outcome in outcomes:
        outcome.passage_language = where(outcome.item)
    return outcomes


def answer_languages(engine: Engine) -> Callable[[EvalItem], str]:
    """For an item, the language of the articles that answer it: given, the ``article``'s, or that of every
    article whose text holds an expected string ("mixed" when they differ, "?" when none does)."""
    data = engine.data
    language = {path: entry.language or "en" for path, entry in (data.manifest.articles or {}).items()}
    texts = [(language.get(c.article_path, "en"), matchable(c.text)) for c in data.chunks]

    def find(item: EvalItem) -> str:
        if item.offtopic or item.passage_language:
            return item.passage_language
        if item.article:
            return language.get(item.article, "?")
        found = {lang for lang, text in texts if any(matchable(e) in text for e in item.expected)}
        return found.pop() if len(found) == 1 else "mixed" if found else "?"

    return find


def _miss(o: Outcome) -> dict[str, Any]:
    if o.item.offtopic:
        why = "answered an off-topic question"
    elif not o.answered:
        why = "refused an on-topic question"
    else:
        why = f"first hit at rank {o.rank}" if o.rank else "no hit in the results"
    want = list(o.item.expected) + ([o.item.article] if o.item.article else [])
    return {"file": o.item.file, "question": o.item.question, "problem": why, "expected": want, "top": o.top}


def share(part: float, total: int) -> float:
    """``part / total`` rounded to 4 places; 0 for an empty group."""
    return round(part / total, 4) if total else 0.0


def metrics(outcomes: list[Outcome]) -> Metrics:
    """Figures over ``outcomes``; a miss is any on-topic item not hit at rank 1, or an off-topic one answered."""
    on = [o for o in outcomes if not o.item.offtopic]
    off = [o for o in outcomes if o.item.offtopic]
    misses = [_miss(o) for o in outcomes if (o.answered if o.item.offtopic else o.rank != 1)]
    return Metrics(
        on_topic=len(on), off_topic=len(off),
        hit_at_1=share(sum(o.rank == 1 for o in on), len(on)),
        hit_at_3=share(sum(1 <= o.rank <= 3 for o in on), len(on)),
        mrr=share(sum(1 / o.rank for o in on if o.rank), len(on)),
        offtopic_refused=share(sum(not o.answered for o in off), len(off)),
        ontopic_refused=share(sum(not o.answered for o in on), len(on)),
        misses=misses)


def report(outcomes: list[Outcome]) -> dict[str, Any]:
    """Totals, per-file figures and misses as one JSON-able object."""
    files = sorted({o.item.file for o in outcomes})
    per_file = {name: asdict(metrics([o for o in outcomes if o.item.file == name])) for name in files}
    for figures in per_file.values():
        del figures["misses"]
    languages = {lang: asdict(metrics([o for o in outcomes if o.language == lang]))
                 for lang in sorted({o.language for o in outcomes})}
    pairs = {f"{q}→{a}": asdict(metrics([o for o in outcomes if (o.language, o.passage_language) == (q, a)]))
             for q, a in sorted({(o.language, o.passage_language) for o in outcomes if not o.item.offtopic})}
    for figures in [*languages.values(), *pairs.values()]:
        del figures["misses"]
    total = asdict(metrics(outcomes))
    misses = total.pop("misses")
    return {"total": total, "languages": languages, "pairs": pairs, "files": per_file, "misses": misses}


def format_report(data: dict[str, Any]) -> str:
    """A fixed-width table, then the misses."""
    head = f"{'set':<22}{'on':>5}{'off':>5}{'hit@1':>8}{'hit@3':>8}{'MRR':>8}{'off refused':>13}{'on refused':>12}"
    rows = [head]
    by_language = [(f"TOTAL {lang}", m) for lang, m in data.get("languages", {}).items()]
    by_pair = [(f"PAIR {pair}", m) for pair, m in data.get("pairs", {}).items()]
    for name, m in [*data["files"].items(), *by_language, *by_pair, ("TOTAL", data["total"])]:
        rows.append(f"{name:<22}{m['on_topic']:>5}{m['off_topic']:>5}{m['hit_at_1']:>8.3f}{m['hit_at_3']:>8.3f}"
                    f"{m['mrr']:>8.3f}{m['offtopic_refused']:>13.1%}{m['ontopic_refused']:>12.1%}")
    rows.append(f"\nmisses ({len(data['misses'])}):" if data["misses"] else "\nmisses: none")
    for miss in data["misses"]:
        rows.append(f"- [{miss['file']}] {miss['question']!r}: {miss['problem']}; expected {miss['expected']}"
                    + (f"; top: {miss['top']!r}" if miss["top"] else ""))
    return "\n".join(rows)


def evaluate(engine: Engine, paths: list[Path]) -> dict[str, Any]:
    """Load the question files and run them; the report object."""
    return report(run(engine, load_items(paths)))


def compare(engine: Engine, paths: list[Path]) -> dict[str, Any]:
    """Total figures of every fusion method on the same questions (the engine's method is restored)."""
    from bot.search.fusion import FUSIONS

    items = load_items(paths)
    chosen = engine.searcher.fusion
    figures: dict[str, Any] = {}
    try:
        for method in FUSIONS:
            engine.searcher.fusion = method
            total = asdict(metrics(run(engine, items)))
            total["misses"] = len(total["misses"])
            figures[method] = total
    finally:
        engine.searcher.fusion = chosen
    return {"default": chosen, "fusions": figures}


def format_compare(data: dict[str, Any]) -> str:
    """One row per fusion method; the default one is starred."""
    rows = [f"{'fusion':<12}{'hit@1':>8}{'hit@3':>8}{'MRR':>8}{'off refused':>13}{'on refused':>12}{'misses':>8}"]
    for method, m in data["fusions"].items():
        name = method + (" *" if method == data["default"] else "")
        rows.append(f"{name:<12}{m['hit_at_1']:>8.3f}{m['hit_at_3']:>8.3f}{m['mrr']:>8.3f}"
                    f"{m['offtopic_refused']:>13.1%}{m['ontopic_refused']:>12.1%}{m['misses']:>8}")
    return "\n".join(rows)


def eval_output(settings: Settings, eval_dir: Path, as_json: bool = False, fusions: bool = False,
                notify: Notify | None = None) -> str:
    """What ``wayhome eval [--json] [--set DIR] [--compare]`` prints: the report on the question files in
    ``eval_dir`` (or, with ``fusions``, every fusion method's totals), as a table or JSON. Building the index
    is told to ``notify`` (default: the log)."""
    from bot.engine import Engine
    from bot.index.status import log_notes

    engine = Engine.open(settings, notify=notify or log_notes)
    if fusions:
        data = compare(engine, [eval_dir])
        return json.dumps(data, indent=2) if as_json else format_compare(data)
    data = evaluate(engine, [eval_dir])
    return json.dumps(data, ensure_ascii=False, indent=2) if as_json else format_report(data)
