"""Relations: a country x country matrix of shared events in the filters; pick a cell for its events."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.common import NO_EVENTS, events_table
from dashboards.data import fetch
from dashboards.filters import current_filters, keep_in_url, url_state
from kg import queries

LISTED = 500  # shared events listed for a cell, latest first

st.title("Relations")
filters = current_filters()
with st.spinner("Counting interactions…"):
    matrix = fetch(queries.relations_matrix, filters)
if not matrix.pairs:
    st.info(NO_EVENTS)
    st.stop()

frame = pd.DataFrame(matrix.pairs)
cells = pd.concat([frame, frame.rename(columns={"a": "b", "b": "a", "a_name": "b_name", "b_name": "a_name"})])
shown = [s["iso2"] for s in matrix.states]
if matrix.ranked > len(shown):
    st.caption(f"The {len(shown)} countries with the most shared events of {matrix.ranked} are shown; "
               "filter by country to see others.")
names = {s["iso2"]: s["name"] for s in matrix.states}

pick = alt.selection_point(fields=["a", "b"], name="cell")
heatmap = alt.Chart(cells).mark_rect().encode(
    x=alt.X("a:N", sort=shown, title=None), y=alt.Y("b:N", sort=shown, title=None),
    color=alt.Color("events:Q", scale=alt.Scale(scheme="orangered"), title="shared events"),
    tooltip=["a_name:N", "b_name:N", "events:Q"],
).add_params(pick).properties(height=max(240, 18 * len(shown)))
event = st.altair_chart(heatmap, width="stretch", on_select="rerun", key="matrix")
clicked = (event.selection.get("cell") or [{}])[0] if event else {}
if clicked.get("a") and clicked.get("b"):
    st.session_state["a"], st.session_state["b"] = clicked["a"], clicked["b"]

left, right = st.columns(2)
a = left.selectbox("Country", options=shown, format_func=lambda c: f"{names[c]} ({c})",
                   key=url_state("a", choices=shown), placeholder="Click a cell, or choose")
b = right.selectbox("and country", options=shown, format_func=lambda c: f"{names[c]} ({c})",
                    key=url_state("b", choices=shown))
keep_in_url("a", "b")
if not (a and b) or a == b:
    st.caption("Click a cell of the matrix (or choose two countries) to list their shared events.")
    st.stop()
st.subheader(f"{names[a]} and {names[b]}")
between = fetch(queries.events_between, a, b, filters, LISTED)
if between:
    if len(between) == LISTED:
        st.caption(f"The latest {LISTED} shared events; narrow the dates to see earlier ones.")
    events_table(between, key="relations_events")
else:
    st.info(f"{names[a]} and {names[b]} share no event in these filters. Widen the dates or clear the type filter.")
