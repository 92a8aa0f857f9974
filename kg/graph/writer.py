"""The one writer of extractions into the graph, with the two strategies a caller chooses from.

- ``merge``: batches of ``UNWIND ... MERGE``, each resolved against what the graph holds
  (``kg.graph.load``). Right for any graph: every ``kg update``, and a ``kg load`` into a graph that
  has data. Loading the same articles again changes nothing; an article loaded again is replaced.
- ``import``: the whole archive computed at once and CREATEd (``kg.graph.bulk``): an empty graph
  only (refused otherwise), in one transaction here; ``kg load --bulk`` writes the same rows
  through ``neo4j-admin database import`` instead (``kg.pipeline.import_archive``).

The graph's state never chooses: a strategy that does not fit the graph raises LoadError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path

import neo4j

from kg.graph.bulk import create_extractions
from kg.graph.load import load_extractions
from kg.graph.stats import LoadStats
from kg.graph.tables import WriterTables
from kg.records import ArticleExtraction


class Strategy(StrEnum):
    MERGE = "merge"
    IMPORT = "import"


def write_extractions(driver: neo4j.Driver, extractions: Iterable[ArticleExtraction], *, strategy: Strategy,
                      run_id: str, tables: WriterTables, database: str | None = None, articles_per_batch: int = 200,
                      on_batch: Callable[[int], None] | None = None, index_dir: Path | None = None,
                      ordered: bool = False) -> LoadStats:
    """Write ``extractions`` by ``strategy`` (see the module docstring); ``on_batch`` is told how
    many articles each step wrote; ``tables`` are the schema's tables it needs, loaded by the caller;
    ``index_dir``: where ``merge`` keeps its report index (``kg.graph.report_index``), None for none;
    ``ordered``: ``extractions`` come in publication order already (``merge`` then need not sort them).
    The dashboard's counters are up to date when it returns."""
    if strategy is Strategy.IMPORT:
        return create_extractions(driver, extractions, run_id=run_id, tables=tables, database=database,
                                  on_batch=on_batch)
    return load_extractions(driver, extractions, run_id=run_id, tables=tables, articles_per_batch=articles_per_batch,
                            database=database, on_batch=on_batch, index_dir=index_dir, ordered=ordered)
