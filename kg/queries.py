"""The read side of the graph: every query the dashboard (and analytics) runs, as functions.

Each function takes a ``neo4j.Driver`` and returns plain Python (dicts, lists, ISO date strings, or the
small dataclasses below), so Streamlit can cache the results and no Cypher lives in a page. All of
them go through :func:`kg.graph.results.run_read_query`: read transactions only, parameters always
passed separately from the query text.

Most take a :class:`Filters` (date range, countries, event types) that narrows the *events*
considered. Only dated events count by default, in the range when one is set: an event with no
known day cannot be placed in a range, nor on a timeline. With ``Filters.undated`` the events
without a day whose first report was published in the range are taken too; lists put them after
the dated ones and give their first report's day (``reported``), so a page can label them
"undated (reported 2021-03-20)". The cookbook's recipes (schema/queries) follow the same rule with
their ``undated`` parameter, so the CLI and the dashboard give the same answer.

The reads of the write side live here too (the stored reports resolution compares with, the
counters a load brings up to date, an update's diff, what an import checks first), and the one
statement the console runs on its own behalf: every read kg runs is in this module or in the
cookbook (``schema/queries``), every write in ``kg.graph.cypher``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import neo4j

from kg.graph.model import CounterType, GraphModel
from kg.graph.model import plain_identifier as _ident
from kg.graph.periods import MONTH, YEAR, cover
from kg.graph.results import run_read_query

NODE_CAP = 150  # what a person can still read in one graph picture
PARTY_LABELS = ("Person", "Country", "Organization")

# The first day an event was reported (its earliest article's publication day).
_REPORTED = ("COLLECT {{ MATCH ({v})-[:REPORTED_IN]->(report_article:Article) "
             "RETURN date(report_article.published) AS report_day ORDER BY report_day LIMIT 1 }}[0]")
# The order of every list of events: dated ones first, newest first; then the undated ones (when
# asked for), latest reported first, as the cookbook's recipes list them.
_NEWEST_FIRST = ("e.start IS NULL, e.start DESC, CASE WHEN e.start IS NULL THEN " + _REPORTED.format(v="e")
                 + " END DESC, e.id")
# The event filter shared by every query below; `e` is the event.
_EVENT_FILTER = """
    (e.start IS NOT NULL AND ($start IS NULL OR e.start >= date($start)) AND ($end IS NULL OR e.start <= date($end))
     OR $undated AND e.start IS NULL
        AND all(first_report IN [""" + _REPORTED.format(v="e") + """]
                WHERE ($start IS NULL OR first_report >= date($start)) AND ($end IS NULL OR first_report <= date($end))))
    AND (size($types) = 0 OR e.type IN $types)
    AND (size($countries) = 0 OR EXISTS {
        MATCH (fc:Country)-[:PARTICIPATED_IN]->(e) WHERE fc.iso2 IN $countries })
"""
# The main label of a node (entities also carry the shared label Entity).
_LABEL = "[l IN labels({v}) WHERE l <> 'Entity'][0]"
_NAME = "coalesce({v}.name, {v}.iso2, {v}.id)"


# Every party of every event in the filters, for the network analytics (``kg.analytics``).
# Every actor's events in the filters (the analytics' input): the same event filter as every recipe.
PARTICIPATIONS = """
MATCH (x:Entity)-[:PARTICIPATED_IN]->(e:Event)
WHERE [l IN labels(x) WHERE l <> 'Entity'][0] IN $labels AND """ + _EVENT_FILTER + """
RETURN e.id AS event, e.type AS type, toString(e.start) AS start, x.id AS actor,
       [l IN labels(x) WHERE l <> 'Entity'][0] AS label, coalesce(x.name, x.id) AS name
ORDER BY event, actor
"""


# The whole graph for an export (``kg.export``) but the counters, which are computed from the
# edges (kg.graph.aggregates): an import recomputes them instead; and but the graph's mark, which
# its writes move on.
EXPORT_NODES = """
MATCH (n) WHERE NOT (n:PairCount OR n:StateCount OR n:ActorCount OR n:PendingRefresh OR n:GraphMark)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, properties(n) AS props
ORDER BY id
"""
EXPORT_EDGES = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, a.id AS from, [l IN labels(a) WHERE l <> 'Entity'][0] AS from_label,
       b.id AS to, [l IN labels(b) WHERE l <> 'Entity'][0] AS to_label, properties(r) AS props
ORDER BY type, from, to
"""


# --- what the writers read -------------------------------------------------------------------------


def collected(query: str, columns: tuple[str, ...]) -> str:
    """``query``'s rows as one list of maps in a single record (``rows``).

    The Python driver spends a fixed time on every record it receives (two socket reads and a
    timeout change each), whatever its size, so reads of thousands of rows come back collected -
    but the list is built whole in the server's transaction memory, so not inside a write
    transaction: the loader reads its stored reports back in a read transaction of its own
    (``kg.graph.stored``).
    """
    fields = ", ".join(f"{_ident(c)}: {_ident(c)}" for c in columns)
    return f"CALL () {{\n{query}\n}}\nRETURN collect({{{fields}}}) AS rows"


def collected_rows(tx: neo4j.ManagedTransaction, query: str, **params: Any) -> list[dict[str, Any]]:
    """The ``rows`` of a ``collected`` query, run in the caller's transaction."""
    return tx.run(query, params).single(strict=True)["rows"]


# The columns of an undated report found by its article's publication (the last two parts).
_UNDATED_CANDIDATE = """RETURN e.id AS event, a.id AS article, r.mention_id AS mention_id, r.type AS type,
       r.participants AS participants, toString(r.start) AS start, toString(r.end) AS end,
       toString(a.published) AS published, r.place AS place, r.status AS status, r.modality AS modality, r.legs AS legs, r.trigger AS trigger,
       toString(r.window_start) AS window_start, toString(r.window_end) AS window_end
"""

# Resolution reads back only the stored reports that can join the batch's mentions. First the
# candidates: reports of the same type whose anchor day (first day, or publication day when undated)
# falls in one of the batch's windows (kg.resolve.search_windows), with what resolution compares;
# the batch's own articles' reports are not candidates (they are replaced). Then, of the events
# with a candidate that can link with a new mention (kg.resolve.joinable), every report. Days and
# times come back as text: building a DateTime with its zone is costly in the driver, and a batch
# reads tens of thousands. The index is sought once per ``$spans`` (the windows' days merged across
# types, kg.graph.stored.window_params) and each report kept when a window of its own type
# (``$windows[type]``) holds it: sought per window, the days every type shares were read again for
# each type, and an article's reports expanded once per window of each type. Farther (``$far``, each
# type's ``$periods``), the undated reports naming a period of a month or less alone (kg.resolve.period:
# only they reach so far), those the nearer windows did not return.
CANDIDATE_REPORTS = """
UNWIND $spans AS s
MATCH (e:Event)-[r:REPORTED_IN]->(a:Article)
WHERE r.start >= date(s.lo) AND r.start <= date(s.hi)
  AND any(w IN $windows[r.type] WHERE r.start >= date(w.lo) AND r.start <= date(w.hi)) AND NOT a.id IN $article_ids
RETURN e.id AS event, a.id AS article, r.mention_id AS mention_id, r.type AS type,
       r.participants AS participants, toString(r.start) AS start, toString(r.end) AS end, null AS published,
       r.place AS place, r.status AS status, r.modality AS modality, r.legs AS legs, r.trigger AS trigger,
       toString(r.window_start) AS window_start, toString(r.window_end) AS window_end
UNION ALL
UNWIND $spans AS s
MATCH (a:Article)
WHERE a.published >= datetime(s.lo) AND a.published < datetime(s.hi) + duration({days: 1}) AND NOT a.id IN $article_ids
MATCH (a)<-[r:REPORTED_IN]-(e:Event)
WHERE r.start IS NULL
  AND any(w IN $windows[r.type] WHERE a.published >= datetime(w.lo) AND a.published < datetime(w.hi) + duration({days: 1}))
""" + _UNDATED_CANDIDATE + """UNION ALL
UNWIND $far AS s
MATCH (a:Article)
WHERE a.published >= datetime(s.lo) AND a.published < datetime(s.hi) + duration({days: 1}) AND NOT a.id IN $article_ids
MATCH (a)<-[r:REPORTED_IN]-(e:Event)
WHERE r.start IS NULL AND r.window_start IS NOT NULL AND r.window_end <= r.window_start + duration({days: 31})
  AND any(w IN $periods[r.type] WHERE a.published >= datetime(w.lo) AND a.published < datetime(w.hi) + duration({days: 1}))
  AND NOT any(w IN $windows[r.type] WHERE a.published >= datetime(w.lo) AND a.published < datetime(w.hi) + duration({days: 1}))
""" + _UNDATED_CANDIDATE

# The reports of some articles ($only) that CANDIDATE_REPORTS would return, the same columns: what
# a batch just wrote adds to the candidates of the next batch read before it was written
# (kg.graph.stored.GraphReports.prefetch).
CANDIDATE_REPORTS_OF_ARTICLES = """
UNWIND $only AS aid
MATCH (a:Article {id: aid})<-[r:REPORTED_IN]-(e:Event)
WHERE NOT a.id IN $article_ids
  AND CASE WHEN r.start IS NULL
      THEN any(w IN $windows[r.type] WHERE a.published >= datetime(w.lo) AND a.published < datetime(w.hi) + duration({days: 1}))
        OR (r.window_start IS NOT NULL AND r.window_end <= r.window_start + duration({days: 31})
            AND any(w IN $periods[r.type] WHERE a.published >= datetime(w.lo) AND a.published < datetime(w.hi) + duration({days: 1})))
      ELSE any(w IN $windows[r.type] WHERE r.start >= date(w.lo) AND r.start <= date(w.hi)) END
RETURN e.id AS event, a.id AS article, r.mention_id AS mention_id, r.type AS type,
       r.participants AS participants, toString(r.start) AS start, toString(r.end) AS end,
       CASE WHEN r.start IS NULL THEN toString(a.published) END AS published,
       r.place AS place, r.status AS status, r.modality AS modality, r.legs AS legs, r.trigger AS trigger,
       toString(r.window_start) AS window_start, toString(r.window_end) AS window_end
"""

# The report index kept between runs (kg.graph.report_index): the graph's mark (every kg writer of
# reports adds one to its version), then every report with the columns CANDIDATE_REPORTS returns,
# a page of articles at a time in the order of their unique index, or the reports of some articles.
GRAPH_MARK = "OPTIONAL MATCH (m:GraphMark {id: 'reports'}) RETURN m.token AS token, m.version AS version"
_INDEXED_COLUMNS = """
RETURN a.id AS article, e.id AS event, r.mention_id AS mention_id, r.type AS type,
       r.participants AS participants, toString(r.start) AS start, toString(r.end) AS end,
       CASE WHEN r.start IS NULL THEN toString(a.published) END AS published,
       r.place AS place, r.status AS status, r.modality AS modality, r.legs AS legs, r.trigger AS trigger,
       toString(r.window_start) AS window_start, toString(r.window_end) AS window_end
"""
INDEXED_REPORTS_PAGE = """
MATCH (a:Article) WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $articles
OPTIONAL MATCH (a)<-[r:REPORTED_IN]-(e:Event)
""" + _INDEXED_COLUMNS
# What the graph's datetime() makes of publication times given as ISO text, as toString returns it
# (the index's ``published``): the index takes a batch's own reports from the rows it wrote.
DATETIME_TEXTS = "UNWIND $values AS v RETURN collect([v, toString(datetime(v))]) AS texts"
INDEXED_REPORTS_OF_ARTICLES = """
UNWIND $article_ids AS aid
MATCH (a:Article {id: aid})<-[r:REPORTED_IN]-(e:Event)
""" + _INDEXED_COLUMNS

# The events a batch's articles reported before (they are recomputed without those reports).
EVENTS_OF_ARTICLES = """
UNWIND $article_ids AS aid
MATCH (:Article {id: aid})<-[:REPORTED_IN]-(e:Event)
RETURN DISTINCT e.id AS event, e.start AS start
"""

# Every report of these events except those of the articles being (re)loaded, with all that the
# event's summary is computed from (kg.graph.event_summary).
STORED_REPORTS = """
UNWIND $event_ids AS eid
MATCH (e:Event {id: eid})-[r:REPORTED_IN]->(a:Article)
WHERE NOT a.id IN $article_ids
RETURN e.id AS event, a.id AS article, r.mention_id AS mention_id, r.type AS type,
       r.participants AS participants, toString(r.start) AS start, toString(r.end) AS end, r.place AS place,
       r.evidence AS evidence, r.confidence AS confidence, r.status AS status, toString(a.published) AS published,
       r.modality AS modality, r.legs AS legs, r.trigger AS trigger,
       toString(r.window_start) AS window_start, toString(r.window_end) AS window_end
"""

# Does the graph hold any report? (Answered from Neo4j's count store.)
REPORTS_HELD = "MATCH ()-[r:REPORTED_IN]->() RETURN count(r) AS n"
# Does the graph hold data the import strategy would replace?
GRAPH_HOLDS_DATA = "OPTIONAL MATCH (n) WHERE n:Article OR n:Event OR n:Failed WITH n LIMIT 1 RETURN count(n) AS n"
RUNS = "MATCH (r:Run) RETURN properties(r) AS run"
NODE_COUNTS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label"
RELATIONSHIP_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"

# An update's diff: the content hash the graph holds for each article id it has.
KNOWN_HASHES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.content_hash AS content_hash
"""
# properties(f), not f.attempts: naming a key no node has yet makes Neo4j warn on a fresh database
FAILED_NODES = "MATCH (f:Failed) RETURN properties(f) AS f"

# Ends the console transaction carrying a marker (``kg.graph.read``), from kg's own session.
END_CONSOLE_TRANSACTION = """
SHOW TRANSACTIONS YIELD transactionId AS id, metaData WHERE metaData.console = $console
TERMINATE TRANSACTIONS id YIELD message
RETURN message
"""


# --- the counters' reads (kg.graph.aggregates), from ``counters`` in graph.yaml ---------------------

_VARIABLES = {"from": "x", "edge": "i", "to": "y"}  # of the counted edge's MATCH


def _on_edge(path: str) -> str:
    """``from.iso2`` -> ``x.iso2``; ``to`` -> ``y`` (the node)."""
    end, _, prop = path.partition(".")
    return f"{_VARIABLES[end]}.{_ident(prop)}" if prop else _VARIABLES[end]


def count_month(counter: CounterType, model: GraphModel) -> str:
    """One month of edges counted for ``counter``: takes ``$first`` and ``$next`` (ISO days, next
    excluded) and ``$month``; returns ``period``, the counter's dims and ``events``. The month is a
    range seek on the index of the edge's day."""
    base = model.counters[counter.sums] if counter.sums else counter
    edges = base.counts
    assert edges is not None  # a counter counts edges or sums a counter that does (graph.yaml is checked)
    rel, day = _ident(edges.relationship), _ident(edges.day)
    match = (f"MATCH (x:{_ident(edges.from_label)})-[i:{rel}]->(y:{_ident(edges.to_label)})\n"
             f"USING INDEX i:{rel}({day})\n"
             f"WHERE i.{day} >= date($first) AND i.{day} < date($next)\n")
    by = ", ".join(f"{_on_edge(path)} AS {_ident(name)}" for name, path in base.dims)
    events = f"count(DISTINCT {_on_edge(edges.event)}) AS events"
    if not counter.sums:
        return f"{match}RETURN $month AS period, {by}, {events}\n"
    unwind = "".join(f"UNWIND [{', '.join(map(_ident, v))}] AS {_ident(name)}\n"
                     for name, v in counter.dims if isinstance(v, tuple))
    summed = ", ".join(_ident(name) if v == name or isinstance(v, tuple) else f"{_ident(v)} AS {_ident(name)}"
                       for name, v in counter.dims)
    return f"{match}WITH {by}, {events}\n{unwind}RETURN $month AS period, {summed}, sum(events) AS events\n"


def stored_counters(counter: CounterType) -> str:
    """The counters of one period (``$grain``, ``$period``) as they stand, collected."""
    return collected(f"MATCH (c:{_ident(counter.label)} {{grain: $grain, period: $period}}) "
                     "RETURN c.id AS id, c.events AS events", ("id", "events"))


def roll_up_counters(counter: CounterType) -> str:
    """Counters of one grain between two periods summed per dims (a year from its months, all
    time from the years)."""
    by = ", ".join(f"c.{_ident(d)} AS {_ident(d)}" for d in counter.dim_names)
    return (f"MATCH (c:{_ident(counter.label)}) WHERE c.grain = $grain AND c.period >= $first AND c.period <= $last\n"
            f"RETURN $period AS period, {by}, sum(c.events) AS events")


def known_months(model: GraphModel) -> str:
    """Every month that has edges a counter counts, or counters that may now be stale: the first
    and last day of each counted relationship come from its index (ordered, LIMIT 1), the
    counters' months from their own index. Returns ``day`` (ISO)."""
    ends = []
    for rel, day in sorted({(c.counts.relationship, c.counts.day) for c in model.counters.values() if c.counts}):
        edge = f"MATCH ()-[r:{_ident(rel)}]->() WHERE r.{_ident(day)} IS NOT NULL RETURN r.{day} AS day ORDER BY r.{day}"
        ends += [f"{edge} LIMIT 1", f"{edge} DESC LIMIT 1"]
    labels = "|".join(_ident(c) for c in sorted(model.counters))
    return ("CALL () {\n  " + "\n  UNION\n  ".join(ends) + "\n}\n"
            "RETURN toString(day) AS day\n"
            "UNION\n"
            f"MATCH (c:{labels}) WHERE c.grain = 'month' AND c.period IS NOT NULL\n"
            "RETURN DISTINCT c.period + '-01' AS day\n")


PENDING_MONTHS = "MATCH (p:PendingRefresh {id: $id}) RETURN p.months AS months"


@dataclass(frozen=True, slots=True)
class Filters:
    """The sidebar selection: a date range (inclusive), ISO2 country codes, event types, and
    whether events without a known day are wanted too (by their first report's day)."""

    start: date | None = None
    end: date | None = None
    countries: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    undated: bool = False

    def params(self) -> dict[str, Any]:
        """The query parameters ``_EVENT_FILTER`` expects."""
        return {"start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "countries": list(self.countries), "types": list(self.types), "undated": self.undated}


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str
    label: str  # Person | Country | Organization | Place | Event
    name: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    type: str  # PARTICIPATED_IN | HELD_IN | CO_PARTICIPATED
    caption: str = ""
    weight: int = 1

    @property
    def id(self) -> str:
        return f"{self.source}|{self.type}|{self.target}"


@dataclass(frozen=True, slots=True)
class Subgraph:
    """Nodes and edges to draw; ``truncated`` says the node cap cut the picture short."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    truncated: bool = False


def _rows(driver: neo4j.Driver, query: str, **params: Any) -> list[dict[str, Any]]:
    return run_read_query(driver, query, params).rows


def _one(driver: neo4j.Driver, query: str, **params: Any) -> dict[str, Any] | None:
    rows = _rows(driver, query, **params)
    return rows[0] if rows else None


def _many(driver: neo4j.Driver, query: str, columns: tuple[str, ...], **params: Any) -> list[dict[str, Any]]:
    """``_rows`` for queries of thousands of rows: they come back as one record (``cypher.collected``)."""
    row = _one(driver, collected(query, columns), **params)
    return row["rows"] if row else []


# --- Overview -------------------------------------------------------------------------------------

_COUNTS = """
RETURN COUNT { (:Person) } AS people, COUNT { (:Country) } AS countries,
       COUNT { (:Organization) } AS organizations, COUNT { (:Place) } AS places,
       COUNT { (:Event) } AS events, COUNT { (:Article) } AS articles, COUNT { (:Source) } AS sources
"""


def overview_counts(driver: neo4j.Driver) -> dict[str, int]:
    """How many people, countries, organisations, places, events, articles and sources."""
    return _one(driver, _COUNTS) or {}


_EVENT_COLUMNS = f"""
       e.id AS id, e.type AS type, e.start AS start, e.end AS end, e.status AS status,
       e.sources AS sources, e.evidence AS evidence,
       CASE WHEN e.start IS NULL THEN {_REPORTED.format(v='e')} END AS reported,
       COLLECT {{ MATCH (e)-[:HELD_IN]->(pl) RETURN {_NAME.format(v='pl')} }}[0] AS place,
       COLLECT {{ MATCH (p)-[:PARTICIPATED_IN]->(e) RETURN {_NAME.format(v='p')} ORDER BY 1 }} AS participants
"""

_LATEST_EVENTS = f"""
MATCH (e:Event) WHERE {_EVENT_FILTER}
WITH e ORDER BY {_NEWEST_FIRST} LIMIT $limit
RETURN {_EVENT_COLUMNS}
"""


def latest_events(driver: neo4j.Driver, filters: Filters, limit: int = 20) -> list[dict[str, Any]]:
    """The most recent events (undated ones last), with place and participant names."""
    return _rows(driver, _LATEST_EVENTS, limit=limit, **filters.params())


_LAST_RUN = """
MATCH (r:Run)
RETURN r.id AS id, r.command AS command, r.started AS started, r.finished AS finished,
       r.articles AS articles, r.failed AS failed, coalesce(r.errors, []) AS errors
ORDER BY r.started DESC LIMIT 1
"""


def last_run(driver: neo4j.Driver) -> dict[str, Any] | None:
    """The latest ``kg load``/``kg update`` run with its errors, or None before the first one."""
    return _one(driver, _LAST_RUN)


_FILTER_OPTIONS = """
RETURN COLLECT { MATCH (c:Country) WHERE EXISTS { (c)-[:PARTICIPATED_IN]->(:Event) }
                 RETURN DISTINCT [c.iso2, coalesce(c.name, c.iso2)] AS c ORDER BY c[0] } AS countries,
       COLLECT { MATCH (e:Event) WHERE e.type IS NOT NULL RETURN DISTINCT e.type AS t ORDER BY t } AS types,
       COLLECT { MATCH (e:Event) WHERE e.start IS NOT NULL RETURN min(e.start) } [0] AS first,
       COLLECT { MATCH (e:Event) WHERE e.start IS NOT NULL RETURN max(e.start) } [0] AS last
"""


def filter_options(driver: neo4j.Driver) -> dict[str, Any]:
    """What the sidebar can offer: countries taking part in events ``[[iso2, name], ...]``, event
    types, and the first and last event day (ISO strings, None on an empty graph)."""
    return _one(driver, _FILTER_OPTIONS) or {"countries": [], "types": [], "first": None, "last": None}


# --- Explore --------------------------------------------------------------------------------------

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


SEARCH_CHARS = 200  # a name, with room to spare: longer text is no name
SEARCH_WORDS = 8  # words of a search used (a name has a few; each word is a clause, Lucene caps clauses at 1024)


def lucene_query(text: str) -> str:
    """A fulltext query for what a person typed: every word must match; Latin words match as
    prefixes (``lav`` finds Lavrov), other words as phrases (``拉夫罗夫`` is four one-character
    tokens to the standard analyzer, which must appear together). Empty text gives ``""``.
    Only the first ``SEARCH_CHARS`` characters and ``SEARCH_WORDS`` words count."""
    terms = []
    for word in text[:SEARCH_CHARS].split()[:SEARCH_WORDS]:
        if re.fullmatch(r"[A-Za-z0-9]+", word):
            terms.append(f"{word.lower()}*")
        else:
            terms.append('"' + _LUCENE_SPECIAL.sub(r"\\\1", word) + '"')
    return " AND ".join(terms)


_SEARCH = f"""
CALL db.index.fulltext.queryNodes('entity_names', $q, {{limit: $limit}}) YIELD node, score
RETURN node.id AS id, {_NAME.format(v='node')} AS name, {_LABEL.format(v='node')} AS label,
       coalesce(node.aliases, []) AS aliases, COUNT {{ (node)-[:PARTICIPATED_IN]->() }} AS events, score
ORDER BY score DESC, events DESC
"""


def search_entities(driver: neo4j.Driver, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """People, countries, organisations and places whose name or alias matches ``text``."""
    query = lucene_query(text)
    return _rows(driver, _SEARCH, q=query, limit=limit) if query else []


_NODES = f"""
MATCH (n) WHERE (n:Entity OR n:Event) AND n.id IN $ids
RETURN n.id AS id, coalesce({_LABEL.format(v='n')}, 'Event') AS label, {_NAME.format(v='n')} AS name,
       properties(n) AS properties
"""

# A busy actor's latest events: the edges of those weeks from the date index (all parties' edges
# of the window), not all of the actor's own. Explore's seeds and the Timeline read them so.
_RECENT_PARTICIPATIONS = """MATCH (x:Entity)-[r:PARTICIPATED_IN]->(e:Event)
USING INDEX r:PARTICIPATED_IN(start)
WHERE r.start >= date($since) AND r.start <= date($until) AND x.id IN $ids"""
_ALL_EVENTS = "MATCH (x:Entity)-[:PARTICIPATED_IN]->(e:Event) WHERE x.id IN $ids RETURN e"
_RECENT_EVENTS = _RECENT_PARTICIPATIONS + " RETURN e"


def _hop(events: str) -> str:
    """One Explore hop: the seeds' ``events`` (a subquery returning ``e``), events given as seeds
    themselves, the newest ``$max_events`` in the filters with their parties and places."""
    return f"""
CALL () {{
  {events}
  UNION
  MATCH (e:Event) WHERE e.id IN $ids RETURN e
}}
WITH e WHERE {_EVENT_FILTER}
WITH e ORDER BY {_NEWEST_FIRST} LIMIT $max_events
RETURN e.id AS id, e.type AS type, e.start AS start, e.end AS end, e.status AS status, e.sources AS sources,
       CASE WHEN e.start IS NULL THEN {_REPORTED.format(v='e')} END AS reported,
       COLLECT {{ MATCH (p)-[:PARTICIPATED_IN]->(e)
                  RETURN {{id: p.id, label: {_LABEL.format(v='p')}, name: {_NAME.format(v='p')},
                          aliases: coalesce(p.aliases, [])}} }} AS parties,
       COLLECT {{ MATCH (e)-[:HELD_IN]->(pl)
                  RETURN {{id: pl.id, label: {_LABEL.format(v='pl')}, name: {_NAME.format(v='pl')},
                          aliases: coalesce(pl.aliases, [])}} }} AS places
"""


_HOP, _RECENT_HOP = _hop(_ALL_EVENTS), _hop(_RECENT_EVENTS)


def describe_nodes(driver: neo4j.Driver, ids: Sequence[str]) -> list[GraphNode]:
    """Label and display name (and aliases) of entities or events by id (unknown ids are left out)."""
    return [GraphNode(r["id"], r["label"], r["name"], {"aliases": r["properties"].get("aliases") or []})
            for r in _rows(driver, _NODES, ids=list(ids))]


def event_day(start: str | None, reported: str | None) -> str:
    """An event's day as a reader sees it: the day, or "undated (reported DAY)" without one."""
    if start:
        return str(start)
    return f"undated (reported {reported})" if reported else "undated"


def _event_node(row: dict[str, Any]) -> GraphNode:
    return GraphNode(id=row["id"], label="Event", name=f"{row['type']} {event_day(row['start'], row['reported'])}",
                     properties={k: row[k] for k in ("type", "start", "end", "status", "sources", "reported")})


def _hop_rows(driver: neo4j.Driver, ids: list[str], filters: Filters, limit: int, seeds: bool) -> list[dict[str, Any]]:
    """The rows of one hop. Only for the seeds are the monthly counts worth asking: a later hop's
    frontier is up to ``limit`` actors. A countries filter would make those counts slow."""
    params = {**filters.params(), "ids": ids, "max_events": limit}
    since = None
    if seeds and not filters.countries:
        since = recent_since(driver, actor_monthly_counts(driver, ids, filters), filters, limit)
    if since is None:
        return _rows(driver, _HOP, **params)
    return _rows(driver, _RECENT_HOP, since=since, until=(filters.end or date.max).isoformat(), **params)


def neighbourhood(driver: neo4j.Driver, seeds: Sequence[str], depth: int, filters: Filters,
                  limit: int = NODE_CAP) -> Subgraph:
    """The events around ``seeds`` (entity or event ids) and who took part in them, ``depth`` event
    hops out (1: the seeds' own events; 2: also the events of their counterparts ...).

    Newer events come first; once ``limit`` nodes are reached the rest is left out and the result
    says ``truncated`` so the page can tell the reader. The seeds' own hop reads a busy actor's
    latest weeks from the date index, as the Timeline does (``recent_since``), not all its years.
    """
    nodes = {n.id: n for n in describe_nodes(driver, seeds)}
    edges: dict[str, GraphEdge] = {}
    frontier, expanded, truncated = list(nodes), set(), False
    for hop in range(depth):
        if not frontier or truncated:
            break
        expanded.update(frontier)
        for row in _hop_rows(driver, frontier, filters, limit, seeds=hop == 0):
            new = [n for n in (row["parties"] + row["places"]) if n["id"] not in nodes]
            if row["id"] not in nodes:
                new.append({"id": row["id"]})
            if len(nodes) + len(new) > limit:
                truncated = True
                break
            nodes[row["id"]] = _event_node(row)
            for n in row["parties"] + row["places"]:
                nodes.setdefault(n["id"], GraphNode(n["id"], n["label"] or "Entity", n["name"],
                                                    {"aliases": n["aliases"]}))
            caption = f"{row['type']} {row['start'] or 'undated'}"
            for p in row["parties"]:
                edge = GraphEdge(p["id"], row["id"], "PARTICIPATED_IN", caption)
                edges[edge.id] = edge
            for pl in row["places"]:
                edge = GraphEdge(row["id"], pl["id"], "HELD_IN", "held in")
                edges[edge.id] = edge
        frontier = [i for i, n in nodes.items() if n.label in PARTY_LABELS and i not in expanded]
    return Subgraph(nodes=tuple(nodes.values()), edges=tuple(edges.values()), truncated=truncated)


# --- Timeline -------------------------------------------------------------------------------------
#
# Counts come from the ActorCount pre-aggregates (kg.graph.aggregates) for the whole months and
# years of the range, and from the PARTICIPATED_IN edges (range seek on their start) for the
# partial months at its ends. A countries filter cannot be read from the counters (it is about the
# other parties of each event): then everything is counted from the edges, which is slower.

def _actor_counts(counters: str) -> str:
    """Events per actor id, period and type from ``counters`` (a MATCH of ActorCount ``c``) and
    from the raw edges of ``$days`` (period = month); not yet summed per group."""
    return f"""
CALL () {{
  UNWIND $periods AS p
  {counters}
  WHERE c.grain = p.grain AND c.period >= p.first AND c.period <= p.last AND (size($types) = 0 OR c.type IN $types)
  RETURN c.actor AS id, c.period AS period, c.type AS type, c.events AS events
  UNION ALL
  UNWIND $days AS d
  MATCH (x:Entity)-[r:PARTICIPATED_IN]->(e:Event)
  WHERE r.start >= date(d.first) AND r.start <= date(d.last) AND (size($ids) = 0 OR x.id IN $ids)
    AND {_EVENT_FILTER}
  RETURN x.id AS id, left(toString(r.start), 7) AS period, r.type AS type, count(DISTINCT e) AS events
}}
"""


_ACTORS = _actor_counts("MATCH (c:ActorCount)") + f"""
WITH id, sum(events) AS events ORDER BY events DESC LIMIT $limit
MATCH (x:Entity {{id: id}})
RETURN x.id AS id, {_NAME.format(v='x')} AS name, {_LABEL.format(v='x')} AS label, events
ORDER BY events DESC, name
"""
_MONTHLY = _actor_counts("UNWIND $ids AS actor MATCH (c:ActorCount {actor: actor})") + f"""
WITH id, period, type, sum(events) AS events
MATCH (x:Entity {{id: id}})
RETURN x.id AS actor_id, {_NAME.format(v='x')} AS actor, period AS month, type, events
ORDER BY month, actor_id, type
"""


def _counted(filters: Filters, coarsest: str) -> dict[str, Any]:
    """Parameters of ``_actor_counts``: the counters and raw days covering the filters' dates, or
    with a countries filter only raw days (the whole range)."""
    params = filters.params()
    if filters.countries:
        whole = {"first": params["start"] or "0001-01-01", "last": params["end"] or "9999-12-31"}
        return {**params, "periods": [], "days": [whole]}
    return {**params, **cover(filters.start, filters.end, coarsest).params()}


def top_actors(driver: neo4j.Driver, filters: Filters, limit: int = 300) -> list[dict[str, Any]]:
    """The parties with the most dated events in the selection (choices for the Timeline page)."""
    return _rows(driver, _ACTORS, ids=[], limit=limit, **_counted(filters, YEAR))


def actor_monthly_counts(driver: neo4j.Driver, actor_ids: Sequence[str], filters: Filters) -> list[dict[str, Any]]:
    """Dated events per actor, calendar month (``YYYY-MM``) and type in the selection: the Timeline
    chart, at most actors x months x types rows however long the archive."""
    if not actor_ids:
        return []
    return _many(driver, _MONTHLY, ("actor_id", "actor", "month", "type", "events"), ids=list(actor_ids),
                 **_counted(filters, MONTH))


_LATEST_OF = """
WITH e, collect({name}) AS actors
ORDER BY {order} LIMIT $limit
RETURN actors, {columns}
"""
_TIMELINE_EVENTS = f"""
MATCH (x:Entity)-[r:PARTICIPATED_IN]->(e:Event)
WHERE x.id IN $ids AND {_EVENT_FILTER}""" + _LATEST_OF.format(name=_NAME.format(v="x"), columns=_EVENT_COLUMNS, order=_NEWEST_FIRST)
_TIMELINE_EVENTS_SINCE = f"""
{_RECENT_PARTICIPATIONS} AND {_EVENT_FILTER}""" + _LATEST_OF.format(name=_NAME.format(v="x"), columns=_EVENT_COLUMNS, order=_NEWEST_FIRST)
_ALL_PARTICIPATIONS = _actor_counts("MATCH (c:ActorCount)") + "RETURN sum(events) AS events"
# Edges the date index reads in the time the actors' own expansion reads one: measured on the
# 100k-article benchmark archive (benchmarks/README.md).
DATE_INDEX_ADVANTAGE = 10


def window_start(monthly: Sequence[dict[str, Any]], limit: int) -> str | None:
    """The latest month from which some actor alone has ``limit`` events (so the latest ``limit``
    events of all of them are in it), or None when no actor has that many."""
    per_actor: dict[str, int] = {}
    for month in sorted({r["month"] for r in monthly}, reverse=True):
        for r in monthly:
            if r["month"] == month:
                per_actor[r["actor_id"]] = per_actor.get(r["actor_id"], 0) + r["events"]
        if max(per_actor.values()) >= limit:
            return month
    return None


def date_index_reads_less(in_window: int, actors_total: int, all_total: int) -> bool:
    """Whether reading every party's edges in the window (by date) beats reading the actors' own.

    The window holds ``in_window`` of the actors' ``actors_total`` edges; all parties have
    ``all_total``. Assuming the actors keep their share of the archive over time, the window holds
    about ``in_window * all_total / actors_total`` edges in all, against ``actors_total`` of the
    actors', which are ``DATE_INDEX_ADVANTAGE`` times slower to read. A busy actor's last months
    pass; a rare actor's last years do not, however few months hold its events.
    """
    return in_window * all_total <= DATE_INDEX_ADVANTAGE * actors_total * actors_total


def recent_since(driver: neo4j.Driver, monthly: Sequence[dict[str, Any]], filters: Filters,
                 limit: int) -> str | None:
    """The first day (ISO) of the stretch that holds the latest ``limit`` events of the actors
    whose ``actor_monthly_counts`` these are, when reading that stretch from the date index costs
    less than reading the actors' own edges; None when it does not, or no actor has that many."""
    month = window_start(monthly, limit)
    if month is None:
        return None
    in_window = sum(r["events"] for r in monthly if r["month"] >= month)
    # An estimate, so from the counters even under a countries filter (which they cannot apply).
    unfiltered = {**filters.params(), "countries": [], **cover(filters.start, filters.end, YEAR).params()}
    every = _one(driver, _ALL_PARTICIPATIONS, ids=[], **unfiltered)
    if not date_index_reads_less(in_window, sum(r["events"] for r in monthly), (every or {}).get("events") or 0):
        return None
    return max(d for d in (filters.start, date.fromisoformat(f"{month}-01")) if d).isoformat()


def timeline_events(driver: neo4j.Driver, actor_ids: Sequence[str], filters: Filters,
                    limit: int = 500) -> dict[str, Any]:
    """The latest ``limit`` events of the chosen actors in the selection (undated last), each with
    the chosen actors taking part, and ``total``: their events in the selection by the monthly
    counts (an event of two chosen actors counts twice; undated events are not counted).

    The monthly counts say from which month on the latest events lie, so a busy actor's latest
    weeks are read from the date index rather than ten years of its edges.
    """
    if not actor_ids:
        return {"events": [], "total": 0}
    monthly = actor_monthly_counts(driver, actor_ids, filters)
    total = sum(r["events"] for r in monthly)
    params = {**filters.params(), "ids": list(actor_ids), "limit": limit}
    since = recent_since(driver, monthly, filters, limit)
    if since is None:
        return {"events": _rows(driver, _TIMELINE_EVENTS, **params), "total": total}
    until = (filters.end or date.max).isoformat()
    return {"events": _rows(driver, _TIMELINE_EVENTS_SINCE, since=since, until=until, **params), "total": total}


_BETWEEN = f"""
MATCH (a:Country {{iso2: $a}})-[:PARTICIPATED_IN]->(e:Event)<-[:PARTICIPATED_IN]-(b:Country {{iso2: $b}})
WHERE {_EVENT_FILTER}
WITH e ORDER BY {_NEWEST_FIRST} LIMIT $limit
RETURN {_EVENT_COLUMNS}
"""


def events_between(driver: neo4j.Driver, country_a: str, country_b: str, filters: Filters,
                   limit: int = 500) -> list[dict[str, Any]]:
    """The latest ``limit`` events in which both countries (ISO2 codes) took part, undated last."""
    return _rows(driver, _BETWEEN, a=country_a, b=country_b, limit=limit, **filters.params())


# --- Profiles and events --------------------------------------------------------------------------

_PROFILE = f"""
MATCH (x:Entity {{id: $id}})
RETURN x.id AS id, {_LABEL.format(v='x')} AS label, {_NAME.format(v='x')} AS name, properties(x) AS properties,
  COLLECT {{ MATCH (a:Article)-[m:MENTIONS]->(x) WHERE m.role IS NOT NULL
             WITH m.role AS role, min(a.published) AS first_seen, max(a.published) AS last_seen, count(a) AS articles
             RETURN {{role: role, first_seen: first_seen, last_seen: last_seen, articles: articles}}
             ORDER BY first_seen }} AS roles,
  COLLECT {{ MATCH (x)-[:PARTICIPATED_IN]->(e:Event)<-[:PARTICIPATED_IN]-(y) WHERE {_EVENT_FILTER}
             WITH y, count(DISTINCT e) AS events, min(e.start) AS first, max(e.start) AS last
             RETURN {{id: y.id, name: {_NAME.format(v='y')}, label: {_LABEL.format(v='y')}, events: events,
                      first: first, last: last}}
             ORDER BY events DESC, first LIMIT $limit }} AS counterparts,
  COLLECT {{ MATCH (y)-[:REPRESENTS|LOCATED_IN]->(x)
             RETURN {{id: y.id, name: {_NAME.format(v='y')}, label: {_LABEL.format(v='y')}, role: y.role}}
             ORDER BY y.name LIMIT $limit }} AS members,
  COLLECT {{ MATCH (a:Article)-[m:MENTIONS]->(x) OPTIONAL MATCH (a)-[:PUBLISHED_BY]->(s:Source)
             RETURN {{article: a.id, title: a.title, url: a.url, published: a.published, source: s.name,
                      evidence: m.evidence}}
             ORDER BY a.published DESC LIMIT $limit }} AS sources
"""


def profile(driver: neo4j.Driver, entity_id: str, filters: Filters, limit: int = 100) -> dict[str, Any] | None:
    """A person, country, organisation or place: its properties, roles over time (as articles state
    them), counterparts in events, members (people representing a country, bodies in it), the
    articles naming it and its latest events. None when no entity has that id."""
    found = _one(driver, _PROFILE, id=entity_id, limit=limit, **filters.params())
    if found is not None:
        found["events"] = timeline_events(driver, [entity_id], filters)["events"]
    return found


_EVENT_DETAIL = f"""
MATCH (e:Event {{id: $id}})
RETURN e.id AS id, e.type AS type, e.start AS start, e.end AS end, e.status AS status,
       e.confidence AS confidence, e.evidence AS evidence, e.sources AS sources,
       CASE WHEN e.start IS NULL THEN {_REPORTED.format(v='e')} END AS reported,
  COLLECT {{ MATCH (e)-[:HELD_IN]->(pl)
             RETURN {{id: pl.id, name: {_NAME.format(v='pl')}, label: {_LABEL.format(v='pl')}}} }}[0] AS place,
  COLLECT {{ MATCH (p)-[:PARTICIPATED_IN]->(e)
             RETURN {{id: p.id, name: {_NAME.format(v='p')}, label: {_LABEL.format(v='p')}, role: p.role}}
             ORDER BY p.name }} AS participants,
  COLLECT {{ MATCH (e)-[r:REPORTED_IN]->(a:Article) OPTIONAL MATCH (a)-[:PUBLISHED_BY]->(s:Source)
             RETURN {{article: a.id, title: a.title, url: a.url, path: a.path, published: a.published,
                      source: s.name, evidence: r.evidence, confidence: r.confidence, status: r.status,
                      start: r.start, end: r.end, trigger: r.trigger}}
             ORDER BY a.published }} AS reports
"""


def event_detail(driver: neo4j.Driver, event_id: str) -> dict[str, Any] | None:
    """One event with its place, participants and every report (article + evidence sentence)."""
    return _one(driver, _EVENT_DETAIL, id=event_id)


# --- Relations and analytics ----------------------------------------------------------------------

# The matrix sums the PairCount pre-aggregates (kg.graph.aggregates) over the whole years and months
# of the filters' range, and counts the derived INTERACTED_WITH edges (one per event and pair of
# states, dated with the event's first day; range seek on that date) of the partial months at its
# ends: a few thousand counters instead of a million edges for ten years.
#
# A ten-year archive has tens of thousands of pairs, more than a page can draw or the driver can
# ship quickly. So the query ranks the states by
# their shared events first, from the StateCount counters (a few thousand; with a countries filter,
# which those cannot apply, from the pairs that include one of the countries), then reads only the
# pairs of the leading states, by key lookups in the PairCount(a, b, grain, period) index.
_PAIR_COUNTERS = """
  UNWIND $periods AS p
  MATCH (c:PairCount) {hint}
  WHERE c.grain = p.grain AND c.period >= p.first AND c.period <= p.last
    AND (size($types) = 0 OR c.type IN $types) AND {pairs}"""
_PAIR_EDGES = """
  UNWIND $days AS d
  MATCH (x:Country)-[i:INTERACTED_WITH]->(y:Country)
  USING INDEX i:INTERACTED_WITH(date)
  WHERE i.date >= date(d.first) AND i.date <= date(d.last) AND (size($types) = 0 OR i.type IN $types)
    AND {pairs}
  WITH x.iso2 AS a, y.iso2 AS b, count(DISTINCT i.event) AS events"""
_IN_FILTER = "(size($countries) = 0 OR {a} IN $countries OR {b} IN $countries)"
_AMONG_SHOWN = "{a} IN shown AND {b} IN shown AND " + _IN_FILTER
_STATE_COUNTERS = """
  UNWIND $periods AS p
  MATCH (c:StateCount)
  WHERE c.grain = p.grain AND c.period >= p.first AND c.period <= p.last AND (size($types) = 0 OR c.type IN $types)
  RETURN c.state AS state, c.events AS events"""
_STATES_OF_PAIRS = f"""{_PAIR_COUNTERS.format(hint="", pairs=_IN_FILTER.format(a="c.a", b="c.b"))}
  UNWIND [c.a, c.b] AS state
  RETURN state, c.events AS events"""


def _matrix(ranking: str) -> str:
    """The matrix query with the states ranked by the counters of ``ranking`` (a subquery
    returning ``state`` and ``events``) and by the raw edges of the partial months."""
    return f"""
CALL () {{
  {ranking}
  UNION ALL
  {_PAIR_EDGES.format(pairs=_IN_FILTER.format(a="x.iso2", b="y.iso2"))}
  UNWIND [a, b] AS state
  RETURN state, events
}}
WITH state, sum(events) AS events ORDER BY events DESC, state
WITH collect({{iso2: state, events: events}}) AS ranked
WITH ranked, [r IN ranked[..$top] | r.iso2] AS shown
OPTIONAL CALL (shown) {{
  {_PAIR_COUNTERS.format(hint="USING INDEX c:PairCount(a, b, grain, period)", pairs=_AMONG_SHOWN.format(a="c.a", b="c.b"))}
  RETURN c.a AS a, c.b AS b, c.events AS events
  UNION ALL
  {_PAIR_EDGES.format(pairs=_AMONG_SHOWN.format(a="x.iso2", b="y.iso2"))}
  RETURN a, b, events
}}
WITH ranked, a, b, sum(events) AS events ORDER BY events DESC, a, b
RETURN ranked, collect({{a: a, b: b, events: events}}) AS pairs
"""


_MATRIX, _MATRIX_OF_COUNTRIES = _matrix(_STATE_COUNTERS), _matrix(_STATES_OF_PAIRS)
_COUNTRY_NAMES = "MATCH (c:Country) RETURN c.iso2 AS iso2, coalesce(c.name, c.iso2) AS name"
MATRIX_STATES = 40  # beyond this the cells of a matrix get too small to read or click


@dataclass(frozen=True, slots=True)
class RelationsMatrix:
    """The states with the most shared events and the pairs among them.

    ``states``: the shown states, most shared events first (``iso2``, ``name``, ``events``: the sum
    over its pairs); ``pairs``: ``a < b`` by id among them with their shared events, most first;
    ``ranked``: how many states share at least one event in the selection (shown or not).
    """

    states: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    ranked: int


def relations_matrix(driver: neo4j.Driver, filters: Filters, top: int | None = MATRIX_STATES) -> RelationsMatrix:
    """The ``top`` states (all when None) with the most dated events shared with another state in
    the filters' dates and types (with a countries filter: pairs that include one of those
    countries), and how many events each pair of them took part in together."""
    row = _one(driver, _MATRIX_OF_COUNTRIES if filters.countries else _MATRIX,
               top=top if top is not None else 2**31 - 1, **filters.params(), **cover(filters.start, filters.end, YEAR).params())
    if row is None:
        return RelationsMatrix(states=[], pairs=[], ranked=0)
    names = {r["iso2"]: r["name"] for r in _rows(driver, _COUNTRY_NAMES)}  # ~250 states: cheaper than per pair
    shown = row["ranked"] if top is None else row["ranked"][:top]
    return RelationsMatrix(
        states=[{**s, "name": names.get(s["iso2"], s["iso2"])} for s in shown],
        pairs=[{**p, "a_name": names.get(p["a"], p["a"]), "b_name": names.get(p["b"], p["b"])}
               for p in row["pairs"] if p["a"] is not None],
        ranked=len(row["ranked"]))
