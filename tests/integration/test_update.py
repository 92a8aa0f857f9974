"""kg update against the real local Neo4j and a real HTTP server on 127.0.0.1 (issue 6).

Folders are copies of ``../shared/corpus`` articles in a temporary directory; feeds are built at
test time from corpus articles (tests/data/feeds/feedgen.py) and served by ``http.server``, with
routes that fail the ways real feeds fail. Convergence after a crash is checked by comparing the
graph with the one a clean, uninterrupted run gives (counts and ids).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import islice
from pathlib import Path
from typing import Any, Self

import neo4j
import pytest
from data.feeds.feedgen import rss

import kg.pipeline as kg_pipeline
from kg.config import Neo4jSettings, neo4j_settings
from kg.errors import Neo4jServerError
import kg.graph.load as kg_load
from kg.graph.aggregates import add_deltas, pending_months, refresh_aggregates
from kg.extract.pipeline import Tables
from kg.graph.load import apply_schema, graph_counts, new_run_id
from kg.lock import hold_lock
from kg.pipeline import run_update
from kg.readers import read_articles
from kg.records import Article, ArticleExtraction
from kg.update import Sources, UpdateReport, failed_id

pytestmark = pytest.mark.neo4j

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FOLDER = CORPUS / "zh" / "news-beyond-wall"
BOOKKEEPING = {"Run", "Failed", "GraphMark"}  # labels that differ between runs by design
CLI = {"update": "from kg.cli.update_cmd import update_cmd as c; c(prog_name='kg update')",
       "schedule": "from kg.cli.update_cmd import schedule_cmd as c; c(prog_name='kg schedule')"}


# --- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def settings(neo4j_driver: neo4j.Driver) -> Neo4jSettings:
    """The connection of the session's driver, resolved before any test changes KG_HOME."""
    return neo4j_settings()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Neo4jSettings, clean_db: None,
         neo4j_driver: neo4j.Driver) -> Path:
    """A fresh KG_HOME (lock, log, quarantine) and an empty database with the schema applied."""
    monkeypatch.setenv("KG_HOME", str(tmp_path / "home"))
    apply_schema(neo4j_driver)
    return tmp_path / "home"


def corpus_copy(target: Path, count: int, skip: int = 0) -> Path:
    """``count`` corpus article files copied into ``target`` (so tests may break or edit them)."""
    target.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in FOLDER.iterdir() if p.is_file() and p.suffix == ".md")
    for path in files[skip:skip + count]:
        shutil.copy2(path, target / path.name)
    return target


def corpus_articles(folder: Path, count: int, *, gbk: bool = False) -> list[Article]:
    """Readable corpus articles with a URL (and, for GBK feeds, text GBK can encode)."""
    def fits(a: Article) -> bool:
        try:
            (a.title + a.text).encode("gbk")
        except UnicodeEncodeError:
            return False
        return True
    found = (a for a in read_articles([folder]) if isinstance(a, Article) and a.url and (not gbk or fits(a)))
    return list(islice(found, count))


@dataclass(frozen=True)
class Route:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0


@pytest.fixture
def feed_server() -> Iterator[Callable[[dict[str, Route]], str]]:
    """Serve routes on 127.0.0.1; returns the base URL."""
    servers: list[ThreadingHTTPServer] = []

    def serve(routes: dict[str, Route]) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = routes.get(self.path, Route(b"not found", 404))
                time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def update(driver: Any, *sources: str, **options: Any) -> UpdateReport:
    return run_update(driver, Sources.parse(sources), run_id=new_run_id(), **options)


def snapshot(driver: neo4j.Driver, *, entities: bool = True) -> dict[str, Any]:
    """What two runs over the same input must agree on: counts, article ids and hashes, event ids.

    ``entities=False`` leaves out the entity nodes and the entity-to-country edges (checked on
    their own by test_entities_only_the_old_version_named_go_with_it).
    """
    counts = graph_counts(driver)
    articles, _, _ = driver.execute_query("MATCH (a:Article) RETURN a.id AS id, a.content_hash AS h")
    events, _, _ = driver.execute_query("MATCH (e:Event) RETURN e.id AS id")
    skip_nodes = BOOKKEEPING | (set() if entities else {"Entity", "Person", "Country", "Organization", "Place"})
    skip_rels = set() if entities else {"REPRESENTS", "LOCATED_IN"}
    return {"nodes": {k: v for k, v in counts["nodes"].items() if k not in skip_nodes},
            "relationships": {k: v for k, v in counts["relationships"].items() if k not in skip_rels},
            "articles": sorted((r["id"], r["h"]) for r in articles), "events": sorted(r["id"] for r in events)}


def failed_nodes(driver: neo4j.Driver) -> dict[str, dict[str, Any]]:
    records, _, _ = driver.execute_query("MATCH (f:Failed) RETURN f {.*} AS f")
    return {r["f"]["path"]: r["f"] for r in records}


def log_lines(home: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (home / "logs" / "updates.jsonl").read_text().splitlines()]


def cli_env(settings: Neo4jSettings, home: Path, **extra: str) -> dict[str, str]:
    """The environment of a `kg` subprocess: this test's KG_HOME and the test server's credentials."""
    env = {**os.environ, "KG_HOME": str(home), "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password or "", **extra}
    env.pop("KG_CONFIG", None)
    return env


def run_kg(command: str, *args: str, env: dict[str, str], **popen: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CLI[command], *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def clean_run_snapshot(driver: neo4j.Driver, *sources: str) -> dict[str, Any]:
    """The graph an uninterrupted run over ``sources`` gives, starting from an empty database."""
    driver.execute_query("MATCH (n) DETACH DELETE n")
    report = update(driver, *sources)
    assert not report.failures
    return snapshot(driver)


# --- idempotence and change ---------------------------------------------------------------------

def test_second_run_changes_nothing(neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path,
                                    feed_server: Callable[[dict[str, Route]], str]) -> None:
    folder = corpus_copy(tmp_path / "in", 8)
    base = feed_server({"/feed.xml": Route(rss(corpus_articles(CORPUS / "en" / "news-beyond-wall", 4)))})
    first = update(neo4j_driver, str(folder), f"{base}/feed.xml")
    before = snapshot(neo4j_driver)
    second = update(neo4j_driver, str(folder), f"{base}/feed.xml")
    assert (first.new, first.changed, first.unchanged, len(first.failures)) == (12, 0, 0, 0)
    assert (second.new, second.changed, second.unchanged, len(second.failures)) == (0, 0, 12, 0)
    assert snapshot(neo4j_driver) == before and before["nodes"]["Article"] == 12
    assert "0 new, 0 changed, 12 unchanged, 0 failed" in second.summary()
    runs, _, _ = neo4j_driver.execute_query(
        "MATCH (r:Run) RETURN r.id AS id, r.new AS new, r.unchanged AS unchanged, r.status AS status, "
        "r.finished IS NOT NULL AS finished ORDER BY r.started")
    assert [(r["new"], r["unchanged"], r["status"], r["finished"]) for r in runs] == [
        (12, 0, "completed", True), (0, 12, "completed", True)]
    assert [(line["run_id"], line["status"], line["new"]) for line in log_lines(home)] == [
        (first.run_id, "completed", 12), (second.run_id, "completed", 0)]


def _update_with_a_shortened_article(driver: neo4j.Driver, folder: Path) -> UpdateReport:
    update(driver, str(folder))
    edited = min(folder.iterdir())
    body = edited.read_text(encoding="utf-8")
    edited.write_text(body[:len(body) * 2 // 3], encoding="utf-8")  # a correction cut a third
    return update(driver, str(folder))


def test_a_changed_article_has_its_facts_replaced_not_doubled(neo4j_driver: neo4j.Driver, home: Path,
                                                              tmp_path: Path) -> None:
    folder = corpus_copy(tmp_path / "in", 6)
    report = _update_with_a_shortened_article(neo4j_driver, folder)
    assert (report.new, report.changed, report.unchanged) == (0, 1, 5)
    after = snapshot(neo4j_driver, entities=False)
    clean_run_snapshot(neo4j_driver, str(folder))
    assert after == snapshot(neo4j_driver, entities=False)


def test_entities_only_the_old_version_named_go_with_it(neo4j_driver: neo4j.Driver, home: Path,
                                                        tmp_path: Path) -> None:
    folder = corpus_copy(tmp_path / "in", 6)
    _update_with_a_shortened_article(neo4j_driver, folder)
    assert snapshot(neo4j_driver) == clean_run_snapshot(neo4j_driver, str(folder))


# --- articles that fail -------------------------------------------------------------------------

def test_an_unreadable_article_is_kept_aside_and_retried_until_it_loads(
        neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path) -> None:
    folder = corpus_copy(tmp_path / "in", 5)
    source = sorted(FOLDER.glob("*.md"))[10]
    broken = folder / source.name
    broken.write_bytes(source.read_text(encoding="utf-8").encode("gb18030"))  # saved as GBK by mistake
    first = update(neo4j_driver, str(folder))
    assert (first.new, [f.path for f in first.failures]) == (5, [str(broken)])
    assert "GBK" in first.failures[0].reason
    node = failed_nodes(neo4j_driver)[str(broken)]
    copy = home / "quarantine" / failed_id(str(broken))
    assert (node["attempts"], node["run_id"], node["quarantined"]) == (1, first.run_id, str(copy))
    assert (copy / broken.name).read_bytes() == broken.read_bytes()
    assert "GBK" in json.loads((copy / "failure.json").read_text())["reason"]

    second = update(neo4j_driver, str(folder))
    assert (second.new, second.unchanged, len(second.failures)) == (0, 5, 1)
    assert failed_nodes(neo4j_driver)[str(broken)]["attempts"] == 2

    shutil.copy2(source, broken)  # fixed
    third = update(neo4j_driver, str(folder))
    assert (third.new, third.unchanged, len(third.failures)) == (1, 5, 0)
    assert failed_nodes(neo4j_driver) == {} and not copy.exists()


def test_an_article_that_fails_extraction_is_kept_aside_and_retried(
        neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus_copy(tmp_path / "in", 5)
    victim = sorted(folder.iterdir())[2]
    real = kg_pipeline.extract_many

    def failing(articles: Iterable[Article], workers: int = 1, tables: Tables | None = None) -> Iterator[ArticleExtraction]:
        for ex in real(articles, workers, tables):
            if ex.article.path == str(victim):
                ex = ArticleExtraction(article=ex.article, errors=(f"{victim}: extraction failed: boom",))
            yield ex

    monkeypatch.setattr(kg_pipeline, "extract_many", failing)
    first = update(neo4j_driver, str(folder))
    assert (first.new, [f.path for f in first.failures]) == (4, [str(victim)])
    assert failed_nodes(neo4j_driver)[str(victim)]["reason"].endswith("boom")
    assert (home / "quarantine" / failed_id(str(victim)) / victim.name).exists()

    monkeypatch.setattr(kg_pipeline, "extract_many", real)
    second = update(neo4j_driver, str(folder))
    assert (second.new, second.unchanged, len(second.failures)) == (1, 4, 0)
    assert failed_nodes(neo4j_driver) == {}
    assert snapshot(neo4j_driver) == clean_run_snapshot(neo4j_driver, str(folder))


# --- feeds that fail ----------------------------------------------------------------------------

def test_broken_feeds_are_reported_and_the_other_sources_still_update(
        neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path,
        feed_server: Callable[[dict[str, Route]], str]) -> None:
    folder = corpus_copy(tmp_path / "in", 3)
    good = corpus_articles(CORPUS / "en" / "news-beyond-wall", 3)
    chinese = corpus_articles(FOLDER, 40, gbk=True)[-3:]  # not among the folder's three
    base = feed_server({
        "/good.xml": Route(rss(good)),
        "/gbk.xml": Route(rss(chinese, encoding="gbk", declared="GBK")),
        "/mislabelled.xml": Route(rss(chinese, encoding="gbk", declared="UTF-8")),
        "/500.xml": Route(b"oops", status=500),
        "/slow.xml": Route(rss(good), delay=4),
        "/malformed.xml": Route(b'<rss version="2.0"><channel><title>x</title><ite'),
    })
    broken = ["/mislabelled.xml", "/500.xml", "/slow.xml", "/malformed.xml"]
    started = time.monotonic()
    report = update(neo4j_driver, str(folder), *(f"{base}{p}" for p in ["/good.xml", "/gbk.xml", *broken]),
                    feed_timeout=1)
    assert time.monotonic() - started < 60
    assert (report.new, len(report.failures)) == (9, 0)
    assert [e.split(": ", 1)[0] for e in report.source_errors] == [f"{base}{p}" for p in broken]
    assert ["declare" in report.source_errors[0], "HTTP 500" in report.source_errors[1],
            "timeout" in report.source_errors[2], "malformed XML" in report.source_errors[3]] == [True] * 4
    titles, _, _ = neo4j_driver.execute_query("MATCH (a:Article {format: 'feed'}) RETURN a.title AS t")
    assert {r["t"] for r in titles} == {a.title for a in good + chinese}  # GBK decoded right
    run, _, _ = neo4j_driver.execute_query("MATCH (r:Run {id: $id}) RETURN r.errors AS errors", id=report.run_id)
    assert len(run[0]["errors"]) == 4 and "4 feed(s) could not be read" in report.summary()


# --- Neo4j away ---------------------------------------------------------------------------------

def _closed_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_neo4j_unreachable_at_the_start_is_a_clear_error_and_marks_nothing_done(
        neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path, settings: Neo4jSettings) -> None:
    folder = corpus_copy(tmp_path / "in", 3)
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    with neo4j.GraphDatabase.driver(uri, auth=("neo4j", "x")) as dead, \
            pytest.raises(Neo4jServerError, match="cannot reach Neo4j .*nothing was updated"):
        update(dead, str(folder))
    assert graph_counts(neo4j_driver)["nodes"] == {}
    assert [line["status"] for line in log_lines(home)] == ["aborted"]
    proc = run_kg("update", str(folder), env=cli_env(settings, home, NEO4J_URI=uri))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and f"cannot reach Neo4j at {uri}" in err and "Traceback" not in err
    assert graph_counts(neo4j_driver)["nodes"] == {}


class _SessionDying:
    """A session whose server goes away after ``good`` write transactions (as if Neo4j stopped)."""

    def __init__(self, session: neo4j.Session, good: int) -> None:
        self._session, self._good = session, good

    def __enter__(self) -> Self:
        self._session.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._session.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:  # reads go through
        return getattr(self._session, name)

    def execute_write(self, *args: Any, **kwargs: Any) -> Any:
        if self._good <= 0:
            raise neo4j.exceptions.ServiceUnavailable("Connection to 127.0.0.1 lost (server stopped)")
        self._good -= 1
        return self._session.execute_write(*args, **kwargs)


class _DriverDying:
    """The real driver, except that the loader's session dies after its first batch."""

    def __init__(self, driver: neo4j.Driver) -> None:
        self._driver = driver

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)

    def session(self, **kwargs: Any) -> _SessionDying:
        return _SessionDying(self._driver.session(**kwargs), good=1)


def test_extraction_read_ahead_gives_the_graph_of_one_process(neo4j_driver: neo4j.Driver, home: Path,
                                                             tmp_path: Path) -> None:
    """Two workers, their extractions taken ahead of the load (``kg.update.read_ahead``) in batches
    of 4: the graph of one process extracting before each batch."""
    folder = str(corpus_copy(tmp_path / "in", 12))
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    update(neo4j_driver, folder, articles_per_batch=4, index=False)
    alone = snapshot(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    report = update(neo4j_driver, folder, articles_per_batch=4, index=False, workers=2)
    assert (report.new, report.failures) == (12, [])
    assert snapshot(neo4j_driver) == alone


def test_neo4j_lost_mid_run_then_the_next_run_converges(neo4j_driver: neo4j.Driver, home: Path,
                                                        tmp_path: Path) -> None:
    folder = str(corpus_copy(tmp_path / "in", 12))
    expected = clean_run_snapshot(neo4j_driver, folder)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    with pytest.raises(Neo4jServerError, match="went away during the update.*run `kg update` again"):
        update(_DriverDying(neo4j_driver), folder, articles_per_batch=4)
    assert snapshot(neo4j_driver)["nodes"]["Article"] == 4  # the first batch, whole
    resumed = update(neo4j_driver, folder, articles_per_batch=4)
    assert (resumed.new, resumed.unchanged) == (8, 4)
    assert snapshot(neo4j_driver) == expected
    assert [line["status"] for line in log_lines(home)][-2:] == ["aborted", "completed"]


def test_a_write_failing_with_the_report_index_leaves_it_unsaved_and_the_next_run_converges(
        neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Into a graph with reports, the next batch's candidates are worked out while a batch is
    written, from an index brought up to that batch (``kg.graph.load._load_overlapped``): when the
    write fails, the run ends with its error and the index is not saved as of the failed batch,
    so the next run makes it again from the graph and writes the graph of a run not interrupted.

    The failed write is the run's last: its counters were sent beside it and committed, and the
    index's changed shards written (``kg.graph.load._Counting``, ``ReportIndex.write_shards``);
    the months stay pending, which the next run counts again, and the next save deletes the shards
    no head names."""
    first, second = str(corpus_copy(tmp_path / "a", 8)), str(corpus_copy(tmp_path / "b", 12, skip=8))
    clean_run_snapshot(neo4j_driver, first)
    update(neo4j_driver, second, articles_per_batch=4)
    expected = snapshot(neo4j_driver)
    clean_run_snapshot(neo4j_driver, first)  # its index saved, the graph's mark on it
    head = home / "cache" / "reports-default" / "head.pickle"
    saved = head.read_bytes()
    sent: list[int] = []
    monkeypatch.setattr(kg_load, "add_deltas", lambda *args, **kw: sent.append(add_deltas(*args, **kw)))
    with pytest.raises(Neo4jServerError, match="went away during the update"):
        update(_DriverDying(neo4j_driver), second, articles_per_batch=4)
    assert head.read_bytes() == saved  # stamped with the mark before the run's first batch: stale now
    assert sent and sent[0] > 0 and pending_months(neo4j_driver)
    monkeypatch.setattr(kg_load, "add_deltas", add_deltas)
    resumed = update(neo4j_driver, second, articles_per_batch=4)
    assert (resumed.new, resumed.unchanged) == (8, 4)
    assert snapshot(neo4j_driver) == expected
    assert not pending_months(neo4j_driver)
    assert refresh_aggregates(neo4j_driver, None, run_id="recount") == 0  # the counters are a recount's
    named = pickle.loads(head.read_bytes())["files"].values()
    assert {f.name for f in head.parent.iterdir()} == {head.name, *named}


# --- processes ----------------------------------------------------------------------------------

def _articles_in_graph(driver: neo4j.Driver) -> int:
    records, _, _ = driver.execute_query("MATCH (a:Article) RETURN count(a) AS n")
    return int(records[0]["n"])


def test_sigkill_mid_run_then_the_next_run_completes_without_duplicates(
        neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path, settings: Neo4jSettings) -> None:
    folder = str(corpus_copy(tmp_path / "in", 40))
    env = cli_env(settings, home)
    proc = run_kg("update", folder, "--batch-size", "5", env=env)
    deadline = time.monotonic() + 120
    while _articles_in_graph(neo4j_driver) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    landed = _articles_in_graph(neo4j_driver)
    assert proc.returncode == -signal.SIGKILL and 0 < landed < 40 and landed % 5 == 0
    unfinished, _, _ = neo4j_driver.execute_query("MATCH (r:Run) WHERE r.finished IS NULL RETURN count(r) AS n")
    assert unfinished[0]["n"] == 1  # the killed run is visibly not done

    again = run_kg("update", folder, "--batch-size", "5", env=env)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"{40 - landed} new, 0 changed, {landed} unchanged, 0 failed" in out
    resumed = snapshot(neo4j_driver)

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")  # the clean run, by the same code on disk
    clean = run_kg("update", folder, "--batch-size", "5", env=env)
    clean.communicate(timeout=300)
    assert clean.returncode == 0
    assert resumed == snapshot(neo4j_driver)


def test_a_second_update_exits_with_a_clear_message_or_waits(
        neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path, settings: Neo4jSettings) -> None:
    folder = str(corpus_copy(tmp_path / "in", 30))
    env = cli_env(settings, home)
    first = run_kg("update", folder, "--batch-size", "5", env=env)
    lock = home / "update.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.02)
    second = run_kg("update", folder, env=env)
    _, err = second.communicate(timeout=60)
    assert first.poll() is None, "the first update ended before the second one started"
    assert second.returncode == 1
    assert f"another kg update is running (pid {first.pid} holds {lock})" in err and "--wait" in err
    first.communicate(timeout=300)
    assert first.returncode == 0

    with hold_lock():  # this process holds it for a second; a waiting update then runs
        waiting = run_kg("update", folder, "--wait", "30", env=env)
        time.sleep(1)
        assert waiting.poll() is None
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "0 new, 0 changed, 30 unchanged" in out


def test_schedule_starts_and_stops_cleanly_on_sigterm(neo4j_driver: neo4j.Driver, home: Path, tmp_path: Path,
                                                     settings: Neo4jSettings) -> None:
    folder = corpus_copy(tmp_path / "in", 2)
    config = tmp_path / "kg.yaml"
    config.write_text(f"sources:\n  folders: [{folder}]\nschedule:\n  cron: '0 3 * * *'\n", encoding="utf-8")
    proc = run_kg("schedule", "--config", str(config), env=cli_env(settings, home))
    assert proc.stdout is not None
    assert "on '0 3 * * *'" in proc.stdout.readline()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "SIGTERM received, stopping" in out and out.rstrip().endswith("kg schedule: stopped")
