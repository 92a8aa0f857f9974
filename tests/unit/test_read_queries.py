"""The read-only guard and parameter parsing of `kg query` and the dashboard console (no server)."""

from __future__ import annotations

import pytest

from kg.cli.output import render
from kg.errors import QueryError
from kg.cookbook import load_cookbook
from kg.graph.read import parse_param, refusal


@pytest.mark.parametrize("query", [
    "CREATE (n:Person {id: 'x'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) SET n.x = 1",
    "match (n) merge (m:X)",
    "LOAD CSV FROM 'file:///x' AS row RETURN row",
    "CALL { MATCH (n) RETURN n } IN TRANSACTIONS",
    "DROP CONSTRAINT x",
])
def test_write_clauses_are_found(query: str) -> None:
    assert (refusal(query) or "").startswith("refused")


@pytest.mark.parametrize("query", [
    "MATCH (n:Person) RETURN n.name",
    "MATCH (e:Event) WHERE e.evidence CONTAINS 'CREATE' RETURN e",  # inside a string
    "MATCH (n) RETURN n.offset AS `SET`",  # a quoted name
    "// DELETE everything\nMATCH (n) RETURN count(n)",  # a comment
    "MATCH (n) WHERE n.name STARTS WITH $prefix RETURN n.reset",
])
def test_read_queries_pass(query: str) -> None:
    assert refusal(query) is None


def test_every_cookbook_recipe_passes_the_console_check() -> None:
    assert {name: refusal(recipe.cypher) for name, recipe in load_cookbook().items()} == dict.fromkeys(load_cookbook())


def test_params_are_json_or_strings() -> None:
    assert parse_param("limit=10") == ("limit", 10)
    assert parse_param("codes=[\"CN\",\"US\"]") == ("codes", ["CN", "US"])
    assert parse_param("name=Wang Yi") == ("name", "Wang Yi")
    with pytest.raises(QueryError, match="expected name=value"):
        parse_param("no-equals-sign")


def test_table_aligns_wide_characters() -> None:
    text = render(["name", "n"], [{"name": "王毅", "n": 1}, {"name": "Lavrov", "n": 22}])
    lines = text.splitlines()
    assert lines[0] == "name    n"
    assert lines[2] == "王毅    1"
    assert render(["a"], [{"a": 1}], "csv") == "a\r\n1\r\n"
