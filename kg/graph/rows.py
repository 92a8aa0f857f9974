"""Transform extraction records into the parameter rows of the loader's UNWIND queries (pure).

Rows are grouped by node label and by (relationship type, from label, to label), so each group
is one generated ``UNWIND $rows ... MERGE`` statement (see ``kg.graph.cypher``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby, islice
from operator import itemgetter
from typing import Any, TypeVar

from kg.records import Article, ArticleExtraction, ArticleMeta, Event, iso, label_of
from kg.resolve import tour_legs

T = TypeVar("T")

ENTITY_LABELS = ("Person", "Country", "Organization", "Place")
PARTY_LABELS = ("Person", "Country", "Organization")


# Edges of an article that the loader deletes before writing the article again, so it CREATEs them
# (no MERGE lookups); with the properties that make one edge.
REPLACED_RELATIONSHIPS = {("MENTIONS", "Article", "Entity"): ("from", "to"),
                          ("REPORTED_IN", "Event", "Article"): ("from", "to", "mention_id")}


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def runs(rows: Sequence[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Edge rows as runs of consecutive rows sharing an endpoint, ``{side: id, "edges": [rows]}``,
    on the side ("from" or "to") that makes fewer runs (``kg.graph.cypher.create_relationships``
    with ``by``): the rows come grouped by the node they were made from - an article's mentions and
    reports, an event's parties, the pairs of each person in an event - so its id is sought once
    per run. The rows keep their order, and so do the edges created from them."""
    by_side = {side: [(end, list(edges)) for end, edges in groupby(rows, key=itemgetter(side))]
               for side in ("from", "to")}
    side = min(by_side, key=lambda s: len(by_side[s]))
    return side, [{side: end, "edges": edges} for end, edges in by_side[side]]


def publication_order(ex: ArticleExtraction) -> tuple[str, str]:
    """Where an article comes in a load: by publication time (as written), then id. Both write
    strategies give an entity the properties of the latest article in this order."""
    return article_order(ex.article)


def article_order(article: Article | ArticleMeta) -> tuple[str, str]:
    """``publication_order`` of an article's extraction, known before it is extracted (its
    ``Article.meta()`` keeps both): ``kg update`` extracts in this order, so that its load can
    take the extractions as they come."""
    return (iso(article.published) or "", article.id)


def slug(text: str) -> str:
    """The slug of an outlet's ``source:`` id: ``"Sergey Lavrov" -> "sergey-lavrov"``; non-Latin
    text keeps its letters. Not ``kg.extract.gazetteer.slugify`` (ASCII only, for entity ids): most
    outlets' names are Chinese and would slugify to nothing (德国之声, 纽约时报 -> ``""``)."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^\w]+", "-", folded).strip("-_") or "unknown"


@dataclass
class GraphRows:
    """The rows for one batch of articles, plus the ids the batch touches."""

    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    article_ids: list[str] = field(default_factory=list)
    event_ids: set[str] = field(default_factory=set)

    def add_node(self, label: str, row: dict[str, Any]) -> None:
        """Add a node row; two rows for the same id in one batch are combined (aliases united)."""
        rows = self.nodes[label]
        old = rows.get(row["id"])
        if old is None:
            rows[row["id"]] = row
            return
        for key, value in row.items():
            if key == "aliases":
                old[key] = list(dict.fromkeys([*(old.get(key) or []), *(value or [])]))
            elif value is not None:
                old[key] = value

    def row_count(self) -> int:
        return sum(len(r) for r in self.nodes.values()) + sum(len(r) for r in self.rels.values())


def window_props(ev: Event) -> dict[str, str | None]:
    """A report's window (``Event.window``) as REPORTED_IN's ``window_start``/``window_end``: the
    loader reads it back for resolution (``kg.graph.stored.report_of_row``)."""
    first, last = ev.window or (None, None)
    return {"window_start": iso(first), "window_end": iso(last)}


def graph_rows(extractions: Iterable[ArticleExtraction],
               event_ids: Mapping[tuple[str, str], str] | None = None,
               titles: Mapping[str, str] | None = None) -> GraphRows:
    """Rows for articles, sources, entities, events and the edges between them.

    ``event_ids`` maps (article id, mention id) to the resolved event (``kg.resolve``); a mention
    not in it is its own event. ``titles`` gives the ``role`` of the persons the gazetteer knows
    (``kg.graph.tables.person_titles``): what an article states (总理 read as "prime minister" for
    Merkel) goes on its MENTIONS edge, while the node's role must not depend on which article
    happens to be loaded last.
    """
    resolved = event_ids or {}
    known = titles or {}
    out = GraphRows()
    for ex in extractions:
        art = ex.article.to_dict()
        aid = art["id"]
        out.article_ids.append(aid)
        out.add_node("Article", {k: art.get(k) for k in
                                 ("id", "title", "published", "url", "path", "language", "format", "content_hash")})
        if art.get("source"):
            sid = "source:" + slug(art["source"])
            out.add_node("Source", {"id": sid, "name": art["source"]})
            out.rels[("PUBLISHED_BY", "Article", "Source")].append({"from": aid, "to": sid})
        for ent in ex.entities:
            if ent.type not in ENTITY_LABELS:
                continue
            row: dict[str, Any] = {"id": ent.id, "name": ent.name, "aliases": list(ent.aliases)}
            if ent.type == "Country":
                row["iso2"] = ent.iso2
            else:
                row["country"] = ent.country
            if ent.type == "Person":
                row["role"] = known.get(ent.id, ent.role)
            out.add_node(ent.type, row)
            out.rels[("MENTIONS", "Article", "Entity")].append(
                {"from": aid, "to": ent.id, "evidence": ent.evidence, "role": ent.role})
            if ent.country and ent.type != "Country":
                cid = f"country:{ent.country}"
                out.add_node("Country", {"id": cid, "iso2": ent.country})
                rel = "REPRESENTS" if ent.type == "Person" else "LOCATED_IN"
                out.rels[(rel, ent.type, "Country")].append({"from": ent.id, "to": cid})
        legs = tour_legs(ex.events)
        for ev in ex.events:
            for pid in ev.participants:  # a person's state takes part without being named itself
                if label_of(pid) == "Country":
                    out.add_node("Country", {"id": pid, "iso2": pid.partition(":")[2]})
            eid = resolved.get((aid, ev.id), ev.id)
            out.event_ids.add(eid)
            out.add_node("Event", {"id": eid, "type": ev.type})
            out.rels[("REPORTED_IN", "Event", "Article")].append({
                "from": eid, "to": aid, "evidence": ev.reported_evidence, "confidence": ev.confidence,
                "trigger": ev.trigger, "type": ev.type, "start": iso(ev.start), "end": iso(ev.end),
                "status": ev.status, "place": ev.place, "mention_id": ev.id, "modality": ev.modality,
                "participants": [p for p in ev.participants if label_of(p) in PARTY_LABELS], "legs": legs[ev.id],
                **window_props(ev),
            })
    for key, identity in REPLACED_RELATIONSHIPS.items():  # written with CREATE: one row per edge
        if key in out.rels:
            out.rels[key] = list({tuple(r[f] for f in identity): r for r in out.rels[key]}.values())
    return out


@dataclass(frozen=True, slots=True)
class EventParties:
    """An event as the derived edges need it: its id, type, first day and participants."""

    id: str
    type: str
    start: str | None
    participants: tuple[str, ...]


def derived_rows(events: Iterable[EventParties], contact_types: frozenset[str]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """MET rows (pairs of persons in a contact event) and INTERACTED_WITH rows (pairs of states in
    any event), one per event and pair, from the smaller id to the larger (so the edge is unique)."""
    out: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for ev in events:
        groups = [("INTERACTED_WITH", "Country")]
        if ev.type in contact_types:
            groups.append(("MET", "Person"))
        for rel, label in groups:
            ids = sorted({p for p in ev.participants if label_of(p) == label})
            out[(rel, label, label)] += [{"from": a, "to": b, "event": ev.id, "date": ev.start, "type": ev.type}
                                         for i, a in enumerate(ids) for b in ids[i + 1:]]
    return out


def role_rows(roles: Iterable[tuple[str, str, str, str | None, str | None]]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """HOLDS_ROLE rows from (person id, holder id, title, start, end) tuples, grouped by holder label;
    roles without a first day are left out (the day is part of the edge's key)."""
    out: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for person, holder, title, start, end in roles:
        label = label_of(holder)
        if start and label in ("Country", "Organization"):
            out[("HOLDS_ROLE", "Person", label)].append(
                {"from": person, "to": holder, "title": title, "start": start, "end": end})
    return out
