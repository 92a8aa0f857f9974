"""The monthly and yearly pre-aggregates (issue 7) against the real Neo4j loaded with the sample:
what the dashboard reads from them equals what the raw edges say, a refresh is idempotent, and a
month's refresh touches only that month (and the roll-ups of its year and of all time)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import neo4j
import pytest
from sample_graph import load_sample

from kg import queries
from kg.graph.aggregates import mark_pending, refresh_aggregates
from kg.graph.load import load_extractions
from kg.queries import Filters
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

pytestmark = pytest.mark.neo4j

# One year, a range with partial months at both ends (raw days + counters), and a type filter.
FILTERS = [Filters(), Filters(start=date(2021, 1, 1), end=date(2021, 12, 31)),
           Filters(start=date(2021, 2, 10), end=date(2021, 11, 20)), Filters(start=date(2021, 1, 15), end=date(2021, 3, 20)),
           Filters(types=("VISIT", "MEET"))]

RAW_PAIRS = """
MATCH (a:Country)-[i:INTERACTED_WITH]->(b:Country)
WHERE i.date IS NOT NULL AND ($start IS NULL OR i.date >= date($start)) AND ($end IS NULL OR i.date <= date($end))
  AND (size($types) = 0 OR i.type IN $types)
RETURN a.iso2 AS a, b.iso2 AS b, count(DISTINCT i.event) AS events
"""
RAW_ACTOR_MONTHS = """
MATCH (x:Entity)-[p:PARTICIPATED_IN]->(e:Event)
WHERE p.start IS NOT NULL AND ($start IS NULL OR p.start >= date($start)) AND ($end IS NULL OR p.start <= date($end))
  AND (size($types) = 0 OR p.type IN $types)
RETURN x.id AS actor, left(toString(p.start), 7) AS month, p.type AS type, count(DISTINCT e) AS events
"""
COUNTERS = "MATCH (c:PairCount|ActorCount) RETURN c.id AS id, c.events AS events, c.run_id AS run ORDER BY id"


def read(driver: neo4j.Driver, query: str, **params: object) -> list[dict[str, object]]:
    return [r.data() for r in driver.execute_query(query, params).records]


@pytest.fixture(scope="module")
def sample(neo4j_driver: neo4j.Driver) -> Iterator[neo4j.Driver]:
    """The sample loaded afresh: the load refreshed the counters of its months. Shared by the
    tests: the last one deletes a month's edges, after which counters and edges still agree."""
    load_sample(neo4j_driver)
    yield neo4j_driver


def test_matrix_and_timeline_counts_equal_the_raw_edges(sample: neo4j.Driver) -> None:
    actors = [a["id"] for a in queries.top_actors(sample, Filters(), limit=1000)]
    for filters in FILTERS:
        raw = {(r["a"], r["b"]): r["events"] for r in read(sample, RAW_PAIRS, **filters.params())}
        assert {(r["a"], r["b"]): r["events"] for r in queries.relations_matrix(sample, filters, top=None).pairs} == raw
        months = read(sample, RAW_ACTOR_MONTHS, **filters.params())
        raw_months = {(r["actor"], r["month"], r["type"]): r["events"] for r in months}
        got = queries.actor_monthly_counts(sample, actors, filters)
        assert {(r["actor_id"], r["month"], r["type"]): r["events"] for r in got} == raw_months
        totals: Counter[str] = Counter()
        for r in months:
            totals[r["actor"]] += r["events"]
        assert {a["id"]: a["events"] for a in queries.top_actors(sample, filters, limit=1000)} == dict(totals)
    assert raw  # the sample has dated state-to-state events at all


@pytest.mark.parametrize("filters", [*FILTERS, Filters(countries=("CN",))], ids=str)
def test_matrix_shows_the_pairs_of_the_states_with_most_shared_events(sample: neo4j.Driver, filters: Filters) -> None:
    raw = {(r["a"], r["b"]): r["events"] for r in read(sample, RAW_PAIRS, **filters.params())
           if not filters.countries or {r["a"], r["b"]} & set(filters.countries)}
    totals: Counter[str] = Counter()
    for (a, b), events in raw.items():
        totals[a] += events
        totals[b] += events
    matrix = queries.relations_matrix(sample, filters, top=3)
    assert matrix.ranked == len(totals)
    assert [(s["iso2"], s["events"]) for s in matrix.states] == sorted(totals.items(), key=lambda t: (-t[1], t[0]))[:3]
    shown = {s["iso2"] for s in matrix.states}
    assert {(r["a"], r["b"]): r["events"] for r in matrix.pairs} == {
        pair: events for pair, events in raw.items() if set(pair) <= shown}


def test_timeline_events_are_the_latest_of_the_chosen_actors(sample: neo4j.Driver) -> None:
    listing = queries.timeline_events(sample, ["country:CN"], Filters(), limit=2)
    assert len(listing["events"]) == 2 and listing["total"] >= 2
    every = queries.timeline_events(sample, ["country:CN"], Filters(), limit=1000)["events"]
    dated = [e["start"] for e in every if e["start"]]
    assert [e["start"] for e in listing["events"]] == sorted(dated, reverse=True)[:2]


def test_refresh_is_idempotent(sample: neo4j.Driver) -> None:
    before = read(sample, COUNTERS)
    assert before  # the load counted its months
    assert refresh_aggregates(sample, None, run_id="agg-2") == 0  # every month recounted, none changed
    assert read(sample, COUNTERS) == before  # nor rewritten: the counters keep the load's run id


def test_a_load_recounts_the_months_an_interrupted_one_left_stale(sample: neo4j.Driver) -> None:
    before = read(sample, COUNTERS)
    month = read(sample, "MATCH (c:PairCount {grain: 'month'}) RETURN c.period AS m LIMIT 1")[0]["m"]
    sample.execute_query("MATCH (c:PairCount {grain: 'month', period: $month}) SET c.events = c.events + 5",
                         month=month)  # what a load that stopped before its end could leave ...
    with sample.session() as session:
        session.execute_write(mark_pending, [month], "interrupted")  # ... with its months marked stale
    load_extractions(sample, [], tables=TABLES, run_id="agg-next")
    assert [(r["id"], r["events"]) for r in read(sample, COUNTERS)] == [(r["id"], r["events"]) for r in before]
    assert not read(sample, "MATCH (p:PendingRefresh) RETURN p.months AS months")


def test_refreshing_one_month_changes_only_that_month_and_its_roll_ups(sample: neo4j.Driver) -> None:
    month = read(sample, "MATCH (c:PairCount {grain: 'month'}) RETURN c.period AS m ORDER BY c.events DESC LIMIT 1")[0]["m"]
    before = {r["id"]: r["events"] for r in read(sample, COUNTERS)}
    sample.execute_query("""
        MATCH ()-[r:INTERACTED_WITH|PARTICIPATED_IN]->()
        WHERE left(toString(coalesce(r.date, r.start)), 7) = $month DELETE r""", month=month)
    refresh_aggregates(sample, [month], run_id="agg-3")
    after = {r["id"]: r["events"] for r in read(sample, COUNTERS)}
    touched = {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}
    assert touched and all(any(f":{period}:" in i for period in (month, month[:4], "all")) for i in touched)
    assert not [i for i in after if f":{month}:" in i]  # nothing left to count in that month
    year = Filters(start=date(int(month[:4]), 1, 1), end=date(int(month[:4]), 12, 31))
    raw = {(r["a"], r["b"]): r["events"] for r in read(sample, RAW_PAIRS, **year.params())}
    assert {(r["a"], r["b"]): r["events"] for r in queries.relations_matrix(sample, year, top=None).pairs} == raw


def test_explore_reads_a_busy_seeds_latest_weeks_as_it_would_all_its_events(sample: neo4j.Driver) -> None:
    monthly = queries.actor_monthly_counts(sample, ["country:CN"], Filters())
    assert queries.recent_since(sample, monthly, Filters(), 3)  # the date index serves this hop
    for limit in (2, 3, 100):
        recent = queries._hop_rows(sample, ["country:CN"], Filters(), limit, seeds=True)
        every = queries._hop_rows(sample, ["country:CN"], Filters(), limit, seeds=False)
        assert recent == every and len(recent) == min(limit, 4)  # China has 4 events in the sample
