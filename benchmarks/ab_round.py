"""One round of a before/after comparison: one measurement of the tree on PYTHONPATH, as a JSON line.

Run it alternately on two worktrees (say the branch point and HEAD), same server, same corpus; the
ratios of alternating rounds are what count on a shared machine. Used for issue 17 (README).

    PYTHONPATH=<tree> python3 <this file> extract|load-import|load-merge|dashboard|wipe CORPUS EXTRACTIONS.pkl

extract measures extraction against jieba.cut on the first 2000 articles of CORPUS and keeps the
tree's extractions in EXTRACTIONS.pkl for the loads; the loads and the dashboard use the server of
KG_HOME / KG_NEO4J_PORT (a load empties it first); the dashboard reads what the last load left.
"""

from __future__ import annotations

import inspect
import json
import os
import pickle
import sys
from itertools import islice
from pathlib import Path

from benchmarks import dashboard, extraction, loading
from benchmarks.common import load_average
from kg.errors import ReaderError
from kg.extract.pipeline import Tables, extract_many
from kg.graph.connect import open_driver
from kg.readers import read_articles

SAMPLE = 2000


def articles(folder: Path) -> list:
    return [a for a in islice(read_articles([folder]), SAMPLE) if not isinstance(a, ReaderError)]


def main() -> None:
    what, folder, cache = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    tree = os.environ["PYTHONPATH"]
    out: dict = {"what": what, "tree": tree, "load": load_average()}
    if what == "extract":
        sample = articles(folder)
        tables = Tables.load()
        extraction.extraction_rate(sample[:20], 1, tables)
        jieba_rate = extraction.jieba_rate(sample)
        rate = extraction.extraction_rate(sample, 1, tables)
        out.update(rate=rate, jieba=jieba_rate, ratio=rate / jieba_rate)
        if not cache.exists():
            cache.write_bytes(pickle.dumps(list(extract_many(sample, workers=1, tables=tables))))
    elif what.startswith("load-"):
        extractions = pickle.loads(cache.read_bytes())
        merge = what == "load-merge"
        params = inspect.signature(loading.kg_load).parameters
        with open_driver() as driver:
            if "strategy" in params:
                from kg.graph.writer import Strategy
                rows, seconds, counters = loading.kg_load(driver, extractions, Strategy.MERGE if merge else Strategy.IMPORT)
            else:
                rows, seconds, counters = loading.kg_load(driver, extractions, in_batches=merge)
        out.update(rows=rows, seconds=seconds, counters=counters)
    elif what == "wipe":
        from benchmarks.common import wipe
        with open_driver() as driver:
            wipe(driver)
    elif what == "dashboard":
        with open_driver() as driver:
            results = dashboard.run(driver, 30)
        out.update(p95={r.name: r.value for r in results})
    out["load_after"] = load_average()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
