"""The Dask engine (``kg extract --engine dask``, ``kg load --bulk --engine dask``) against the local
one, on a real ``distributed.LocalCluster`` of two worker processes: the same partitions, byte for
byte, and the same graph. Dask is in the test extra, so CI runs this; elsewhere it is skipped when
Dask is not installed."""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner
from test_bulk_import import CORPUS, _wipe, driver, graph  # noqa: F401 - driver is a fixture

from kg.cli import main
from kg.graph.connect import open_driver

try:
    from distributed import LocalCluster
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("Dask is not installed (pip install -e '.[test]')", allow_module_level=True)

SOURCES = [str(CORPUS / "en"), str(CORPUS / "seed")]  # 80 articles: a few partitions, a short run


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a local cluster of two worker processes, one thread each. Its workers are
    spawned, and a spawned process first runs the parent's ``__main__`` again: after the
    dashboard's AppTest that is the Streamlit script, so the cluster starts under a plain one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
            yield cluster.scheduler_address


@pytest.fixture(scope="module")
def partitions(scheduler: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sources extracted by each engine into partitions of 16 articles (and the config that
    says so, and that a bulk load on Dask resolves tasks of at most 25 reports with their margins)."""
    folder = tmp_path_factory.mktemp("engines")
    config = folder / "kg.yaml"
    config.write_text("engine:\n  partition_size: 16\n  window_reports: 25\n", encoding="utf-8")
    runs = {"local": [], "dask": ["--engine", "dask", "--scheduler", scheduler]}
    for name, options in runs.items():
        result = CliRunner().invoke(main, ["extract", *SOURCES, "--config", str(config), "--out",
                                           str(folder / name), *options])
        assert result.exit_code == 0, result.output
    return {"config": config} | {name: folder / name for name in runs}


def test_dask_writes_the_partitions_the_local_engine_writes(partitions: dict[str, Path]) -> None:
    local = sorted(partitions["local"].iterdir())  # (the config aside)
    dask = sorted(partitions["dask"].iterdir())
    assert [p.name for p in local] == [p.name for p in dask] == [f"part-{i:05d}.jsonl" for i in range(5)]
    for a, b in zip(local, dask):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert sum(len(p.read_text(encoding="utf-8").splitlines()) for p in dask) == 80


@pytest.mark.neo4j
def test_the_dask_engine_builds_the_graph_the_local_engine_builds(
        driver: neo4j.Driver, partitions: dict[str, Path], scheduler: str) -> None:  # noqa: F811
    _wipe(driver)
    result = CliRunner().invoke(main, ["load", str(partitions["local"])])
    assert result.exit_code == 0, result.output
    local = graph(driver)
    _wipe(driver)
    result = CliRunner().invoke(main, ["load", "--bulk", str(partitions["dask"]), "--config", str(partitions["config"]),
                                       "--engine", "dask", "--scheduler", scheduler])
    assert result.exit_code == 0, result.output
    with open_driver() as after:
        assert graph(after) == local
