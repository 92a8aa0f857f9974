"""Relations: a country x country matrix of shared events in the filters; pick a cell for its events."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.common import NO_EVENTS, events_table
from dashboards.data import fetch
from dashboards.filters import current_filters, keep_in_url, url_state
from dashboards.names import country_name
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
for end in ("a", "b"):
    frame[f"{end}_name"] = [country_name(c, n) for c, n in zip(frame[end], frame[f"{end}_name"], strict=True)]
cells = pd.concat([frame, frame.rename(columns={"a": "b", "b": "a", "a_name": "b_name", "b_name": "a_name"})])
shown = [s["iso2"] for s in matrix.states]
if matrix.ranked > len(shown):
    st.caption(f"The {len(shown)} countries with the most shared events of {matrix.ranked} are shown; "
               "filter by country to see others.")
names = {s["iso2"]: country_name(s["iso2"], s["name"]) for s in matrix.states}
order = [names[c] for c in shown]

# Rows and columns by the country's name, every one labelled (Vega-Lite drops overlapping labels
# unless told not to); the codes and the count on hover; a click selects the pair.
pick = alt.selection_point(fields=["a", "b"], name="cell")
axis = alt.Axis(labelOverlap=False, labelLimit=160, labelFontSize=11)
heatmap = alt.Chart(cells).mark_rect(stroke="white", strokeWidth=0.5).encode(
    x=alt.X("a_name:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False, labelLimit=160, labelFontSize=11,
                                                              labelAngle=-60, orient="top")),
    y=alt.Y("b_name:N", sort=order, title=None, axis=axis),
    color=alt.Color("events:Q", scale=alt.Scale(scheme="orangered"), title="shared events"),
    tooltip=[alt.Tooltip("a_name:N", title="country"), alt.Tooltip("a:N", title="code"),
             alt.Tooltip("b_name:N", title="and country"), alt.Tooltip("b:N", title="code"),
             alt.Tooltip("events:Q", title="shared events")],
).add_params(pick).properties(height=max(240, 20 * len(shown)))
st.caption("Click a cell to list that pair's events below.")
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
