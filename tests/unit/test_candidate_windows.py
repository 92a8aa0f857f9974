"""The parameters of the loader's candidate read (``kg.graph.stored.window_params``): the index is
sought once per span of days, whatever the types, and each type keeps its own windows; and the
names it asks for (``kg.resolve.link_keys``): two reports that share none never link."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from event_reports import report
from kg.graph.stored import window_params
from kg.graph.tables import WriterTables
from kg.records import EventReport
from kg.resolve import link_keys, linkable

RULES = WriterTables.load().rules


def test_overlapping_windows_of_different_types_are_sought_once() -> None:
    windows = [{"type": "MEET", "lo": "2020-01-01", "hi": "2020-01-20"},
               {"type": "MEET", "lo": "2020-03-01", "hi": "2020-03-05"},
               {"type": "VISIT", "lo": "2020-01-15", "hi": "2020-02-01"},
               {"type": "CALL", "lo": "2020-02-01", "hi": "2020-02-02"}]
    params = window_params(windows)
    assert params["spans"] == [{"lo": "2020-01-01", "hi": "2020-02-02"}, {"lo": "2020-03-01", "hi": "2020-03-05"}]
    assert params["windows"] == {"MEET": [{"lo": "2020-01-01", "hi": "2020-01-20"}, {"lo": "2020-03-01", "hi": "2020-03-05"}],
                                 "VISIT": [{"lo": "2020-01-15", "hi": "2020-02-01"}],
                                 "CALL": [{"lo": "2020-02-01", "hi": "2020-02-02"}]}


def test_every_window_day_lies_in_a_span_and_spans_do_not_overlap() -> None:
    windows = [{"type": t, "lo": f"2021-0{m}-0{d}", "hi": f"2021-0{m}-1{d}"}
               for t in ("A", "B") for m in (1, 2, 5) for d in (1, 4)]
    spans = window_params(windows)["spans"]
    assert all(a["hi"] < b["lo"] for a, b in zip(spans, spans[1:], strict=False))
    assert all(any(s["lo"] <= w["lo"] and w["hi"] <= s["hi"] for s in spans) for w in windows)


def test_no_windows_no_spans() -> None:
    assert window_params([]) == {"spans": [], "windows": {}}


_NAMES = ["country:CN", "country:US", "country:RU", "country:JP", "country:FR", "org:g7", "org:nato",
          "person:wang-yi", "person:blinken", "person:lavrov"]


@st.composite
def _report(draw: st.DrawFn) -> EventReport:
    """A report of any type, names, days, tense and modality the rules tell apart."""
    start = draw(st.none() | st.dates(date(2021, 3, 1), date(2021, 3, 12)))
    published = draw(st.dates(date(2021, 3, 1), date(2021, 3, 12)))
    return report(f"a{draw(st.integers(0, 10**6))}", draw(st.sampled_from(sorted(RULES.types | {"STATEMENT"}))),
                  tuple(draw(st.sets(st.sampled_from(_NAMES), min_size=1, max_size=6))),
                  start.isoformat() if start else None, None, published.isoformat(),
                  place=draw(st.none() | st.sampled_from(["country:CN", "country:US", "place:tokyo"])),
                  status=draw(st.sampled_from(["occurred", "planned"])),
                  modality=draw(st.sampled_from(["asserted", "background", "speculative"])))


@settings(max_examples=400, deadline=None)
@given(_report(), _report())
def test_reports_that_link_share_a_link_key(a: EventReport, b: EventReport) -> None:
    """What lets the candidate read ask only for reports naming a batch's parties and persons
    (``joinable`` links reports of the resolved types only)."""
    if {a.type, b.type} <= RULES.types and linkable(a, b, RULES):
        assert link_keys(a, RULES) & link_keys(b, RULES)  # type: ignore[operator]


def test_without_a_jaccard_threshold_any_report_may_link() -> None:
    assert link_keys(report("a"), replace(RULES, min_jaccard=0.0)) is None
