"""Records (kg.records) travel from the extraction workers to the loading process pickled as
constructor calls; they must arrive as they left."""

from __future__ import annotations

import pickle
from pathlib import Path

from kg.extract.pipeline import Tables, extract_article
from kg.readers import read_article

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seed" / "000_4b9d46ca0c5281cf.txt"


def test_an_article_and_its_extraction_pickle_as_they_are() -> None:
    article = read_article(SEED)
    assert pickle.loads(pickle.dumps(article)) == article
    extraction = extract_article(article, Tables.load())
    assert extraction.entities and extraction.events
    assert pickle.loads(pickle.dumps(extraction)) == extraction
