"""Event resolution across articles (pure): compatibility rules, order independence, stable ids."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.graph.event_summary import event_node
from kg.graph.rows import EventParties, derived_rows, graph_rows, role_rows
from event_reports import report
from kg.records import ArticleExtraction, ArticleMeta, Event, EventReport, label_of
from kg import resolve
from kg.resolve import (
    _around,
    _days,
    _far_days,
    _reach_days,
    _resolvable,
    _scans,
    _shape,
    event_id_for,
    in_window,
    joinable,
    linkable,
    may_agree,
    period,
    report_key,
    reports_of,
    resolve_events,
    same_key,
    search_windows,
)
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

RULES = TABLES.rules


def _m(article: str, type_: str = "VISIT", parties: tuple[str, ...] = ("country:RU", "country:CN"),
       start: str | None = "2021-03-22", end: str | None = None, published: str = "2021-03-23",
       persons: tuple[str, ...] = (), **fields: str) -> EventReport:
    return report(article, type_, (*parties, *persons), start, end, published, **fields)


def _events(mentions: list[EventReport]) -> set[frozenset[str]]:
    """The partition of mentions into events, as sets of article ids (ids aside)."""
    by_event: dict[str, set[str]] = {}
    for ref, eid in resolve_events(mentions, RULES).items():
        by_event.setdefault(eid, set()).add(ref[0])
    return {frozenset(v) for v in by_event.values()}


def test_same_visit_reported_by_three_outlets_is_one_event() -> None:
    ms = [_m("a"), _m("b", start="2021-03-23", end="2021-03-23"), _m("c", start="2021-03-22", end="2021-03-23")]
    assert _events(ms) == {frozenset("abc")}


def test_planned_visit_announced_undated_joins_the_reported_visit() -> None:
    announced = _m("mon", start=None, published="2021-03-15", persons=("person:sergey-lavrov",), status="planned")
    assert _events([announced, _m("wed")]) == {frozenset({"mon", "wed"})}


def test_different_types_parties_or_days_stay_apart() -> None:
    base = _m("a")
    assert len(_events([base, _m("b", type_="MEET")])) == 2
    assert len(_events([base, _m("b", parties=("country:US", "country:CN"))])) == 2
    assert len(_events([base, _m("b", start="2021-03-25")])) == 2
    assert len(_events([base, _m("b", start="2021-03-23")])) == 1  # one day apart: time zones


def test_a_call_dated_by_each_side_joins_across_the_day_line_whatever_state_a_report_adds() -> None:
    """A call on the US evening is the next morning in Beijing; a report that adds a topic state
    (Japan) still names who talked with whom: the same two persons of two states."""
    pair = ("person:antony-blinken", "person:yang-jiechi")
    us_day = _m("us", type_="CALL", parties=("country:US", "country:CN"), persons=pair, start="2021-02-05")
    cn_day = _m("cn", type_="CALL", parties=("country:US", "country:CN", "country:JP"), persons=pair,
                start="2021-02-06")
    assert _events([us_day, cn_day]) == {frozenset({"us", "cn"})}


def test_the_day_line_is_no_slack_for_a_meeting_or_one_shared_person() -> None:
    """A meeting is dated by its one place's day: reports naming other states a day apart stay two
    events; so do two calls of one person a day apart with another counterpart named beside him."""
    pair = ("person:antony-blinken", "person:yang-jiechi")
    met = _m("a", type_="MEET", parties=("country:US", "country:CN"), persons=pair, start="2021-02-05")
    met_next = _m("b", type_="MEET", parties=("country:US", "country:CN", "country:JP"), persons=pair,
                  start="2021-02-06")
    assert len(_events([met, met_next])) == 2
    call = _m("c", type_="CALL", parties=("country:US", "country:CN"), persons=pair, start="2021-02-05")
    other = _m("d", type_="CALL", parties=("country:US", "country:CN", "country:JP"),
               persons=("person:antony-blinken",), start="2021-02-06")
    assert len(_events([call, other])) == 2


def test_an_undated_report_joins_the_event_one_of_whose_reports_shares_most_with_it() -> None:
    """Of two events an undated report fits, the one with a report sharing most with it, not the one
    whose first report (in the canonical order: the one naming the venue's town) happens to
    share more: the summons report naming the envoy joins the summons the day before, not the
    speaker's meeting in Taipei that is nearer in days."""
    summons = ("person:tomas-petricek", "person:zhang-jianmin")
    prague = _m("prague", type_="MEET", parties=("country:CZ", "country:CN"), persons=summons[:1],
                start="2020-08-30", place="place:prague")
    envoy = _m("envoy", type_="MEET", parties=("country:CZ", "country:CN"), persons=summons, start="2020-08-30")
    taipei = _m("taipei", type_="MEET", parties=("country:CZ", "country:TW"),
                persons=("person:milos-vystrcil", "person:tsai-ing-wen"), start="2020-08-31")
    told = _m("told", type_="MEET", parties=("country:CZ", "country:CN", "country:TW"),
              persons=(*summons, "person:milos-vystrcil"), start=None, published="2020-08-31")
    assert _events([prague, envoy, taipei, told]) == {frozenset({"prague", "envoy", "told"}), frozenset({"taipei"})}


def test_guilin_one_minister_meeting_four_counterparts_gives_four_events() -> None:
    wang = ("person:wang-yi",)
    ms = [_m(iso, type_="MEET", parties=("country:CN", f"country:{iso}"), persons=wang, start=day)
          for iso, day in (("MY", "2021-03-31"), ("SG", "2021-03-31"), ("ID", "2021-04-01"), ("PH", "2021-04-02"))]
    assert len(_events(ms)) == 4


def test_a_report_naming_only_the_organisation_joins_the_summit() -> None:
    full = _m("a", type_="MULTILATERAL", parties=("org:g7", "country:US", "country:JP", "country:DE", "country:FR"),
              start="2021-06-11", end="2021-06-13", published="2021-06-14")
    partial = _m("b", type_="MULTILATERAL", parties=("org:g7",), start="2021-06-12", published="2021-06-13")
    assert len(_events([full, partial])) == 1


def test_summits_of_different_organisations_stay_apart_even_with_the_same_states() -> None:
    g7 = _m("a", type_="MULTILATERAL", parties=("org:g7", "country:US", "country:GB"), start="2021-06-13")
    nato = _m("b", type_="MULTILATERAL", parties=("org:nato", "country:US", "country:GB"), start="2021-06-14")
    assert len(_events([g7, nato])) == 2


def test_a_summit_announced_at_the_ministers_meeting_is_not_that_meeting() -> None:
    """The G7 foreign ministers meet in London; a report of theirs says the leaders' summit comes
    next month: a gathering of another level (the word written first decides: 外长峰会 is the
    ministers'), whatever the organisation and states they share."""
    def told(r: EventReport, trigger: str) -> EventReport:
        return EventReport(r.article, r.published, replace(r.event, trigger=trigger))
    g7 = ("org:g7", "country:GB", "country:US")
    ministers = [told(_m(a, "MULTILATERAL", g7, "2021-05-03", "2021-05-05", "2021-05-04"), word)
                 for a, word in (("a", "外长会议"), ("b", "外长峰会"), ("c", "会议"))]
    summit = told(_m("s", "MULTILATERAL", g7, None, published="2021-05-04", status="planned"), "峰会")
    assert _events([*ministers, summit]) == {frozenset("abc"), frozenset("s")}


def test_a_day_apart_chains_only_reports_of_the_same_parties() -> None:
    tokyo = _m("a", type_="MEET", parties=("country:US", "country:JP"), start="2021-03-16")
    tour = _m("b", type_="MEET", parties=("country:US", "country:JP", "country:CN"), start="2021-03-17")
    anchorage = _m("c", type_="MEET", parties=("country:US", "country:CN"), start="2021-03-18")
    assert len(_events([tokyo, tour, anchorage])) == 3


def test_types_not_resolved_keep_their_mention_id() -> None:
    m = _m("a", type_="STATEMENT", parties=("country:CN",))
    assert resolve_events([m, _m("b", type_="STATEMENT", parties=("country:CN",))], RULES) == {
        ("a", "m-a"): "m-a", ("b", "m-b"): "m-b"}


def test_event_id_is_the_smallest_dated_key() -> None:
    ms = [_m("a", start=None, published="2021-03-20", status="planned"), _m("b", start="2021-03-23"),
          _m("c", start="2021-03-22")]
    ids = set(resolve_events(ms, RULES).values())
    assert ids == {event_id_for("VISIT|country:CN,country:RU|2021-03-22")}


def test_ids_stay_when_a_later_report_of_the_same_day_arrives() -> None:
    first = resolve_events([_m("a"), _m("b")], RULES)
    more = resolve_events([_m("a"), _m("b"), _m("z", published="2021-04-01")], RULES)
    assert set(first.values()) == set(more.values())


def test_a_report_spanning_two_events_joins_one_and_bridges_nothing() -> None:
    left, right = _m("a", start="2021-03-20"), _m("b", start="2021-03-22")
    bridge = _m("c", start="2021-03-20", end="2021-03-22")
    assert _events([left, right, bridge]) == {frozenset("ac"), frozenset("b")}


def test_a_report_joins_an_event_only_if_it_fits_every_report_of_it() -> None:
    anchorage = _m("a", type_="MEET", parties=("country:CN", "country:US"), start="2021-03-18")
    both = _m("b", type_="MEET", parties=("country:CN", "country:US", "country:JP"), start="2021-03-18")
    tokyo = _m("c", type_="MEET", parties=("country:US", "country:JP"), start="2021-03-18")
    assert len(_events([anchorage, both, tokyo])) == 2  # the union of compatible pairs made one


def test_a_report_agreeing_with_most_reports_of_an_event_joins_it() -> None:
    """The China-EU video summit: Xi with the EU's leaders in one report, with Merkel (the EU's
    presidency) in another; each agrees with most reports of it, the fullest founding it. A
    recalled call of the same leaders agrees with only some of them and stays apart."""
    xi, michel, merkel = "person:xi-jinping", "person:charles-michel", "person:angela-merkel"
    summit = [_m("a", "MULTILATERAL", ("country:CN", "country:DE", "org:eu"), "2020-09-14", persons=(merkel, michel, xi)),
              _m("e", "MULTILATERAL", ("country:CN", "country:DE", "org:eu"), "2020-09-14", persons=(michel, xi)),
              _m("b", "MULTILATERAL", ("country:CN", "country:DE", "org:eu"), "2020-09-14", persons=(xi,)),
              _m("c", "CALL", ("country:CN", "org:eu"), "2020-09-14", persons=(michel, xi)),
              _m("d", "CALL", ("country:CN", "country:DE"), "2020-09-14", persons=(merkel, xi))]
    recalled = _m("r", "CALL", ("country:CN", "org:eu"), None, published="2020-09-16", persons=(michel, xi),
                  modality="background")
    assert _events([*summit, recalled]) == {frozenset("abcde"), frozenset("r")}


def test_a_list_of_many_states_alone_joins_nothing() -> None:
    states = ("country:CN", "country:US", "country:JP", "country:GB", "country:FR", "country:DE")
    lone = [_m("a", type_="MEET", parties=states), _m("b", type_="MEET", parties=states[:5])]
    assert len(_events(lone)) == 2
    named = [EventReport(m.article, m.published, replace(m.event, participants=(*m.event.participants,
                                                                               "person:antony-blinken")))
             for m in lone]
    assert len(_events(named)) == 1


def test_the_same_list_of_many_states_is_one_event() -> None:
    """Two reports naming exactly the same five states (the guests one host invited, told by two
    outlets a day apart) are one list, not two overlapping ones: one event."""
    guests = ("country:GB", "country:AU", "country:IN", "country:KR", "country:ZA")
    told = [_m("a", type_="INVITE", parties=guests, start="2021-05-03"),
            _m("b", type_="INVITE", parties=guests, start="2021-05-04")]
    assert _events(told) == {frozenset("ab")}


def test_the_legs_of_a_tour_stay_apart_and_each_leg_holds_its_days() -> None:
    wang = ("person:wang-yi",)
    paris = [report(f"fr{i}", "VISIT", ("country:CN", "country:FR", *wang), day, None, "2020-08-31", place=place)
             for i, (day, place) in enumerate((("2020-08-28", "place:paris"), ("2020-08-30", "country:FR")))]
    rome = report("it", "VISIT", ("country:CN", "country:IT", *wang), "2020-08-25", None, "2020-08-26",
                  place="place:rome")
    assert _events([*paris, rome]) == {frozenset({"fr0", "fr1"}), frozenset({"it"})}


def test_an_undated_report_must_agree_with_the_tense_of_its_event() -> None:
    visit = _m("d", start="2021-03-22", end="2021-03-23")
    before = _m("u", start=None, published="2021-03-15", status="occurred")
    after = _m("v", start=None, published="2021-03-28", status="planned")
    announced = _m("w", start=None, published="2021-03-15", status="planned")
    assert _events([visit, before, after, announced]) == {frozenset("dw"), frozenset("u"), frozenset("v")}


def test_an_undated_past_tense_naming_a_visits_trip_before_it_is_its_announcement() -> None:
    """A report published before a visit that names its traveller going to its destination tells
    of that trip whatever tense extraction gave it (no day, no future marker: occurred); a report
    without the traveller, or of a meeting, keeps the tense rule."""
    lavrov = ("person:sergey-lavrov",)
    visit = _m("d", start="2021-03-22", end="2021-03-23", persons=lavrov, place="country:CN")
    trip = _m("u", start=None, published="2021-03-15", persons=lavrov, place="country:CN")
    invited = _m("i", type_="INVITE", start=None, published="2021-03-14", persons=lavrov)  # 应邀访华: no place
    unnamed = _m("v", start=None, published="2021-03-15", place="country:CN")
    talks = [_m("m", type_="MEET", persons=lavrov), _m("n", type_="MEET", start=None, published="2021-03-15",
                                                       persons=lavrov)]
    assert _events([visit, trip, invited, unnamed, *talks]) == {frozenset("dui"), frozenset("v"), frozenset("m"),
                                                                frozenset("n")}


def test_an_undated_report_naming_a_period_joins_only_an_event_within_it() -> None:
    """A report that gives a period and no day ("2019年1月王毅访问义大利", "9月中旬") is of no event
    outside the period, however close its publication and its traveller; one of a month or less
    that the event's days meet names the event, as a person of it would (``recall_window_days``)."""
    wang = ("person:wang-yi",)
    visit = _m("d", parties=("country:CN", "country:IT"), persons=wang, start="2020-08-25", place="country:IT")
    recalled = _m("r", parties=("country:CN", "country:IT"), persons=wang, start=None, published="2020-08-29",
                  place="country:IT", window=("2019-01-01", "2019-01-31"))
    summit = _m("s", type_="MULTILATERAL", parties=("country:CN", "org:eu"), start="2020-09-14")
    expected = _m("e", type_="MULTILATERAL", parties=("country:CN", "org:eu"), start=None, published="2020-08-28",
                  status="planned", window=("2020-09-11", "2020-09-20"))  # 九月中旬, 17 days ahead
    unnamed = _m("u", type_="MULTILATERAL", parties=("country:CN", "country:DE", "org:eu"), start=None,
                 published="2020-08-28", status="planned")  # a state the summit's reports do not name: not named by the EU
    assert _events([visit, recalled, summit, expected, unnamed]) == {
        frozenset("d"), frozenset("r"), frozenset("se"), frozenset("u")}


def test_an_undated_report_naming_its_events_month_joins_it_within_reach() -> None:
    """"5月的G7外长会议" published six weeks later is of the meeting of 3-5 May, as a dated report
    would be, while within a period's reach of every day of it (``_far_days``): the loader finds
    the meeting's reports from the report and the report from them (a window of reports naming a
    period alone), and a time window of ``kg.resolve_windows`` holds them together. A year is no
    date: the publication rules stand; nor is a report without a period, beyond the reach of all."""
    g7 = ("country:GB", "org:g7")
    meeting = [_m(f"d{i}", type_="MULTILATERAL", parties=g7, start="2021-05-03", end="2021-05-05") for i in range(2)]
    late = _m("u", type_="MULTILATERAL", parties=g7, start=None, published="2021-06-16",
              window=("2021-05-01", "2021-05-31"))
    later = _m("v", type_="MULTILATERAL", parties=g7, start=None, published="2021-07-16",
               window=("2021-05-01", "2021-05-31"))
    year = _m("y", type_="MULTILATERAL", parties=g7, start=None, published="2021-06-08",
              window=("2021-01-01", "2021-12-31"))
    assert _events([*meeting, late, later, year]) == {frozenset({"d0", "d1", "u"}), frozenset("v"), frozenset("y")}
    found = [w for w in search_windows(meeting[:1], RULES) if w["lo"] <= "2021-06-16" <= w["hi"]]
    assert found and all(in_window(w, late) and not in_window(w, _m("p", start=None, published="2021-06-16"))
                         for w in found)
    assert any(w["lo"] <= "2021-05-03" <= w["hi"] for w in search_windows([late], RULES))
    assert set(joinable(meeting, [late], RULES)) == {m.ref for m in meeting}
    assert set(joinable([late], meeting[:1], RULES)) == {late.ref}


def test_two_undated_reports_naming_two_periods_are_two_events() -> None:
    """Published the same day, "今年1月" and "9月中旬" are two events of the same parties."""
    jan = _m("a", start=None, published="2020-08-28", window=("2020-01-01", "2020-01-31"))
    sep = _m("b", start=None, published="2020-08-28", status="planned", window=("2020-09-11", "2020-09-20"))
    unnamed = _m("c", start=None, published="2020-08-29")
    assert _events([jan, sep]) == {frozenset("a"), frozenset("b")}
    assert _events([jan, unnamed]) == {frozenset("ac")}


def test_an_undated_report_of_an_organisations_gathering_joins_only_an_event_naming_it() -> None:
    """Biden's climate summit (his own report, no organisation) is not the G7 summit a report of
    the same week announces for June, though both name the US and Biden."""
    biden = ("person:joe-biden",)
    summit = [_m(f"d{i}", type_="MULTILATERAL", parties=("country:US",), persons=biden, start="2021-04-22")
              for i in range(2)]
    g7 = _m("g", type_="MULTILATERAL", parties=("country:US", "org:g7"), persons=biden, start=None,
            published="2021-04-23", status="planned")
    unnamed = _m("u", type_="MULTILATERAL", parties=("country:US",), persons=biden, start=None, published="2021-04-23")
    assert _events([*summit, g7, unnamed]) == {frozenset({"d0", "d1", "u"}), frozenset("g")}


def test_an_undated_call_joins_a_gathering_only_naming_no_one_else() -> None:
    """A summit whose reports name the US and Biden is not his call to Putin that week, even when
    one of them calls it a call; a call report of the summit naming only its people is (a video
    summit is reported as a call)."""
    biden = ("person:joe-biden",)
    summit = [_m(f"d{i}", type_="MULTILATERAL", parties=("country:US",), persons=biden, start="2021-04-22")
              for i in range(2)]
    putin = _m("p", type_="CALL", parties=("country:US", "country:RU"), persons=(*biden, "person:vladimir-putin"),
               start=None, published="2021-04-23")
    call = _m("c", type_="CALL", parties=("country:US",), persons=biden, start=None, published="2021-04-23")
    assert _events([*summit, putin, call]) == {frozenset({"d0", "d1", "c"}), frozenset("p")}
    video = _m("v", type_="CALL", parties=("country:US",), persons=biden, start="2021-04-22", end="2021-04-23")
    assert _events([*summit, video, putin]) == {frozenset({"d0", "d1", "v"}), frozenset("p")}  # one call among them


def test_an_undated_background_report_joins_only_the_same_parties() -> None:
    visit = _m("d", parties=("country:CN", "country:RU"), start="2021-03-22")
    loose = _m("u", parties=("country:CN", "country:RU", "country:US"), start=None, published="2021-03-25",
               modality="background", persons=("person:sergey-lavrov",))
    exact = _m("v", parties=("country:CN", "country:RU"), start=None, published="2021-03-25",
               modality="background", persons=("person:sergey-lavrov",))
    assert frozenset("dv") in _events([visit, loose, exact])
    assert frozenset("u") in _events([visit, loose, exact])


def test_two_travellers_to_one_country_make_two_visits() -> None:
    """(Reports of one type, parties and first day share their key and always one event.)"""
    craft = _m("a", parties=("country:US", "country:TW"), start="2021-01-13", persons=("person:kelly-craft",))
    azar = _m("b", parties=("country:US", "country:TW"), start="2021-01-14", persons=("person:alex-azar",))
    unnamed = _m("c", parties=("country:US", "country:TW"), start="2021-01-13")
    assert _events([craft, azar]) == {frozenset("a"), frozenset("b")}
    assert _events([craft, unnamed]) == {frozenset("ac")}  # a report naming no traveller may be of either


def test_meetings_with_two_counterparts_of_one_state_are_two() -> None:
    """Wang Yi's talks with Maas in Berlin are not the meeting with Merkel announced for that day
    (it never was), nor one the next day; when a report of the talks names both sides' ministers,
    a report naming one of them joins them (the event as a whole names them). (Reports of one
    type, parties and first day share their key and are always one event.)"""
    cn_de = ("country:CN", "country:DE")
    maas = _m("m", "MEET", cn_de, "2020-09-01", published="2020-09-02", persons=("person:wang-yi", "person:heiko-maas"))
    merkel = _m("k", "MEET", cn_de, None, published="2020-08-31", status="planned",
                persons=("person:wang-yi", "person:angela-merkel"))
    next_day = _m("d", "MEET", cn_de, "2020-09-02", published="2020-09-02",
                  persons=("person:wang-yi", "person:angela-merkel"))
    assert _events([maas, merkel]) == {frozenset("m"), frozenset("k")}
    assert _events([maas, next_day]) == {frozenset("m"), frozenset("d")}
    both = _m("b", "MEET", (*cn_de, "org:eu"), "2020-09-01", published="2020-09-01",
              persons=("person:wang-yi", "person:heiko-maas", "person:angela-merkel"))
    assert _events([both, maas, merkel]) == {frozenset("bmk")}
    unplaced = _m("u", "MEET", cn_de, None, published="2020-09-03", persons=("person:wang-yi",))
    assert _events([maas, unplaced]) == {frozenset("mu")}  # naming no one of a side: of either meeting


def test_a_visit_meets_several_hosts() -> None:
    """A visit's hosts are not its identity (its travellers are): Wang Yi in Germany met Maas and Merkel."""
    cn_de = ("country:CN", "country:DE")
    a = _m("a", "VISIT", cn_de, "2020-09-01", published="2020-09-02", persons=("person:wang-yi", "person:heiko-maas"),
           place="country:DE")
    b = _m("b", "VISIT", cn_de, "2020-09-01", published="2020-09-01", persons=("person:wang-yi", "person:angela-merkel"),
           place="country:DE")
    assert _events([a, b]) == {frozenset("ab")}


def test_a_recalled_visit_naming_no_one_of_the_event_stays_apart() -> None:
    craft = _m("a", parties=("country:US", "country:TW"), start="2021-01-13", persons=("person:kelly-craft",),
               status="cancelled")
    wheeler = _m("b", parties=("country:US", "country:TW"), start=None, published="2021-01-13", modality="background")
    recalled = _m("c", parties=("country:US", "country:TW"), start=None, published="2021-01-15",
                  modality="background", persons=("person:kelly-craft",))
    assert _events([craft, wheeler, recalled]) == {frozenset("ac"), frozenset("b")}


def _mentions(last_day: date) -> st.SearchStrategy[EventReport]:
    """Mentions of a few parties, dated (or published, when undated) from 1 March to ``last_day``."""
    return st.builds(
        lambda i, t, ps, start, undated, lag: report(
            f"a{i}", t, tuple(sorted(ps)), None if undated else start.isoformat(), None,
            (start + timedelta(days=lag)).isoformat(), mention_id=f"m{i}"),
        st.integers(0, 10**6), st.sampled_from(["MEET", "VISIT"]),
        st.sets(st.sampled_from(["country:CN", "country:US", "country:RU", "org:eu", "person:wang-yi"]), min_size=1),
        st.dates(min_value=date(2021, 3, 1), max_value=last_day), st.booleans(), st.integers(0, 3))


_mention = _mentions(date(2021, 3, 20))


@settings(max_examples=60, deadline=None)
@given(st.lists(_mention, max_size=25, unique_by=lambda m: m.ref), st.randoms(use_true_random=False))
def test_resolution_does_not_depend_on_input_order(mentions: list[EventReport], rnd: random.Random) -> None:
    shuffled = list(mentions)
    rnd.shuffle(shuffled)
    assert resolve_events(mentions, RULES) == resolve_events(shuffled, RULES)


@given(_mention, _mention)
def test_same_key_agrees_with_comparing_the_keys(a: EventReport, b: EventReport) -> None:
    assert same_key(a, b) == (report_key(a) == report_key(b))
    assert same_key(a, a)


def test_graph_rows_use_resolved_ids_and_keep_the_mention_id() -> None:
    ev = Event("event:per-article", "VISIT", ("country:RU", "country:CN"), date(2021, 3, 22), None, None,
               "occurred", "拉夫罗夫访华。", 0.9)
    article = ArticleMeta.from_dict({"id": "a1", "published": "2021-03-23T00:00:00+00:00"})
    ex = ArticleExtraction(article=article, events=(ev,))
    (mention,) = reports_of([ex])
    rows = graph_rows([ex], {mention.ref: "event:resolved"})
    (report,) = rows.rels[("REPORTED_IN", "Event", "Article")]
    assert report["from"] == "event:resolved" and report["mention_id"] == "event:per-article"
    assert rows.event_ids == {"event:resolved"}


def test_derived_rows_pair_persons_of_contact_events_and_states_of_all_events() -> None:
    meet = EventParties("e1", "MEET", "2021-03-18", ("person:wang-yi", "person:antony-blinken",
                                                     "country:CN", "country:US", "person:yang-jiechi"))
    statement = EventParties("e2", "SANCTION", "2021-03-22", ("country:CN", "country:GB", "person:dominic-raab"))
    rows = derived_rows([meet, statement], RULES.contact_types)
    met = {(r["from"], r["to"]) for r in rows[("MET", "Person", "Person")]}
    assert met == {("person:antony-blinken", "person:wang-yi"), ("person:antony-blinken", "person:yang-jiechi"),
                   ("person:wang-yi", "person:yang-jiechi")}
    assert {(r["from"], r["to"], r["type"]) for r in rows[("INTERACTED_WITH", "Country", "Country")]} == {
        ("country:CN", "country:US", "MEET"), ("country:CN", "country:GB", "SANCTION")}


def test_role_rows_need_a_first_day_and_a_state_or_organisation() -> None:
    rows = role_rows([("person:wang-yi", "country:CN", "foreign minister", "2013-03-16", "2022-12-30"),
                      ("person:wang-yi", "org:cfac", "director", None, None),
                      ("person:x", "place:paris", "mayor", "2020-01-01", None)])
    assert list(rows) == [("HOLDS_ROLE", "Person", "Country")]


def test_daily_meetings_do_not_chain_into_one_event() -> None:
    days = [date(2021, 3, 1) + timedelta(days=i) for i in range(20)]
    daily = [_m(f"a{i}", "MULTILATERAL", ("country:CN", "org:un"), day.isoformat(), day.isoformat(),
                (day + timedelta(days=1)).isoformat()) for i, day in enumerate(days)]
    events = resolve_events(daily, RULES)
    spans: dict[str, list[date]] = {}
    for m in daily:
        spans.setdefault(events[m.ref], []).append(m.event.start)
    assert len(spans) > 1 and all((max(s) - min(s)).days <= RULES.stay_window_days for s in spans.values())
    assert resolve_events(list(reversed(daily)), RULES) == events


_within_a_week = _mentions(date(2021, 3, 4))  # dense: most mentions are connected


@settings(max_examples=200, deadline=None)
@given(st.lists(_within_a_week, max_size=30, unique_by=lambda m: m.ref), st.integers(0, 30))
def test_resolving_the_joinable_events_with_new_mentions_equals_resolving_everything(
        mentions: list[EventReport], cut: int) -> None:
    stored, new = mentions[:cut], mentions[cut:]
    before, everything = resolve_events(stored, RULES), resolve_events(mentions, RULES)
    near = {before[ref] for ref in joinable(stored, new, RULES)}
    hood = [m for m in stored if before[m.ref] in near]
    partial = resolve_events([*hood, *new], RULES)
    assert all(partial[m.ref] == everything[m.ref] for m in [*hood, *new])
    assert all(everything[m.ref] == before[m.ref] for m in stored if before[m.ref] not in near)


_any_report = st.builds(
    lambda i, t, ps, start, undated, lag, modality, place: report(
        f"a{i}", t, tuple(sorted(ps)), None if undated else start.isoformat(), None,
        (start + timedelta(days=lag)).isoformat(), mention_id=f"m{i}", modality=modality, place=place),
    st.integers(0, 10**6), st.sampled_from(sorted(RULES.types)),
    st.sets(st.sampled_from(["country:CN", "country:US", "country:RU", "country:FR", "org:eu", "org:un",
                             "person:wang-yi", "person:lavrov"]), min_size=1),
    st.dates(min_value=date(2021, 3, 1), max_value=date(2021, 3, 10)), st.booleans(), st.integers(0, 3),
    st.sampled_from(["asserted", "background", "speculative"]), st.sampled_from([None, "place:paris", "country:CN"]))


@settings(max_examples=500, deadline=None)
@given(_any_report, _any_report)
def test_reports_that_may_not_agree_are_never_linkable(a: EventReport, b: EventReport) -> None:
    """``joinable`` skips the pairs ``may_agree`` rejects (no person in common, parties of a
    Jaccard under ``min_jaccard``, no shared organisation of a gathering): ``linkable`` must never
    link them, whatever ``min_jaccard``."""
    for rules in (RULES, replace(RULES, min_jaccard=0.0), replace(RULES, min_jaccard=1.0)):
        if linkable(a, b, rules) or linkable(b, a, rules):
            assert may_agree(a, b, rules) and may_agree(b, a, rules)


def test_a_shared_state_of_two_pairs_of_states_is_no_agreement() -> None:
    """China with the US and China with Russia share a state (a Jaccard of 1/3): on a day where
    most reports name China, ``may_agree`` skips them; the same pair of states, or one person in
    common, may agree."""
    cn_us = _m("a1", "MEET", ("country:CN", "country:US"), "2025-01-01", None, "2025-01-01")
    cn_ru = _m("a2", "MEET", ("country:CN", "country:RU"), "2025-01-01", None, "2025-01-01")
    wang_with_russia = _m("a3", "MEET", ("country:CN", "country:RU", "person:wang-yi"), "2025-01-01", None, "2025-01-01")
    wang_with_us = _m("a4", "MEET", ("country:CN", "country:US", "person:wang-yi"), "2025-01-01", None, "2025-01-01")
    assert not may_agree(cn_us, cn_ru, RULES) and not linkable(cn_us, cn_ru, RULES)
    assert may_agree(cn_us, cn_us, RULES) and may_agree(wang_with_russia, wang_with_us, RULES)


@settings(max_examples=500, deadline=None)
@given(_any_report, st.lists(_any_report, min_size=1, max_size=4))
def test_a_report_fits_only_an_event_that_names_one_of_its_names(m: EventReport, members: list[EventReport]) -> None:
    """``_coherent`` and ``_attach`` look events up by the report's names (``_names``): ``_fits``
    must never accept an event none of whose reports shares a party or person with it."""
    if resolve._fits(m, members, RULES):
        assert any(may_agree(m, x, RULES) for x in members)


def _may_agree_of_sets(a: EventReport, b: EventReport, rules: resolve.ResolutionRules) -> bool:
    """``may_agree`` as its docstring states it, on the sets (the oracle of its bits)."""
    shared = len(a.parties & b.parties)
    union = len(a.parties | b.parties)
    gathering = a.event.type in rules.multilateral_types or b.event.type in rules.multilateral_types
    return bool(a.persons & b.persons) or bool(union and shared / union >= rules.min_jaccard) or (
        gathering and bool(a.orgs & b.orgs))


@settings(max_examples=500, deadline=None)
@given(_any_report, st.lists(_any_report, max_size=6),
       st.sampled_from([0.0, 0.3, 1 / 3, 0.5, 0.7, 1.0]))
def test_may_agree_on_bits_is_may_agree_on_sets(m: EventReport, reports: list[EventReport], least: float) -> None:
    """``agreeable`` counts shared parties on their bits (``EventReport.bits``): the reports it
    gives are those the test on the sets passes, in their order, whatever ``min_jaccard`` (0.3 is
    no exact float: the quotient is compared as the sets' test compares it)."""
    rules = replace(RULES, min_jaccard=least)
    assert list(resolve.agreeable(m, reports, rules)) == [r for r in reports if _may_agree_of_sets(m, r, rules)]
    assert all(may_agree(m, r, rules) == _may_agree_of_sets(m, r, rules) for r in reports)


@settings(max_examples=500, deadline=None)
@given(_any_report, _any_report)
def test_reports_that_agree_may_agree(a: EventReport, b: EventReport) -> None:
    """``_fits`` asks ``_agree`` only of the members ``may_agree`` passes: it must be its
    necessary condition (and of equal keys), whatever ``min_jaccard``."""
    for rules in (RULES, replace(RULES, min_jaccard=0.0), replace(RULES, min_jaccard=1.0)):
        if resolve._agree(a, b, rules) or same_key(a, b):
            assert may_agree(a, b, rules)


def _every_report(m: EventReport, reports: Iterable[EventReport], rules: resolve.ResolutionRules) -> Iterator[EventReport]:
    """``agreeable`` without its test: the unfiltered path."""
    return iter(reports)


@settings(max_examples=300, deadline=None)
@given(_any_report, st.lists(_any_report, min_size=1, max_size=5, unique_by=lambda m: m.ref))
def test_fits_with_the_may_agree_bound_is_fits_without_it(m: EventReport, members: list[EventReport]) -> None:
    """The bound of ``_fits`` (too few members ``may_agree`` with ``m``) and its ``_agree`` only
    where ``may_agree`` holds change no answer: the same count as every member compared."""
    fast = resolve._fits(m, members, RULES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resolve, "agreeable", _every_report)
        assert resolve._fits(m, members, RULES) == fast


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_within_a_week, _any_report), max_size=40, unique_by=lambda m: m.ref), st.integers(0, 40),
       st.randoms(use_true_random=False))
def test_events_looked_up_by_name_resolve_as_events_looked_up_by_day(
        mentions: list[EventReport], cut: int, rnd: random.Random) -> None:
    """The name index of ``_coherent`` and ``_attach`` is a filter only: the same events as when
    every event of a report's days is compared, with stored reports pinned and decided again."""
    stored = resolve_events(mentions[:cut], RULES)
    pinned = {ref: event for ref, event in stored.items() if rnd.random() < 0.5}
    unpinned = {ref: event for ref, event in stored.items() if ref not in pinned}
    by_name = resolve_events(mentions, RULES, pinned, unpinned)
    original = resolve._names
    try:
        resolve._names = lambda m, rules: resolve._ANY_NAME  # type: ignore[assignment]
        assert resolve_events(mentions, RULES, pinned, unpinned) == by_name
    finally:
        resolve._names = original  # type: ignore[assignment]


_report_of_any_days = st.builds(
    lambda i, t, ps, start, undated, span, lag, modality, place, named: report(
        f"a{i}", t, tuple(sorted(ps)), None if undated else start.isoformat(),
        None if undated or span is None else (start + timedelta(days=span)).isoformat(),
        (start + timedelta(days=lag)).isoformat(), mention_id=f"m{i}", modality=modality, place=place,
        window=None if not undated or named is None else (start.isoformat(), (start + timedelta(days=named)).isoformat())),
    st.integers(0, 10**6), st.sampled_from(sorted(RULES.types)),
    st.sets(st.sampled_from(["country:CN", "country:US", "org:eu", "person:wang-yi"]), min_size=1),
    st.dates(min_value=date(2021, 3, 1), max_value=date(2021, 5, 31)), st.booleans(),
    st.one_of(st.none(), st.integers(-3, 45)), st.integers(-75, 75),
    st.sampled_from(["asserted", "background", "speculative"]), st.sampled_from([None, "place:paris", "country:CN"]),
    st.one_of(st.none(), st.integers(0, 45)))  # the period an undated report names, if any


@settings(max_examples=1000, deadline=None)
@given(_report_of_any_days, _report_of_any_days)
def test_joinable_looks_at_every_day_a_linkable_report_lies_on(m: EventReport, c: EventReport) -> None:
    """``joinable`` compares ``m`` only with candidates on the days ``_scans`` gives for their
    shape: a candidate ``linkable`` with ``m`` must lie on one of them whenever the whole reach
    (``_around``) finds it - the far one (``_far_days``) when either names a period of a month or less."""
    slack = _reach_days(RULES)
    if not (_resolvable(m, RULES) and _resolvable(c, RULES) and linkable(c, m, RULES)):
        return
    days = set(_days(c))
    reach = _far_days(RULES) if period(m) or period(c) else slack
    if days & set(_around(m, reach)):
        assert days & set(dict(_scans(m, RULES, slack))[_shape(c)])


@settings(max_examples=150, deadline=None)
@given(st.lists(_report_of_any_days, max_size=30, unique_by=lambda m: m.ref), st.integers(0, 30),
       st.sampled_from([1, 2, None]))
def test_joinable_with_the_may_agree_filter_is_joinable_without_it(
        reports: list[EventReport], cut: int, hops: int | None) -> None:
    """``joinable``'s day scan passes only the candidates ``agreeable`` gives to ``linkable``:
    the same candidates and links as every candidate of the days compared."""
    fast = joinable(reports[cut:], reports[:cut], RULES, hops)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resolve, "agreeable", _every_report)
        assert joinable(reports[cut:], reports[:cut], RULES, hops) == fast


@settings(max_examples=200, deadline=None)
@given(st.lists(_report_of_any_days, max_size=30, unique_by=lambda m: m.ref), st.integers(0, 30),
       st.sampled_from([1, 2, None]), st.randoms(use_true_random=False))
def test_joinable_looking_candidates_up_by_name_is_joinable_by_day(
        reports: list[EventReport], cut: int, hops: int | None, rnd: random.Random) -> None:
    """``joinable``'s pool files the candidates by name (``CandidatePool``) as a filter only: in any order
    they come (filed out of order, sorted by day), the same candidates and links as when a report
    is compared with every candidate of its days (one name for all, as with ``min_jaccard`` 0)."""
    candidates = reports[cut:]
    rnd.shuffle(candidates)
    by_name = joinable(candidates, reports[:cut], RULES, hops)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resolve, "_filed_under", lambda m, rules: resolve._ANY_NAME)
        patch.setattr(resolve, "_sought", lambda m, rules: resolve._ANY_NAME)
        assert joinable(candidates, reports[:cut], RULES, hops) == by_name


@settings(max_examples=2000, deadline=None)
@given(_any_report, _any_report, st.sampled_from([0.0, 0.1, 0.2, 0.25, 1 / 3, 0.34, 0.5, 0.6, 1.0]),
       st.sampled_from([1, 2, 3, resolve.PAIRED_PARTIES]))
def test_a_report_seeks_a_key_of_every_candidate_it_may_agree_with(m: EventReport, c: EventReport,
                                                                     least: float, paired: int) -> None:
    """``CandidatePool`` files a candidate under persons, organisations, pairs of parties (each
    party when it names more than ``PAIRED_PARTIES``) and, when it names few, single parties with
    their count (``_filed_under``): a report that ``may_agree`` with it seeks one of those keys
    (``_sought``), whatever ``min_jaccard`` and ``PAIRED_PARTIES``."""
    rules = replace(RULES, min_jaccard=least)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resolve, "PAIRED_PARTIES", paired)
        if may_agree(m, c, rules):
            assert set(resolve._sought(m, rules)) & set(resolve._filed_under(c, rules))


def test_two_undated_reports_a_week_apart_are_not_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[str, str]] = []
    original = resolve.linkable
    monkeypatch.setattr(resolve, "linkable", lambda a, b, rules: compared.append((a.article, b.article))
                        or original(a, b, rules))
    stored = [_m("near", start=None, published="2021-03-25"), _m("far", start=None, published="2021-03-30")]
    new = [_m("new", start=None, published="2021-03-23")]
    assert set(joinable(stored, new, RULES)) == {("near", "m-near")}
    assert compared == [("near", "new")]  # "far" is 7 days from "new" and 5 from "near": never compared


def test_a_stored_report_sharing_only_a_dominant_state_is_not_joinable() -> None:
    stored = [_m("cn-ru", parties=("country:CN", "country:RU")), _m("cn-us", parties=("country:CN", "country:US")),
              _m("cn-us-later", parties=("country:CN", "country:US"), start="2021-06-01", published="2021-06-01")]
    new = [_m("new", parties=("country:CN", "country:US"), start="2021-03-23")]
    assert set(joinable(stored, new, RULES)) == {("cn-us", "m-cn-us")}


def test_types_one_event_is_reported_as_resolve_together() -> None:
    """A video summit is a call in one report and a summit in another; a visit is the invitation to
    it in a third. The event's type is the one most of its reports give."""
    summit = [_m("s1", "MULTILATERAL", ("country:CN", "org:eu"), "2020-09-14"),
              _m("s2", "MULTILATERAL", ("country:CN", "org:eu"), "2020-09-14"),
              _m("c1", "CALL", ("country:CN", "org:eu"), "2020-09-14")]
    visit = [_m("v1", "VISIT", place="country:CN"), _m("i1", "INVITE", start="2021-03-22", end="2021-03-23")]
    other = _m("x", "MEET", ("country:CN", "org:eu"), "2020-09-14")  # a meeting is no call
    assert _events([*summit, *visit, other]) == {frozenset({"s1", "s2", "c1"}), frozenset({"v1", "i1"}),
                                                 frozenset({"x"})}
    assert event_node("event:s", summit, RULES)["type"] == "MULTILATERAL"
    windows = search_windows([summit[2]], RULES)
    assert {w["type"] for w in windows} == {"CALL", "MULTILATERAL"}
    assert len({w["lo"] for w in windows if w["reports"] == "all"}) == 1


def test_two_towns_of_one_country_are_two_meetings_but_a_strait_is_a_topic() -> None:
    g7 = ("country:GB", "org:g7")
    london = _m("l", "MULTILATERAL", g7, "2021-05-03", place="place:london")
    cornwall = _m("c", "MULTILATERAL", g7, None, published="2021-04-29", place="place:cornwall")
    strait = _m("s", "MULTILATERAL", g7, "2021-05-03", place="place:taiwan-strait")
    assert _events([london, cornwall, strait]) == {frozenset({"l", "s"}), frozenset({"c"})}


def test_a_region_and_a_town_in_it_are_one_venue_and_a_dateline_does_not_split_a_meeting() -> None:
    """The Anchorage talks, 18-19 March 2021: reports place them in Alaska or Anchorage (one venue,
    the gazetteer's ``within``), one report of the first day under a Washington dateline; the
    reports of the second day join the first day's, whose place is Alaska by most of them."""
    talks = ("country:CN", "country:US")
    first = [_m(f"a{i}", "MEET", talks, "2021-03-18", place=place)
             for i, place in enumerate(("place:alaska", "place:alaska", "place:washington", "place:anchorage"))]
    second = _m("b", "MEET", talks, "2021-03-19", place="place:anchorage")
    tokyo = _m("t", "MEET", (*talks, "country:JP"), "2021-03-19", place="place:tokyo")
    assert _events([*first, second, tokyo]) == {frozenset({"a0", "a1", "a2", "a3", "b"}), frozenset({"t"})}
    node = event_node("e", [*first, second], RULES)
    assert node["place"] == "place:anchorage"  # the reports naming Alaska support the town in it


def test_a_report_naming_the_venue_or_a_person_recalls_an_event_weeks_later() -> None:
    """Weeks after the Anchorage talks, "the Alaska talks" (its venue) or a sentence naming one of
    its people is still of it; a sentence naming only the two states is not, so long after."""
    talks = _m("d", "MEET", ("country:CN", "country:US"), "2021-03-18", end="2021-03-19",
               place="place:anchorage", persons=("person:yang-jiechi",))
    venue = _m("v", "MEET", ("country:CN", "country:US"), None, published="2021-04-14", place="place:alaska")
    person = _m("p", "MEET", ("country:CN", "country:US"), None, published="2021-04-10", persons=("person:yang-jiechi",))
    states = _m("s", "MEET", ("country:CN", "country:US"), None, published="2021-04-12")
    events = _events([talks, venue, person, states])
    assert frozenset("dvp") in events and frozenset("s") in events


def test_a_report_naming_more_of_a_delegation_names_the_same_trip() -> None:
    """The head alone, or the head with a member who went along: one travelling party; a report
    naming another official alone is another trip."""
    lavrov, ryabkov = "person:sergey-lavrov", "person:sergei-ryabkov"
    visit = _m("d", start="2021-03-22", end="2021-03-23", persons=(lavrov,), place="country:CN")
    both = _m("u", start=None, published="2021-03-15", persons=(lavrov, ryabkov), place="country:CN")
    other = _m("v", start=None, published="2021-03-15", persons=(ryabkov,), place="country:CN")
    assert _events([visit, both, other]) == {frozenset("du"), frozenset("v")}


def test_an_undated_gathering_report_named_by_its_organisation_joins_it_weeks_later() -> None:
    """The organisation holding a gathering names it as a person of it would ("the first BRICS
    summit", three weeks on: ``recall_window_days``), unless the report names a state none of the
    event's reports does (another of that organisation's gatherings)."""
    members = ("country:BR", "country:ZA", "country:IN", "org:brics")
    summit = _m("s", type_="MULTILATERAL", parties=members, start="2021-03-12", published="2021-03-13")
    recalled = _m("r", type_="MULTILATERAL", parties=("org:brics",), start=None, published="2021-04-02")
    other = _m("o", type_="MULTILATERAL", parties=("country:BR", "country:AR", "org:brics"), start=None,
               published="2021-04-02")
    states = _m("t", type_="MULTILATERAL", parties=members[:3], start=None, published="2021-04-02")
    assert _events([summit, recalled, other, states]) == {frozenset("sr"), frozenset("o"), frozenset("t")}


def test_the_same_town_on_the_same_day_backs_a_long_list_of_states() -> None:
    """Two reports of one day in one town: a list of many states (one report adding a topic state)
    is no mere list then, as with a shared person."""
    five = ("country:BR", "country:ZA", "country:IN", "country:AR", "country:MX")
    held = _m("h", type_="MULTILATERAL", parties=five[:4], start="2021-05-04", place="place:lima")
    topic = _m("t", type_="MULTILATERAL", parties=five, start="2021-05-04", place="place:lima", published="2021-05-06")
    elsewhere = _m("e", type_="MULTILATERAL", parties=(*five[:4], "country:CL"), start="2021-05-04",
                   published="2021-05-06")  # no town: the list alone
    assert _events([held, topic, elsewhere]) == {frozenset("ht"), frozenset("e")}


@settings(max_examples=300, deadline=None)
@given(_any_report, st.lists(_any_report, min_size=1, max_size=6, unique_by=lambda m: m.ref))
def test_an_event_grown_report_by_report_is_the_event_counted_whole(m: EventReport, members: list[EventReport]) -> None:
    """``_coherent`` keeps each cluster's aggregates (``_Whole``) as it appends reports: after
    every report the same types, voted place (most given, then the smallest id) and persons by side
    as counted from the members, and the same ``_fits``."""
    grown = resolve._Whole()
    for n, x in enumerate(members, 1):
        grown.add(x, RULES)
        part = members[:n]
        places = Counter(y.event.place for y in part if y.event.place)
        assert grown.types == {y.event.type for y in part}
        assert grown.voted == (min(places, key=lambda p: (-places[p], p)) if places else None)
        assert grown.sides == resolve._sides(frozenset().union(*(y.persons for y in part)), RULES)
        assert resolve._fits(m, part, RULES, grown) == resolve._fits(m, part, RULES, resolve._Whole.of(part, RULES))


@settings(max_examples=300, deadline=None)
@given(_any_report, st.lists(_any_report, min_size=1, max_size=4, unique_by=lambda m: m.ref),
       st.sampled_from(["occurred", "planned"]), st.integers(0, 12), st.integers(0, 12))
def test_attaching_reads_the_names_only_when_they_decide(u: EventReport, members: list[EventReport], status: str,
                                                        attach: int, recall: int) -> None:
    """``_attaches`` reads ``_names_event`` and ``_names_trip`` only where they decide
    (``_Timing``): the same answer as ``_attachable`` with them, whatever the two windows (the
    recall window wider or narrower)."""
    dated = [x for x in members if x.event.start]
    if u.event.start or not dated:
        return
    u = EventReport(u.article, u.published, replace(u.event, status=status))
    rules = replace(RULES, attach_window_days=attach, recall_window_days=recall)
    first, last = min(x.event.start for x in dated), max(x.event.last for x in dated)
    whole = resolve._Whole.of(dated, rules)
    assert resolve._attaches(u, resolve._Timing(u, rules), first, last, whole, rules) == resolve._attachable(
        u, first, last, rules, resolve._names_event(u, whole, rules), resolve._names_trip(u, whole, rules))


_named_report = st.builds(
    lambda i, t, ps, start, undated, lag, span, place, status, modality, window: report(
        f"a{i}", t, tuple(sorted(ps)), None if undated else start.isoformat(),
        None if undated else (start + timedelta(days=span)).isoformat(), (start + timedelta(days=lag)).isoformat(),
        mention_id=f"m{i}", place=place, status=status, modality=modality,
        window=(start.isoformat(), (start + timedelta(days=window)).isoformat()) if undated and window >= 0 else None),
    st.integers(0, 10**6), st.sampled_from(sorted(RULES.types)),
    st.sets(st.sampled_from(["country:CN", "country:US", "country:RU", "org:eu", "org:g7", "person:wang-yi",
                             "person:sergey-lavrov", "person:antony-blinken"]), min_size=1),
    st.dates(min_value=date(2021, 3, 1), max_value=date(2021, 5, 1)), st.booleans(), st.integers(-45, 45),
    st.integers(0, 3), st.sampled_from([None, "place:anchorage", "place:alaska", "place:london", "place:cornwall",
                                        "place:carbis-bay", "country:CN", "country:US", "country:RU"]),
    st.sampled_from(["occurred", "planned"]), st.sampled_from(["asserted", "background", "speculative"]),
    st.sampled_from([-1, -1, -1, 0, 10, 31, 40]))  # the period an undated report names: none (-1), a month or less, longer


def _names_event_report_by_report(u: EventReport, members: list[EventReport], rules: resolve.ResolutionRules) -> bool:
    """``_names_event`` as its docstring states it, read from the reports one by one."""
    place = u.event.place
    venue = place if place and label_of(place) == "Place" else None
    if u.event.type in rules.multilateral_types and u.orgs and u.parties <= frozenset().union(
            *(x.parties for x in members)) and any(u.orgs & x.orgs for x in members):
        return True
    return any(u.persons & x.persons or bool(venue and x.event.place and label_of(x.event.place) == "Place"
                                             and not resolve._places_differ(venue, x.event.place, rules))
               for x in members)


def _names_trip_report_by_report(u: EventReport, members: list[EventReport], rules: resolve.ResolutionRules) -> bool:
    """``_names_trip`` as its docstring states it, read from the reports one by one."""
    for x in members:
        destination = resolve.where(x, rules)
        if x.event.type in rules.visit_types and destination is not None and destination in u.parties \
                and resolve.where(u, rules) in (None, destination) and resolve._one_party(
                    resolve._travellers(x, destination, rules), resolve._travellers(u, destination, rules)):
            return True
    return False


@settings(max_examples=1000, deadline=None)
@given(_named_report, st.lists(_named_report, min_size=1, max_size=6, unique_by=lambda m: m.ref))
def test_an_events_aggregates_name_it_as_its_reports_do(u: EventReport, members: list[EventReport]) -> None:
    """``_attach`` reads whether an undated report names an event, its trip, its organisation and
    its persons from the event's aggregates (``_Whole``: the union of its reports' names, venues
    and trips), not report by report: the same answers."""
    whole = resolve._Whole.of(members, RULES)
    assert resolve._names_event(u, whole, RULES) == _names_event_report_by_report(u, members, RULES)
    assert resolve._names_trip(u, whole, RULES) == _names_trip_report_by_report(u, members, RULES)
    assert resolve._same_gathering(u, whole, RULES) == (
        u.event.type not in RULES.multilateral_types or not u.orgs or any(u.orgs & x.orgs for x in members))
    types = {x.event.type for x in members}
    assert resolve._same_persons(u, whole, RULES) == (
        types <= {u.event.type} or not (RULES.multilateral_types & (types | {u.event.type}))
        or u.persons <= frozenset().union(*(x.persons for x in members)))


def _attachable_as_stated(u: EventReport, first: date, last: date, rules: resolve.ResolutionRules, named: bool,
                          announced: bool) -> bool:
    """``_attachable`` as its docstring states it, one condition after another."""
    assert u.published_on
    slack = timedelta(days=rules.max_gap_days)
    if u.event.window is not None:
        if not (first <= u.event.window[1] + slack and u.event.window[0] - slack <= last):
            return False
        reach = timedelta(days=_far_days(rules))
        if period(u) and last - reach <= u.published_on <= first + reach:
            return True
        named = named or period(u) is not None
    window = timedelta(days=rules.recall_window_days if named else rules.attach_window_days)
    if not first - window <= u.published_on <= last + window:
        return False
    if u.event.modality == "speculative":
        return True
    if u.event.status == "occurred" and u.published_on < first - slack and not announced:
        return False
    return not (u.event.status == "planned" and u.published_on > last + slack)


@settings(max_examples=1000, deadline=None)
@given(_named_report, st.integers(-80, 80), st.integers(0, 40), st.booleans(), st.booleans(), st.integers(0, 40),
       st.integers(0, 40), st.integers(0, 40))
def test_attachable_unfolded_is_attachable(u: EventReport, before: int, days: int, named: bool, announced: bool,
                                           attach: int, recall: int, reach: int) -> None:
    """``_Timing`` unfolds ``_attachable`` into what it is unnamed, named and unannounced (so
    ``_attaches`` reads a report's names only where they decide): the same answer for every
    naming and announcing, whatever the windows."""
    if u.event.start:
        return
    rules = replace(RULES, attach_window_days=attach, recall_window_days=recall, period_reach_days=reach)
    assert u.published_on
    first = u.published_on - timedelta(days=before)  # the event's first day, ``before`` days before the report's
    last = first + timedelta(days=days)
    assert resolve._attachable(u, first, last, rules, named, announced) == _attachable_as_stated(
        u, first, last, rules, named, announced)


@settings(max_examples=300, deadline=None)
@given(st.lists(_named_report, min_size=1, max_size=30, unique_by=lambda m: m.ref))
def test_the_calendar_finds_the_events_near_a_report_that_name_one_of_its_names(reports: list[EventReport]) -> None:
    """``_Calendar.near``, each reach of days gathered once and the events picked by name: the
    dated events indexed on a day within the undated report's reach that name one of its names."""
    dated = [x for x in reports if x.event.start]
    events = [dated[i::3] for i in range(3) if dated[i::3]]
    for rules in (RULES, replace(RULES, min_jaccard=0.0)):
        calendar = resolve._Calendar.of(events, rules)
        for u in (x for x in reports if not x.event.start):
            reach = _far_days(rules) if period(u) else max(rules.attach_window_days, rules.recall_window_days)
            day = u.published_on.toordinal()
            expected = {i for i, members in enumerate(events)
                        if any(set(_days(x)) & set(range(day - reach, day + reach + 1)) for x in members)
                        and any(not resolve._names(u, rules).isdisjoint(resolve._names(x, rules)) for x in members)}
            assert calendar.near(u, rules) == expected
            assert calendar.near(u, rules) == expected  # and again, from the reach kept


def _parties_match_as_stated(a: EventReport, b: EventReport, rules: resolve.ResolutionRules) -> bool:
    """``parties_match`` as ``schema/resolution.yaml`` states it, on the sets."""
    gathering = a.event.type in rules.multilateral_types or b.event.type in rules.multilateral_types
    if gathering and a.orgs and b.orgs and not a.orgs & b.orgs:
        return False
    backed = bool(a.persons & b.persons or a.orgs & b.orgs) or (
        a.event.start is not None and a.event.start == b.event.start and a.event.place is not None
        and a.event.place == b.event.place and label_of(a.event.place) == "Place")
    states = max(len(a.parties - a.orgs), len(b.parties - b.orgs))
    if (a.parties or b.parties) and len(a.parties & b.parties) / len(a.parties | b.parties) >= rules.min_jaccard and (
            backed or a.parties == b.parties or states <= rules.many_states):
        return True
    if min(len(a.parties), len(b.parties)) < 2 and a.persons & b.persons:
        return True
    return gathering and bool(a.orgs & b.orgs)


_many_parties = st.builds(
    lambda i, t, ps, start, place: report(f"a{i}", t, tuple(sorted(ps)), start.isoformat(), None, start.isoformat(),
                                          mention_id=f"m{i}", place=place),
    st.integers(0, 10**6), st.sampled_from(["MEET", "MULTILATERAL"]),
    st.sets(st.sampled_from(["country:CN", "country:US", "country:RU", "country:FR", "country:DE", "country:JP",
                             "org:eu", "org:g7", "person:wang-yi", "person:sergey-lavrov"]), min_size=1),
    st.dates(min_value=date(2021, 3, 1), max_value=date(2021, 3, 3)),
    st.sampled_from([None, "place:london", "place:cornwall", "place:anchorage", "country:CN"]))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(_many_parties, _named_report), st.one_of(_many_parties, _named_report), st.sampled_from([0.0, 0.5, 1.0]),
       st.integers(1, 6))
def test_parties_match_is_the_rule_as_stated(a: EventReport, b: EventReport, jaccard: float, many: int) -> None:
    """``parties_match`` counts the shared parties on their bits and reads what backs a list of
    many states only when the list is no match by itself: the rule as stated, on the sets; and
    two places differ as ``_places_differ`` states (none or one place never do)."""
    rules = replace(RULES, min_jaccard=jaccard, many_states=many)
    assert resolve.parties_match(a, b, rules) == _parties_match_as_stated(a, b, rules)
    here, there = resolve.place_country(a.event.place, RULES), resolve.place_country(b.event.place, RULES)
    assert resolve._places_differ(a.event.place, b.event.place, RULES) == (
        bool(here and there and here != there) or resolve._two_towns(a.event.place, b.event.place, RULES))
