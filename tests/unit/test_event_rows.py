"""The loader's pure parts: an event computed from its reports, a batch's plan, the rows a load
skips, and the publication order of a long input."""

from __future__ import annotations

from datetime import UTC, datetime

from event_reports import report
from kg.graph.event_summary import event_node, event_parties, event_rows, instant
from kg.graph.load import WrittenRows, in_time_order, plan_batch
from kg.graph.stored import Neighbourhood
from kg.records import ArticleExtraction, ArticleMeta, EventReport
from kg.resolve import resolve_events, tour_legs
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

RULES = TABLES.rules


def _report(article: str, *, start: str | None = "2021-03-22", end: str | None = "2021-03-23",
            confidence: float = 0.8, status: str = "occurred", published: str = "2021-03-22T08:00:00+08:00",
            participants: tuple[str, ...] = ("country:CN", "country:RU", "person:sergey-lavrov"),
            place: str | None = None, type_: str = "VISIT", modality: str = "asserted",
            window: tuple[str, str] | None = None) -> EventReport:
    return report(article, type_, participants, start, end, published, mention_id="m1", place=place, status=status,
                  modality=modality, confidence=confidence, window=window)


def test_the_day_most_reports_give_is_the_first_day_and_its_reports_the_last() -> None:
    planned = _report("a1", start=None, end=None, confidence=0.9, status="planned", published="2021-03-20T00:00:00Z")
    dated = _report("a2", confidence=0.6, published="2021-03-21T00:00:00Z", place="place:guilin")
    later = _report("a3", end=None, confidence=0.95, status="occurred", published="2021-03-24T00:00:00Z")
    wrong = _report("a4", start="2021-03-25", end=None, published="2021-03-24T00:00:00Z")
    node = event_node("event:x", [planned, dated, later, wrong], RULES)
    assert (node["start"], node["end"], node["earliest"], node["latest"], node["place"], node["evidence"]) == (
        "2021-03-22", "2021-03-23", "2021-03-22", "2021-03-23", "place:guilin", "evidence of a2")
    assert (node["status"], node["sources"]) == ("occurred", 4)
    assert (node["planned_reported"], node["occurred_reported"], node["cancelled_reported"]) == (
        "2021-03-20", "2021-03-24", None)


def test_a_sentence_listing_a_tours_legs_gives_each_leg_a_fraction_of_a_vote() -> None:
    """"Wang Yi visits Italy, the Netherlands, Norway, France and Germany from 25 Aug to 1 Sep":
    five reports (one per leg) whose days are the tour's; one report of the Norway leg's own day wins."""
    said = "王毅8月25日至9月1日访问意大利、荷兰、挪威、法国和德国"
    tour = [report("t", participants=("country:CN", f"country:{c}", "person:wang-yi"), start="2020-08-25",
                   end="2020-09-01", place=f"country:{c}", mention_id=f"m{c}", evidence=said).event
            for c in ("IT", "NL", "NO", "FR", "DE")]
    legs = tour_legs([*tour, report("t", place="country:NO", mention_id="other").event])
    assert [legs[e.id] for e in tour] == [5] * 5 and legs["other"] == 1
    norway = [EventReport(a, None, tour[2], 5) for a in ("a1", "a2")]
    own = report("n", participants=("country:CN", "country:NO", "person:wang-yi"), start="2020-08-27")
    node = event_node("event:no", [*norway, own], RULES)
    assert (node["start"], node["end"]) == ("2020-08-27", "2020-08-27")
    assert event_node("event:it", norway, RULES)["end"] == "2020-08-25"  # the tour's last day is not the leg's


def test_a_summit_begins_on_its_opening_day_though_more_reports_tell_the_closing() -> None:
    opening = [_report(f"o{i}", start="2021-06-11", end="2021-06-13") for i in range(2)]
    closing = [_report(f"c{i}", start="2021-06-13", end=None) for i in range(3)]
    stray = _report("s", start="2021-06-04", end=None)  # one misdated report moves nothing
    node = event_node("event:g7", [*opening, *closing, stray], RULES)
    assert (node["start"], node["end"]) == ("2021-06-11", "2021-06-13")


def test_an_undated_event_lies_after_its_plans_and_before_its_first_report_done() -> None:
    plan = _report("a1", start=None, end=None, status="planned", published="2021-03-10T00:00:00Z")
    done = [_report(a, start=None, end=None, published=f"2021-03-{d}T00:00:00Z") for a, d in (("a2", 18), ("a3", 16))]
    guess = _report("a4", start=None, end=None, status="planned", published="2021-03-17T00:00:00Z",
                    modality="speculative")
    node = event_node("event:x", [plan, *done, guess], RULES)
    assert (node["start"], node["earliest"], node["latest"], node["status"]) == (None, "2021-03-10", "2021-03-16",
                                                                                "occurred")


def test_an_undated_event_lies_within_the_periods_its_reports_name() -> None:
    """"九月中旬" in a plan published on 28 August narrows the window its tense gives."""
    plan = _report("a1", start=None, end=None, status="planned", published="2020-08-28T00:00:00Z",
                   window=("2020-09-11", "2020-09-20"))
    done = _report("a2", start=None, end=None, published="2020-09-30T00:00:00Z")
    node = event_node("event:x", [plan, done], RULES)
    assert (node["start"], node["earliest"], node["latest"]) == (None, "2020-09-11", "2020-09-20")


def test_a_cancellation_stands_against_a_later_undated_past_tense() -> None:
    """Kelly Craft's visit: planned, cancelled, then recalled ("如果此次访台成行") in the past tense."""
    day = {"start": "2021-01-13", "end": "2021-01-15"}
    reports = [_report("a1", **day, status="planned", published="2021-01-10T00:00:00Z"),
               _report("a2", start=None, end=None, status="occurred", published="2021-01-11T00:00:00Z"),
               _report("a3", **day, status="cancelled", published="2021-01-13T00:00:00Z"),
               _report("a4", start=None, end=None, status="occurred", published="2021-01-15T00:00:00Z")]
    node = event_node("event:x", reports, RULES)
    assert (node["status"], node["planned_reported"], node["cancelled_reported"], node["occurred_reported"]) == (
        "cancelled", "2021-01-10", "2021-01-13", None)  # the past tense of the 11th came before the day: a plan
    held = _report("a5", **day, status="occurred", published="2021-01-20T00:00:00Z")
    assert event_node("event:x", [*reports, held], RULES)["status"] == "occurred"


def test_a_cancellation_after_the_event_was_told_done_undoes_nothing() -> None:
    """The Czech senate president's visit to Taiwan (30 August 2020), told done with its day after
    it; a report of 12 September that extraction read as its cancellation (another event's)."""
    day = {"start": "2020-08-30", "end": "2020-08-31"}
    reports = [_report("a1", **day, status="planned", published="2020-08-13T00:00:00Z"),
               _report("a2", **day, status="occurred", published="2020-09-03T00:00:00Z"),
               _report("a3", start=None, end=None, status="cancelled", published="2020-09-12T00:00:00Z")]
    node = event_node("event:x", reports, RULES)
    assert (node["status"], node["cancelled_reported"]) == ("occurred", None)
    early = _report("a2", **day, status="occurred", published="2020-08-30T12:00:00Z")  # the day itself: not yet done
    assert event_node("event:x", [reports[0], early, reports[2]], RULES)["status"] == "cancelled"


def test_speculation_and_background_set_no_status() -> None:
    idea = _report("a1", status="occurred", modality="speculative")
    assert event_node("event:x", [idea], RULES)["status"] == "speculative"
    recalled = _report("a2", status="occurred", published="2021-06-01T00:00:00Z", modality="background")
    plan = _report("a3", status="planned", published="2021-03-20T00:00:00Z")
    node = event_node("event:x", [plan, idea, recalled], RULES)
    assert (node["status"], node["occurred_reported"]) == ("planned", None)


def test_the_place_is_where_most_reports_hold_it_and_only_for_events_held_somewhere() -> None:
    venue = [_report("a1", place="place:guilin"), _report("a2", place="country:CN"), _report("a3", place="place:guilin"),
             _report("a4", place="place:xinjiang"), _report("a5", place="place:tokyo")]
    assert event_node("event:x", venue, RULES)["place"] == "place:guilin"  # China by four reports, Guilin within it
    sanction = [_report(r.article, place=r.event.place, type_="SANCTION") for r in venue]
    assert event_node("event:x", sanction, RULES)["place"] is None


def test_an_undated_article_counts_as_the_oldest_report() -> None:
    undated = report("a0", "VISIT", ("country:CN",), None, None, None, mention_id="m1", status="planned")
    assert event_node("event:x", [undated, _report("a1")], RULES)["status"] == "occurred"


def test_instants_from_text_and_without_zone_compare() -> None:
    assert instant("2021-03-22T00:00:00") == datetime(2021, 3, 22, tzinfo=UTC)
    assert instant("2021-03-22T08:00:00+08:00") == instant("2021-03-22T00:00:00Z")


def test_event_rows_give_parties_place_and_derived_pairs() -> None:
    a = _report("a1", place="place:guilin")
    b = _report("a2", participants=("country:CN", "person:wang-yi"))
    rows = event_rows({"event:x": [a, b]}, RULES)
    parties = {r["from"] for key, rs in rows.rels.items() if key[0] == "PARTICIPATED_IN" for r in rs}
    assert parties == {"country:CN", "country:RU", "person:sergey-lavrov", "person:wang-yi"}
    c = _report("a3", participants=("country:CN", "country:RU", "person:sergey-lavrov"))
    assert event_parties([a, b, c], RULES) == ("country:CN", "country:RU", "person:sergey-lavrov")  # two of three
    assert rows.rels[("HELD_IN", "Event", "Entity")] == [{"from": "event:x", "to": "place:guilin"}]
    assert [(r["from"], r["to"]) for r in rows.rels[("MET", "Person", "Person")]] == [
        ("person:sergey-lavrov", "person:wang-yi")]
    assert [(r["from"], r["to"]) for r in rows.rels[("INTERACTED_WITH", "Country", "Country")]] == [
        ("country:CN", "country:RU")]


def test_a_batch_that_bridges_two_stored_events_moves_reports_and_removes_one() -> None:
    first = _report("a1", start="2021-03-22", end="2021-03-22")
    second = _report("a2", start="2021-03-23", end="2021-03-23",
                     participants=("country:CN", "country:RU", "person:sergey-lavrov", "person:wang-yi"))
    hood = Neighbourhood(stored=[("event:one", first), ("event:two", second)], replaced_events=set(), reloaded=False)
    bridge = _report("a3")  # 22-23 March: overlaps both days
    plan = plan_batch([bridge], hood, RULES)
    survivor = plan.assigned[bridge.ref]
    assert plan.assigned[first.ref] == plan.assigned[second.ref] == survivor
    assert set(plan.changed) == {survivor} and len(plan.changed[survivor]) == 3
    assert plan.gone == {"event:one", "event:two"} - {survivor}
    assert {m["from"] for m in plan.moves} == {"event:one", "event:two"} - {survivor}


def test_stored_events_the_batch_does_not_change_are_not_written_again() -> None:
    other = _report("a1", start="2021-03-10", end="2021-03-10", participants=("country:CN", "country:US"))
    old = resolve_events([other], RULES)[other.ref]
    plan = plan_batch([_report("a2")], Neighbourhood([(old, other)], set(), reloaded=False), RULES)
    assert old not in plan.changed and not plan.gone and not plan.moves


def test_rows_already_written_in_the_load_are_not_sent_again() -> None:
    written = WrittenRows()
    row = {"id": "country:CN", "iso2": "CN", "name": "China", "aliases": ["中国"]}
    assert written.new_nodes("Country", [row]) == [row]
    written.commit()
    assert written.new_nodes("Country", [{"id": "country:CN", "iso2": "CN", "name": None, "aliases": []}]) == []
    more = {"id": "country:CN", "aliases": ["中方"]}
    assert written.new_nodes("Country", [more]) == [more]  # a new alias must reach the graph
    written.begin()  # the transaction is retried: what it staged is sent again
    assert written.new_nodes("Country", [more]) == [more]
    edge = {"from": "person:wang-yi", "to": "country:CN"}
    key = ("REPRESENTS", "Person", "Country")
    assert written.new_rels(key, [edge, edge]) == [edge]
    written.commit()
    assert written.new_rels(key, [edge]) == []
    written.forget()
    assert written.new_rels(key, [edge]) == [edge]


def test_a_long_input_comes_out_in_publication_order_through_the_spool() -> None:
    days = [f"2021-03-{d:02d}T00:00:00+00:00" for d in (5, 1, 9, 3, 7, 2, 8)]
    exs = [ArticleExtraction(ArticleMeta.from_dict({"id": f"a{i}", "published": day})) for i, day in enumerate(days)]
    for window in (3, 100):  # spilled to the spool file / sorted in memory
        assert [ex.article.published.isoformat() for ex in in_time_order(exs, window)] == sorted(days)


def test_a_new_report_that_adds_no_party_rewrites_the_node_only() -> None:
    first = _report("a1")
    old = resolve_events([first], RULES)[first.ref]
    again = _report("a2", confidence=0.9, participants=("country:CN", "country:RU"))  # nothing new
    plan = plan_batch([again], Neighbourhood([(old, first)], set(), reloaded=False), RULES)
    assert set(plan.changed) == {old} and plan.previous == {old: [first]}
    rows = event_rows(plan.changed, RULES, previous=plan.previous)
    assert [n["sources"] for n in rows.nodes] == [2] and not any(rows.rels.values()) and not rows.stale


def test_an_event_written_again_gets_only_the_edges_that_changed() -> None:
    first = _report("a1", participants=("country:CN", "country:RU", "person:sergey-lavrov", "person:wang-yi"))
    old = resolve_events([first], RULES)[first.ref]
    xi = _report("a2", participants=("country:CN", "country:RU", "person:xi-jinping"))  # a new person, same days
    plan = plan_batch([xi], Neighbourhood([(old, first)], set(), reloaded=False), RULES)
    assert set(plan.changed) == {old}
    rows = event_rows(plan.changed, RULES, previous=plan.previous)
    assert {k[0]: [(r["from"], r["to"]) for r in rs] for k, rs in rows.rels.items() if rs} == {
        "PARTICIPATED_IN": [("person:xi-jinping", old)],
        "MET": [("person:sergey-lavrov", "person:xi-jinping"), ("person:wang-yi", "person:xi-jinping")]}
    assert not rows.stale
    earlier = [_report(a, start="2021-03-21", end="2021-03-22", participants=("country:CN", *first.event.participants[2:]))
               for a in ("a3", "a4")]  # most reports now give the 21st; the key stays larger than the first one's
    plan = plan_batch(earlier, Neighbourhood([(old, first)], set(), reloaded=False), RULES)
    rows = event_rows(plan.changed, RULES, previous=plan.previous)  # new days: every edge again
    assert rows.stale["MET"] == [{"event": old, "drop": {"person:sergey-lavrov": ["person:wang-yi"]}}]
    assert {r["date"] for r in rows.rels[("MET", "Person", "Person")]} == {"2021-03-21"}
    assert sorted(p for stale in rows.stale["PARTICIPATED_IN"] for p in stale["drop"]) == [
        "country:CN", "country:RU", "person:sergey-lavrov", "person:wang-yi"]


def test_events_without_known_old_edges_are_written_whole() -> None:
    first = _report("a1")
    old = resolve_events([first], RULES)[first.ref]
    again = _report("a1", participants=("country:CN", "country:US"))  # the same article loaded again
    hood = Neighbourhood([], {old}, reloaded=True)
    plan = plan_batch([again], hood, RULES)
    assert plan.previous == {}
    rows = event_rows(plan.changed, RULES, previous=plan.previous)
    assert not rows.stale and rows.rels[("INTERACTED_WITH", "Country", "Country")]


def test_the_counters_change_by_what_the_events_edges_count() -> None:
    first = _report("a1", start="2021-03-01", end="2021-03-02", participants=("country:CN", "country:RU", "person:wang-yi"))
    old = resolve_events([first], RULES)[first.ref]
    new = event_rows({old: [first]}, RULES).counts  # a new event: all it counts
    assert new == {("PairCount", "2021-03", ("VISIT", "CN", "RU")): 1, ("StateCount", "2021-03", ("VISIT", "CN")): 1,
                   ("StateCount", "2021-03", ("VISIT", "RU")): 1, ("ActorCount", "2021-03", ("VISIT", "country:CN")): 1,
                   ("ActorCount", "2021-03", ("VISIT", "country:RU")): 1,
                   ("ActorCount", "2021-03", ("VISIT", "person:wang-yi")): 1}
    earlier = [_report(a, start="2021-02-27", end="2021-03-02", participants=("country:CN", "person:wang-yi"))
               for a in ("a2", "a4")]  # most reports now give 27 February
    plan = plan_batch(earlier, Neighbourhood([(old, first)], set(), reloaded=False), RULES)
    moved = event_rows(plan.changed, RULES, previous=plan.previous).counts
    assert moved == {(label, month, dims): 1 if month == "2021-02" else -1 for label, _, dims in new
                     for month in ("2021-02", "2021-03")
                     if month == "2021-03" or (label == "ActorCount" and "RU" not in str(dims))}
    # Russia, named by one report of three, is no party any more: China has no partner in February
    undated = _report("a3", start=None, end=None)
    assert event_rows({"event:u": [undated]}, RULES).counts == {}


def test_a_gatherings_members_listed_by_one_report_take_part() -> None:
    """七国集团外长会议...美、加、英、法、德、意、日: the one report listing more than ``many_states``
    states names the gathering's members; a party one report of a few names stays out (China as
    the topic of a G7 report), as does a member list of no gathering of an organisation."""
    g7 = ("org:g7", "country:GB", "country:US")
    listed = _report("a1", type_="MULTILATERAL", participants=(*g7, "country:CA", "country:FR", "country:DE",
                                                                "country:IT", "country:JP"))
    others = [_report(f"b{i}", type_="MULTILATERAL", participants=g7) for i in range(2)]
    topic = _report("c", type_="MULTILATERAL", participants=(*g7, "country:CN"))
    assert set(event_parties([listed, *others, topic], RULES)) == {
        "org:g7", "country:GB", "country:US", "country:CA", "country:FR", "country:DE", "country:IT", "country:JP"}
    few = _report("a1", type_="MULTILATERAL", participants=(*g7, "country:CA"))
    assert "country:CA" not in event_parties([few, *others, topic], RULES)
    no_org = _report("a1", type_="MULTILATERAL", participants=tuple(sorted(listed.parties - {"org:g7"})))
    assert "country:CA" not in event_parties([no_org, *others], RULES)


def test_a_gatherings_delegate_one_report_names_takes_part_for_a_member() -> None:
    """A minister one report of a gathering names stands for a member state taking part (茂木敏充
    for Japan at the G7 ministers'); one of a state taking no part does not (Lavrov), nor anyone
    at a call that holds one gathering report."""
    g7 = ("org:g7", "country:GB", "country:US", "country:JP")
    reports = [_report(f"b{i}", type_="MULTILATERAL", participants=g7) for i in range(3)]
    named = _report("c", type_="MULTILATERAL", participants=(*g7, "person:toshimitsu-motegi", "person:sergey-lavrov"))
    parties = event_parties([*reports, named], RULES)
    assert "person:toshimitsu-motegi" in parties and "person:sergey-lavrov" not in parties
    calls = [_report(f"d{i}", type_="CALL", participants=("country:GB", "country:US")) for i in range(2)]
    assert "person:joe-biden" not in event_parties(
        [*calls, _report("e", type_="MULTILATERAL", participants=("country:US", "person:joe-biden"))], RULES)
