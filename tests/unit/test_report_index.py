"""The report index kept between runs (kg.graph.report_index), without a graph: the candidates of a
window as the candidate read finds them, what a batch changes, the file and its stamp."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kg.graph.report_index import ReportIndex, follows


def _row(article: str, mention: str = "m1", *, event: str = "e1", type_: str = "VISIT",
         start: str | None = "2021-03-22", published: str | None = None,
         window: tuple[str, str] | None = None) -> dict[str, Any]:
    return {"event": event, "article": article, "mention_id": mention, "type": type_,
            "participants": ["country:CN", "country:RU"], "start": start, "end": None, "published": published,
            "place": None, "status": "occurred", "modality": "asserted", "legs": 1, "trigger": None,
            "window_start": window[0] if window else None, "window_end": window[1] if window else None}


def _refs(index: ReportIndex, lo: str, hi: str, type_: str = "VISIT", skip: frozenset[str] = frozenset(),
          reports: str = "all") -> set[tuple[str, str]]:
    return {r.ref for _, r in index.candidates([{"type": type_, "lo": lo, "hi": hi, "reports": reports}], set(skip))}


def test_a_report_is_found_by_its_first_day_else_by_the_utc_day_of_its_publication() -> None:
    index = ReportIndex(("t", 1))
    index.add(_row("dated", start="2021-03-22"))
    index.add(_row("undated", start=None, published="2021-03-23T07:00:00+08:00"))  # 22 March in UTC
    index.add(_row("other type", type_="MEET"))
    assert _refs(index, "2021-03-22", "2021-03-22") == {("dated", "m1"), ("undated", "m1")}
    assert _refs(index, "2021-03-23", "2021-03-30") == set()
    assert _refs(index, "2021-03-01", "2021-03-31", skip=frozenset({"dated"})) == {("undated", "m1")}
    assert _refs(index, "2021-03-22", "2021-03-22", type_="MEET") == {("other type", "m1")}


def test_a_report_keeps_the_period_it_names() -> None:
    """Resolution keeps an undated report to events within its window: the index must give it back."""
    index = ReportIndex(("t", 1))
    index.add(_row("planned", start=None, published="2020-08-28T00:00:00Z", window=("2020-09-11", "2020-09-20")))
    index.add(_row("plain", start=None, published="2020-08-28T00:00:00Z"))
    found = {r.article: r.event.window for _, r in index.candidates([{"type": "VISIT", "lo": "2020-08-28",
                                                                       "hi": "2020-08-28", "reports": "all"}], set())}
    assert found == {"planned": (date(2020, 9, 11), date(2020, 9, 20)), "plain": None}
    assert _refs(index, "2020-08-28", "2020-08-28", reports="period") == {("planned", "m1")}  # only it reaches far


def test_a_batch_moves_reports_and_replaces_its_articles_reports() -> None:
    index = ReportIndex(("t", 1))
    index.add(_row("a", "m1"))
    index.add(_row("a", "m2", start="2021-03-25"))
    index.add(_row("b", "m1"))
    index.move(("b", "m1"), "e2")
    index.drop_articles(["a"])
    index.add(_row("a", "m3", start="2021-03-24"))
    found = {r.ref: event for event, r in index.candidates([{"type": "VISIT", "lo": "2021-03-01", "hi": "2021-03-31",
                                                                             "reports": "all"}],
                                                           set())}
    assert found == {("b", "m1"): "e2", ("a", "m3"): "e1"} and len(index) == 2


def test_the_file_is_used_only_under_the_mark_it_was_stamped_with(tmp_path: Path) -> None:
    index = ReportIndex(("t", 3))
    index.add(_row("a"))
    path = tmp_path / "cache" / "reports.pickle"
    index.save(path)
    again = ReportIndex.load(path, ("t", 3))
    assert again is not None and _refs(again, "2021-03-22", "2021-03-22") == {("a", "m1")}
    assert ReportIndex.load(path, ("t", 4)) is None and ReportIndex.load(path, ("u", 3)) is None
    assert ReportIndex.load(tmp_path / "none.pickle", ("t", 3)) is None
    path.write_bytes(b"not a pickle")
    assert ReportIndex.load(path, ("t", 3)) is None


def test_one_write_moves_the_mark_by_one() -> None:
    assert follows(("t", 3), ("t", 4))
    assert not follows(("t", 3), ("t", 5)) and not follows(("t", 3), ("u", 4))
    assert follows((None, 0), ("new", 1)) and not follows((None, 0), ("new", 2))
