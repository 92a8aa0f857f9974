"""The report index kept between runs (kg.graph.report_index), without a graph: the candidates of a
window as the candidate read finds them, what a batch changes, the file and its stamp."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import random
from datetime import timedelta

import pytest

from event_reports import report
from kg.graph.report_index import HEAD, UNDATED, Days, IndexedReports, ReportIndex, ShardLost, follows
from kg.graph.stored import report_of_row
from kg.graph.tables import WriterTables
from kg.resolve import CandidatePool, in_window, joinable, search_windows


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


def test_the_candidates_are_those_of_the_windows_test_on_each_report_made() -> None:
    """``candidates`` skips the rows that name no period in a "period" window before making their
    report: it gives exactly the reports (in order, each once) that ``in_window`` on every made
    report gives - dated, undated, a period of a day, of a month, of more than a month."""
    rng = random.Random(20)
    index = ReportIndex(("t", 1))
    rows = []
    for n in range(400):
        day = date(2021, 3, 1) + timedelta(days=rng.randrange(40))
        dated = rng.random() < 0.4
        span = rng.choice([None, None, 0, 10, 31, 45])
        window = None if span is None or rng.random() < 0.1 else (day.isoformat(), (day + timedelta(days=span)).isoformat())
        rows.append(_row(f"a{n % 150}", f"m{n}", event=f"e{n % 60}", type_=rng.choice(["VISIT", "MEET"]),
                         start=day.isoformat() if dated else None, published=f"{day.isoformat()}T09:00:00Z",
                         window=window if rng.random() < 0.9 else (window[0], "") if window else None))
        index.add(rows[-1])
    windows = [{"type": t, "lo": lo, "hi": hi, "reports": kind} for t in ("MEET", "VISIT")
               for lo, hi, kind in (("2021-03-05", "2021-03-12", "all"), ("2021-03-01", "2021-04-15", "period"),
                                    ("2021-03-20", "2021-03-25", "all"))]
    skip = {f"a{n}" for n in range(0, 150, 7)}
    expected, seen = [], set()
    for w in windows:
        for row in rows:
            report = report_of_row(row)
            key = (report.event.start or report.published.date()).isoformat()
            if row["type"] == w["type"] and w["lo"] <= key <= w["hi"] and row["article"] not in skip \
                    and report.ref not in seen and in_window(w, report):
                seen.add(report.ref)
                expected.append((row["event"], report))
    found = index.candidates(windows, skip)
    assert sorted((e, r.ref) for e, r in found) == sorted((e, r.ref) for e, r in expected)
    assert dict((r.ref, r) for _, r in found) == dict((r.ref, r) for _, r in expected)
    alone = {r.ref for _, r in index.candidates([w for w in windows if w["reports"] == "all"], skip)}
    assert {r.ref for _, r in found} > alone  # the period windows find reports of their own


def test_a_batch_moves_reports_and_replaces_its_articles_reports() -> None:
    index = ReportIndex(("t", 1))
    index.add(_row("a", "m1"))
    index.add(_row("a", "m2", start="2021-03-25"))
    index.add(_row("b", "m1"))
    index.move(next(r for _, r in index.candidates([{"type": "VISIT", "lo": "2021-03-22", "hi": "2021-03-22",
                                                     "reports": "all"}], {"a"})), "e2")
    index.drop_articles(["a"])
    index.add(_row("a", "m3", start="2021-03-24"))
    found = {r.ref: event for event, r in index.candidates([{"type": "VISIT", "lo": "2021-03-01", "hi": "2021-03-31",
                                                                             "reports": "all"}],
                                                           set())}
    assert found == {("b", "m1"): "e2", ("a", "m3"): "e1"} and len(index) == 2


def test_the_folder_is_used_only_under_the_mark_it_was_stamped_with(tmp_path: Path) -> None:
    index = ReportIndex(("t", 3))
    index.add(_row("a"))
    folder = tmp_path / "cache" / "reports"
    index.save(folder)
    again = ReportIndex.load(folder, ("t", 3))
    assert again is not None and _refs(again, "2021-03-22", "2021-03-22") == {("a", "m1")}
    assert ReportIndex.load(folder, ("t", 4)) is None and ReportIndex.load(folder, ("u", 3)) is None
    assert ReportIndex.load(tmp_path / "none", ("t", 3)) is None
    (folder / HEAD).write_bytes(b"not a pickle")
    assert ReportIndex.load(folder, ("t", 3)) is None


def _saved_months(tmp_path: Path) -> tuple[Path, ReportIndex]:
    """An index of reports in three months (and one without a day), written and read back."""
    index = ReportIndex(("t", 1))
    index.add(_row("jan", start="2021-01-10"))
    index.add(_row("mar", start="2021-03-22"))
    index.add(_row("mar", "m2", start=None, published="2021-04-01T02:00:00+08:00"))  # 31 March in UTC
    index.add(_row("may", start="2021-05-02", event="e5"))
    index.add(_row("nowhen", start=None))
    folder = tmp_path / "reports"
    index.save(folder)
    again = ReportIndex.load(folder, ("t", 1))
    assert again is not None and len(again) == 0  # no shard read yet
    return folder, again


def test_a_run_reads_the_months_its_windows_reach_and_writes_the_months_it_changed(tmp_path: Path) -> None:
    folder, index = _saved_months(tmp_path)
    before = {f.name for f in folder.iterdir()}
    assert _refs(index, "2021-03-20", "2021-03-31") == {("mar", "m1"), ("mar", "m2")}
    assert len(index) == 2  # March only
    index.mark = ("t", 2)
    index.add(_row("new", start="2021-03-25"))
    index.save(folder)
    after = {f.name for f in folder.iterdir()}
    assert len(before - after) == 1 and len(after - before) == 1  # March's shard, written anew
    again = ReportIndex.load(folder, ("t", 2))
    assert again is not None
    assert _refs(again, "2021-01-01", "2021-06-30") == {("jan", "m1"), ("mar", "m1"), ("mar", "m2"),
                                                        ("new", "m1"), ("may", "m1")}


def test_shards_written_ahead_are_named_only_by_the_head_saved_after(tmp_path: Path) -> None:
    """The changed shards are written while the last batch is (``write_shards``), the head only once
    it committed (``save``): a run that stops in between leaves the old head naming the old files,
    whole, and the next save deletes the files no head named. A shard changed after it was written
    ahead is written again."""
    folder, index = _saved_months(tmp_path)
    before = {f.name for f in folder.iterdir()}
    _refs(index, "2021-03-01", "2021-05-31")
    index.add(_row("new", start="2021-03-25"))
    index.write_shards(folder)
    ahead = {f.name for f in folder.iterdir()} - before
    assert len(ahead) == 1  # March's, not named yet: the run stops here
    old = ReportIndex.load(folder, ("t", 1))
    assert old is not None and _refs(old, "2021-01-01", "2021-06-30") == {("jan", "m1"), ("mar", "m1"),
                                                                          ("mar", "m2"), ("may", "m1")}
    index.add(_row("newer", start="2021-05-03"))  # a change after the shards were written
    index.mark = ("t", 2)
    index.save(folder)
    after = {f.name for f in folder.iterdir()}
    assert len(after - before) == 2 and len(before - after) == 2  # March and May anew, the old files gone
    again = ReportIndex.load(folder, ("t", 2))
    assert again is not None and _refs(again, "2021-01-01", "2021-06-30") == {
        ("jan", "m1"), ("mar", "m1"), ("mar", "m2"), ("new", "m1"), ("may", "m1"), ("newer", "m1")}
    stopped = ReportIndex.load(folder, ("t", 2))
    assert stopped is not None
    stopped.add(_row("later", start="2021-01-11"))
    stopped.write_shards(folder)  # and the run stops: its file is deleted by the next save
    again.mark = ("t", 3)
    again.save(folder)
    assert {f.name for f in folder.iterdir()} == after


def test_a_move_or_a_replaced_article_reads_its_shard_first(tmp_path: Path) -> None:
    folder, index = _saved_months(tmp_path)
    may = next(r for _, r in ReportIndex.load(folder, ("t", 1)).candidates(  # type: ignore[union-attr]
        [{"type": "VISIT", "lo": "2021-05-02", "hi": "2021-05-02", "reports": "all"}], set()))
    index.move(may, "e9")
    index.need_rows([_row("jan", start="2021-01-10"), _row("nowhen", start=None)])
    index.drop_articles(["jan", "nowhen"])
    index.add(_row("jan", "m7", start="2021-03-01"))
    index.save(folder)
    again = ReportIndex.load(folder, ("t", 1))
    assert again is not None
    found = {r.ref: event for event, r in again.candidates(
        [{"type": "VISIT", "lo": "2021-01-01", "hi": "2021-06-30", "reports": "all"}], set())}
    assert found == {("mar", "m1"): "e1", ("mar", "m2"): "e1", ("may", "m1"): "e9", ("jan", "m7"): "e1"}
    again.need([UNDATED])
    assert len(again) == 4  # the report without a day went with its article


def test_a_preload_reads_the_shards_the_windows_of_a_batch_reach_and_changes_no_candidate(tmp_path: Path) -> None:
    """``IndexedReports.preload``: the first batch's articles, as they are extracted, have the shards
    their windows reach read (as ``near`` would read them); a lost one drops the index, as there."""
    rules = WriterTables.load().rules
    batch = [report("new", start="2021-03-24")]
    windows = search_windows(batch, rules)
    folder, index = _saved_months(tmp_path)
    alone = ReportIndex.load(folder, ("t", 1))
    assert alone is not None
    expected = {r.ref for _, r in alone.candidates(windows, set())}
    reports = IndexedReports(rules, None, folder)  # type: ignore[arg-type]  # the index given: no graph read
    reports.index = index
    reports.preload(batch)
    read = len(index)
    assert read > 0 and {r.ref for _, r in index.candidates(windows, set())} == expected and len(index) == read
    pooled = index.joinable(windows, set(), batch, rules, 1)  # the days pooled by the preload
    assert pooled == joinable((r for _, r in alone.candidates(windows, set())), batch, rules, 1) and pooled
    lost = IndexedReports(rules, None, folder)  # type: ignore[arg-type]
    lost.index = ReportIndex.load(folder, ("t", 1))
    for shard in folder.glob("2021-03.*"):
        shard.unlink()
    lost.preload(batch)
    assert lost.dropped and lost.index is None


def test_a_lost_shard_is_said(tmp_path: Path) -> None:
    folder, index = _saved_months(tmp_path)
    for shard in folder.glob("2021-03.*"):
        shard.unlink()
    assert _refs(index, "2021-05-01", "2021-05-31") == {("may", "m1")}
    with pytest.raises(ShardLost):
        _refs(index, "2021-03-01", "2021-03-31")


def test_one_write_moves_the_mark_by_one() -> None:
    assert follows(("t", 3), ("t", 4))
    assert not follows(("t", 3), ("t", 5)) and not follows(("t", 3), ("u", 4))
    assert follows((None, 0), ("new", 1)) and not follows((None, 0), ("new", 2))


def test_the_rows_a_batch_writes_tell_its_reports_unless_an_undated_one_has_no_publication_time() -> None:
    """``IndexedReports.from_memory``: the graph keeps the time an earlier version of an article gave
    when the new one gives none, so an undated report of such an article is read back."""
    dated = {"to": "a1", "start": "2021-03-22"}
    undated = {"to": "a2", "start": None}
    assert IndexedReports.from_memory([dated, undated], {"a1": None, "a2": "2021-03-23T07:00:00+08:00"})
    assert IndexedReports.from_memory([dated], {"a1": None})  # a dated report's row has no time
    assert not IndexedReports.from_memory([dated, undated], {"a1": "2021-03-23T07:00:00+08:00", "a2": None})


def _random_row(rng: random.Random, article: str, mention: str) -> dict[str, Any]:
    """A report of a few days of March 2021 naming two of four states: dated, undated, or naming a period."""
    day = date(2021, 3, 1) + timedelta(days=rng.randrange(30))
    shape = rng.choice(["dated", "dated", "undated", "period"])
    window = (day.isoformat(), (day + timedelta(days=rng.choice([0, 5, 45]))).isoformat()) if shape == "period" else None
    row = _row(article, mention, event=f"e{rng.randrange(40)}", type_=rng.choice(["VISIT", "MEET"]),
               start=day.isoformat() if shape == "dated" else None, published=f"{day.isoformat()}T09:00:00Z",
               window=window)
    return row | {"participants": rng.sample(["country:CN", "country:RU", "country:US", "country:FR"], 2)}


def test_the_kept_pool_links_what_a_rebuild_from_the_candidates_links_after_inserts_moves_and_drops() -> None:
    """``ReportIndex.joinable``, from the pool the index keeps between batches, gives what
    ``joinable`` of a fresh pool of the batch's ``candidates`` gives, and their events - batch after
    batch of other windows (days first met by a "period" window, then by a window of all reports),
    the index changed in between as a batch changes it: reports inserted, re-inserted, moved to
    other events, articles dropped."""
    rules = WriterTables.load().rules
    rng = random.Random(14)
    index = ReportIndex(("t", 1))
    for n in range(300):
        index.add(_random_row(rng, f"a{n % 120}", f"m{n}"))
    linked = []
    for step in range(12):
        batch = [report_of_row(_random_row(rng, f"new{step}-{k}", "m1")) for k in range(rng.randrange(1, 6))]
        windows = search_windows(batch, rules) if step % 3 else [
            {"type": t, "lo": f"2021-03-{lo:02d}", "hi": f"2021-03-{lo + 6:02d}", "reports": rng.choice(["all", "period"])}
            for t in ("VISIT", "MEET") for lo in (rng.randrange(1, 20),)]
        skip = {f"a{n}" for n in rng.sample(range(120), 10)}
        for hops in (1, None):
            candidates = index.candidates(windows, skip)
            fresh = joinable((r for _, r in candidates), batch, rules, hops)
            kept = index.joinable(windows, skip, batch, rules, hops)
            assert kept == fresh
            linked.append(len(kept))
            assert {index.event_of(ref) for ref in kept} == {e for e, r in candidates if r.ref in fresh}
        for _, r in rng.sample(candidates, min(5, len(candidates))):
            index.move(r, f"e{rng.randrange(40)}")
        dropped = [f"a{n}" for n in rng.sample(range(120), 3)]
        index.drop_articles(dropped)
        for n in range(20):
            index.add(_random_row(rng, rng.choice([*dropped, f"b{step}-{n}", f"a{rng.randrange(120)}"]), f"m{n}"))
    assert sum(linked) > 50 and max(linked) > min(linked)


def test_a_pool_unfiles_a_report_it_was_given_and_files_one_given_out_of_order() -> None:
    """``CandidatePool.discard`` takes a report out of every day and name it is filed under, and a
    report filed after later ones is found on its days."""
    rules = WriterTables.load().rules
    mention = report("new", start="2021-03-22")
    long, late, early = (report("long", start="2021-03-20", end="2021-03-24"), report("late", start="2021-03-25"),
                         report("early", start="2021-03-21"))
    pool = CandidatePool(rules, [long, late])
    assert set(pool.joinable([mention])) == {long.ref, late.ref}
    pool.add([early])
    pool.discard(long)
    pool.discard(report("never", start="2021-03-22"))  # not filed: nothing
    assert pool.joinable([mention]) == joinable([late, early], [mention], rules) == {early.ref: 1}
    assert pool.joinable([mention], admit=lambda r: r.article != "early") == {}  # cut at the window's edge
    assert all(long not in rs for by_name in pool.filed.values() for _, rs in by_name.values())


def test_days_held_as_ranges_are_those_added() -> None:
    """``Days``: ranges added in any order, overlapping, touching or apart, hold exactly their days,
    and ``gaps`` gives the others of a span, in order."""
    rng = random.Random(7)
    for _ in range(200):
        days, held = Days(), set()
        for _ in range(rng.randrange(6)):
            lo = rng.randrange(40)
            hi = lo + rng.randrange(6)
            days.add(lo, hi)
            held |= set(range(lo, hi + 1))
            lo, hi = sorted((rng.randrange(-3, 50), rng.randrange(-3, 50)))
            assert list(days.gaps(lo, hi)) == [d for d in range(lo, hi + 1) if d not in held]
        assert {d for d in range(-3, 50) if d in days} == held
