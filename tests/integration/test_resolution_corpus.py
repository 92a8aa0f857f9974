"""Resolution on real articles that report the same events (March 2021: the Anchorage talks,
Lavrov's visit to China): one event per real event whatever the order and batching of the loads
when every run follows every chain of linkable reports; at the schema's ``update_reach`` a load
into a graph that holds reports follows them only that many links, and orders and batchings differ
from one load in a few undated reports (docs/updates.md)."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import neo4j
import pytest

from kg.extract.pipeline import extract_many
from kg.graph import aggregates
from kg.graph.aggregates import refresh_aggregates
from kg.graph.load import apply_schema, graph_counts, load_extractions
from kg.readers import read_articles
from kg.records import Article, ArticleExtraction
from kg.resolve import ResolutionRules, reports_of, resolve_events
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

pytestmark = pytest.mark.neo4j

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SNAPSHOT = """
MATCH (e:Event)
RETURN e.id AS id, e.type AS type, toString(e.start) AS start, toString(e.end) AS end, e.status AS status,
       e.sources AS sources, [(x)-[:PARTICIPATED_IN]->(e) | x.id] AS parties,
       [(e)-[:REPORTED_IN]->(a:Article) | a.id] AS articles
"""


@cache
def march_2021() -> tuple[ArticleExtraction, ...]:
    """Articles of the corpus published 16-25 March 2021, extracted, in file order."""
    articles = [a for a in read_articles([str(CORPUS)]) if isinstance(a, Article) and a.published
                and date(2021, 3, 16) <= a.published.date() <= date(2021, 3, 25)]
    return tuple(extract_many(articles, workers=1))


def _snapshot(driver: neo4j.Driver) -> set[tuple[object, ...]]:
    records, _, _ = driver.execute_query(SNAPSHOT)
    return {(r["id"], r["type"], r["start"], r["end"], r["status"], r["sources"],
             tuple(sorted(r["parties"])), tuple(sorted(r["articles"]))) for r in records}


def _load(driver: neo4j.Driver, batches: list[list[ArticleExtraction]], per_batch: int = 7,
          tables: WriterTables = TABLES) -> set[tuple[object, ...]]:
    driver.execute_query("MATCH (n) DETACH DELETE n")
    apply_schema(driver)
    for i, batch in enumerate(batches):  # one run per batch, like successive `kg update` runs
        load_extractions(driver, batch, tables=tables, run_id=f"run-{i}", articles_per_batch=per_batch)
    assert refresh_aggregates(driver, None, run_id="recount") == 0  # the loads' counter deltas add up
    return _snapshot(driver)


def test_mentions_collapse_into_fewer_events() -> None:
    mentions = reports_of(march_2021())
    events = set(resolve_events(mentions, TABLES.rules).values())
    assert len(march_2021()) > 30 and len(events) < 0.8 * len(mentions)


def test_load_order_and_batching_do_not_change_the_graph_when_updates_follow_every_chain(
        neo4j_driver: neo4j.Driver) -> None:
    """``update_reach: null``: every run resolves every chain its reports reach again, so any
    order and batching of the runs gives the graph of one load."""
    exact = replace(TABLES, rules=replace(TABLES.rules, update_reach=None))
    exs = sorted(march_2021(), key=lambda x: x.article.id)
    forward = _load(neo4j_driver, [exs], tables=exact)
    backward = _load(neo4j_driver, [list(reversed(exs[len(exs) // 2:])), list(reversed(exs[:len(exs) // 2]))],
                     tables=exact)
    assert forward == backward
    interleaved = _load(neo4j_driver, [exs[1::2], exs[::2], exs[:5]], tables=exact)  # the last run reloads five
    assert interleaved == forward


def test_load_order_and_batching_change_few_events_at_the_update_reach(neo4j_driver: neo4j.Driver) -> None:
    """At the schema's ``update_reach`` (1) a run pins the stored events beyond it: orders and
    batchings of the runs give the events of one load but for a few undated reports (1 of 143
    events when measured: two undated reports of the EU's sanctions, docs/updates.md)."""
    exs = sorted(march_2021(), key=lambda x: x.article.id)
    forward = _load(neo4j_driver, [exs])
    for runs in ([list(reversed(exs[len(exs) // 2:])), list(reversed(exs[:len(exs) // 2]))],
                 [exs[1::2], exs[::2], exs[:5]]):  # the last run reloads five articles
        other = _load(neo4j_driver, runs)
        assert len(forward - other) <= 0.01 * len(forward), sorted(forward - other, key=str)


@cache
def whole_corpus() -> tuple[ArticleExtraction, ...]:
    """Every article of the corpus, extracted."""
    return tuple(extract_many([a for a in read_articles([str(CORPUS)]) if isinstance(a, Article)], workers=2))


def test_updates_in_shuffled_runs_give_the_events_of_one_load_but_for_a_few(neo4j_driver: neo4j.Driver) -> None:
    """An update follows the chains of linkable reports only ``update_reach`` links (1): the corpus
    loaded in five runs of shuffled articles gives the events of one load but for a few (5 of
    1,869 when measured, about undated reports: docs/updates.md)."""
    exs = list(whole_corpus())
    shuffled = exs[:]
    random.Random(7).shuffle(shuffled)
    one = _load(neo4j_driver, [exs], per_batch=100)
    runs = _load(neo4j_driver, [shuffled[i::5] for i in range(5)], per_batch=100)
    assert len(one - runs) <= 0.01 * len(one), sorted(one - runs, key=str)


def test_anchorage_and_lavrov_visit_each_have_several_sources(neo4j_driver: neo4j.Driver) -> None:
    events = _load(neo4j_driver, [list(march_2021())])
    anchorage = [e for e in events if e[1] == "MEET" and e[2] in ("2021-03-18", "2021-03-19")
                 and {"country:CN", "country:US"} <= set(e[6])]
    lavrov = [e for e in events if e[1] == "VISIT" and e[2] == "2021-03-22"
              and "person:sergey-lavrov" in e[6]]
    assert max(e[5] for e in anchorage) >= 5
    assert max(e[5] for e in lavrov) >= 2


# Each query returns the events that break one rule of the loader (kg.graph.event_summary): an event is
# exactly the summary of its reports, whatever the batching and reloads that built it.
INVARIANTS = {
    "an event without reports": "MATCH (e:Event) WHERE NOT (e)-[:REPORTED_IN]->() RETURN e.id AS id",
    "sources is not the number of reporting articles": """
        MATCH (e:Event) WHERE e.sources <> COUNT { MATCH (e)-[:REPORTED_IN]->(a:Article) RETURN DISTINCT a }
        RETURN e.id AS id""",
    "parties are not those named by enough of its reports": """
        MATCH (e:Event)
        CALL (e) {
          MATCH (e)-[r:REPORTED_IN]->()
          WITH count(r) AS n, collect(r) AS reports
          UNWIND reports AS r
          UNWIND r.participants AS p
          WITH n, p, count(DISTINCT r) AS k
          WHERE k >= CASE WHEN n > $least THEN $least ELSE 1 END AND EXISTS { MATCH (:Entity {id: p}) }
          RETURN collect(p) AS named
        }
        WITH e, named, [(x)-[:PARTICIPATED_IN]->(e) | x.id] AS parties
        WHERE size(parties) <> size(named) OR any(p IN named WHERE NOT p IN parties)
        RETURN e.id AS id""",
    "a party edge with other days or type than its event": """
        MATCH (x)-[p:PARTICIPATED_IN]->(e:Event)
        WHERE p.type <> e.type OR p.start IS NULL <> e.start IS NULL OR p.start <> e.start OR p.end <> e.end
        RETURN DISTINCT e.id AS id""",
    "INTERACTED_WITH edges are not the pairs of its states": """
        MATCH (e:Event)
        WITH e, size([(c:Country)-[:PARTICIPATED_IN]->(e) | c]) AS n
        WHERE COUNT { MATCH ()-[i:INTERACTED_WITH {event: e.id}]->() RETURN i } <> n * (n - 1) / 2
        RETURN e.id AS id""",
    "the place edge is not the event's place": """
        MATCH (e:Event)-[:HELD_IN]->(p) WHERE p.id <> e.place RETURN e.id AS id""",
}


def test_every_event_is_the_summary_of_its_reports(neo4j_driver: neo4j.Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregates, "MAX_DELTAS", 40)  # counter deltas written during the loads too
    exs = sorted(march_2021(), key=lambda x: x.article.id)
    shrunk = [ArticleExtraction(x.article, x.entities[:2], x.events[:1]) for x in exs[:9]]
    _load(neo4j_driver, [exs[1::2], exs[::2], shrunk, exs[:5]])  # reloads: fewer facts, then some back
    least = TABLES.rules.party_min_reports
    broken = {rule: [r["id"] for r in neo4j_driver.execute_query(query, least=least)[0]]
              for rule, query in INVARIANTS.items()}
    assert broken == {rule: [] for rule in INVARIANTS}


@pytest.mark.parametrize("indexed", [False, True], ids=["read-ahead", "report-index"])
def test_candidates_read_ahead_are_those_a_read_after_the_write_returns(neo4j_driver: neo4j.Driver,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         tmp_path: Path, indexed: bool) -> None:
    """The next batch's candidates, read while a batch is resolved and brought up to what it wrote
    (``GraphReports.commit``: reports moved, its articles' reports replaced), are exactly the rows
    the candidate read returns once it has written - with batches of 3, articles reloaded. So are
    those of the report index (``kg.graph.report_index``), made from the graph by the second run and
    read from its file by the third, worked out while the batch before is written (from the rows it
    writes) and compared once it committed; what its kept pool links is what a pool of them links.
    The stored reports of the events they can join, some the batch before made of the same rows
    (``GraphReports._stored_rows``), are those read; those worked out while the batch before is
    written (``IndexedReports.near_written``) are, in the same order, the neighbourhood a read
    returns once it committed (compared as the batch's write begins)."""
    from kg.graph import load, report_index, stored
    original, around = stored.GraphReports._read, stored.GraphReports._around
    compared: list[int] = []
    found: dict[tuple[str, ...], tuple[list, list]] = {}  # the index's candidates of each batch, by its articles
    reused: list[int] = []

    def checked(self: stored.GraphReports, tx: neo4j.ManagedTransaction, batch: list, article_ids: list[str],
                candidates: list | None = None) -> stored.Neighbourhood:
        if candidates is not None:
            fresh = stored._rows(tx, stored._CANDIDATES, **stored.window_params(
                stored.search_windows(batch, self.rules)), article_ids=article_ids)
            assert Counter(candidates) == Counter(fresh)
            compared.append(len(fresh))
        return original(self, tx, batch, article_ids, candidates)

    def recorded(self: report_index.ReportIndex, windows: list, skip: set[str], mentions: list,
                 rules: ResolutionRules, hops: int | None) -> dict:
        found[tuple(sorted(skip))] = (windows, (candidates := self.candidates(windows, skip)))
        out = index_joinable(self, windows, skip, mentions, rules, hops)  # from the pool kept between batches
        assert out == stored.joinable((r for _, r in candidates), mentions, rules, hops)
        return out

    def checked_around(self: stored.GraphReports, tx: neo4j.ManagedTransaction, article_ids: list[str],
                       *rest: object) -> stored.Neighbourhood:
        if ahead := found.pop(tuple(sorted(article_ids)), None):  # not the candidates ``_read`` read
            fresh = stored._rows(tx, stored._CANDIDATES, **stored.window_params(ahead[0]), article_ids=article_ids)
            assert Counter(ahead[1]) == Counter(fresh)
            compared.append(len(fresh))
        previous = set(map(id, self._made.values()))
        hood = around(self, tx, article_ids, *rest)  # its stored reports, some made by the batch before, as read
        fresh = stored._rows(tx, stored._STORED, article_ids=article_ids,
                             event_ids=sorted({e for e, _ in hood.stored} | hood.replaced_events))
        assert Counter(hood.stored) == Counter(fresh)
        reused.append(sum(id(r) in previous for _, r in hood.stored))
        return hood

    early: dict[tuple[str, ...], tuple[stored.Neighbourhood, tuple]] = {}
    near_written, write_batch = report_index.IndexedReports.near_written, load.write_batch

    def recorded_early(self: report_index.IndexedReports, article_ids: list[str]) -> stored.Neighbourhood | None:
        ahead = self._ahead
        if (hood := near_written(self, article_ids)) is not None and ahead is not None:
            early[tuple(sorted(article_ids))] = (hood, ahead[1])
        return hood

    def checked_write(tx: neo4j.ManagedTransaction, prepared: load.PreparedBatch, ctx: load.LoadContext) -> object:
        if found_early := early.pop(tuple(sorted(prepared.article_ids)), None):
            hood, joined = found_early
            with neo4j_driver.session() as session:  # the batch before committed: read as ``near`` would
                fresh = session.execute_read(lambda read: around(stored.GraphReports(ctx.rules, neo4j_driver), read,
                                                                 prepared.article_ids, *joined))
            assert (hood.stored, hood.replaced_events, hood.replaced_days, hood.pinned) == \
                (fresh.stored, fresh.replaced_events, fresh.replaced_days, fresh.pinned)
            assert hood is prepared.plan.hood
            compared_early.append(len(fresh.stored))
        return write_batch(tx, prepared, ctx)

    compared_early: list[int] = []
    monkeypatch.setattr(report_index.IndexedReports, "near_written", recorded_early)
    monkeypatch.setattr(load, "write_batch", checked_write)
    index_joinable = report_index.ReportIndex.joinable
    monkeypatch.setattr(stored.GraphReports, "_read", checked)
    monkeypatch.setattr(report_index.ReportIndex, "joinable", recorded)
    monkeypatch.setattr(stored.GraphReports, "_around", checked_around)
    exs = sorted(march_2021(), key=lambda x: x.article.id)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    apply_schema(neo4j_driver)
    for i, batch in enumerate([exs[1::2], exs[::2], exs[:9]]):
        load_extractions(neo4j_driver, batch, tables=TABLES, run_id=f"run-{i}", articles_per_batch=3,
                         index_dir=tmp_path if indexed else None)
    assert len(compared) + len(compared_early) > 5 and sum(compared) > 0 and (sum(reused) > 0 or not indexed)
    assert (len(compared_early) > 5 and sum(compared_early) > 0) == indexed and not early
    assert any(tmp_path.iterdir()) == indexed


def test_a_batch_prepared_while_one_that_prunes_entities_is_written_is_prepared_again(
        neo4j_driver: neo4j.Driver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A batch that loads articles again prunes the entities only their old versions named, and
    the rows written so far are forgotten (``WrittenRows.forget``): the next batch, resolved and
    turned into rows while it was written (``kg.graph.load._load_overlapped``), is prepared again
    once it committed, and the runs write the graph, entities included, runs without the report
    index write, the counters too."""
    from kg.graph import load
    exs = sorted(march_2021(), key=lambda x: x.article.id)
    shrunk = [ArticleExtraction(x.article, x.entities[:2], x.events[:1]) for x in exs[1::2][:9]]
    prepared: Counter[tuple[str, ...]] = Counter()
    prepare = load.prepare_batch
    monkeypatch.setattr(load, "prepare_batch", lambda chunk, *rest: prepared.update(
        [tuple(ex.article.id for ex in chunk)]) or prepare(chunk, *rest))

    def runs(index_dir: Path | None) -> tuple[object, ...]:
        neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
        apply_schema(neo4j_driver)
        for i, batch in enumerate([exs[1::2], [*shrunk, *exs[::2]]]):
            load_extractions(neo4j_driver, batch, tables=TABLES, run_id=f"run-{i}", articles_per_batch=3,
                             index_dir=index_dir)
        return _snapshot(neo4j_driver), graph_counts(neo4j_driver)

    reads = runs(None)
    prepared.clear()
    sent: list[int] = []
    send_last = load._Counting.send_last
    monkeypatch.setattr(load._Counting, "send_last", lambda self, *args: sent.append(1) or send_last(self, *args))
    assert runs(tmp_path) == reads
    assert max(prepared.values()) == 2
    # the batch prepared twice is counted once: each load's counters went beside its last write
    assert len(sent) == 2 and refresh_aggregates(neo4j_driver, None, run_id="recount") == 0


def test_the_report_index_gives_the_graph_the_reads_give_and_sees_another_writer(
        neo4j_driver: neo4j.Driver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Successive runs with the report index kept between them write the graph that runs reading
    every candidate from the graph write; a run by another writer (here one without the index)
    moves the graph's mark, and the next run with the index makes it again instead of using it."""
    from kg.graph import report_index
    made: list[int] = []
    original = report_index.read_index
    monkeypatch.setattr(report_index, "read_index", lambda tx: made.append(1) or original(tx))
    kept_from_memory: list[int] = []
    from_rows, read_back = report_index.IndexedReports.commit_written, report_index.IndexedReports.commit
    monkeypatch.setattr(report_index.IndexedReports, "commit_written",
                        lambda self, *args: kept_from_memory.append(1) or from_rows(self, *args))
    monkeypatch.setattr(report_index.IndexedReports, "commit",
                        lambda self, *args: kept_from_memory.append(0) or read_back(self, *args))
    exs = sorted(march_2021(), key=lambda x: x.article.id)
    undated = [ArticleExtraction(replace(x.article, published=None), x.entities, x.events) for x in exs[:5]]
    runs = [exs[1::2], exs[::2][:8], exs[::2][8:], exs[3:12], undated]  # the graph keeps their times
    elsewhere = tmp_path / "other"

    def load(index_dirs: list[Path | None]) -> set[tuple[object, ...]]:
        neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
        apply_schema(neo4j_driver)
        for i, (batch, folder) in enumerate(zip(runs, index_dirs)):
            load_extractions(neo4j_driver, batch, tables=TABLES, run_id=f"run-{i}", articles_per_batch=4,
                             index_dir=folder)
        return _snapshot(neo4j_driver)

    reads = load([None] * len(runs))
    assert not made
    here = tmp_path / "here"
    assert load([here, here, here, elsewhere, here]) == reads
    with neo4j_driver.session() as session:  # the rows the index took from memory are those the graph holds
        kept = report_index.ReportIndex.load(report_index.index_folder(here, None),
                                             session.execute_read(report_index.read_mark))
        assert kept is not None
        kept.need(list(kept._files))
        graph = session.execute_read(original)
    assert Counter(zip(kept._rows.values(), kept._key.values())) == Counter(zip(graph._rows.values(),
                                                                                graph._key.values()))
    assert any(values[7] for values in graph._rows.values())  # undated reports, with their article's time
    assert kept_from_memory.count(1) > 5 and kept_from_memory.count(0) > 0  # read back: undated, no time given
    assert len(made) == 3  # run 1 (no file), run 3 (another folder), run 4 (its file is stale); run 2 used it
    assert load([here, here, here, None, here]) == reads  # a writer without any index moves the mark too
    assert len(made) == 5  # run 1: the file stamped by the last load is stale (the graph was emptied), run 4
