"""The dashboard's pure helpers: fulltext query building, text escaping, console graphs, layout."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the dashboards package beside kg

from dashboards.common import as_text
from dashboards.graph_view import graph_from_rows
from kg.queries import GraphEdge, GraphNode, Subgraph, lucene_query


def test_lucene_query_prefixes_latin_words_and_quotes_the_rest() -> None:
    assert lucene_query("Lav") == "lav*"
    assert lucene_query("王毅") == '"王毅"'
    assert lucene_query("united st") == "united* AND st*"
    assert lucene_query('a:b "x"') == '"a\\:b" AND "\\"x\\""'
    assert lucene_query("   ") == ""


def test_article_text_is_shown_inert() -> None:
    assert as_text("<b>x</b> *y* [z](javascript:1)") == r"\<b\>x\</b\> \*y\* \[z\]\(javascript:1\)"


def test_console_rows_become_a_graph_with_stub_ends() -> None:
    rows = [{"p": {"_labels": ["Entity", "Person"], "id": "person:a", "name": "A"},
             "r": {"_type": "PARTICIPATED_IN", "_start": "person:a", "_end": "event:1", "start": "2021-03-22"}}]
    graph = graph_from_rows(rows)
    assert {(n.id, n.label) for n in graph.nodes} == {("person:a", "Person"), ("event:1", "Node")}
    assert [(e.source, e.target, e.caption) for e in graph.edges] == [("person:a", "event:1", "2021-03-22")]


# --- the analyst's desk (issue 19) -------------------------------------------------------------

from datetime import date  # noqa: E402

from dashboards.common import events_frame, minutes  # noqa: E402
from dashboards.filters import clamped, describe, flag  # noqa: E402
from dashboards.graph_layout import FRAME, NAME_PX, SPOKE_PX, event_counts, radial_layout, rings, to_graphml, to_png  # noqa: E402
from dashboards.graph_view import ALL_LABELS, Picture, colour_scale, elements, palette  # noqa: E402
from dashboards.names import country_abbreviations, country_name, native_name, own_aliases, pair_phrase  # noqa: E402
from dashboards.server import announce_base_url  # noqa: E402
from kg.queries import SEARCH_WORDS, Filters, event_day  # noqa: E402


def _star(n_events: int) -> Subgraph:
    """A centre person at ``n_events`` events, each with one other party."""
    nodes = [GraphNode("person:c", "Person", "Centre", {"aliases": ["中心"]})]
    edges = []
    for i in range(n_events):
        day = f"2021-03-{i % 28 + 1:02d}"
        nodes += [GraphNode(f"event:{i}", "Event", f"MEET {day}", {"start": day, "sources": 2}),
                  GraphNode(f"person:{i}", "Person", f"P{i}", {"aliases": [f"人{i}"]})]
        edges += [GraphEdge("person:c", f"event:{i}", "PARTICIPATED_IN", f"MEET {day}"),
                  GraphEdge(f"person:{i}", f"event:{i}", "PARTICIPATED_IN", f"MEET {day}")]
    return Subgraph(tuple(nodes), tuple(edges))


def test_pair_phrases_are_not_names_of_a_person_or_a_state() -> None:
    abbr = country_abbreviations()
    assert {"中", "美", "俄"} <= abbr
    aliases = ["王毅", "Wang Yi", "意中外长", "中美外长", "中国外长", "俄中外长", "中韩外长"]
    assert own_aliases(aliases) == ["王毅", "Wang Yi", "中国外长"]
    assert pair_phrase("美日澳印", abbr) and not pair_phrase("中国", abbr) and not pair_phrase("美", abbr)
    assert native_name("China", ["中美", "中国", "China"]) == "中国"  # not the pair phrase listed first
    assert native_name("China", ["中共中央外事工作委员会办公室", "中国"], iso2="CN") == "中国"  # a state: CLDR's name
    assert native_name("NATO", ["NATO"]) == "NATO"  # no Chinese form: the English name
    assert native_name("Sergey Lavrov", ["俄外长", "中俄外长", "拉夫罗夫"]) == "拉夫罗夫"  # an office is no name
    assert country_name("NO", "NO") == "Norway" and country_name("CN", "China") == "China"


def test_the_explore_layout_keeps_the_centre_in_the_middle_and_its_events_in_date_order() -> None:
    graph = _star(40)
    pos = radial_layout(graph, "person:c")
    assert pos["person:c"] == (0.0, 0.0)
    assert set(pos) == {n.id for n in graph.nodes}
    levels = rings(graph, "person:c")
    assert levels[0] == ["person:c"] and len(levels[1]) == 40 and len(levels[2]) == 40
    distance = {i: (x * x + y * y) ** 0.5 for i, (x, y) in pos.items()}
    assert min(distance[i] for i in levels[2]) > max(distance[i] for i in levels[1]) * 0.99
    # labels have room: neighbours on a ring are at least a label's width apart
    xs = sorted(pos[i] for i in levels[2])
    assert min(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for a, b in zip(xs, xs[1:])) > 20


def test_the_graph_elements_carry_labels_sizes_positions_and_the_palette() -> None:
    graph = _star(3)
    picture = Picture.of(graph, "person:c")
    data = elements(picture)
    centre = next(n for n in data["nodes"] if n["data"]["id"] == "person:c")
    assert centre["data"]["shown"] == "中心" and centre["data"]["name"] == "Centre"  # Chinese on the node, English in the panel
    assert centre["position"] == {"x": 0.0, "y": 0.0} and centre["data"]["centre"] == "yes"
    assert centre["data"]["events"] == 3 > next(n for n in data["nodes"] if n["data"]["id"] == "person:0")["data"]["events"]
    assert all(e["data"]["caption"].startswith("MEET 2021-03-") for e in data["edges"])
    assert sum(e["data"]["spoke"] == "yes" for e in data["edges"]) == 3
    assert event_counts(graph)["event:0"] == 2  # an event: its sources
    assert palette()["Person"] == "#4C78A8" and colour_scale().domain[0] == "Person"


def test_a_picture_of_150_nodes_keeps_its_text_readable_once_fitted() -> None:
    """Names and the centre's edge labels come out at NAME_PX / SPOKE_PX on screen or more, whatever
    the span of the picture; the other edges' labels are smaller (drawn on zoom) once there are many."""
    for n_events in (3, 40, 74):  # 7, 81 and 149 nodes
        picture = Picture.of(_star(n_events), "person:c")
        data = elements(picture)
        xs = [x for x, _ in picture.pos.values()]
        ys = [y for _, y in picture.pos.values()]
        zoom = min(1.0, FRAME / (max(max(xs) - min(xs), max(ys) - min(ys)) + 2 * 62))
        names = [n["data"]["font"] for n in data["nodes"] if n["data"]["label"] != "Event"]
        spokes = [e["data"]["font"] for e in data["edges"] if e["data"]["spoke"] == "yes"]
        assert min(names) * zoom >= NAME_PX - 0.01 and min(spokes) * zoom >= SPOKE_PX - 0.01, n_events
        assert all(e["data"]["always"] == "yes" for e in data["edges"] if e["data"]["spoke"] == "yes")
        outer = [e["data"] for e in data["edges"] if e["data"]["spoke"] == "no"]
        assert all((e["always"] == "yes") == (len(data["edges"]) <= ALL_LABELS) for e in outer)


def test_the_shown_graph_exports_as_graphml_and_png() -> None:
    graph = _star(3)
    picture = Picture.of(graph, "person:c")
    graphml = to_graphml(graph, picture.names).decode()
    assert "<graphml" in graphml and "中心" in graphml and "MEET 2021-03-01" in graphml
    png = to_png(graph, picture.pos, picture.names, palette(), picture.sizes(), width=400)
    assert png.startswith(b"\x89PNG")


def test_undated_events_read_undated_with_their_report_day_and_empty_places_stay_empty() -> None:
    assert event_day(None, "2021-03-20") == "undated (reported 2021-03-20)"
    assert event_day("2021-03-22", None) == "2021-03-22"
    frame = events_frame([{"start": None, "reported": "2021-03-20", "end": None, "type": "MEET", "status": "occurred",
                           "participants": ["A"], "place": None, "sources": 1, "evidence": "x", "id": "event:1"}])
    assert frame.loc[0, "start"] == "undated (reported 2021-03-20)"
    assert frame.loc[0, "place"] == "" and frame.loc[0, "end"] == ""
    assert minutes("2026-12-03T13:31:16.123456789+00:00") == "2026-12-03 13:31" and minutes("2021-03-20") == "2021-03-20"


def test_the_active_filters_are_said_in_words() -> None:
    assert describe(Filters()).startswith("**Filters:** all dates")
    assert "undated events: hidden" in describe(Filters())
    text = describe(Filters(start=date(2021, 1, 1), countries=("CN",), undated=True), {"CN": "China"})
    assert "2021-01-01 to the last event" in text and "China" in text and "shown apart" in text


def test_url_inputs_are_bounded() -> None:
    assert clamped(1, 3)("99") == 3 and clamped(1, 3)("-5") == 1
    assert flag("1") and flag("true") and not flag("0")
    assert len(lucene_query(" ".join(["word"] * 2000)).split(" AND ")) == SEARCH_WORDS


def test_the_page_tells_the_frontend_where_its_server_is() -> None:
    html = b"<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>"
    out = announce_base_url(html)
    assert out.index(b"BACKEND_BASE_URL") < out.index(b"<meta") and out.count(b"<script>") == 1
    assert announce_base_url(b"no head") == b"no head"
