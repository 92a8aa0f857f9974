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

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kg.errors import SchemaError
from kg.extract.dates import DateMention
from kg.extract.en_events import (
    EnglishPatterns,
    english_clause,
    english_event_type,
    english_past,
    english_remote,
    english_role_reference,
    fronted_clause_end,
    names_a_boss,
)
from kg.extract.entities import Mention
from kg.extract.gazetteer import NOBODY
from kg.extract.keys import KeyMatcher
from kg.readers.text import to_simplified
from kg.records import event_id_for, other_levels
from kg.schema import load_yaml

_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_MEETING_TYPES = ("MEET", "CALL", "MULTILATERAL")
_OCCASION_TYPES = (*_MEETING_TYPES, "VISIT")  # events that are an occasion others happen at
_TALKS = ("MEET", "CALL")  # two sides talking: what a refusal cancels (see _refused)
# Modifiers that, before a demonstrative's occasion word, are of what the occasion brings, not of
# whether it took place ("希望克拉夫特这次来台能够延续…", "如果此次会谈卓有成效"): the word still
# refers back to the event told (_reference).
_OF_WHAT_FOLLOWS = ("negation", "hypothetical", "possibility")
_SKIPPING_MODIFIERS = ("negation", "hypothetical", "possibility", "anaphoric", "habitual", "distributive", "message")


@dataclass(frozen=True, slots=True)
class Modifier:
    """Words that change a trigger's meaning when found within ``window`` characters before it.
    English words match whole words only ("may" is not in "mayor"), within their own window."""

    words: tuple[str, ...]
    window: int
    after: bool = False
    exceptions: tuple[str, ...] = ()
    english: re.Pattern[str] | None = None
    en_window: int = 0
    en_after: bool = False
    zh: re.Pattern[str] | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # compiled once: ``modified`` runs for every trigger and skipping modifier of every sentence
        object.__setattr__(self, "zh", _any_of(self.words) if self.words else None)

    def found_in(self, scope: str) -> bool:
        """Whether one of the Chinese words occurs in ``scope`` outside the exceptions."""
        if self.zh is None or self.zh.search(scope) is None:  # the exceptions only take words away
            return False
        for exc in self.exceptions:
            scope = scope.replace(exc, " " * len(exc))
        return self.zh.search(scope) is not None

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Modifier:
        window = int(spec.get("window", 10))
        en = tuple(spec.get("en") or ())
        pattern = "|".join(re.escape(w) for w in sorted(en, key=len, reverse=True))
        return cls(words=tuple(spec.get("zh") or ()), window=window, after=bool(spec.get("after", False)),
                   exceptions=tuple(spec.get("except") or ()),
                   english=re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE) if en else None,
                   en_window=int(spec.get("en_window", 4 * window)), en_after=bool(spec.get("en_after", False)))


@dataclass(frozen=True, slots=True)
class Confidence:
    """An event mention's confidence: ``base`` plus a bonus per piece of evidence, at most ``cap``."""

    base: float
    dated: float
    with_persons: float
    two_sides: float
    cap: float


@dataclass(frozen=True, slots=True)
class MergeWeights:
    """How mentions of one event within an article are recognised and pooled (see _same_event)."""

    current_news_days: int
    min_overlap: float
    same_day: float
    shared_person: float
    same_status: float
    boost: float
    cap: float
    levels: tuple[tuple[str, ...], ...] = ()  # gathering words by level: a summit is not a ministerial
    # a visit's trigger words (schema/events.yaml types VISIT, but single characters): a sentence
    # naming a trip by one is a sentence of the trip (_occasions_told_by_meetings)
    trip_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scoring:
    """The weights and thresholds of event scoring (``scoring`` in ``schema/events.yaml``)."""

    confidence: Confidence
    merge: MergeWeights
    speculative_penalty: float
    split_penalty: float
    coarse_background_days: int
    speech_reach: int

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Scoring:
        merge = dict(spec["merge"], levels=tuple(tuple(words) for words in spec["merge"].get("levels") or ()))
        return cls(confidence=Confidence(**spec["confidence"]), merge=MergeWeights(**merge),
                   speculative_penalty=float(spec["speculative_penalty"]),
                   split_penalty=float(spec["split_penalty"]),
                   coarse_background_days=int(spec["coarse_background_days"]),
                   speech_reach=int(spec["speech_reach"]))


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see Mention
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
    word_lists: dict[str, tuple[str, ...]]
    scoring: Scoring
    english: EnglishPatterns  # the English clause and event patterns (schema/english.yaml)
    background_after_days: int = 30
    relative_days: dict[str, int] = field(default_factory=dict)
    _zh: KeyMatcher[tuple[str | None, str]] = field(init=False, repr=False)  # set by _compile
    _en: KeyMatcher[str] = field(init=False, repr=False)
    _en_types: dict[str, str | None] = field(default_factory=dict, repr=False)
    _screens: dict[tuple[str, ...], _Screen] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, data: dict[str, Any] | None = None, where: Path | str = "schema/events.yaml") -> EventLexicon:
        """Build the lexicon from the YAML table (``schema/events.yaml`` by default)."""
        raw = data if data is not None else load_yaml("events.yaml")
        try:
            types = dict(raw["types"])
            modifiers = {name: Modifier.from_spec(spec) for name, spec in raw["modifiers"].items()}
            word_lists = {name: tuple(words) if isinstance(words, list)
                          else tuple(words.get("zh") or ()) + tuple(words.get("en") or ())
                          for name, words in (raw.get("word_lists") or {}).items()}
            scoring = Scoring.from_spec(raw["scoring"])
            trips = (*(types["VISIT"].get("zh") or ()), *(types["VISIT"].get("en") or ()))
            scoring = replace(scoring, merge=replace(scoring.merge, trip_words=tuple(w for w in trips if len(w) > 1)))
            lexicon = cls(types=types, modifiers=modifiers,
                          visit_destinations=dict(raw.get("visit_destinations") or {}),
                          not_triggers=tuple(raw.get("not_triggers") or ()), word_lists=word_lists,
                          scoring=scoring, english=EnglishPatterns.load(),
                          background_after_days=int(raw.get("background_after_days", 30)),
                          relative_days={str(k): int(v) for k, v in (raw.get("relative_days") or {}).items()})
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise SchemaError(f"{where}: malformed event lexicon ({exc!r})") from exc
        lexicon._compile()
        return lexicon

    def words(self, name: str) -> tuple[str, ...]:
        """One of the word lists of ``word_lists`` in the YAML (empty when the table lacks it)."""
        return self.word_lists.get(name, ())

    def _compile(self) -> None:
        zh_words: dict[str, tuple[str | None, str]] = {}  # a word listed twice keeps its last type
        en_words: dict[str, str | None] = {}
        for type_name, spec in self.types.items():
            for word in spec.get("zh") or ():
                zh_words[word] = (type_name, word)
            for word in spec.get("en") or ():
                en_words[word.lower()] = type_name
        for word in self.not_triggers:
            if word.isascii():
                en_words[word.lower()] = None  # "so-called", "called for": claims its span, yields nothing
            else:
                zh_words[word] = (None, word)
        self._zh = KeyMatcher(zh_words)
        self._en_types = en_words
        self._en = KeyMatcher({word: word for word in en_words})

    def triggers(self, sentence: str, language: str) -> list[Trigger]:
        """Trigger words in a (simplified Chinese or English) sentence: longest first, no overlaps."""
        if language == "en":
            return self._english_triggers(sentence)
        found = _talks_over_gatherings([(begin, end, type_name, word)
                                        for begin, end, (type_name, word) in self._zh.find(sentence)])
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

    def _english_triggers(self, sentence: str) -> list[Trigger]:
        """Whole-word, case-insensitive matches, leftmost-longest (a not-trigger claims its span)."""
        lower = sentence.lower()
        if len(lower) != len(sentence):  # a letter whose lower case is longer: offsets would shift
            lower = sentence
        found = []
        for begin, end, word in self._en.find(lower):
            if (begin == 0 or not _word_char(lower[begin - 1])) and (end == len(lower) or not _word_char(lower[end])):
                found.append((begin, end, word))
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        out, taken_until = [], 0
        for begin, end, word in found:
            if begin < taken_until:
                continue
            taken_until = end
            type_name = self._en_types[word]
            if type_name:
                out.append(Trigger(type_name, sentence[begin:end], begin, end))
        return out

    def modifier(self, name: str) -> Modifier:
        """The modifier ``name``; KeyError for a name the lexicon lacks (a misspelt name in the
        code would otherwise never apply, silently)."""
        mod = self.modifiers.get(name)
        if mod is None:
            raise KeyError(f"no modifier {name!r} in the event lexicon; known: {', '.join(self.modifiers)}")
        return mod

    def any_modified(self, names: tuple[str, ...], clause: str, at: int, end: int) -> bool:
        """Whether any of the modifiers ``names`` applies to the trigger at ``at``..``end`` (as
        ``modified`` asks them one by one). Most triggers have none of their words near them: one
        search for all of them over the widest window rules those out first."""
        screen = self._screens.get(names)
        if screen is None:
            screen = self._screens[names] = _Screen.of(tuple(self.modifier(n) for n in names))
        return screen.may_apply(clause, at, end) and any(self.modified(n, clause, at, end) for n in names)

    def modified(self, name: str, clause: str, at: int, end: int) -> bool:
        """Whether modifier ``name`` applies to the trigger at ``at``..``end`` of the clause."""
        mod = self.modifier(name)
        if not mod.words:
            return False
        if mod.found_in(clause[max(0, at - mod.window):at]) or (mod.after and mod.found_in(clause[end:end + mod.window])):
            return True
        if mod.english is None:
            return False
        if mod.english.search(clause, max(0, at - mod.en_window), at):
            return True
        return bool(mod.en_after and mod.english.search(clause, end, end + mod.en_window))


_Match = tuple[int, int, str | None, str]  # begin, end, type (None: a not-trigger), word


def _talks_over_gatherings(found: list[_Match]) -> list[_Match]:
    """A gathering word whose last character begins a talks word is cut short by it: "中俄外长会晤",
    "韩美外长会谈", "美日高峰会谈" are two sides' talks (外长|会晤), not the ministers' gathering
    (外长会), which the longest match alone would make of them."""
    talks = {(b, e) for b, e, t, _ in found if t in _TALKS}
    return [f for f in found if not (f[2] == "MULTILATERAL" and any(b == f[1] - 1 and e > f[1] for b, e in talks))]


@dataclass(frozen=True, slots=True)
class _Screen:
    """What several modifiers (Modifier) look for at once: all their Chinese words within the
    widest of their windows, all their English words within the widest English window before a
    trigger; a modifier that looks after the trigger in English is asked on its own (the end of its
    window bounds what its pattern sees after a word). A trigger the screen passes over is
    modified by none of them; one it stops is asked about each (EventLexicon.any_modified)."""

    zh: re.Pattern[str] | None
    before: int
    after: int
    english: re.Pattern[str] | None
    en_before: int
    en_after: tuple[tuple[re.Pattern[str], int], ...]

    @classmethod
    def of(cls, mods: tuple[Modifier, ...]) -> _Screen:
        mods = tuple(m for m in mods if m.words)  # one without Chinese words never applies (modified)
        words = tuple(sorted({w for m in mods for w in m.words}))
        english = tuple(m for m in mods if m.english is not None)
        return cls(zh=_any_of(words) if words else None, before=max((m.window for m in mods), default=0),
                   after=max((m.window for m in mods if m.after), default=0),
                   english=re.compile("|".join(f"(?:{m.english.pattern})" for m in english if m.english), re.IGNORECASE)
                   if english else None,
                   en_before=max((m.en_window for m in english), default=0),
                   en_after=tuple((m.english, m.en_window) for m in english if m.en_after and m.english))

    def may_apply(self, clause: str, at: int, end: int) -> bool:
        if self.zh is not None and (self.zh.search(clause, max(0, at - self.before), at)
                                    or (self.after and self.zh.search(clause, end, end + self.after))):
            return True
        if self.english is not None and self.english.search(clause, max(0, at - self.en_before), at):
            return True
        return any(pattern.search(clause, end, end + window) for pattern, window in self.en_after)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


@lru_cache(maxsize=64)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for "any of these words occurs" (faster than testing them one by one)."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see Mention
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
    window: tuple[date, date] | None = None  # the week/month the text names when it gives no day
    partial: bool = False  # a back-reference ("杨洁篪在会晤上…"): adds people to an event, never stands alone
    day_borrowed: bool = False  # its date stands nearer another event word of the sentence
    pair_named: bool = False  # its people act for two or more sides: who met whom is named
    modality: str = "asserted"  # asserted | speculative (设想, 据传: planned, never occurred) |
    # background (the past told as context: its own time; its people never join current events)
    more_evidence: tuple[str, ...] = ()  # the other sentences merged into it (_pooled, _attach), in text order
    along: bool = False  # a back-reference of one going along (随团来访): joins a trip that names its traveller


def _sides_of(mentions: Iterable[Mention], org_country: dict[str, str | None]) -> set[str]:
    """States and organisations that mentions stand for: a person stands for whom they act for
    (their office's state or organisation, Mention.acts_for), a government body for its state."""
    sides: set[str] = set()
    for m in mentions:
        if m.qualifies:
            continue  # 北约秘书长斯托尔滕贝格: NATO takes part through him
        if m.type == "Country":
            sides.add(m.entity_id)
        elif m.type == "Person" and m.acts_for != NOBODY and (m.acts_for or m.country):
            party = m.acts_for or f"country:{m.country}"
            country = org_country.get(party) if party.startswith("org:") else None
            sides.add(f"country:{country}" if country else party)
        elif m.type == "Organization":
            country = m.country or org_country.get(m.entity_id)
            sides.add(f"country:{country}" if country else m.acts_for or m.entity_id)
    return sides


def _clause_bounds(text: str, at: int, more: tuple[int, ...] = ()) -> tuple[int, int]:
    """The clause (between commas, semicolons, colons, and the positions ``more``) that holds
    position ``at``."""
    breaks = tuple(sorted(_breaks(text) + more)) if more else _breaks(text)
    i = bisect_left(breaks, at)
    return (breaks[i - 1] + 1 if i else 0, breaks[i] if i < len(breaks) else len(text))


@lru_cache(maxsize=16)
def _breaks(text: str) -> tuple[int, ...]:
    """Where the clause breaks of a sentence stand (asked for many times per sentence)."""
    return tuple(m.start() for m in _CLAUSE_BREAK.finditer(text))


def _locations(mentions: Sequence[Mention], text: str) -> set[Mention]:
    """Country mentions that only say where something happens: the country of a place name that is
    not the subject of its clause (在伦敦 is a location, 北京邀请… is the government), a country
    named right before one of its cities (比利时布鲁塞尔) and the post of an envoy (驻联合国)."""
    places = {(m.begin, m.end) for m in mentions if m.type == "Place"}
    place_starts = {m.begin for m in mentions if m.type == "Place"}
    out = set()
    for m in mentions:
        if m.type in ("Country", "Organization") and _posted_to(m, text):
            out.add(m)  # 驻联合国大使, 驻美: where an envoy is posted, not a party
        elif m.type == "Country" and m.end in place_starts:
            out.add(m)  # 比利时布鲁塞尔: the country of the city named next
        elif m.type == "Country" and (m.begin, m.end) in places:
            clause_start = _clause_bounds(text, m.begin)[0]
            if text[clause_start:m.begin].strip(" \u3000\"“「《（(") != "":
                out.add(m)
    return out


def _posted_to(m: Mention, text: str) -> bool:
    """驻联合国, 驻美: where an envoy is posted."""
    return m.surface.startswith("驻") or text[m.begin - 1:m.begin] == "驻"


def _date_for(facts: SentenceFacts, trigger: Trigger, lexicon: EventLexicon,
              trigger_clauses: set[tuple[int, int]],
              bounds: Callable[[str, int], tuple[int, int]] | None = None, english: bool = False,
              occasion: bool = False, triggers: Sequence[Trigger] = ()) -> DateMention | None:
    """The date of the trigger's own clause nearest to it, else the nearest one of an earlier
    clause that is only a lead-in ("3月18日，…举行会晤"): not a clause with an event of its own
    (unless the date opens an English sentence) or one that reports speech (the day something was
    said is not the day of the event), nor a date of another act (see ``_dates_another_act``;
    ``occasion``: the trigger is a meeting or a trip; ``triggers``: all of the sentence)."""
    bounds = bounds or _clause_bounds
    c0, c1 = bounds(facts.norm, trigger.begin)
    own, lead_in = [], []
    # "王毅计划于10月到访日本，并与茂木敏充会谈": a clause opened by a coordinator goes on with the
    # predicate of the clause before, at its time
    carried_on = bounds(facts.norm, c0 - 2) if c0 >= 2 and facts.norm[c0:c1].lstrip().startswith(
        tuple(w for w in lexicon.words("verb_coordinators") if not w.isascii())) else None
    for d in facts.dates:
        if _opens_period(facts, d, trigger, lexicon, (c0, c1), english):
            continue  # 三月以来, 1979年断交以来: the start of a period, not the event's day
        if d.stop <= trigger.begin and _dates_another_act(facts.norm, d, trigger, lexicon, bounds(facts.norm, d.begin)[1],
                                                          occasion, triggers):
            continue
        distance = abs(trigger.begin - d.stop if d.stop <= trigger.begin else d.begin - trigger.end)
        if c0 <= d.begin < c1:
            own.append((distance, d))
            continue
        d0, d1 = bounds(facts.norm, d.begin)
        clause = facts.norm[d0:d1]
        opening = english and facts.norm[:d.begin].strip(" \"“‘'").lower() in ("", "on", "in")
        if d.begin < c0 and ((d0, d1) not in trigger_clauses or opening or (d0, d1) == carried_on) \
                and not any(w in clause for w in lexicon.words("speech")) \
                and not _before_that(facts.norm, d1, c0, bounds, lexicon):
            lead_in.append((distance, d))  # English: "On April 27th he met X, before calling on Y" dates both
    candidates = own or lead_in
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _before_that(text: str, start: int, stop: int, bounds: Callable[[str, int], tuple[int, int]],
                 lexicon: EventLexicon) -> bool:
    """Does a clause that is only "before that" (``before_that_clauses``: 而之前, 此前) stand in
    text[start:stop]? The event told after it lies before the one told before it, so a date before
    it is not the event's (``_date_for``)."""
    words = lexicon.words("before_that_clauses")
    at = start
    while at < stop:
        c0, c1 = bounds(text, at)
        if c0 >= start and text[c0:c1].strip(" \u3000") in words:
            return True
        at = c1 + 1
    return False


def _opens_period(facts: SentenceFacts, d: DateMention, trigger: Trigger, lexicon: EventLexicon,
                  trigger_clause: tuple[int, int], english: bool) -> bool:
    """Does the date open a period ("since") the trigger lies outside of? It then dates the start
    of the period, or the act the period runs from, never an event reported as within it: in
    Chinese a date followed in its clause by a phrase and a word closing a period ("三月以来",
    "1979年台美断交以来，访台层级最高", "1月接任外长来首次访华", "上月峰会后，两国首次通话"), unless the phrase
    holds the trigger (that event is the act, "1972年尼克松访华以来" dates the visit), another date
    (which opens it), a holding verb (the date's act is the holding of the event named after the
    period: "3月举行拜登上任以来首次峰会") or a word opening a period itself ("3月自上任以来首次出访":
    the period starts at 上任); in English a date after "since" in the trigger's clause, the
    trigger before it ("the first talks since their summit in June")."""
    text = facts.norm
    if english:
        c0, c1 = trigger_clause
        lower = text.lower()
        return c0 <= d.begin < c1 and any(lower.find(w, trigger.end, d.begin) >= 0 for w in lexicon.words("since_openers_en"))
    phrase = _period_phrase(facts, d, trigger, lexicon)
    return phrase is not None and not phrase[0] <= trigger.begin < phrase[1]


def _period_phrase(facts: SentenceFacts, d: DateMention, trigger: Trigger, lexicon: EventLexicon) -> tuple[int, int] | None:
    """The span of the Chinese phrase of the act a period runs from, the date opening it
    ("1979年台美断交" of "…以来", see ``_opens_period``), or None when the date opens none."""
    text = facts.norm
    end = _period_end(text, d.stop, _clause_bounds(text, d.begin)[1], trigger.begin, lexicon)
    if end < 0 or any(d.stop <= o.begin < end for o in facts.dates) or any(
            w in text[d.stop:end] for w in lexicon.words("holding_verbs") + lexicon.words("since_openers")):
        return None
    return d.begin, end


def _named_in_period_phrase(s: _Sentence, trig: Trigger, m: Mention) -> bool:
    """Is someone named inside the phrase of the act a period runs from that the trigger lies
    outside of ("自今年2月杨洁篪访日以来，抵达日本访问的…官员": Yang made the February trip)? He
    is of that act, not of the event the sentence tells of as within the period."""
    return not s.english and any(
        span is not None and span[0] <= m.begin < span[1] and not span[0] <= trig.begin < span[1]
        for span in (_period_phrase(s.facts, d, trig, s.lexicon) for d in s.facts.dates if d.stop <= m.begin))


def _period_end(text: str, start: int, stop: int, trigger_begin: int, lexicon: EventLexicon) -> int:
    """Where the first word closing a period stands in ``text[start:stop]`` (-1: none): a word of
    ``since_words`` ("以来", "来首次"), or one of ``since_after_ends`` (后, not 随后 or 最后:
    ``not_time_clause_ends``) with a word of a first time between it and the trigger, which it
    tells of ("峰会后两国外长首次通话", "在3月的会谈后，双方首度会谈"; alone it closes a time clause,
    see ``_dates_another_act``)."""
    ends = [i for w in lexicon.words("since_words") if (i := text.find(w, start, stop)) >= 0]
    masked = text[start:stop]
    for word in lexicon.words("not_time_clause_ends"):
        masked = masked.replace(word, "\0" * len(word))
    after = min((start + i for w in lexicon.words("since_after_ends") if (i := masked.find(w)) >= 0), default=-1)
    if after >= 0 and any(text.find(w, after, trigger_begin) >= 0 for w in lexicon.words("first_time_words")):
        ends.append(after)
    return min(ends, default=-1)


def _dates_another_act(text: str, d: DateMention, trigger: Trigger, lexicon: EventLexicon, clause_end: int,
                       occasion: bool, triggers: Sequence[Trigger]) -> bool:
    """A date before the trigger that dates another act of its clause: the event of a time clause it
    opens, closing before the trigger ("拜登上月20日宣誓就职后，首次与习近平通电话": the day of the
    oath, after which the call came; not "在制裁两个礼拜后", a time clause of its own after the date,
    nor "上台后的会议", which names the meeting, nor a clause with an event word of its own: "周二与
    日本高官会晤后发表联合声明" is one occasion), or, for a meeting or a trip (``occasion``), the
    announcement of it as planned in the trigger's own clause (``_announces``: "8月4日宣布将出访台湾"
    is the day it was said; the trip gets no day from it. Other events may be the speech act
    itself: 表示谴责, 宣布制裁)."""
    between = text[d.stop:min(trigger.begin, clause_end)]
    if occasion and clause_end > trigger.begin and _announces(between, lexicon):
        return True
    masked = between
    for word in lexicon.words("not_time_clause_ends"):
        masked = masked.replace(word, "\0" * len(word))
    ends = [(masked.find(w), len(w)) for w in lexicon.words("time_clause_ends") if w in masked]
    if not ends:
        return False
    at, length = min(ends)
    opened_later = any(w in masked[:at] for w in lexicon.words("time_clause_openers"))  # 在制裁两个礼拜后
    held = any(d.stop <= t.begin and t.end <= d.stop + at for t in triggers)
    return not opened_later and not held and not masked.startswith("的", at + length)


def _announces(between: str, lexicon: EventLexicon) -> bool:
    """Does the text between a date and a meeting or trip word open with a word of speech (within
    ``speech_reach`` characters) that announces it as planned ("8月4日宣布他将…出访台湾")? A past
    meeting told of the same day keeps the date ("14日在记者会批评…视频会谈")."""
    reach = lexicon.scoring.speech_reach
    said = [between.find(w) + len(w) for w in lexicon.words("speech") if 0 <= between.find(w) <= reach]
    return bool(said) and lexicon.modifier("planned").found_in(between[min(said):])


def _status(lexicon: EventLexicon, clause: str, at: int, end: int, start: date | None,
            window: tuple[date, date] | None, published: date | None, past: bool = False) -> str:
    """Planned when the mention's days lie after publication, occurred when before; a window that
    holds the publication day ("本月底", "this month") tells neither, and the clause's tense does:
    an English verb in the past (``past``: ``english_past``) has occurred whatever future word
    stands near it, else a word of the future makes it planned."""
    if lexicon.modified("cancelled", clause, at, end):
        return "cancelled"
    if published and start:
        return "planned" if start > published else "occurred"
    if published and window and not window[0] <= published <= window[1]:
        return "planned" if window[0] > published else "occurred"
    return "planned" if not past and lexicon.modified("planned", clause, at, end) else "occurred"


def _modality(lexicon: EventLexicon, clause: str, at: int, end: int, start: date | None,
              window: tuple[date, date] | None, published: date | None, past: bool = False) -> str:
    """Speculative when a rumour or possibility word governs the trigger (not an English verb in the
    past, ``past``: "Mr Biden, who proposed a summit, met…" met him); background when a word of
    the past does (时任, 上一次, 去年) or the mention's own date lies well before publication."""
    if not past and lexicon.modified("speculative", clause, at, end):
        return "speculative"
    if lexicon.modified("background", clause, at, end):
        return "background"
    if published is None or (start is None and window is None):
        return "asserted"
    last_day = start or window[1]  # type: ignore[index]
    # a year alone is weak evidence ("2019年冠状病毒疾病" names a disease): it must be a past year
    coarse = start is None and (window[1] - window[0]).days > 31  # type: ignore[index]
    limit = lexicon.scoring.coarse_background_days if coarse else lexicon.background_after_days
    return "background" if (published - last_day).days > limit else "asserted"


def _joined_pair(lexicon: EventLexicon, clause: str, people: Sequence[Mention], c0: int, at: int) -> bool:
    """Two parties joined by 与/和/同 before the trigger ("拜登与文在寅…举行首脑峰会"), or named
    as a pair by one compound (美韩首脑峰会)."""
    if len(people) < 2:
        return False
    if len(people) == 2 and (people[0].begin, people[0].end) == (people[1].begin, people[1].end):
        return True
    between = clause[people[0].end - c0:at]
    return any(j in between for j in lexicon.words("pair_joiners"))


def _split_bilateral(event: EventMention, clause: str, anchor: set[str], named: set[str],
                     joiners: Sequence[str], penalty: float,
                     side_of: dict[str, set[str]] | None = None) -> list[EventMention]:
    """"A met B, C and D" is three bilateral events when the other side is a list of named states
    (``named``: states the clause names itself, not the states of the people in it); each keeps
    the people of its own two sides (``side_of``: a person's sides)."""
    others = sorted((event.sides & named) - anchor)
    if len(anchor) != 1 or len(others) < 2 or not any(j in clause for j in joiners):
        return [event]
    side_of = side_of or {}

    def people(pair: set[str]) -> frozenset[str]:
        return frozenset(p for p in event.persons if not side_of.get(p) or side_of[p] & pair)

    return [replace(event, sides=frozenset(anchor | {o}), persons=people(anchor | {o}),
                    confidence=event.confidence - penalty) for o in others]


def _place_of(parties: Sequence[Mention]) -> str | None:
    """The first place named, or the most specific of a run of them (阿拉斯加安克雷奇 -> Anchorage).
    Callers pass the places of the trigger's clause introduced by a locative word (在, 于), else
    the clause's others, else the sentence's introduced ones: a dateline's city ("路透布鲁塞尔7月
    19日 -") loses to the venue, and a place the sentence merely names is no venue."""
    where = sorted((m for m in parties if m.type == "Place"), key=lambda m: m.begin)
    if not where:
        return None
    chosen = where[0]
    for m in where[1:]:
        if m.begin != chosen.end:
            break
        chosen = m
    return chosen.entity_id


def _visitor(parties: Sequence[Mention], facts: SentenceFacts, trig: Trigger,
             locations: set[Mention], org_country: dict[str, str | None], governed: set[Mention],
             stand_in: Mention | None = None, stance_words: Sequence[str] = ()) -> set[str]:
    """Who travels: the party nearest before the trigger in its clause (a pronoun stands for the
    person it refers to), else the nearest person before it in the sentence, else the nearest
    state or organisation ("中国开始了外交攻势，其外长连访意大利…"). The object of an earlier
    trigger is never the traveller ("访问日本，随后访问韩国": Japan does not go to Korea)."""
    def actor(m: Mention) -> bool:
        return m.end <= trig.begin and m not in locations and m.type != "Place" and m not in governed
    before = sorted((m for m in parties if actor(m)), key=lambda m: m.end)
    if stand_in is not None and not any(m.type == "Person" for m in before):
        return _sides_of([stand_in], org_country)  # "他…，所以在上周访印时": whom 他 stands for
    if not before:
        earlier = [m for m in facts.mentions if actor(m)]
        before = [m for m in earlier if m.type == "Person"] or earlier
    if before and _stance_between(facts, before[-1].end, trig.begin, stance_words):
        return set()  # "巴比什…对代表团访台持反对态度": the trip is what he opposes, not his
    return _sides_of(before[-1:], org_country)


def _stance_between(facts: SentenceFacts, begin: int, end: int, stance_words: Sequence[str]) -> bool:
    """A stance word between a party and a trip word with nobody named after it: the trip is the
    object of the party's stance (对代表团访台), not a trip to a state it names (对法国进行访问)."""
    at = max((facts.norm.rfind(w, begin, end) for w in stance_words), default=-1)
    return at >= 0 and not any(at < m.begin < end for m in facts.mentions)


_TITLE_SPAN = 12  # characters of title between a state and the name it describes (参议院议长)


def _described_traveller(parties: Sequence[Mention], text: str, trig: Trigger,
                         visit_destinations: dict[str, str], relative: bool = False) -> Mention | None:
    """The party a trip word and its destination describe through 的 ("接待…访美的蔡英文", "之前访问
    中国的北韩领袖金正恩": Tsai, North Korea's leader made the trip, whoever the clause names before
    it), or right after a trip word that names its host ("王毅威胁访台捷克议长": the Czech speaker
    goes, Wang Yi threatens him). Not "到访的X": its host is whom the clause names before it."""
    end = trig.end if trig.word in visit_destinations or relative else next(
        (m.end for m in parties if m.begin == trig.end and m.type in ("Country", "Place")), None)
    if end is None:
        return None
    if text[end:end + 1] == "的":
        end += 1
    elif trig.word not in visit_destinations:
        return None  # a word naming its host takes no object: what follows it is whom it describes (访台捷克议长)
    head = next((m for m in parties if m.begin == end and m.type in ("Person", "Country", "Organization")), None)
    return _titled_person(head, parties, text) if head is not None and head.type != "Person" else head


def _titled_person(state: Mention, parties: Sequence[Mention], text: str) -> Mention:
    """The person a state or body and a title before the name describe ("捷克参议院议长维特齐"), else
    the state: the phrase names one traveller, not a country that travels."""
    person = min((m for m in parties if m.type == "Person" and m.begin >= state.end), key=lambda m: m.begin, default=None)
    if person is None or person.begin - state.end > _TITLE_SPAN or any(
            not _word_char(c) for c in text[state.end:person.begin]):
        return state
    return person


def _relative_trip(s: _Sentence, trig: Trigger) -> bool:
    """A trip word right before 的 with no traveller of its own before it describes its traveller
    ("正在台湾访问的捷克议长", "会见到访的俄外长"): what follows is who travels, not where to. When the
    clause names who made the trip right before it ("布林肯刚刚访问的两个国家"), what follows is where."""
    if s.text[trig.end:trig.end + 1] != "的" or trig.word in s.lexicon.visit_destinations:
        return False
    c0 = s.bounds(s.text, trig.begin)[0]
    before = max((m for m in s.facts.mentions if c0 <= m.begin and m.end <= trig.begin), key=lambda m: m.end, default=None)
    if before is None or before.type == "Place" or s.text.endswith(s.lexicon.words("locative_markers"), 0, before.begin) \
            or _fronted_host(s, trig) is before:
        return True
    return any(before.end <= t.begin and t.end <= trig.begin for t in s.triggers)  # 王毅会见到访的: 会见 is his


def _nearest_trigger(dm: DateMention, triggers: Sequence[Trigger]) -> Trigger | None:
    """The event word a date stands nearest to (the one after it on a tie: "3月18日举行会晤")."""
    def distance(t: Trigger) -> tuple[int, int]:
        return (dm.begin - t.end if t.end <= dm.begin else max(0, t.begin - dm.stop)), t.end <= dm.begin
    return min(triggers, key=distance, default=None)


def _modifier_scope(text: str, lexicon: EventLexicon, triggers: Sequence[Trigger], trig: Trigger, c0: int) -> int:
    """Where the words that may modify a trigger begin: its clause, or the end of an earlier
    event word of the clause that is not coordinated with it ("每年举行峰会时会见…" is habitual
    for the summit only; "希望访问中国并会见习近平": 希望 governs both verbs joined by 并)."""
    start = c0
    for t in triggers:
        if c0 <= t.begin and t.end <= trig.begin:
            between = text[t.end:trig.begin]
            if not any(w in between for w in lexicon.words("verb_coordinators")):
                start = t.end
    return start


def _interview(text: str, lexicon: EventLexicon, trig: Trigger, c0: int, c1: int,
               mentions: Sequence[Mention]) -> bool:
    """"接受美国之音访问" is an interview, not a visit: a visit word after an interview marker with
    no destination right after it ("接受《纽约时报》访问被问及中国战略时": 中国 is what was asked)."""
    if trig.type != "VISIT" or not any(w in text[c0:trig.begin] for w in lexicon.words("interview_markers")):
        return False
    return not any(trig.end <= m.begin <= trig.end + 1 and m.begin < c1 and m.type in ("Country", "Place")
                   for m in mentions)


def _objects(facts: SentenceFacts, triggers: Sequence[Trigger],
             bounds: Callable[[str, int], tuple[int, int]], lexicon: EventLexicon) -> set[Mention]:
    """Mentions that a trigger of a meeting or trip governs: named after it in its clause (访问日本
    -> Japan). A trip word that names its destination (访华) governs no more: "邀俄外长访华　布林肯
    将访欧" goes on with another traveller; and the object of another kind of event word may well
    travel ("批评布林肯先出访日韩", "邀请拉夫罗夫访华")."""
    out = set()
    for t in triggers:
        if t.word in lexicon.visit_destinations or not lexicon.types[t.type].get("scored"):
            continue
        c1 = bounds(facts.norm, t.begin)[1]
        out |= {m for m in facts.mentions if t.end <= m.begin < c1}
    return out


def _inviters(facts: SentenceFacts, lexicon: EventLexicon) -> set[Mention]:
    """The parties inside a frame of invitation (应 + inviter + 邀请: "拉夫罗夫应王毅邀请访华",
    "金正恩应中国国家主席习近平邀请访华"): the inviter hosts the trip, whoever is named nearest
    before the trip word; the one invited stands before the frame. A frame holds an office and
    names: a name ends right before the invitation word (or its 的), the first one starts at most
    an office's length after the opener, and no clause break or stance word (对) stands between;
    "日本政府应正式取消邀请习近平" (应 "should") holds none."""
    text, out = facts.norm, set()
    stance = lexicon.words("stance_markers")
    for opener in lexicon.words("invitation_frames"):
        at = text.find(opener)
        while at >= 0:
            start = at + len(opener)
            inside = [m for m in facts.mentions if start <= m.begin and m.type != "Place"]
            first = min((m.begin for m in inside), default=len(text))
            for word in lexicon.words("invitation_words"):
                close = text.find(word, start, start + _FRAME_CHARS)
                last = close - text.endswith("的", 0, close) if close >= 0 else -1
                held = [m for m in inside if m.end <= close]
                gap = text[start:first]
                if first - start <= _OFFICE_CHARS and any(m.end == last for m in held) \
                        and not _CLAUSE_BREAK.search(text, start, close) and not any(w in gap for w in stance):
                    out |= set(held)
                    break
            at = text.find(opener, start)
    return out


_FRAME_CHARS = 24  # 应 + the inviter's state, office and name + 邀请: "应国务委员兼外长王毅邀请"
_OFFICE_CHARS = 8  # an office before the inviter's name: 国务委员兼外长


def _type_by_participation(lexicon: EventLexicon, trig: Trigger, sides: set[str], remote: bool,
                           joined_pair: bool, co_subjects: int) -> str | None:
    """The type of a meeting from who takes part, not from the word alone.

    An organisation's own summit or ministerial (北约外长会议, 七国峰会) is MULTILATERAL. Remote words
    (视频, 电话, virtual) make a CALL between two parties and a MULTILATERAL among three or more.
    Three or more states meeting together (俄、中、印三国外长…会晤: all named before the word) are
    a MULTILATERAL; one party meeting a list of others is one meeting each (_split_bilateral). A
    summit of exactly two states joined as a pair (拜登与文在寅…举行首脑峰会) is their bilateral
    meeting; any other gathering needs three states or an organisation (on the dev articles a
    summit word with one or two states and no organisation was more often a venue or a topic
    than a summit). None: no event."""
    organisation = any(s.startswith("org:") for s in sides)
    gathering = trig.type == "MULTILATERAL"
    summit = gathering and any(w in trig.word for w in lexicon.words("summit_words"))
    if remote:
        if len(sides) >= 3 or (gathering and organisation and not joined_pair):
            return "MULTILATERAL"
        return "CALL"
    if gathering and organisation:
        return "MULTILATERAL"
    if not gathering:
        return "MULTILATERAL" if trig.type == "MEET" and co_subjects >= 3 else trig.type
    if len(sides) == 2 and summit and joined_pair:
        return "MEET"
    return "MULTILATERAL" if len(sides) >= 3 else None


def _asides(mentions: Sequence[Mention], text: str, member_words: tuple[str, ...] = ()) -> set[Mention]:
    """States named inside a parenthesis (（台湾时间8时）, （G7）): glosses and asides, not parties;
    but a parenthesis right after an organisation or one of ``member_words`` lists its members
    ("七国集团成员国（英国、美国、加拿大…）首次举行面对面会议"), who take part."""
    out = set()
    orgs = {m.end for m in mentions if m.type == "Organization"}
    for m in mentions:
        if m.type == "Country":
            opened = max(text.rfind("（", 0, m.begin), text.rfind("(", 0, m.begin))
            closed = max(text.rfind("）", 0, m.begin), text.rfind(")", 0, m.begin))
            if opened > closed and opened >= 0 and not (opened in orgs or text.endswith(member_words, 0, opened)):
                out.add(m)
    return out


def _topics(mentions: Sequence[Mention], text: str, lexicon: EventLexicon, markers: str = "topic_markers",
            nouns: str = "topic_nouns") -> set[Mention]:
    """States and organisations that are what a meeting is about, not who meets: named after a
    topic word of their clause (讨论台湾问题, 对中国和俄罗斯的关切) or right before 问题/议题, and
    places right before 问题/议题 or 时间, which are no venue ("在视像峰会为香港议题争执不下"). With
    ``markers="target_markers"`` and no nouns: the targets of what it resolves on (批评中俄)."""
    out = set()
    ends = [w.end() for w in _any_of(lexicon.words(markers)).finditer(text)]
    after = lexicon.words(nouns)
    listed = -1  # where the list a stance word introduces has reached (对香港、台湾和新疆)
    for m in sorted(mentions, key=lambda m: m.begin):
        in_list = text.endswith(lexicon.words("stance_markers"), 0, m.begin) \
            or (0 <= listed <= m.begin and _ZH_LIST.fullmatch(text, listed, m.begin) is not None)
        listed = m.end if in_list else listed
        if m.type == "Place" and (in_list or text.startswith(after + lexicon.words("local_time_nouns"), m.end)):
            out.add(m)  # nor a place whose clock tells the time (香港时间19日), or a stance's object (对香港…的关注)
        if m.type not in ("Country", "Organization"):
            continue
        c0 = _clause_bounds(text, m.begin)[0]
        if any(c0 < e <= m.begin for e in ends) or m.surface.startswith(lexicon.words(markers)) \
                or (after and text.startswith(after, m.end)):  # the marker may be read into the name: 涉澳
            out.add(m)
    return out


def _framed_topics(mentions: Sequence[Mention], text: str, lexicon: EventLexicon) -> set[Mention]:
    """States and organisations inside a frame of discussion: after an opener (就) and before a
    word of discussion closing it in the same clause ("会议将就中俄威胁进行广泛讨论", "双方就朝鲜问题
    交换意见"). A partner word ends the frame first: "就两国关系同俄罗斯磋商" meets Russia."""
    closers = _any_of(lexicon.words("topic_frame_closers"))
    joiners = _any_of(lexicon.words("partner_joiners"))
    out = set()
    for opener in _any_of(lexicon.words("topic_frame_openers")).finditer(text):
        c1 = _clause_bounds(text, opener.start())[1]
        closer = closers.search(text, opener.end(), c1)
        if closer is None:
            continue
        joiner = joiners.search(text, opener.end(), closer.start())
        stop = joiner.start() if joiner is not None else closer.start()
        out |= {m for m in mentions if m.type in ("Country", "Organization") and opener.end() <= m.begin < stop}
    return out


def _topic_phrases(mentions: Sequence[Mention], text: str, lexicon: EventLexicon) -> dict[Mention, int]:
    """States that open a topic phrase, with where the phrase ends: a topic or policy noun after
    them, maybe after 的 and a short modifier with no event word in it ("北韩的最新方针", "对华经贸
    问题", "中国人权议题"; not "中美会谈议题", the talks' own agenda), and the states of a list ending
    in such a state ("中国、俄国和其他话题"). What a meeting, gathering or
    trip is about; a criticism or a sanction may still aim at them. Not a phrase that names the
    event word's own kind ("中印边界问题特别代表会晤": the two states' talks on their border)."""
    phrase = _topic_phrase(lexicon.words("topic_nouns") + lexicon.words("policy_nouns"))
    out = {}
    for m in mentions:
        found = phrase.match(text, m.end) if m.type == "Country" else None
        if found is not None and not lexicon.triggers(text[m.end:found.end()], "zh") \
                and not any(t.begin <= _TOPIC_MODIFIER_CHARS + 1 for t in lexicon.triggers(
                    text[found.end():found.end() + _TOPIC_MODIFIER_CHARS + 3], "zh")):
            out[m] = found.end()
    # a list of states opens the phrase its last one opens ("中国、俄国和其他话题": both are topics)
    states = sorted((m for m in mentions if m.type == "Country"), key=lambda m: m.begin, reverse=True)
    for later, m in zip(states, states[1:]):
        if later in out and m not in out and _ZH_LIST.fullmatch(text, m.end, later.begin) is not None:
            out[m] = out[later]
    return out


@lru_cache(maxsize=4)
def _topic_phrase(nouns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"的?[^\W\d_a-zA-Z]{{0,{_TOPIC_MODIFIER_CHARS}}}?(?:{_any_of(nouns).pattern})")


_TOPIC_MODIFIER_CHARS = 3  # 新, 最新, 经贸: what stands between a state (and 的) and its topic noun


@dataclass(frozen=True, slots=True)
class _Sentence:
    """One sentence prepared for reading its triggers: what every trigger of it consults."""

    facts: SentenceFacts
    lexicon: EventLexicon
    english: bool
    bounds: Callable[[str, int], tuple[int, int]]
    triggers: tuple[Trigger, ...]
    subject: tuple[Mention, ...]  # the mentions of the first clause, topics left out
    locations: frozenset[Mention]  # where things happen and asides: never parties
    topics: frozenset[Mention]  # what a meeting is about, or a private person's nationality: never parties
    targets: frozenset[Mention]  # whom a gathering's outcome is aimed at (批评中俄), or outsiders: no party of it
    about: dict[Mention, int]  # states opening a topic phrase (北韩的新方针), to its end: no party of an occasion
    trigger_clauses: frozenset[tuple[int, int]]
    names: tuple[tuple[int, int], ...]  # spans of person and organisation names
    governed: frozenset[Mention]  # objects of a trigger: never a traveller
    hosts: frozenset[Mention]  # inviters (应王毅邀请): never a traveller, nor the actor of a clause naming none
    org_country: dict[str, str | None]
    previous_person: Mention | None
    published: date | None
    previous_day: date | None = None  # the day of the event just reported (an undated "亦与…会谈" takes it)
    previous_type: str | None = None  # its type: a meeting or a trip takes no criticism's day
    # ("赵立坚在8月27日指责…" then "维特齐也因此成为访台的…": no occasion of the visit)
    # each trigger's governing words (_governing_words), asked by the skipping, back-reference and refusal checks
    scopes: dict[tuple[Trigger, int, int], tuple[str, int, int]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.facts.norm


def _prepare(facts: SentenceFacts, lexicon: EventLexicon, triggers: Sequence[Trigger], english: bool,
             org_country: dict[str, str | None], previous_person: Mention | None,
             published: date | None, previous_day: date | None = None, previous_type: str | None = None) -> _Sentence:
    """What the triggers of a sentence share: its subject, locations, topics and clauses."""
    text = facts.norm
    # a list of dated events ("4月日美双边峰会、5月日欧视讯峰会"): each item from its date on is a clause
    listed = tuple(d.begin - 1 for d in facts.dates if d.begin and text[d.begin - 1] == "、")
    bounds = partial(english_clause, lexicon.english) if english \
        else partial(_clause_bounds, more=listed) if listed else _clause_bounds
    subject_span = _english_subject(lexicon, text, triggers) if english else None
    subject_span = subject_span or (0, bounds(text, 0)[1])
    topics = _topics(facts.mentions, text, lexicon) | _private_nationalities(facts.mentions, text, lexicon) \
        | _framed_topics(facts.mentions, text, lexicon)
    hosts = frozenset() if english else frozenset(_inviters(facts, lexicon))
    subject = tuple(m for m in facts.mentions if subject_span[0] <= m.begin < subject_span[1] and m not in topics)
    if english and previous_person is not None:
        subject = _referred_subject(lexicon, text, subject_span, subject, previous_person) or subject
    return _Sentence(
        facts=facts, lexicon=lexicon, english=english, bounds=bounds, triggers=tuple(triggers), subject=subject,
        locations=frozenset(_locations(facts.mentions, text)
                            | _asides(facts.mentions, text, lexicon.words("member_words"))),
        topics=frozenset(topics),
        targets=frozenset(_topics(facts.mentions, text, lexicon, "target_markers", "")) | _outsiders(facts, lexicon),
        about={} if english else _topic_phrases(facts.mentions, text, lexicon),
        trigger_clauses=frozenset(bounds(text, t.begin) for t in triggers),
        names=tuple((m.begin, m.end) for m in facts.mentions if m.type in ("Organization", "Person")),
        governed=frozenset(_objects(facts, triggers, bounds if english else _clause_bounds, lexicon)) | hosts,
        hosts=hosts, org_country=org_country,
        previous_person=previous_person, published=published, previous_day=previous_day, previous_type=previous_type)


def _english_subject(lexicon: EventLexicon, text: str, triggers: Sequence[Trigger]) -> tuple[int, int] | None:
    """Where the subject of an English sentence opened by a subordinate clause stands: the main
    clause up to its first event word or verb in the past ("After speaking to Mr Biden, Mr Zelensky visited Turkey":
    Zelensky spoke and travelled); None for a sentence that opens with its main clause."""
    fronted = fronted_clause_end(lexicon.english, text)
    if fronted is None:
        return None
    end = english_clause(lexicon.english, text, fronted + 1)[1]
    verb = _PAST_VERB.search(text, fronted + 1, end)  # "…, the two countries' grandees issued a condemnation of China"
    return fronted + 1, min([t.begin for t in triggers if fronted < t.begin < end] + [verb.start() if verb else end])


_PAST_VERB = re.compile(r"\b[a-z]{2,}ed\b")  # where an English subject ends at the latest: its verb in the past


def _referred_subject(lexicon: EventLexicon, text: str, span: tuple[int, int], subject: tuple[Mention, ...],
                      previous_person: Mention) -> tuple[Mention, ...]:
    """The person an English sentence's subject refers back to ("On April 27th the secretary of
    state would travel…", "He flew…"): a pronoun or an office named with "the" before any name;
    the names after it are what the subject does something to."""
    first = min((m.begin for m in subject), default=span[1])
    at = _same_state_reference(lexicon, text, span[0], first, subject, previous_person)
    if at is None:
        at = _pronoun_before(text, span[0], first, lexicon.words("pronouns"))
    return () if at is None else (replace(previous_person, begin=at, end=at + 1),)


def _private_nationalities(mentions: Sequence[Mention], text: str, lexicon: EventLexicon) -> set[Mention]:
    """States named as the nationality of a private person ("召见了一名澳大利亚记者", "美国商人"):
    the person is no official, so the state takes no part through them."""
    nouns = lexicon.words("private_persons")
    return {m for m in mentions if m.type == "Country" and text.startswith(nouns, m.end + text.startswith(("籍", "的"), m.end))}


def _parties(s: _Sentence, trig: Trigger, in_clause: list[Mention], c0: int) -> list[Mention]:
    """Who takes part in the event a trigger reports: the parties of its clause and, when the
    clause names no actor before the trigger, the actor of the clauses before it ("抵达上海后，
    克里……会见", "布林肯将参加…，他将会见…"): a pronoun, or a clause with no one acting, takes the
    person named last before it in the sentence (or the previous sentence's), and the sentence's
    subject joins when the clause alone has fewer than two parties. A clause that names a party of
    its own takes from the others no counterpart of their events (_counterparts): "拜登在与普京会晤
    之前，在布鲁塞尔会晤了默克尔" is Biden's meeting with Merkel; one naming no one ("…，双方将再次
    会晤") goes on with both sides."""
    parties = list(in_clause)
    acting = _acting(s, trig, in_clause)
    silent = not any(m not in s.locations and m.type != "Place" for m in in_clause)
    outside = _others_counterparts(s, in_clause, c0)
    if len(_sides_of([m for m in in_clause if m not in s.locations], s.org_country)) < 2 \
            and not _owned_gathering(s, trig, in_clause):
        parties += [m for m in _joining_subject(s, trig, in_clause) if m not in outside]  # the actor is often the subject
        if _english_subject_acts(s, c0):
            return parties
    pronoun = _reference_before(s, c0, trig.begin)
    if _partners_first(s, trig, in_clause, c0):  # "…，并与茂木敏充会谈": who meets them is named before
        acting = []
        if len(_sides_of([m for m in parties if m not in s.locations], s.org_country)) >= 2:
            return parties
    if any(m.type == "Person" for m in acting) or (acting and pronoun is None):
        return parties
    silent = silent and pronoun is None
    return parties + ((_previous_clause(s, parties, c0) if silent else [])
                      or _earlier_actor(s, parties, c0, pronoun, outside))


def _acting(s: _Sentence, trig: Trigger, in_clause: Sequence[Mention]) -> list[Mention]:
    """Who the clause names acting before its trigger: no location, place nor inviter (a host)."""
    return [m for m in in_clause if m.begin < trig.begin and m not in s.locations and m.type != "Place"
            and m not in s.hosts]


def _partners_first(s: _Sentence, trig: Trigger, in_clause: Sequence[Mention], c0: int) -> bool:
    """A talks word's clause that opens with its partner word ("并与日本外相茂木敏充会谈"): whom it
    names before the word are the counterparts; the one meeting them is the actor of the clauses
    before (_earlier_actor), not acting in this one."""
    if trig.type not in _MEETING_TYPES:
        return False
    joiner = _any_of(s.lexicon.words("partner_joiners")).search(s.text, c0, trig.begin)
    return joiner is not None and any(joiner.end() <= m.begin and m.end <= trig.begin for m in in_clause) \
        and not any(m.begin < joiner.start() and m not in s.locations and m.type != "Place" for m in in_clause) \
        and _reference_before(s, c0, joiner.start()) is None  # "她与另两位领导人…": she acts


def _others_counterparts(s: _Sentence, in_clause: Sequence[Mention], c0: int) -> frozenset[Mention]:
    """The counterparts of other clauses' meetings (_counterparts) that the clause at ``c0`` does
    not take: none when it names no party of its own (a place after a locative word, "期待在台湾
    见面", is where, not with whom) or names both sides by one word ("两国在华盛顿的会谈成果")."""
    located = s.lexicon.words("locative_markers")
    c1 = s.bounds(s.text, c0)[1]
    if any(w in s.text[c0:c1] for w in s.lexicon.words("both_sides")) \
            or not any(m not in s.locations and m.type != "Place" and not s.text.endswith(located, 0, m.begin)
                       for m in in_clause):
        return frozenset()
    return _counterparts(s, c0) - set(in_clause)


def _counterparts(s: _Sentence, c0: int) -> frozenset[Mention]:
    """Whom the talks word of another clause than the one at ``c0`` names after a partner word
    before it ("拜登在与普京会晤之前": Putin), in English as its object after it ("met Mr Putin in
    Geneva after meeting Mrs Merkel"): that meeting's counterparts, not the actor the rest of
    the sentence goes on with ("…，在布鲁塞尔会晤了德、法、英领导人": Biden met them, Putin did not;
    see _parties). Places stay: where one thing happens tells where the next does."""
    joiner = _any_of(s.lexicon.words("partner_joiners"))
    out: set[Mention] = set()
    for t in s.triggers:
        t0, t1 = s.bounds(s.text, t.begin)
        if t.type not in _MEETING_TYPES or t0 == c0 or _skipped(s, t):
            continue
        partners = list(joiner.finditer(s.text, t0, t.begin))
        begin, end = (t.end, t1) if s.english else (partners[-1].end(), t.begin) if partners else (t.begin, t.begin)
        out |= {m for m in s.facts.mentions if begin <= m.begin and m.end <= end and m.type != "Place"}
    return frozenset(out)


def _joining_subject(s: _Sentence, trig: Trigger, in_clause: Sequence[Mention]) -> list[Mention]:
    """The subject's mentions that join a clause naming too few parties: for a gathering, not
    whom its outcome is aimed at (as _clause_parties), and not another organisation when the clause
    names the members of its own ("七国集团在峰会公报中点名中国，北约成员国领袖将在峰会公报中…":
    NATO's summit, neither the G7 nor China; but "G7包括…，但欧盟…也参加了…峰会": the EU attends)."""
    if trig.type != "MULTILATERAL":
        return [m for m in s.subject if m not in in_clause and not (trig.type in _OCCASION_TYPES and m in s.about)]
    own = any(m.type == "Organization" and not s.org_country.get(m.entity_id)
              and s.text.startswith(s.lexicon.words("member_words"), m.end) for m in in_clause)
    return [m for m in s.subject if m not in in_clause and m not in s.targets and m not in s.about
            and not (own and m.type == "Organization" and not s.org_country.get(m.entity_id))]


def _english_subject_acts(s: _Sentence, c0: int) -> bool:
    """An English clause other than the subject's own, in a sentence with a person as its subject
    ("…, before calling on President Kenyatta"; "During his visit to Seoul, Lloyd Austin met…"):
    the subject acts, not the one named last before the clause nor the one a pronoun found."""
    if not s.english:
        return False
    c1 = s.bounds(s.text, c0)[1]
    return any(m.type == "Person" and (m.end <= c0 or m.begin >= c1) for m in s.subject) \
        and not any(c0 <= m.begin < c1 for m in s.subject)


def _reference_before(s: _Sentence, c0: int, at: int) -> int | None:
    """Where a pronoun, or in English an office named with "the" ("the secretary of state would
    travel…"), stands for someone named before, between ``c0`` and ``at``."""
    pronoun = _pronoun_before(s.text, c0, at, s.lexicon.words("pronouns"))
    if pronoun is None and s.english and s.previous_person is not None:
        pronoun = _same_state_reference(s.lexicon, s.text, c0, at, s.facts.mentions, s.previous_person)
    return pronoun


def _same_state_reference(lexicon: EventLexicon, text: str, begin: int, at: int, mentions: Sequence[Mention],
                          previous_person: Mention) -> int | None:
    """An office named with "the" between ``begin`` and ``at`` (english_role_reference) that may
    stand for the person named before: not when it names another state ("the Chinese foreign
    minister" after Mr Blinken) or another office than the one the person holds ("the Saudi
    foreign minister" after King Salman)."""
    ref = english_role_reference(lexicon.english, text, begin, at)
    if ref is None:
        return None
    states = {m.entity_id for m in mentions if m.type == "Country" and ref <= m.begin < at}
    if states and states != {f"country:{previous_person.country}"}:
        return None
    phrase = lexicon.english.role_reference.match(text, ref)
    offices = {w for w in phrase.group(0).lower().split() if w in lexicon.english.roles} if phrase else set()
    held = {w for w in f"{previous_person.role or ''} {previous_person.surface}".lower().split()
            if w in lexicon.english.roles}  # the office the person holds, or the title they are named by
    return ref if not held or offices & held else None


def _owned_gathering(s: _Sentence, trig: Trigger, in_clause: Sequence[Mention]) -> bool:
    """A gathering named by its organisation ("a physical NATO summit", "北约峰会", "七国集团（G7）
    领导人峰会": a closing bracket or a level word may stand between): the organisation convenes
    it, the sentence's subject is not thereby a party ("台湾外交部发布新闻稿表示，七国集团（G7）领导人
    峰会…圆满落幕")."""
    levels = {w for words in s.lexicon.scoring.merge.levels for w in words}
    return trig.type == "MULTILATERAL" and any(
        m.type == "Organization" and m.end <= trig.begin
        and s.text[m.end:trig.begin].strip(" -）)”\"」》") in levels | {""} for m in in_clause)


def _previous_clause(s: _Sentence, parties: Sequence[Mention], c0: int) -> list[Mention]:
    """The parties of the clause before one that names nobody before its trigger, when that clause
    names a person: the sentence goes on with them ("布林肯还与英国、德国及法国外长，也就是所谓的
    “欧三”召开视频会议")."""
    if c0 < 2:
        return []
    b, e = s.bounds(s.text, c0 - 2)
    before = [m for m in s.facts.mentions if b <= m.begin < e and m not in s.topics and m not in s.locations]
    if not any(m.type == "Person" for m in before):
        return []
    return [m for m in before if m not in parties]


def _earlier_actor(s: _Sentence, parties: Sequence[Mention], c0: int, pronoun: int | None,
                   outside: frozenset[Mention] = frozenset()) -> list[Mention]:
    """The person acting in a clause that names no one: the person named last before the clause
    (not an inviter: "X应Y邀请，于…访台" is X's trip) and not ``outside`` it (the counterpart of an
    earlier clause's event), else, for a pronoun, the previous sentence's person ("他访问了…": who he is)."""
    earlier = [m for m in s.facts.mentions if m.end <= c0 and m.type == "Person" and m not in s.locations
               and m not in s.hosts and m not in outside and not _names_time_or_government(s.lexicon, s.text, m)]
    if earlier:
        last = earlier[-1]
        return [m for m in s.facts.mentions if m.begin == last.begin and m not in parties]
    # "he met X": X is met, he acts (in English; Chinese keeps a clause naming a person as it is)
    if s.previous_person is not None and pronoun is not None \
            and not any(m.type == "Person" and (m.begin < pronoun or not s.english
                                                or m.entity_id == s.previous_person.entity_id) for m in parties):
        return [replace(s.previous_person, begin=pronoun, end=pronoun + 1)]
    return []


def _pronoun_before(text: str, clause_start: int, at: int, pronouns: Sequence[str]) -> int | None:
    """Where a personal pronoun of one person stands before the trigger in its clause, if one
    does: not a plural (他们, 她们: a group, "我认为他们还是在G7峰会联合公告中达成了共识", no one person)."""
    for p in pronouns:
        i = text.rfind(p, clause_start, at)
        while i >= 0 and text.startswith(_PLURAL, i + len(p)):
            i = text.rfind(p, clause_start, i)
        if i >= 0:
            return i
    return None


_PLURAL = "们"  # the suffix that makes a Chinese personal pronoun plural


def events_in_sentence(facts: SentenceFacts, lexicon: EventLexicon, *, published: date | None,
                       language: str, org_country: dict[str, str | None],
                       previous_person: Mention | None = None,
                       previous_day: date | None = None, previous_type: str | None = None) -> list[EventMention]:
    """Every event a sentence reports, one per trigger that survives the modifiers; ``previous_day``
    and ``previous_type`` are the day and type of the dated event the article reported just before
    (an undated follow-up, 亦与…会谈, takes the day; see _mention)."""
    triggers = lexicon.triggers(facts.norm, language)
    if language != "en" and facts.mentions:
        triggers = sorted(triggers + _attended_organisations(facts, lexicon, org_country, triggers)
                          + _named_stops(facts), key=lambda t: t.begin)
    if not triggers:  # most sentences: only a back-reference can concern an event
        return _sentence_reference(facts, lexicon, org_country)
    sentence = _prepare(facts, lexicon, triggers, language == "en", org_country, previous_person, published,
                        previous_day, previous_type)
    out = [event for trig in triggers for event in _events_of_trigger(sentence, trig)]
    return _meetings_on_trip(out) or _sentence_reference(facts, lexicon, org_country)


def _attended_organisations(facts: SentenceFacts, lexicon: EventLexicon, org_country: dict[str, str | None],
                            triggers: Sequence[Trigger]) -> list[Trigger]:
    """An intergovernmental organisation attended or convened ("参加G7", "G7召开前", "举办“四方安全
    对话”") stands for its gathering: the verb is a MULTILATERAL trigger, unless an occasion's word
    already follows the name (七国集团峰会, G7外长会议) or a noun does (参加北约演习: an exercise).
    A statement made there is no such word ("出席二十国集团峰会并发表讲话": the gathering and a
    speech at it)."""
    verbs = lexicon.words("gathering_verbs")
    out = []
    for m in facts.mentions:
        if m.type != "Organization" or m.country or org_country.get(m.entity_id) \
                or any(m.end <= t.begin <= m.end + 2 and t.type in _OCCASION_TYPES or _summit_name(lexicon, t, m.end)
                       for t in triggers):
            continue
        before = facts.norm[max(0, m.begin - 3):m.begin].rstrip("“「《\"")
        verb = next((v for v in verbs if before.endswith(v)), None)
        after = facts.norm[m.end:].lstrip("”」》\"")
        if verb and (not after or after.startswith(lexicon.words("gathering_name_ends"))):
            at = len(facts.norm[:m.begin].rstrip("“「《\"")) - len(verb)
            out.append(Trigger("MULTILATERAL", verb, at, at + len(verb)))
        elif facts.norm.startswith(lexicon.words("convening_verbs"), m.end):
            verb = next(v for v in lexicon.words("convening_verbs") if facts.norm.startswith(v, m.end))
            out.append(Trigger("MULTILATERAL", verb, m.end, m.end + len(verb)))
    return out


_ORDINAL_STOP = re.compile(r"第[一二三四五六七八九十0-9０-９]+站")  # 第四站, 第1站: a tour's leg by its place in order


def _named_stops(facts: SentenceFacts) -> list[Trigger]:
    """A tour's leg named by its place in order ("巴黎是王毅…欧洲5国行的第四站", "访欧的第二站巴黎")
    stands for a visit there: the ordinal stop is a VISIT trigger whose host the clause equates
    with it (_stop_host)."""
    return [Trigger("VISIT", m.group(0), m.start(), m.end()) for m in _ORDINAL_STOP.finditer(facts.norm)]


def _stop_host(s: _Sentence, trig: Trigger) -> tuple[Mention | None, Mention | None]:
    """The host of a leg named by its order, and its traveller when the clause does not name one:
    the place right after it ("第二站巴黎"), else the one the clause equates with it before it
    in the sentence ("巴黎是…，欧洲5国行的第四站", "选择尼日利亚做为出访第1站"), else, for "作为此行的第一站，", the first
    place of the clause after it, with the first person there as the traveller."""
    places = [m for m in s.facts.mentions if m.type in ("Country", "Place")]
    after = next((m for m in places if m.begin == trig.end), None)
    if after is not None:
        return after, None
    c0, c1 = s.bounds(s.text, trig.begin)
    copulas = s.lexicon.words("stop_copulas")
    equated = [m for m in places if m.end <= trig.begin and s.text.startswith(copulas, m.end)]
    if equated:
        return equated[-1], None
    if not s.text[c0:trig.begin].lstrip().startswith(copulas) or c1 >= len(s.text):
        return None, None
    n0, n1 = s.bounds(s.text, c1 + 1)
    host = next((m for m in places if n0 <= m.begin < n1), None)
    traveller = next((m for m in s.facts.mentions if n0 <= m.begin < n1 and m.type == "Person"), None)
    return host, traveller


def _stop_leg(s: _Sentence, trig: Trigger, parties: Sequence[Mention]
              ) -> tuple[str | None, list[Mention], Mention | None] | None:
    """A leg named by its order (_stop_host): its host state, the parties left that may travel (not
    the host, nor a state a trip word names: 访欧's Europe) and the traveller named after it, if any."""
    stop, traveller = _stop_host(s, trig)
    if stop is None:
        return None
    host = stop.entity_id if stop.type == "Country" else f"country:{stop.country}" if stop.country else None
    rest = [m for m in parties if (m.begin, m.end) != (stop.begin, stop.end)
            and not any(t.begin <= m.begin and m.end <= t.end for t in s.triggers)]
    return host, rest, traveller


def _meetings_on_trip(mentions: list[EventMention]) -> list[EventMention]:
    """A meeting whose sentence names only the travellers' side, in a sentence that reports their
    trip ("外访，选择日本为第一站，紧接着是韩国，并与双方举办“2+2会谈”"), is held with the hosts:
    one meeting per host of the trip."""
    hosts = {v.place: v.sides - {v.place} for v in mentions if v.type == "VISIT" and v.place}
    out = []
    for m in mentions:
        with_hosts = [h for h, visitors in hosts.items() if m.sides and m.sides <= visitors] \
            if m.partial and m.type == "MEET" else []
        out += [replace(m, sides=m.sides | {h}, partial=False) for h in with_hosts] or [m]
    return out


def _events_of_trigger(s: _Sentence, trig: Trigger) -> list[EventMention]:
    """The events one trigger reports (none, one, or one per listed partner or host), in steps:
    whether it reports an event at all, its parties, its type from who takes part, its people,
    then its days, status and confidence."""
    if _skipped(s, trig):
        return []
    c0, c1 = s.bounds(s.text, trig.begin)
    c1 = _before_what_follows(s, trig, c1)
    c0, c1 = _apart_from_related_events(s, trig, c0, c1)
    in_clause = _clause_parties(s, trig, c0, c1)
    if not s.english and _owned(s, trig):
        return [_owned_reference(s, trig, (c0, c1))]
    if _refers_back(s, trig, c0, c1):
        return [_reference(s, trig, in_clause, (c0, c1))]
    parties = _parties(s, trig, in_clause, c0) + _attendees(s, trig, c1)
    event_type = english_event_type(s.lexicon.english, s.text, trig, s.facts.mentions, _remote(s, trig, (c0, c1))) \
        if s.english else trig.type
    taking_part = None if event_type is None else _sides_and_place(s, trig, event_type, parties, (c0, c1))
    if event_type is None:
        return []
    if taking_part is None:
        return _unnamed_reference(s, trig, in_clause, (c0, c1))
    sides, place, outside = taking_part
    if event_type in _MEETING_TYPES:
        event_type = _meeting_type(s, trig, event_type, parties, sides, (c0, c1), outside)
        if event_type is None:
            return _unnamed_reference(s, trig, in_clause, (c0, c1))
        sides = _call_sides(s, trig, event_type, parties, (c0, c1), outside, sides)
    persons = _persons(s, trig, parties, event_type, sides)
    partial = len(sides) < int(s.lexicon.types[event_type].get("min_sides", 2))
    if partial and not (persons and event_type in _MEETING_TYPES):
        return _unnamed_reference(s, trig, in_clause, (c0, c1))
    if event_type in _MEETING_TYPES and not any(x.startswith("org:") for x in sides) and _names_a_time(s, trig, c0):
        partial, event_type = True, ""  # "在会谈后表示": a back-reference to a meeting of any type
        if s.text.startswith(s.lexicon.words("time_before_event"), trig.end):
            persons = frozenset()  # "拜登在中美会谈前与…举行了四方安全对话": who acts before it is not at it
    event = _mention(s, trig, event_type, sides, persons, place, partial, (c0, c1))
    if len(_sides_of([m for m in parties if m.entity_id in persons], s.org_country)) >= 2:
        event = replace(event, pair_named=True)
    events = _split(s, trig, event, parties, (c0, c1))
    if event_type != "MEET":
        return events
    return events + (_received_visit(s, trig, events, parties) or _visits_abroad(s, trig, events, parties, c0))


def _refers_back(s: _Sentence, trig: Trigger, c0: int, c1: int) -> bool:
    """A Chinese event word after a demonstrative ("王毅此行", "这次会谈") refers to the event told
    (_reference); a leg named by its order is a leg of it ("作为此行的第一站": a visit there)."""
    return not s.english and not _ORDINAL_STOP.fullmatch(trig.word) \
        and s.lexicon.modified("anaphoric", *_governing_words(s, trig, c0, c1))


def _apart_from_related_events(s: _Sentence, trig: Trigger, c0: int, c1: int) -> tuple[int, int]:
    """The part of an occasion word's clause that holds its own parties, day and tense when the
    clause relates two events ("王毅访日延期与美日印澳外长会议有关", "拜登会见普京与北约峰会无关"):
    from after the event word before it and the words relating the two (与, 由于), up to those
    relating it to the event word after it. Whom the other event word names, and what is said of
    it (延期), are that event's own."""
    relating = s.lexicon.words("relation_words")
    if s.english or trig.type not in _OCCASION_TYPES or not any(w in s.text[c0:c1] for w in relating):
        return c0, c1
    words = _any_of((*s.lexicon.words("partner_joiners"), *relating))
    before = max((t.end for t in s.triggers if c0 <= t.begin and t.end <= trig.begin), default=None)
    after = min((t.begin for t in s.triggers if trig.end <= t.begin < c1), default=None)
    if before is not None:
        c0 = max([before] + [m.end() for m in words.finditer(s.text, before, trig.begin)])
    if after is not None:
        c1 = next((m.start() for m in words.finditer(s.text, trig.end, after)), c1)
    return c0, c1


def _before_what_follows(s: _Sentence, trig: Trigger, c1: int) -> int:
    """Where a meeting's clause ends for its parties and place: at a word after the meeting word
    that names the time of what the clause goes on to tell ("布林肯在G7的会议后飞往乌克兰首都基辅":
    Kyiv is where he went next, not the meeting's venue, Ukraine no party of it)."""
    if trig.type not in _MEETING_TYPES:
        return c1
    word = next((w for w in s.lexicon.words("sequence_words") if s.text.startswith(w, trig.end)), None)
    return c1 if word is None else min(c1, trig.end + len(word))


def _reference(s: _Sentence, trig: Trigger, in_clause: Sequence[Mention], clause_span: tuple[int, int]) -> EventMention:
    """An event word after a demonstrative ("王毅此行", "这次会谈", "此次访问为期两天") refers to the
    event of its type just reported: a partial mention that adds to it the people acting before
    the word and, when that event has none, the day its clause names (see _attach)."""
    actors = [m for m in in_clause if m.end <= trig.begin and m not in s.locations and m.type != "Place"
              and not _names_time_or_government(s.lexicon, s.text, m)]
    persons = frozenset(m.entity_id for m in actors if m.type == "Person")
    return replace(_mention(s, trig, trig.type, _sides_of(actors, s.org_country), persons, None, True, clause_span),
                   pair_named=False)


def _owned(s: _Sentence, trig: Trigger) -> bool:
    """Whether a possessive pronoun owns the occasion word, right before it or before a
    demonstrative that is (其访台, 其此次访台), and is no part of a word or name (尤其, 土耳其)."""
    if trig.type not in _OCCASION_TYPES:
        return False
    at = trig.begin
    at -= next((len(w) for w in s.lexicon.modifier("anaphoric").words if s.text.endswith(w, 0, at)), 0)
    pronoun = next((p for p in s.lexicon.words("possessive_pronouns") if s.text.endswith(p, 0, at)), None)
    return pronoun is not None and not s.text.endswith(s.lexicon.words("not_possessive"), 0, at) \
        and not any(m.begin < at and m.end > at - len(pronoun) for m in s.facts.mentions)


def _owned_reference(s: _Sentence, trig: Trigger, clause_span: tuple[int, int]) -> EventMention:
    """An occasion word a pronoun owns ("国民党许多人士对其访台也有批评") is the event of its type
    the article reported: who its clause names speaks of it from outside (the critics are no
    travellers), so it adds no one, only the host its trip word names (访台: Taiwan), which must be
    that event's (see _attach)."""
    host = s.lexicon.visit_destinations.get(trig.word)
    sides = frozenset({host if ":" in host else f"country:{host}"}) if host else frozenset()
    return replace(_reference(s, trig, [], clause_span), sides=sides, start=None, end=None, window=None)


def _unnamed_reference(s: _Sentence, trig: Trigger, in_clause: Sequence[Mention],
                       clause_span: tuple[int, int]) -> list[EventMention]:
    """An occasion word whose clause names no one acting in it ("在峰会之前", "會談中，…", "在爱丽舍宫
    的会谈", "比如到法国访问") is no event of its own: Chinese leaves out the article, so it is the
    definite "the summit", "the talks" of the event of its type the article last reported, and
    refers back to it as a demonstrative does (_reference; nothing when there is none). A clause
    naming someone who acts but not whom they meet or visit (美国卫生部长阿扎尔今年8月初访台, a
    trip extraction could not place) may tell of another event: it refers to none. It adds its
    sentence to that event's evidence, and no day: the day its clause names may be of what is said
    there ("在峰会当日…发表社评"), and an undated event given a wrong one no longer pools with its
    other mentions; but one who goes along with a party (随团来访, 陪同…来访) joins the trip of its
    type the article last told, as a reference. A sentence placing people at the meeting ("在布鲁塞尔进行了两天的会谈后，…巴尼尔
    表示") adds them as well (_back_reference)."""
    if s.english or trig.type not in _OCCASION_TYPES:
        return []
    reference = _reference(s, trig, in_clause, clause_span)
    if (reference.sides or reference.persons) and _accompanies(s, trig, clause_span[0]):
        # "市长贺瑞普也将随团来访": one more traveller of the trip the article tells, of no day of its own
        return [replace(reference, start=None, end=None, window=None, along=True)]
    if reference.sides or reference.persons:
        return []
    # the states it names as places ("到法国访问", "在阿拉斯加的会谈") are the event's: it refers to an
    # event holding them ("继续访问印度" is no part of a visit to China); an organisation named there
    # is more often part of a title or a time ("美驻联合国大使", "G7峰会前夕") than a party
    named = frozenset(x for x in _sides_of([m for m in in_clause if m.type != "Place"], s.org_country)
                      if x.startswith("country:"))
    return _back_reference(s.facts, s.lexicon, s.org_country) \
        or [replace(reference, sides=named, start=None, end=None, window=None)]


def _accompanies(s: _Sentence, trig: Trigger, c0: int) -> bool:
    """A word of going along with others (随团, 随行, 陪同) stands in a trip word's clause before it:
    whom the clause names travel with the trip the article tells ("也将随团来访")."""
    return trig.type == "VISIT" and any(s.text.find(w, c0, trig.begin) >= 0 for w in s.lexicon.words("accompany_words"))


def _received_visit(s: _Sentence, trig: Trigger, meetings: Sequence[EventMention],
                    parties: Sequence[Mention]) -> list[EventMention]:
    """A host receiving a guest ("中国接待了俄罗斯外长拉夫罗夫") says the guest came: a visit of the
    guest's state to the host's, the guest's people its travellers."""
    if trig.word not in s.lexicon.words("reception_words"):
        return []
    hosts = _sides_of([m for m in parties if m.end <= trig.begin and m not in s.locations and m.type != "Place"],
                      s.org_country)
    guests = [m for m in parties if m.begin >= trig.end and m not in s.locations and m.type != "Place"]
    sides = _sides_of(guests, s.org_country)
    if len(hosts) != 1 or len(sides) != 1 or hosts == sides or not all(x.startswith("country:") for x in hosts | sides):
        return []
    host = next(iter(hosts))
    return [replace(e, type="VISIT", sides=frozenset(hosts | sides), place=_trip_place(e.place, host, parties, trig),
                    persons=frozenset(m.entity_id for m in guests if m.type == "Person" and m.entity_id in e.persons))
            for e in meetings if not e.partial][:1]


def _attendees(s: _Sentence, trig: Trigger, c1: int) -> list[Mention]:
    """The parties of the clause after a gathering named as its setting ("G20大阪峰会期间，默克尔与
    习近平会面", "在七国峰会上，拜登…"): who acts there attends it."""
    there = _setting_of(s, trig, c1) if trig.type == "MULTILATERAL" else None
    if there is None:
        return []
    n0, n1 = there
    return [m for m in s.facts.mentions if n0 <= m.begin < n1 and m not in s.topics and m not in s.targets
            and m not in s.locations and m.type != "Place" and not _names_time_or_government(s.lexicon, s.text, m)]


def _setting_of(s: _Sentence, trig: Trigger, c1: int, named_between: bool = False) -> tuple[int, int] | None:
    """The clause after an occasion word whose own clause ends with a setting word right after it
    ("G20峰会期间，…") or, ``named_between``, after what it names ("访问日本期间，…"): what that
    clause tells happens at the occasion."""
    rest, words = s.text[trig.end:c1].strip(), s.lexicon.words("setting_words")
    if c1 >= len(s.text) or not (rest in words or (named_between and rest.endswith(words))):
        return None
    return s.bounds(s.text, c1 + 1)


def _setting_traveller(s: _Sentence, trig: Trigger) -> Mention | None:
    """The traveller of a trip named as the setting of the clause after it ("访华期间，拉夫罗夫与王毅
    举行会谈", "在访问日本期间，王毅会见了菅义伟"): the first person acting there, when the sentence
    names no one before the trip word."""
    if trig.type != "VISIT" or any(m.type == "Person" and m.end <= trig.begin for m in s.facts.mentions):
        return None  # "王毅…，26日访问荷兰时，外长布洛克…": the one named before travels, not the host's minister
    there = _setting_of(s, trig, s.bounds(s.text, trig.begin)[1], named_between=True)
    return None if there is None else next(
        (m for m in s.facts.mentions if there[0] <= m.begin < there[1] and m.type == "Person"
         and not _names_time_or_government(s.lexicon, s.text, m)), None)


def _traveller_after(s: _Sentence, trig: Trigger) -> set[str]:
    """The traveller of a trip whose clause names none, named after it: in the clause it is the
    setting of (_setting_traveller), or in English the main clause's subject ("During his visit to
    Seoul, Lloyd Austin met…")."""
    setting = _setting_traveller(s, trig)
    if setting is not None:
        return _sides_of([setting], s.org_country)
    if _english_subject_acts(s, s.bounds(s.text, trig.begin)[0]):
        return _sides_of([m for m in s.subject if m.type == "Person"], s.org_country)
    return set()


def _clause_parties(s: _Sentence, trig: Trigger, c0: int, c1: int) -> list[Mention]:
    """The mentions of the trigger's clause that may take part: not its topics, for a gathering not
    the targets of its outcome (in a talk of two, whom one side criticises is the other side:
    "布林肯在首次电话中批评中国"), and in English not an organisation that convenes another
    gathering of the sentence."""
    aimed_at = s.targets if trig.type == "MULTILATERAL" else frozenset()
    about = s.about if trig.type in _OCCASION_TYPES else {}
    said = _what_a_gathering_says(s, trig, c1)
    return [m for m in s.facts.mentions if c0 <= m.begin < min(c1, said) and m not in s.topics and m not in aimed_at
            and m not in about and not (s.english and _convened_by_another(s, trig, m))]


def _outsiders(facts: SentenceFacts, lexicon: EventLexicon) -> frozenset[Mention]:
    """Who the sentence shows outside its gatherings: a state speaking through its mission in
    another state ("中国驻英国使馆发言人在G7峰会最后一天发表讲话": an embassy comments on a gathering;
    a mission to an organisation, "中国常驻联合国代表在安理会会议上发言", does take part in its
    meetings), and a state or person it says was not invited or did not attend ("中国没有被邀请，但
    中国在G7峰会上是幽灵主宾"), wherever the sentence names them."""
    text = facts.norm
    posts = {m.begin for m in facts.mentions if m.type == "Country" and _posted_to(m, text)}
    missions = {m for m in facts.mentions if m.type == "Country" and m.begin not in posts
                and (m.end in posts or m.end + 1 in posts)}
    absent = _not_attending(lexicon.modifier("negation").words,
                            lexicon.words("invitation_words") + lexicon.words("gathering_verbs"))
    left_out = {m.entity_id for m in facts.mentions
                if m.type in ("Country", "Person") and absent.match(text, m.end) is not None}
    return frozenset(missions | {m for m in facts.mentions if m.entity_id in left_out})


@lru_cache(maxsize=4)
def _not_attending(negation: tuple[str, ...], taking_part: tuple[str, ...]) -> re.Pattern[str]:
    """What follows a state or person said not to be invited or not to attend: a negation, maybe
    被/获, then a word of invitation or of attending a gathering (没有被邀请, 未获邀, 并未出席)."""
    return re.compile(rf"(?:{_any_of(negation).pattern})[被获]?(?:{_any_of(taking_part).pattern})")


def _what_a_gathering_says(s: _Sentence, trig: Trigger, c1: int) -> int:
    """Where what a gathering says of someone begins in its clause: at the first word of speech or
    verdict that follows the gathering word ("北约峰会称中国构成战略威胁", "峰会公报将首度指中国构成
    系统性挑战"). Whom it names there is its topic, not a party; who takes part is named before
    (七国集团领导人在峰会上…) or attends it as its setting (_attendees). Not a stance word: 对 is
    part of too many words (应对, 对话) and welcomes a guest as well (对拜登总统的热烈欢迎)."""
    if trig.type != "MULTILATERAL" or s.english:
        return c1
    words = s.lexicon.words("speech") + s.lexicon.words("verdict_words")
    return min((at for w in words if (at := s.text.find(w, trig.end, c1)) >= 0), default=c1)


def _convened_by_another(s: _Sentence, trig: Trigger, m: Mention) -> bool:
    """An organisation that names another gathering of the sentence ("joining European leaders on
    screen in Munich and Asian leaders in a cyber-summit of the Indo-Pacific Quad", "the NATO
    summit"): it convenes that one, it is no party of this one."""
    if m.type != "Organization":
        return False
    return any(t != trig and t.type == "MULTILATERAL"
               and (m.end <= t.begin and not s.text[m.end:t.begin].strip(" -“”\"")
                    or t.end <= m.begin and _GATHERING_OF.fullmatch(s.text, t.end, m.begin))
               for t in s.triggers)


_GATHERING_OF = re.compile(r"\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}[“\"]?")  # "a cyber-summit of the Indo-Pacific “Quad”"


def _visits_abroad(s: _Sentence, trig: Trigger, meetings: Sequence[EventMention], parties: Sequence[Mention],
                   c0: int) -> list[EventMention]:
    """A meeting its actor holds in a city of the other side's state ("克里在伦敦、布鲁塞尔和巴黎
    会见了欧洲官员", "特朗普在河内对越南国家主席进行礼节拜访") says the actor went there: one visit
    per such host, the actor's people its travellers."""
    marker = _any_of(s.lexicon.words("locative_markers")).search(s.text, c0, trig.begin)
    if marker is None:
        return []
    actors = [m for m in parties if m.type == "Person" and m.end <= marker.start()
              and not _names_time_or_government(s.lexicon, s.text, m)]
    home = _sides_of(actors, s.org_country)
    abroad = {f"country:{m.country}" for m in parties
              if m.type == "Place" and m.country and marker.end() <= m.begin < trig.begin} - home
    out = []
    for e in meetings:
        hosts = (e.sides & abroad) - home
        if len(home) == 1 and len(hosts) == 1 and not e.partial:
            out.append(replace(e, type="VISIT", sides=frozenset(home | hosts),
                               persons=frozenset(m.entity_id for m in actors), place=next(iter(hosts))))
    return out


def _sides_and_place(s: _Sentence, trig: Trigger, event_type: str, parties: Sequence[Mention],
                     clause_span: tuple[int, int]) -> tuple[set[str], str | None, frozenset[Mention]] | None:
    """The states and organisations taking part, the place, and the mentions that name where
    rather than who; None for a visit with no host or no traveller."""
    c0, c1 = clause_span
    outside = s.locations if event_type == "VISIT" else s.locations | _venue_states(s, parties)
    sides = _sides_of([m for m in parties if m not in outside], s.org_country)
    if any(x.startswith("org:") for x in sides):  # the host of an organisation's gathering takes part
        outside = s.locations
        sides = _sides_of([m for m in parties if m not in outside], s.org_country)
    place = _venue(s, parties, c0, c1)
    if event_type == "VISIT":
        visit = _visit_sides(s, trig, parties, c1)
        if visit is None:
            return None
        sides, place = visit[0], _trip_place(place, visit[1], parties, trig)
    elif event_type == "MEET" and len(sides) < 2:
        met_where = [m for m in parties if m in outside and not _posted_to(m, s.text)]
        sides |= _sides_of(met_where, s.org_country)  # met officials in London: with Britain
    return sides, place, outside


def _trip_place(venue: str | None, host: str | None, parties: Sequence[Mention], trig: Trigger) -> str | None:
    """Where a trip goes: the venue when it lies in the host state (在莫斯科访问, 抵达北京) or, for
    a trip to an organisation, after the trip word; else the host state. Not the traveller's own
    city ("北京邀俄外长访华　布林肯将访欧": Blinken does not go to Beijing)."""
    at = next((m for m in parties if m.entity_id == venue), None)
    if at is None or (f"country:{at.country}" != host if host else at.begin < trig.end):
        return host
    return venue


def _skipped(s: _Sentence, trig: Trigger) -> bool:
    """A trigger that reports no event: part of a name (四方会谈 as the Quad's name) or across the
    edge of one (欧洲议会|议员), governed by a
    skipping modifier (negation, hypothesis, back-reference, habit, 各自) or an interview."""
    if any(b <= trig.begin and trig.end <= e for b, e in s.names
           if not _visit_compound(trig, b) and not _summit_name(s.lexicon, trig, e)):
        return True
    if any(b < trig.begin < e < trig.end or trig.begin < b < trig.end < e for b, e in s.names):
        return True  # 欧洲议会议员: the word straddles a name's edge, it is no event word
    c0, c1 = s.bounds(s.text, trig.begin)
    scope = _governing_words(s, trig, c0, c1)
    # refusing a trip or a gathering is no cancelled event: "拒绝了…访台发出的威胁" refuses a threat
    skipping = _SKIPPING_MODIFIERS if trig.type in _TALKS or _unable(s, trig, c0, c1) else _SKIPPING_MODIFIERS + ("refused",)
    if not s.english:  # a Chinese back-reference (此次访问) adds to the event it names (_reference)
        skipping = tuple(name for name in skipping if name != "anaphoric")
        if trig.type in _OCCASION_TYPES and s.lexicon.modified("anaphoric", *scope):  # "希望克拉夫特这次
            skipping = tuple(name for name in skipping if name not in _OF_WHAT_FOLLOWS)  # 来台能够…"
    if _failed(s, c1):  # "想访问华盛顿…，但行程没能落实": the intended event, cancelled
        skipping = tuple(name for name in skipping if name != "hypothetical")
    if s.lexicon.any_modified(skipping, *scope) or _consequence(s, c0) or _institution(s, trig, c0):
        return True
    return _interview(s.text, s.lexicon, trig, c0, c1, s.facts.mentions)


_FOUNDED_WITHIN = 16  # characters between a founding verb and the talks it founds (建立中欧环境与气候高层对话)


def _institution(s: _Sentence, trig: Trigger, c0: int) -> bool:
    """A talks word that names a standing mechanism, not a meeting held: before an institution noun
    ("特别代表会晤机制") or founded by a verb before it in its clause ("建立中欧…高层对话"), unless a
    verb of holding stands between (建立合作展开磋商: the talks are held)."""
    if trig.type not in _TALKS:
        return False
    if s.text.startswith(s.lexicon.words("institution_nouns"), trig.end):
        return True
    founded = _last_word_end(s.text, s.lexicon.words("founding_verbs"), max(c0, trig.begin - _FOUNDED_WITHIN), trig.begin)
    return founded >= 0 and _last_word_end(s.text, s.lexicon.words("holding_verbs"), founded, trig.begin) < 0


def _summit_name(lexicon: EventLexicon, trig: Trigger, name_end: int) -> bool:
    """A summit word that ends an organisation's name names its gathering (七国集团峰会, 东亚峰会,
    二十国集团峰会 are the G7, the EAS, the G20 in the gazetteer): "七国集团峰会在康沃尔举行" is
    the summit, unlike a name a talks word ends (四方会谈: the Quad)."""
    return trig.type == "MULTILATERAL" and trig.end == name_end and trig.word in lexicon.words("summit_words")


def _consequence(s: _Sentence, c0: int) -> bool:
    """A clause that states what would follow from a condition opening the clause before it
    ("假如拜登同意…，习近平大概率会出席气候峰会"): as hypothetical as the condition."""
    if c0 < 2:
        return False
    b = s.bounds(s.text, c0 - 2)[0]
    return s.text[b:c0].lstrip(" \u3000“「\"").startswith(s.lexicon.words("conditional_openers"))


def _visit_compound(trig: Trigger, name_begin: int) -> bool:
    """A trip word that starts a name is a verb with its destination (拜登访欧: the entity layer
    reads 访欧 as the EU, where he goes), not a word inside a name."""
    return trig.type == "VISIT" and name_begin == trig.begin


def _failed(s: _Sentence, c1: int) -> bool:
    """The clause after the trigger's one says the intended event came to nothing ("杨洁篪想访问
    华盛顿…，但行程没能落实", "曾计划访台，但因…未成行")."""
    if c1 >= len(s.text):
        return False
    n1 = s.bounds(s.text, c1 + 1)[1]
    return bool(_any_of(s.lexicon.words("failed")).search(s.text, c1, n1)) if s.lexicon.words("failed") else False


def _refused(s: _Sentence, trig: Trigger, c0: int, c1: int) -> bool:
    """A meeting or call one side refused or that failed (不愿…会面, 拒见, 未能会面), or a trip its
    traveller could not make (无法来台): cancelled."""
    return _failed(s, c1) or _unable(s, trig, c0, c1) or trig.type in _TALKS and (
        trig.word.startswith(s.lexicon.modifiers["refused"].words)
        or s.lexicon.modified("refused", *_governing_words(s, trig, c0, c1)))


def _unable(s: _Sentence, trig: Trigger, c0: int, c1: int) -> bool:
    """A trip word its traveller could not make ("大使此次无法来台", "因克拉夫特未能访台"): the trip
    was planned and did not happen, unlike one refused or denied (拒绝…访台, 没有访问)."""
    return trig.type == "VISIT" and not s.english and s.lexicon.modified("unable", *_governing_words(s, trig, c0, c1))


_NAME_UNIT = "\ue000"  # stands for a whole name when the words before a trigger are counted


def _governing_words(s: _Sentence, trig: Trigger, c0: int, c1: int) -> tuple[str, int, int]:
    """The words that may govern a trigger (its modifier scope, see _modifier_scope) with every
    name before the trigger counted as one unit, and the trigger's offsets in them: a modifier's
    window measures words, not the length of the names a verb phrase holds ("还没有与中国国家主席
    习近平通电话", "拒绝与东布洛夫斯基斯会面"). Only for talks: a gathering goes on without one
    who does not attend it ("特朗普没有参加…东南亚国家联盟会议"), and a trip word's names are
    mostly its destination, after it. Worked out once per trigger and clause (kept in ``s.scopes``)."""
    key = (trig, c0, c1)
    if key not in s.scopes:
        s.scopes[key] = _words_before_trigger(s, trig, c0, c1)
    return s.scopes[key]


def _words_before_trigger(s: _Sentence, trig: Trigger, c0: int, c1: int) -> tuple[str, int, int]:
    """The governing words of ``trig`` as _governing_words describes them, a topic phrase
    ("就对华经贸问题…磋商") counted as one unit like a name."""
    s0 = _modifier_scope(s.text, s.lexicon, s.triggers, trig, c0)
    parts, last = [], s0
    spans = [(m.begin, s.about.get(m, m.end)) for m in s.facts.mentions]  # a topic phrase is one unit too
    for begin, end in sorted(spans):
        if trig.type in _TALKS and last <= begin and end <= trig.begin and end - begin > 1:
            parts += [s.text[last:begin], _NAME_UNIT]
            last = end
    before = "".join(parts) + s.text[last:trig.begin]
    return before + s.text[trig.begin:c1], len(before), len(before) + trig.end - trig.begin


def _names_a_time(s: _Sentence, trig: Trigger, c0: int) -> bool:
    """A meeting word that only names a time ("菅义伟在会谈后表示", "阿拉斯加会晤前夕") refers to a
    meeting reported elsewhere, unless its clause names two people or two parties joined before it
    ("王毅与布林肯会谈后表示", "特朗普金正恩会面后" report the meeting itself). Callers keep an organisation's gathering ("G7峰会前夕"): its name
    identifies it."""
    if not s.text.startswith(s.lexicon.words("time_after_event"), trig.end) \
            or any(m.begin == trig.end for m in s.facts.mentions):  # "会晤中美外长": 中 starts a name
        return False
    named = [m for m in s.facts.mentions if c0 <= m.begin and m.end <= trig.begin and m.type != "Place"]
    if len({m.entity_id for m in named if m.type == "Person"}) >= 2:
        return False  # "特朗普金正恩会面后": the two who meet
    return len(named) < 2 or not any(w in s.text[named[0].end:named[-1].begin] for w in s.lexicon.words("pair_joiners"))


def _venue_states(s: _Sentence, parties: Sequence[Mention]) -> frozenset[Mention]:
    """States a meeting's clause introduces by a locative word ("在芬兰总统府举行峰会", "前往越南与
    金正恩举行峰会"): where the meeting is, not who meets (their people, when named, bring them
    back). Not for an organisation's gathering ("在加拿大G7峰会上"), whose host is a member."""
    return frozenset(m for m in parties if m.type == "Country"
                     and s.text.endswith(s.lexicon.words("locative_markers"), 0, m.begin))


def _venue(s: _Sentence, parties: Sequence[Mention], c0: int, c1: int) -> str | None:
    """The place of the trigger's clause introduced by a locative word, else the clause's first
    place, else one the sentence introduces (see _place_of)."""
    located = [m for m in parties if s.text.endswith(s.lexicon.words("locative_markers"), 0, m.begin)]
    return _place_of([m for m in located if c0 <= m.begin < c1]) \
        or _place_of([m for m in parties if c0 <= m.begin < c1]) or _place_of(located)


def _visit_sides(s: _Sentence, trig: Trigger, parties: Sequence[Mention],
                 c1: int) -> tuple[set[str], str | None] | None:
    """A visit's parties (the travellers and the host) and the host state as its place; None when
    the trigger names no host or no one travels there from elsewhere."""
    relative, traveller = _relative_trip(s, trig), None
    if _ORDINAL_STOP.fullmatch(trig.word):
        leg = _stop_leg(s, trig, parties)
        if leg is None:
            return None
        host, parties, traveller = leg
        relative = True  # no host after it; what the clause names before it may travel
    else:
        host = _visit_host(trig, s.facts, s.lexicon, _trip_end(s, trig, c1),
                           s.bounds(s.text, trig.begin)[0] if relative else None)
    fronted = None if host is not None or relative else _fronted_host(s, trig)
    if fronted is not None:  # 王毅对法国进行正式访问: France is the host, not a traveller
        host = fronted.entity_id if fronted.type == "Country" else f"country:{fronted.country}" if fronted.country else None
        parties = [m for m in parties if m is not fronted]
    destination = _trip_noun_destination(trig, s.facts, s.lexicon)
    parties = [m for m in parties if m is not destination]  # 日本之行: Japan is where, not who, goes
    described = traveller or _described_traveller(parties, s.text, trig, s.lexicon.visit_destinations, relative)
    visitors = _sides_of([described], s.org_country) if described \
        else _visitor(parties, s.facts, trig, s.locations, s.org_country, s.governed, _pronoun_person(s, trig),
                      s.lexicon.words("stance_markers"))
    if not visitors:  # "访华期间，拉夫罗夫与王毅举行会谈", "During his visit to Seoul, Lloyd Austin met…"
        visitors = _traveller_after(s, trig)
    if host is None or not visitors or visitors <= {host}:
        return None
    return (visitors - {host}) | {host}, (host if host.startswith("country:") else None)


def _fronted_host(s: _Sentence, trig: Trigger) -> Mention | None:
    """The host a trip word's clause puts before it as the object of 对 … 进行 (王毅对法国进行正式访问:
    France, not a state after the word): the state or place right after 对, the light verb 进行 (and
    the trip's modifiers: 正式, 国事, 为期两天的) between it and the trip word."""
    c0 = s.bounds(s.text, trig.begin)[0]
    verbs = s.lexicon.words("fronted_host_verbs")
    for m in sorted((m for m in s.facts.mentions if c0 <= m.begin and m.end <= trig.begin), key=lambda m: -m.end):
        if m.type in ("Country", "Place") and s.text.endswith(s.lexicon.words("fronted_host_markers"), c0, m.begin) \
                and s.text.startswith(verbs, m.end) and not _CLAUSE_BREAK.search(s.text, m.end, trig.begin):
            return m
    return None


def _pronoun_person(s: _Sentence, trig: Trigger) -> Mention | None:
    """The person a pronoun before a trip word stands for when neither the sentence before the
    word names a person nor its clause an actor ("他也清楚…，所以在上周访印时表示": the person of
    the sentence before)."""
    c0 = s.bounds(s.text, trig.begin)[0]
    if s.previous_person is None or _pronoun_before(s.text, 0, trig.begin, s.lexicon.words("pronouns")) is None \
            or any(m.end <= trig.begin and (m.type == "Person" or m.begin >= c0 and m not in s.locations
                                            and m.type != "Place") for m in s.facts.mentions):
        return None
    return s.previous_person


def _trip_end(s: _Sentence, trig: Trigger, c1: int) -> int:
    """Where a trip's destinations end: its own clause, or, for a trip word that names none there
    ("首次外访，选择日本为第一站，紧接着是韩国"), the clauses after it that name its stops (a stop
    word and a state), up to a clause with an event word of its own."""
    if trig.word in s.lexicon.visit_destinations or any(
            trig.end <= m.begin < c1 and m.type in ("Country", "Place", "Organization") for m in s.facts.mentions):
        return c1
    end, stops = c1, _any_of(s.lexicon.words("trip_stops"))
    while end < len(s.text):
        b, e = s.bounds(s.text, end + 1)
        if any(b <= t.begin < e and not _ORDINAL_STOP.fullmatch(t.word) for t in s.triggers) \
                or not stops.search(s.text, b, e) \
                or not any(b <= m.begin < e and m.type == "Country" for m in s.facts.mentions):
            break
        end = e
    return end


def _meeting_type(s: _Sentence, trig: Trigger, event_type: str, parties: Sequence[Mention], sides: set[str],
                  clause_span: tuple[int, int], outside: frozenset[Mention]) -> str | None:
    """The type of a meeting from who takes part (_type_by_participation); None: no event.
    ``outside``: mentions that name where, not who."""
    c0, c1 = clause_span
    clause, at = s.text[c0:c1], trig.begin - c0
    people_before = [m for m in parties if m.type in ("Person", "Country", "Organization") and m.begin < trig.begin
                     and m not in outside]
    co_subjects = _sides_of([m for m in parties if m.begin < trig.begin and m not in outside], s.org_country)
    if any(w in clause[:at] for w in s.lexicon.words("partner_joiners")):
        co_subjects = set()  # 法国、荷兰和挪威的政府首脑同王毅…: a list meeting one partner
    joined = _joined_pair(s.lexicon, clause, people_before, c0, at)
    typed = _type_by_participation(s.lexicon, replace(trig, type=event_type), sides, _remote(s, trig, clause_span),
                                   joined, len(co_subjects))
    if s.english and event_type == "MULTILATERAL" and typed == "CALL" and not joined:
        typed = "MULTILATERAL"  # "speak at the Munich Security Conference" on screen: a conference, not a call
    if typed is None and s.english and event_type == "MULTILATERAL" and sides \
            and trig.word.lower() in s.lexicon.words("summit_words") and any(m.type == "Person" for m in parties):
        typed = "MULTILATERAL"  # English news names a summit by its host or a leader: "Mr Biden's climate summit"
    if typed == "MULTILATERAL" and _two_on_the_line(s, trig, parties, clause_span, outside) is not None:
        typed = "CALL"
    return "MULTILATERAL" if _organisation_gathers(s, trig, typed, parties, clause_span, outside) else typed


def _call_sides(s: _Sentence, trig: Trigger, event_type: str, parties: Sequence[Mention],
                clause_span: tuple[int, int], outside: frozenset[Mention], sides: set[str]) -> set[str]:
    """A call's sides: those of the two persons on the line when two are (_two_on_the_line), not a
    state the clause names as what the call is about."""
    line = _two_on_the_line(s, trig, parties, clause_span, outside) if event_type == "CALL" else None
    return set(line) if line is not None and line < sides else sides


def _two_on_the_line(s: _Sentence, trig: Trigger, parties: Sequence[Mention], clause_span: tuple[int, int],
                     outside: frozenset[Mention]) -> frozenset[str] | None:
    """The two sides of a talk at a distance (phone, video) of exactly two persons acting for two
    sides: their call, whatever else the clause names after them (a state the call is about:
    通电话…关注台湾; the next call of a list: 同乌拉圭总统通电话同沙特国王通电话) or the organisation
    one of them speaks for. The medium and the number of those talking give the kind, not the
    word. None when a summit word (视频峰会, "virtual summit") names a gathering of more than the two,
    or another state or body stands between the first of them and the word (与英国、德国及法国外长
    召开视频会议: the list meets)."""
    if any(w in trig.word.lower() for w in s.lexicon.words("summit_words")) or not _remote(s, trig, clause_span):
        return None
    people = [m for m in parties if m.type == "Person" and m not in outside]
    sides = _sides_of(people, s.org_country)
    if len({m.entity_id for m in people}) != 2 or len(sides) != 2 \
            or any(len(_sides_of([m], s.org_country)) != 1 for m in people):
        return None
    first = min(m.begin for m in people)
    if any(first < m.begin < trig.begin and m.type in ("Country", "Organization")
           and not _sides_of([m], s.org_country) <= sides for m in parties):
        return None
    return frozenset(sides)


def _organisation_gathers(s: _Sentence, trig: Trigger, typed: str | None, parties: Sequence[Mention],
                          clause_span: tuple[int, int], outside: frozenset[Mention]) -> bool:
    """Talks that are an organisation's gathering: a meeting with its members together or of its
    officials alone, a video talk with it as a body."""
    if typed == "MEET":
        return _meets_the_members(s, trig, parties) or _members_meet(parties, outside, s.org_country)
    return typed == "CALL" and _body_on_screen(s, clause_span, [m for m in parties if m not in outside])


def _on_screen(s: _Sentence, clause_span: tuple[int, int]) -> bool:
    """Whether a Chinese clause tells of a talk by video: a remote word, none of the telephone."""
    clause = s.text[clause_span[0]:clause_span[1]]
    phone = s.lexicon.words("phone_words")
    return not s.english and not any(w in clause for w in phone) \
        and any(w in clause for w in s.lexicon.words("remote_words") if w not in phone)


def _body_on_screen(s: _Sentence, clause_span: tuple[int, int], parties: Sequence[Mention]) -> bool:
    """A talk by video with an intergovernmental organisation as a body ("习近平与欧盟领导人进行视频
    会晤", "中欧领导人举行视频峰会", "与东盟外长举行的视频会议") is that organisation's summit or
    ministerial held on screen, as it is face to face: the guideline's call is between two leaders,
    and here no one official speaks for the organisation. One does when a person acting for it is
    named (博雷利与王毅举行视频会议) or its name opens the title of a single office (联合国秘书长);
    a phone call (电话, 通话: no video word) is a call whoever is on the line."""
    if not _on_screen(s, clause_span):
        return False
    for m in parties:
        if m.type != "Organization" or s.org_country.get(m.entity_id) \
                or any(p.type == "Person" and p.acts_for == m.entity_id for p in parties):
            continue
        bracket = _PARENTHETICAL.match(s.text, m.end)
        after = bracket.end() if bracket else m.end
        after += s.text.startswith("的", after)
        if s.text.startswith(s.lexicon.words("collective_offices") + s.lexicon.words("pair_joiners"), after):
            return True
    return False


def _members_meet(parties: Sequence[Mention], outside: frozenset[Mention], org_country: dict[str, str | None]) -> bool:
    """A meeting no one but an intergovernmental organisation's officials hold ("七国集团外长本星期在
    伦敦会晤"): its members meet one another, the organisation's gathering (the venue's state, which
    the meeting rules add as a side when only one is named, is where, not who)."""
    own = _sides_of([m for m in parties if m not in outside and m.type != "Place"], org_country)
    return len(own) == 1 and next(iter(own)).startswith("org:")


def _remote(s: _Sentence, trig: Trigger, clause_span: tuple[int, int]) -> bool:
    """Whether the trigger's clause says the event was held at a distance (视频, 电话, virtual);
    in English, by a remote word that is not another call's own (english_remote)."""
    words = s.lexicon.words("remote_words")
    if s.english:
        return english_remote(s.text, trig, s.triggers, words)
    return any(w in s.text[clause_span[0]:clause_span[1]] for w in words)


def _meets_the_members(s: _Sentence, trig: Trigger, parties: Sequence[Mention]) -> bool:
    """A meeting with an organisation's members' officials together ("与七国集团的外交部长们见面",
    "与东盟各国外长会晤") is that organisation's gathering, not a meeting with one of them."""
    return any(m.type == "Organization" and not s.org_country.get(m.entity_id) and m.end < trig.begin
               and s.text.startswith("的", m.end) and not _CLAUSE_BREAK.search(s.text, m.end, trig.begin)
               and _any_of(s.lexicon.words("collective_markers")).search(s.text, m.end, trig.begin)
               for m in parties)


def _persons(s: _Sentence, trig: Trigger, parties: Sequence[Mention], event_type: str,
             sides: set[str]) -> frozenset[str]:
    """The people taking part: not those marking a time or a government, and for a visit only the
    travellers (named before the trigger, or the one it describes: 访美的蔡英文)."""
    described = _described_traveller(parties, s.text, trig, s.lexicon.visit_destinations, _relative_trip(s, trig)) \
        if event_type == "VISIT" else None
    if described is not None:
        return frozenset({described.entity_id} if described.type == "Person" else ())
    people = [m for m in parties if m.type == "Person" and not _names_time_or_government(s.lexicon, s.text, m)
              and not _dates_anothers_event(s, trig, m) and not _named_in_period_phrase(s, trig, m)]
    if event_type != "VISIT":
        return frozenset(m.entity_id for m in people)
    before = _after_stance(s, trig, [m for m in people if m.begin < trig.begin and _travels(m, sides, s.org_country)])
    if not before and s.english:  # "During his visit to Seoul, Lloyd Austin met…": the main clause's subject
        before = [m for m in people if m in s.subject and m.begin > trig.end and _english_subject_acts(s, trig.begin)]
    if not before:  # "访华期间，拉夫罗夫与王毅举行会谈"
        before = [m for m in [_setting_traveller(s, trig)] if m is not None]
    return frozenset(m.entity_id for m in before)


def _dates_anothers_event(s: _Sentence, trig: Trigger, person: Mention) -> bool:
    """A person's time in office that dates an event others hold ("拜登上任以来中美高级官员首次会谈":
    Biden is not at the talks): the office words after the name, and a state or person other than
    the person named between them and the event word. With none, the event is the person's own
    ("拜登上任以来首位会晤的外国领导人"); an organisation there names the event ("拜登上任以来首次
    「四方安全对话」领袖峰会")."""
    if person.end >= trig.begin or not s.text.startswith(s.lexicon.words("office_time_words"), person.end):
        return False
    return any(person.end < m.begin and m.end <= trig.begin and m.type in ("Country", "Person")
               and m.entity_id != person.entity_id for m in s.facts.mentions)


def _after_stance(s: _Sentence, trig: Trigger, before: list[Mention]) -> list[Mention]:
    """The people named before a trip word, less those named before the last word of speech or of
    invitation of its clause when someone is named after it (they tell of the trip or invite to
    it: "王毅称蓬佩奥将访华", "习近平邀请拜登访华"), and less
    those of the travellers' own side named before the last stance word of its clause when a
    traveller stands after it: they take a stance on
    the trip of the one after it ("维斯特奇尔对前任议长柯佳洛没能访台表示遗憾": Kubera's trip,
    Vystrčil regrets it). A host welcoming the guest's trip stays ("习近平对金正恩访华表示欢迎")."""
    c0 = s.bounds(s.text, trig.begin)[0]
    spoke = _last_word_end(s.text, s.lexicon.words("speech") + s.lexicon.words("invitation_words"), c0, trig.begin)
    if spoke >= 0 and any(m.begin >= spoke for m in before):
        before = [m for m in before if m.begin >= spoke]  # "蓬佩奥宣布克拉夫特将访台": the speaker stays home
    at = _last_word_end(s.text, s.lexicon.words("stance_markers"), c0, trig.begin)
    after = [m for m in before if m.begin >= at]
    if at < 0 or not after:
        return before
    travellers = _sides_of(after, s.org_country)
    return [m for m in before if m.begin >= at or not _sides_of([m], s.org_country) & travellers]


def _last_word_end(text: str, words: Sequence[str], begin: int, end: int) -> int:
    """Where the last of ``words`` found in text[begin:end] ends (-1: none of them)."""
    return max((text.rfind(w, begin, end) + len(w) for w in words if text.rfind(w, begin, end) >= 0), default=-1)


def _travels(person: Mention, sides: set[str], org_country: dict[str, str | None]) -> bool:
    """A person named before a trip word travels on it when they act for a side of the trip (or
    for none known): "邀俄外长访华　布林肯将访欧" sends Blinken to the EU, not Lavrov."""
    own = _sides_of([person], org_country)
    return not own or bool(own & sides)


def _days_of(dm: DateMention | None) -> tuple[date | None, date | None, tuple[date, date] | None]:
    """First day, last day and, for a date coarser than a day, the period it names."""
    day = dm is not None and dm.precision == "day"
    start = dm.start if day and dm else None
    end_day = (dm.end or dm.start) if day and dm else None
    window = (dm.period_start, dm.period_end) if dm and not day and dm.period_start and dm.period_end else None
    return start, end_day, window


def _confidence(weights: Confidence, start: date | None, persons: frozenset[str], sides: set[str]) -> float:
    return weights.base + weights.dated * bool(start) + weights.with_persons * bool(persons) \
        + weights.two_sides * (len(sides) >= 2)


def _before_another_act(s: _Sentence, trig: Trigger) -> bool:
    """Does the sentence set its event before another act, in a time clause ending before the
    event word ("在出访中东前，王毅与拉夫罗夫也进行了会晤")? Then the event lies before that act, and a
    follow-up word (也) does not put it on the day of the event just reported (the act's own day)."""
    head = s.text[:trig.begin]
    return any(word + comma in head for word in s.lexicon.words("time_before_event") for comma in "，,")


def _mention(s: _Sentence, trig: Trigger, event_type: str, sides: set[str], persons: frozenset[str],
             place: str | None, partial: bool, clause_span: tuple[int, int]) -> EventMention:
    """The event mention of a typed trigger: its date (the nearest of its clause or a lead-in),
    modality, status and confidence."""
    c0, c1 = clause_span
    clause, at, end = s.text[c0:c1], trig.begin - c0, trig.end - c0
    dm = _date_for(s.facts, trig, s.lexicon, s.trigger_clauses, s.bounds, s.english,
                   event_type in _OCCASION_TYPES, s.triggers)
    start, end_day, window = _days_of(dm)
    if dm is None and s.previous_day and s.lexicon.modified("follow_up", clause, at, end) \
            and _follows_on(event_type, s.previous_type) and not _before_another_act(s, trig):
        start = end_day = s.previous_day  # "拉夫罗夫亦与蓬佩奥会谈": the same occasion as the event just reported
    past = s.english and english_past(s.lexicon.english.tense, s.text, trig.begin, trig.end)
    modality = _modality(s.lexicon, clause, at, end, start, window, s.published, past)
    status = "cancelled" if _refused(s, trig, c0, c1) else _status(s.lexicon, clause, at, end, start, window,
                                                                    s.published, past)
    scoring = s.lexicon.scoring
    confidence = _confidence(scoring.confidence, start, persons, sides)
    if modality == "speculative":  # "may meet", "设想": planned at best, and less sure
        status, confidence = ("planned" if status == "occurred" else status), confidence - scoring.speculative_penalty
    return EventMention(
        type=event_type, sides=frozenset(sides), persons=persons, start=start, end=end_day, place=place,
        status=status, evidence=s.facts.text.strip(),
        confidence=min(confidence, scoring.confidence.cap), trigger=_trigger_word(s, trig, event_type),
        sentence=s.facts.index,
        window=window, partial=partial, modality=modality,
        day_borrowed=dm is not None and _nearest_trigger(dm, s.triggers) != trig)


def _follows_on(event_type: str, previous_type: str | None) -> bool:
    """Can an undated follow-up ("亦", "也") take the day of the event reported before it? A meeting
    or a trip takes no criticism's day, and a trip only a trip's: the meeting just reported is one
    day of a trip that began before it, or of another trip ("图为拉夫罗夫17日在莫斯科与以色列外长
    会晤", then "也构成了拉夫罗夫访华的一大背景": his visit to China is not of the 17th)."""
    if event_type == "VISIT":
        return previous_type == "VISIT"
    return previous_type in _OCCASION_TYPES or event_type not in _OCCASION_TYPES


def _anchor_people(s: _Sentence, parties: Sequence[Mention], trig: Trigger, c0: int) -> list[Mention]:
    """The people on the one side of "A与B、C及D会谈": those named before the partner word, else
    all named before the trigger ("法国、荷兰和挪威的政府首脑同王毅会面": Wang Yi)."""
    before = [m for m in parties if m.begin < trig.begin and m.type == "Person"]
    joiner = _any_of(s.lexicon.words("partner_joiners")).search(s.text, c0, trig.begin)
    first_side = [m for m in before if joiner is not None and m.end <= joiner.start()]
    return first_side or before


def _split(s: _Sentence, trig: Trigger, event: EventMention, parties: Sequence[Mention],
           clause_span: tuple[int, int]) -> list[EventMention]:
    """One meeting or call per listed partner, one visit per listed host."""
    c0, c1 = clause_span
    penalty = s.lexicon.scoring.split_penalty
    if event.partial:
        return [event]
    pairs = _paired_compounds(s, trig, parties, c0) if event.type in _MEETING_TYPES else []
    if pairs and (len(pairs) >= 2 or event.sides != pairs[0]):  # 美日、美韩领袖峰会: one meeting per pair
        remote = any(w in s.text[c0:c1] for w in s.lexicon.words("remote_words"))
        side_of = {m.entity_id: _sides_of([m], s.org_country) for m in parties if m.type == "Person"}
        return [replace(event, type="CALL" if remote else "MEET", sides=pair, confidence=event.confidence - penalty,
                        persons=frozenset(p for p in event.persons if side_of.get(p, set()) & pair))
                for pair in pairs]
    if event.type in ("MEET", "CALL"):
        anchor = _sides_of(_anchor_people(s, parties, trig, c0), s.org_country)
        named = {m.entity_id for m in parties if m.type == "Country"}
        side_of = {m.entity_id: _sides_of([m], s.org_country) for m in parties if m.type == "Person"}
        return _split_bilateral(event, s.text[c0:c1], anchor, named, s.lexicon.words("list_joiners"), penalty,
                                side_of)
    if event.type == "VISIT" and not _relative_trip(s, trig):  # 在X访问的Y: one host, before the trip word
        return _split_trip(s, trig, event, clause_span)
    return [event]


def _split_trip(s: _Sentence, trig: Trigger, event: EventMention, clause_span: tuple[int, int]) -> list[EventMention]:
    """One visit per listed host (_split_visits) and, of each, one per traveller's state that made
    it on their own (_each_travellers_trip)."""
    own = s.lexicon.visit_destinations.get(trig.word)
    legs = _split_visits(event, s.facts, trig, _trip_end(s, trig, clause_span[1]), s.lexicon.scoring.split_penalty,
                         [w for w in s.lexicon.words("partner_joiners") if not w.isascii()], s.english,
                         None if own is None else own if ":" in own else f"country:{own}")
    return [trip for leg in legs for trip in _each_travellers_trip(s, trig, leg, clause_span[0])]


def _each_travellers_trip(s: _Sentence, trig: Trigger, visit: EventMention, c0: int) -> list[EventMention]:
    """Travellers of several states joined before a trip word with a word of succession between
    them and it ("蓬佩奥和王毅相继访韩", "…先后访问了首尔") made a trip each: one visit per
    traveller's state, with its own people (the visit as read names only the nearest traveller)."""
    word = _any_of(s.lexicon.words("successive_words")).search(s.text, c0, trig.begin)
    if word is None:
        return [visit]
    actors = [m for m in s.facts.mentions if c0 <= m.begin and m.end <= word.start() and m not in s.locations
              and m.type != "Place" and not _names_time_or_government(s.lexicon, s.text, m)]
    hosts = visit.sides - _sides_of([m for m in actors if m.entity_id in visit.persons], s.org_country)
    if len(hosts) != 1:
        return [visit]
    host = next(iter(hosts))
    sides = {m: _sides_of([m], s.org_country) - hosts for m in actors}
    travellers = sorted({x for found in sides.values() for x in found})
    if len(travellers) < 2:
        return [visit]
    penalty = s.lexicon.scoring.split_penalty
    return [replace(visit, sides=frozenset({side, host}), confidence=visit.confidence - penalty,
                    persons=frozenset(m.entity_id for m, found in sides.items() if m.type == "Person" and side in found))
            for side in travellers]


def _paired_compounds(s: _Sentence, trig: Trigger, parties: Sequence[Mention], c0: int) -> list[frozenset[str]]:
    """The pairs of states named as one word each (美日, 中俄) in a list before a meeting word
    ("美日、美韩领袖峰会"): each pair met on its own; or the one pair that modifies it."""
    spans: dict[tuple[int, int], set[str]] = {}
    for m in parties:
        if m.type == "Country" and c0 <= m.begin and m.end <= trig.begin:
            spans.setdefault((m.begin, m.end), set()).add(m.entity_id)
    pairs = [(span, ids) for span, ids in sorted(spans.items()) if len(ids) == 2]
    last = pairs[-1] if pairs else None
    if last and len(pairs) == 1 and _modifies(s, last[0][1], trig, parties):
        return [frozenset(last[1])]  # 美朝第二次峰会: the summit of the pair, whoever else the clause names
    if len(pairs) != len(spans) or any(s.text[a[0][1]:b[0][0]].strip() not in s.lexicon.words("list_joiners")
                                       for a, b in zip(pairs, pairs[1:])):
        return []
    return [frozenset(ids) for _, ids in pairs]


def _modifies(s: _Sentence, end: int, trig: Trigger, parties: Sequence[Mention]) -> bool:
    """The words from ``end`` to the trigger are a modifier of it (第二次, 高层, 首脑): short, no
    punctuation, no other party named."""
    between = s.text[end:trig.begin]
    return len(between) <= _MODIFIER_CHARS and not _CLAUSE_BREAK.search(between) and "、" not in between \
        and not any(end <= m.begin < trig.begin for m in parties)


_MODIFIER_CHARS = 6  # 第二次, 领导人, 外长级: what stands between a pair and its meeting word


def _back_reference(facts: SentenceFacts, lexicon: EventLexicon,
                    org_country: dict[str, str | None]) -> list[EventMention]:
    """A sentence that places people at a meeting already reported without naming it again
    ("布林肯和沙利文也离开了会议室", "会后，…"): its people join the latest meeting their side
    takes part in (a partial mention of any meeting type); not one who speaks for an office
    ("会后，国务院发言人普莱斯表示": a spokesperson tells of the meeting, from outside it), nor when
    an international organisation is named before the word as a setting (中, 上, 期间): the meeting
    is that organisation's (the Quad's summit, "拜登在…举行的四方安全对话中…，在会后评论中", not
    the talks reported last)."""
    words = lexicon.words("back_references")
    found = _any_of(words).search(facts.norm) if words else None
    if found is None or any(m.type == "Organization" and m.end <= found.start() and not m.country
                            and not org_country.get(m.entity_id)
                            and facts.norm.startswith((*lexicon.words("setting_words"), "中"), m.end)
                            for m in facts.mentions):
        return []  # "在与…举行的四方安全对话中…，在会后评论中": the meeting after which is the one named
    people = _people_present(facts, lexicon)
    if not people:
        return []
    return [_partial(facts, lexicon, "", frozenset(_sides_of(people, org_country)),
                     frozenset(m.entity_id for m in people))]


def _people_present(facts: SentenceFacts, lexicon: EventLexicon) -> list[Mention]:
    """The persons a sentence places at an event it refers back to: not one who speaks for an
    office (a spokesperson tells of the meeting from outside it), nor one naming a time or a
    government (拜登政府)."""
    reporters = {m.entity_id for m in facts.mentions if m.role in lexicon.words("reporting_roles")}
    return [m for m in facts.mentions if m.type == "Person" and m.entity_id not in reporters
            and not _names_time_or_government(lexicon, facts.norm, m)]


def _sentence_reference(facts: SentenceFacts, lexicon: EventLexicon,
                        org_country: dict[str, str | None]) -> list[EventMention]:
    """What a sentence reporting no event of its own tells of one the article reported."""
    return _back_reference(facts, lexicon, org_country) or _plain_reference(facts, lexicon, org_country) \
        or _pair_reference(facts, lexicon, org_country) or _collective_reference(facts, lexicon, org_country)


def _collective_reference(facts: SentenceFacts, lexicon: EventLexicon,
                          org_country: dict[str, str | None]) -> list[EventMention]:
    """An intergovernmental organisation's officials acting together with no event word ("七国集团的
    外长定在周一晚上的工作晚餐上讨论…", "欧盟领导人还就人权问题向习近平施压"): what they did at the
    organisation's gathering the article reported (its evidence; a gathering of the organisation).
    Its member states are no officials ("一些北约成员国担心…" is no part of a summit)."""
    markers = lexicon.words("collective_markers")
    offices = tuple(w for w in lexicon.words("collective_offices") if w not in markers)
    for m in facts.mentions:
        if m.type != "Organization" or org_country.get(m.entity_id):
            continue
        after = m.end + facts.norm.startswith("的", m.end)
        after += next((len(w) for w in markers if facts.norm.startswith(w, after)), 0)  # 欧盟各国领导人
        if offices and facts.norm.startswith(offices, after):
            return [_partial(facts, lexicon, "MULTILATERAL", frozenset({m.entity_id}), frozenset())]
    return []


def _pair_reference(facts: SentenceFacts, lexicon: EventLexicon,
                    org_country: dict[str, str | None]) -> list[EventMention]:
    """A sentence naming people of two sides together with no event word ("茂木與王毅都同意…",
    "王毅和茂木敏充就美中关系进行了讨论", "马克龙感谢习近平的口信，请王毅转达…") tells what they did
    at the meeting the article reported between them: its evidence, for a meeting holding all of
    them (_attach: a pair-named reference names its event's people)."""
    people = _people_present(facts, lexicon)
    sides = frozenset(_sides_of(people, org_country))
    if len(sides) < 2:
        return []
    return [replace(_partial(facts, lexicon, "", sides, frozenset(m.entity_id for m in people)), pair_named=True)]


def _plain_reference(facts: SentenceFacts, lexicon: EventLexicon,
                     org_country: dict[str, str | None]) -> list[EventMention]:
    """A sentence reporting no event that names one the article reported by a word standing for
    it ("此行旨在展现…", "默克尔在会上表达了…"): that event's evidence (the trip, or the meeting of
    any type, mentioned last: _attach). Who is named there may speak of the event from outside it
    ("台湾外长吴钊燮表示，此行凸显了…"), except the person right before a trip's word, whose trip it
    is ("王毅此行", "蓬佩奥此行将施压韩国": Pompeo's trip, not the visit to Korea the article told
    last); one at a meeting may be there for an organisation whose state is no party of it
    (默克尔在会上 at the China-EU summit)."""
    text = _any_of(lexicon.words("not_references")).sub(" ", facts.norm) if lexicon.words("not_references") \
        else facts.norm
    for kind, words in (("VISIT", "trip_references"), ("", "meeting_references")):
        found = _any_of(lexicon.words(words)).search(text) if lexicon.words(words) else None
        if found:
            owner = [m for m in facts.mentions if m.type == "Person" and m.end == found.start() and kind]
            return [_partial(facts, lexicon, kind, frozenset(_sides_of(owner, org_country)),
                             frozenset(m.entity_id for m in owner))]
    return []


def _partial(facts: SentenceFacts, lexicon: EventLexicon, event_type: str, sides: frozenset[str],
             persons: frozenset[str]) -> EventMention:
    """A mention of a sentence that refers back to an event: what it adds to it (see _attach)."""
    return EventMention(type=event_type, sides=sides, persons=persons, start=None, end=None, place=None,
                        status="occurred", evidence=facts.text.strip(), confidence=lexicon.scoring.confidence.base,
                        trigger="", sentence=facts.index, partial=True)


_PARENTHETICAL = re.compile(r"\s*[（(][^）)]{0,60}[）)]")


def _names_time_or_government(lexicon: EventLexicon, text: str, person: Mention) -> bool:
    """"拜登（Joe Biden）上台后", "拜登政府": the person marks a time or a government."""
    after = person.end
    bracket = _PARENTHETICAL.match(text, after)
    if bracket:
        after = bracket.end()
    while after < len(text) and text[after] in " ）)":  # the end of a bracketed Latin name
        after += 1
    return text.startswith(lexicon.words("person_not_party_after"), after) \
        or names_a_boss(lexicon.english, text, person.end)


def with_event_days(dates: Sequence[DateMention], lexicon: EventLexicon, last_day: date | None) -> tuple[DateMention, ...]:
    """Days that count from the event just mentioned (当天, 同日, 次日), resolved against the day of
    the article's last dated event mention; left unresolved when there is none."""
    if last_day is None:
        return tuple(dates)
    out = []
    for d in dates:
        shift = lexicon.relative_days.get(d.text)
        if d.start is None and shift is not None:
            day = last_day + timedelta(days=shift)
            d = replace(d, start=day, end=day, precision="day")
        out.append(d)
    return tuple(out)


def with_venues(mentions: list[EventMention], facts: Sequence[SentenceFacts], lexicon: EventLexicon) -> list[EventMention]:
    """Give events without a place the place a following venue sentence names
    ("…在库克船长酒店举行会晤。这家酒店位于阿拉斯加安克雷奇。")."""
    venue_of: dict[int, str] = {}
    for f in facts:
        if f.norm.lstrip().startswith(lexicon.words("venue_sentence_starts")):
            places = [m for m in f.mentions if m.type == "Place"]
            if places:
                venue_of[f.index - 1] = places[-1].entity_id  # the most specific place comes last
    return [replace(m, place=venue_of[m.sentence]) if m.place is None and m.sentence in venue_of else m
            for m in mentions]


def _visit_host(trig: Trigger, facts: SentenceFacts, lexicon: EventLexicon, clause_end: int,
                clause_start: int | None = None) -> str | None:
    """Where a visit goes: named in the trigger (访华), right before a trip noun (日本之行) or the
    first state/place after it in the clause; for a trip word describing its traveller (在台湾访问的X, 会见到访的X: give its clause's start)
    what the clause names before it."""
    named = lexicon.visit_destinations.get(trig.word)
    if named:
        return named if ":" in named else f"country:{named}"
    if clause_start is not None:
        return _host_before(trig, facts, clause_start)
    named_before = _trip_noun_destination(trig, facts, lexicon)
    for m in ([named_before] if named_before else []) + [m for m in facts.mentions if trig.begin <= m.begin < clause_end]:
        if m.type == "Country":
            return m.entity_id
        if m.type in ("Place", "Organization") and m.country:
            return f"country:{m.country}"
        if m.type == "Organization":
            return m.entity_id
    return None


def _trip_noun_destination(trig: Trigger, facts: SentenceFacts, lexicon: EventLexicon) -> Mention | None:
    """The destination a trip noun names right before it ("结束日本之行": Japan), not the first
    state of the sentence ("不去南韩，只去日本，周二结束日本之行": not Korea)."""
    if trig.word not in lexicon.words("trip_nouns"):
        return None
    return next((m for m in facts.mentions if m.end == trig.begin and m.type in ("Country", "Place", "Organization")), None)


def _host_before(trig: Trigger, facts: SentenceFacts, clause_start: int) -> str | None:
    """The host of a trip described through 的: the nearest state or place named before the trip word
    in its clause (正在台湾访问的, 在桂林会见到访的), else the state of the nearest person (王毅会见到访的)."""
    before = sorted((m for m in facts.mentions if clause_start <= m.begin and m.end <= trig.begin),
                    key=lambda m: m.end, reverse=True)
    for m in before:
        if m.type == "Country":
            return m.entity_id
        if m.type == "Place" and m.country:
            return f"country:{m.country}"
    return next((f"country:{m.country}" for m in before if m.type == "Person" and m.country), None)


_EN_LIST = re.compile(r"(?:,\s*|\s+)(?:and\s+|or\s+)?(?:the\s+)?|")  # "Latvia and Lithuania", "Japan, South Korea"


_ZH_LIST = re.compile(r"[、，,]?(?:和|及|与|以及)?")  # between two states of one list: 日韩, 日、韩, 日和韩


def _listed_hosts(facts: SentenceFacts, trig: Trigger, clause_end: int, english: bool, named_host: bool) -> list[Mention]:
    """The states a trip word's clause may list as its hosts, in order: after a trip word naming
    its host only those listed right after it (访日韩; 访台背后的美中台 lists none), in English those
    listed together."""
    named = sorted((m for m in facts.mentions if m.type == "Country" and trig.end <= m.begin < clause_end),
                   key=lambda m: m.begin)
    if named_host:
        ends = [trig.end] + [m.end for m in named]
        return named[:next((i for i, m in enumerate(named) if not _ZH_LIST.fullmatch(facts.norm, ends[i], m.begin)),
                           len(named))]
    if english:
        return [m for i, m in enumerate(named)
                if i == 0 or all(_EN_LIST.fullmatch(facts.norm[a.end:b.begin]) for a, b in zip(named[:i], named[1:i + 1]))]
    return named


def _split_visits(event: EventMention, facts: SentenceFacts, trig: Trigger, clause_end: int,
                  penalty: float, partners: Sequence[str], english: bool = False,
                  own_host: str | None = None) -> list[EventMention]:
    """"访问意大利、荷兰和法国" is one visit per listed host state; a state after a partner word
    ("前往越南与北韩领袖金正恩举行峰会") is whom the traveller meets there, not another host. In English
    only the states listed together ("to Latvia and Lithuania") are hosts, not one the clause names
    further on ("Lavrov's visit to China follows the Alaska talks")."""
    named = _listed_hosts(facts, trig, clause_end, english, own_host is not None)
    hosts: list[str] = [own_host] if own_host else []
    last = trig.end
    for m in named:
        if any(w in facts.norm[last:m.begin] for w in partners):
            break
        hosts += [m.entity_id] if m.entity_id not in hosts else []
        last = m.end
    visitors = event.sides - set(hosts)
    if len(hosts) < 2 or not visitors:  # "访问中国的北韩领袖": the state after 的 travels
        return [event]
    legs = [replace(event, sides=frozenset(visitors | {h}), place=h, confidence=event.confidence - penalty)
            for h in hosts if h not in visitors]
    if event.start is None or event.start != event.end:
        return legs
    # one day for a list of stops is the tour's first (3月15日…首次外访，选择日本为第一站，紧接着是韩国):
    # the later legs lie after it, their own days untold
    return legs[:1] + [replace(leg, start=None, end=None, window=None) for leg in legs[1:]]


def _span(e: EventMention) -> tuple[date, date] | None:
    if e.start:
        return (e.start, e.end or e.start)
    return e.window


def _compatible_dates(a: EventMention, b: EventMention) -> bool:
    """Days or named periods overlap (with a day's slack); an event with neither fits any date."""
    sa, sb = _span(a), _span(b)
    if sa is None or sb is None:
        return True
    return sa[0] <= sb[1] and sb[0] <= sa[1] or abs((sa[0] - sb[0]).days) <= 1


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _same_event(x: EventMention, m: EventMention, published: date | None, weights: MergeWeights) -> float:
    """How well two mentions fit as one event (0 = not the same): their parties' overlap, plus
    bonuses for the same first day, a shared person and the same status."""
    if not _may_be_one(x, m, published, weights):
        return 0.0
    score = _party_fit(x, m, weights)
    if score < weights.min_overlap:
        return 0.0
    return (score + weights.same_day * (x.start is not None and x.start == m.start)
            + weights.shared_person * bool(x.persons & m.persons) + weights.same_status * (x.status == m.status))


def _may_be_one(x: EventMention, m: EventMention, published: date | None, weights: MergeWeights) -> bool:
    """Same type, compatible dates, both background or both news (``_apart_in_time``), not two
    different pairs of people (each mention naming people of two sides, none shared)."""
    if x.type != m.type or not _compatible_dates(x, m) or _apart_in_time(x, m, published, weights):
        return False
    if x.pair_named and m.pair_named and not x.persons & m.persons:
        return False  # 特朗普与普京举行峰会 … 拉夫罗夫亦与蓬佩奥会谈: two meetings of the same states
    if x.pair_named and m.pair_named and _other_counterparts(x, m):
        return False
    if x.type == "MULTILATERAL" and _other_levels(x, m, weights):
        return False  # G7峰会 and 5月的G7外长会议: the leaders' summit and the ministers' meeting
    if _two_visits(x, m):
        return False
    return not (x.start is None and m.start is None and x.status != m.status and not _same_parties(x, m))


def _apart_in_time(x: EventMention, m: EventMention, published: date | None, weights: MergeWeights) -> bool:
    """Is one mention background and the other news, or one undated and the other dated but no
    current news (more than ``current_news_days`` from publication)? Background events ("去年9月11日
    …会谈") are named with their dates when they are meant. Not when the sentence that dates the
    event names it again ("四国外长10月6日在东京举行会谈，…四国外长会谈就是要…": one sentence tells of
    one occasion of a type, whenever it was)."""
    if x.sentence == m.sentence and (x.start is None) != (m.start is None):
        return False
    if (x.modality == "background") != (m.modality == "background"):
        return True
    dated = x.start or m.start
    return dated is not None and (x.start is None or m.start is None) and published is not None \
        and abs((dated - published).days) > weights.current_news_days


def _other_counterparts(x: EventMention, m: EventMention) -> bool:
    """Two meetings each naming who met whom, on two days, each with someone the other lacks: two
    meetings of one trip ("王毅和茂木敏充24日会谈", "周三，王毅将礼节性拜访日本首相菅义伟"), not one
    meeting of three (the day's slack of ``_compatible_dates`` is for one meeting dated twice)."""
    return x.start is not None and m.start is not None and x.start != m.start \
        and bool(x.persons - m.persons) and bool(m.persons - x.persons)


def _other_hosts(x: EventMention, m: EventMention) -> bool:
    """Two visits hosted by different states are two legs of a tour ("王毅到访德国" and "连访意大利、
    荷兰…德国" in one article: the Germany leg and four others), whatever the trip they belong to
    (``_one_trip`` joins a trip to an organisation to one state, not to several). A host state is
    the visit's place; one that is among the other visit's states may be a misread place of the same
    trip ("克里对中国的访问", placed in the United States)."""
    if x.place is None or m.place is None or not (x.place.startswith("country:") and m.place.startswith("country:")):
        return False
    return x.place != m.place and (x.place not in m.sides or m.place not in x.sides)


def _two_visits(x: EventMention, m: EventMention) -> bool:
    """Two visits that cannot be one: other hosts, or another traveller's trip that fell through."""
    return x.type == "VISIT" and (_other_hosts(x, m) or _fell_through_for_others(x, m))


def _fell_through_for_others(x: EventMention, m: EventMention) -> bool:
    """Two visits to one host by different people that did not end alike are two trips: the one
    made and an earlier one that fell through ("维斯特奇尔率团抵达台湾" and "前任议长柯佳洛没能访台").
    One trip told at two stages keeps its traveller; one traveller's companions share its status."""
    return bool(x.persons) and bool(m.persons) and not x.persons & m.persons and x.status != m.status


def _same_parties(x: EventMention, m: EventMention) -> bool:
    """The same states and the same people: two undated reports of one event at different stages
    ("习近平的访日行程预计将于…", "习近平的访日计划再添变数", "取消邀请习近平访日")."""
    return x.sides == m.sides and bool(x.persons) and (x.persons <= m.persons or m.persons <= x.persons)


def _other_levels(x: EventMention, m: EventMention, weights: MergeWeights) -> bool:
    """The two mentions' words name different gathering levels (``MergeWeights.levels``: leaders',
    ministers'); a word of no level (会议) fits any."""
    return other_levels(x.trigger, m.trigger, weights.levels)


def _trigger_word(s: _Sentence, trig: Trigger, event_type: str) -> str:
    """The word a mention is told by: a gathering's with the level word written right before it
    ("G7外长峰会": 外长峰会, the ministers' meeting, not a summit; "foreign ministers' meeting")."""
    if event_type != "MULTILATERAL":
        return trig.word
    before = s.text[max(0, trig.begin - 12):trig.begin].lower().rstrip(" '’s")
    level = next((w for words in s.lexicon.scoring.merge.levels for w in words if w.strip() and before.endswith(w.strip())), None)
    return f"{level}{' ' if s.english else ''}{trig.word}" if level else trig.word


def _party_fit(x: EventMention, m: EventMention, weights: MergeWeights) -> float:
    """The overlap of two mentions' parties; a summit is known by its convening organisation, and
    "the summit" after "the NATO summit" is the same one, unnamed."""
    score = _overlap(x.sides, m.sides)
    if x.type == "VISIT" and _one_trip(x, m):
        return max(score, weights.min_overlap)
    if x.type != "MULTILATERAL":
        return score
    if _organisations(x) & _organisations(m):
        return max(score, weights.min_overlap)
    if bool(_organisations(x)) != bool(_organisations(m)) and (x.sides & m.sides or x.persons & m.persons):
        return max(score, weights.min_overlap)
    return score


def merge_mentions(mentions: Sequence[EventMention], weights: MergeWeights,
                   published: date | None = None) -> list[EventMention]:
    """One event per real-world event in the article: same type, shared parties, compatible dates."""
    merged: list[EventMention] = []
    last_said: list[int] = []  # the sentence each event was last mentioned in
    for m in mentions:
        if m.partial:
            _attach(merged, last_said, m)
            continue
        scores = [(_same_event(x, m, published, weights), -i) for i, x in enumerate(merged)]  # ties: the earliest
        best_score, best = max(scores, default=(0.0, 1))
        best = -best
        if best_score <= 0:
            merged.append(m)
            last_said.append(m.sentence)
            continue
        last_said[best] = max(last_said[best], m.sentence)
        merged[best] = _pooled(merged[best], m, weights)
    return _occasions_told_by_meetings(_date_meetings_by_visits(merged), weights.trip_words)


def _pooled(x: EventMention, m: EventMention, weights: MergeWeights) -> EventMention:
    """Two mentions of one event as one: the dated one's facts, both sides' parties and people."""
    dated, other = (x, m) if (x.start is not None or m.start is None) else (m, x)
    start, end = _pooled_days(x, m) if x.start and m.start else (dated.start, dated.end)
    return replace(
        dated, start=start, end=end, sides=(x.sides | m.sides) - _tour_region(x, m), persons=x.persons | m.persons,
        day_borrowed=dated.day_borrowed and (other.day_borrowed or other.start is None),
        place=dated.place or other.place,
        window=dated.window or other.window,
        confidence=min(weights.cap, max(x.confidence, m.confidence) + weights.boost),
        sentence=min(x.sentence, m.sentence), modality=_pooled_modality(x.modality, m.modality),
        status=_headline_status(x, m) if x.start is None and m.start is None else dated.status,
        pair_named=x.pair_named or m.pair_named, more_evidence=_more_evidence(dated.evidence, x, m))


def _tour_region(x: EventMention, m: EventMention) -> set[str]:
    """The organisation a trip word names as its destination without a place ("王毅访欧", a tour
    of Europe the entity layer reads as the EU) when the other mention of the trip has a state
    host: that leg's trip goes to the state, the organisation only named the region of the tour."""
    if x.type != "VISIT":
        return set()
    region, leg = (x, m) if x.place is None else (m, x)
    if region.place is not None or leg.place is None or not leg.place.startswith("country:"):
        return set()
    return _organisations(region) - _organisations(leg)


def _headline_status(x: EventMention, m: EventMention) -> str:
    """The status of two undated mentions of one event, one of them the headline's: a headline
    has no tense ("捷克参议院议长访台背后的…" before the trip), its occurred is only for want of a
    tense word, so the body's planned, which a word of its clause said, wins ("…将在8月底访问台湾
    一周"). Cancelled is left to the dated or the headline's own clause: a plan called off is
    often told of another trip of the article."""
    headline, body = (x, m) if x.sentence <= m.sentence else (m, x)
    if headline.sentence == 0 and headline.status == "occurred" and body.status == "planned":
        return "planned"
    return x.status


def _more_evidence(kept: str, *mentions: EventMention) -> tuple[str, ...]:
    """The sentences of ``mentions`` besides ``kept``, once each, in the order given: an event told
    in several sentences of an article has each of them as its provenance, not only the one whose
    facts it keeps (the analyst reading an Event's sources, and fusion's scorer, look for them)."""
    return _besides(kept, (t for m in mentions for t in (m.evidence, *m.more_evidence)))


def _besides(kept: str, texts: Iterable[str]) -> tuple[str, ...]:
    """``texts`` but ``kept``, once each, in the order given."""
    return tuple(t for t in dict.fromkeys(texts) if t != kept)


def _pooled_modality(a: str, b: str) -> str:
    """One report asserting an event outweighs another speculating about it."""
    return "asserted" if "asserted" in (a, b) else a


def _one_trip(x: EventMention, m: EventMention) -> bool:
    """The same travellers going to an organisation and to a state ("布林肯将访欧", "布林肯将前往
    比利时布鲁塞尔"): one trip, to the organisation's seat."""
    return bool(x.persons & m.persons) and bool(_organisations(x)) != bool(_organisations(m)) \
        and bool(x.sides & m.sides)


def _organisations(e: EventMention) -> set[str]:
    return {s for s in e.sides if s.startswith("org:")}


def _pooled_days(x: EventMention, m: EventMention) -> tuple[date | None, date | None]:
    """The days of one event reported twice: all the days both name, except that a date borrowed
    from another event word of its sentence yields to the event's own (a trip of 22-25 March
    with the ministerial of 23-24 inside it: the sentence's date was the trip's)."""
    (xs, xe), (ms, me) = (x.start, x.end or x.start), (m.start, m.end or m.start)
    assert xs is not None and ms is not None
    if x.day_borrowed != m.day_borrowed:
        return (ms, me) if x.day_borrowed else (xs, xe)
    return min(xs, ms), max(xe, me)


def _attach(merged: list[EventMention], last_said: list[int], ref: EventMention) -> None:
    """Add the people of a back-reference to the event of its type (any meeting type for a
    reference that names none) that fits them and was mentioned last before it; one naming people
    of two sides refers to an event that holds them all, one going along (随团) a trip that names
    whom they go with."""
    for i in sorted(range(len(merged)), key=lambda i: last_said[i], reverse=True):
        x = merged[i]
        if (x.type == ref.type or (not ref.type and x.type in _MEETING_TYPES)) and ref.sides <= x.sides \
                and _compatible_dates(x, ref) and x.modality == ref.modality \
                and (ref.persons <= x.persons or not ref.pair_named) and (x.persons or not ref.along):
            dated = x.start is None and ref.start is not None
            merged[i] = replace(x, persons=x.persons | ref.persons, start=ref.start if dated else x.start,
                                end=ref.end if dated else x.end, more_evidence=_more_evidence(x.evidence, x, ref))
            return


def _date_meetings_by_visits(events: list[EventMention]) -> list[EventMention]:
    """A meeting the text does not date, between the same states as a dated visit in the same
    period and told alike (both current or both background), happens during that visit ("中俄外长
    下周会晤" during Lavrov's 22–23 March visit)."""
    visits = [e for e in events if e.type == "VISIT" and e.start]
    out = []
    for e in events:
        if e.type == "MEET" and e.start is None:
            match = [v for v in visits if v.sides == e.sides and _compatible_dates(v, e) and v.status == e.status
                     and v.modality == e.modality]  # a visit of 1988 told as background dates no talks of today
            if len(match) == 1:
                e = replace(e, start=match[0].start, end=match[0].end)
        out.append(e)
    return out


def _occasions_told_by_meetings(events: list[EventMention], trip_words: tuple[str, ...] = ()) -> list[EventMention]:
    """A meeting that is part of an occasion the article reports is a sentence of that occasion too,
    its sentences added to the occasion's (``more_evidence``), the meeting staying an event of its
    own: a meeting of a visit's traveller with its host's side on the visit's days ("马克龙在爱丽舍宫
    会见王毅" during Wang Yi's visit to France), a meeting or call naming every party of an
    organisation's gathering ("默克尔与另两位欧盟领导人在会晤期间向习近平施压" of the China-EU summit).
    Of a meeting the article tells more fully than the visit (``_told_fuller``), only the sentences
    naming a trip by one of its ``trip_words`` ("他会见了马克龙…，王毅在法国的访问是成功的")."""
    out = []
    for e in events:
        told = [m for m in events if m.type in _TALKS and _part_of(m, e) and _compatible_dates(e, m)
                and (m.modality == "background") == (e.modality == "background")]
        lines = [t for m in told for t in (m.evidence, *m.more_evidence)
                 if _told_fuller(e, m) or _names_a_trip(t, trip_words)]
        out.append(replace(e, more_evidence=_besides(e.evidence, (*e.more_evidence, *lines))) if lines else e)
    return out


def _names_a_trip(sentence: str, trip_words: tuple[str, ...]) -> bool:
    """Does a sentence name a trip by a trip word (simplified, any case)?"""
    text = to_simplified(sentence).lower()
    return any(w in text for w in trip_words)


def _told_fuller(occasion: EventMention, meeting: EventMention) -> bool:
    """Does the article tell a visit at least as fully (in as many sentences) as a meeting held on
    it? An article that tells the meeting more fully reports the meeting, the trip only its frame
    ("郑义溶4月3日在厦门同王毅举行会谈" in three sentences, "这是他首次访华" in one): the meeting's
    sentences are then the meeting's, but for those naming the trip by a trip word. Told to the trip
    as well, a trip made for one meeting would hold every sentence of it, and which of two equal
    events is the meeting would be a toss. The visit keeps its own sentences, and the meetings of a
    trip the article tells at length (the legs of a tour, each with its talks) stay sentences of
    the trip."""
    sentences = len({occasion.evidence, *occasion.more_evidence})
    return occasion.type != "VISIT" or sentences >= len({meeting.evidence, *meeting.more_evidence})


def _part_of(meeting: EventMention, occasion: EventMention) -> bool:
    """Is a meeting held at an occasion (a visit, a gathering), by their parties and place?"""
    if occasion.type == "MULTILATERAL":  # naming all who the gathering names, its organisation among them
        return bool(_organisations(occasion)) and occasion.sides <= meeting.sides
    if occasion.type != "VISIT" or not occasion.persons or not (occasion.place or "").startswith("country:"):
        return False
    return meeting.type == "MEET" and meeting.sides == occasion.sides and bool(meeting.persons & occasion.persons) \
        and (meeting.place is None or not meeting.place.startswith("country:") or meeting.place == occasion.place)


def event_id(article_id: str, event: EventMention, with_people: bool = False) -> str:
    """Stable id of an event within an article (type, parties, first day; and its people, to tell
    apart two events that share the rest)."""
    key = "|".join([article_id, event.type, *sorted(event.sides), str(event.start),
                    *(sorted(event.persons) if with_people else ())])
    return event_id_for(key)


def event_ids(article_id: str, events: Sequence[EventMention]) -> list[str]:
    """The ids of an article's events (event_id), the people counted only where two events share
    type, parties and first day (特朗普与普京的峰会 and 拉夫罗夫与蓬佩奥的会谈 on the same day)."""
    plain = [event_id(article_id, e) for e in events]
    return [event_id(article_id, e, with_people=True) if plain.count(i) > 1 else i for i, e in zip(plain, events)]
