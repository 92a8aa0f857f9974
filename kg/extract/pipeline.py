"""The extraction pipeline: one article in, one ``ArticleExtraction`` out.

Sentence splitting, traditional-to-simplified folding, entity recognition, date resolution and
event extraction run in that order over one article. ``extract_article`` is a pure function of the
article and the loaded tables, so ``extract_many`` can spread articles over worker processes.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TypeVar

from kg.errors import KgError, ReaderError
from kg.extract.dates import DateMention, DateVocabulary, find_dates, load_vocabulary, published_date, reference_after
from kg.extract.entities import ArticleEntities, news_part
from kg.extract.events import (
    EventLexicon,
    EventMention,
    SentenceFacts,
    event_ids,
    events_in_sentence,
    merge_mentions,
    with_event_days,
    with_venues,
)
from kg.extract.gazetteer import Gazetteer
from kg.extract.en_names import pronoun_referent, sexes_named
from kg.extract.mentions import Mention, NameTables
from kg.readers.files import iter_article_paths, read_article
from kg.readers.text import sentence_abbreviations, split_sentences, to_simplified
from kg.records import Article, ArticleExtraction, Event

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Tables:
    """Every table the extractors read, loaded from ``schema/`` once (``Tables.load``) and passed
    to them: nothing below reads a file or keeps a table of its own. Worker processes receive it
    once, when they start."""

    gazetteer: Gazetteer
    lexicon: EventLexicon
    dates: DateVocabulary
    names: NameTables
    sentence_abbreviations: frozenset[str]
    org_country: Mapping[str, str | None]  # the state each organisation belongs to (None: intergovernmental)

    @classmethod
    def load(cls) -> Tables:
        gazetteer = Gazetteer.load()
        orgs = {e.id: e.country for e in gazetteer.entries.values() if e.type == "Organization"}
        return cls(gazetteer=gazetteer, lexicon=EventLexicon.load(), dates=load_vocabulary(),
                   names=NameTables.load(), sentence_abbreviations=sentence_abbreviations(), org_country=orgs)


def _event_record(event_id: str, m: EventMention) -> Event:
    participants = tuple(sorted(m.sides)) + tuple(sorted(m.persons))
    return Event(id=event_id, type=m.type, participants=participants,
                 start=m.start, end=(m.end or m.start) if m.start else None,
                 place=m.place, status=m.status, evidence=m.evidence, confidence=round(m.confidence, 3),
                 trigger=m.trigger, modality=m.modality, more_evidence=m.more_evidence,
                 window=None if m.start else m.window)


_LEADING_PARENTHESIS = re.compile(r"\s*[（(][^（()）]{4,24}[）)]")
# The mentions that may be a clause's subject, named before its time (华春莹翌日表示: find_dates' names);
# a place is not (在北京两天后 counts from an event).
_SUBJECT_TYPES = frozenset({"Person", "Organization", "Country"})


def _with_trailing_dates(text: str, published: date | None, tables: Tables) -> list[tuple[int, int, int]]:
    """Sentence bounds, with a caption's trailing date "（2021年4月14日）" kept with the sentence it
    closes (the splitter puts it at the start of the next one), and for each sentence where its
    words start: after a dateline, a dated parenthesis opening its paragraph ("（中央社記者楊明珠東京
    2日專電）"), which tells where and when the outlet filed the story, not the event. A dateline
    stays in the sentence's text (the evidence a reader quotes holds it) but is no part of what is
    extracted from it (its city is no venue, its day no event's day)."""
    bounds = [[b, e, b] for b, e in split_sentences(text, tables.sentence_abbreviations)]
    for i in range(1, len(bounds)):
        b, e, _ = bounds[i]
        lead = _LEADING_PARENTHESIS.match(text, b)
        if not (lead and lead.end() <= e and find_dates(to_simplified(text[b:lead.end()]), published, tables.dates)):
            continue
        if "\n" in text[bounds[i - 1][1]:lead.start()]:
            bounds[i][2] = lead.end()
        else:
            bounds[i - 1][1] = lead.end()
            bounds[i][0] = bounds[i][2] = lead.end()
    return [(b, e, w) for b, e, w in bounds if text[w:e].strip()]


def _masked(text: str, words_from: int) -> str:
    """The sentence as extraction reads it: simplified, a dateline before ``words_from`` blanked
    (full-width spaces keep every offset)."""
    return "\u3000" * words_from + to_simplified(text[words_from:])


def _within_entities(m: EventMention, entities: ArticleEntities) -> EventMention:
    """Every participant is an entity of the article (CONTRACT.md): the organisation a person acts
    for joins the article's entities; an id that is no entity at all is left out."""
    # in sorted order: ``include`` adds entities in the order it is asked, and the article's entities
    # are listed in that order (a set's order changes with the interpreter's hash seed)
    sides = frozenset(s for s in sorted(m.sides) if entities.include(s, m.evidence))
    current = sorted({entities.current(p) for p in m.persons})  # a person renamed by a later Latin gloss
    persons = frozenset(p for p in current if entities.include(p, m.evidence))
    return m if (sides, persons) == (m.sides, m.persons) else replace(m, sides=sides, persons=persons)


def extract_article(article: Article, tables: Tables) -> ArticleExtraction:
    """Entities and events of one article."""
    published = published_date(article.published)
    entities = ArticleEntities(tables.gazetteer, tables.names, published, article.language)
    found: list[EventMention] = []
    sentences: list[SentenceFacts] = []
    last_person: Mention | None = None
    previous_people: list[Mention] = []  # English: the persons of the last sentence naming any
    sexes: dict[str, str] = {}  # English: the sex of the persons a title told ("Mr", "Ms")
    # the title is the article's first sentence: headlines state events too ("王毅致电韩国外长")
    body = news_part(article.text, tables.gazetteer.lexicon)  # the notes on the outlet's staff name no actors
    texts = [(article.title, 0)] + [(body[b:e], w - b) for b, e, w in _with_trailing_dates(body, published, tables)]
    reference = None  # the time named in the sentence before, for 次日 / 当天 / 同年
    last_day = None  # the day of the event just mentioned: the reference when the sentence before names none
    last_type = None  # the type of that event
    for index, (text, words_from) in enumerate(texts):
        norm = _masked(text, words_from)
        mentions = tuple(entities.mentions(norm))
        if article.language == "en":
            last_person = pronoun_referent(previous_people, norm, sexes, tables.names.english)
        event_day = DateMention(last_day, last_day, 0, 0, "", "day") if last_day else None
        names = [(m.begin, m.end) for m in mentions if m.type in _SUBJECT_TYPES]
        found_dates = find_dates(norm, published, tables.dates, reference=reference or event_day, names=names)
        dates = with_event_days(found_dates, tables.lexicon, last_day)
        reference = reference_after(dates)  # only the sentence just before: "just mentioned"
        facts = SentenceFacts(index=index, text=text, norm=norm, mentions=mentions, dates=dates)
        sentences.append(facts)
        new = events_in_sentence(facts, tables.lexicon, published=published, language=article.language,
                                 org_country=tables.org_country, previous_person=last_person, previous_day=last_day,
                                 previous_type=last_type)
        found.extend(new)
        last_day, last_type = next(((m.start, m.type) for m in reversed(new) if m.start), (last_day, last_type))
        people = [m for m in mentions if m.type == "Person"]
        if article.language == "en":  # "he" is the subject of the sentence before, if of the pronoun's sex
            sexes.update(sexes_named(norm, mentions, tables.names.english))
            previous_people = people or previous_people
        elif people:
            last_person = people[-1]
    found = with_venues(found, sentences, tables.lexicon)
    merged = [_within_entities(m, entities) for m in merge_mentions(found, tables.lexicon.scoring.merge, published)]
    events = tuple(_event_record(i, m) for i, m in zip(event_ids(article.id, merged), merged))
    return ArticleExtraction(article=article.meta(), entities=tuple(entities.entities()), events=events)


# The tables of this worker process, set once by ``_init_worker`` when the pool starts it.
_worker_tables: Tables | None = None


def _init_worker(tables: Tables) -> None:
    global _worker_tables
    _worker_tables = tables


def _tables_in_worker() -> Tables:
    assert _worker_tables is not None, "worker not initialised"
    return _worker_tables


def _safe_extract(article: Article, tables: Tables) -> ArticleExtraction:
    """Extraction that reports a failure of the input inside the record instead of stopping the
    run. A programming error (KeyError, TypeError, IndexError...) is not the article's fault: it
    stops the run with its traceback rather than quarantining articles one by one."""
    try:
        return extract_article(article, tables)
    except (KgError, ValueError) as exc:
        return ArticleExtraction(article=article.meta(), errors=(f"{article.path}: extraction failed: {exc!r}",))


def extract_many(articles: Iterable[Article], workers: int = 1,
                 tables: Tables | None = None) -> Generator[ArticleExtraction, None, None]:
    """Extract articles in order, in ``workers`` processes (1 = in this process); streams results."""
    tables = tables or Tables.load()
    if workers <= 1:
        for article in articles:
            yield _safe_extract(article, tables)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(tables,)) as pool:
        yield from _bounded_map(pool, _extract_chunk_in_worker, articles, window=workers * IN_FLIGHT_PER_WORKER)


def extract_files(paths: Iterable[str | Path], workers: int = 1,
                  tables: Tables | None = None) -> Iterator[ArticleExtraction | ReaderError]:
    """Read and extract the article files under ``paths`` (found as ``read_articles`` finds them),
    in order; an unreadable file gives its ReaderError. Each worker reads its own files: reading
    (sniffing the format, removing markup) costs about a quarter as much as extracting, and done
    in this process it would keep the workers waiting."""
    files = iter_article_paths(paths)
    tables = tables or Tables.load()
    if workers <= 1:
        yield from read_and_extract(files, tables)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(tables,)) as pool:
        yield from _bounded_map(pool, _read_and_extract_chunk_in_worker, files, window=workers * IN_FLIGHT_PER_WORKER)


def read_and_extract(files: Iterable[Path], tables: Tables) -> Iterator[ArticleExtraction | ReaderError]:
    """Each file read and extracted, in order; an unreadable file gives its ReaderError."""
    for path in files:
        try:
            article = read_article(path)
        except ReaderError as exc:
            yield exc
            continue
        yield _safe_extract(article, tables)


# Chunks of articles per task (amortises pickling and IPC) and tasks in flight per worker (keeps
# every worker busy while the parent collects). ``Executor.map`` would submit the whole input at
# once and hold every article and result of a 100k-article run in memory; this window keeps at
# most ``workers * IN_FLIGHT_PER_WORKER * ARTICLES_PER_TASK`` articles in flight.
ARTICLES_PER_TASK = 16
IN_FLIGHT_PER_WORKER = 4


def _extract_chunk_in_worker(articles: list[Article]) -> list[ArticleExtraction]:
    tables = _tables_in_worker()
    return [_safe_extract(a, tables) for a in articles]


def _read_and_extract_chunk_in_worker(files: list[Path]) -> list[ArticleExtraction | ReaderError]:
    return list(read_and_extract(files, _tables_in_worker()))


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
