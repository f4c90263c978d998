"""A corpus full of hostile files, through the real CLI: the build stops with one line naming a bad file;
``--skip-bad`` indexes the good ones (BOM, CRLF, scripted and broken HTML included) and names the rest (HTML
nested deeper than the parser reads included)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli
from support import FAKE, QUESTION, cli, tree

pytestmark = pytest.mark.slow  # starts processes

GOOD = {
    "bom-crlf.md": "\ufeff---\r\ntitle: BOM and CRLF\r\nurl: https://bom.example/a\r\n---\r\nThe vigil in Omsk "
                   "gathered forty women.\r\n\r\nThey carried white scarves.\r\n".encode(),
    "scripted.html": b"<html><head><title>Scripted</title><script>alert('x')</script></head><body><nav>Menu</nav>"
                     b"<article><p>Women in Tomsk wrote to the governor.</p><script>evil()</script></article></body>",
    "broken.html": b"<html><body><p>Mothers in Kazan met a deputy.<p>He promised nothing</table></div>",
}
BAD = {
    "binary.md": bytes(range(256)) * 8,
    "front.md": b"---\ntitle: [unclosed\n---\nBody text.",
    "latin1.txt": "Caf\xe9.".encode("latin-1"),
    "nested.html": ("<html><body>" + "<div>" * 10_000 + "<p>Relatives in Perm held a picket.</p>" + "</div>" * 10_000
                    + "</body></html>").encode(),
}


def test_hostile_corpus_through_the_cli(corpus_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    assert cli(corpus_dir, index, "index", "build").returncode == 0
    before = tree(index)
    for name, content in {**GOOD, **BAD}.items():
        (corpus_dir / name).write_bytes(content)
    with open(corpus_dir / "huge.txt", "wb") as handle:
        handle.truncate(50 * 2**20)
    outside = tmp_path / "outside.md"
    outside.write_text("SECRET text outside the corpus folder.")
    (corpus_dir / "link.md").symlink_to(outside)
    os.mkfifo(corpus_dir / "pipe.md")

    failed = cli(corpus_dir, index, "index", "build")
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr.strip() == "wayhome: error: binary.md: looks like a binary file (contains NUL bytes), not a text article"
    assert tree(index) == before

    built = cli(corpus_dir, index, "index", "build", "--skip-bad")
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"{2 + len(GOOD)} articles: {len(GOOD)} embedded, 2 reused, 0 removed")
    for name, problem in [("binary.md", "binary"), ("front.md", "malformed YAML"), ("latin1.txt", "not valid UTF-8"),
                          ("huge.txt", "50.0 MB"), ("link.md", "outside the corpus folder; refused"),
                          ("pipe.md", "not a regular file"), ("nested.html", "article body is empty")]:
        assert f"warning: {name}: " in built.stderr and problem in built.stderr, name
    assert "Traceback" not in built.stderr

    answer = run_cli("ask", "--json", "Who held a picket in Perm?", "--corpus", str(corpus_dir), "--index", str(index),
                     env=FAKE)
    assert answer.returncode == 0 and "SECRET" not in answer.stdout
    status = cli(corpus_dir, index, "index", "status").stdout
    assert "stale: no" in status, "skipped files do not make the index look stale"


def test_ask_rebuilds_a_corrupt_index(corpus_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    assert cli(corpus_dir, index, "index", "build").returncode == 0
    faiss_file = index / "current" / "dense.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    result = cli(corpus_dir, index, "ask", QUESTION)
    assert result.returncode == 0 and "37,000 followers" in result.stdout
    assert "dense.faiss: index file is corrupt" in result.stderr and "rebuilding" in result.stderr
    assert "Traceback" not in result.stderr
