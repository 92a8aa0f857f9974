"""What ``kg update`` reads and keeps aside, against the real Neo4j and a loopback feed server
(issue 18, items 2, 8 and 11): a feed item naming a local file never brings that file into the
quarantine, a symbolic link out of a source folder is not followed, an oversized article is
refused without being read whole."""

from __future__ import annotations

import os
import threading
import tracemalloc
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import neo4j
import pytest

import kg.pipeline as kg_pipeline
from kg.errors import ReaderError
from kg.graph.load import apply_schema, new_run_id
from kg.limits import MB
from kg.pipeline import run_update
from kg.readers import read_article, read_articles
from kg.records import Article, ArticleExtraction
from kg.update import Sources

SECRET = b"root:$6$not-for-the-graph:19000:0:99999:7:::\n"
ARTICLE = "---\ntitle: Wang Yi meets Lavrov\ndate: 2021-03-22\n---\n\nWang Yi met Sergey Lavrov in Guilin.\n"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every source, standing for /etc/shadow."""
    path = tmp_path / "etc" / "shadow"
    path.parent.mkdir()
    path.write_bytes(SECRET)
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, neo4j_driver: neo4j.Driver, clean_db: None) -> Path:
    monkeypatch.setenv("KG_HOME", str(tmp_path / "home"))
    apply_schema(neo4j_driver)
    return tmp_path / "home"


@pytest.fixture
def feed_url(secret: Path) -> Iterator[str]:
    """A feed whose items link to the secret: one with no text, one with text."""
    items = (f"<item><link>{secret}</link></item>"
             f"<item><title>Talks</title><link>{secret}.2</link><description>Wang Yi met Lavrov.</description></item>")
    body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Evil</title>'
            f"{items}</channel></rss>").encode()
    Path(f"{secret}.2").write_bytes(SECRET)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


def _quarantined_bytes(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in folder.rglob("*") if p.is_file()]


def test_a_feed_item_linking_to_a_local_file_never_copies_it(
        neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path, feed_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(articles: Iterable[Article], workers: int = 1, tables: object = None) -> Iterator[ArticleExtraction]:
        for a in articles:  # the item with text fails extraction: kept aside as an article
            yield ArticleExtraction(article=a.meta(), errors=("extraction failed",))

    monkeypatch.setattr(kg_pipeline, "extract_many", failing)
    quarantine = tmp_path / "quarantine"
    report = run_update(neo4j_driver, Sources.parse([feed_url]), run_id=new_run_id(), quarantine_dir=quarantine)
    assert len(report.failures) == 2
    kept = _quarantined_bytes(quarantine)
    assert kept and not any(SECRET.strip() in b for b in kept)
    items = sorted(quarantine.rglob("item.json"))
    assert len(items) == 2  # each item kept as the feed gave it
    assert any(b"Wang Yi met Lavrov" in p.read_bytes() for p in items)


def test_a_symlink_out_of_a_source_folder_is_not_followed(
        neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.md").write_text(ARTICLE, encoding="utf-8")
    (folder / "inside.md").symlink_to(folder / "good.md")  # a link within the folder is fine
    (folder / "passwd").symlink_to(secret)
    quarantine = tmp_path / "quarantine"
    report = run_update(neo4j_driver, Sources.parse([str(folder)]), run_id=new_run_id(), quarantine_dir=quarantine)
    assert [f.path for f in report.failures] == [str(folder / "passwd")]
    assert "outside" in report.failures[0].reason
    paths, _, _ = neo4j_driver.execute_query("MATCH (a:Article) RETURN a.path AS path")
    assert sorted(r["path"] for r in paths) == [str(folder / "good.md"), str(folder / "inside.md")]
    assert not any(SECRET.strip() in b for b in _quarantined_bytes(quarantine))


def test_a_200_mb_article_is_refused_without_being_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:  # sparse: 200 MB long, nothing on disk
        fh.truncate(200 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(ReaderError, match=r"larger than the limit of 5 MB per article"):
            read_article(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MB


def test_an_oversized_article_is_one_error_and_the_others_still_read(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.md").write_text(ARTICLE + "x" * 2000, encoding="utf-8")
    results = list(read_articles([tmp_path], max_bytes=1000))
    assert isinstance(results[0], Article)
    assert isinstance(results[1], ReaderError) and "b.md" in str(results[1])


def test_a_fifo_named_as_an_article_does_not_block_the_run(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(ReaderError, match="not a regular file"):
        read_article(tmp_path / "pipe")
