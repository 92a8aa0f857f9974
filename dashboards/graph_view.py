"""A thin adapter around the interactive graph component, so pages only deal with ``Subgraph``.

The component is st-link-analysis (Cytoscape.js): its JavaScript, fonts and icons ship inside the
wheel and are served by Streamlit itself, so it works with no internet, and it returns clicks and
"expand" actions to Python. Streamlit's AppTest cannot run custom components (they render as
unknown elements), and the package is an optional extra; so under the picture there is always a
native node picker and a table of the edges - the same selection works with or without the
component, and without it the table is the rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.graph_layout import event_counts, node_size, radial_layout, text_sizes, to_graphml, to_png
from dashboards.names import native_name
from dashboards.tables import csv_button
from kg.queries import GraphEdge, GraphNode, Subgraph
from kg.schema import load_yaml

try:
    from st_link_analysis import EdgeStyle, NodeStyle, st_link_analysis
    from st_link_analysis.component.events import Event as ComponentEvent
except ImportError:  # the optional "dashboard" extra is not installed
    st_link_analysis = None

ICONS = {"Person": "person", "Country": "flag", "Organization": "account_balance", "Place": "place",
         "Event": "campaign"}  # icons bundled with the component
GRAPH_HEIGHT = 760  # graph_layout.FRAME is this less the padding
OUTER_LABEL = 0.45  # size of the other edges' labels relative to the centre's: under half, as Cytoscape applies
# min-zoomed-font-size at its cached zoom levels (powers of two), not at the exact zoom
ZOOMED_PX = 8  # on-screen pixels from which those labels are drawn (zooming in past the fitted picture)
ALL_LABELS = 60  # up to this many edges every edge label is drawn at once, at the size of the centre's
HOVER_SCRIPT = Path(__file__).with_name("hover.js")  # English name, kind and events of the node under the pointer


def palette() -> dict[str, str]:
    """Entity type -> colour, one palette for every page (schema/dashboard.yaml)."""
    return dict(load_yaml("dashboard.yaml")["colours"])


def colour_scale() -> alt.Scale:
    """The palette as an Altair colour scale, for charts coloured by entity type."""
    colours = palette()
    return alt.Scale(domain=list(colours), range=list(colours.values()))


@dataclass(frozen=True, slots=True)
class GraphAction:
    """What the reader did: ``select`` a node (click or picker) or ask to ``expand`` it."""

    action: str
    node_id: str


@dataclass(frozen=True, slots=True)
class Picture:
    """A subgraph ready to draw: positions, shown names (the articles' language), sizes."""

    graph: Subgraph
    centre: str | None
    pos: dict[str, tuple[float, float]]
    names: dict[str, str]
    events: dict[str, int]

    @classmethod
    def of(cls, graph: Subgraph, centre: str | None) -> Picture:
        names = {n.id: n.name if n.label == "Event" else native_name(
                     n.name, n.properties.get("aliases") or [],
                     iso2=n.id.partition(":")[2] if n.label == "Country" else None)
                 for n in graph.nodes}
        return cls(graph, centre, radial_layout(graph, centre or ""), names, event_counts(graph))

    def sizes(self) -> dict[str, float]:
        return {i: node_size(n) for i, n in self.events.items()}


def elements(picture: Picture) -> dict[str, list[dict[str, Any]]]:
    """The component's input: Cytoscape elements at the layout's positions. ``label`` is the node
    type (the component styles by it); ``shown`` the name drawn on it, ``name`` the English one
    (shown on hover and in the panel a click opens); ``font`` the text size that stays readable
    once the picture is fitted to the frame (``graph_layout.text_sizes``)."""
    sizes = picture.sizes()
    name_font, spoke_font = text_sizes(picture.pos)
    few = len(picture.graph.edges) <= ALL_LABELS
    return {
        "nodes": [{"data": {**_scalars(n.properties), "id": n.id, "label": n.label, "name": n.name,
                            "shown": picture.names[n.id] if n.label != "Event" else "",
                            "events": picture.events[n.id], "size": sizes[n.id],
                            "font": name_font * (1.3 if n.id == picture.centre else 1),
                            "centre": "yes" if n.id == picture.centre else "no"},
                   "position": {"x": picture.pos[n.id][0], "y": picture.pos[n.id][1]}}
                  for n in picture.graph.nodes if n.id in picture.pos],
        "edges": [{"data": {"id": e.id, "source": e.source, "target": e.target, "label": e.type,
                            "caption": e.caption, "weight": e.weight,
                            "font": spoke_font if few or picture.centre in (e.source, e.target)
                            else round(spoke_font * OUTER_LABEL, 1),
                            "spoke": "yes" if picture.centre in (e.source, e.target) else "no",
                            "always": "yes" if few or picture.centre in (e.source, e.target) else "no"}}
                  for e in picture.graph.edges],
    }


def _scalars(props: dict[str, Any]) -> dict[str, Any]:
    """Properties the component's info panel can show (it cannot display lists or maps)."""
    return {k: v for k, v in props.items() if isinstance(v, (str, int, float, bool)) and k not in ("id", "label")}


class _Style:
    """A Cytoscape style rule for the component (it takes any object with ``dump()``): sizes and
    labels that stay legible when a big graph is zoomed out to fit."""

    def __init__(self, selector: str, style: dict[str, Any]) -> None:
        self.selector, self.style = selector, style

    def dump(self) -> dict[str, Any]:
        return {"selector": self.selector, "style": self.style}


NODE_STYLES = [
    _Style("node", {"width": "data(size)", "height": "data(size)", "label": "data(shown)", "font-size": "data(font)",
                    "text-valign": "bottom", "text-margin-y": 3, "min-zoomed-font-size": 0,
                    "text-background-color": "#ffffff", "text-background-opacity": 0.75,
                    "text-background-padding": 1}),
    _Style("node[centre = 'yes']", {"font-weight": "bold", "border-width": 3, "border-color": "#333333"}),
]
EDGE_STYLES = [  # after the component's per-type edge styles, which set a dark caption background
    # Edge captions (type and day) on the centre's own edges always; on the others once the reader
    # zooms in far enough to read them (hundreds of captions at once are a grey smear). The page's
    # caption says so.
    _Style("edge", {"label": "data(caption)", "font-size": "data(font)", "min-zoomed-font-size": ZOOMED_PX,
                    "width": 1, "text-rotation": "autorotate", "arrow-scale": 0.5, "color": "#333333",
                    "text-background-color": "#ffffff", "text-background-opacity": 0.85,
                    "line-color": "#c4c4c4", "target-arrow-color": "#c4c4c4"}),
    _Style("edge[always = 'yes']", {"min-zoomed-font-size": 0}),
    _Style("edge[spoke = 'yes']", {"line-color": "#9a9a9a", "target-arrow-color": "#9a9a9a"}),
]


def show_graph(graph: Subgraph, key: str, centre: str | None = None, height: int = GRAPH_HEIGHT) -> GraphAction | None:
    """Draw ``graph`` (``centre`` in the middle), its legend and downloads, and return the
    reader's latest action on it (None before any).

    The component's click moves the node picker to the clicked node, so the picker always holds the
    current selection and the page needs only one code path.
    """
    picker = f"{key}_node"
    picture = Picture.of(graph, centre)
    names = {n.id: f"{picture.names[n.id]} · {n.name} ({n.label})" if picture.names[n.id] != n.name
             else f"{n.name} ({n.label})" for n in graph.nodes}
    legend(graph, centre)
    action = _draw_component(picture, key, height) if st_link_analysis else None
    if action and action.node_id in names:
        st.session_state[picker] = action.node_id
    if st.session_state.get(picker) not in names:
        st.session_state[picker] = None
    downloads(picture, key)
    with st.expander("Graph as a table", expanded=st_link_analysis is None):
        frame = edge_table(graph.edges, names)
        st.dataframe(frame, hide_index=True, width="stretch")
        csv_button(frame, f"{key}-edges", key=f"{key}_edges_csv")
    chosen = st.selectbox("Node", options=list(names), format_func=names.__getitem__, key=picker,
                          placeholder="Click a node in the graph, or pick one here")
    if action and action.action == "expand":
        return action
    return GraphAction("select", chosen) if chosen else None


def legend(graph: Subgraph, centre: str | None = None) -> None:
    """One dot per kind of node present, in the page's palette, with its name and count, and what
    the labels show (which of them only when zoomed in)."""
    colours = palette()
    present = {n.label for n in graph.nodes}
    counts = {label: sum(1 for n in graph.nodes if n.label == label) for label in present}
    frame = pd.DataFrame([{"kind": label, "shown": f"{label} ({counts[label]})", "x": i}
                          for i, label in enumerate(k for k in colours if k in present)])
    if frame.empty:
        return
    dots = alt.Chart(frame).mark_circle(size=220, opacity=1).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.2, len(frame) + 0.5])), y=alt.value(14),
        color=alt.Color("kind:N", scale=colour_scale(), legend=None), tooltip=["shown:N"])
    text = dots.mark_text(align="left", dx=12, fontSize=13).encode(text="shown:N")
    st.altair_chart((dots + text).properties(height=30), width="stretch")
    if len(graph.edges) <= ALL_LABELS:
        edges = "Every edge is labelled with the event's type and day."
    elif centre:
        edges = ("The type and day of the centre's own events are always written on its edges; the labels of the "
                 f"other edges (who else took part, where) appear when you zoom in (scroll, or +): "
                 f"{len(graph.edges)} labels at once would cover the picture.")
    else:
        edges = f"Edge labels appear when you zoom in (scroll, or +): {len(graph.edges)} at once would cover the picture."
    st.caption("Colour: kind of node. Size: events in the picture (an event: its sources). Point at a node for "
               f"its English name. Edges: took part in / held in. {edges}")


def downloads(picture: Picture, key: str) -> None:
    """PNG and GraphML files of the picture as shown (same nodes, names and positions)."""
    left, right = st.columns(2)
    png = to_png(picture.graph, picture.pos, {**picture.names, **{n.id: n.name for n in picture.graph.nodes
                                                                  if n.label == "Event"}},
                 palette(), picture.sizes(), load_yaml("dashboard.yaml")["edge_colour"])
    left.download_button("Download the picture (PNG)", png, file_name=f"kg-{key}.png", mime="image/png",
                         key=f"{key}_png")
    right.download_button("Download the graph (GraphML)", to_graphml(picture.graph, picture.names),
                          file_name=f"kg-{key}.graphml", mime="application/xml", key=f"{key}_graphml")


def edge_table(edges: tuple[GraphEdge, ...], names: dict[str, str]) -> pd.DataFrame:
    """Edges as rows (from, relation, to, label) - the rendering without the component."""
    return pd.DataFrame([{"from": names.get(e.source, e.source), "relation": e.type,
                          "to": names.get(e.target, e.target), "label": e.caption} for e in edges],
                        columns=["from", "relation", "to", "label"])


def _draw_component(picture: Picture, key: str, height: int) -> GraphAction | None:
    """Render with st-link-analysis; a click or expand not seen before becomes an action."""
    node_styles = [NodeStyle(label, colour, None, ICONS.get(label)) for label, colour in palette().items()]
    edge_styles = [EdgeStyle(t, load_yaml("dashboard.yaml")["edge_colour"], caption="caption", directed=True,
                             labeled=None)  # type: ignore[arg-type]  # None silences its deprecation warning
                   for t in sorted({e.type for e in picture.graph.edges})]
    layout = {"name": "preset", "fit": True, "padding": 20, "animate": False}
    value = st_link_analysis(elements(picture), layout=layout, node_styles=[*node_styles, *NODE_STYLES],
                             edge_styles=[*edge_styles, *EDGE_STYLES], height=height, key=f"{key}_component",
                             node_actions=["expand"], events=[ComponentEvent("select_node", "tap", "node")])
    st.html(f"<script>{HOVER_SCRIPT.read_text(encoding='utf-8')}</script>", unsafe_allow_javascript=True)
    if not value or value.get("timestamp") == st.session_state.get(f"{key}_seen"):
        return None
    st.session_state[f"{key}_seen"] = value.get("timestamp")
    data = value.get("data") or {}
    if value.get("action") == "expand" and data.get("node_ids"):
        return GraphAction("expand", data["node_ids"][0])
    if value.get("action") == "select_node" and data.get("target_id"):
        return GraphAction("select", data["target_id"])
    return None


def graph_from_rows(rows: list[dict[str, Any]]) -> Subgraph:
    """Nodes, relationships and paths found in query results (``kg.graph.results.to_plain`` shapes),
    for the Cypher console: nodes are dicts with ``_labels``, relationships with ``_type``."""
    nodes: dict[str, GraphNode] = {}
    edges: dict[str, GraphEdge] = {}
    stubs: dict[str, GraphNode] = {}

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict) and "_nodes" in value:
            visit(value["_nodes"])
            visit(value["_relationships"])
        elif isinstance(value, dict) and "_labels" in value and value.get("id"):
            label = next((x for x in value["_labels"] if x != "Entity"), "Node")
            name = value.get("name") or value.get("title") or (f"{value.get('type')} {value.get('start')}"
                                                               if label == "Event" else value["id"])
            nodes[value["id"]] = GraphNode(value["id"], label, str(name))
        elif isinstance(value, dict) and "_type" in value and value.get("_start") and value.get("_end"):
            edge = GraphEdge(value["_start"], value["_end"], value["_type"], str(value.get("start") or ""))
            edges[edge.id] = edge
            for end in (edge.source, edge.target):  # an end the query did not return itself
                stubs.setdefault(end, GraphNode(end, "Node", end))

    for row in rows:
        visit(list(row.values()))
    return Subgraph(nodes=tuple({**stubs, **nodes}.values()), edges=tuple(edges.values()))
