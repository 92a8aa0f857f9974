"""The parameters of the loader's candidate read (``kg.graph.stored.window_params``): the index is
sought once per span of days, whatever the types, and each type keeps its own windows; the windows
of reports naming a period (``kg.resolve.search_windows``) apart."""

from __future__ import annotations

from kg.graph.stored import window_params


def test_overlapping_windows_of_different_types_are_sought_once() -> None:
    windows = [{"type": "MEET", "lo": "2020-01-01", "hi": "2020-01-20", "reports": "all"},
               {"type": "MEET", "lo": "2020-03-01", "hi": "2020-03-05", "reports": "all"},
               {"type": "VISIT", "lo": "2020-01-15", "hi": "2020-02-01", "reports": "all"},
               {"type": "CALL", "lo": "2020-02-01", "hi": "2020-02-02", "reports": "all"},
               {"type": "MEET", "lo": "2020-05-01", "hi": "2020-06-01", "reports": "period"}]
    params = window_params(windows)
    assert params["spans"] == [{"lo": "2020-01-01", "hi": "2020-02-02"}, {"lo": "2020-03-01", "hi": "2020-03-05"}]
    assert params["windows"] == {"MEET": [{"lo": "2020-01-01", "hi": "2020-01-20"}, {"lo": "2020-03-01", "hi": "2020-03-05"}],
                                 "VISIT": [{"lo": "2020-01-15", "hi": "2020-02-01"}],
                                 "CALL": [{"lo": "2020-02-01", "hi": "2020-02-02"}]}
    assert params["far"] == [{"lo": "2020-05-01", "hi": "2020-06-01"}]
    assert params["periods"] == {"MEET": [{"lo": "2020-05-01", "hi": "2020-06-01"}]}


def test_every_window_day_lies_in_a_span_and_spans_do_not_overlap() -> None:
    windows = [{"type": t, "lo": f"2021-0{m}-0{d}", "hi": f"2021-0{m}-1{d}", "reports": "all"}
               for t in ("A", "B") for m in (1, 2, 5) for d in (1, 4)]
    spans = window_params(windows)["spans"]
    assert all(a["hi"] < b["lo"] for a, b in zip(spans, spans[1:], strict=False))
    assert all(any(s["lo"] <= w["lo"] and w["hi"] <= s["hi"] for s in spans) for w in windows)


def test_no_windows_no_spans() -> None:
    assert window_params([]) == {"spans": [], "windows": {}, "far": [], "periods": {}}
