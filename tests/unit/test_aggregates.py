"""The pure parts of the pre-aggregates (issue 7): months of days, and how a date range splits into
counters and raw days (no server)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.graph.aggregates import counter_rows
from kg.graph.model import graph_model
from kg.graph.periods import cover, months_between, months_of, next_month
from kg.queries import date_index_reads_less, window_start


def test_months_of_skips_undated_days() -> None:
    assert months_of(["2021-03-22", date(2021, 3, 1), None, "2020-12-31", ""]) == {"2021-03", "2020-12"}
    assert months_of([]) == set()


def test_months_roll_over_the_year() -> None:
    assert next_month("2020-12") == "2021-01"
    assert list(months_between("2020-11", "2021-02")) == ["2020-11", "2020-12", "2021-01", "2021-02"]
    assert list(months_between("2021-02", "2021-01")) == []


def test_counter_rows_spell_out_period_type_and_dims_in_the_id() -> None:
    pair = graph_model().counters["PairCount"]
    rows = counter_rows(pair, "month", [{"period": "2021-03", "type": "VISIT", "a": "CN", "b": "RU", "events": 2},
                                        {"period": "2021-03", "type": "CALL", "a": "CN", "b": "US", "events": 0}])
    assert rows == [{"id": "pair:2021-03:VISIT:CN:RU", "grain": "month", "period": "2021-03", "type": "VISIT",
                     "a": "CN", "b": "RU", "events": 2}]


def periods(start: date | None, end: date | None, coarsest: str = "year") -> list[tuple[str, str, str]]:
    return [(p["grain"], p["first"], p["last"]) for p in cover(start, end, coarsest).periods]


def days(start: date | None, end: date | None) -> list[tuple[str, str]]:
    return [(d["first"], d["last"]) for d in cover(start, end).days]


def test_no_bounds_reads_the_all_time_counters() -> None:
    assert periods(None, None) == [("all", "all", "all")]
    assert periods(None, None, "month") == [("month", "0000-01", "9999-12")]
    assert days(None, None) == []


def test_whole_years_and_months_need_no_raw_days() -> None:
    assert periods(date(2020, 1, 1), date(2020, 12, 31)) == [("year", "2020", "2020")]
    assert periods(date(2020, 3, 1), date(2020, 4, 30)) == [("month", "2020-03", "2020-04")]
    assert days(date(2020, 3, 1), date(2020, 2, 29)) == []


def test_partial_months_at_the_ends_are_raw_days() -> None:
    start, end = date(2019, 11, 5), date(2022, 2, 10)
    assert periods(start, end) == [("month", "2019-12", "2019-12"), ("year", "2020", "2021"),
                                   ("month", "2022-01", "2022-01")]
    assert days(start, end) == [("2019-11-05", "2019-11-30"), ("2022-02-01", "2022-02-10")]
    assert periods(start, end, "month") == [("month", "2019-12", "2022-01")]


@pytest.mark.parametrize(("start", "end"), [(date(2020, 3, 15), date(2020, 3, 20)),
                                            (date(2020, 2, 1), date(2020, 2, 28))])
def test_a_range_within_one_month_is_all_raw(start: date, end: date) -> None:
    assert periods(start, end) == []
    assert days(start, end) == [(start.isoformat(), end.isoformat())]


def test_open_ended_ranges() -> None:
    assert periods(date(2023, 12, 31), None) == [("year", "2024", "9999")]
    assert days(date(2023, 12, 31), None) == [("2023-12-31", "2023-12-31")]
    assert periods(None, date(2020, 6, 15)) == [("year", "0000", "2019"), ("month", "2020-01", "2020-05")]


def test_window_start_is_where_one_actor_alone_reaches_the_limit() -> None:
    monthly = [{"actor_id": "cn", "month": "2024-01", "events": 3}, {"actor_id": "us", "month": "2024-02", "events": 2},
               {"actor_id": "cn", "month": "2024-02", "events": 1}, {"actor_id": "cn", "month": "2024-03", "events": 1}]
    assert window_start(monthly, 2) == "2024-02"  # cn: 2 from February (us's 2 may be the same events)
    assert window_start(monthly, 5) == "2024-01"
    assert window_start(monthly, 6) is None
    assert window_start([], 1) is None


def test_the_date_index_serves_busy_actors_recent_weeks_not_rare_actors_years() -> None:
    archive = 2_700_000  # every party's dated edges
    assert date_index_reads_less(in_window=1_500, actors_total=62_000, all_total=archive)  # three busy states
    assert not date_index_reads_less(in_window=500, actors_total=2_000, all_total=archive)  # a minister's last years
    assert not date_index_reads_less(in_window=500, actors_total=500, all_total=archive)  # all of a rare actor
