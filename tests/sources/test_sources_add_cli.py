"""``wayhome add`` as a user runs it: what it prints and its exit status (subprocesses, fake encoder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from pytest_httpserver import HTTPServer
from test_sources_add import IRKUTSK, OMSK, feed, news_page

pytestmark = pytest.mark.slow


def wayhome(*args: str, corpus: Path, index: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args, "--corpus", str(corpus), "--index", str(index)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "WAYHOME_EMBEDDING_MODEL": "fake:64"})


def test_add_by_url_and_feed_prints_one_line_per_article_and_exits_2_on_failure(
        corpus_dir: Path, tmp_path: Path, httpserver: HTTPServer) -> None:
    index = tmp_path / "index"
    httpserver.expect_request("/irkutsk").respond_with_data(news_page("Irkutsk wives knit scarves", IRKUTSK),
                                                            content_type="text/html")
    httpserver.expect_request("/omsk").respond_with_data(news_page("Omsk mothers hold a vigil", OMSK, date="2024-04-18"),
                                                         content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    httpserver.expect_request("/feed").respond_with_data(feed(("I", "/irkutsk"), ("O", "/omsk")),
                                                         content_type="application/rss+xml")
    url = httpserver.url_for("/irkutsk")
    file = corpus_dir / "2024-04-11-irkutsk-wives-knit-scarves.md"

    added = wayhome("add", url, corpus=corpus_dir, index=index)
    assert added.returncode == 0, added.stderr
    lines = added.stdout.splitlines()
    assert lines[0] == f"added {file}: Irkutsk wives knit scarves | Siberian Courier | 2024-04-11"
    assert lines[1].startswith("index: 3 articles: 3 embedded, 0 reused, 0 removed (") and len(lines) == 2

    again = wayhome("add", url, corpus=corpus_dir, index=index)
    assert again.returncode == 0 and again.stdout == f"already in the corpus: {file} ({url}: same URL)\n"

    before = sorted(p.name for p in corpus_dir.iterdir())
    failed = wayhome("add", httpserver.url_for("/omsk"), httpserver.url_for("/gone"), corpus=corpus_dir, index=index)
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr.splitlines() == [f"wayhome: error: {httpserver.url_for('/gone')}: HTTP 404",
                                          "wayhome: nothing was added (corpus and index unchanged)"]
    assert sorted(p.name for p in corpus_dir.iterdir()) == before

    dry = wayhome("add", "--feed", httpserver.url_for("/feed"), "--dry-run", corpus=corpus_dir, index=index)
    omsk = corpus_dir / "2024-04-18-omsk-mothers-hold-a-vigil.md"
    assert dry.returncode == 0 and dry.stdout.splitlines() == [
        f"already in the corpus: {file} ({url}: same URL)",
        f"would add {omsk}: Omsk mothers hold a vigil | Siberian Courier | 2024-04-18"]
    assert not omsk.exists()
    real = wayhome("add", "--feed", httpserver.url_for("/feed"), corpus=corpus_dir, index=index)
    assert real.returncode == 0 and omsk.is_file()
    assert f"added {omsk}: Omsk mothers hold a vigil | Siberian Courier | 2024-04-18" in real.stdout

    nothing = wayhome("add", corpus=corpus_dir, index=index)
    assert nothing.returncode == 2 and "nothing to add" in nothing.stderr
