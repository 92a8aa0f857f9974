"""Event resolution across articles: which event mentions are one real-world event (pure).

Five outlets report the same meeting; each extraction carries its own per-article mention. This
module assigns every mention the id of the canonical event it belongs to, before loading.

Why it is order-independent: the result is a function of the *set* of mentions only.

1. Dated mentions of one type are linked when their parties overlap and their days are at most
   ``max_gap_days`` apart; events are the connected components of these links (components do not
   depend on the order edges are found in).
2. An undated mention joins the dated event nearest its publication day among those it is
   compatible with (ties: smallest event key); the dated events do not depend on it.
3. Undated mentions that joined nothing form components among themselves.

An event's id is a hash of the smallest canonical key of its members (type, sorted parties, first
day; dated members first), so it does not depend on which article came first, and it stays the
same when later reports of the same day arrive. When a new report bridges two existing events,
the union keeps the smaller key's id and the other event's reports move to it (``kg.graph.load``).
The loader re-resolves all stored reports with each batch, so incremental loads give the graph a
batch load would. Equal keys are always compatible, so two events never get the same id.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from kg.errors import SchemaError
from kg.graph.rows import label_of
from kg.records import ArticleExtraction
from kg.schema import load_yaml

if TYPE_CHECKING:
    from kg.extract.gazetteer import GazetteerEntry

MentionRef = tuple[str, str]  # (article id, mention id): one event as one article reports it


@dataclass(frozen=True, slots=True)
class ResolutionRules:
    """The thresholds of ``schema/resolution.yaml`` (documented there)."""

    types: frozenset[str]
    multilateral_types: frozenset[str]
    min_jaccard: float
    max_gap_days: int
    attach_window_days: int
    undated_window_days: int
    max_event_days: int
    contact_types: frozenset[str]


@cache
def resolution_rules() -> ResolutionRules:
    """The rules of ``schema/resolution.yaml`` (read once per process)."""
    raw = load_yaml("resolution.yaml")
    try:
        return ResolutionRules(
            types=frozenset(raw["types"]), multilateral_types=frozenset(raw["multilateral_types"]),
            min_jaccard=float(raw["min_jaccard"]), max_gap_days=int(raw["max_gap_days"]),
            attach_window_days=int(raw["attach_window_days"]),
            undated_window_days=int(raw["undated_window_days"]), max_event_days=int(raw["max_event_days"]),
            contact_types=frozenset(raw["contact_types"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemaError(f"schema/resolution.yaml: malformed ({exc!r} missing or wrong)") from exc


@dataclass(frozen=True, slots=True)
class Mention:
    """What resolution needs of one report: its type, parties and days."""

    article: str
    mention_id: str
    type: str
    parties: frozenset[str]  # states and organisations
    persons: frozenset[str]
    start: date | None
    end: date | None
    published: date | None
    orgs: frozenset[str]  # the organisations among the parties (compared for every pair of multilateral ones)

    @property
    def ref(self) -> MentionRef:
        return (self.article, self.mention_id)

    @property
    def last(self) -> date | None:
        return self.end or self.start

    @property
    def key(self) -> str:
        """Canonical key: type, parties (persons when no state or organisation) and first day
        (``~`` + publication day when undated)."""
        who = ",".join(sorted(self.parties or self.persons))
        when = self.start.isoformat() if self.start else "~" + (self.published.isoformat() if self.published else "")
        return f"{self.type}|{who}|{when}"


def make_mention(article: str, mention_id: str, type_: str, participants: Iterable[str],
                 start: str | date | None, end: str | date | None, published: str | date | None) -> Mention:
    """A Mention from loader or graph values (ISO strings or dates; a datetime keeps its day)."""
    labels = {p: label_of(p) for p in participants}
    return Mention(article=article, mention_id=mention_id, type=type_,
                   parties=_shared(p for p, label in labels.items() if label in ("Country", "Organization")),
                   persons=_shared(p for p, label in labels.items() if label == "Person"),
                   start=calendar_day(start), end=calendar_day(end), published=calendar_day(published),
                   orgs=_shared(p for p, label in labels.items() if label == "Organization"))


def _shared(ids: Iterable[str]) -> frozenset[str]:
    return _one_set(tuple(sorted(ids)))


@lru_cache(maxsize=1 << 16)
def _one_set(ids: tuple[str, ...]) -> frozenset[str]:
    """One frozenset object per set of ids: a first load keeps three per report in memory (~1M at
    100k articles), and two in three are a set met before (2k synthetic articles: 36k sets, 10.7k
    distinct)."""
    return frozenset(ids)


def calendar_day(value: str | date | Any | None) -> date | None:
    """The calendar day of an ISO string, a date, a datetime or a neo4j.time value."""
    if value is None or value == "":
        return None
    if hasattr(value, "to_native"):  # neo4j.time.Date / DateTime
        value = value.to_native()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def mentions_of(extractions: Iterable[ArticleExtraction]) -> list[Mention]:
    """The mentions of extraction records, dated by each article's publication day."""
    return [make_mention(ex.article["id"], ev.id, ev.type, ev.participants, ev.start, ev.end,
                         ex.article.get("published"))
            for ex in extractions for ev in ex.events]


def parties_match(a: Mention, b: Mention, rules: ResolutionRules) -> bool:
    """Do two mentions name overlapping parties? (see schema/resolution.yaml)."""
    if a.type in rules.multilateral_types and a.orgs and b.orgs and not a.orgs & b.orgs:
        return False  # the G7 summit and the NATO summit the day after share most of their states
    if a.parties or b.parties:  # Jaccard without building the union (called for every pair in a window)
        shared = len(a.parties & b.parties)
        if shared / (len(a.parties) + len(b.parties) - shared) >= rules.min_jaccard:
            return True
    if min(len(a.parties), len(b.parties)) < 2 and a.persons & b.persons:
        return True
    return a.type in rules.multilateral_types and bool(a.orgs & b.orgs)


def same_key(a: Mention, b: Mention) -> bool:
    """``a.key == b.key`` without building the two strings (compared for every pair in a window)."""
    return (a.type == b.type and a.start == b.start and (a.start is not None or a.published == b.published)
            and (a.parties or a.persons) == (b.parties or b.persons))


def same_parties(a: Mention, b: Mention) -> bool:
    """Both name the same states and organisations (then a day's gap is a time zone, not a new event)."""
    return a.parties == b.parties and bool(a.parties)


def day_gap(a: Mention, b: Mention) -> int:
    """Days between two dated mentions' day ranges (negative when they overlap)."""
    assert a.start and b.start and a.last and b.last
    return (max(a.start, b.start) - min(a.last, b.last)).days


def event_id_for(key: str) -> str:
    """The id of the event whose smallest canonical key is ``key``."""
    return "event:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _resolvable(m: Mention, rules: ResolutionRules) -> bool:
    return m.type in rules.types and bool(m.parties or m.persons) and (m.start or m.published) is not None


class _UnionFind:
    def __init__(self, items: Sequence[Mention]) -> None:
        self.parent = list(range(len(items)))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return list(out.values())


def _start(m: Mention) -> date:
    assert m.start
    return m.start


def _published(m: Mention) -> date:
    assert m.published
    return m.published


def _dated_events(dated: list[Mention], rules: ResolutionRules) -> list[list[Mention]]:
    """Connected components of compatible dated mentions of one type."""
    dated = sorted(dated, key=_start)  # the components do not depend on the order of a day's mentions
    uf = _UnionFind(dated)
    for i, a in enumerate(dated):
        for j in range(i + 1, len(dated)):
            b = dated[j]
            assert a.last and b.start
            if (b.start - a.last).days > rules.max_gap_days:
                break  # sorted by first day: every later mention starts even further away
            gap = day_gap(a, b)
            if same_key(a, b) or (gap <= (rules.max_gap_days if same_parties(a, b) else 0)
                                  and parties_match(a, b, rules)):
                uf.union(i, j)
    return _cut_chains([[dated[i] for i in g] for g in uf.groups()], rules, _start)


def _cut_chains(groups: list[list[Mention]], rules: ResolutionRules,
                day: Callable[[Mention], date | None]) -> list[list[Mention]]:
    """Cut every component that spans more than ``max_event_days`` into consecutive pieces of at
    most that span. Links are pairwise, so in a dense archive mentions of one day link to those of
    the next and so on (the UN's multilateral meetings, day after day) into one event of months
    whose parties are everyone; no summit or visit lasts that long. The cut depends on the
    members' days only, so resolving a set gives one answer whatever its order. The loader
    resolves a batch with the stored events near it, not the whole graph: when a new report
    lands before the first piece of a long chain it looked at, later pieces of that chain beyond
    its window keep their old boundaries (a whole load at once would shift them)."""
    out = []
    for members in groups:
        days = [d for d in map(day, members) if d is not None]
        if (max(days) - min(days)).days < rules.max_event_days:
            out.append(members)  # nothing to cut: no need to order it
            continue
        members = sorted(members, key=lambda m: (day(m), m.key, m.ref))
        first = day(members[0])
        piece: list[Mention] = []
        for m in members:
            current = day(m)
            assert first is not None and current is not None
            if (current - first).days >= rules.max_event_days:
                out.append(piece)
                piece, first = [], current
            piece.append(m)
        out.append(piece)
    return out


class _DatedIndex:
    """The dated events of one type with their members sorted by first day, so an undated mention
    looks only at members within ``attach_window_days`` of its publication day (a bisect), not at
    every event: attaching stays O(log n) per mention instead of O(n)."""

    def __init__(self, events: list[list[Mention]]) -> None:
        members = sorted(((m.start, idx, m) for idx, ms in enumerate(events) for m in ms if m.start),
                         key=lambda item: item[0])
        self.starts: list[date] = [start for start, _, _ in members]
        self.members = [(idx, m) for _, idx, m in members]
        self.events = events

    def attach(self, u: Mention, rules: ResolutionRules) -> int | None:
        """Index of the dated event an undated mention belongs to: compatible and nearest its
        publication day (ties: smallest key), or None."""
        if u.published is None:
            return None
        window = timedelta(days=rules.attach_window_days)
        lo = bisect_left(self.starts, u.published - window)
        hi = bisect_right(self.starts, u.published + window)
        nearest: dict[int, int] = {}
        for idx, m in self.members[lo:hi]:
            assert m.start
            if parties_match(u, m, rules):
                distance = abs((m.start - u.published).days)
                nearest[idx] = min(distance, nearest.get(idx, distance))
        if not nearest:
            return None
        closest = min(nearest.values())
        tied = [idx for idx, distance in nearest.items() if distance == closest]  # keys built for ties only
        return min(tied, key=lambda idx: min(m.key for m in self.events[idx])) if len(tied) > 1 else tied[0]


def _undated_events(undated: list[Mention], rules: ResolutionRules) -> list[list[Mention]]:
    """Connected components of compatible undated mentions (published close together)."""
    undated = sorted(undated, key=_published)
    uf = _UnionFind(undated)
    for i, a in enumerate(undated):
        for j in range(i + 1, len(undated)):
            b = undated[j]
            assert a.published and b.published
            if (b.published - a.published).days > rules.undated_window_days:
                break  # sorted by publication day
            if same_key(a, b) or parties_match(a, b, rules):
                uf.union(i, j)
    return _cut_chains([[undated[i] for i in g] for g in uf.groups()], rules, _published)


def _cluster(mentions: list[Mention], rules: ResolutionRules) -> list[list[Mention]]:
    """The events of the resolvable mentions of one type."""
    dated = _dated_events([m for m in mentions if m.start], rules)
    undated = [m for m in mentions if not m.start]
    index = _DatedIndex(dated)
    homes = [index.attach(u, rules) for u in undated]  # against the dated events only: order-free
    events = [list(members) for members in dated]
    for u, idx in zip(undated, homes):
        if idx is not None:
            events[idx].append(u)
    return events + _undated_events([u for u, idx in zip(undated, homes) if idx is None], rules)


def resolve_events(mentions: Iterable[Mention], rules: ResolutionRules | None = None) -> dict[MentionRef, str]:
    """The canonical event id of every mention.

    Mentions of types not resolved across articles, without any participant, or without any
    date keep their own (per-article) id.
    """
    rules = rules or resolution_rules()
    out: dict[MentionRef, str] = {}
    by_type: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if _resolvable(m, rules):
            by_type[m.type].append(m)
        else:
            out[m.ref] = m.mention_id
    for type_mentions in by_type.values():
        for members in _cluster(type_mentions, rules):
            dated = [m.key for m in members if m.start]
            eid = event_id_for(min(dated or [m.key for m in members]))
            out.update((m.ref, eid) for m in members)
    return out


def _reach(m: Mention, rules: ResolutionRules) -> tuple[date, date]:
    """The days a stored report's anchor day (its first day, or its publication day when undated)
    must lie in to resolve together with ``m``: the widest rule window around ``m``'s days."""
    reach = timedelta(days=rules.max_gap_days + rules.attach_window_days + rules.undated_window_days)
    first = m.start or m.published
    last = m.last or m.published
    assert first is not None and last is not None
    return first - reach, last + reach


def search_windows(mentions: Iterable[Mention], rules: ResolutionRules) -> list[dict[str, str]]:
    """The (type, first day, last day) windows in which stored reports can resolve together with
    ``mentions`` (``_reach``). Overlapping windows of one type are merged, so a batch of articles
    from the same weeks asks for a few ranges, not one per mention."""
    spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for m in mentions:
        if _resolvable(m, rules):
            spans[m.type].append(_reach(m, rules))
    out = []
    for type_, ranges in sorted(spans.items()):
        ranges.sort()
        lo, hi = ranges[0]
        for a, b in ranges[1:]:
            if a > hi:
                out.append({"type": type_, "lo": lo.isoformat(), "hi": hi.isoformat()})
                lo = a
            hi = max(hi, b)
        out.append({"type": type_, "lo": lo.isoformat(), "hi": hi.isoformat()})
    return out


def joinable(candidates: Iterable[Mention], mentions: Iterable[Mention], rules: ResolutionRules) -> set[MentionRef]:
    """The candidates (stored reports in the search windows) that can link with one of ``mentions``:
    of its type, anchored within its reach and with matching parties.

    Only these need resolving again with the mentions, with the other reports of their events. A
    stored event none of whose reports can link with a new mention keeps its members: every link
    inside it was there before, and no new one reaches it. In a dense archive this is most of a
    window - a batch scattered over years (an update of back-filled articles) looked at a third of
    the graph, 100k reports a batch at 100k articles, where a few thousand can join it. What it can
    miss is a tie: an undated report equally near two events keeps its event even when the other
    one's smallest key drops below it through a new mention."""
    windows: dict[str, list[tuple[date, date, Mention]]] = defaultdict(list)
    for m in mentions:
        if _resolvable(m, rules):
            windows[m.type].append((*_reach(m, rules), m))
    starts: dict[str, list[date]] = {}
    longest: dict[str, timedelta] = {}
    for type_, spans in windows.items():
        spans.sort(key=lambda s: s[0])
        starts[type_] = [lo for lo, _, _ in spans]
        longest[type_] = max(hi - lo for lo, hi, _ in spans)
    out: set[MentionRef] = set()
    for c in candidates:
        anchor = c.start or c.published
        if c.type not in windows or anchor is None:
            continue
        spans = windows[c.type]
        lo = bisect_left(starts[c.type], anchor - longest[c.type])
        hi = bisect_right(starts[c.type], anchor)
        if any(anchor <= last and (c.key == m.key or parties_match(c, m, rules)) for _, last, m in spans[lo:hi]):
            out.add(c.ref)
    return out


def gazetteer_roles(entries: Iterable[GazetteerEntry]) -> list[tuple[str, str, str, str | None, str | None]]:
    """(person id, holder id, title, start, end) of every dated role of the gazetteer's persons;
    the holder is the role's organisation, else the person's country (``kg.graph.load.load_roles``)."""
    return [(e.id, r.org or f"country:{r.country}", r.title,
             r.start.isoformat() if r.start else None, r.end.isoformat() if r.end else None)
            for e in entries if e.type == "Person" for r in e.roles if r.org or r.country]
