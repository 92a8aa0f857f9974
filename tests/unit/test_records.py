"""Records (kg.records) travel from the extraction workers to the loading process pickled as
constructor calls; they must arrive as they left."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import RecordError
from kg.extract.pipeline import Tables, extract_article
from kg.readers import read_article
from kg.records import ArticleExtraction, Event, EventReport, party_bits

_PARTIES = ["country:CN", "country:US", "country:RU", "org:eu", "org:un", "org:g7"]
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seed" / "000_4b9d46ca0c5281cf.txt"


def test_an_article_and_its_extraction_pickle_as_they_are() -> None:
    article = read_article(SEED)
    assert pickle.loads(pickle.dumps(article)) == article
    extraction = extract_article(article, Tables.load())
    assert extraction.entities and extraction.events
    assert pickle.loads(pickle.dumps(extraction)) == extraction


def test_a_jsonl_line_reads_back_typed_and_writes_the_same_line() -> None:
    extraction = extract_article(read_article(SEED), Tables.load())
    line = json.dumps(extraction.to_dict(), ensure_ascii=False)
    back = ArticleExtraction.from_dict(json.loads(line))
    assert back == extraction and json.dumps(back.to_dict(), ensure_ascii=False) == line
    assert isinstance(back.article.published, datetime)
    assert all(isinstance(ev.start, date) for ev in back.events if ev.start)


def test_an_events_window_reads_back_from_its_line() -> None:
    """The period an undated event names ([first, last]) goes through the JSONL as it is."""
    event = Event("e1", "VISIT", ("country:CN",), None, None, None, "planned", "九月中旬访问", 0.8,
                  window=(date(2020, 9, 11), date(2020, 9, 20)))
    line = event.to_dict()
    assert line["window"] == ["2020-09-11", "2020-09-20"] and Event.from_dict(line) == event
    assert Event.from_dict({**line, "window": None}).window is None


@pytest.mark.parametrize(("part", "field"), [("article", "id"), ("event", "id"), ("event", "type"),
                                             ("event", "status"), ("entity", "type")])
def test_a_missing_required_field_is_named_not_guessed(part: str, field: str) -> None:
    line = extract_article(read_article(SEED), Tables.load()).to_dict()
    target = {"article": line["article"], "event": line["events"][0], "entity": line["entities"][0]}[part]
    del target[field]
    with pytest.raises(RecordError, match=f"required field '{field}' is missing"):
        ArticleExtraction.from_dict(line)


@given(st.sets(st.sampled_from(_PARTIES)), st.sets(st.sampled_from(_PARTIES)))
def test_party_bits_count_the_shared_parties(a: set[str], b: set[str]) -> None:
    """Resolution counts the parties two reports share on their bits (``party_bits``)."""
    assert (party_bits(frozenset(a)) & party_bits(frozenset(b))).bit_count() == len(a & b)
    assert party_bits(frozenset(a)).bit_count() == len(a)


def test_a_report_pickles_as_its_arguments_and_computes_its_bits() -> None:
    """A report's ``bits`` are of its process's alphabet: pickled, it is rebuilt from its
    arguments (another process computes its own bits), equal to the one that left."""
    event = Event("e1", "MEET", ("country:CN", "org:eu", "person:wang-yi"), date(2025, 1, 2), None, None,
                  "occurred", "会谈", 0.9)
    report = EventReport("a1", datetime(2025, 1, 2, tzinfo=UTC), event, 2)
    assert report.__reduce__() == (EventReport, ("a1", report.published, event, 2))
    back = pickle.loads(pickle.dumps(report))
    assert back == report and back.bits == party_bits(back.parties) and back.parties == {"country:CN", "org:eu"}


@given(st.lists(st.sampled_from([*_PARTIES, "person:wang-yi", "person:blinken", "place:paris", "topic:trade"]),
                max_size=6))
def test_a_reports_participants_are_split_by_kind_once_per_list(participants: list[str]) -> None:
    """``EventReport`` splits its participants by their ids' labels (states and organisations are
    parties, persons apart, places and the rest neither), the same sets for every report of the
    same list of participants (``_split``, made once per list)."""
    event = Event("e1", "MEET", tuple(participants), date(2025, 1, 2), None, None, "occurred", "会谈", 0.9)
    a = EventReport("a1", datetime(2025, 1, 2, tzinfo=UTC), event)
    b = EventReport("a2", None, event)
    assert a.parties == {p for p in participants if p.startswith(("country:", "org:"))}
    assert a.orgs == {p for p in participants if p.startswith("org:")}
    assert a.persons == {p for p in participants if p.startswith("person:")}
    assert a.bits == party_bits(a.parties)
    assert (a.parties, a.orgs, a.persons, a.bits) == (b.parties, b.orgs, b.persons, b.bits)
