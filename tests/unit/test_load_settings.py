"""The ``load:`` section of kg.yaml and the port ``kg neo4j start`` takes from kg.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import LoadSettings
from kg.errors import ConfigError
from kg.neo4j_server import configured_port


def test_event_writers_default_to_two_at_most_the_cores() -> None:
    assert 1 <= LoadSettings.from_config({}).event_writers <= 2
    assert LoadSettings.from_config({"load": {"event_writers": 1}}).event_writers == 1


@pytest.mark.parametrize("value", [0, 3, "two"])
def test_other_event_writers_are_refused_naming_the_file(value: object) -> None:
    with pytest.raises(ConfigError, match="my.yaml: load.event_writers must be 1 or 2"):
        LoadSettings.from_config({"load": {"event_writers": value}}, "my.yaml")


def test_kg_neo4j_start_reads_the_port_of_kg_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "kg.yaml"
    config.write_text("neo4j:\n  port: 7799\n", encoding="utf-8")
    monkeypatch.delenv("KG_NEO4J_PORT", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("KG_CONFIG", str(config))
    assert configured_port() == 7799
    monkeypatch.setenv("KG_NEO4J_PORT", "7800")  # the environment wins, as for the clients
    assert configured_port() == 7800
