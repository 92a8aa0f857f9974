"""Typed records passed between kg's stages (read -> extract -> resolve -> load).

They mirror the extraction contract (``../shared/eval/CONTRACT.md``): ``ArticleExtraction.to_dict()``
gives exactly one JSONL line of ``kg extract --format jsonl`` and ``from_dict`` reads it back, so the
loader can take either records or a JSONL file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def _by_constructor(record: Any) -> tuple[type, tuple[Any, ...]]:
    """Pickle a record as its constructor's arguments: extraction workers send every record to
    the loading process, and rebuilding a frozen dataclass from its generated ``__setstate__``
    costs that process half as much again (an article's records: 180 us instead of 265 us)."""
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

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``article`` object (no body text: it is not part of the contract)."""
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "url": self.url,
            "language": self.language,
            "format": self.format,
            "content_hash": self.content_hash,
        }


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
        return cls(id=d["id"], type=d["type"], name=d.get("name") or d["id"],
                   aliases=tuple(d.get("aliases") or ()), country=d.get("country"),
                   role=d.get("role"), iso2=d.get("iso2"), evidence=d.get("evidence"))


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world event as reported in one article (a mention; resolution merges them)."""

    __reduce__ = _by_constructor

    id: str
    type: str  # MEET | VISIT | CALL | MULTILATERAL | STATEMENT | ...
    participants: tuple[str, ...]  # entity ids
    start: str | None  # ISO date
    end: str | None
    place: str | None  # entity id of a Place (or Country)
    status: str  # occurred | planned | cancelled
    evidence: str
    confidence: float
    trigger: str | None = None  # the word that typed the event
    modality: str | None = None  # "speculative": the text only deems it possible (written only when set)

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "type": self.type, "participants": list(self.participants),
               "start": self.start, "end": self.end, "place": self.place, "status": self.status,
               "evidence": self.evidence, "confidence": round(self.confidence, 3),
               "trigger": self.trigger}
        if self.modality:
            out["modality"] = self.modality
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(id=d["id"], type=d["type"], participants=tuple(d.get("participants") or ()),
                   start=d.get("start"), end=d.get("end"), place=d.get("place"),
                   status=d.get("status") or "occurred", evidence=d.get("evidence") or "",
                   confidence=float(d.get("confidence") or 0.0), trigger=d.get("trigger"),
                   modality=d.get("modality"))


@dataclass(frozen=True, slots=True)
class ArticleExtraction:
    """Everything extracted from one article: one line of ``kg extract --format jsonl``."""

    __reduce__ = _by_constructor

    article: dict[str, Any]  # Article.to_dict() (or the contract's article object read back)
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    errors: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"article": self.article,
                               "entities": [e.to_dict() for e in self.entities],
                               "events": [e.to_dict() for e in self.events]}
        if self.errors:
            out["errors"] = list(self.errors)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ArticleExtraction:
        return cls(article=d["article"],
                   entities=tuple(Entity.from_dict(e) for e in d.get("entities") or ()),
                   events=tuple(Event.from_dict(e) for e in d.get("events") or ()),
                   errors=tuple(d.get("errors") or ()))
