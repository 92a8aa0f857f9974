"""Event resolution across articles: which event mentions are one real-world event (pure).

Five outlets report the same meeting; each extraction carries its own per-article mention. This
module assigns every mention (``kg.records.EventReport``: the event as one article reports it) the
id of the canonical event it belongs to, before loading.

An event is a *coherent* cluster: no report in it tells of another event than any other (same
type, days that agree, no conflicting place; for a visit the same destination and travellers),
and each report's parties agree with most of the others' (``member_agreement``), so a report
joins an event only when it fits the event as a whole, never through one member (the union of
compatible pairs joined the 2+2 in Tokyo to the Anchorage talks two days later through a report
that named the US, Japan and China). The rules are in
``schema/resolution.yaml``.

1. Dated mentions are clustered greedily in a canonical order (the most precise first: single
   days, then ranges; then by day, a report naming the venue's town first, then the fullest, then
   key and reference), each joining the cluster it fits (``_fits``) with most members agreeing,
   else starting a new one.
2. An undated mention joins the dated event nearest its publication day among those it is
   compatible with as a whole (ties: smallest event key); the dated events do not depend on it.
3. Undated mentions that joined nothing are clustered among themselves the same way.

Why it is order-independent: the canonical order is a function of the *set* of mentions. A
mention's cluster depends only on the mentions connected to it by chains of compatible pairs
(clusters never hold incompatible ones), so a load into an empty graph, resolving every batch
with the stored reports so connected to it (``joinable``) and the other reports of their events,
gives the graph of a whole load. Into a graph that holds reports the loader follows the chains
only ``update_reach`` links and pins the rest of the events it reaches (``resolve_events``'
``pinned``): bounded work, and a graph that can differ from a whole load's where a chain runs
farther (docs/updates.md gives how often).

An event's id is a hash of the smallest canonical key of its members (type, sorted parties, first
day; dated members first), so it does not depend on which article came first, and it stays the
same when later reports of the same day arrive. EventReports with equal keys always share a cluster,
so two events never get the same id. When a new report bridges two existing events, the union
keeps the smaller key's id and the other event's reports move to it (``kg.graph.load``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, timedelta
from sys import intern
from typing import TYPE_CHECKING

from kg.errors import SchemaError
from kg.records import ArticleExtraction, Event, EventReport, event_id_for, label_of, other_levels
from kg.schema import load_yaml

if TYPE_CHECKING:
    from kg.extract.gazetteer import Gazetteer, GazetteerEntry

MentionRef = tuple[str, str]  # (article id, mention id): one event as one article reports it (EventReport.ref)
SPECULATIVE, BACKGROUND = "speculative", "background"  # modalities of a report (kg.records.Event)
MONTH_DAYS = 31  # a period a report names that is no longer than this names its event's time (_attachable)
EMPTY_PINS: Mapping[MentionRef, str] = {}  # no report's event known before resolution


@dataclass(frozen=True, slots=True)
class ResolutionRules:
    """The thresholds of ``schema/resolution.yaml`` (documented there), and the country of every
    place the gazetteer knows (where a visit went, whether two venues are in one country) and the
    region it lies in (whether two places are two venues)."""

    types: frozenset[str]
    multilateral_types: frozenset[str]
    min_jaccard: float
    max_gap_days: int
    attach_window_days: int
    recall_window_days: int
    undated_window_days: int
    period_reach_days: int
    contact_types: frozenset[str]
    venue_types: frozenset[str]
    visit_types: frozenset[str]
    counterpart_types: frozenset[str]
    remote_types: frozenset[str]
    stay_window_days: int
    many_states: int
    party_min_reports: int
    member_agreement: float
    kinds: dict[str, str]  # type -> its kind: types one real-world event is reported as share one (same_event_types)
    place_countries: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)  # place id -> country id
    place_within: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)  # place id -> its region's
    person_countries: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)  # person id -> country id
    # gathering words by level (schema/events.yaml scoring.merge.levels: leaders', ministers')
    levels: tuple[tuple[str, ...], ...] = ()
    # links from a new report within which an update re-decides stored reports (None: every chain)
    update_reach: int | None = None
    # types that announce an event of another type of their kind (an invitation, the visit): ``event_type``
    announcing_types: frozenset[str] = frozenset()

    def kind(self, type_: str) -> str:
        """What resolution compares instead of the type: a video summit is reported as a call and
        as a summit, a visit as the invitation to it."""
        return self.kinds.get(type_, type_)


def resolution_rules(gazetteer: Gazetteer) -> ResolutionRules:
    """The rules of ``schema/resolution.yaml`` with the countries of ``gazetteer``'s places: read
    once at the edge (``kg.pipeline``) and passed to everything that resolves or summarises events."""
    raw = load_yaml("resolution.yaml")
    places = {e.id: f"country:{e.country}" for e in gazetteer.entries.values() if e.type == "Place" and e.country}
    within = {e.id: e.within for e in gazetteer.entries.values() if e.type == "Place" and e.within}
    persons = {e.id: f"country:{e.country}" for e in gazetteer.entries.values() if e.type == "Person" and e.country}
    try:
        return ResolutionRules(
            types=frozenset(raw["types"]), multilateral_types=frozenset(raw["multilateral_types"]),
            min_jaccard=float(raw["min_jaccard"]), max_gap_days=int(raw["max_gap_days"]),
            attach_window_days=int(raw["attach_window_days"]),
            recall_window_days=int(raw["recall_window_days"]),
            undated_window_days=int(raw["undated_window_days"]),
            period_reach_days=int(raw["period_reach_days"]),
            contact_types=frozenset(raw["contact_types"]), venue_types=frozenset(raw["venue_types"]),
            visit_types=frozenset(raw["visit_types"]), counterpart_types=frozenset(raw["counterpart_types"]),
            remote_types=frozenset(raw["remote_types"]),
            stay_window_days=int(raw["stay_window_days"]),
            many_states=int(raw["many_states"]), party_min_reports=int(raw["party_min_reports"]),
            member_agreement=float(raw["member_agreement"]),
            kinds={t: "|".join(sorted(group)) for group in raw["same_event_types"] for t in group},
            place_countries=places, place_within=within, person_countries=persons,
            levels=tuple(tuple(words) for words in load_yaml("events.yaml")["scoring"]["merge"].get("levels") or ()),
            update_reach=None if raw["update_reach"] is None else int(raw["update_reach"]),
            announcing_types=frozenset(raw.get("announcing_types") or ()))
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemaError(f"schema/resolution.yaml: malformed ({exc!r} missing or wrong)") from exc


def place_country(place: str | None, rules: ResolutionRules) -> str | None:
    """The country id a report's place lies in (a country given as the place is its own)."""
    if not place:
        return None
    if label_of(place) == "Country":
        return place
    return rules.place_countries.get(place)


def regions(place: str, rules: ResolutionRules) -> list[str]:
    """The place and the regions it lies in, the smallest first (Carbis Bay, Cornwall, England)."""
    out = [place]
    while (up := rules.place_within.get(out[-1])) and up not in out:
        out.append(up)
    return out


def where(r: EventReport, rules: ResolutionRules) -> str | None:
    """The country id of a report's place (a visit's destination)."""
    return place_country(r.event.place, rules)


def report_key(r: EventReport) -> str:
    """Canonical key: type, parties (persons when no state or organisation) and first day
    (``~`` + publication day when undated, and the period it names: two periods are two events)."""
    who = ",".join(sorted(r.parties or r.persons))
    day = r.event.start
    when = day.isoformat() if day else "~" + (r.published_on.isoformat() if r.published_on else "")
    if not day and r.event.window:
        when += "@" + "/".join(d.isoformat() for d in r.event.window)
    return f"{r.event.type}|{who}|{when}"


def _states(r: EventReport) -> int:
    return len(r.parties) - len(r.orgs)


def reports_of(extractions: Iterable[ArticleExtraction]) -> list[EventReport]:
    """The reports of a batch of extractions, one per (article, mention id): when an article gives
    one mention id twice, the last one stands, as for its REPORTED_IN edge (``graph_rows``).

    The texts that repeat from report to report (types, places, party ids) are interned: a first
    load keeps every report in memory, and with one object per distinct text the benchmark
    archive's reports take a quarter less memory (``benchmarks/README.md``)."""
    out: dict[MentionRef, EventReport] = {}
    for ex in extractions:
        legs = tour_legs(ex.events)
        for ev in ex.events:
            report = EventReport(ex.article.id, ex.article.published, _interned(ev), legs[ev.id])
            out[report.ref] = report
    return list(out.values())


def tour_legs(events: Iterable[Event]) -> dict[str, int]:
    """Mention id -> how many legs of one tour its sentence lists: the article's mentions of one
    sentence, of one type and the same travellers, each in another place ("王毅连访意大利、荷兰、
    挪威、法国及德国五国" gives five visits). The days such a sentence gives are the tour's (its
    first day, its last), so an event counts it for 1/legs of a report in its day vote."""
    places: dict[tuple[str, str, tuple[str, ...]], set[str | None]] = defaultdict(set)
    key = {}
    for ev in events:
        travellers = tuple(sorted(p for p in ev.participants if label_of(p) == "Person"))
        key[ev.id] = (ev.evidence, ev.type, travellers)
        places[key[ev.id]].add(ev.place)
    return {mention: len(places[k]) for mention, k in key.items()}


def _interned(ev: Event) -> Event:
    return Event(ev.id, intern(ev.type), tuple(intern(p) for p in ev.participants), ev.start, ev.end,
                 None if ev.place is None else intern(ev.place), intern(ev.status), ev.evidence, ev.confidence,
                 None if ev.trigger is None else intern(ev.trigger), intern(ev.modality), ev.more_evidence, ev.window)


def parties_match(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Do two mentions name the same core parties? (see schema/resolution.yaml)."""
    gathering = _either(a, b, rules.multilateral_types)
    if gathering and a.orgs and b.orgs and a.orgs.isdisjoint(b.orgs):
        return False  # the G7 summit and the NATO summit the day after share most of their states
    if a.parties or b.parties:  # Jaccard on the parties' bits (``EventReport.bits``), no set built (every pair of a window)
        shared = (a.bits & b.bits).bit_count()
        if shared / (len(a.parties) + len(b.parties) - shared) >= rules.min_jaccard and (
                a.parties == b.parties or max(_states(a), _states(b)) <= rules.many_states
                or not a.persons.isdisjoint(b.persons) or not a.orgs.isdisjoint(b.orgs) or _same_day_and_town(a, b)):
            return True  # a list of many states is no event's identity by itself (unless the same list) but
            # backed by a shared person or organisation, or the same day and town
    if min(len(a.parties), len(b.parties)) < 2 and not a.persons.isdisjoint(b.persons):
        return True
    return gathering and not a.orgs.isdisjoint(b.orgs)


def _same_day_and_town(a: EventReport, b: EventReport) -> bool:
    """Do two reports place their event in one town (or region) on the same first day? That names
    an occasion as a shared person does: the list of states each gives is then no mere list (四国
    外长10月6日在东京, a topic state beside them in one report)."""
    return (a.event.start is not None and a.event.start == b.event.start and a.event.place is not None
            and a.event.place == b.event.place and label_of(a.event.place) == "Place")


def _either(a: EventReport, b: EventReport, types: frozenset[str]) -> bool:
    """Is either report of one of ``types``? (Two reports of one kind may differ in type: a rule
    of one of them holds for the pair, whichever is compared with which.)"""
    return a.event.type in types or b.event.type in types


def same_key(a: EventReport, b: EventReport) -> bool:
    """``report_key(a) == report_key(b)`` without building the two strings (compared for every pair in a window)."""
    return (a.event.type == b.event.type and a.event.start == b.event.start
            and (a.event.start is not None or (a.published_on == b.published_on and a.event.window == b.event.window))
            and (a.parties or a.persons) == (b.parties or b.persons))


def same_stay(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Two reports of one stay that lasts days, each dating the day it tells of: a visit of the
    same travellers to the same destination (a tour's legs have other destinations), or a meeting
    of the same organisation, not placed in two countries (the G7 foreign ministers, 3-5 May)."""
    if _either(a, b, rules.multilateral_types):
        return bool(a.orgs & b.orgs)
    destination = where(a, rules)
    if not _either(a, b, rules.visit_types) or not destination or destination != where(b, rules):
        return False
    return bool(a.persons & b.persons or (a.parties - {destination}) & (b.parties - {destination}))


def day_gap(a: EventReport, b: EventReport) -> int:
    """Days between two dated mentions' day ranges (negative when they overlap)."""
    assert a.event.start and b.event.start and a.event.last and b.event.last
    return (max(a.event.start, b.event.start) - min(a.event.last, b.event.last)).days


def _attachable(undated: EventReport, first: date, last: date, rules: ResolutionRules, named: bool = False,
                announced: bool = False) -> bool:
    """Can an undated report be of an event of these days, by its publication day and tense?
    Published near the days (``attach_window_days``; ``recall_window_days`` when it ``named`` the
    event by a person or the venue of it: "the Alaska talks" weeks later); an occurred report not
    before them, a planned one not after them (a day's slack: time zones); a speculative one
    (设想, 可能) has no tense. A report that ``announced`` a visit (its travellers going to its
    destination: ``_names_trip``) may be published before it whatever its tense: extraction reads
    an undated sentence without a future marker as past ("他的来访将...带来正面影响", two weeks
    ahead), and the same travellers' earlier trip to the same country within the window is rarer
    than that misreading (the other types keep the rule: a past meeting of the same leaders is common).
    A report naming a period (``Event.window``: "9月中旬", "next month") is of no event outside it
    (a recollection of January 2019 is no report of a 2020 visit), and one of a month or less
    (``period``) that the event's days meet names it (as a person would), and is of it whatever its
    tense when published within a period's reach of every day of them (``_far_days`` of its
    first and its last day: "5月的G7外长会议" six weeks later; the loader's candidate reads and the
    time windows of ``kg.resolve_windows`` reach that far for such reports alone)."""
    unnamed, if_named, unannounced = _Timing(undated, rules).of(first, last)
    return (if_named if named else unnamed) and (unannounced or announced)


class _Timing:
    """``_attachable`` of an undated report unfolded, as bounds on an event's first and last day
    computed once from its publication day, the period it names, its tense and the rules (``_attach``
    tests a report against tens of events): ``of`` tells whether it can be of an event of those days
    unnamed, whether named, and whether unannounced, so ``_attaches`` reads its names only where they
    decide. The bounds: published within ``w`` days of ``first``..``last`` is ``first <= published
    + w`` and ``published - w <= last``; an occurred report before the days (a day's slack) is one
    whose event starts after ``published + slack``, a planned one after them one whose event ends
    before ``published - slack``."""

    __slots__ = ("period", "dated", "unnamed", "named", "ends_after", "starts_before")

    def __init__(self, undated: EventReport, rules: ResolutionRules) -> None:
        published = undated.published_on
        assert published
        slack = timedelta(days=rules.max_gap_days)
        window, named = undated.event.window, period(undated) is not None
        self.period = None if window is None else (window[0] - slack, window[1] + slack)  # the event's days must meet it
        reach = timedelta(days=_far_days(rules))
        self.dated = (published - reach, published + reach) if named else None  # within a period's reach of every day
        recall = timedelta(days=rules.recall_window_days)
        attach = recall if named else timedelta(days=rules.attach_window_days)  # a period names the event
        self.unnamed = (published - attach, published + attach)
        self.named = (published - recall, published + recall)
        speculative = undated.event.modality == SPECULATIVE  # no tense
        planned = not speculative and undated.event.status == "planned"
        occurred = not speculative and undated.event.status == "occurred"
        self.ends_after = published - slack if planned else None
        self.starts_before = published + slack if occurred else None

    def of(self, first: date, last: date) -> tuple[bool, bool, bool]:
        """Attachable unnamed, named (each as far as the days and a planned tense tell), and unannounced."""
        if self.period is not None:
            if not (first <= self.period[1] and self.period[0] <= last):
                return False, False, True
            if self.dated is not None and self.dated[0] <= first and last <= self.dated[1]:
                return True, True, True  # the period dates it: whatever its tense, as a dated report of those days
        if self.ends_after is not None and last < self.ends_after:
            return False, False, True
        unannounced = self.starts_before is None or first <= self.starts_before
        return (first <= self.unnamed[1] and self.unnamed[0] <= last, first <= self.named[1] and self.named[0] <= last,
                unannounced)


def period(r: EventReport) -> tuple[date, date] | None:
    """The period of a month or less an undated report names (``Event.window``: "9月中旬", "5月的
    G7外长会议"): it tells when its event was as a day would (``_attachable``)."""
    window = r.event.window
    if r.event.start is not None or window is None or (window[1] - window[0]).days > MONTH_DAYS:
        return None
    return window


def _in_window(window: tuple[date, date], first: date, last: date, slack: timedelta) -> bool:
    """Do the days ``first``..``last`` meet the period a report names (``Event.window``), within a
    day's ``slack`` (time zones, a month's last night)?"""
    return first <= window[1] + slack and window[0] - slack <= last


def _names_event(undated: EventReport, whole: _Whole, rules: ResolutionRules) -> bool:
    """Does a report name an event (of these reports' aggregates, ``_Whole``) by more than its
    states: a person of it, its venue (a town or region, the same or one lying in the other: 阿拉斯加
    会谈), or, a gathering, the organisation holding it with no state none of its reports names
    ("the first Quad summit" weeks later; the EU with Lithuania's and Belgium's MPs is another of
    the EU's many gatherings)?"""
    place = undated.event.place
    if undated.event.type in rules.multilateral_types and undated.orgs and undated.parties <= whole.parties \
            and not undated.orgs.isdisjoint(whole.orgs):
        return True
    if not undated.persons.isdisjoint(whole.persons):
        return True
    return bool(place and label_of(place) == "Place" and any(not _places_differ(place, venue, rules) for venue in whole.venues))


def _same_gathering(undated: EventReport, whole: _Whole, rules: ResolutionRules) -> bool:
    """An undated report naming an organisation's gathering (multilateral types) is of an event
    only when one of its reports names that organisation too: the organisation is what names a
    gathering when no day does, and a report of "the G7 summit in June" shares its states and its
    leader with any summit he attends that week (Biden's climate summit held G7, NATO, EU and Quad
    reports so)."""
    if undated.event.type not in rules.multilateral_types or not undated.orgs:
        return True
    return not undated.orgs.isdisjoint(whole.orgs)


def _same_persons(undated: EventReport, whole: _Whole, rules: ResolutionRules) -> bool:
    """An undated call joining a gathering (or a gathering's report joining calls: a summit held
    by video is both) names no person none of its reports names: Zelensky's call to Stoltenberg
    is no report of that week's NATO foreign ministers' meeting, Biden's call to Putin none of
    his climate summit, though one report of it calls it a call. Only an event all of whose
    reports are of its own type is free of it. (Its states may be more: a report's topic states
    are often among them, 拜登与习近平通电话表达对香港、台湾...的关切.)"""
    types = whole.types
    if types <= {undated.event.type} or (rules.multilateral_types.isdisjoint(types)
                                         and undated.event.type not in rules.multilateral_types):
        return True
    return undated.persons <= whole.persons


def _names_trip(undated: EventReport, whole: _Whole, rules: ResolutionRules) -> bool:
    """Does a report name a visit's trip: the travellers of one of its visit reports (``_one_trip``,
    ``_Whole.trips``) going to its destination, or to no place but with the destination among its
    parties (an invitation: "应立法院长游锡堃邀请...率团访台" names the host, not the place)?"""
    here = where(undated, rules)
    return any(destination in undated.parties and here in (None, destination)
               and _one_party(travellers, _travellers(undated, destination, rules))
               for destination, travellers in whole.trips)


def _days_agree(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Both dated: ``schema/resolution.yaml``'s dates; both undated: published close together."""
    if a.event.start and b.event.start:
        if same_stay(a, b, rules):
            return day_gap(a, b) <= rules.stay_window_days
        return day_gap(a, b) <= (rules.max_gap_days if (a.parties == b.parties and a.parties)
                                 or _one_pair(a, b, rules) else 0)
    assert a.published_on and b.published_on
    return _periods_meet(a, b) and abs((a.published_on - b.published_on).days) <= rules.undated_window_days


def _one_pair(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Do two reports, one of a contact held between two places (``remote_types``: each side dates
    it by its own day), name the same persons of two states (gazetteer countries)? Who talked with
    whom names one occasion as the same states do, whatever topic state or critic one report adds (a
    video call on the US evening, "美东时间13日晚间", is the next morning in Taipei; a report of
    the critic's press conference names his state too)."""
    if not _either(a, b, rules.remote_types):
        return False
    shared = a.persons & b.persons
    return len(shared) >= 2 and len({rules.person_countries.get(p) for p in shared} - {None}) >= 2


def _periods_meet(a: EventReport, b: EventReport) -> bool:
    """Do the periods two undated reports name meet (either naming none: yes)? "今年1月" and
    "9月中旬" are two events however close their articles."""
    return not (a.event.window and b.event.window) or _in_window(a.event.window, *b.event.window, timedelta(0))


def _agree(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Parties and place agree (days aside)."""
    return not _conflict(a, b, rules) and _parties_agree(a, b, rules)


def _conflict(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Do two reports tell of two events whatever their parties: another place, another traveller,
    another level of gathering?"""
    return _other_venue(a, b, rules) or _other_travellers(a, b, rules) or _other_levels(a, b, rules)


def _other_venue(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Of an event held somewhere (``venue_types``), do two reports place it in two venues?"""
    return _either(a, b, rules.venue_types) and _places_differ(a.event.place, b.event.place, rules)


def _other_levels(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Two gatherings' words name two levels (``kg.records.other_levels``): the G7 foreign ministers in
    London in May are not the summit "next month in Britain" a report of theirs announces; a word of
    no level (会议, meeting) fits either."""
    if not _either(a, b, rules.multilateral_types):
        return False
    return other_levels(a.event.trigger, b.event.trigger, rules.levels)


def _places_differ(a: str | None, b: str | None, rules: ResolutionRules) -> bool:
    """Two venues: in two countries (the same parties in Tokyo and in Anchorage; a visit's
    destination is its place, so the legs of a tour differ), or two towns of one (the G7 leaders
    in Cornwall, its foreign ministers in London)."""
    if a is None or b is None or a == b:
        return False  # no place, or one (the same country, no two towns)
    here, there = place_country(a, rules), place_country(b, rules)
    return bool(here and there and here != there) or _two_towns(a, b, rules)


def _other_travellers(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """A visit is its travellers': two trips of one state to the same country are two visits."""
    return _either(a, b, rules.visit_types) and bool(a.persons) and bool(b.persons) and not a.persons & b.persons


def _parties_agree(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """The parties of two reports agree (a recalled event's only strongly: ``_recalled_agrees``)."""
    if BACKGROUND in (a.event.modality, b.event.modality) and (a.event.start is None) != (b.event.start is None):
        return _recalled_agrees(b, a) if a.event.start else _recalled_agrees(a, b)
    return parties_match(a, b, rules) or _one_trip(a, b, rules)


def _one_trip(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Two reports of a visit by the same travellers to the same destination: a visit is its
    travellers' trip there, whatever other states each report names (a report of one leg of a
    tour names the tour's other countries too: "王毅26日访问荷兰", with Italy, Norway, France and
    Germany as parties). The travellers are the persons of other states than the destination (the
    hosts a report names are not); their days are checked apart (``same_stay``)."""
    if not _either(a, b, rules.visit_types) or (destination := where(a, rules)) is None or destination != where(b, rules):
        return False
    return _one_party(_travellers(a, destination, rules), _travellers(b, destination, rules))


def _one_party(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two reports' travellers are one travelling party: the same persons, or one report names
    more of the delegation than the other (the head with a mayor who went along, the head alone)."""
    return bool(a) and bool(b) and (a <= b or b <= a)


def _travellers(r: EventReport, destination: str, rules: ResolutionRules) -> frozenset[str]:
    """The persons of a visit report known (gazetteer countries) to be of another state than its
    destination (a person the gazetteer does not place is neither traveller nor host)."""
    return frozenset(p for p in r.persons if rules.person_countries.get(p, destination) != destination)


def _two_towns(a: str | None, b: str | None, rules: ResolutionRules) -> bool:
    """Two different places, each in a state (a sea or a strait a report names is its topic, not a
    venue), neither lying in the other (Anchorage and Alaska are one venue, named more or less closely)."""
    if not (a and b and a != b and label_of(a) == label_of(b) == "Place"):
        return False
    if place_country(a, rules) is None or place_country(b, rules) is None:
        return False
    return a not in regions(b, rules) and b not in regions(a, rules)


def _recalled_agrees(undated: EventReport, dated: EventReport) -> bool:
    """A recalled event (background) joins on strong agreement only: the same states and
    organisations, and a person in common when the dated report names any (a sentence recalling
    "last year's visit to Taiwan" names no one of this year's)."""
    if not undated.parties or undated.parties != dated.parties:
        return False
    return not dated.persons or bool(undated.persons & dated.persons)


def compatible(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Can two reports, both dated or both undated, be of one real-world event? Same type, and
    days, parties and place agree (equal keys always can: they name one event)."""
    if rules.kind(a.event.type) != rules.kind(b.event.type):
        return False
    return same_key(a, b) or (_agree(a, b, rules) and _days_agree(a, b, rules))


class _Whole:
    """What ``_fits`` reads of an event as a whole - its reports' types, the place most of them
    give (``voted``), its persons by side (``_sides``) - and what ``_attach`` reads of a dated one
    besides (the names, venues and trips of its reports: ``_names_event``, ``_names_trip``,
    ``_same_gathering``, ``_same_persons``), kept as the event grows report by report (``_coherent``
    only appends), not recounted from its members on each of the many calls."""

    __slots__ = ("types", "places", "voted", "sides", "parties", "orgs", "persons", "venues", "trips")

    def __init__(self) -> None:
        self.types: set[str] = set()
        self.places: Counter[str] = Counter()
        self.voted: str | None = None  # most given, then the smallest id (``min`` by (-count, id))
        self.sides: dict[str, set[str]] = defaultdict(set)
        self.parties: set[str] = set()
        self.orgs: set[str] = set()
        self.persons: set[str] = set()
        self.venues: set[str] = set()  # the towns and regions (``Place``) its reports give
        self.trips: set[tuple[str, frozenset[str]]] = set()  # of its visit reports: destination, travellers

    @classmethod
    def of(cls, members: Iterable[EventReport], rules: ResolutionRules) -> _Whole:
        whole = cls()
        for x in members:
            whole.add(x, rules)
        return whole

    def add(self, x: EventReport, rules: ResolutionRules) -> None:
        """``x`` joins the event: only its place's count grows, so the vote is the old one or it."""
        self.types.add(x.event.type)
        if place := x.event.place:
            self.places[place] += 1
            voted = self.voted
            if voted is None or (-self.places[place], place) < (-self.places[voted], voted):
                self.voted = place
            if label_of(place) == "Place":
                self.venues.add(place)
        for p in x.persons:
            if (state := rules.person_countries.get(p)) is not None:
                self.sides[state].add(p)
        self.parties |= x.parties
        self.orgs |= x.orgs
        self.persons |= x.persons
        if x.event.type in rules.visit_types and (destination := where(x, rules)) is not None:
            self.trips.add((destination, _travellers(x, destination, rules)))


def _fits(m: EventReport, members: list[EventReport], rules: ResolutionRules, whole: _Whole | None = None) -> int:
    """Can ``m`` join an event of these members? Nothing in it tells of another event (another
    type, traveller or days), ``m``'s place is not another than the one most of its reports give
    (one report's dateline does not make another venue), and ``m`` agrees (parties and place) with
    at least ``member_agreement`` of its reports - an event is the agreement of its reports: the
    China-EU video summit is Xi with the EU's leaders in one report, with Merkel in another; each
    is compatible with most reports of it, not with every one. A recalled event (background)
    agrees with every report (a strong agreement: a sentence recalling June's call with the same
    leaders is no report of September's summit). Returns how many reports of it agree (0: it
    cannot join). ``whole``: the members' aggregates (``_Whole``), when the caller keeps them."""
    share = 1.0 if m.event.modality == BACKGROUND else rules.member_agreement
    may = [id(x) for x in agreeable(m, members, rules)]
    if len(may) < share * len(members):
        return 0  # too few members it may agree with (``may_agree``): a cheap bound of ``agreeing``
    if whole is None:
        whole = _Whole.of(members, rules)
    type_, kind = m.event.type, rules.kind(m.event.type)
    if any(t != type_ and rules.kind(t) != kind for t in whole.types):
        return 0
    venue = type_ in rules.venue_types or not rules.venue_types.isdisjoint(whole.types)
    voted = whole.voted
    if venue and voted and _places_differ(m.event.place, voted, rules):
        return 0
    if _counterparts_differ(m, whole, rules):
        return 0
    home, agreeable_ids = place_country(voted, rules), set(may)
    agreeing = 0
    for x in members:
        if same_key(m, x):
            agreeing += 1
        elif _other_travellers(m, x, rules) or _other_levels(m, x, rules) or not _days_fit(m, x, home, rules):
            return 0
        else:  # ``_agree``, its other conflicts ruled out above, where ``may_agree`` (its necessary condition) holds
            agreeing += id(x) in agreeable_ids and not _other_venue(m, x, rules) and _parties_agree(m, x, rules)
    return agreeing if agreeing >= share * len(members) else 0


def _counterparts_differ(m: EventReport, whole: _Whole, rules: ResolutionRules) -> bool:
    """Does ``m`` name a meeting with another person of a state than the event does? Of a meeting
    (``counterpart_types``), a state's persons are its side: when ``m`` names persons of a state
    (gazetteer countries) and the event's reports name others of it, none of them ``m``'s, ``m``
    tells of another meeting (Wang Yi with Merkel is not his talks with Maas that day, nor the
    meeting announced with her that never was); a report naming both joins either. Taken over the
    event as a whole (its aggregates, ``_Whole``): a report naming one minister of a delegation
    whose other reports name another still joins when one of them names both."""
    if m.event.type not in rules.counterpart_types or not whole.types <= rules.counterpart_types:
        return False
    theirs = whole.sides
    return any(state in theirs and not persons & theirs[state] for state, persons in _sides(m.persons, rules).items())


def _sides(persons: frozenset[str], rules: ResolutionRules) -> dict[str, set[str]]:
    """Persons by the state the gazetteer gives them (a person it does not place is of no side)."""
    sides: dict[str, set[str]] = defaultdict(set)
    for p in persons:
        if (state := rules.person_countries.get(p)) is not None:
            sides[state].add(p)
    return sides


def _days_fit(m: EventReport, x: EventReport, home: str | None, rules: ResolutionRules) -> bool:
    """Do the days of ``m`` and of a report ``x`` of an event held in the country ``home`` agree?
    ``_days_agree``; and a visit of ``x``'s traveller to the event's destination is of its stay
    (``stay_window_days``) even when ``x`` itself names another destination (one report placing
    Wang Yi's Paris talks in China does not make his next day in France another visit). Two
    undated reports: the periods they name meet (``_periods_meet``; their publication days are
    the index's to bring together)."""
    if m.event.start is None or x.event.start is None:
        return m.event.start is not None or x.event.start is not None or _periods_meet(m, x)
    if _days_agree(m, x, rules):
        return True
    stay = (_either(m, x, rules.visit_types) and home is not None and where(m, rules) == home
            and bool(m.persons & x.persons))
    return stay and day_gap(m, x) <= rules.stay_window_days


def linkable(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """Can two reports meet in one event, dated or not? ``compatible``, with an undated report
    anywhere within reach of a dated one (``_reach``): resolution decides more finely, by the
    days of the whole event (``_attach``), so this may say yes where it says no, never the reverse."""
    if rules.kind(a.event.type) != rules.kind(b.event.type):
        return False
    if (a.event.start is None) == (b.event.start is None):
        return compatible(a, b, rules)
    return _agree(a, b, rules)


def _resolvable(m: EventReport, rules: ResolutionRules) -> bool:
    return m.event.type in rules.types and bool(m.parties or m.persons) and (m.event.start or m.published_on) is not None


def _days(m: EventReport) -> range:
    """The days (as ordinals) a mention is indexed under: its day range (its publication day when
    undated), at most a month of it (a range longer than that is no event's days)."""
    first = m.event.start or m.published_on
    last = m.event.last or m.published_on
    assert first is not None and last is not None
    base = first.toordinal()
    return range(base, base + min((last - first).days, 31) + 1)


def _precision(m: EventReport) -> tuple[int, date, int, int, str, MentionRef]:
    """The canonical order of clustering: single days first, then ranges, then by day, the
    reports naming the town or region it was held in first (the most precise about its venue: a
    report placing it by a dateline or in the traveller's home country then joins the event they
    founded, not the reverse), then those naming most parties (the fullest report of an event
    founds it, and the partial ones, each naming some of its parties, join it), then by key."""
    assert m.event.start or m.published_on
    span = (m.event.last - m.event.start).days if m.event.start and m.event.last else 0
    named = len(m.parties) + len(m.persons)
    town = m.event.place is not None and label_of(m.event.place) == "Place"
    return (span, m.event.start or m.published_on, -town, -named, report_key(m), m.ref)  # type: ignore[return-value]


def _reach_days(rules: ResolutionRules) -> int:
    """How far apart (in days of their index) two compatible mentions can be, neither naming a
    period (``_far_days`` when one does)."""
    return (max(rules.stay_window_days, rules.max_gap_days, rules.undated_window_days)
            + max(rules.attach_window_days, rules.recall_window_days))


def _far_days(rules: ResolutionRules) -> int:
    """How far apart (in days of their index) a report naming a period of a month or less
    (``period``) and a report of its event can be: the period dates it, so it joins its event
    published up to ``period_reach_days`` from it ("5月的G7外长会议" six weeks later). Only such
    reports reach so far: the search windows and time windows of every other report keep the
    reach of its own rules (``_reach_days``)."""
    return max(rules.stay_window_days, rules.max_gap_days, rules.undated_window_days) + max(
        rules.attach_window_days, rules.recall_window_days, rules.period_reach_days)


def _coherent(mentions: list[EventReport], rules: ResolutionRules, slack: int,
              pinned: Mapping[MentionRef, str] = EMPTY_PINS) -> tuple[list[list[EventReport]], dict[str, int]]:
    """Greedy coherent clusters of mentions of one kind, in canonical order: each joins the
    cluster holding its key, else of the clusters it fits (``_fits``) the one with most members
    agreeing with it (then whose first member shares most parties with it, then the nearest in
    days, then the oldest), else starts one. ``slack``: how
    many days around a mention's own a compatible member can be indexed. The ``pinned`` mentions
    (their event known: ``resolve_events``) are there first, a cluster for each event, so the
    others join a known event as a whole or not at all. Returns the clusters and the cluster of
    each pinned event."""
    clusters: list[list[EventReport]] = []
    by_key: dict[str, int] = {}
    calendar = _Calendar()  # the clusters by day and name
    wholes: list[_Whole] = []  # of each cluster (``_fits``)
    held: dict[str, int] = {}  # a pinned event -> its cluster
    ordered = sorted(mentions, key=_precision)
    for m in ordered:
        if (pin := pinned.get(m.ref)) is not None:
            _place(m, held.setdefault(pin, len(clusters)), clusters, by_key, calendar, wholes, rules)
    for m in ordered:
        if m.ref in pinned:
            continue
        idx = by_key.get(report_key(m))
        if idx is None:
            near = calendar.named(_on_days(calendar.by_day, _around(m, slack)), _names(m, rules))
            fits = {i: n for i in near if (n := _fits(m, clusters[i], rules, wholes[i]))}
            if fits:
                idx = min(fits, key=lambda i: (-fits[i], -_likeness(m, clusters[i][0]), _distance(m, clusters[i][0]), i))
            else:
                idx = len(clusters)
        _place(m, idx, clusters, by_key, calendar, wholes, rules)
    return clusters, held


def _names(m: EventReport, rules: ResolutionRules) -> frozenset[str]:
    """What ``_coherent`` and ``_attach`` keep of each event: its reports' parties and persons. A
    report joins only an event one of whose reports names one of its own: ``_fits`` needs a member
    it agrees with (``_agree``) or shares its key with, and either needs a shared name while
    ``min_jaccard`` > 0 (``may_agree``). So of the events of its days a report is compared
    (``_fits``, which reads every member) only with those naming one of its names: a day of a daily
    update holds hundreds of events, most naming other states. With ``min_jaccard`` 0 there is no
    such rule: one name for all."""
    return m.parties | m.persons if rules.min_jaccard > 0 else _ANY_NAME


_ANY_NAME = frozenset({""})


def _place(m: EventReport, idx: int, clusters: list[list[EventReport]], by_key: dict[str, int],
           calendar: _Calendar, wholes: list[_Whole], rules: ResolutionRules) -> None:
    """``m`` into cluster ``idx`` (a new one when ``idx`` is their number), indexed by key, days and
    names (``_Calendar``), its aggregates (``_Whole``) added to the cluster's."""
    if idx == len(clusters):
        clusters.append([])
        wholes.append(_Whole())
    wholes[idx].add(m, rules)
    by_key.setdefault(report_key(m), idx)
    clusters[idx].append(m)
    calendar.add(idx, m, rules)


def _around(m: EventReport, slack: int) -> range:
    """The days (as ordinals) ``slack`` days around those ``m`` is indexed under (``_days``)."""
    days = _days(m)
    return range(days.start - slack, days.stop + slack)


def _distance(m: EventReport, other: EventReport) -> int:
    a, b = m.event.start or m.published_on, other.event.start or other.published_on
    assert a is not None and b is not None
    return abs((a - b).days)


def _likeness(m: EventReport, other: EventReport) -> int:
    """How many parties and persons two reports share (the better of two fitting events)."""
    return len(m.parties & other.parties) + len(m.persons & other.persons)


def _attach(undated: list[EventReport], events: list[list[EventReport]], rules: ResolutionRules,
            only: Mapping[MentionRef, tuple[frozenset[int], frozenset[int]]] | None = None) -> list[int | None]:
    """For each undated mention, the index of the dated event it belongs to, or None: it must fit
    the event's days as a whole (``_attachable``) and the event (``_fits``); of several,
    the one with a report sharing most with it (not only its first: the canonical order puts a
    report naming the venue first, not the fullest), then the nearest, then the smallest key.
    ``only``: the events a mention may choose from (those changing, and its own: ``_cluster``)."""
    calendar = _Calendar.of(events, rules)
    spans = [(min(m.event.start for m in members), max(m.event.last for m in members))  # type: ignore[type-var]
             for members in events]
    smallest = [min(report_key(m) for m in members) for members in events]
    wholes = [_Whole.of(members, rules) for members in events]
    homes: list[int | None] = []
    for u in undated:
        near = calendar.near(u, rules)
        if only and (limit := only.get(u.ref)):
            near = near & limit[0] | near & limit[1]
        timing = _Timing(u, rules)
        fits = [i for i in near if _attaches(u, timing, *spans[i], wholes[i], rules) and _same_gathering(u, wholes[i], rules)
                and _same_persons(u, wholes[i], rules) and _fits(u, events[i], rules, wholes[i])]
        homes.append(min(fits, key=lambda i: (-max(_likeness(u, x) for x in events[i]),
                                              min(_distance(u, x) for x in events[i]), smallest[i])) if fits else None)
    return homes


def _attaches(u: EventReport, timing: _Timing, first: date, last: date, whole: _Whole, rules: ResolutionRules) -> bool:
    """``_attachable`` of ``u`` (``timing``: its bounds) to an event held ``first``..``last`` (of
    these aggregates, ``_Whole``), whether ``u`` names it (``_names_event``) or its trip
    (``_names_trip``) read only where that decides: naming chooses one of two windows, so it is
    read only when ``u`` is in one and not the other; announcing lifts a rejection of an occurred
    report published before the days, so it is read only when that is all that rejects it."""
    unnamed, if_named, unannounced = timing.of(first, last)
    if unnamed != if_named:
        unnamed = if_named if _names_event(u, whole, rules) else unnamed
    return unnamed and (unannounced or _names_trip(u, whole, rules))


class _Calendar:
    """Events (clusters) by the days they are indexed under (``_days``) and by the names of their
    reports (``_names``): of the events of some days, those naming one of a report's names are
    picked by name (``named``), not each tested against them. ``near``, once every dated event is
    in (``_attach``), keeps the events of each reach of days it gathers: a batch's undated reports
    are published on a few days, hundreds a day, so each reach is gathered once, not once a report."""

    def __init__(self) -> None:
        self.by_day: dict[int, set[int]] = defaultdict(set)  # day (ordinal) -> events
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.reaches: dict[tuple[int, int], set[int]] = {}  # first and past-last day -> events (``_on_days``)

    @classmethod
    def of(cls, events: list[list[EventReport]], rules: ResolutionRules) -> _Calendar:
        calendar = cls()
        for idx, members in enumerate(events):
            for m in members:
                calendar.add(idx, m, rules)
        return calendar

    def add(self, idx: int, m: EventReport, rules: ResolutionRules) -> None:
        """Report ``m`` is of event ``idx``."""
        for d in _days(m):
            self.by_day[d].add(idx)
        for name in _names(m, rules):
            self.by_name[name].add(idx)

    def named(self, on: set[int], names: frozenset[str]) -> set[int]:
        """Of the events ``on``, those naming one of ``names``."""
        by_name = self.by_name
        return set().union(*(on & by_name[name] for name in names if name in by_name))

    def near(self, u: EventReport, rules: ResolutionRules) -> set[int]:
        """The dated events an undated report can be attached to (``_attach``) as far as its
        publication day and its names tell: those on a day within its reach that name one of its
        names (``_names``)."""
        assert u.published_on
        reach = _far_days(rules) if period(u) else max(rules.attach_window_days, rules.recall_window_days)
        day = u.published_on.toordinal()
        span = (day - reach, day + reach + 1)
        if (on := self.reaches.get(span)) is None:
            on = self.reaches[span] = _on_days(self.by_day, range(*span))
        return self.named(on, _names(u, rules))


def _on_days(by_day: Mapping[int, set[int]], days: range) -> set[int]:
    """The events (clusters) indexed under any of ``days``, each once: an event lasting days is
    under each of them, and its names are tested once, not once a day (``_coherent``, ``_Calendar``)."""
    return set().union(*(by_day[d] for d in days if d in by_day))


def _changing(events: list[list[EventReport]], pinned: Mapping[MentionRef, str],
              stored: Mapping[MentionRef, str]) -> tuple[frozenset[int], dict[str, frozenset[int]]]:
    """Of the dated events of a resolution, those an update changes or founds (holding a new report,
    or reports of two stored events), and the ones holding each stored event's reports."""
    changing: set[int] = set()
    holding: dict[str, set[int]] = defaultdict(set)
    for idx, members in enumerate(events):
        was = {pinned.get(m.ref) or stored.get(m.ref) for m in members}
        if None in was or len(was) > 1:
            changing.add(idx)
        for event in was:
            if event is not None:
                holding[event].add(idx)
    return frozenset(changing), {event: frozenset(idxs) for event, idxs in holding.items()}


def _cluster(mentions: list[EventReport], rules: ResolutionRules, pinned: Mapping[MentionRef, str] = EMPTY_PINS,
             stored: Mapping[MentionRef, str] = EMPTY_PINS) -> list[list[EventReport]]:
    """The events of the resolvable mentions of one kind (``ResolutionRules.kind``); ``stored``: see
    ``resolve_events``."""
    dated, held = _coherent([m for m in mentions if m.event.start], rules,
                            max(rules.stay_window_days, rules.max_gap_days), pinned)
    undated = [m for m in mentions if not m.event.start]
    deciding = [u for u in undated if u.ref not in pinned]
    only = None
    if any(u.ref in stored for u in deciding):  # a stored one chooses between its event and the changing ones
        changing, holding = _changing(dated, pinned, stored)
        only = {u.ref: (changing, holding.get(stored[u.ref], frozenset())) for u in deciding if u.ref in stored}
    homes = dict(zip((u.ref for u in deciding), _attach(deciding, dated, rules, only)))  # against the dated events: order-free
    if len(deciding) < len(undated):  # a pinned undated report joins the cluster its event's dated reports
        # are pinned to, else the dated event of its event's id (another when a report with a smaller key
        # joined it), else none
        unheld = {pinned[u.ref] for u in undated if u.ref in pinned} - held.keys()
        ids = {event_id_for(min(map(report_key, members))): i for i, members in enumerate(dated)} if unheld else {}
        homes.update((u.ref, held.get(pinned[u.ref], ids.get(pinned[u.ref]))) for u in undated if u.ref in pinned)
    events = [list(members) for members in dated]
    for u in undated:
        if (idx := homes[u.ref]) is not None:
            events[idx].append(u)
    alone, _ = _coherent([u for u in undated if homes[u.ref] is None], rules, rules.undated_window_days, pinned)
    return events + alone


def resolve_events(mentions: Iterable[EventReport], rules: ResolutionRules,
                   pinned: Mapping[MentionRef, str] = EMPTY_PINS,
                   stored: Mapping[MentionRef, str] = EMPTY_PINS) -> dict[MentionRef, str]:
    """The canonical event id of every mention.

    EventReports of types not resolved across articles, without any participant, or without any
    date keep their own (per-article) id. ``pinned``: reports whose event is already known (the
    resolution of a time window continuing its neighbour's, ``kg.resolve_windows``; the stored
    reports an update does not decide again, ``kg.graph.stored``): each event's pinned reports
    are one cluster before any other report decides, so the others join it as a whole or not at
    all, and two pinned events never become one. ``stored``: the event of each stored report
    decided again that is not pinned (an update's, ``kg.graph.stored``): an undated one chooses
    only between its own event and the events the update changes or founds (holding a new report,
    or reports of two stored events), not every stored event near it.
    """
    out: dict[MentionRef, str] = {}
    by_type: dict[str, list[EventReport]] = defaultdict(list)
    for m in mentions:
        if _resolvable(m, rules):
            by_type[rules.kind(m.event.type)].append(m)
        else:
            out[m.ref] = m.event.id
    for type_mentions in by_type.values():
        for members in _cluster(type_mentions, rules, pinned, stored):
            dated = [report_key(m) for m in members if m.event.start]
            eid = event_id_for(min(dated or [report_key(m) for m in members]))
            out.update((m.ref, eid) for m in members)
    return out


def _reach(m: EventReport, days: int) -> tuple[date, date]:
    """The days a stored report's anchor day (its first day, or its publication day when undated)
    must lie in to resolve together with ``m`` when they can be ``days`` apart (``_reach_days``,
    ``_far_days``) around ``m``'s days."""
    reach = timedelta(days=days)
    first = m.event.start or m.published_on
    last = m.event.last or m.published_on
    assert first is not None and last is not None
    return first - reach, last + reach


def search_windows(mentions: Iterable[EventReport], rules: ResolutionRules) -> list[dict[str, str]]:
    """The (type, first day, last day, reports) windows in which stored reports can resolve
    together with ``mentions`` (``_reach``): a window for each type of a mention's kind, of every
    report ("reports": "all") - a mention naming a period reaching as far as it can
    (``_far_days``) - and, farther, of the reports naming a period alone ("period": ``period``):
    only they reach so far to a mention that names none. Overlapping windows of one kind are
    merged, so a batch of articles from the same weeks asks for a few ranges, not one per mention."""
    spans: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    for m in mentions:
        if _resolvable(m, rules):
            kind = rules.kind(m.event.type)
            spans[(kind, "all")].append(_reach(m, _reach_of(m, rules)))
            if not period(m):
                spans[(kind, "period")].append(_reach(m, _far_days(rules)))
    merged: list[tuple[tuple[str, str], date, date]] = []
    for key, ranges in sorted(spans.items()):
        ranges.sort()
        lo, hi = ranges[0]
        for a, b in ranges[1:]:
            if a > hi:
                merged.append((key, lo, hi))
                lo = a
            hi = max(hi, b)
        merged.append((key, lo, hi))
    return [{"type": type_, "lo": lo.isoformat(), "hi": hi.isoformat(), "reports": reports}
            for (kind, reports), lo, hi in merged for type_ in _types_of(kind, rules)]


def _reach_of(m: EventReport, rules: ResolutionRules) -> int:
    """How far (in days of their index) the reports ``m`` can be linked with lie from it."""
    return _far_days(rules) if period(m) else _reach_days(rules)


def in_window(window: Mapping[str, str], r: EventReport) -> bool:
    """Is a stored report found in its day's ``window`` (``search_windows``) of its type one that
    window seeks: any report, or one naming a period?"""
    return window["reports"] == "all" or period(r) is not None


def _types_of(kind: str, rules: ResolutionRules) -> list[str]:
    return sorted(t for t, k in rules.kinds.items() if k == kind) or [kind]


def may_agree(a: EventReport, b: EventReport, rules: ResolutionRules) -> bool:
    """A necessary condition of ``linkable`` and of ``_fits``'s agreement of two reports (equal
    keys or ``_agree``), far cheaper: a person in common (``_one_trip``'s travellers, a report naming
    one party, equal keys of persons), or parties whose Jaccard reaches ``min_jaccard``
    (``parties_match``, equal keys of parties, a recalled event's equal parties), or a gathering of
    a shared organisation. A name in common is not enough on a crowded day: China and the US are
    named by most reports, and {China, US} against {China, Russia} (a Jaccard of 1/3) is no pair to
    compare. ``joinable`` compares a batch's mentions with every candidate of their days: this
    test skips most pairs of a crowded day before the rules' work (benchmarks/README.md, session 10)."""
    return any(True for _ in agreeable(a, (b,), rules))


def agreeable(m: EventReport, reports: Iterable[EventReport], rules: ResolutionRules) -> Iterator[EventReport]:
    """The ``reports`` that ``may_agree`` with ``m``, in their order: the test of one report against
    many, ``m``'s side of it read once (``joinable`` runs it on every candidate of a crowded day,
    ``_fits`` on every member of an event), the parties counted on their bits (``EventReport.bits``)."""
    persons, bits, size, orgs = m.persons, m.bits, len(m.parties), m.orgs
    gatherings, least = rules.multilateral_types, rules.min_jaccard
    gathering = m.event.type in gatherings
    for r in reports:  # ``m`` naming no person (no organisation) skips that test: most name none
        if persons and not persons.isdisjoint(r.persons):
            yield r
            continue
        shared = (bits & r.bits).bit_count()
        union = size + len(r.parties) - shared
        if (union and shared / union >= least) or (
                orgs and (gathering or r.event.type in gatherings) and not orgs.isdisjoint(r.orgs)):
            yield r


_DATED, _UNDATED, _LONG, _PERIOD = range(4)  # shapes of a report's days (``_shape``)
_UNDATED_SHAPES = frozenset({_UNDATED, _PERIOD})


def _shape(r: EventReport) -> int:
    """Dated within a month (every day of it indexed, ``_days``), undated (naming a period of a
    month or less, ``period``, or not), or other (dated over more than a month, or ending before it
    starts: only some days indexed, if any)."""
    if r.event.start is None:
        return _PERIOD if period(r) else _UNDATED
    last = r.event.last
    assert last is not None
    return _DATED if 0 <= (last - r.event.start).days <= 31 else _LONG


def _scans(m: EventReport, rules: ResolutionRules, slack: int) -> Iterator[tuple[int, range]]:
    """The days (as ordinals) of the candidates of each shape that ``joinable`` must look at for
    ``m``: those ``_around`` it, but closer for two of one shape whose days ``linkable`` compares.
    Two dated within a month are linkable only when their day ranges lie at most
    ``stay_window_days`` (or ``max_gap_days``) apart (``_days_agree``) or start on the same day
    (``same_key``); two undated (naming a period or not) only when published at most
    ``undated_window_days`` apart. A dated and an undated report are compared by their parties and
    place alone: they keep the whole reach, the far one (``_far_days``) when the undated one names
    a period of a month or less."""
    first = m.event.start or m.published_on
    last = m.event.last or m.published_on
    assert first is not None and last is not None
    shape, base, span = _shape(m), first.toordinal(), min((last - first).days, 31)
    close = {_DATED: max(rules.stay_window_days, rules.max_gap_days), _UNDATED: rules.undated_window_days,
             _PERIOD: rules.undated_window_days}.get(shape)
    for other in (_DATED, _UNDATED, _LONG, _PERIOD):
        if close is not None and (other == shape or {other, shape} <= _UNDATED_SHAPES):
            reach = close
        else:
            reach = max(slack, _far_days(rules)) if _PERIOD in (other, shape) else slack
        yield other, range(base - reach, base + span + reach + 1)


def joinable(candidates: Iterable[EventReport], mentions: Iterable[EventReport], rules: ResolutionRules,
             hops: int | None = None) -> dict[MentionRef, int]:
    """The candidates (stored reports in the search windows) connected to one of ``mentions`` by a
    chain of linkable pairs (``linkable``), through other candidates, each with the number of links
    of its shortest chain (1: linkable to a mention); ``hops``: follow chains of at most so many
    links (None: every chain).

    Only these need resolving again with the mentions, with the other reports of their events: a
    report's cluster depends on the reports so connected to it alone. In a dense archive this is
    a small part of a window - a batch scattered over years (an update of back-filled articles)
    looked at a third of the graph, 100k reports a batch at 100k articles, where a few thousand
    can join it - but at ten times that density the chains reach a third of the archive, which is
    why an update follows them only ``update_reach`` links (``kg.graph.stored``). The chains are
    followed within the candidates the windows hold: a chain that leaves them (compatible reports
    day after day for weeks) is cut at their edge. The candidates are kept by kind, shape, name and
    day (``CandidatePool``), so a report is compared only with those whose days it can agree with
    (``_scans``) and that share enough of its names: two undated reports a week apart are never
    compared, nor two reports of a crowded day naming other states."""
    return CandidatePool(rules, candidates).joinable(mentions, hops)


class CandidatePool:
    """``joinable``'s candidates by kind, shape, key and day: a report links only with one it may
    agree with (``may_agree``), which needs a person, a gathering's organisation, or enough
    parties in common while ``min_jaccard`` > 0 - two of them but for the smallest reports - so a
    mention looks only at the candidates of its days filed under a key it seeks (``_filed_under``,
    ``_sought``): on a daily batch a third of those filed under one of its names, most of which
    name it with another state. Each (kind, shape) keeps, for each key, its candidates by day, in
    order, for a mention's days (``_scans``) to be cut out of them (a candidate lasting days is
    there once a day).

    A pool can be kept and changed (``add``, ``discard``) and hold more than the candidates of one
    set of windows: ``joinable``'s ``admit`` tells them (``kg.graph.report_index``, whose batches
    of a daily update fall on the same days: each would file the same reports again). Which
    candidates link with a mention, and after how many links, does not depend on the order they
    were filed in: the chains are followed a link at a time."""

    def __init__(self, rules: ResolutionRules, candidates: Iterable[EventReport] = ()) -> None:
        self.rules = rules
        self.filed: dict[tuple[str, int], dict[str, tuple[list[int], list[EventReport]]]] = defaultdict(dict)
        self._unsorted: dict[int, tuple[list[int], list[EventReport]]] = {}  # the lists filed out of order
        self.add(candidates)

    def add(self, candidates: Iterable[EventReport]) -> None:
        """File these reports (those ``joinable`` can link: resolvable, with days), each once."""
        rules, unsorted = self.rules, self._unsorted
        for c in candidates:
            if not _resolvable(c, rules) or not (days := _days(c)):
                continue
            by_name, first, many = self.filed[(rules.kind(c.event.type), _shape(c))], days.start, len(days)
            for name in _filed_under(c, rules):
                if (filed := by_name.get(name)) is None:
                    filed = by_name[name] = ([], [])
                ds, rs = filed
                if ds and ds[-1] > first:
                    unsorted[id(filed)] = filed
                if many == 1:  # most are of one day
                    ds.append(first)
                    rs.append(c)
                else:
                    ds.extend(days)
                    rs.extend([c] * many)

    def discard(self, c: EventReport) -> None:
        """Unfile a report ``add`` was given (this very object; nothing if it was not filed)."""
        rules = self.rules
        if not _resolvable(c, rules) or not (days := _days(c)):
            return
        self._sort()
        by_name = self.filed.get((rules.kind(c.event.type), _shape(c)), {})
        for name in _filed_under(c, rules):
            if (filed := by_name.get(name)) is not None:
                ds, rs = filed
                for day in reversed(days):
                    i = next((i for i in range(bisect_left(ds, day), bisect_right(ds, day)) if rs[i] is c), None)
                    if i is not None:
                        del ds[i], rs[i]

    def _sort(self) -> None:
        """The lists filed out of order sorted by day (stably: the candidates come by window, by
        type, then by day)."""
        for ds, rs in self._unsorted.values():
            order = sorted(range(len(ds)), key=ds.__getitem__)
            ds[:] = [ds[i] for i in order]
            rs[:] = [rs[i] for i in order]
        self._unsorted = {}

    def joinable(self, mentions: Iterable[EventReport], hops: int | None = None,
                 admit: Callable[[EventReport], bool] | None = None) -> dict[MentionRef, int]:
        """``joinable`` of the filed reports that ``admit`` lets in (all when None)."""
        self._sort()
        rules = self.rules
        out: dict[MentionRef, int] = {}
        frontier = [m for m in mentions if _resolvable(m, rules)]
        seen = {m.ref for m in frontier}
        links = 0
        while frontier and (hops is None or links < hops):
            links += 1
            reached = []
            for m in frontier:
                for c in agreeable(m, self.near(m), rules):
                    if (ref := c.ref) not in seen and (admit is None or admit(c)) and linkable(c, m, rules):
                        seen.add(ref)
                        out[ref] = links
                        reached.append(c)
            frontier = reached
        return out

    def near(self, m: EventReport) -> Iterator[EventReport]:
        """The candidates on ``m``'s days (``_scans``) filed under one of its names, each once."""
        rules = self.rules
        kind, names, given = rules.kind(m.event.type), _sought(m, rules), set()
        for shape, days in _scans(m, rules, _reach_days(rules)):
            if (by_name := self.filed.get((kind, shape))) is None:
                continue
            for name in names:
                if (filed := by_name.get(name)) is not None:
                    ds, rs = filed
                    for c in rs[bisect_left(ds, days.start):bisect_left(ds, days.stop)]:
                        if id(c) not in given:
                            given.add(id(c))
                            yield c


Key = str | tuple[str, ...]  # what ``CandidatePool`` files a report under (``_filed_under``)


def _filed_under(c: EventReport, rules: ResolutionRules) -> Iterable[Key]:
    """The keys a candidate is filed under, so that every report it ``may_agree`` with seeks one
    of them (``_sought``): its persons (a person in common), its organisations (a gathering's
    organisation in common), each pair of its parties (a Jaccard of ``min_jaccard`` > 0 needs two
    parties in common but for the smallest reports), and, when it names few enough parties for
    one in common to reach it (1 / (a + b - 1) >= ``min_jaccard`` for some a >= 1), each party with
    their count. A candidate naming more than ``PAIRED_PARTIES`` (a summit's list of states) is
    filed under each party instead of each pair. With ``min_jaccard`` 0 one key for all (``_names``)."""
    if rules.min_jaccard <= 0:
        return _ANY_NAME
    return _filing_keys(c.parties, c.persons, c.orgs, rules.min_jaccard, PAIRED_PARTIES)


@lru_cache(maxsize=1 << 16)
def _filing_keys(parties: frozenset[str], persons: frozenset[str], orgs: frozenset[str], least: float,
                 paired: int) -> tuple[Key, ...]:
    """``_filed_under`` of the reports naming these: made once per list of names met (an update
    files ~45k stored reports a run, most naming a list met before)."""
    ordered = sorted(parties)
    keys: list[Key] = [("person", p) for p in persons]
    keys += [("org", o) for o in orgs]
    if len(ordered) > paired:
        return (*keys, *[("many", p) for p in ordered])
    keys += [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]]
    if ordered and 1 / len(ordered) >= least:
        keys += [("one", p, str(len(ordered))) for p in ordered]
    return tuple(keys)


def _sought(m: EventReport, rules: ResolutionRules) -> Iterable[Key]:
    """The keys ``m`` seeks the candidates it ``may_agree`` with under (``_filed_under``): those
    naming one of its persons or organisations, two of its parties (when a candidate naming at
    most ``PAIRED_PARTIES`` can reach ``min_jaccard``), one of them and so few others that one in
    common reaches it, or one of them among more than ``PAIRED_PARTIES`` (when such can)."""
    if rules.min_jaccard <= 0:
        return _ANY_NAME
    parties, least = sorted(m.parties), rules.min_jaccard
    a = len(parties)
    keys: list[Key] = [("person", p) for p in m.persons]
    keys += [("org", o) for o in m.orgs]
    if any(_may_reach(a, b, least) for b in range(2, PAIRED_PARTIES + 1)):
        keys += [(x, y) for i, x in enumerate(parties) for y in parties[i + 1:]]
    keys += [("one", p, str(b)) for b in range(1, PAIRED_PARTIES + 1) if a and 1 / (a + b - 1) >= least
             for p in parties]
    if a and _may_reach(a, max(a, PAIRED_PARTIES + 1), least):
        keys += [("many", p) for p in parties]
    return keys


def _may_reach(a: int, b: int, least: float) -> bool:
    """Can two reports naming ``a`` and ``b`` parties reach a Jaccard of ``least`` (all the parties
    of the one naming fewer in common: ``agreeable``'s test at its most)?"""
    return min(a, b) / max(a, b) >= least


PAIRED_PARTIES = 6  # a candidate naming more parties is filed under each, not each pair (``_filed_under``)


def gazetteer_roles(entries: Iterable[GazetteerEntry]) -> list[tuple[str, str, str, str | None, str | None]]:
    """(person id, holder id, title, start, end) of every dated role of the gazetteer's persons;
    the holder is the role's organisation, else the person's country (``kg.graph.load.load_roles``)."""
    return [(e.id, r.org or f"country:{r.country}", r.title,
             r.start.isoformat() if r.start else None, r.end.isoformat() if r.end else None)
            for e in entries if e.type == "Person" for r in e.roles if r.org or r.country]
