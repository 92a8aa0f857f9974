"""Analytics: who is central, which groups form, and how two actors connect (kg.analytics, the
same functions as `kg analyze`, so the page and the command agree for the same filters)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.common import NO_EVENTS
from dashboards.data import CACHE_TTL_S, fetch
from dashboards.filters import current_filters, keep_in_url, url_state
from dashboards.graph_view import colour_scale
from dashboards.tables import table as show_table
from kg import analytics, queries


@st.cache_data(ttl=CACHE_TTL_S, show_spinner="Computing centrality and communities…")
def scores(filters: queries.Filters, labels: tuple[str, ...]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Centrality and community rows of the selection (betweenness takes a while: once per selection)."""
    g = analytics.actor_graph(fetch(analytics.participations, filters, labels))
    return analytics.centrality(g), analytics.community_table(g)


st.title("Analytics")
st.caption("Computed on the co-participation graph, as `kg analyze` computes it: two actors are linked when "
           "they took part in the same events, weighted by how many. Communities: Louvain (fixed seed), "
           "numbered largest first.")
labels = st.multiselect("Actors to include", options=list(queries.PARTY_LABELS),
                        key=url_state("labels", list(queries.PARTY_LABELS), many=True, choices=queries.PARTY_LABELS))
keep_in_url("labels")
if not labels:
    st.info("Choose at least one kind of actor.")
    st.stop()
filters = current_filters()
with st.spinner("Fetching the co-participation graph…"):
    parts = fetch(analytics.participations, filters, tuple(labels))
g = analytics.actor_graph(parts)
if not g.number_of_edges():
    st.info(NO_EVENTS)
    st.stop()
events, undated = len({p.event for p in parts}), analytics.undated_events(parts)
st.write(f"{events - undated} dated events" + (f" + {undated} undated (by first report)" if filters.undated else "")
         + f", {g.number_of_nodes()} actors, {g.number_of_edges()} links.")

centrality, communities = scores(filters, tuple(labels))
st.subheader("Centrality")
table = pd.DataFrame(centrality)
st.altair_chart(alt.Chart(table.head(25)).mark_bar().encode(
    x=alt.X("pagerank:Q", title="PageRank"), y=alt.Y("name:N", sort="-x", title=None),
    color=alt.Color("label:N", title="kind", scale=colour_scale()),
    tooltip=["name", "label", "events", "degree", "betweenness", "pagerank", "community"],
), width="stretch")
show_table(table, "centrality",
           column_config={column: st.column_config.NumberColumn(format="%.3f")
                          for column in ("degree", "betweenness", "pagerank")})

st.subheader("Communities")
show_table(communities, "communities", column_order=["community", "size", "members"])

st.subheader("Shortest path")
names = {row.id: f"{row.name} ({row.label})" for row in table.itertuples()}
left, right = st.columns(2)
source = left.selectbox("From", options=list(names), format_func=names.__getitem__,
                        key=url_state("from_actor", choices=names))
target = right.selectbox("To", options=list(names), format_func=names.__getitem__,
                         key=url_state("to_actor", choices=names))
keep_in_url("from_actor", "to_actor")
if source and target and source != target:
    hops = analytics.shortest_connection(g, source, target)
    if hops:
        st.write(" → ".join(names[h["actor"]] for h in hops) + f" ({len(hops) - 1} steps)")
        show_table([{"actor": names[h["actor"]], "via event": h["via"] or ""} for h in hops], "shortest-path")
    else:
        st.info("These two are not connected in the filtered graph.")
