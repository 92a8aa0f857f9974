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
other writer in between), brings the index up to what the batch wrote - its articles' reports
taken from the rows it wrote (read back when those cannot tell them), the stored reports it moved
given their new event - and stamps it with the new mark. The changed part is written while the
last batch is (``write_shards``: files the head does not name yet), and the head stamped with the
mark once that batch committed and its mark followed (``save``).
The index is brought up to a batch while it is written, and the next batch's candidates worked
out from it meanwhile (``IndexedReports.ahead``, ``kg.graph.load``), and the rest of its
neighbourhood (``IndexedReports.near_written``). The candidates are filed, for ``joinable``, in a
pool the index keeps while it lives (``ReportIndex.joinable``): the batches of a daily update fall
on the same days, and each filed the same reports again. A writer outside kg must move
the mark too (or delete the folder): see docs/updates.md.

The index is kept in a folder, one file (a *shard*) per month of the reports' anchor days and a
head naming them with the mark: a run reads only the months its batches' windows reach and the
shards of the reports it moves or replaces, and writes only the shards that changed. A daily
update touches a month or two of the archive, so neither grows with the archive (issue 20, point 4).
"""

from __future__ import annotations

import os
import pickle
import secrets
import shutil
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import neo4j

from kg import queries
from kg.config import kg_home
from kg.graph.event_summary import instant
from kg.graph.stored import (
    REPORT_FIELDS, STORED_FIELDS, BatchWrite, GraphReports, Neighbourhood, free_of, link_hops, pins, report_of_row,
)
from kg.records import EventReport
from kg.resolve import CandidatePool, MentionRef, ResolutionRules, in_window, period, search_windows

Mark = tuple[str | None, int]  # (token, version) of the graph's :GraphMark; (None, 0) when it has none
FORMAT = 3  # of the head: an index of another format is made again
COLUMNS = REPORT_FIELDS  # what the candidate read returns of a report: the index must give the same reports
ARTICLES_PER_PAGE = 5000  # of the read that makes the index
HEAD = "head.pickle"  # the folder's file that names the shards and holds the mark
UNDATED = "undated"  # the shard of reports without an anchor day (never a candidate, but moved or replaced)
_EVENT, _ARTICLE, _MENTION, _TYPE, _START, _PUBLISHED, _WINDOW_START, _WINDOW_END = (
    COLUMNS.index(c) for c in ("event", "article", "mention_id", "type", "start", "published", "window_start",
                               "window_end"))


def default_dir() -> Path:
    """Where ``kg load`` and ``kg update`` keep the index: ``KG_HOME/cache``."""
    return kg_home() / "cache"


def index_folder(folder: Path, database: str | None) -> Path:
    return folder / f"reports-{database or 'default'}"


class ShardLost(Exception):
    """A shard the index's head names could not be read: the index is no longer whole."""


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


def _report_anchor(report: EventReport) -> date | None:
    """``_anchor`` of a report made from a row (``report_of_row``)."""
    return report.event.start or (report.published.astimezone(UTC).date() if report.published else None)


def _shard(day: date | None) -> str:
    return f"{day.year:04d}-{day.month:02d}" if day else UNDATED


def _months(first: date, last: date) -> Iterable[str]:
    """The shards of the days ``first`` .. ``last``."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


class Days:
    """Days (as ordinals) held as sorted, disjoint ranges: the days of a batch's windows, and those
    whose reports ``ReportIndex`` has pooled."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def __contains__(self, day: int) -> bool:
        i = bisect_right(self._starts, day) - 1
        return i >= 0 and day <= self._ends[i]

    def add(self, lo: int, hi: int) -> None:
        """The days ``lo`` .. ``hi``, merged with the ranges they meet or touch."""
        i, j = bisect_left(self._ends, lo - 1), bisect_right(self._starts, hi + 1)
        if i < j:
            lo, hi = min(lo, self._starts[i]), max(hi, self._ends[j - 1])
        self._starts[i:j], self._ends[i:j] = [lo], [hi]

    def gaps(self, lo: int, hi: int) -> Iterator[int]:
        """The days of ``lo`` .. ``hi`` not held, in order."""
        i = bisect_right(self._starts, lo) - 1
        day = max(lo, self._ends[i] + 1) if i >= 0 else lo
        for start, end in zip(self._starts[i + 1:], self._ends[i + 1:]):
            if start > hi:
                break
            yield from range(day, start)
            day = end + 1
        yield from range(day, hi + 1)


_NO_DAYS = Days()


class ReportIndex:
    """Every report of the graph as the candidate read returns it (a row of ``COLUMNS``, its event
    first), by (type, anchor day) for the windows and by article for what a batch replaces. A
    report is made (``report_of_row``) when it is first a candidate: a run meets a part of them.

    An index read from its folder (``load``) holds no row at first: a month's shard is read when a
    window, a move or a replaced article first needs it; ``len`` counts the rows read so far."""

    def __init__(self, mark: Mark, folder: Path | None = None, files: Mapping[str, str] | None = None) -> None:
        self.mark = mark
        self._rows: dict[MentionRef, tuple[Any, ...]] = {}
        self._key: dict[MentionRef, tuple[str, date] | None] = {}  # (type, anchor day)
        self._report: dict[MentionRef, EventReport] = {}  # made so far
        self._published: dict[str, datetime | None] = {}  # publication times parsed so far
        self._by_day: dict[tuple[str, date], list[MentionRef]] = defaultdict(list)
        self._by_article: dict[str, list[MentionRef]] = defaultdict(list)
        self._folder = folder  # where the shards not read yet are
        self._files = dict(files or {})  # shard -> its file in the folder, as last written
        self._unread = set(self._files)
        self._changed: set[str] = set()  # shards whose rows differ from their file (or have none)
        self._written: dict[str, str] = {}  # shard -> its file written since, which the head does not name yet
        self._pool: CandidatePool | None = None  # the reports of the windows met so far, kept (``joinable``)
        # (type, all?) -> the days whose reports are pooled: all of them (True), or those naming a
        # period (False: the days of True too)
        self._cover: defaultdict[tuple[str, bool], Days] = defaultdict(Days)
        self._pooled: set[MentionRef] = set()  # the reports given to the pool (those it could not file too)

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, row: Mapping[str, Any]) -> None:
        """A row of the index's reads (``queries.INDEXED_REPORTS_*``, the columns of ``COLUMNS``)."""
        values = tuple(tuple(v) if isinstance(v, list) else v for v in (row[c] for c in COLUMNS))
        day = _anchor(values)
        key = (values[_TYPE], day) if day is not None and values[_TYPE] is not None else None
        self.need([_shard(key[1] if key else None)])
        self._insert(values, key)
        self._changed.add(_shard(key[1] if key else None))

    def need(self, shards: Iterable[str]) -> None:
        """Read these shards from the folder, if not read yet (``ShardLost`` if one cannot be)."""
        for shard in shards:
            if shard in self._unread:
                self._unread.discard(shard)
                for values, type_, day in self._read_shard(shard):
                    self._insert(values, (type_, date.fromordinal(day)) if type_ is not None else None)

    def need_rows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Read the shards holding these rows (``COLUMNS``) as the index has them: what a batch replaces."""
        self.need({_shard(_anchor(tuple(row[c] for c in COLUMNS))) for row in rows})

    def _read_shard(self, shard: str) -> list[tuple[tuple[Any, ...], str | None, int]]:
        assert self._folder is not None
        try:
            with (self._folder / self._files[shard]).open("rb") as fh:
                rows: list[tuple[tuple[Any, ...], str | None, int]] = pickle.load(fh)
                return rows
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError) as exc:
            raise ShardLost(f"{self._folder / self._files[shard]}: {exc}") from exc

    def _insert(self, values: tuple[Any, ...], key: tuple[str, date] | None) -> None:
        ref = (values[_ARTICLE], values[_MENTION])
        if ref in self._rows:
            self._forget(ref)  # still listed under its article
        else:
            self._by_article[ref[0]].append(ref)
        self._rows[ref], self._key[ref] = values, key
        if key is not None:
            self._by_day[key].append(ref)
            if self._cover and (day := key[1].toordinal()) in self._cover.get((key[0], False), _NO_DAYS):
                self._pool_row(ref, day in self._cover.get((key[0], True), _NO_DAYS))

    def _forget(self, ref: MentionRef) -> None:
        del self._rows[ref]
        report = self._report.pop(ref, None)
        if ref in self._pooled:
            self._pooled.discard(ref)
            assert self._pool is not None and report is not None
            self._pool.discard(report)
        key = self._key.pop(ref)
        self._changed.add(_shard(key[1] if key else None))
        if key is not None:
            self._by_day[key].remove(ref)

    def drop_articles(self, article_ids: Iterable[str]) -> None:
        """Forget these articles' reports (their shards read before: ``need_rows``)."""
        for article in article_ids:
            for ref in self._by_article.pop(article, ()):
                self._forget(ref)

    def move(self, report: EventReport, event: str) -> None:
        """A stored report (made from a row) given its new event."""
        shard = _shard(_report_anchor(report))
        self.need([shard])
        values = self._rows.get(report.ref)
        if values is not None and values[_EVENT] != event:
            self._rows[report.ref] = (*values[:_EVENT], event, *values[_EVENT + 1:])
            self._changed.add(shard)

    def _made(self, ref: MentionRef) -> EventReport:
        report = self._report.get(ref)
        if report is None:
            row = dict(zip(COLUMNS, self._rows[ref]))
            text = row["published"]
            if isinstance(text, str):  # an article's reports share its time: parsed once (``instant`` of it is itself)
                row["published"] = self._published.get(text) or self._published.setdefault(text, instant(text))
            report = self._report[ref] = report_of_row(row)
        return report

    def candidates(self, windows: Sequence[Mapping[str, str]], skip: set[str]) -> list[tuple[str, EventReport]]:
        """(event, report) of the reports ``CANDIDATE_REPORTS`` returns for ``windows``
        (``kg.resolve.search_windows``) but those of the articles in ``skip``: each report once.
        What ``joinable``'s kept pool lets in, walked afresh: the tests' measure of it."""
        out: list[tuple[str, EventReport]] = []
        seen: set[MentionRef] = set()
        rows, by_day = self._rows, self._by_day
        for w in windows:
            day, last = date.fromisoformat(w["lo"]), date.fromisoformat(w["hi"])
            self.need(_months(day, last))
            every = w["reports"] == "all"
            while day <= last:
                for ref in by_day.get((w["type"], day), ()):
                    if ref[0] in skip or ref in seen:
                        continue
                    values = rows[ref]
                    if not every and (values[_START] or not values[_WINDOW_START] or not values[_WINDOW_END]):
                        continue  # it names no period (``kg.resolve.period``): not made to be told so
                    report = self._made(ref)
                    if every or in_window(w, report):
                        seen.add(ref)
                        out.append((values[_EVENT], report))
                day += timedelta(days=1)
        return out

    def joinable(self, windows: Sequence[Mapping[str, str]], skip: set[str], mentions: Sequence[EventReport],
                 rules: ResolutionRules, hops: int | None) -> dict[MentionRef, int]:
        """``kg.resolve.joinable`` of the ``candidates`` of ``windows`` and ``skip``, from a pool of
        them kept while the index lives (``kg.resolve.CandidatePool``): a window's days filed once,
        brought up to what each batch inserts and drops (``_insert``, ``_forget``; a move changes a
        report's event, not the report), and let in by ``_admitted``. The batches of a daily update
        fall on the same days: each walked and filed the same reports again. Their events: ``event_of``."""
        spans = self.cover(windows, rules)
        assert self._pool is not None
        return self._pool.joinable(mentions, hops, self._admitted(skip, spans))

    def cover(self, windows: Sequence[Mapping[str, str]], rules: ResolutionRules) -> dict[tuple[str, bool], Days]:
        """The days of ``windows`` by (type, of all reports?), their reports pooled (``_pool_row``)
        if not yet: a day met first by a "period" window has only those. Only the days not pooled
        yet are walked: ``preload`` covers the windows of each article of a batch in turn."""
        if self._pool is None:
            self._pool = CandidatePool(rules)
        assert self._pool.rules is rules, "one pool, of one set of rules"
        spans: defaultdict[tuple[str, bool], Days] = defaultdict(Days)
        for w in windows:
            first, last = date.fromisoformat(w["lo"]), date.fromisoformat(w["hi"])
            self.need(_months(first, last))
            every, lo, hi = w["reports"] == "all", first.toordinal(), last.toordinal()
            spans[(w["type"], every)].add(lo, hi)
            pooled = self._cover[(w["type"], every)]
            for day in list(pooled.gaps(lo, hi)):
                for ref in self._by_day.get((w["type"], date.fromordinal(day)), ()):
                    if ref not in self._pooled:
                        self._pool_row(ref, every)
            pooled.add(lo, hi)
            self._cover[(w["type"], False)].add(lo, hi)
        return spans

    def _pool_row(self, ref: MentionRef, every: bool) -> None:
        """A report given to the pool: any (``every``) or one naming a period (``candidates``' test)."""
        values = self._rows[ref]
        if not every and (values[_START] or not values[_WINDOW_START] or not values[_WINDOW_END]):
            return
        report = self._made(ref)
        if every or period(report) is not None:
            assert self._pool is not None
            self._pool.add((report,))
            self._pooled.add(ref)

    def _admitted(self, skip: set[str], spans: Mapping[tuple[str, bool], Days]) -> Callable[[EventReport], bool]:
        """Is a pooled report one of the ``candidates`` of the windows of these days (``cover``) and ``skip``?"""
        keys = self._key

        def admitted(report: EventReport) -> bool:
            ref = report.ref
            if ref[0] in skip:
                return False
            type_, day = keys[ref]  # type: ignore[misc]  # a pooled report has a day
            return (ordinal := day.toordinal()) in spans.get((type_, True), _NO_DAYS) or (
                ordinal in spans.get((type_, False), _NO_DAYS) and period(report) is not None)
        return admitted

    def event_of(self, ref: MentionRef) -> str:
        """The event a report of the index belongs to."""
        event: str = self._rows[ref][_EVENT]
        return event

    def write_shards(self, folder: Path) -> None:
        """The shards that changed since they were last written, each to a new file of ``folder``,
        which no head names yet: ``save`` names them. Written while the load's last batch is being
        written (``kg.graph.load``), so that ``save`` has only the head left to write once the batch
        committed; a run that fails or stops in between leaves the head naming the old files, and the
        next ``save`` deletes the new ones. Not while a batch is being brought into the index."""
        assert self._folder in (None, folder), "an index read from a folder is written back to it"
        folder.mkdir(parents=True, exist_ok=True)
        if not self._changed:  # every row is walked to find a shard's
            return
        tag = secrets.token_hex(4)
        grouped: dict[str, list[tuple[tuple[Any, ...], str | None, int]]] = {shard: [] for shard in self._changed}
        for values, key in zip(self._rows.values(), self._key.values()):
            shard = _shard(key[1] if key else None)
            if shard in grouped:
                grouped[shard].append((values, key[0] if key else None, key[1].toordinal() if key else 0))
        for shard, rows in grouped.items():
            self._written[shard] = f"{shard}.{tag}.pickle"
            with (folder / self._written[shard]).open("wb") as fh:
                pickle.dump(rows, fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._changed = set()

    def save(self, folder: Path) -> None:
        """The shards that changed written to new files (``write_shards``, unless written already),
        then the head naming every shard's file (written beside it and renamed over it: a reader
        sees the old index or the new one, whole), then the files it no longer names deleted. The
        shards not read are still those of the head."""
        self.write_shards(folder)
        files = {**self._files, **self._written}
        scratch = folder / f".{HEAD}.{os.getpid()}"
        with scratch.open("wb") as fh:
            pickle.dump({"format": FORMAT, "mark": self.mark, "columns": COLUMNS, "files": files}, fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(scratch, folder / HEAD)
        for old in set(os.listdir(folder)) - set(files.values()) - {HEAD}:
            (folder / old).unlink(missing_ok=True)
        self._folder, self._files, self._written = folder, files, {}

    @classmethod
    def load(cls, folder: Path, mark: Mark) -> ReportIndex | None:
        """The index of the folder if its head is stamped with ``mark`` (no shard read yet), else
        None, as when there is no head or it is not one of this format."""
        try:
            with (folder / HEAD).open("rb") as fh:
                head = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
            return None
        if not isinstance(head, dict) or (head.get("format"), head.get("columns")) != (FORMAT, COLUMNS) \
                or tuple(head.get("mark") or ()) != mark or not isinstance(head.get("files"), dict):
            return None
        return cls(mark, folder, head["files"])


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
    is dropped (its folder deleted) and the rest of the load reads its candidates from the graph."""

    def __init__(self, rules: ResolutionRules, driver: neo4j.Driver, path: Path, database: str | None = None) -> None:
        super().__init__(rules, driver, database)
        self.path = path
        self.index: ReportIndex | None = None
        self.dropped = False
        self.rebuilt = False  # made from the graph, not the file (for the benchmarks)
        self._ahead: tuple[list[str], tuple[set[str], set[MentionRef] | None]] | None = None  # ``ahead``'s work
        self._writing: BatchWrite | None = None  # the batch being written (``commit_written``)

    def _ensure(self) -> ReportIndex | None:
        """The index: its head read from the folder (the shards as needed) or made from the graph."""
        if self.index is None and not self.dropped:
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                mark = session.execute_read(read_mark)
                cached = ReportIndex.load(self.path, mark) if mark[0] is not None else None
                if cached is not None:
                    self.index = cached
                else:
                    self.index, self.rebuilt = session.execute_read(read_index), True
        return self.index

    def preload(self, batch: Sequence[EventReport]) -> None:
        """The index's head and the shards the windows of ``batch`` reach read now, as ``near``
        would read them for it (a lost one drops the index, as there), and their days' reports
        pooled (``ReportIndex.cover``): called for each article of the first batch as it is
        extracted (``kg.graph.load``), in the time the load would otherwise wait for the rest of
        the batch. When a shard is read or a day pooled does not change what the index gives."""
        index = self._ensure()
        if index is not None:
            try:
                index.cover(search_windows(batch, self.rules), self.rules)
            except ShardLost:
                self.drop()

    def ahead(self, batch: Sequence[EventReport], article_ids: Sequence[str]) -> None:
        """What ``near`` takes from the index alone - the candidates and the events they can join
        (``joinable``) - worked out while the batch before is being written (``kg.graph.load``): the
        index holds that batch already (``commit_written``), and the read of the shards this batch
        replaces is of its own articles' reports, whose shards the write cannot change (it moves
        reports between events only). ``near_written`` takes it, or ``near`` if the write moved the
        mark as it should."""
        index = self._ensure()
        ids = list(article_ids)
        self._ahead = (ids, joined) if index is not None and (joined := self._joined(index, batch, ids)) else None

    def _joined(self, index: ReportIndex, batch: Sequence[EventReport],
                ids: list[str]) -> tuple[set[str], set[MentionRef] | None] | None:
        """``joined_events`` of the index's candidates (None when a shard is lost: the index dropped),
        from the pool the index keeps of them (``ReportIndex.joinable``)."""
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            try:  # the shards of the reports the batch's articles have now, which ``commit`` replaces
                index.need_rows(session.execute_read(lambda tx: queries.collected_rows(tx, _OF_ARTICLES,
                                                                                       article_ids=ids)))
                reach = self.rules.update_reach
                linked = index.joinable(search_windows(batch, self.rules), set(ids), batch, self.rules,
                                        link_hops(reach))
            except ShardLost:
                self.drop()
                return None
        return {index.event_of(ref) for ref in linked}, free_of(linked, reach)

    def near(self, batch: Sequence[EventReport], article_ids: Sequence[str]) -> Neighbourhood:
        index = self._ensure()
        ids = list(article_ids)
        ahead, self._ahead = self._ahead, None
        joined = ahead[1] if ahead and ahead[0] == ids and index is not None else None
        if index is not None and joined is None:
            joined = self._joined(index, batch, ids)
        if joined is None:
            return super().near(batch, article_ids)
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(self._around, ids, *joined)

    def near_written(self, article_ids: Sequence[str]) -> Neighbourhood | None:
        """``near`` of the batch ``ahead`` worked out for, while the batch before it is being
        written: the stored reports are read as that batch's transaction left them (read committed:
        as the one before it wrote them) and brought up to what it writes (``BatchWrite.applied``),
        so they are those a read after its commit returns. None (``near`` once it committed) when
        the batch's articles hold reports already (they are replaced, and the batch before may
        move them), when they are the batch before's, or when that batch's reports were not taken
        from its rows (``commit_written``)."""
        ids, writing = list(article_ids), self._writing
        if self.index is None or writing is None or self._ahead is None or self._ahead[0] != ids \
                or not writing.articles.isdisjoint(ids):
            return None
        events, free = self._ahead[1]
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            stored = session.execute_read(self._stored_after, ids, events, writing)
        if stored is None:
            return None
        self._ahead = None
        return Neighbourhood(stored, set(), pinned=pins(stored, free, set()))

    def _stored_after(self, tx: neo4j.ManagedTransaction, article_ids: list[str], events: set[str],
                      writing: BatchWrite) -> list[tuple[str, EventReport]] | None:
        if tx.run(queries.EVENTS_OF_ARTICLES, article_ids=article_ids).peek() is not None:
            return None
        read = self._stored_rows(tx, event_ids=sorted(events), article_ids=article_ids)
        return writing.applied(read, set(article_ids), events)

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
        self.index, self.dropped, self._ahead, self._writing = None, True, None, None
        shutil.rmtree(self.path, ignore_errors=True)

    def commit(self, assigned: Mapping[MentionRef, str], hood: Neighbourhood, batch: Sequence[EventReport],
               article_ids: Sequence[str]) -> None:
        """The index brought up to what the batch wrote, once it committed: the stored reports it
        moved, and its articles' reports read back (as the candidate read returns them)."""
        self._writing = None
        if self.index is None:
            super().commit(assigned, hood, batch, article_ids)
            return
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            rows = session.execute_read(lambda tx: queries.collected_rows(tx, _OF_ARTICLES, article_ids=list(article_ids)))
        self._update(assigned, hood, article_ids, rows)

    @staticmethod
    def from_memory(reported: Sequence[Mapping[str, Any]], published: Mapping[str, str | None]) -> bool:
        """Can ``commit_written`` tell the rows of these REPORTED_IN rows without reading them back?
        Not when an undated report's article gives no publication time: the graph keeps the one an
        earlier version of the article gave (a null never erases), which only the graph knows."""
        return all(row["start"] is not None or published.get(row["to"]) is not None for row in reported)

    def commit_written(self, assigned: Mapping[MentionRef, str], hood: Neighbourhood, article_ids: Sequence[str],
                       reported: Sequence[Mapping[str, Any]], published: Mapping[str, str | None]) -> None:
        """``commit``, but with the batch's reports taken from the rows it writes - its REPORTED_IN
        rows (``kg.graph.rows.graph_rows``) and its articles' publication times as given - so that
        the next batch's candidates can be worked out while this one is written (``from_memory``
        first). The rows are those the read back returns: the edges' properties as written, and the
        time as the graph's ``datetime()`` stores it and ``toString`` gives it back (asked of the
        server: a time in a named zone reads back with its offset). What the batch does to the stored
        reports is kept for the next batch's ``near_written`` (when every article it reports in gives
        its time: a read of stored reports returns it with the dated ones too)."""
        self._writing = None
        if self.index is None:
            super().commit(assigned, hood, [], article_ids)
            return
        given = sorted({text for row in reported if (text := published[row["to"]])})
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            texts = dict(session.execute_read(lambda tx: tx.run(queries.DATETIME_TEXTS, values=given)
                                              .single(strict=True)["texts"])) if given else {}
        rows = [{**{c: row.get(c) for c in COLUMNS}, "event": row["from"], "article": row["to"],
                 "published": texts[published[row["to"]]] if row["start"] is None else None} for row in reported]
        self._update(assigned, hood, article_ids, rows)
        if self.index is not None and all(published[row["to"]] for row in reported):
            self._writing = BatchWrite.of(assigned, hood, article_ids, [
                (row["from"], report_of_row({**{c: row.get(c) for c in STORED_FIELDS}, "article": row["to"],
                                             "published": texts[published[row["to"]]]})) for row in reported])

    def _update(self, assigned: Mapping[MentionRef, str], hood: Neighbourhood, article_ids: Sequence[str],
                rows: Sequence[Mapping[str, Any]]) -> None:
        """The stored reports the batch moved given their new event; its articles' reports replaced by ``rows``."""
        assert self.index is not None
        try:
            for _, report in hood.stored:
                self.index.move(report, assigned[report.ref])
            self.index.drop_articles(article_ids)
            for row in rows:
                self.index.add(row)
        except ShardLost:
            self.drop()

    def write_shards(self) -> None:
        """The index's changed shards written to its folder, not named by its head yet
        (``ReportIndex.write_shards``): while the load's last batch is being written."""
        if self.index is not None:
            self.index.write_shards(self.path)

    def save(self) -> None:
        """The index's changed shards written to its folder (those not written already), stamped
        with the mark it reflects (if it is still right): once the last batch committed."""
        if self.index is not None and self.index.mark[0] is not None:
            self.index.save(self.path)
            self.path.with_name(f"{self.path.name}.pickle").unlink(missing_ok=True)  # the one file of format 2


_PAGE = queries.collected(queries.INDEXED_REPORTS_PAGE, COLUMNS)
_OF_ARTICLES = queries.collected(queries.INDEXED_REPORTS_OF_ARTICLES, COLUMNS)
