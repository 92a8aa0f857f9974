"""Resolution a time window at a time (``kg.resolve_windows``) gives what one process gives."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from kg.records import Event, EventReport
from kg.resolve import _far_days, resolve_events
from kg.resolve_windows import _margin, WindowTask, _cuts, _day, resolve_in_windows, window_task
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

RULES = TABLES.rules
STATES = [f"country:{c}" for c in ("CN", "US", "RU", "JP", "FR", "DE", "IN", "KR")]
ORGS = ["org:nato", "org:eu"]
PERSONS = ["person:wang-yi", "person:antony-blinken", "person:sergey-lavrov"]
PLACES = [None, "country:CN", "country:US", "country:FR"]


def make_mention(article: str, mention_id: str, type_: str, participants: Iterable[str], start: date | str | None,
                 end: date | str | None, published: date | str, place: str | None = None, status: str = "occurred",
                 modality: str = "asserted") -> EventReport:
    """A report of ``article`` from the fields resolution reads (days as dates or ISO text)."""
    def day(value: date | str | None) -> date | None:
        return date.fromisoformat(value) if isinstance(value, str) else value

    event = Event(mention_id, type_, tuple(participants), day(start), day(end), place, status, "", 0.8,
                  modality=modality)
    on = day(published)
    assert on is not None
    return EventReport(article, datetime(on.year, on.month, on.day, tzinfo=UTC), event)


def _archive(seed: int, reports: int, days: int, dated: float = 0.75) -> list[EventReport]:
    """Reports of a few parties over ``days`` days, dense enough for chains of reports across any
    cut: dated (a share ``dated`` of them), ranges, undated, planned and occurred, with and without
    places and persons."""
    rng = random.Random(seed)
    out = []
    for i in range(reports):
        type_ = rng.choice(["MEET", "VISIT", "CALL", "MULTILATERAL"])
        parties = rng.sample(STATES, rng.choice([1, 2, 2, 2, 3])) + rng.sample(ORGS, rng.choice([0, 0, 1]))
        persons = rng.sample(PERSONS, rng.choice([0, 0, 1]))
        published = date(2021, 1, 1) + timedelta(days=rng.randrange(days))
        start = end = None
        if rng.random() < dated:
            start = published - timedelta(days=rng.randrange(-3, 6))
            end = start + timedelta(days=rng.choice([0, 0, 0, 1, 3]))
        out.append(make_mention(f"a{i // 3}", f"m{i}", type_, parties + persons, start, end, published,
                                rng.choice(PLACES), rng.choice(["occurred", "occurred", "planned"]),
                                rng.choice(["asserted", "asserted", "asserted", "background", "speculative"])))
    return out


def test_windows_give_the_single_process_events() -> None:
    for seed in range(2):
        mentions = _archive(seed, 3000, 400)
        expected = resolve_events(mentions, RULES)
        for size in (450, 700):  # windows of a few weeks of their own, or a few months
            assert resolve_in_windows(mentions, RULES, window_reports=size) == expected, (seed, size)


class _Recording:
    """A mapper that runs the tasks here and records, per call, the size of each task (reports)."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []
        self.days: list[list[tuple[date, date]]] = []  # the days of each task's reports, margins included

    def __call__(self, task, items):  # type: ignore[no-untyped-def]
        items = list(items)
        self.calls.append([len(t.reports) for t in items])
        self.days.append([(min(map(_day, t.reports)), max(map(_day, t.reports))) for t in items])
        return map(task, items)


def test_a_kind_that_fits_one_window_is_one_task_for_the_engine() -> None:
    """Not resolved in the calling process: a bulk load's client holds the reports, the workers
    do the resolution, whatever the archive's size (one task per kind of types that resolve together)."""
    mentions = _archive(3, 800, 200)
    mapper = _Recording()
    assert resolve_in_windows(mentions, RULES, window_reports=10_000, mapper=mapper) == resolve_events(mentions, RULES)
    sizes = Counter(RULES.kind(m.type) for m in mentions)
    assert sorted(mapper.calls) == sorted([[n] for n in sizes.values()])


def test_undated_reports_stay_in_their_windows() -> None:
    """Three reports in four undated, as in the benchmark's archives: an undated report is placed
    by its publication day and reaches no farther than the margin, so neighbouring windows agree
    at once (one call per kind of types, no joining) and no task holds more than the cap."""
    # Without MULTILATERAL, which shares its kind with CALL: every kind then has the same density,
    # so the same margins.
    mentions = [m for m in _archive(4, 3000, 400, dated=0.25) if m.type != "MULTILATERAL"]
    mapper = _Recording()
    assert resolve_in_windows(mentions, RULES, window_reports=300, mapper=mapper) == resolve_events(mentions, RULES)
    assert len(mapper.calls) == len({RULES.kind(m.type) for m in mentions})
    assert max(max(call) for call in mapper.calls) <= 300


def _stay(days: int, first: date = date(2021, 1, 1)) -> list[EventReport]:
    """A stay reported every day for ``days`` days: each report can meet the next days' ones, so
    the events of a window depend on reports far beyond its margin."""
    rng = random.Random(1)
    out = []
    for i in range(days):
        day = first + timedelta(days=i)
        out.append(make_mention(f"s{i}", f"m{i}", "VISIT", ["country:CN", "country:US", "person:wang-yi"], day,
                                day + timedelta(days=rng.choice([0, 0, 1, 2])), day, "country:US", "occurred"))
    return out


def test_a_chain_of_reports_longer_than_the_margin_is_joined_until_the_windows_agree() -> None:
    chain = _stay(300)
    mapper = _Recording()
    cap = 2 * _margin(RULES) + 20  # a day with its margins fits a task
    assert resolve_in_windows(chain, RULES, window_reports=cap, mapper=mapper) == resolve_events(chain, RULES)
    assert len(mapper.calls) > 1 and max(mapper.calls[0]) <= cap
    assert all(len(call) < len(mapper.calls[0]) for call in mapper.calls[1:])
    assert max(max(call) for call in mapper.calls) <= cap  # the joining windows too: continued, not widened


def test_pinned_reports_let_a_window_continue_the_resolution_before_it() -> None:
    """The reports of a margin before, pinned to the events the whole resolution gave them, make
    the reports after them resolve as they do with every report before - without the pins, a
    chain of reports longer than the margin is cut elsewhere."""
    chain, margin = _stay(300), timedelta(days=_margin(RULES))
    expected = resolve_events(chain, RULES)
    unpinned_differ = 0
    for cut in (date(2021, 4, 11), date(2021, 5, 31), date(2021, 7, 20)):
        part = [m for m in chain if _day(m) >= cut - margin]
        pins = {m.ref: expected[m.ref] for m in part if _day(m) < cut}
        later = [m.ref for m in part if _day(m) >= cut]
        pinned, unpinned = resolve_events(part, RULES, pins), resolve_events(part, RULES)
        assert [pinned[ref] for ref in later] == [expected[ref] for ref in later], cut
        unpinned_differ += sum(unpinned[ref] != expected[ref] for ref in later)
    assert unpinned_differ


def test_a_round_of_joining_resolves_the_disputed_days_not_whole_windows() -> None:
    """A 200-day stay in three years of other visits: the windows that hold its days disagree, and
    only the days around it are resolved again (before, two whole windows were merged, and again
    with the next until they agreed), the other windows' events standing as they were; each round
    continues from the events before its days (pinned), so no task grows past the cap."""
    background = [m for m in _archive(5, 3000, 1100) if m.type == "VISIT"]
    start, stay = date(2022, 3, 1), 200
    mentions = background + _stay(stay, start)
    mapper = _Recording()
    assert resolve_in_windows(mentions, RULES, window_reports=300, mapper=mapper) == resolve_events(mentions, RULES)
    first, *joins = mapper.calls
    assert len(first) > 2 and joins
    assert max(max(call) for call in mapper.calls) <= 300  # joining windows held to the cap too
    assert all(len(call) < len(first) for call in joins)  # the stay's days, not every window again
    reach = timedelta(days=2 * _margin(RULES))  # the stay and its margins
    for lo, hi in (span for spans in mapper.days[1:] for span in spans):
        assert start - reach <= lo and hi <= start + timedelta(days=stay) + reach, (lo, hi)


def test_windows_are_cut_between_days_and_a_day_stays_whole() -> None:
    days = sorted(date(2021, 1, 1) + timedelta(days=d) for d in [0, 0, 0, 1, 1, 2, 5, 5, 5, 5, 9])
    assert [w[:2] for w in _cuts(days, 2, 0)] == [
        (date(2021, 1, 1), date(2021, 1, 1)), (date(2021, 1, 2), date(2021, 1, 2)),
        (date(2021, 1, 3), date(2021, 1, 3)), (date(2021, 1, 6), date(2021, 1, 6)),
        (date(2021, 1, 10), date(2021, 1, 10))]  # the 3rd and the 6th would hold 5


def test_a_window_holds_at_most_the_cap_with_its_margins() -> None:
    """A denser archive gets narrower windows, not larger tasks: the reports of a window's days and
    of its margins are at most the cap, unless one day's margins alone hold more."""
    rng = random.Random(2)
    for per_day in (1, 4, 12):
        days = sorted(date(2021, 1, 1) + timedelta(days=rng.randrange(300)) for _ in range(300 * per_day))
        for first, last, margin, _ in _cuts(days, 200, 10):
            held = sum(first - timedelta(days=margin) <= d <= last + timedelta(days=margin) for d in days)
            assert held <= 200 or first == last, (per_day, first, last, held)


def test_a_window_keeps_only_the_events_that_begin_in_it() -> None:
    early = make_mention("a", "m1", "MEET", STATES[:2], "2021-03-01", None, "2021-03-01")
    late = make_mention("b", "m2", "MEET", STATES[:2], "2021-03-02", None, "2021-03-02")
    other = make_mention("c", "m3", "MEET", STATES[2:4], "2021-03-02", None, "2021-03-02")
    kept = window_task(WindowTask(date(2021, 3, 2), date(2021, 3, 31), (early, late, other)), RULES)
    assert set(kept) == {other.ref}  # the meeting of the 1st and 2nd is the window before's


def test_reports_naming_their_events_month_resolve_in_windows_as_in_one_process() -> None:
    """An undated report naming the month of an event (``kg.resolve.period``) joins it only within
    a period's reach (``_far_days``) of every day of it, so of each of its reports' first days: a
    window's margin holds both. In windows of a few reports each, the events are those of one
    process, whatever the months named (a few weeks back, far, none meeting)."""
    rng = random.Random(5)
    mentions = []
    for i in range(200):
        day = date(2021, 1, 1) + timedelta(days=rng.randrange(300))
        parties = ("country:GB", "org:g7") if i % 2 else ("country:CN", "country:US")
        if i % 3:
            mentions.append(make_mention(f"d{i}", "m", "MULTILATERAL", parties, day, None, day))
            continue
        named = day - timedelta(days=rng.randrange(-10, 70)) if i % 2 else date(2021, 1, 1) + timedelta(days=rng.randrange(300))
        report = make_mention(f"u{i}", "m", "MULTILATERAL", parties, None, None, day)
        first = named.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        mentions.append(EventReport(report.article, report.published,
                                    Event("m", "MULTILATERAL", parties, None, None, None, "occurred", "", 0.8,
                                          window=(first, last))))
    assert resolve_in_windows(mentions, RULES, window_reports=20) == resolve_events(mentions, RULES)
    assert _margin(RULES) > _far_days(RULES)
