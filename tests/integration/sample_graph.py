"""The bundled sample (``sample/articles``) extracted and loaded: the graph several integration
tests query (cookbook recipes, analytics, RDF round trip). Imported by those tests' fixtures."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import neo4j

from kg.extract.pipeline import Tables, extract_many
from kg.graph.load import (
    apply_schema,
    finish_run,
    load_extractions,
    load_roles,
    start_run,
)
from kg.readers import read_articles
from kg.records import Article, ArticleExtraction
from kg.resolve import gazetteer_roles
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

SAMPLE = Path(__file__).resolve().parents[2] / "sample" / "articles"


@cache
def sample_extractions() -> tuple[ArticleExtraction, ...]:
    """The sample's extractions (computed once per test session)."""
    articles = [a for a in read_articles([str(SAMPLE)]) if isinstance(a, Article)]
    return tuple(extract_many(articles, workers=1))


def load_sample(driver: neo4j.Driver, run_id: str = "sample-run") -> None:
    """Wipe the database and load the sample as `kg load` would, with the gazetteer's roles."""
    driver.execute_query("MATCH (n) DETACH DELETE n")
    apply_schema(driver)
    start_run(driver, run_id, "load sample")
    stats = load_extractions(driver, sample_extractions(), tables=TABLES, run_id=run_id)
    load_roles(driver, gazetteer_roles(Tables.load().gazetteer.entries.values()), run_id=run_id)
    finish_run(driver, run_id, stats)

