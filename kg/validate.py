"""Check one decoded JSONL line of ``kg extract`` output against the extraction contract
(``../shared/eval/CONTRACT.md``) before anything of it is loaded (pure).

``kg load`` reads files that anyone may have written or edited. A line that breaks the contract
is refused whole, with every problem named, and the other lines still load: a wrong type must
never reach the graph, where it would pollute shared nodes for good (``aliases: "abc"`` would give
China the aliases a, b and c; an integer id would make a second node), and an oversized list must
never reach Neo4j, whose transaction memory it would exhaust (``kg.limits``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from typing import Any

from kg.limits import DEFAULT_LIMITS, Limits
from kg.schema import load_yaml

ENTITY_TYPES = ("Person", "Country", "Organization", "Place")
ID_PREFIXES = {"Person": "person:", "Country": "country:", "Organization": "org:", "Place": "place:"}
STATUSES = ("occurred", "planned", "cancelled")
LANGUAGES = ("zh", "en")
MODALITIES = ("asserted", "speculative", "background")  # optional; absent means asserted
MAX_ID_CHARS = 300
_ISO2 = re.compile(r"[A-Z]{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def event_types() -> frozenset[str]:
    """The event types of kg's lexicon (schema/events.yaml): the only ones the graph knows."""
    return frozenset(load_yaml("events.yaml")["types"])


def problems(line: Any, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Every way ``line`` (a decoded JSON value) breaks the contract; empty when it is good."""
    if not isinstance(line, dict):
        return [f"expected a JSON object with 'article', 'entities' and 'events', not {_kind(line)}"]
    out = list(_article(line.get("article")))
    entities = line.get("entities", [])
    events = line.get("events", [])
    if not isinstance(entities, list):
        out.append(f"'entities' must be a list, not {_kind(entities)}")
        entities = []
    if not isinstance(events, list):
        out.append(f"'events' must be a list, not {_kind(events)}")
        events = []
    for name, items, limit in (("entities", entities, limits.entities), ("events", events, limits.events)):
        if len(items) > limit:
            return [*out, f"'{name}' has {len(items)} items; the limit is {limit} (limits.{name} in kg.yaml)"]
    out += _strings(line.get("errors", []), "'errors'", None)
    known: dict[str, str] = {}  # entity id -> type, of the entities that are well formed
    countries: set[str] = set()
    for i, entity in enumerate(entities):
        found = list(_entity(entity, limits))
        out += [f"entities[{i}]: {p}" for p in found]
        if not found:
            known[entity["id"]] = entity["type"]
            if entity.get("country"):  # a person's state takes part without being named itself
                countries.add(f"country:{entity['country']}")
    for i, event in enumerate(events):
        out += [f"events[{i}]: {p}" for p in _event(event, known, countries, limits)]
    return out


def _article(article: Any) -> Iterator[str]:
    if not isinstance(article, dict):
        yield f"'article' must be an object, not {_kind(article)}"
        return
    yield from (f"article.{p}" for p in _id(article.get("id"), "id"))
    for key in ("path", "title", "source", "url", "format", "content_hash"):
        yield from _optional_text(article, key, "article.")
    published = article.get("published")
    if published is not None and not _datetime(published):
        yield f"article.published {published!r} is not an ISO 8601 date or time that exists"
    if "language" in article and article["language"] not in LANGUAGES:
        yield f"article.language must be one of {', '.join(LANGUAGES)}, not {article['language']!r}"


def _entity(entity: Any, limits: Limits) -> Iterator[str]:
    if not isinstance(entity, dict):
        yield f"must be an object, not {_kind(entity)}"
        return
    type_ = entity.get("type")
    if type_ not in ENTITY_TYPES:
        yield f"type must be one of {', '.join(ENTITY_TYPES)}, not {type_!r}"
    found = list(_id(entity.get("id"), "id"))
    yield from found
    if not found and type_ in ID_PREFIXES and not entity["id"].startswith(ID_PREFIXES[type_]):
        yield f"id {entity['id']!r} of a {type_} must start with {ID_PREFIXES[type_]!r}"
    for key in ("name", "role", "evidence"):
        yield from _optional_text(entity, key, "")
    aliases = entity.get("aliases", [])
    yield from _strings(aliases, "aliases", limits.aliases, "limits.aliases")
    for key in ("country", "iso2"):
        value = entity.get(key)
        if value is not None and not (isinstance(value, str) and _ISO2.fullmatch(value)):
            yield f"{key} must be an ISO 3166-1 alpha-2 code (two capital letters) or null, not {value!r}"


def _event(event: Any, entities: dict[str, str], countries: set[str], limits: Limits) -> Iterator[str]:
    if not isinstance(event, dict):
        yield f"must be an object, not {_kind(event)}"
        return
    yield from _id(event.get("id"), "id")
    if event.get("type") not in event_types():
        yield f"type {event.get('type')!r} is not an event type of schema/events.yaml"
    if event.get("status") not in STATUSES:  # required: a report without one says nothing of what happened
        yield f"status must be one of {', '.join(STATUSES)}, not {event.get('status')!r}"
    if event.get("modality", "asserted") not in MODALITIES:
        yield f"modality must be one of {', '.join(MODALITIES)}, not {event.get('modality')!r}"
    participants = event.get("participants", [])
    found = list(_strings(participants, "participants", limits.participants, "limits.participants"))
    yield from found
    if not found:
        strangers = [p for p in participants if p not in entities and p not in countries]
        if strangers:
            yield (f"participants {', '.join(map(repr, strangers[:5]))} are not ids of entities of this line "
                   "(nor the country of one)")
    place = event.get("place")
    if place is not None and not (isinstance(place, str) and (entities.get(place) in ("Place", "Country")
                                                             or place in countries)):
        yield f"place {place!r} is not the id of a Place or Country of this line"
    days = {key: event.get(key) for key in ("start", "end")}
    for key, value in days.items():
        if value is not None and _day(value) is None:
            yield f"{key} {value!r} is not an ISO date (YYYY-MM-DD) that exists"
    start, end = _day(days["start"]), _day(days["end"])
    if start and end and end < start:
        yield f"end {days['end']} is before start {days['start']}"
    for key in ("evidence", "trigger"):
        yield from _optional_text(event, key, "")
    yield from _strings(event.get("more_evidence", []), "more_evidence", None)
    confidence = event.get("confidence", 0.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        yield f"confidence must be a number from 0 to 1, not {confidence!r}"


def _id(value: Any, key: str) -> Iterator[str]:
    if not isinstance(value, str) or not value.strip():
        yield f"{key} must be a non-empty string, not {_kind(value) if not isinstance(value, str) else 'empty'}"
    elif len(value) > MAX_ID_CHARS:
        yield f"{key} is {len(value)} characters long; at most {MAX_ID_CHARS}"


def _optional_text(obj: dict[str, Any], key: str, prefix: str) -> Iterator[str]:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        yield f"{prefix}{key} must be a string or null, not {_kind(value)}"


def _strings(value: Any, name: str, limit: int | None, setting: str = "") -> Iterator[str]:
    if not isinstance(value, list):
        yield f"{name} must be a list of strings, not {_kind(value)}"
    elif limit is not None and len(value) > limit:
        yield f"{name} has {len(value)} items; the limit is {limit} ({setting} in kg.yaml)"
    elif not all(isinstance(v, str) for v in value):
        bad = next(v for v in value if not isinstance(v, str))
        yield f"{name} must be a list of strings; it holds {_kind(bad)} {bad!r:.40}"


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _datetime(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _kind(value: Any) -> str:
    """What a JSON value is, as its JSON name."""
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)
