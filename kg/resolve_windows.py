"""Cross-article resolution a time window at a time, so that no process needs every report.

``kg.resolve.resolve_events`` takes every report of an archive at once. But a report can only
join reports near it in time (every rule of ``schema/resolution.yaml`` is a window of days), so
the reports of each type are cut, in the order of their day, into windows of about
``window_reports`` reports (``engine.window_reports`` in kg.yaml) (cut between days, so the cut depends only on the set of reports), and
each window is resolved alone, as a pure task that an engine can run anywhere (``kg.engine``):

* a window's task gets its own reports plus a *margin* on either side: the reports whose day lies
  within ``margin_days`` (``_margin``: the farthest two linkable reports' days can be apart) of it;
* it resolves them with ``resolve_events`` and keeps the events it *owns*: those whose earliest
  report lies in the window itself. An event that begins in the margin before is the window
  before's; one that runs on into the margin after is its own (its earliest report is here).

Joining at the edges, deterministically: every report must come out of exactly one window's kept
events, with the event id the single-process resolution gives (ids are hashes of the event's
smallest key, whichever window computes them). Where two neighbouring windows disagree about a
report near their edge - a chain of reports longer than the margin made one of them cut an event
the other kept whole - the two windows are merged into one and resolved again, until none
disagree: the worst case is one window, ``resolve_events`` itself as one task. A type that fits
one window is such a task from the start (still on the engine, not in the calling process). The
tests compare the result with the single-process one; benchmarks/README.md gives the memory per
worker, the tasks' sizes and the rounds of merging.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from datetime import date

from kg.config import DEFAULT_WINDOW_REPORTS
from kg.records import EventReport
from kg.resolve import MentionRef, ResolutionRules, _reach_days, _resolvable, resolve_events

# The longest day range a report is indexed under (``kg.resolve._days``: at most a month of it).
_LONGEST_RANGE = 31


def _margin(rules: ResolutionRules) -> int:
    """How many days apart the first days of two reports that can meet in one event may be: the
    widest rule window (``_reach_days``) past the end of a range of up to a month."""
    return _reach_days(rules) + _LONGEST_RANGE + 1


def _day(m: EventReport) -> date:
    """The day a report is placed by: its first day, else its publication day."""
    day = m.event.start or m.published_on
    assert day is not None  # (resolvable reports have one)
    return day


@dataclass(frozen=True, slots=True)
class WindowTask:
    """One window's work: the reports with their day in ``[first, last]`` are its own; ``reports``
    also holds the margins around them."""

    first: date
    last: date
    reports: tuple[EventReport, ...]


def window_task(task: WindowTask, rules: ResolutionRules) -> dict[MentionRef, str]:
    """Resolve a window with its margins and keep the events whose earliest report is its own
    (pure: what an engine's worker runs)."""
    assigned = resolve_events(task.reports, rules)
    by_event: dict[str, list[EventReport]] = defaultdict(list)
    for m in task.reports:
        by_event[assigned[m.ref]].append(m)
    return {m.ref: eid for eid, members in by_event.items()
            if task.first <= min(map(_day, members)) <= task.last for m in members}


Mapper = Callable[[Callable[[WindowTask], dict[MentionRef, str]], Iterable[WindowTask]], Iterator[dict[MentionRef, str]]]


def resolve_in_windows(mentions: Iterable[EventReport], rules: ResolutionRules, *,
                       window_reports: int = DEFAULT_WINDOW_REPORTS, mapper: Mapper = map) -> dict[MentionRef, str]:
    """What ``resolve_events`` gives, computed a window at a time; ``mapper`` runs the windows'
    tasks (``map`` here, ``kg.engine.in_order`` on a cluster) and gives their results in order."""
    out: dict[MentionRef, str] = {}
    by_type: dict[str, list[EventReport]] = defaultdict(list)
    for m in mentions:
        if _resolvable(m, rules):
            by_type[rules.kind(m.type)].append(m)
        else:
            out[m.ref] = m.event.id
    for type_ in sorted(by_type):
        out.update(_resolve_type(sorted(by_type[type_], key=_day), rules, window_reports, mapper))
    return out


def _resolve_type(reports: list[EventReport], rules: ResolutionRules, window_reports: int,
                  mapper: Mapper) -> dict[MentionRef, str]:
    """One type's reports (in day order) through windows, merged where neighbours disagree. A type
    that fits one window is a task too: the resolution runs on the engine, never in this process."""
    days = [_day(m) for m in reports]
    bounds = _cuts(days, window_reports)
    while True:
        tasks = [_task(reports, days, first, last, _margin(rules)) for first, last in bounds]
        results = list(mapper(partial(window_task, rules=rules), tasks))
        disputed = _disputes(reports, days, bounds, results)  # none when one window is left
        if not disputed:
            return {ref: eid for result in results for ref, eid in result.items()}
        bounds = _merge(bounds, disputed)


def _cuts(days: list[date], size: int) -> list[tuple[date, date]]:
    """Windows of about ``size`` reports, cut between two days (a day's reports stay together)."""
    bounds: list[tuple[date, date]] = []
    start = 0
    while start < len(days):
        end = bisect_right(days, days[min(start + size, len(days)) - 1])  # to the end of that day
        bounds.append((days[start], days[end - 1]))
        start = end
    return bounds


def _task(reports: list[EventReport], days: list[date], first: date, last: date, margin: int) -> WindowTask:
    lo = bisect_left(days, date.fromordinal(max(1, first.toordinal() - margin)))
    hi = bisect_right(days, date.fromordinal(last.toordinal() + margin))
    return WindowTask(first, last, tuple(reports[lo:hi]))


def _disputes(reports: list[EventReport], days: list[date], bounds: list[tuple[date, date]],
              results: list[dict[MentionRef, str]]) -> set[int]:
    """The windows (by index) whose edge is disputed: a report kept by no window or by two with
    different events, or an event id given by two windows."""
    disputed: set[int] = set()
    owner: dict[MentionRef, int] = {}
    for i, result in enumerate(results):
        for ref, eid in result.items():
            j = owner.setdefault(ref, i)
            if j != i and results[j][ref] != eid:
                disputed |= {j, i}
    firsts = [first for first, _ in bounds]
    for m, day in zip(reports, days):
        if m.ref not in owner:  # its event's earliest report fell in no window that kept it
            disputed.add(max(0, bisect_right(firsts, day) - 1))
    where: dict[str, int] = {}
    for i, result in enumerate(results):
        for eid in set(result.values()):
            j = where.setdefault(eid, i)
            if j != i:
                disputed |= {j, i}
    return disputed


def _merge(bounds: list[tuple[date, date]], disputed: set[int]) -> list[tuple[date, date]]:
    """Each disputed window joined with the window after it (the last with the one before)."""
    joined = set()
    for i in disputed:
        joined.add(min(i, len(bounds) - 2))
    out: list[tuple[date, date]] = []
    for i, (first, last) in enumerate(bounds):
        if out and i - 1 in joined:
            out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return out
