"""Helpers several test packages share (the CLI as a subprocess, index snapshots, small vocabularies)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, run_cli

from bot.search.vocabulary import Vocabulary
from bot.settings import Settings
from bot.text.lexicon import Lexicon
from bot.text.normalize import keyword_tokens

FAKE = {"WAYHOME_EMBEDDING_MODEL": "fake:64"}
QUESTION = "How many followers does the Way Home channel have?"
RU_ARTICLE = ROOT / "tests" / "fixtures" / "ru" / "zheny-piket-ru.md"
WORDFREQ = Lexicon()  # general English from wordfreq itself, as for an index built without its table
CORPUS_WORDS = ("olga tsukanova followers channel telegram withdraw withdrawal mobilization conscripts men put domoi "
                "way home theater square vernyom rebyat 617000 troops war peace world negotiations").split()


def cli(corpus: Path, index: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "--corpus", str(corpus), "--index", str(index), env=FAKE, input=input)


def tree(index_dir: Path) -> dict[str, str]:
    """Every file (sha256), folder and link (target) under the index folder, except the lock file."""
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(index_dir):
        for name in dirs + files:
            path = Path(root) / name
            rel = str(path.relative_to(index_dir))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[rel] = "folder"
            elif name != ".lock":
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def vocabulary(*corpus_words: str) -> Vocabulary:
    """A corpus vocabulary of ``corpus_words`` (default ``CORPUS_WORDS``): each in 3 of 40 documents."""
    stems = {w: keyword_tokens(w)[0] for w in corpus_words or CORPUS_WORDS}
    return Vocabulary(df={s: 3 for s in stems.values()}, docs=40, words=stems, lexicon=WORDFREQ)


def ru_corpus(work: Path) -> Path:
    """A new corpus folder in ``work`` holding one Russian article (``RU_ARTICLE``)."""
    corpus = work / "corpus"
    corpus.mkdir()
    shutil.copy(RU_ARTICLE, corpus)
    return corpus


def ru_corpus_settings(work: Path, **values: object) -> Settings:
    """Settings for ``ru_corpus(work)`` with index and state in ``work`` and the fake encoder; ``values`` add to
    them."""
    return Settings(corpus_dir=ru_corpus(work), index_dir=work / "index", data_dir=work / "data",
                    embedding_model="fake:64", _env_file=None, **values)  # type: ignore[call-arg]
