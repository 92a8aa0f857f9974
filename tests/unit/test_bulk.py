"""The pure parts of a first load by import (kg.graph.bulk): merging node rows in any order, the
importer's CSV fields, the counters summed over months, years and all time, events summarised a
chunk at a time."""

from __future__ import annotations


from collections import Counter
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kg.graph import bulk
from kg.graph.bulk import (
    ArchiveRows,
    CounterSums,
    GraphCreates,
    HeldNode,
    ImportCsv,
    _field,
)
from kg.graph.load import _merged
from kg.graph.model import graph_model
from kg.records import ArticleExtraction, ArticleMeta, Event
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

_rows = st.lists(st.tuples(
    st.tuples(st.sampled_from(["2021-03-01", "2021-03-02", ""]), st.text("ab", min_size=1, max_size=2)),
    st.fixed_dictionaries({"role": st.none() | st.sampled_from(["minister", "envoy"]),
                           "aliases": st.lists(st.sampled_from(["甲", "乙", "丙"]), unique=True)})),
    max_size=6, unique_by=lambda item: item[0])


@given(_rows, st.randoms(use_true_random=False))
def test_a_held_node_is_what_the_loader_writes_in_publication_order(rows, rnd) -> None:
    expected: dict = {}
    for _, row in sorted(rows, key=lambda item: item[0]):
        expected = _merged(expected, row)
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    held = HeldNode()
    for order, row in shuffled:
        held.add(row, order)
    assert held.row() == {k: v for k, v in expected.items() if v != [] and v is not None}


def test_fields_keep_null_apart_from_the_empty_string() -> None:
    assert _field(None) == ""
    assert _field("") == '""'
    assert _field('he said "hi",\nthen left') == '"he said ""hi"",\nthen left"'
    assert _field(["甲", "乙"]) == '"甲\x1f乙"'
    assert _field(3) == "3" and _field(0.5) == "0.5"


def test_counters_are_written_per_month_year_and_all_time(tmp_path: Path) -> None:
    out = ImportCsv(tmp_path, graph_model(), "run-1")
    sums = CounterSums(out)
    pair = ("MEET", "CN", "RU")
    sums.add_month("2020-12", Counter({("PairCount", "2020-12", pair): 1}))
    sums.add_month("2021-01", Counter({("PairCount", "2021-01", pair): 2}))
    sums.add_month("2021-03", Counter({("PairCount", "2021-03", pair): 3}))
    sums.close()
    out.close()
    lines = (tmp_path / "nodes-PairCount.csv").read_text(encoding="utf-8").splitlines()[1:]
    events = {line.split(",")[0].strip('"'): int(line.split(",")[6]) for line in lines}
    assert events == {"pair:2020-12:MEET:CN:RU": 1, "pair:2021-01:MEET:CN:RU": 2, "pair:2021-03:MEET:CN:RU": 3,
                      "pair:2020:MEET:CN:RU": 1, "pair:2021:MEET:CN:RU": 5, "pair:all:MEET:CN:RU": 6}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _article(n: int, events: list[tuple[str, str | None, tuple[str, ...]]]) -> ArticleExtraction:
    return ArticleExtraction(
        article=ArticleMeta.from_dict({"id": f"a{n}", "title": f"t{n}", "published": f"2021-03-{n + 10:02d}T08:00:00+00:00",
                                       "source": "新华网", "language": "zh"}),
        events=tuple(Event(id=f"a{n}-e{i}", type=type_, participants=who, start=_day(day), end=_day(day), place=None,
                           status="occurred", evidence=f"句{n}.{i}", confidence=0.8)
                     for i, (type_, day, who) in enumerate(events)))


def test_events_written_in_chunks_give_the_rows_written_at_once(monkeypatch) -> None:
    """A month's events (or the undated ones) are summarised a chunk at a time to bound memory;
    the chunks' rows and the counters summed from them are those of the whole month at once."""
    cn_ru, cn_us = ("country:CN", "country:RU"), ("country:CN", "country:US")
    articles = [_article(n, [("MEET", "2021-03-01", cn_ru), ("CALL", None, cn_us), ("VISIT", f"2021-0{n + 1}-02", cn_us),
                             ("MEET", "2021-03-01", ("country:RU", "person:sergey-lavrov"))]) for n in range(4)]

    def rows(chunk: int) -> dict:
        monkeypatch.setattr(bulk, "EVENTS_PER_CHUNK", chunk)
        out = GraphCreates(graph_model(), "run")
        archive = ArchiveRows(out, TABLES.rules, TABLES.titles)
        for ex in articles:
            archive.add(ex)
        archive.finish()
        return {key: sorted(map(repr, rows)) for key, rows in [*out.nodes.items(), *out.rels.items()]}

    whole = rows(10_000)
    assert whole["Event"] and whole["PairCount"] and whole["REPORTED_IN"]
    assert rows(1) == whole


def test_events_written_by_two_processes_give_the_rows_of_one(tmp_path: Path) -> None:
    """``finish(processes=2)`` writes some types' events in a forked process, to files of its own:
    together the files hold the lines one process writes."""
    cn_ru, cn_us = ("country:CN", "country:RU"), ("country:CN", "country:US")
    articles = [_article(n, [("MEET", "2021-03-01", cn_ru), ("CALL", None, cn_us), ("VISIT", f"2021-0{n + 1}-02", cn_us),
                             ("MEET", "2021-03-01", ("country:RU", "person:sergey-lavrov"))]) for n in range(4)]

    def lines(processes: int) -> tuple[dict[str, list[str]], set[tuple[str, str]]]:
        folder = tmp_path / str(processes)
        folder.mkdir()
        out = ImportCsv(folder, graph_model(), "run")
        archive = ArchiveRows(out, TABLES.rules, TABLES.titles)
        for ex in articles:
            archive.add(ex)
        archive.finish(processes=processes)
        out.close()
        nodes, rels, empty = out.files(archive.parts)
        by_name: dict[str, list[str]] = {}
        for name, path in [(":".join(labels), path) for labels, path in nodes] + rels:
            header, *rows = path.read_text(encoding="utf-8").splitlines()
            by_name.setdefault(f"{name} {header}", []).extend(rows)
        return {name: sorted(rows) for name, rows in by_name.items()}, empty

    one, two = lines(1), lines(2)
    assert len(list((tmp_path / "2").iterdir())) > len(list((tmp_path / "1").iterdir()))  # a part was written
    assert two == one
