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
from typing import Any

import pandas as pd
import streamlit as st

from kg.queries import GraphEdge, GraphNode, Subgraph

try:
    from st_link_analysis import EdgeStyle, NodeStyle, st_link_analysis
    from st_link_analysis.component.events import Event as ComponentEvent
except ImportError:  # the optional "dashboard" extra is not installed
    st_link_analysis = None

# label -> (colour, icon bundled with the component)
NODE_LOOK = {
    "Person": ("#4C78A8", "person"),
    "Country": ("#E45756", "flag"),
    "Organization": ("#54A24B", "account_balance"),
    "Place": ("#B279A2", "place"),
    "Event": ("#F2A03D", "campaign"),
}
EDGE_COLOUR = "#9a9a9a"


@dataclass(frozen=True, slots=True)
class GraphAction:
    """What the reader did: ``select`` a node (click or picker) or ask to ``expand`` it."""

    action: str
    node_id: str


def elements(graph: Subgraph) -> dict[str, list[dict[str, Any]]]:
    """The component's input: Cytoscape elements whose ``label`` is the node label / edge type."""
    return {
        "nodes": [{"data": {"id": n.id, "label": n.label, "name": n.name, **_scalars(n.properties)}}
                  for n in graph.nodes],
        "edges": [{"data": {"id": e.id, "source": e.source, "target": e.target, "label": e.type,
                            "caption": e.caption, "weight": e.weight}} for e in graph.edges],
    }


def _scalars(props: dict[str, Any]) -> dict[str, Any]:
    """Properties the component's info panel can show (it cannot display lists or maps)."""
    return {k: v for k, v in props.items() if isinstance(v, (str, int, float, bool)) and k not in ("id", "label")}


def show_graph(graph: Subgraph, key: str, height: int = 560) -> GraphAction | None:
    """Draw ``graph`` and return the reader's latest action on it (None before any).

    The component's click moves the node picker to the clicked node, so the picker always holds the
    current selection and the page needs only one code path.
    """
    picker = f"{key}_node"
    names = {n.id: f"{n.name} ({n.label})" for n in graph.nodes}
    action = _draw_component(graph, key, height) if st_link_analysis else None
    if action and action.node_id in names:
        st.session_state[picker] = action.node_id
    if st.session_state.get(picker) not in names:
        st.session_state[picker] = None
    with st.expander("Graph as a table", expanded=st_link_analysis is None):
        st.dataframe(edge_table(graph.edges, names), hide_index=True, width="stretch")
    chosen = st.selectbox("Node", options=list(names), format_func=names.__getitem__, key=picker,
                          placeholder="Click a node in the graph, or pick one here")
    if action and action.action == "expand":
        return action
    return GraphAction("select", chosen) if chosen else None


def edge_table(edges: tuple[GraphEdge, ...], names: dict[str, str]) -> pd.DataFrame:
    """Edges as rows (from, relation, to, label) - the rendering without the component."""
    return pd.DataFrame([{"from": names.get(e.source, e.source), "relation": e.type,
                          "to": names.get(e.target, e.target), "label": e.caption} for e in edges],
                        columns=["from", "relation", "to", "label"])


def _draw_component(graph: Subgraph, key: str, height: int) -> GraphAction | None:
    """Render with st-link-analysis; a click or expand not seen before becomes an action."""
    node_styles = [NodeStyle(label, colour, "name", icon) for label, (colour, icon) in NODE_LOOK.items()]
    edge_styles = [EdgeStyle(t, EDGE_COLOUR, caption="caption", directed=True,
                             labeled=None)  # type: ignore[arg-type]  # None silences its deprecation warning
                   for t in sorted({e.type for e in graph.edges})]
    value = st_link_analysis(elements(graph), layout="fcose", node_styles=node_styles, edge_styles=edge_styles,
                             height=height, key=f"{key}_component", node_actions=["expand"],
                             events=[ComponentEvent("select_node", "tap", "node")])
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
    """Nodes, relationships and paths found in query results (``kg.graph.read.to_plain`` shapes),
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
