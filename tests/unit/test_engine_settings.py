"""The engine's settings (kg.yaml ``engine:`` and the command line) and the partition files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import engine_settings
from kg.graph.rows import batched
from kg.errors import ConfigError
from kg.partitions import input_files, prepare, write_partition
from kg.records import ArticleExtraction, ArticleMeta


def test_the_command_line_wins_over_kg_yaml_and_a_scheduler_means_dask() -> None:
    config = {"engine": {"name": "local", "workers": 3, "partition_size": 100}}
    assert engine_settings(config).workers == 3
    chosen = engine_settings(config, name="dask", workers=2)
    assert (chosen.name, chosen.workers, chosen.partition_size) == ("dask", 2, 100)
    assert engine_settings({}, scheduler="tcp://10.0.0.5:8786").name == "dask"
    assert engine_settings({}).name == "local"


@pytest.mark.parametrize("section, problem", [
    ({"name": "spark"}, "not one of local, dask"),
    ({"partition_size": "many"}, "must be integers"),
    ({"window_reports": -1}, "at least 1"),
    ("dask", "must be a mapping"),
])
def test_a_bad_engine_section_is_named(section: object, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        engine_settings({"engine": section})


def test_partitions_are_written_whole_and_read_back_in_order(tmp_path: Path) -> None:
    folder = prepare(tmp_path / "parts")
    records = [ArticleExtraction(article=ArticleMeta.from_dict({"id": f"a{i}", "path": f"{i}.md"})) for i in range(5)]
    for index, part in enumerate(batched(records, 2)):
        write_partition(folder, index, part)
    files = list(input_files([folder]))
    assert [f.name for f in files] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files) == 5
    with pytest.raises(ConfigError, match="earlier run"):
        prepare(folder)
    with pytest.raises(ConfigError, match="without part-"):
        list(input_files([tmp_path]))


def test_the_worker_config_names_settings_dask_knows() -> None:
    """A key Dask does not know would be set and ignored: the workers would keep their profiler
    (what a worker kept from one resolution window to the next, benchmarks/README.md)."""
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    from kg.engine import WORKER_CONFIG

    for key in WORKER_CONFIG:
        assert dask.config.get(key) is not None, key
