"""Timeline: events over time for chosen actors or a country pair, planned vs occurred."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.common import NO_EVENTS, events_table
from dashboards.data import fetch
from dashboards.filters import current_filters, keep_in_url, url_state
from kg import queries

MODES = ("Actors", "Country pair")

st.title("Timeline")
filters = current_filters()
mode = st.radio("Show", MODES, horizontal=True, key=url_state("mode", MODES[0], choices=MODES))
if mode == "Actors":
    actors = {a["id"]: f"{a['name']} ({a['label']}, {a['events']})" for a in fetch(queries.top_actors, filters, 300)}
    chosen = st.multiselect("Actors", options=list(actors), format_func=actors.__getitem__,
                            key=url_state("actor", [], many=True, choices=actors),
                            help="The 300 actors with the most events in the filters.")
    keep_in_url("mode", "actor")
    ready, prompt, series = bool(chosen), "Choose one or more actors above.", "actor"
    rows = fetch(queries.timeline, chosen, filters) if ready else []
else:
    countries = {iso2: name for iso2, name in fetch(queries.filter_options)["countries"]}
    left, right = st.columns(2)
    a = left.selectbox("Country", options=list(countries), format_func=countries.__getitem__,
                       key=url_state("a", choices=countries))
    b = right.selectbox("and country", options=list(countries), format_func=countries.__getitem__,
                        key=url_state("b", choices=countries))
    keep_in_url("mode", "a", "b")
    ready, prompt, series = bool(a and b and a != b), "Choose two different countries above.", "type"
    rows = fetch(queries.events_between, a, b, filters) if ready else []

if not rows:
    st.info(NO_EVENTS if ready else prompt)
    st.stop()

frame = pd.DataFrame(rows)
dated = frame[frame["start"].notna()].assign(start=lambda f: pd.to_datetime(f["start"]))
undated = len(frame) - len(dated)
st.caption(f"{frame['id'].nunique()} events" + (f"; {undated} without a known day are listed below but not drawn."
                                               if undated else "."))
if not dated.empty:
    chart = alt.Chart(dated).mark_point(size=120, filled=True).encode(
        x=alt.X("start:T", title="day"),
        y=alt.Y(f"{series}:N", title=None),
        color=alt.Color("type:N", title="event type"),
        shape=alt.Shape("status:N", title="status", scale=alt.Scale(domain=["occurred", "planned", "cancelled"])),
        tooltip=["start:T", "type:N", "status:N", "place:N", "evidence:N"],
    ).properties(height=max(160, 45 * dated[series].nunique()))
    st.altair_chart(chart, width="stretch")
    monthly = dated.drop_duplicates("id").assign(month=lambda f: f["start"].dt.to_period("M").dt.to_timestamp())
    bars = alt.Chart(monthly).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title="month"), y=alt.Y("count():Q", title="events"),
        color=alt.Color("status:N", title="status"), tooltip=["yearmonth(month):T", "status:N", "count():Q"],
    ).properties(height=180)
    st.altair_chart(bars, width="stretch")
events_table(frame.drop_duplicates("id").to_dict("records"), key="timeline_events")
