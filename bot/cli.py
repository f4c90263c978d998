"""The ``wayhome`` command line. It only parses arguments and calls the library (imports are lazy, so
``--help`` is instant and the query path never imports torch)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the environment/.env, overridden by --corpus/--index."""
    from bot.settings import Settings

    overrides = {}
    if getattr(args, "corpus", None):
        overrides["corpus_dir"] = Path(args.corpus)
    if getattr(args, "index", None):
        overrides["index_dir"] = Path(args.index)
    return Settings(**overrides)  # type: ignore[arg-type]


def cmd_index_build(args: argparse.Namespace) -> int:
    from bot.index.build import build_index

    report = build_index(settings_from(args), force=args.force, skip_bad=args.skip_bad, wait=not args.no_wait)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    return 0


def cmd_index_status(args: argparse.Namespace) -> int:
    from bot.index.status import status

    st = status(settings_from(args))
    print(json.dumps(st.__dict__, indent=2) if args.json else st.summary())
    return 0


def say(line: str) -> None:
    """What the library reports while it works (building the index…), on stderr."""
    print(f"wayhome: {line}", file=sys.stderr)


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.engine import Engine
    from bot.render.json_output import render_json
    from bot.render.terminal import render_answer
    from bot.text.language import interface_language

    engine = Engine.open(settings_from(args), skip_bad=args.skip_bad, notify=say)
    answer = engine.ask(args.question, k=args.k)
    lang = interface_language(_lang(args), answer.language)  # --lang, else the question's language
    if args.json:
        print(render_json(answer, lang))
    else:
        print(render_answer(answer, bold=sys.stdout.isatty(), lang=lang))
    return 0


def _lang(args: argparse.Namespace) -> str | None:
    """--lang: the interface language, or None for "auto" (each question's own)."""
    value: str = getattr(args, "lang", "auto") or "auto"
    return None if value == "auto" else value


def cmd_repl(args: argparse.Namespace) -> int:
    from bot.repl import run_repl

    return run_repl(settings_from(args), telegram=args.telegram, skip_bad=args.skip_bad, lang=_lang(args), notify=say)


def cmd_bot(args: argparse.Namespace) -> int:
    from bot.telegram.app import main as bot_main

    return bot_main(settings_from(args), skip_bad=args.skip_bad, notify=say)


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation.harness import eval_output

    print(eval_output(settings_from(args), Path(args.eval_dir or "tests/eval"), args.json, args.compare, notify=say))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.bench.runner import bench_output

    output = bench_output(settings_from(args), args)
    print(output.text)
    return 0 if output.passed else 1


def cmd_add(args: argparse.Namespace) -> int:
    from bot.errors import WayhomeError
    from bot.render.labels import added_line
    from bot.sources.add import add_articles
    from bot.sources.channels import channel_inputs

    if not args.inputs and not args.feed:
        raise WayhomeError("nothing to add: give one or more URLs or paths, or --feed URL")
    if channel_inputs(args.inputs, args.feed):
        from bot.render.labels import channel_report_lines
        from bot.sources.channels import add_channels

        channels = add_channels(settings_from(args), args.inputs, args.channel_username, args.max_posts, args.dry_run)
        print("\n".join(channel_report_lines(channels, limit=None if args.dry_run else 50)))
        return 0
    report = add_articles(settings_from(args), args.inputs, feed=args.feed, dry_run=args.dry_run)
    for failure in report.failures:
        print(f"wayhome: error: {failure.line()}", file=sys.stderr)
    for skipped in report.skipped:
        print(f"wayhome: warning: skipped {skipped.line()}", file=sys.stderr)
    for duplicate in report.duplicates:
        print(duplicate.line())
    for added in report.added:
        print(("would add " if report.dry_run else "added ") + added_line(added))
    if report.index is not None:
        print(f"index: {report.index.summary()}")
    if not report.ok:
        print("wayhome: nothing was added (corpus and index unchanged)", file=sys.stderr)
    return 0 if report.ok else 2


def _export(args: argparse.Namespace, what: str) -> int:
    """Votes or kept questions as CSV, to a file or standard output."""
    from bot.state.setup import open_state

    with open_state(settings_from(args)) as store:
        write = store.export_csv if what == "votes" else store.export_questions
        if args.csv == "-":
            count = write(sys.stdout)
        else:
            with open(args.csv, "w", encoding="utf-8", newline="") as out:
                count = write(out)
    print(f"wayhome: {count} {what} exported", file=sys.stderr)
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    return _export(args, "votes")


def cmd_questions_export(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    status = _export(args, "questions")
    if not settings.keep_questions:
        print("wayhome: question texts are not being kept (set WAYHOME_KEEP_QUESTIONS=1 to keep them)",
              file=sys.stderr)
    return status


def cmd_state_rotate_key(args: argparse.Namespace) -> int:
    from bot.state.setup import open_state

    with open_state(settings_from(args)) as store:
        unlinked = store.rotate_key()
    print(f"wayhome: new state key in {store.path.parent}; {unlinked} votes can no longer be told apart",
          file=sys.stderr)
    return 0


def _csv_export(sub: argparse._SubParsersAction, text: str,  # type: ignore[type-arg]
                func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """An ``export --csv [FILE]`` command."""
    export: argparse.ArgumentParser = sub.add_parser("export", help=text)
    export.add_argument("--csv", nargs="?", const="-", required=True, metavar="FILE",
                        help="as CSV, to FILE (default: standard output)")
    export.set_defaults(func=func)
    return export


def _state_commands(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:  # type: ignore[type-arg]
    """``questions export`` and ``state rotate-key``."""
    questions = sub.add_parser("questions", help="the question texts kept when WAYHOME_KEEP_QUESTIONS=1")
    qsub = questions.add_subparsers(dest="questions_command", required=True)
    export = _csv_export(qsub, "write every kept question out (day, language, answered, text)", cmd_questions_export)
    state = sub.add_parser("state", help="the bot's state file (WAYHOME_DATA_DIR/wayhome.sqlite3)")
    ssub = state.add_subparsers(dest="state_command", required=True)
    rotate = ssub.add_parser("rotate-key", help="replace the state key: past votes can no longer be told apart")
    rotate.set_defaults(func=cmd_state_rotate_key)
    return [export, rotate]


def _source_commands(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:  # type: ignore[type-arg]
    """``add`` and ``feedback export``: growing the corpus, reading the votes."""
    add = sub.add_parser("add", help="add articles by URL, feed or file, then refresh the index")
    add.add_argument("inputs", nargs="*", metavar="URL|PATH", help="news page URLs or .html/.md/.txt files")
    add.add_argument("--feed", metavar="URL", help="also add the items of this RSS/Atom feed not yet in the corpus")
    add.add_argument("--dry-run", action="store_true", help="only list what would be added (or replaced)")
    add.add_argument("--channel-username", metavar="NAME", help="a Telegram export's channel: links t.me/NAME/ID")
    add.add_argument("--max-posts", type=_positive, default=500, metavar="N", help="a channel preview: N newest posts")
    add.set_defaults(func=cmd_add)
    feedback = sub.add_parser("feedback", help="the 👍/👎 votes users gave in Telegram")
    fsub = feedback.add_subparsers(dest="feedback_command", required=True)
    export = _csv_export(fsub, "write every vote out (day, vote, language, chunk ids)", cmd_feedback_export)
    return [add, export]


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", metavar="DIR", help="corpus folder (default: WAYHOME_CORPUS_DIR or corpus/)")
    parser.add_argument("--index", metavar="DIR", help="index folder (default: WAYHOME_INDEX_DIR or index/)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wayhome", description="Cited, extractive answers about the Way Home "
                                     "(Put' Domoi) movement: Telegram bot, REPL and index tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    index = sub.add_parser("index", help="build or inspect the search index")
    isub = index.add_subparsers(dest="index_command", required=True)
    build = isub.add_parser("build", help="build or refresh the index from the corpus")
    build.add_argument("--force", action="store_true", help="re-embed everything")
    build.add_argument("--skip-bad", action="store_true", help="index the good files, warn about bad ones")
    build.add_argument("--no-wait", action="store_true", help="fail at once if another build is running")
    stat = isub.add_parser("status", help="articles, chunks, model, build time, staleness")
    stat.add_argument("--json", action="store_true")
    ask = sub.add_parser("ask", help="answer one question with quoted, cited passages")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("-k", type=_positive, default=None, help="number of passages (default WAYHOME_TOP_K)")
    repl = sub.add_parser("repl", help="ask questions interactively (same answers as the bot)")
    repl.add_argument("--telegram", action="store_true", help="print the exact Telegram HTML")
    bot = sub.add_parser("bot", help="run the Telegram bot")
    ev = sub.add_parser("eval", help="retrieval quality on the question set in tests/eval/")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--set", dest="eval_dir", default="tests/eval", help="folder of YAML question files")
    ev.add_argument("--compare", action="store_true", help="compare fusion methods (dense, keyword, rrf, ...)")
    bench = sub.add_parser("bench", help="speed against the naive path, measured in one run")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--scale", type=int, default=0, metavar="N", help="also run the synthetic scale test")
    bench.add_argument("--quick", action="store_true", help="a tiny smoke run")
    for p in _source_commands(sub) + _state_commands(sub):
        _common(p)
    for p, func in ((build, cmd_index_build), (stat, cmd_index_status), (ask, cmd_ask), (repl, cmd_repl),
                    (bot, cmd_bot), (ev, cmd_eval), (bench, cmd_bench)):
        _common(p)
        p.set_defaults(func=func)
    for p in (ask, repl, bot):
        p.add_argument("--skip-bad", action="store_true", help="when (re)building, skip bad articles")
    for p in (ask, repl):
        p.add_argument("--lang", choices=("auto", "en", "ru"), default="auto",
                       help="interface language (default: auto, the language of each question)")
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a non-UTF-8 terminal gets '?' for what it cannot show, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    func: Callable[[argparse.Namespace], int] = args.func
    from pydantic import ValidationError

    from bot.errors import WayhomeError

    try:
        return func(args)
    except WayhomeError as exc:
        print(f"wayhome: error: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        problems = "; ".join(f"WAYHOME_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        print(f"wayhome: error: bad setting ({problems}); see .env.example", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, permission denied…: one line, no traceback
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"wayhome: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
