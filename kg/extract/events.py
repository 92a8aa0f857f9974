"""Event extraction: typed, dated events with their parties, from one article's sentences.

The lexicon (``schema/events.yaml``) gives trigger words per PLOVER-aligned type. For each trigger
in a sentence the parties are the entities of its clause plus the sentence's subject (Chinese puts
the actor first: "布林肯将于…前往布鲁塞尔…，并与比利时官员会晤"); the date is the sentence's date
mention nearest to the trigger; words around the trigger decide whether it is negated, hypothetical,
planned or cancelled. Mentions of the same real-world event within one article are then merged:
the same type, overlapping parties and compatible dates make one event.

Everything here is a pure function of its inputs, so articles can be processed in parallel.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import ahocorasick

from kg.errors import SchemaError
from kg.extract.dates import DateMention
from kg.extract.entities import Mention
from kg.schema import load_yaml

SCORED_TYPES = ("MEET", "VISIT", "CALL", "MULTILATERAL")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_SUMMIT_WORDS = ("峰会", "summit", "首脑")
_REMOTE_WORDS = ("视频", "视讯", "电话", "video", "phone", "virtual")
_LIST_JOINERS = "、和及与,"
_PRONOUNS = ("他", "她", "He ", "She ")


@dataclass(frozen=True, slots=True)
class Modifier:
    """Words that change a trigger's meaning when found within ``window`` characters before it."""

    words: tuple[str, ...]
    window: int
    after: bool = False
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    word: str
    begin: int
    end: int


@dataclass
class EventLexicon:
    """Trigger words by type, compiled for one pass over a sentence."""

    types: dict[str, dict[str, Any]]
    modifiers: dict[str, Modifier]
    visit_destinations: dict[str, str]
    not_triggers: tuple[str, ...]
    _zh: Any = field(default=None, repr=False)
    _en: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, data: dict[str, Any] | None = None, where: Path | str = "schema/events.yaml") -> EventLexicon:
        """Build the lexicon from the YAML table (``schema/events.yaml`` by default)."""
        raw = data if data is not None else load_yaml("events.yaml")
        try:
            types = dict(raw["types"])
            modifiers = {
                name: Modifier(words=tuple(spec.get("zh") or ()) + tuple(spec.get("en") or ()),
                               window=int(spec.get("window", 10)), after=bool(spec.get("after", False)),
                               exceptions=tuple(spec.get("except") or ()))
                for name, spec in raw["modifiers"].items()
            }
            lexicon = cls(types=types, modifiers=modifiers,
                          visit_destinations=dict(raw.get("visit_destinations") or {}),
                          not_triggers=tuple(raw.get("not_triggers") or ()))
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise SchemaError(f"{where}: malformed event lexicon ({exc!r})") from exc
        lexicon._compile()
        return lexicon

    def _compile(self) -> None:
        zh = ahocorasick.Automaton()
        en_words: dict[str, str] = {}
        for type_name, spec in self.types.items():
            for word in spec.get("zh") or ():
                zh.add_word(word, (type_name, word))
            for word in spec.get("en") or ():
                en_words[word.lower()] = type_name
        for word in self.not_triggers:
            zh.add_word(word, (None, word))
        zh.make_automaton()
        self._zh = zh
        self._en_types = en_words
        alternatives = "|".join(re.escape(w) for w in sorted(en_words, key=len, reverse=True))
        self._en = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE) if alternatives else None

    def triggers(self, sentence: str, language: str) -> list[Trigger]:
        """Trigger words in a (simplified Chinese or English) sentence: longest first, no overlaps."""
        if language == "en":
            if self._en is None:
                return []
            return [Trigger(self._en_types[m.group(0).lower()], m.group(0), m.start(), m.end())
                    for m in self._en.finditer(sentence)]
        found = [(end - len(word) + 1, end + 1, type_name, word)
                 for end, (type_name, word) in self._zh.iter(sentence)]
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        taken: list[tuple[int, int]] = []
        out = []
        for begin, end, type_name, word in found:
            if any(begin < e and b < end for b, e in taken):
                continue
            taken.append((begin, end))
            if type_name is not None:  # a not-trigger claims its span and yields nothing
                out.append(Trigger(type_name, word, begin, end))
        return sorted(out, key=lambda t: t.begin)

    def modified(self, name: str, clause: str, at: int, end: int) -> bool:
        """Whether modifier ``name`` applies to the trigger at ``at``..``end`` of the clause."""
        mod = self.modifiers.get(name)
        if mod is None:
            return False
        before = clause[max(0, at - mod.window):at]
        scopes = [before, clause[end:end + mod.window]] if mod.after else [before]
        for scope in scopes:
            for exc in mod.exceptions:
                scope = scope.replace(exc, " " * len(exc))
            if any(word in scope for word in mod.words):
                return True
        return False


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    """One sentence with what the entity and date layers found in it."""

    index: int
    text: str  # as written (the evidence)
    norm: str  # simplified Chinese, same offsets as text
    mentions: tuple[Mention, ...]
    dates: tuple[DateMention, ...]


@dataclass(frozen=True, slots=True)
class EventMention:
    """An event as one trigger in one sentence reports it (before merging within the article)."""

    type: str
    sides: frozenset[str]  # states and organisations taking part (entity ids)
    persons: frozenset[str]
    start: date | None
    end: date | None
    place: str | None
    status: str
    evidence: str
    confidence: float
    trigger: str
    sentence: int


def _sides_of(mentions: Iterable[Mention], org_country: dict[str, str | None]) -> set[str]:
    """States and organisations that mentions stand for (a person stands for their country)."""
    sides: set[str] = set()
    for m in mentions:
        if m.type == "Country":
            sides.add(m.entity_id)
        elif m.type == "Person" and m.country:
            sides.add(f"country:{m.country}")
        elif m.type == "Organization":
            country = m.country or org_country.get(m.entity_id)
            sides.add(f"country:{country}" if country else m.entity_id)
    return sides


def _clause_bounds(text: str, at: int) -> tuple[int, int]:
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, at)]
    stop = _CLAUSE_BREAK.search(text, at)
    return (starts[-1] if starts else 0, stop.start() if stop else len(text))


def _nearest_date(dates: Sequence[DateMention], trigger: Trigger) -> DateMention | None:
    """The day-precise date mention nearest the trigger, else the nearest of any precision."""
    def distance(d: DateMention) -> int:
        return trigger.begin - d.stop if d.stop <= trigger.begin else d.begin - trigger.end
    ranked = sorted(dates, key=lambda d: (d.precision != "day", abs(distance(d))))
    return ranked[0] if ranked else None


def _status(lexicon: EventLexicon, clause: str, at: int, end: int, start: date | None,
            published: date | None) -> str:
    if lexicon.modified("cancelled", clause, at, end):
        return "cancelled"
    if start and published:
        return "planned" if start > published else "occurred"
    return "planned" if lexicon.modified("planned", clause, at, end) else "occurred"


def _split_bilateral(event: EventMention, clause: str, anchor: set[str]) -> list[EventMention]:
    """"A met B, C and D" is three bilateral events when the other side is a list of states."""
    others = sorted(event.sides - anchor)
    if len(anchor) != 1 or len(others) < 2 or not any(j in clause for j in _LIST_JOINERS):
        return [event]
    return [replace(event, sides=frozenset(anchor | {o}), confidence=event.confidence - 0.1) for o in others]


def events_in_sentence(facts: SentenceFacts, lexicon: EventLexicon, *, published: date | None,
                       language: str, org_country: dict[str, str | None],
                       previous_person: Mention | None = None) -> list[EventMention]:
    """Every event a sentence reports, one per trigger that survives the modifiers."""
    out: list[EventMention] = []
    text = facts.norm
    first_clause_end = _clause_bounds(text, 0)[1] if language != "en" else len(text)
    subject = [m for m in facts.mentions if m.begin < first_clause_end]
    for trig in lexicon.triggers(text, language):
        c0, c1 = _clause_bounds(text, trig.begin) if language != "en" else (0, len(text))
        clause = text[c0:c1]
        at, end = trig.begin - c0, trig.end - c0
        if lexicon.modified("negation", clause, at, end) or lexicon.modified("hypothetical", clause, at, end):
            continue
        in_clause = [m for m in facts.mentions if c0 <= m.begin < c1]
        parties = in_clause
        if len(_sides_of(in_clause, org_country)) < 2:  # the actor is often the sentence's subject
            parties = in_clause + [m for m in subject if m not in in_clause]
        if previous_person and not any(m.type == "Person" for m in parties) and any(
                p in text[:trig.begin] for p in _PRONOUNS):
            parties.append(previous_person)
        event_type = trig.type
        spec = lexicon.types[event_type]
        sides = _sides_of(parties, org_country)
        places = [m for m in parties if m.type == "Place"]
        place = places[0].entity_id if places else None
        if event_type == "VISIT":
            host = _visit_host(trig, facts, lexicon, c1)
            visitors = _sides_of([m for m in parties if m.begin < trig.begin], org_country)
            if host is None or not visitors or visitors <= {host}:
                continue
            sides = (visitors - {host}) | {host}
            place = place or (host if host.startswith("country:") else None)
        if event_type == "MULTILATERAL":
            intergovernmental = any(s.startswith("org:") for s in sides)
            if not intergovernmental and len(sides) == 2 and any(w in text for w in _SUMMIT_WORDS):
                event_type = "CALL" if any(w in text for w in _REMOTE_WORDS) else "MEET"
            elif not intergovernmental and len(sides) < 3:
                continue
        if len(sides) < int(spec.get("min_sides", 2)):
            continue
        dm = _nearest_date(facts.dates, trig)
        start = dm.start if dm and dm.precision == "day" else None
        end_day = dm.end if dm and dm.precision == "day" else None
        persons = frozenset(m.entity_id for m in parties if m.type == "Person")
        confidence = 0.5 + 0.15 * bool(start) + 0.1 * bool(persons) + 0.1 * (len(sides) >= 2)
        event = EventMention(
            type=event_type, sides=frozenset(sides), persons=persons, start=start, end=end_day, place=place,
            status=_status(lexicon, clause, at, end, start, published), evidence=facts.text.strip(),
            confidence=min(confidence, 0.95), trigger=trig.word, sentence=facts.index)
        if event_type == "MEET":
            anchor = _sides_of([m for m in parties if m.begin < trig.begin and m.type == "Person"], org_country)
            out.extend(_split_bilateral(event, clause, anchor))
        elif event_type == "VISIT":
            out.extend(_split_visits(event, facts, trig, c1, org_country))
        else:
            out.append(event)
    return out


def _visit_host(trig: Trigger, facts: SentenceFacts, lexicon: EventLexicon, clause_end: int) -> str | None:
    """Where a visit goes: named in the trigger (访华) or the first state/place after it in the clause."""
    named = lexicon.visit_destinations.get(trig.word)
    if named:
        return named if ":" in named else f"country:{named}"
    for m in facts.mentions:
        if trig.begin <= m.begin < clause_end or (trig.word == "之行" and m.end <= trig.begin):
            if m.type == "Country":
                return m.entity_id
            if m.type in ("Place", "Organization") and m.country:
                return f"country:{m.country}"
            if m.type == "Organization":
                return m.entity_id
    return None


def _split_visits(event: EventMention, facts: SentenceFacts, trig: Trigger, clause_end: int,
                  org_country: dict[str, str | None]) -> list[EventMention]:
    """"访问意大利、荷兰和法国" is one visit per listed host state."""
    hosts = [m.entity_id for m in facts.mentions
             if m.type == "Country" and trig.end <= m.begin < clause_end]
    hosts = list(dict.fromkeys(hosts))
    if len(hosts) < 2:
        return [event]
    visitors = event.sides - set(hosts)
    return [replace(event, sides=frozenset(visitors | {h}), place=h, confidence=event.confidence - 0.1)
            for h in hosts if h not in visitors]


def _compatible_dates(a: EventMention, b: EventMention) -> bool:
    if a.start is None or b.start is None:
        return True
    a_end, b_end = a.end or a.start, b.end or b.start
    return a.start <= b_end and b.start <= a_end or abs((a.start - b.start).days) <= 1


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def merge_mentions(mentions: Sequence[EventMention]) -> list[EventMention]:
    """One event per real-world event in the article: same type, shared parties, compatible dates."""
    merged: list[EventMention] = []
    for m in mentions:
        best, best_score = None, 0.0
        for i, x in enumerate(merged):
            if x.type != m.type or not _compatible_dates(x, m):
                continue
            score = max(_overlap(x.sides, m.sides), _overlap(x.persons, m.persons) if m.persons else 0.0)
            if x.sides == m.sides or score >= 0.5 and (x.start is None or m.start is None or x.start == m.start):
                score += (x.start is not None and x.start == m.start)
                if score > best_score:
                    best, best_score = i, score
        if best is None:
            merged.append(m)
            continue
        x = merged[best]
        dated, other = (x, m) if (x.start is not None or m.start is None) else (m, x)
        merged[best] = replace(
            dated, sides=x.sides | m.sides, persons=x.persons | m.persons, place=dated.place or other.place,
            confidence=min(0.99, max(x.confidence, m.confidence) + 0.05), sentence=min(x.sentence, m.sentence))
    return merged


def event_id(article_id: str, event: EventMention) -> str:
    """Stable id of an event within an article (type, parties, first day)."""
    key = "|".join([article_id, event.type, *sorted(event.sides), str(event.start)])
    return "event:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
