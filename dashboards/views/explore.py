"""Explore: an actor's neighbourhood as an interactive graph; click a node for details, expand it."""

from __future__ import annotations

import streamlit as st

from dashboards.common import (
    EVENT_PAGE,
    NO_EVENTS,
    PROFILE_PAGE,
    as_text,
    entity_picker,
)
from dashboards.data import fetch
from dashboards.filters import current_filters, keep_in_url, url_state
from dashboards.graph_view import show_graph
from kg import queries

st.title("Explore")
entity_id = entity_picker("Names and aliases in any language the articles use.")
st.slider("Depth (event hops)", min_value=1, max_value=3, key=url_state("depth", 1, parse=int),
          help="1: the actor's own events and who took part; 2: also those people's events; ...")
expanded: list[str] = st.session_state[url_state("expand", [], many=True)]
keep_in_url("q", "entity", "depth", "expand")


def expand(node_id: str) -> None:
    if node_id not in st.session_state["expand"]:
        st.session_state["expand"] = [*st.session_state["expand"], node_id]


if entity_id is None:
    st.info("Search an actor above (a person, country or organisation) to draw its neighbourhood.")
    st.stop()

with st.spinner("Fetching the neighbourhood…"):
    graph = fetch(queries.neighbourhood, [entity_id, *expanded], st.session_state["depth"], current_filters(),
                  queries.NODE_CAP)
if len(graph.nodes) <= 1:
    st.info(NO_EVENTS)
    st.stop()
st.caption(f"{len(graph.nodes)} nodes, {len(graph.edges)} edges. Colours: people blue, countries red, "
           "organisations green, places purple, events orange. Edge labels give the event type and day.")
if graph.truncated:
    st.warning(f"The graph is capped at {queries.NODE_CAP} nodes so it stays readable: the newest events "
               "are shown and older ones left out. Narrow the dates or event types to see the rest.")
if expanded and st.button("Undo expansions"):
    st.session_state["expand"] = []
    st.rerun()

action = show_graph(graph, key="explore")
if action and action.action == "expand":
    expand(action.node_id)
    st.rerun()
if action:
    node = next(n for n in graph.nodes if n.id == action.node_id)
    st.subheader(f"{node.name} ({node.label})")
    if node.label == "Event":
        detail = fetch(queries.event_detail, node.id)
        if detail:
            st.write(f"{detail['status']} · {detail['start'] or 'undated'} · "
                     f"{len(detail['participants'])} participants · {detail['sources']} sources")
            st.markdown("> " + as_text(detail["evidence"]))
        st.page_link(EVENT_PAGE, label="Open the event with all its sources", query_params={"event": node.id})
    else:
        st.page_link(PROFILE_PAGE, label="Open the profile", query_params={"entity": node.id})
    if node.id != entity_id and node.id not in expanded:
        st.button("Expand this node", on_click=expand, args=(node.id,),
                  help="Add this node's own events and their participants to the graph.")
