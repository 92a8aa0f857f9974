"""The extraction pipeline: one article in, one ``ArticleExtraction`` out.

Sentence splitting, traditional-to-simplified folding, entity recognition, date resolution and
event extraction run in that order over one article. ``extract_article`` is a pure function of the
article and the loaded tables, so ``extract_many`` can spread articles over worker processes.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

from kg.errors import KgError, ReaderError
from kg.extract.dates import find_dates, published_date
from kg.extract.entities import ArticleEntities, Mention
from kg.extract.events import (
    EventLexicon,
    EventMention,
    SentenceFacts,
    event_id,
    events_in_sentence,
    merge_mentions,
    with_venues,
)
from kg.extract.gazetteer import Gazetteer
from kg.readers.files import iter_article_paths, read_article
from kg.readers.text import split_sentences, to_simplified
from kg.records import Article, ArticleExtraction, Event

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Tables:
    """Everything the extractors read from ``schema/``, loaded once per process."""

    gazetteer: Gazetteer
    lexicon: EventLexicon

    @classmethod
    def load(cls) -> Tables:
        return cls(gazetteer=Gazetteer.load(), lexicon=EventLexicon.load())

    def org_country(self) -> dict[str, str | None]:
        """The state each organisation belongs to (None for intergovernmental ones)."""
        return {e.id: e.country for e in self.gazetteer.entries.values() if e.type == "Organization"}


def _event_record(article_id: str, m: EventMention) -> Event:
    participants = tuple(sorted(m.sides)) + tuple(sorted(m.persons))
    return Event(id=event_id(article_id, m), type=m.type, participants=participants,
                 start=m.start.isoformat() if m.start else None,
                 end=(m.end or m.start).isoformat() if m.start else None,
                 place=m.place, status=m.status, evidence=m.evidence, confidence=round(m.confidence, 3),
                 trigger=m.trigger, modality=m.modality)


def extract_article(article: Article, tables: Tables, org_country: dict[str, str | None] | None = None) -> ArticleExtraction:
    """Entities and events of one article."""
    published = published_date(article.published)
    org_country = org_country if org_country is not None else tables.org_country()
    entities = ArticleEntities(tables.gazetteer, published, article.language)
    entities.mentions(to_simplified(article.title))
    found: list[EventMention] = []
    sentences: list[SentenceFacts] = []
    last_person: Mention | None = None
    for index, (begin, end) in enumerate(split_sentences(article.text)):
        text = article.text[begin:end]
        norm = to_simplified(text)
        mentions = tuple(entities.mentions(norm))
        facts = SentenceFacts(index=index, text=text, norm=norm, mentions=mentions,
                              dates=tuple(find_dates(norm, published)))
        sentences.append(facts)
        found.extend(events_in_sentence(facts, tables.lexicon, published=published, language=article.language,
                                        org_country=org_country, previous_person=last_person))
        people = [m for m in mentions if m.type == "Person"]
        if people:
            last_person = people[0] if article.language == "en" else people[-1]  # English: "he" is the subject
    found = with_venues(found, sentences, tables.lexicon)
    events = tuple(_event_record(article.id, m) for m in merge_mentions(found, published))
    return ArticleExtraction(article=article.to_dict(), entities=tuple(entities.entities()), events=events)


_worker_tables: Tables | None = None
_worker_orgs: dict[str, str | None] = {}


def _init_worker() -> None:
    global _worker_tables, _worker_orgs
    _worker_tables = Tables.load()
    _worker_orgs = _worker_tables.org_country()


def _extract_in_worker(article: Article) -> ArticleExtraction:
    assert _worker_tables is not None, "worker not initialised"
    return _safe_extract(article, _worker_tables, _worker_orgs)


def _safe_extract(article: Article, tables: Tables, orgs: dict[str, str | None]) -> ArticleExtraction:
    """Extraction that reports a failure inside the record instead of stopping the run."""
    try:
        return extract_article(article, tables, orgs)
    except (KgError, ValueError, KeyError, IndexError, TypeError) as exc:
        return ArticleExtraction(article=article.to_dict(), errors=(f"{article.path}: extraction failed: {exc!r}",))


def extract_many(articles: Iterable[Article], workers: int = 1, tables: Tables | None = None) -> Iterator[ArticleExtraction]:
    """Extract articles in order, in ``workers`` processes (1 = in this process); streams results."""
    if workers <= 1:
        tables = tables or Tables.load()
        orgs = tables.org_country()
        for article in articles:
            yield _safe_extract(article, tables, orgs)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        yield from _bounded_map(pool, _extract_chunk_in_worker, articles, window=workers * IN_FLIGHT_PER_WORKER)


def extract_files(paths: Iterable[str | Path], workers: int = 1) -> Iterator[ArticleExtraction | ReaderError]:
    """Read and extract the article files under ``paths`` (found as ``read_articles`` finds them),
    in order; an unreadable file gives its ReaderError. Each worker reads its own files: reading
    (sniffing the format, removing markup) costs about a quarter as much as extracting, and done
    in this process it would keep the workers waiting."""
    files = iter_article_paths(paths)
    if workers <= 1:
        tables = Tables.load()
        yield from _read_and_extract(files, tables, tables.org_country())
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        yield from _bounded_map(pool, _read_and_extract_chunk_in_worker, files, window=workers * IN_FLIGHT_PER_WORKER)


def _read_and_extract(files: Iterable[Path], tables: Tables,
                      orgs: dict[str, str | None]) -> Iterator[ArticleExtraction | ReaderError]:
    for path in files:
        try:
            article = read_article(path)
        except ReaderError as exc:
            yield exc
            continue
        yield _safe_extract(article, tables, orgs)


# Chunks of articles per task (amortises pickling and IPC) and tasks in flight per worker (keeps
# every worker busy while the parent collects). ``Executor.map`` would submit the whole input at
# once and hold every article and result of a 100k-article run in memory; this window keeps at
# most ``workers * IN_FLIGHT_PER_WORKER * ARTICLES_PER_TASK`` articles in flight.
ARTICLES_PER_TASK = 16
IN_FLIGHT_PER_WORKER = 4


def _extract_chunk_in_worker(articles: list[Article]) -> list[ArticleExtraction]:
    return [_extract_in_worker(a) for a in articles]


def _read_and_extract_chunk_in_worker(files: list[Path]) -> list[ArticleExtraction | ReaderError]:
    assert _worker_tables is not None, "worker not initialised"
    return list(_read_and_extract(files, _worker_tables, _worker_orgs))


def _bounded_map(pool: ProcessPoolExecutor, task: Callable[[list[T]], list[R]], items: Iterable[T],
                 window: int) -> Iterator[R]:
    """``task`` over chunks of ``items``, results in input order, with at most ``window`` chunks
    submitted and not yet yielded."""
    source = iter(items)
    pending: deque[Future[list[R]]] = deque()
    while True:
        while len(pending) < window and (chunk := list(islice(source, ARTICLES_PER_TASK))):
            pending.append(pool.submit(task, chunk))
        if not pending:
            return
        yield from pending.popleft().result()


def default_workers() -> int:
    """One worker per core (at least one)."""
    return max(1, os.cpu_count() or 1)
