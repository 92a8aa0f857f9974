"""Records (kg.records) travel from the extraction workers to the loading process pickled as
constructor calls; they must arrive as they left."""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime
from pathlib import Path

import pytest

from kg.errors import RecordError
from kg.extract.pipeline import Tables, extract_article
from kg.readers import read_article
from kg.records import ArticleExtraction, Event

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
