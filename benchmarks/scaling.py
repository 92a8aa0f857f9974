"""Extraction throughput of the Dask engine with 1 and 2 workers against the local engine, and a
projection to N workers from the measured cost of a partition and the serial parts (issue 20).

    python benchmarks/scaling.py --articles 300 --partition 25 --rounds 2

The real corpus's Chinese articles (files, read by the workers as a cluster would read them) go
through ``kg.engine.extract_partitions``; rounds alternate the engines so that the shared machine's
load falls on all of them alike. The clusters are started and every process's tables loaded before
the clock starts (a long run pays that once). Per-partition compute times come from Dask's task stream; the
client's own work on a partition (JSON encoding and writing it) is timed apart: it is the part
that does not spread over workers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from distributed import Client, LocalCluster, get_task_stream

from benchmarks.common import load_average
from benchmarks.synth import DEFAULT_CORPUS
from kg.config import EngineSettings
from kg.engine import _worker_tables, extract_partition, extract_partitions, in_order
from kg.extract.pipeline import read_and_extract
from kg.graph.rows import batched
from kg.partitions import write_partition
from kg.readers.files import iter_article_paths
from kg.records import ArticleExtraction


def local_rate(files: list[str], partition: int) -> float:
    """The local engine in one process (its tables loaded beforehand, as the workers' are)."""
    tables = _worker_tables()
    began = time.perf_counter()
    count = sum(len(p) for p in batched(read_and_extract(map(Path, files), tables), partition))
    return count / (time.perf_counter() - began)


def dask_rate(client: Client, files: list[str], partition: int) -> tuple[float, list[float]]:
    """Articles per second on the cluster, and each partition's compute time on its worker."""
    chunks = [files[i:i + partition] for i in range(0, len(files), partition)]
    with get_task_stream(client) as stream:
        began = time.perf_counter()
        count = sum(len(p) for p in in_order(client, extract_partition, chunks))
        wall = time.perf_counter() - began
    computes = [s["stop"] - s["start"] for t in stream.data for s in t["startstops"] if s["action"] == "compute"]
    return count / wall, computes


def client_cost(files: list[str], partition: int) -> tuple[float, float]:
    """Seconds the client spends on one partition (encoding and writing it), and bytes per article
    of the JSONL sent back (what the network carries from the workers)."""
    records = [r for p in extract_partitions(files[:partition], EngineSettings("local", partition_size=partition))
               for r in p if isinstance(r, ArticleExtraction)]
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        path = write_partition(Path(folder), 0, records)
        spent = time.perf_counter() - began
        size = path.stat().st_size
    return spent, size / max(1, len(records))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--partition", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    files = [str(p) for p in iter_article_paths([DEFAULT_CORPUS / "zh"])][:args.articles]
    in_bytes = sum(Path(f).stat().st_size for f in files) / len(files)
    clusters = {n: LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
                for n in (1, 2)}
    clients = {n: Client(c) for n, c in clusters.items()}
    for client in clients.values():
        client.run(_worker_tables)  # the tables loaded on every worker, outside the clock
    rates: dict[str, list[float]] = {"local": [], "dask-1": [], "dask-2": []}
    computes: list[float] = []
    loads = []
    for _ in range(args.rounds):
        rates["local"].append(local_rate(files, args.partition))
        for n, client in clients.items():
            rate, spent = dask_rate(client, files, args.partition)
            rates[f"dask-{n}"].append(rate)
            computes += spent if n == 1 else []
        loads.append(load_average())
    for client in clients.values():
        client.close()
    for cluster in clusters.values():
        cluster.close()
    spent, out_bytes = client_cost(files, args.partition)
    med = {k: statistics.median(v) for k, v in rates.items()}
    print(json.dumps({"articles": len(files), "partition": args.partition, "rates": rates, "median": med,
                      "ratio_dask1_local": med["dask-1"] / med["local"], "ratio_dask2_local": med["dask-2"] / med["local"],
                      "ratio_dask2_dask1": med["dask-2"] / med["dask-1"],
                      "partition_compute_s": statistics.median(computes), "client_s_per_partition": spent,
                      "in_bytes_per_article": in_bytes, "out_bytes_per_article": out_bytes, "load": loads}, indent=1))


if __name__ == "__main__":
    main()
