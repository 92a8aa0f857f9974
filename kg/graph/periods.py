"""Calendar periods of the dashboard's counters (pure): the months days fall in, and how a date
range splits into whole periods the counters answer and partial months counted from raw edges.
Both sides use it: ``kg.graph.aggregates`` keeps the counters, ``kg.queries`` reads them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

MONTH, YEAR, ALL = "month", "year", "all"  # ALL: one counter per group for all time, period "all"


def month_of(day: str | date) -> str:
    """``YYYY-MM`` of a day (an ISO string or a date)."""
    return (day.isoformat() if isinstance(day, date) else day)[:7]


def months_of(days: Iterable[str | date | None]) -> set[str]:
    """The months (``YYYY-MM``) the given days fall in; None (an undated event) is skipped,
    since such events are not aggregated."""
    return {month_of(d) for d in days if d}


def next_month(month: str) -> str:
    """The month after ``YYYY-MM``."""
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def months_between(first: str, last: str) -> Iterator[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``, both included)."""
    month = first
    while month <= last:
        yield month
        month = next_month(month)


_MIN_MONTH, _MAX_MONTH = "0000-01", "9999-12"


@dataclass(frozen=True, slots=True)
class Cover:
    """A date range split into what the counters answer and what they cannot.

    ``periods``: ``{grain, first, last}`` ranges of whole months or whole years (ISO period
    strings, both included); ``days``: ``{first, last}`` ISO days of the partial months at the
    ends, to count from the raw edges. Together they cover the range exactly once.
    """

    periods: tuple[dict[str, str], ...]
    days: tuple[dict[str, str], ...]

    def params(self) -> dict[str, Any]:
        return {"periods": list(self.periods), "days": list(self.days)}


def _last_day(month: str) -> date:
    return date.fromisoformat(f"{next_month(month)}-01") - timedelta(days=1)


def _prev_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"


def _month_ranges(first: str, last: str, coarsest: str) -> list[dict[str, str]]:
    """Whole months ``first..last`` as counter ranges: whole years as year counters when
    ``coarsest`` is ``year``, the months around them as month counters."""
    if first > last:
        return []
    first_year = int(first[:4]) + (first[5:] != "01")
    last_year = int(last[:4]) - (last[5:] != "12")
    if coarsest == MONTH or first_year > last_year:
        return [{"grain": MONTH, "first": first, "last": last}]
    out = [{"grain": YEAR, "first": f"{first_year:04d}", "last": f"{last_year:04d}"}]
    if first < f"{first_year:04d}-01":
        out.insert(0, {"grain": MONTH, "first": first, "last": f"{first_year - 1:04d}-12"})
    if last > f"{last_year:04d}-12":
        out.append({"grain": MONTH, "first": f"{last_year + 1:04d}-01", "last": last})
    return out


def cover(start: date | None, end: date | None, coarsest: str = YEAR) -> Cover:
    """Split the inclusive range ``start..end`` (None: unbounded) into counters and raw days.
    Undated events fall outside every cover: they are not aggregated."""
    if start is None and end is None:
        return Cover(({"grain": ALL, "first": ALL, "last": ALL},) if coarsest == YEAR else
                     ({"grain": MONTH, "first": _MIN_MONTH, "last": _MAX_MONTH},), ())
    if start and end and start > end:
        return Cover((), ())
    days = []
    first = _MIN_MONTH if start is None else month_of(start)
    last = _MAX_MONTH if end is None else month_of(end)
    if start and end and first == last and (start.day != 1 or end != _last_day(last)):
        return Cover((), ({"first": start.isoformat(), "last": end.isoformat()},))
    if start and start.day != 1:
        days.append({"first": start.isoformat(), "last": _last_day(first).isoformat()})
        first = next_month(first)
    if end and end != _last_day(last):
        days.append({"first": f"{last}-01", "last": end.isoformat()})
        last = _prev_month(last)
    return Cover(tuple(_month_ranges(first, last, coarsest)), tuple(days))
