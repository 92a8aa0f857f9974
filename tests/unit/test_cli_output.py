"""`kg query` tables: long cells wrap (nothing is cut), the row count has its own line; cookbook
parameters: required ones named with the recipe's example, ids in any case, booleans."""

from __future__ import annotations

import pytest

from kg.cli.export_cmd import RDF_FORMAT_NAMES
from kg.cli.output import display_width, render, row_count, wrap
from kg.cookbook import canonical_id, load_cookbook, parse_recipe
from kg.errors import SchemaError
from kg.export import RDF_FORMATS


def test_long_cells_wrap_in_their_column_and_nothing_is_cut() -> None:
    evidence = "王毅同拉夫罗夫举行会谈。" * 12 + " The quick brown fox jumps over the lazy dog."
    out = render(["day", "evidence"], [{"day": "2021-03-22", "evidence": evidence}, {"day": None, "evidence": "short"}],
                 max_width=30)
    assert "…" not in out
    body = "".join(line[12:].strip() for line in out.splitlines()[2:])
    assert body.replace(" ", "").startswith(evidence.replace(" ", "")[:100])
    assert max(display_width(line) for line in out.splitlines()) <= 12 + 30
    assert "\n\n" in out  # rows are apart once one wraps


def test_wrap_breaks_latin_at_spaces_and_cjk_anywhere() -> None:
    assert wrap("alpha beta gamma", 11) == ["alpha beta", "gamma"]
    assert wrap("中华人民共和国", 6) == ["中华人", "民共和", "国"]
    assert wrap("", 5) == [""]


def test_the_row_count_is_its_own_line() -> None:
    assert row_count(1) == "(1 row)" and row_count(0) == "(0 rows)" and row_count(31) == "(31 rows)"


def test_a_recipe_without_its_required_parameter_names_it_with_the_example() -> None:
    recipe = load_cookbook()["event-sources"]
    with pytest.raises(SchemaError) as failed:
        recipe.values({})
    assert "needs event" in str(failed.value) and "kg query event-sources -p event=event:" in str(failed.value)


def test_a_required_name_must_be_a_parameter() -> None:
    with pytest.raises(SchemaError, match="required other is not a param"):
        parse_recipe("x", "// param: a string\n// required: other\nRETURN 1", "x.cypher")


def test_ids_are_matched_whatever_their_case_and_booleans_read_as_such() -> None:
    assert canonical_id("Country:us") == "country:US" and canonical_id("PERSON:Wang-Yi") == "person:wang-yi"
    assert canonical_id("Secretary of State") == "Secretary of State"
    values = load_cookbook()["contacts-between-countries"].values({"a": "country:cn", "b": "Country:Ru",
                                                                    "undated": "yes"})
    assert (values["a"], values["b"], values["undated"]) == ("country:CN", "country:RU", True)
    assert load_cookbook()["contacts-between-countries"].values({})["undated"] is False


def test_the_event_listing_recipes_take_undated() -> None:
    listing = ("actor-timeline", "contacts-between-countries", "country-counterparts", "events-by-place",
               "person-contacts", "person-meetings", "person-places-and-days", "planned-events", "who-met-whom")
    recipes = load_cookbook()
    assert [n for n in listing if "undated" not in {p.name for p in recipes[n].params}] == []


def test_the_export_command_knows_the_rdf_formats_without_importing_rdflib() -> None:
    assert RDF_FORMAT_NAMES == tuple(RDF_FORMATS)
