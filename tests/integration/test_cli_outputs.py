"""`kg export` writes to standard output without -o (or with -o -), as Unix tools do; the quick
start takes a port for the dashboard."""

from __future__ import annotations

import subprocess
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner
from rdflib import Graph
from sample_graph import load_sample

from kg.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.neo4j
@pytest.mark.parametrize("output", [[], ["-o", "-"]])
def test_export_without_a_file_writes_to_standard_output(neo4j_driver: neo4j.Driver, output: list[str]) -> None:
    load_sample(neo4j_driver)
    result = CliRunner().invoke(main, ["export", "--format", "turtle", *output])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 100
    assert "written to standard output (turtle)" in result.stderr and "written to" not in result.stdout
    graphml = CliRunner().invoke(main, ["export", "--format", "graphml"])
    assert graphml.exit_code == 0 and graphml.stdout.lstrip().startswith("<?xml")
    refused = CliRunner().invoke(main, ["export", "--format", "csv"])
    assert refused.exit_code == 2 and "give a folder with -o" in refused.output


def test_quickstart_takes_a_port_and_refuses_a_bad_one() -> None:
    script = REPO / "scripts" / "quickstart.sh"
    bad = subprocess.run(["bash", str(script), "--port", "80a"], capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "not a port number" in bad.stderr
    text = script.read_text(encoding="utf-8")
    assert 'kg dashboard --port "$port"' in text and "KG_DASHBOARD_PORT" in text
