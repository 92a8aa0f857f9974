"""Explore: an actor's neighbourhood as an interactive graph; click a node for details, expand it."""

from __future__ import annotations

import streamlit as st

from dashboards.common import (
    EVENT_PAGE,
    NO_EVENTS,
    PROFILE_PAGE,
    entity_picker,
    quoted,
)
from dashboards.data import fetch
from dashboards.filters import clamped, current_filters, keep_in_url, url_state
from dashboards.graph_view import show_graph
from kg import queries

st.title("Explore")
entity_id = entity_picker("Names and aliases in any language the articles use.")
MAX_DEPTH = 3
st.slider("Depth (event hops)", min_value=1, max_value=MAX_DEPTH, key=url_state("depth", 1, parse=clamped(1, MAX_DEPTH)),
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
events = sorted(str(n.properties["start"]) for n in graph.nodes if n.label == "Event" and n.properties.get("start"))
st.caption(f"{len(graph.nodes)} nodes, {len(graph.edges)} edges, {len(events)} dated events"
           + (f" from {events[0]} to {events[-1]}" if events else "") + ". Names as the articles write them; "
           "point at a node for its English name, click it for details, scroll to zoom, drag to pan.")
if graph.truncated:
    st.warning(f"Cut at {queries.NODE_CAP} nodes, so that every name stays readable: the newest events are "
               f"drawn, back to {events[0] if events else 'the first'}; older events"
               f"{' and the further hops' if st.session_state['depth'] > 1 else ''} are left out. "
               f"To see them, set **To** in the sidebar to the day before {events[0] if events else 'that'} "
               "(the picture moves back in time), choose fewer event types, or lower the depth.")
if expanded and st.button("Undo expansions"):
    st.session_state["expand"] = []
    st.rerun()

action = show_graph(graph, key="explore", centre=entity_id)
if action and action.action == "expand":
    expand(action.node_id)
    st.rerun()
if action:
    node = next(n for n in graph.nodes if n.id == action.node_id)
    st.subheader(f"{node.name} ({node.label})")
    if node.label == "Event":
        detail = fetch(queries.event_detail, node.id)
        if detail:
            st.write(f"{detail['status']} · {queries.event_day(detail['start'], detail['reported'])} · "
                     f"{len(detail['participants'])} participants · {detail['sources']} sources")
            st.markdown(quoted(detail["evidence"]))
        st.page_link(EVENT_PAGE, label="Open the event with all its sources", query_params={"event": node.id})
    else:
        st.page_link(PROFILE_PAGE, label="Open the profile", query_params={"entity": node.id})
    if node.id != entity_id and node.id not in expanded:
        st.button("Expand this node", on_click=expand, args=(node.id,),
                  help="Add this node's own events and their participants to the graph.")
