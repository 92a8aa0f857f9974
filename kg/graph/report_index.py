"""The stored reports resolution's candidate read returns, kept between runs under ``KG_HOME``.

An update of articles spread over years asks ``queries.CANDIDATE_REPORTS`` for nearly every
report of the archive, batch after batch and run after run (benchmarks/README.md, "Incremental
update"). The index holds, for every report in the graph, the columns that read returns (type,
days, publication time, parties and persons, event id ...), by type and anchor day, and gives the
same candidates without asking the server. Resolution still reads from the graph the small rest:
the events of the batch's own articles and every report of the events its mentions can join.

It is right only while the graph holds what it was made from. The graph says so with its mark
(``:GraphMark``, schema/graph.yaml): every kg transaction that writes reports adds one to the
mark's ``version`` in that same transaction (``cypher.BUMP_MARK``); its ``token`` is drawn when the
mark is created, so a graph emptied and loaded again does not repeat a (token, version). The index
file is stamped with the mark it reflects. A load reads the mark first: the same, and the index is
used; else every report is read once (a page of articles at a time) and the index made again.
After each of its own batches the loader checks that its write moved the mark by exactly one (no
other writer in between), brings the index up to what the batch wrote - its articles' reports read
back, the stored reports it moved given their new event - and stamps it with the new mark; at the
end the file is written. A writer outside kg must move the mark too (or delete the file): see
docs/updates.md.
"""

from __future__ import annotations

import os
import pickle
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

import neo4j

from kg import queries
from kg.config import kg_home
from kg.graph.event_summary import instant
from kg.graph.stored import REPORT_FIELDS, GraphReports, Neighbourhood, report_of_row
from kg.records import EventReport
from kg.resolve import MentionRef, ResolutionRules, in_window, search_windows

Mark = tuple[str | None, int]  # (token, version) of the graph's :GraphMark; (None, 0) when it has none
FORMAT = 2  # of the file: a file of another format is made again
COLUMNS = REPORT_FIELDS  # what the candidate read returns of a report: the index must give the same reports
ARTICLES_PER_PAGE = 5000  # of the read that makes the index
_EVENT, _ARTICLE, _MENTION, _TYPE, _START, _PUBLISHED = (COLUMNS.index(c) for c in
                                                         ("event", "article", "mention_id", "type", "start", "published"))


def default_dir() -> Path:
    """Where ``kg load`` and ``kg update`` keep the index: ``KG_HOME/cache``."""
    return kg_home() / "cache"


def index_file(folder: Path, database: str | None) -> Path:
    return folder / f"reports-{database or 'default'}.pickle"


def read_mark(tx: neo4j.ManagedTransaction) -> Mark:
    row = tx.run(queries.GRAPH_MARK).single(strict=True)
    return (row["token"], row["version"] or 0) if row["token"] is not None else (None, 0)


def follows(before: Mark, after: Mark) -> bool:
    """Is ``after`` the mark one write makes of ``before``? (A graph without a mark gets one then.)"""
    return after[1] == before[1] + 1 and (after[0] == before[0] or before == (None, 0))


def _anchor(values: Sequence[Any]) -> date | None:
    """The day ``CANDIDATE_REPORTS`` finds a report (a row of ``COLUMNS``) by: its first day, else
    the UTC day of its article's publication (the query compares instants with ``datetime(day)``,
    midnight UTC)."""
    if values[_START]:
        return date.fromisoformat(values[_START])
    published = instant(values[_PUBLISHED])
    return published.astimezone(UTC).date() if published else None


class ReportIndex:
    """Every report of the graph as the candidate read returns it (a row of ``COLUMNS``, its event
    first), by (type, anchor day) for the windows and by article for what a batch replaces. A
    report is made (``report_of_row``) when it is first a candidate: a run meets a part of them."""

    def __init__(self, mark: Mark) -> None:
        self.mark = mark
        self._rows: dict[MentionRef, tuple[Any, ...]] = {}
        self._key: dict[MentionRef, tuple[str, date] | None] = {}  # (type, anchor day)
        self._report: dict[MentionRef, EventReport] = {}  # made so far
        self._by_day: dict[tuple[str, date], list[MentionRef]] = defaultdict(list)
        self._by_article: dict[str, list[MentionRef]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, row: Mapping[str, Any]) -> None:
        """A row of the index's reads (``queries.INDEXED_REPORTS_*``, the columns of ``COLUMNS``)."""
        values = tuple(tuple(v) if isinstance(v, list) else v for v in (row[c] for c in COLUMNS))
        day = _anchor(values)
        self._insert(values, (values[_TYPE], day) if day is not None and values[_TYPE] is not None else None)

    def _insert(self, values: tuple[Any, ...], key: tuple[str, date] | None) -> None:
        ref = (values[_ARTICLE], values[_MENTION])
        if ref in self._rows:
            self._forget(ref)  # still listed under its article
        else:
            self._by_article[ref[0]].append(ref)
        self._rows[ref], self._key[ref] = values, key
        if key is not None:
            self._by_day[key].append(ref)

    def _forget(self, ref: MentionRef) -> None:
        del self._rows[ref]
        self._report.pop(ref, None)
        if (key := self._key.pop(ref)) is not None:
            self._by_day[key].remove(ref)

    def drop_articles(self, article_ids: Iterable[str]) -> None:
        for article in article_ids:
            for ref in self._by_article.pop(article, ()):
                self._forget(ref)

    def move(self, ref: MentionRef, event: str) -> None:
        values = self._rows.get(ref)
        if values is not None and values[_EVENT] != event:
            self._rows[ref] = (*values[:_EVENT], event, *values[_EVENT + 1:])

    def _made(self, ref: MentionRef) -> EventReport:
        report = self._report.get(ref)
        if report is None:
            report = self._report[ref] = report_of_row(dict(zip(COLUMNS, self._rows[ref])))
        return report

    def candidates(self, windows: Sequence[Mapping[str, str]], skip: set[str]) -> list[tuple[str, EventReport]]:
        """(event, report) of the reports ``CANDIDATE_REPORTS`` returns for ``windows``
        (``kg.resolve.search_windows``) but those of the articles in ``skip``: each report once."""
        out: list[tuple[str, EventReport]] = []
        seen: set[MentionRef] = set()
        for w in windows:
            day, last = date.fromisoformat(w["lo"]), date.fromisoformat(w["hi"])
            while day <= last:
                for ref in self._by_day.get((w["type"], day), ()):
                    if ref[0] not in skip and ref not in seen and in_window(w, self._made(ref)):
                        seen.add(ref)
                        out.append((self._rows[ref][_EVENT], self._made(ref)))
                day += timedelta(days=1)
        return out

    def save(self, path: Path) -> None:
        """Written whole to a file beside ``path``, then renamed over it: a reader never sees half."""
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{os.getpid()}")
        rows = [(values, key[0] if key else None, key[1].toordinal() if key else 0)
                for values, key in zip(self._rows.values(), self._key.values())]
        with scratch.open("wb") as fh:
            pickle.dump({"format": FORMAT, "mark": self.mark, "columns": COLUMNS}, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(rows, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(scratch, path)

    @classmethod
    def load(cls, path: Path, mark: Mark) -> ReportIndex | None:
        """The index of the file if it is stamped with ``mark`` (read after its header only), else
        None, as when there is no file or it is not one of this format."""
        try:
            with path.open("rb") as fh:
                head = pickle.load(fh)
                if not isinstance(head, dict) or (head.get("format"), head.get("columns")) != (FORMAT, COLUMNS) \
                        or tuple(head.get("mark") or ()) != mark:
                    return None
                rows = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
            return None
        index = cls(mark)
        for values, type_, day in rows:
            index._insert(values, (type_, date.fromordinal(day)) if type_ is not None else None)
        return index


def read_index(tx: neo4j.ManagedTransaction) -> ReportIndex:
    """The index made from the graph: its mark, then every report, a page of articles at a time
    (read after the mark: a write in between moves the mark past it, which the loader sees)."""
    index = ReportIndex(read_mark(tx))
    after = ""
    while True:
        rows = queries.collected_rows(tx, _PAGE, after=after, articles=ARTICLES_PER_PAGE)
        for row in rows:
            if row["event"] is not None:
                index.add(row)
        articles = {row["article"] for row in rows}
        if len(articles) < ARTICLES_PER_PAGE:
            return index
        after = max(articles)


class IndexedReports(GraphReports):
    """``GraphReports`` whose candidates come from the report index (``ReportIndex``), loaded from
    ``path`` when its mark is the graph's, else read from the graph, on the first batch. When a
    batch's write did not move the mark by exactly one, another writer wrote in between: the index
    is dropped (the file deleted) and the rest of the load reads its candidates from the graph."""

    def __init__(self, rules: ResolutionRules, driver: neo4j.Driver, path: Path, database: str | None = None) -> None:
        super().__init__(rules, driver, database)
        self.path = path
        self.index: ReportIndex | None = None
        self.dropped = False
        self.rebuilt = False  # made from the graph, not the file (for the benchmarks)

    def _ensure(self) -> ReportIndex | None:
        if self.index is None and not self.dropped:
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                mark = session.execute_read(read_mark)
                cached = ReportIndex.load(self.path, mark) if mark[0] is not None else None
                if cached is not None:
                    self.index = cached
                else:
                    self.index, self.rebuilt = session.execute_read(read_index), True
        return self.index

    def near(self, batch: Sequence[EventReport], article_ids: Sequence[str]) -> Neighbourhood:
        index = self._ensure()
        if index is None:
            return super().near(batch, article_ids)
        ids = list(article_ids)
        candidates = index.candidates(search_windows(batch, self.rules), set(ids))
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(self._read, batch, ids, candidates)

    def prefetch(self, batch: Sequence[EventReport], article_ids: Sequence[str], reader: Any) -> None:
        if self.dropped:
            super().prefetch(batch, article_ids, reader)

    def written(self, mark: Mark) -> None:
        """The mark a batch's write transaction returned: the index stays right if it follows its own."""
        if self.index is not None and not follows(self.index.mark, mark):
            self.drop()
        elif self.index is not None:
            self.index.mark = mark

    def drop(self) -> None:
        self.index, self.dropped = None, True
        self.path.unlink(missing_ok=True)

    def commit(self, assigned: Mapping[MentionRef, str], hood: Neighbourhood, batch: Sequence[EventReport],
               article_ids: Sequence[str]) -> None:
        """The index brought up to what the batch wrote: the stored reports it moved, and its
        articles' reports read back (as the candidate read returns them)."""
        if self.index is None:
            super().commit(assigned, hood, batch, article_ids)
            return
        for _, report in hood.stored:
            self.index.move(report.ref, assigned[report.ref])
        self.index.drop_articles(article_ids)
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            rows = session.execute_read(lambda tx: queries.collected_rows(tx, _OF_ARTICLES, article_ids=list(article_ids)))
        for row in rows:
            self.index.add(row)

    def save(self) -> None:
        """The index written to its file, stamped with the mark it reflects (if it is still right)."""
        if self.index is not None and self.index.mark[0] is not None:
            self.index.save(self.path)


_PAGE = queries.collected(queries.INDEXED_REPORTS_PAGE, COLUMNS)
_OF_ARTICLES = queries.collected(queries.INDEXED_REPORTS_OF_ARTICLES, COLUMNS)
