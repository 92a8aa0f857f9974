"""The query side of the time model on the development corpus (issue 15 point 2, issue 19): a
date-filtered recipe or page counts dated events in the range only; undated ones come when asked,
after the dated ones and labelled with the day they were first reported; the CLI and the
dashboard answer the same question with the same events."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
import streamlit as st
from click.testing import CliRunner
from test_dashboard_apptest import open_page

from kg import queries
from kg.cli import main

pytestmark = pytest.mark.neo4j


def _corpus() -> Path | None:
    """``$KG_CORPUS``, else the ``shared/corpus`` folder beside one of the checkout's parents."""
    if os.environ.get("KG_CORPUS"):
        return Path(os.environ["KG_CORPUS"])
    return next((p / "shared" / "corpus" for p in Path(__file__).resolve().parents
                 if (p / "shared" / "corpus").is_dir()), None)


CORPUS = _corpus()
YEAR_2021 = ["-p", "start=2021-01-01", "-p", "end=2021-12-31"]


@pytest.fixture(scope="module")
def corpus_graph(neo4j_driver: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[neo4j.Driver]:
    """The development corpus extracted and loaded with the real commands (the database is wiped first)."""
    if CORPUS is None or not CORPUS.is_dir():
        pytest.skip("no development corpus (set KG_CORPUS)")
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    out = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    runner = CliRunner()
    extracted = runner.invoke(main, ["extract", str(CORPUS), "--format", "jsonl", "--workers", "2"])
    assert extracted.exit_code == 0, extracted.output[-2000:]
    out.write_text(extracted.stdout, encoding="utf-8")
    loaded = runner.invoke(main, ["load", str(out)])
    assert loaded.exit_code == 0, loaded.output[-2000:]
    st.cache_data.clear()
    yield neo4j_driver


def _query(*args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["query", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_contacts_between_china_and_russia_in_2021_are_all_in_2021(corpus_graph: neo4j.Driver) -> None:
    rows = _query("contacts-between-countries", "-p", "a=country:CN", "-p", "b=country:RU", *YEAR_2021)
    assert rows
    assert all(str(r["start"]).startswith("2021-") for r in rows), [r["start"] for r in rows]
    days = [r["start"] for r in rows]
    assert days == sorted(days, reverse=True)  # newest first


def test_undated_events_come_only_when_asked_after_the_dated_and_labelled(corpus_graph: neo4j.Driver) -> None:
    dated = _query("contacts-between-countries", "-p", "a=country:CN", "-p", "b=country:RU", *YEAR_2021)
    both = _query("contacts-between-countries", "-p", "a=country:CN", "-p", "b=country:RU", *YEAR_2021,
                  "-p", "undated=true")
    assert both[:len(dated)] == dated
    extra = both[len(dated):]
    assert extra and all(str(r["start"]).startswith("undated, reported 2021-") for r in extra)


@pytest.mark.parametrize("undated", [False, True])
def test_the_cli_and_the_relations_page_list_the_same_events(corpus_graph: neo4j.Driver, undated: bool) -> None:
    cli = _query("contacts-between-countries", "-p", "a=country:CN", "-p", "b=country:RU", *YEAR_2021,
                 "-p", f"undated={str(undated).lower()}")
    at = open_page("relations", a="CN", b="RU", **{"from": "2021-01-01", "to": "2021-12-31"},
                   **({"undated": "1"} if undated else {}))
    shown = [row for frame in at.dataframe for row in frame.value.to_dict("records")]
    assert [r["event"] for r in cli] == [r["id"] for r in shown]
    if undated:
        assert any("Undated events" in m.value for m in at.markdown)
        assert all(r["start"].startswith("undated (reported 2021-") for r in shown[len(shown) - 1:])


def test_the_cli_and_the_dashboard_count_a_countrys_counterparts_alike(corpus_graph: neo4j.Driver) -> None:
    """country-counterparts (CLI) and the relations matrix (dashboard): the same dated counts."""
    cli = {r["counterpart"]: r["events"] for r in _query("country-counterparts", "-p", "country=country:US",
                                                         *YEAR_2021, "-p", "limit=500")}
    from datetime import date
    matrix = queries.relations_matrix(corpus_graph, queries.Filters(start=date(2021, 1, 1), end=date(2021, 12, 31)),
                                      top=None)
    dashboard = {p["b"] if p["a"] == "US" else p["a"]: p["events"] for p in matrix.pairs if "US" in (p["a"], p["b"])}
    assert cli == dashboard


def test_pages_open_on_dated_events_only(corpus_graph: neo4j.Driver) -> None:
    at = open_page("overview")
    assert all(not str(day).startswith("undated") for day in at.dataframe[0].value["start"])
    undated = queries.latest_events(corpus_graph, queries.Filters(undated=True), 2000)
    assert any(not e["start"] for e in undated)
    starts = [e["start"] for e in undated]
    assert starts.index(None) == sum(1 for s in starts if s)  # undated never first
