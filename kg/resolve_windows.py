"""Cross-article resolution a time window at a time, so that no process needs every report.

``kg.resolve.resolve_events`` takes every report of an archive at once. But a report can only
join reports near it in time (every rule of ``schema/resolution.yaml`` is a window of days), so
the reports of each kind of types are cut, in the order of their day, into windows, and each
window is resolved alone, as a pure task that an engine can run anywhere (``kg.engine``):

* a window's task gets its own reports plus a *margin* on either side: the reports whose day lies
  within ``margin_days`` (``_margin``: the farthest two linkable reports' days can be apart) of it;
* it resolves them with ``resolve_events`` and keeps the events it *owns*: those whose earliest
  report lies in the window itself. An event that begins in the margin before is the window
  before's; one that runs on into the margin after is its own (its earliest report is here).

What bounds a worker's memory is the reports of its task, margins included, so the windows are cut
to hold at most ``window_reports`` of them (``engine.window_reports`` in kg.yaml): cut between days,
as many days as fit with their margins (so the cut depends only on the set of reports). A denser
archive gets narrower windows, not larger tasks; only a single day whose margins alone hold more
than the cap makes a larger task (one day at least is a window's own).

Joining at the edges, deterministically: every report must come out of exactly one window's kept
events, with the event id the single-process resolution gives (ids are hashes of the event's
smallest key, whichever window computes them). Where neighbours disagree about reports near
their edge - a chain of reports longer than the margin made one of them cut an event the other
kept whole - only the disputed events are resolved again: the days where they begin (and a
margin before a report no window kept) are taken from the windows that held them (whose other
events stand) and cut into joining windows as the first windows are, held to the same cap, with
the same margin. What the margin lacked was the resolution before it, not more reports: so a
joining window's task *pins* the reports of its margin before to the events the round before gave
them (``resolve_events(..., pinned)``), and its own reports decide as they would after every
report before. Where the windows after it still disagree, the next round continues from its
events, so a chain is settled a window further each round, and no task grows. Should a round
give what a round before gave (the pins settled nothing), the disputed days are resolved from
then on as before the pins: one window per span of days, with twice the margin of the windows
around, not held to the cap. The tests compare the result with the single-process one;
benchmarks/README.md gives the memory per worker, the tasks' sizes and the rounds of joining.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import NamedTuple

from kg.config import DEFAULT_WINDOW_REPORTS
from kg.records import EventReport
from kg.resolve import MentionRef, ResolutionRules, _far_days, _reach_days, _resolvable, resolve_events

# The longest day range a report is indexed under (``kg.resolve._days``: at most a month of it).
_LONGEST_RANGE = 31

Assigned = dict[MentionRef, str]  # report -> event id: the events a window keeps


def _margin(rules: ResolutionRules) -> int:
    """How many days apart the first days of two reports that can meet in one event may be: the
    widest rule window (``_reach_days``) past the end of a range of up to a month, or a period's
    reach (``_far_days``). A report naming a period reaches farther than any other, but it joins
    an event only when published within that reach of *every* day of it, so of the first day of
    each of its reports: the margin of the other reports holds it whenever ``period_reach_days``
    exceeds the widest rule window by less than a month, and the tasks stay as they are."""
    return max(_reach_days(rules) + _LONGEST_RANGE + 1, _far_days(rules) + 1)


def _day(m: EventReport) -> date:
    """The day a report is placed by: its first day, else its publication day."""
    day = m.event.start or m.published_on
    assert day is not None  # (resolvable reports have one)
    return day


def _shift(day: date, days: int) -> date:
    return date.fromordinal(min(max(1, day.toordinal() + days), date.max.toordinal()))


@dataclass(frozen=True, slots=True)
class WindowTask:
    """One window's work: the reports with their day in ``[first, last]`` are its own; ``reports``
    also holds the margins around them; ``pinned``, the events already known of reports of the
    margin before (a joining window continuing its neighbours' resolution)."""

    first: date
    last: date
    reports: tuple[EventReport, ...]
    pinned: tuple[tuple[MentionRef, str], ...] = ()


class Window(NamedTuple):
    """The days a window owns, how many days of margin its task holds on either side, and whether
    the reports of its margin before keep the events the windows around have given them."""

    first: date
    last: date
    margin: int
    pinned: bool = False


def window_task(task: WindowTask, rules: ResolutionRules) -> Assigned:
    """Resolve a window with its margins and keep the events whose earliest report is its own
    (pure: what an engine's worker runs)."""
    assigned = resolve_events(task.reports, rules, dict(task.pinned))
    by_event: dict[str, list[EventReport]] = defaultdict(list)
    for m in task.reports:
        by_event[assigned[m.ref]].append(m)
    return {m.ref: eid for eid, members in by_event.items()
            if task.first <= min(map(_day, members)) <= task.last for m in members}


Mapper = Callable[[Callable[[WindowTask], Assigned], Iterable[WindowTask]], Iterator[Assigned]]


def resolve_in_windows(mentions: Iterable[EventReport], rules: ResolutionRules, *,
                       window_reports: int = DEFAULT_WINDOW_REPORTS, mapper: Mapper = map) -> Assigned:
    """What ``resolve_events`` gives, computed a window at a time, no task holding more than
    ``window_reports`` reports but for one day's margins; ``mapper`` runs the windows' tasks
    (``map`` here, ``kg.engine.windows_on`` on a cluster) and gives their results in order."""
    out: Assigned = {}
    by_kind: dict[str, list[EventReport]] = defaultdict(list)
    for m in mentions:
        if _resolvable(m, rules):
            by_kind[rules.kind(m.type)].append(m)
        else:
            out[m.ref] = m.event.id
    for kind in sorted(by_kind):
        out.update(_resolve_kind(sorted(by_kind[kind], key=_day), rules, window_reports, mapper))
    return out


class _Kind:
    """One kind's reports in day order, and the day of each (by reference)."""

    def __init__(self, reports: list[EventReport], margin: int) -> None:
        self.reports, self.margin = reports, margin
        self.days = [_day(m) for m in reports]
        self.day_of = {m.ref: day for m, day in zip(reports, self.days)}

    def task(self, w: Window, known: Assigned) -> WindowTask:
        """A window's task; a pinned window's takes the events ``known`` of its margin before."""
        lo = bisect_left(self.days, _shift(w.first, -w.margin))
        hi = bisect_right(self.days, _shift(w.last, w.margin))
        reports = tuple(self.reports[lo:hi])
        start = bisect_left(self.days, w.first) - lo
        pinned = tuple((m.ref, known[m.ref]) for m in reports[:start] if m.ref in known) if w.pinned else ()
        return WindowTask(w.first, w.last, reports, pinned)

    def starts(self, assigned: Assigned) -> dict[str, date]:
        """The day each event of a window's result begins."""
        out: dict[str, date] = {}
        for ref, eid in assigned.items():
            day = self.day_of[ref]
            if eid not in out or day < out[eid]:
                out[eid] = day
        return out


def _resolve_kind(reports: list[EventReport], rules: ResolutionRules, window_reports: int,
                  mapper: Mapper) -> Assigned:
    """One kind's reports (in day order) through windows, joined where neighbours disagree. A kind
    that fits one window is a task too: the resolution runs on the engine, never in this process."""
    kind = _Kind(reports, _margin(rules))
    windows: list[tuple[Window, Assigned | None]] = [(w, None) for w in _cuts(kind.days, window_reports, kind.margin)]
    rounds: list[list[tuple[Window, Assigned]]] = []  # the windows each round resolved, with their results
    widened = False  # whether pinned joining windows settled nothing, so margins grow instead
    known: Assigned = {}  # the events of the round before, disputed or not: what joining windows pin
    while True:
        todo = [w for w, result in windows if result is None]
        ran = list(zip(todo, mapper(partial(window_task, rules=rules), [kind.task(w, known) for w in todo])))
        done = iter(result for _, result in ran)
        windows = [(w, next(done) if result is None else result) for w, result in windows]
        disputed = _disputed_days(kind, [(w, r) for w, r in windows if r is not None])
        known = {ref: eid for _, result in windows if result for ref, eid in result.items()}
        if not disputed:
            return known
        widened = widened or ran in rounds  # a round that gave what one before gave: no progress
        joining = _widened(disputed, windows, kind.margin) if widened else _continuing(disputed, kind, window_reports)
        windows = _rejoined(kind, windows, joining)
        rounds.append(ran)


def _cuts(days: list[date], cap: int, margin: int, span: tuple[date, date] | None = None,
          pinned: bool = False) -> list[Window]:
    """Windows of as many whole days as fit with their margins in ``cap`` reports (one day at
    least: a day's reports stay together), over the days of ``span`` (every day without)."""
    windows: list[Window] = []
    start, stop = (bisect_left(days, span[0]), bisect_right(days, span[1])) if span else (0, len(days))
    while start < stop:
        limit = bisect_left(days, _shift(days[start], -margin)) + cap  # the first report the task cannot hold
        end = stop
        if limit < len(days):  # the last day whose margin after ends before that report's day
            end = min(stop, max(bisect_right(days, days[start]), bisect_right(days, _shift(days[limit], -margin - 1))))
        windows.append(Window(days[start], days[end - 1], margin, pinned))
        start = end
    return windows


def _disputed_days(kind: _Kind, results: list[tuple[Window, Assigned]]) -> list[date]:
    """The days where events that windows disagree about begin: a report kept by no window (its
    event begins within a margin before it) or by two with different events, or an event id kept
    by two windows; of each such event, as each window has it, its first day."""
    owner: dict[MentionRef, int] = {}
    where: dict[str, int] = {}
    marked: set[tuple[int, str]] = set()  # (window, event id)
    for i, (_, result) in enumerate(results):
        for ref, eid in result.items():
            j = owner.setdefault(ref, i)
            if j != i and results[j][1][ref] != eid:
                marked |= {(j, results[j][1][ref]), (i, eid)}
            k = where.setdefault(eid, i)
            if k != i:
                marked |= {(k, eid), (i, eid)}
    days = {day for ref, day in kind.day_of.items() if ref not in owner for day in (_shift(day, -kind.margin), day)}
    starts = {i: kind.starts(results[i][1]) for i in {i for i, _ in marked}}
    days.update(starts[i][eid] for i, eid in marked)
    return sorted(days)


def _groups(days: list[date], base: int) -> list[tuple[date, date]]:
    """The disputed days in spans: days at most ``base`` apart are one."""
    groups = [(days[0], days[0])]
    for day in days[1:]:
        if (day - groups[-1][1]).days <= base:
            groups[-1] = (groups[-1][0], day)
        else:
            groups.append((day, day))
    return groups


def _continuing(days: list[date], kind: _Kind, cap: int) -> list[Window]:
    """The windows that resolve the disputed days again, held to the cap: each span of disputed
    days cut as the first windows are, with the margin of every window, the reports of their margin
    before keeping the events the windows around gave them (pinned). A chain of reports longer
    than the margin is thus continued from the events before it, not resolved again from its start:
    where the windows after a joining one still disagree, the next round continues from it."""
    return [w for span in _groups(days, kind.margin) for w in _cuts(kind.days, cap, kind.margin, span, pinned=True)]


def _widened(days: list[date], windows: list[tuple[Window, Assigned | None]], base: int) -> list[Window]:
    """Joining windows not held to the cap, for days whose pinned joining settled nothing: each span
    of disputed days is one window, with twice the largest margin of the windows it takes days from
    or touches. Where one of these joined before (its margin grew), the chain outran that margin too
    and its neighbours' events nearby are as doubtful: the new window also takes that margin's days
    on either side."""
    out: list[Window] = []
    for lo, hi in _groups(days, base):
        near = max((w.margin for w, _ in windows if w.first <= _shift(hi, 1) and _shift(lo, -1) <= w.last), default=base)
        wide = near if near > base else 0
        joined = Window(_shift(lo, -wide), _shift(hi, wide), 2 * near)
        while out and joined.first <= _shift(out[-1].last, 1):  # widened into those before: one window
            joined = Window(out[-1].first, max(joined.last, out[-1].last), max(joined.margin, out[-1].margin))
            out.pop()
        out.append(joined)
    return out


def _rejoined(kind: _Kind, windows: list[tuple[Window, Assigned | None]],
              joining: list[Window]) -> list[tuple[Window, Assigned | None]]:
    """The joining windows, to be resolved, and the rest of the days of the windows they take days
    from: those keep the events that begin in them, without resolving again."""
    spans = [(w.first, w.last) for w in joining]
    out: list[tuple[Window, Assigned | None]] = [(w, None) for w in joining]
    for w, result in windows:
        assert result is not None
        starts = kind.starts(result)
        for first, last in _outside(w.first, w.last, spans):
            kept = {ref: eid for ref, eid in result.items() if first <= starts[eid] <= last}
            out.append((Window(first, last, w.margin), kept))
    return sorted(out, key=lambda pair: pair[0].first)


def _outside(first: date, last: date, spans: list[tuple[date, date]]) -> Iterator[tuple[date, date]]:
    """The parts of the days ``[first, last]`` outside every span (spans sorted, apart)."""
    for lo, hi in spans:
        if hi < first or lo > last:
            continue
        if first < lo:
            yield first, _shift(lo, -1)
        first = _shift(hi, 1)
        if first > last:
            return
    yield first, last
