"""Typed records passed between kg's stages (read -> extract -> resolve -> load).

They mirror the extraction contract (``../shared/eval/CONTRACT.md``): ``ArticleExtraction.to_dict()``
gives exactly one JSONL line of ``kg extract --format jsonl`` and ``from_dict`` reads it back, so the
loader can take either records or a JSONL file. Times are typed (``datetime``, ``date``) in the
records and turned into ISO text only there, at the JSONL edge (and by the graph writer).

One event mention has one record from extraction to writing: ``Event`` as one article states it,
``EventReport`` (the same event with the article that reports it) in resolution and in the writer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from itertools import count
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from kg.errors import RecordError

# Entity ids carry their label as a prefix (``country:RU``): resolution and the writer read it from the id.
ID_PREFIX_LABELS = {"person": "Person", "country": "Country", "org": "Organization", "place": "Place"}


def label_of(entity_id: str) -> str | None:
    """The label an entity id stands for, from its prefix (``country:RU`` -> Country)."""
    return ID_PREFIX_LABELS.get(entity_id.partition(":")[0])


def other_levels(a: str | None, b: str | None, levels: tuple[tuple[str, ...], ...]) -> bool:
    """Do two event words name two levels of gathering (``levels``, schema/events.yaml: leaders',
    ministers')? A word of no level (会议, meeting) fits either. Extraction and resolution both keep
    gatherings of two levels apart (the G7 foreign ministers in May, its summit in June)."""
    la, lb = _gathering_level(a or "", levels), _gathering_level(b or "", levels)
    return la is not None and lb is not None and la != lb


@lru_cache(maxsize=4096)
def _gathering_level(trigger: str, levels: tuple[tuple[str, ...], ...]) -> int | None:
    """Of the level words in an event word, the level of the one written first ("外长峰会" is the
    ministers': 外长 qualifies 峰会). Cached: resolution asks it for every pair of gatherings it
    compares, of a few distinct words."""
    text = trigger.lower()
    found = [(at, i) for i, words in enumerate(levels) for w in words if (at := text.find(w)) >= 0]
    return min(found)[1] if found else None


def event_id_for(key: str) -> str:
    """An event's id from the text that identifies it: an article's event (its article, type,
    sides and first day) or a resolved event (its smallest canonical report key)."""
    return "event:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _required(d: dict[str, Any], key: str, what: str) -> Any:
    """A field the contract requires: a missing one is an error naming it, never a guess."""
    if d.get(key) is None:
        raise RecordError(f"{what}: the required field {key!r} is missing (CONTRACT.md)")
    return d[key]


def iso(when: date | datetime | None) -> str | None:
    """ISO text of a day or time, None kept: what the JSONL and the graph writer hold."""
    return when.isoformat() if when else None


def _day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise RecordError(f"{what}: {text!r} is not an ISO day (YYYY-MM-DD)") from exc


def _window(pair: Any, what: str) -> tuple[date, date] | None:
    """A report's window from its JSONL ``[first, last]`` (None: the article gives none)."""
    if not pair:
        return None
    if not isinstance(pair, (list, tuple)) or len(pair) != 2:
        raise RecordError(f"{what} window: {pair!r} is not [first day, last day]")
    first, last = _day(pair[0], f"{what} window"), _day(pair[1], f"{what} window")
    return (first, last) if first and last else None


def _by_constructor(record: Any) -> tuple[type, tuple[Any, ...]]:
    """Pickle a record as its constructor's arguments: extraction workers send every record to
    the loading process, and rebuilding a frozen dataclass from its generated ``__setstate__``
    costs that process half as much again (benchmarks/README.md)."""
    return type(record), tuple(getattr(record, name) for name in record.__slots__)


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from a file or feed, markup removed.

    ``text`` is the plain body: one paragraph per line, figure captions and image alt texts kept
    as paragraphs of their own (they carry facts). ``published`` is timezone-aware when known.
    """

    __reduce__ = _by_constructor

    id: str
    path: str
    title: str
    published: datetime | None
    source: str | None
    url: str | None
    language: str  # "zh" or "en"
    text: str
    format: str  # the sniffed format, e.g. "hexo", "jekyll", "hkcnews", "markdown", "html", "feed"
    content_hash: str

    def meta(self) -> ArticleMeta:
        """The article without its body: what the contract's ``article`` object holds."""
        return ArticleMeta(id=self.id, path=self.path, title=self.title, published=self.published,
                           source=self.source, url=self.url, language=self.language, format=self.format,
                           content_hash=self.content_hash)

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``article`` object (no body text: it is not part of the contract)."""
        return self.meta().to_dict()


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """The contract's ``article`` object: an ``Article`` without its body, as an extraction carries
    it (the body stays in the extracting process)."""

    __reduce__ = _by_constructor

    id: str
    path: str | None
    title: str | None
    published: datetime | None  # timezone-aware when the JSONL gives a zone
    source: str | None
    url: str | None
    language: str | None
    format: str | None
    content_hash: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "path": self.path, "title": self.title, "published": iso(self.published),
                "source": self.source, "url": self.url, "language": self.language, "format": self.format,
                "content_hash": self.content_hash}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ArticleMeta:
        aid = _required(d, "id", "article")
        published = d.get("published")
        try:
            when = datetime.fromisoformat(published) if published is not None else None
        except (TypeError, ValueError) as exc:
            raise RecordError(f"article {aid}: published {published!r} is not an ISO 8601 time") from exc
        return cls(id=aid, path=d.get("path"), title=d.get("title"), published=when, source=d.get("source"),
                   url=d.get("url"), language=d.get("language"), format=d.get("format"),
                   content_hash=d.get("content_hash"))


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, country, organisation or place found in an article.

    ``id`` is stable across articles and runs (``person:sergey-lavrov``, ``country:RU``,
    ``org:nato``, ``place:brussels``): it is what lets the graph merge mentions.
    """

    __reduce__ = _by_constructor

    id: str
    type: str  # Person | Country | Organization | Place
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO2 a person acts for / a place lies in
    role: str | None = None  # a person's role as stated or as known on the publication date
    iso2: str | None = None  # countries only
    evidence: str | None = None  # first sentence the entity was found in

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type, "name": self.name,
                               "aliases": list(self.aliases)}
        if self.type == "Country":
            out["iso2"] = self.iso2
        if self.type in ("Person", "Place", "Organization"):
            out["country"] = self.country
        if self.type == "Person":
            out["role"] = self.role
        if self.evidence is not None:
            out["evidence"] = self.evidence
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        eid = _required(d, "id", "entity")
        return cls(id=eid, type=_required(d, "type", f"entity {eid}"), name=d.get("name") or eid,
                   aliases=tuple(d.get("aliases") or ()), country=d.get("country"),
                   role=d.get("role"), iso2=d.get("iso2"), evidence=d.get("evidence"))


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world event as reported in one article (a mention; resolution merges them)."""

    __reduce__ = _by_constructor

    id: str
    type: str  # MEET | VISIT | CALL | MULTILATERAL | STATEMENT | ...
    participants: tuple[str, ...]  # entity ids
    start: date | None
    end: date | None
    place: str | None  # entity id of a Place (or Country)
    status: str  # occurred | planned | cancelled
    evidence: str
    confidence: float
    trigger: str | None = None  # the word that typed the event
    # asserted | speculative (设想, 可能: no status of its own) | background (a past event recalled):
    # event resolution weighs the report by it (kg/resolve.py, kg/graph/event_summary.py)
    modality: str = "asserted"
    # the article's other sentences that report the event (merged into it within the article)
    more_evidence: tuple[str, ...] = ()
    # the period the article names when it gives no day ("9月中旬", "本月底", "next month"): first
    # and last day it may lie in; resolution keeps the report to events within it (kg/resolve.py)
    window: tuple[date, date] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "participants": list(self.participants),
                "start": iso(self.start), "end": iso(self.end), "place": self.place, "status": self.status,
                "evidence": self.evidence, "more_evidence": list(self.more_evidence),
                "confidence": round(self.confidence, 3), "trigger": self.trigger, "modality": self.modality,
                "window": [iso(d) for d in self.window] if self.window else None}

    @property
    def reported_evidence(self) -> str:
        """Every sentence of the article that reports the event, one per line, the evidence first:
        the provenance written on REPORTED_IN."""
        return "\n".join((self.evidence, *self.more_evidence))

    @property
    def last(self) -> date | None:
        """The event's last day (its first when it gives no end)."""
        return self.end or self.start

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        eid = _required(d, "id", "event")
        what = f"event {eid}"
        return cls(id=eid, type=_required(d, "type", what), participants=tuple(d.get("participants") or ()),
                   start=_day(d.get("start"), f"{what} start"), end=_day(d.get("end"), f"{what} end"),
                   place=d.get("place"), status=_required(d, "status", what), evidence=d.get("evidence") or "",
                   confidence=float(d.get("confidence") or 0.0), trigger=d.get("trigger"),
                   modality=d.get("modality") or "asserted", more_evidence=tuple(d.get("more_evidence") or ()),
                   window=_window(d.get("window"), what))


@dataclass(frozen=True, slots=True)
class ArticleExtraction:
    """Everything extracted from one article: one line of ``kg extract --format jsonl``."""

    __reduce__ = _by_constructor

    article: ArticleMeta
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    errors: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"article": self.article.to_dict(),
                               "entities": [e.to_dict() for e in self.entities],
                               "events": [e.to_dict() for e in self.events]}
        if self.errors:
            out["errors"] = list(self.errors)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ArticleExtraction:
        return cls(article=ArticleMeta.from_dict(_required(d, "article", "extraction")),
                   entities=tuple(Entity.from_dict(e) for e in d.get("entities") or ()),
                   events=tuple(Event.from_dict(e) for e in d.get("events") or ()),
                   errors=tuple(d.get("errors") or ()))


@dataclass(frozen=True, slots=True)
class EventReport:
    """One article's report of an event: the ``Event`` as the article states it, with the article's
    id and publication time. Event resolution compares reports, and the writer writes an Event node
    from all of its reports and a REPORTED_IN edge for each.

    The event's parties are split by kind once, here: resolution compares them for every pair of
    reports in a window, batch after batch."""

    article: str
    published: datetime | None  # timezone-aware
    event: Event
    # how many legs of one tour the report's sentence lists (``kg.resolve.tour_legs``): the days
    # such a sentence gives are the tour's, so each leg's day vote counts it 1/legs
    legs: int = 1
    parties: frozenset[str] = field(init=False)  # the states and organisations taking part
    orgs: frozenset[str] = field(init=False)  # the organisations among them
    persons: frozenset[str] = field(init=False)
    published_on: date | None = field(init=False)  # the publication's calendar day
    # the parties as bits of one int (``party_bits``): resolution counts the parties two reports
    # share for every pair of a crowded day (``kg.resolve.agreeable``); an int's ``&`` and
    # ``bit_count`` do it without building a set
    bits: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parties, orgs, persons, bits = _split(self.event.participants)
        object.__setattr__(self, "parties", parties)
        object.__setattr__(self, "orgs", orgs)
        object.__setattr__(self, "persons", persons)
        object.__setattr__(self, "published_on", self.published.date() if self.published else None)
        object.__setattr__(self, "bits", bits)

    def __reduce__(self) -> tuple[type[EventReport], tuple[str, datetime | None, Event, int]]:
        """Pickled as its arguments: ``bits`` are of this process's alphabet (``party_bits``), so
        another process computes its own."""
        return EventReport, (self.article, self.published, self.event, self.legs)

    @property
    def ref(self) -> tuple[str, str]:
        """(article id, mention id): which report of which article this is."""
        return (self.article, self.event.id)

    @property
    def type(self) -> str:
        return self.event.type

    @property
    def participants(self) -> tuple[str, ...]:
        """The persons, states and organisations taking part, in the order the article gives them."""
        return tuple(p for p in self.event.participants if p in self.parties or p in self.persons)


@lru_cache(maxsize=1 << 16)
def _split(participants: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str], int]:
    """A report's participants split by kind (``EventReport``): its parties (states and
    organisations), the organisations among them, its persons, and the parties' bits. Split once
    per list of participants met: an update makes the stored reports of its windows from their
    rows again (~18k a batch), and most name a list met before."""
    labels = [(p, label_of(p)) for p in participants]
    parties = _shared(p for p, lb in labels if lb in ("Country", "Organization"))
    return (parties, _shared(p for p, lb in labels if lb == "Organization"),
            _shared(p for p, lb in labels if lb == "Person"), party_bits(parties))


def _shared(ids: Iterable[str]) -> frozenset[str]:
    return _one_set(tuple(sorted(ids)))


_BIT = count()  # the next party's bit (``party_bits``)
_BITS: dict[str, int] = {}  # party id -> its bit, in the order this process met them


@lru_cache(maxsize=1 << 16)
def party_bits(ids: frozenset[str]) -> int:
    """A set of party ids as an int with one bit for each (an alphabet of this process, growing
    with the ids met: the states and organisations of the gazetteer): ``(a & b).bit_count()`` is
    ``len(a & b)``. One int object per set met (the sets are ``_one_set``'s). Safe across threads:
    ``next`` on a counter and ``dict.setdefault`` are atomic, so two ids never share a bit."""
    out = 0
    for p in ids:
        bit = _BITS.get(p)
        if bit is None:
            bit = _BITS.setdefault(p, 1 << next(_BIT))
        out |= bit
    return out


@lru_cache(maxsize=1 << 16)
def _one_set(ids: tuple[str, ...]) -> frozenset[str]:
    """One frozenset object per set of ids: a first load keeps three per report in memory (~1M at
    100k articles), and most are a set met before."""
    return frozenset(ids)
