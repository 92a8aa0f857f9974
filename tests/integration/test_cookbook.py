"""Every cookbook recipe (schema/queries/*.cypher) runs against the loaded sample and finds rows."""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest
from sample_graph import load_sample

from kg.cookbook import load_cookbook
from kg.graph.results import run_read_query

pytestmark = pytest.mark.neo4j

RECIPES = load_cookbook()
# Values that hit the sample where a recipe's defaults aim at the whole corpus.
GIVEN = {"events-by-place": {"place": "place:guilin"},
         "organization-meetings": {"org": "org:nato"},
         "contacts-between-countries": {"a": "country:CN", "b": "country:US"}}


@pytest.fixture(scope="module")
def sample_graph(neo4j_driver: neo4j.Driver) -> neo4j.Driver:
    load_sample(neo4j_driver)
    return neo4j_driver


def test_the_cookbook_has_at_least_fourteen_documented_recipes() -> None:
    assert len(RECIPES) >= 14
    assert all(r.title != r.name and r.description for r in RECIPES.values())


def _best_sourced_event(driver: neo4j.Driver) -> str:
    recipe = RECIPES["best-sourced-events"]
    rows = run_read_query(driver, recipe.cypher, recipe.values({})).rows
    return rows[0]["event"]


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_recipe_runs_on_the_sample_and_finds_rows(sample_graph: neo4j.Driver, name: str) -> None:
    recipe = RECIPES[name]
    given = dict(GIVEN.get(name, {}))
    if name == "event-sources":
        given["event"] = _best_sourced_event(sample_graph)
    result = run_read_query(sample_graph, recipe.cypher, recipe.values(given))
    assert result.rows, f"{name} returned nothing on the sample"


def test_the_lavrov_visit_is_one_event_with_two_sources_and_the_latest_status(sample_graph: neo4j.Driver) -> None:
    """Announced as planned on 21 March, reported as held on 23 March: one event, occurred. The
    article also recalls Wang Yi's visit to Moscow of September 2020: a visit of its own, apart."""
    recipe = RECIPES["contacts-between-countries"]
    rows = run_read_query(sample_graph, recipe.cypher, recipe.values({"a": "country:CN", "b": "country:RU"})).rows
    visits = sorted((v["start"], v["sources"], v["status"]) for v in rows if v["type"] == "VISIT")
    assert visits == [("2020-09-11", 1, "occurred"), ("2021-03-22", 2, "occurred")]


def test_docs_list_every_recipe() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "cookbook.md").read_text(encoding="utf-8")
    assert [n for n in RECIPES if f"`{n}`" not in doc] == []


def test_role_titles_and_holders_match_whatever_their_case(sample_graph: neo4j.Driver) -> None:
    recipe = RECIPES["role-holders-on-date"]
    rows = run_read_query(sample_graph, recipe.cypher,
                          recipe.values({"title": "Secretary of State", "holder": "us", "day": "2021-03-18"})).rows
    assert [r["person"] for r in rows] == ["Antony Blinken"]


def test_a_persons_meetings_each_with_its_day_and_place(sample_graph: neo4j.Driver) -> None:
    recipe = RECIPES["person-meetings"]
    rows = run_read_query(sample_graph, recipe.cypher, recipe.values({"person": "Person:Sergey-Lavrov"})).rows
    assert rows and all(r["day"] for r in rows)
    assert any("Wang Yi" in r["met"] for r in rows)
    days = [r["day"] for r in rows]
    assert days == sorted(days, reverse=True)
    places = RECIPES["person-places-and-days"]
    rows = run_read_query(sample_graph, places.cypher, places.values({"person": "person:sergey-lavrov"})).rows
    assert {"2021-03-22"} <= {r["day"] for r in rows} and any(r["place"] for r in rows)
