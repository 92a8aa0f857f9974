"""Latency of the dashboard's main reads (kg/queries.py, kg/analytics.py) on the graph the ingest built."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import neo4j

from benchmarks.common import Result, load_average, percentiles
from kg import analytics, queries
from kg.queries import Filters

TARGET_P95_MS = 300.0


def _latencies(call: Callable[[], object], runs: int) -> list[float]:
    call()  # first run compiles the query plan; a dashboard pays it once per server start
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        out.append((time.perf_counter() - began) * 1000)
    return out


def run(driver: neo4j.Driver, runs: int) -> list[Result]:
    everything = Filters()
    one_year = Filters(start=date(2020, 1, 1), end=date(2020, 12, 31))
    actors = [a["id"] for a in queries.top_actors(driver, everything, limit=3)]
    cases: dict[str, Callable[[], object]] = {
        f"Explore neighbourhood of {actors[0]}, depth 1": lambda: queries.neighbourhood(driver, actors[:1], 1, everything),
        f"Explore neighbourhood of {actors[0]}, depth 2": lambda: queries.neighbourhood(driver, actors[:1], 2, everything),
        "Relations matrix, all years": lambda: queries.relations_matrix(driver, everything),
        "Relations matrix, one year": lambda: queries.relations_matrix(driver, one_year),
        "Relations matrix of one country's pairs (CN), all years":
            lambda: queries.relations_matrix(driver, Filters(countries=("CN",))),
        f"Timeline chart of the top {len(actors)} actors, all years":
            lambda: queries.actor_monthly_counts(driver, actors, everything),
        f"Timeline chart of the top {len(actors)} actors, one year":
            lambda: queries.actor_monthly_counts(driver, actors, one_year),
        f"Timeline latest events of the top {len(actors)} actors, all years":
            lambda: queries.timeline_events(driver, actors, everything),
        f"Timeline latest events of the top {len(actors)} actors, one year":
            lambda: queries.timeline_events(driver, actors, one_year),
        "Timeline actor list, all years": lambda: queries.top_actors(driver, everything),
        "Analytics participations (the page's and kg analyze's read), all years":
            lambda: analytics.participations(driver, everything),
        "Analytics participations, one year with undated events":
            lambda: analytics.participations(driver, Filters(start=date(2020, 1, 1), end=date(2020, 12, 31),
                                                             undated=True)),
    }
    out = []
    for name, call in cases.items():
        p50, p95 = percentiles(_latencies(call, runs))
        out.append(Result(f"query: {name}", p95, "ms p95", f"p50 {p50:.0f} ms", None,
                          f"p95 < {TARGET_P95_MS:.0f} ms", p95 < TARGET_P95_MS, load_average(), f"{runs} runs"))
    return out
