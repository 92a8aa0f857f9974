"""Every dashboard page under Streamlit's AppTest, against the real Neo4j loaded with the sample.

AppTest cannot run the graph component, so graph clicks go through the adapter's node picker (the
same code path a click takes); the component itself is covered by test_dashboard_browser.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
import streamlit as st
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from kg import queries
from kg.cli import main

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboards" / "app.py")
SAMPLE = REPO / "sample" / "articles"
EMPTY_RANGE = {"from": "1990-01-01", "to": "1990-12-31"}


@pytest.fixture(scope="module")
def sample_graph(neo4j_driver: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[neo4j.Driver]:
    """The bundled sample extracted and loaded with the real commands (the database is wiped first)."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    out = tmp_path_factory.mktemp("sample") / "sample.jsonl"
    runner = CliRunner()
    extracted = runner.invoke(main, ["extract", str(SAMPLE), "--format", "jsonl", "--workers", "1"])
    assert extracted.exit_code == 0, extracted.output
    out.write_text(extracted.stdout, encoding="utf-8")
    loaded = runner.invoke(main, ["load", str(out)])
    assert loaded.exit_code == 0, loaded.output
    st.cache_data.clear()
    yield neo4j_driver


def open_page(page: str, **params: str | list[str]) -> AppTest:
    """Run the app on one page with the given URL query parameters."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, label: str) -> None:
    """Press the button (or form submit button) with this label and rerun."""
    next(b for b in at.button if b.label == label).click().run()


def texts(at: AppTest) -> str:
    """Everything the page wrote as text, one string (for `in` checks)."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info",
                                  "warning", "error") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def test_overview_shows_counts_latest_events_and_the_last_run(sample_graph: neo4j.Driver) -> None:
    at = open_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "6"
    assert int(metrics["Events"]) >= 5
    latest = at.dataframe[0].value
    assert {"CALL", "MEET", "VISIT"} <= set(latest["type"])
    assert "6 articles loaded, 0 failed." in texts(at)


def test_overview_empty_range_says_what_to_do(sample_graph: neo4j.Driver) -> None:
    at = open_page("overview", **EMPTY_RANGE)
    assert any("events match these filters" in i.value and "kg update" in i.value for i in at.info)
    assert at.date_input(key="from").value.isoformat() == "1990-01-01"


def test_sidebar_filters_narrow_the_events_and_stay_in_the_url(sample_graph: neo4j.Driver) -> None:
    at = open_page("overview", type="CALL")
    assert set(at.dataframe[0].value["type"]) == {"CALL"}
    at.multiselect(key="country").select("RU").run()
    assert at.query_params["country"] in ("RU", ["RU"])
    assert any("events match these filters" in i.value for i in at.info)  # no CALL with Russia in the sample


def test_explore_search_draw_select_and_expand(sample_graph: neo4j.Driver) -> None:
    at = open_page("explore")
    at.text_input(key="q").input("拉夫罗夫").run()
    assert any(o.startswith("Sergey Lavrov (Person") for o in at.selectbox(key="entity").options)
    at.selectbox(key="entity").select("person:sergey-lavrov").run()
    assert not at.exception
    edges = at.dataframe[0].value
    assert any(label.startswith("VISIT 2021-03-22") for label in edges["label"])  # edge labels carry dates
    assert at.query_params["entity"] in ("person:sergey-lavrov", ["person:sergey-lavrov"])
    picker = at.selectbox(key="explore_node")
    picker.select("person:wang-yi").run()
    assert "Wang Yi (Person)" in texts(at)
    click(at, "Expand this node")
    assert at.query_params["expand"] in ("person:wang-yi", ["person:wang-yi"])
    assert not at.exception


def test_explore_from_a_shared_url_and_the_node_cap(sample_graph: neo4j.Driver) -> None:
    at = open_page("explore", entity="country:US", depth="3")
    assert at.slider(key="depth").value == 3
    graph = queries.neighbourhood(sample_graph, ["country:US"], 3, queries.Filters(), limit=5)
    assert graph.truncated and len(graph.nodes) <= 5


def test_explore_empty_range(sample_graph: neo4j.Driver) -> None:
    at = open_page("explore", entity="person:sergey-lavrov", **EMPTY_RANGE)
    assert any("events match these filters" in i.value for i in at.info)


def test_timeline_for_actors_and_for_a_country_pair(sample_graph: neo4j.Driver) -> None:
    at = open_page("timeline", actor=["person:sergey-lavrov", "person:wang-yi"])
    assert len(at.get("vega_lite_chart")) == 2
    events = at.dataframe[0].value
    assert {"planned", "occurred"} & set(events["status"])
    at = open_page("timeline", mode="Country pair", a="CN", b="RU")
    assert set(at.dataframe[0].value["type"]) >= {"VISIT"}


def test_timeline_asks_for_a_choice_first(sample_graph: neo4j.Driver) -> None:
    at = open_page("timeline")
    assert any("Choose one or more actors" in i.value for i in at.info)


def test_profile_of_a_person(sample_graph: neo4j.Driver) -> None:
    at = open_page("profiles", entity="person:wang-yi")
    assert "Wang Yi (Person)" in texts(at)
    assert {"Counterparts", "Events", "Sources"} <= {s.value for s in at.subheader}


def test_event_page_lists_every_source_with_its_evidence(sample_graph: neo4j.Driver) -> None:
    most_reported = max(queries.latest_events(sample_graph, queries.Filters(), 50), key=lambda e: e["sources"])
    at = open_page("event", event=most_reported["id"])
    detail = queries.event_detail(sample_graph, most_reported["id"])
    assert detail is not None
    quoted = [m.value for m in at.markdown if m.value.startswith("> ")]
    assert len(quoted) == len(detail["reports"]) == most_reported["sources"] >= 2  # the sample reports some twice
    assert {"Participants", "Sources"} <= {s.value for s in at.subheader}


def test_event_page_unknown_id(sample_graph: neo4j.Driver) -> None:
    at = open_page("event", event="event:does-not-exist")
    assert any("No event with id" in w.value for w in at.warning)


def test_relations_matrix_and_a_cell(sample_graph: neo4j.Driver) -> None:
    at = open_page("relations", a="CN", b="RU")
    assert "China and Russia" in texts(at)
    assert len(at.dataframe[0].value) >= 1


def test_relations_empty_range(sample_graph: neo4j.Driver) -> None:
    at = open_page("relations", **EMPTY_RANGE)
    assert any("events match these filters" in i.value for i in at.info)


def test_analytics_centrality_communities_path(sample_graph: neo4j.Driver) -> None:
    at = open_page("analytics", from_actor="person:sergey-lavrov", to_actor="person:joe-biden")
    assert {"Centrality", "Communities", "Shortest path"} <= {s.value for s in at.subheader}
    assert "steps)" in texts(at) or "not connected" in texts(at)


def test_cypher_console_refuses_writes(sample_graph: neo4j.Driver) -> None:
    at = open_page("cypher")
    at.text_area[0].input("CREATE (n) RETURN n")
    click(at, "Run")
    assert any("refused: CREATE" in e.value and "read-only" in e.value for e in at.error)
    count, _, _ = sample_graph.execute_query("MATCH (n) WHERE size(keys(n)) = 0 RETURN count(n) AS n")
    assert count[0]["n"] == 0


def test_cypher_console_cookbook_query_table_graph_and_csv(sample_graph: neo4j.Driver) -> None:
    at = open_page("cypher", recipe="actor-timeline")
    params = {t.label.split(" ")[0]: t for t in at.text_input}
    params["actor"].input("person:sergey-lavrov")
    click(at, "Run")
    assert not at.exception and not at.error
    assert len(at.dataframe[0].value) >= 2
    assert at.get("download_button")
    at.text_area[0].input("MATCH (p:Person {id: 'person:wang-yi'})-[r:PARTICIPATED_IN]->(e:Event) RETURN p, r, e")
    click(at, "Run")
    assert "As a graph" in {s.value for s in at.subheader}


# --- the analyst's desk (issue 19) -------------------------------------------------------------

PAGES = ("overview", "explore", "timeline", "profiles", "event", "relations", "analytics", "cypher")


def filters_banner(at: AppTest) -> str:
    return next((i.value for i in at.info if i.value.startswith("**Filters:**")
                 or "sidebar filters do not apply" in i.value), "")


def test_every_page_opens_on_the_whole_graph_and_says_its_filters(sample_graph: neo4j.Driver) -> None:
    for page in PAGES:
        at = open_page(page)
        assert at.date_input(key="from").value is None and at.date_input(key="to").value is None, page
        banner = filters_banner(at)
        if page == "cypher":
            assert "do not apply" in banner
        else:
            assert banner.startswith("**Filters:** all dates") and "undated events: hidden" in banner, page
    at = open_page("relations", **{"from": "2021-03-01", "type": "VISIT"})
    assert "2021-03-01 to the last event" in filters_banner(at) and "event types: VISIT" in filters_banner(at)


def test_every_table_has_a_csv_download(sample_graph: neo4j.Driver) -> None:
    for page, params in [("overview", {}), ("timeline", {"actor": "person:sergey-lavrov"}),
                         ("profiles", {"entity": "person:wang-yi"}), ("relations", {"a": "CN", "b": "RU"}),
                         ("analytics", {}), ("explore", {"entity": "person:sergey-lavrov"})]:
        at = open_page(page, **params)
        buttons = [b for b in at.get("download_button")]
        assert len(buttons) >= len(at.dataframe), (page, len(buttons), len(at.dataframe))


def test_explore_offers_png_and_graphml_of_the_shown_graph_and_a_legend(sample_graph: neo4j.Driver) -> None:
    at = open_page("explore", entity="person:sergey-lavrov")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the picture (PNG)" in labels and "Download the graph (GraphML)" in labels
    assert at.get("vega_lite_chart")  # the legend, in the page's palette
    assert "Colour: kind of node" in texts(at)


def test_profiles_do_not_list_pair_phrases_as_names(sample_graph: neo4j.Driver) -> None:
    at = open_page("profiles", entity="person:sergey-lavrov")
    written = next((t.value for t in at.text if t.value.startswith("Also written")), "")
    assert "拉夫罗夫" in written
    for phrase in ("中俄外长", "俄中外长", "中美外长"):
        assert phrase not in written


def test_relations_heatmap_names_every_row_and_column(sample_graph: neo4j.Driver) -> None:
    at = open_page("relations")
    spec = at.get("arrow_vega_lite_chart")[0].proto.spec if at.get("arrow_vega_lite_chart") else \
        at.get("vega_lite_chart")[0].proto.spec
    assert '"a_name' in spec and '"labelOverlap": false' in spec and '"title": "code"' in spec
    assert '"cell"' in spec  # a click selects a pair


def test_analytics_uses_the_explore_palette(sample_graph: neo4j.Driver) -> None:
    at = open_page("analytics")
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert '"#4C78A8"' in spec and '"Person"' in spec


def _cli_rows(*args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["query", "contacts-between-countries", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("undated", [False, True])
def test_the_cli_and_the_dashboard_give_the_same_events(sample_graph: neo4j.Driver, undated: bool) -> None:
    """contacts-between-countries and the Relations page, same pair and filters: the same events."""
    dates = {"from": "2021-01-01", "to": "2021-12-31"}
    cli = _cli_rows("-p", "a=country:CN", "-p", "b=country:RU", "-p", "start=2021-01-01", "-p", "end=2021-12-31",
                    "-p", f"undated={str(undated).lower()}")
    at = open_page("relations", a="CN", b="RU", **dates, **({"undated": "1"} if undated else {}))
    shown = [row for frame in at.dataframe for row in frame.value.to_dict("records")]
    assert [r["event"] for r in cli] == [r["id"] for r in shown]
    assert [str(r["start"]).replace("undated, reported ", "undated (reported ").rstrip(")") for r in cli] == \
        [r["start"].rstrip(")") for r in shown]
    assert all(str(r["start"]).startswith("2021") for r in cli if not str(r["start"]).startswith("undated"))
    assert len(cli) >= 1


# The counts `kg analyze` prints on stderr and the Analytics page above its tables.
SUMMARY = re.compile(r"(\d+) dated events(?: \+ (\d+) undated \(by first report\))?, (\d+) actors, (\d+) links")


@pytest.mark.parametrize("undated", [False, True])
def test_kg_analyze_and_the_analytics_page_agree(sample_graph: neo4j.Driver, undated: bool) -> None:
    """One implementation (kg.analytics): same filters, same events counted, same actors, scores
    and communities on the command line and on the page."""
    args = ["analyze", "--format", "json", "--top", "100000", "--from", "2021-01-01", "--to", "2021-12-31",
            *(["--undated"] if undated else [])]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    cli = {row["id"]: row for row in map(json.loads, (x for x in result.stdout.splitlines() if x.startswith("{")))}
    summary = SUMMARY.search(result.stderr)
    at = open_page("analytics", **{"from": "2021-01-01", "to": "2021-12-31"}, **({"undated": "1"} if undated else {}))
    shown = SUMMARY.search(texts(at))
    assert summary and shown and summary.groups() == shown.groups()
    assert (summary.group(2) is not None) == undated
    centrality, communities = (frame.value for frame in at.dataframe[:2])
    assert set(cli) == set(centrality["id"]) and len(cli) >= 5
    assert {i: (r["community"], r["events"]) for i, r in cli.items()} == {
        r["id"]: (r["community"], r["events"]) for r in centrality.to_dict("records")}
    by_community = {r["community"]: r["size"] for r in communities.to_dict("records")}
    assert by_community == {c: sum(1 for r in cli.values() if r["community"] == c) for c in by_community}
