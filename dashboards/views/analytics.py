"""Analytics: who is central, which groups form, and how two actors connect (networkx)."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboards.analytics_view import (
    centrality,
    communities,
    shortest_path,
    to_networkx,
)
from dashboards.common import NO_EVENTS
from dashboards.data import fetch
from dashboards.filters import current_filters, keep_in_url, url_state
from dashboards.graph_view import colour_scale
from dashboards.tables import table as show_table
from kg import queries

st.title("Analytics")
st.caption("Computed on the co-participation graph: two actors are linked when they took part in the same "
           "events, weighted by how many.")
labels = st.multiselect("Actors to include", options=list(queries.PARTY_LABELS),
                        key=url_state("labels", list(queries.PARTY_LABELS), many=True, choices=queries.PARTY_LABELS))
keep_in_url("labels")
if not labels:
    st.info("Choose at least one kind of actor.")
    st.stop()
with st.spinner("Fetching the co-participation graph…"):
    sub = fetch(queries.co_participation, current_filters(), tuple(labels))
if not sub.edges:
    st.info(NO_EVENTS)
    st.stop()
if sub.truncated:
    st.caption("Only the strongest pairs are used; narrow the filters for the full picture.")
g = to_networkx(sub)
st.write(f"{g.number_of_nodes()} actors, {g.number_of_edges()} links.")

st.subheader("Centrality")
table = centrality(g)
top = table.head(25)
st.altair_chart(alt.Chart(top).mark_bar().encode(
    x=alt.X("pagerank:Q", title="PageRank"), y=alt.Y("name:N", sort="-x", title=None),
    color=alt.Color("label:N", title="kind", scale=colour_scale()), tooltip=["name", "label", "events_together", "betweenness", "pagerank"],
), width="stretch")
show_table(table, "centrality",
           column_config={"betweenness": st.column_config.NumberColumn(format="%.3f"),
                          "pagerank": st.column_config.NumberColumn(format="%.3f")})

st.subheader("Communities")
show_table(communities(g), "communities")

st.subheader("Shortest path")
names = {row.id: f"{row.name} ({row.label})" for row in table.itertuples()}
left, right = st.columns(2)
source = left.selectbox("From", options=list(names), format_func=names.__getitem__,
                        key=url_state("from_actor", choices=names))
target = right.selectbox("To", options=list(names), format_func=names.__getitem__,
                         key=url_state("to_actor", choices=names))
keep_in_url("from_actor", "to_actor")
if source and target and source != target:
    path = shortest_path(g, source, target)
    if path:
        st.write(" → ".join(names[n] for n in path) + f" ({len(path) - 1} steps)")
    else:
        st.info("These two are not connected in the filtered graph.")
