"""Timeline: monthly event counts of chosen actors (from the pre-aggregates, quick on any span) and
their latest events drawn day by day, planned vs occurred; or the latest events of a country pair."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.common import NO_EVENTS, events_table
from dashboards.data import fetch
from dashboards.filters import current_filters, keep_in_url, url_state
from kg import queries

MODES = ("Actors", "Country pair")
LISTED = 500  # events listed and drawn day by day; the monthly chart counts all of them


def monthly_chart(monthly: list[dict[str, object]]) -> alt.Chart:
    """Events per month, one line per actor (types summed; the tooltip names the month)."""
    frame = pd.DataFrame(monthly).groupby(["month", "actor"], as_index=False)["events"].sum()
    frame["month"] = pd.to_datetime(frame["month"] + "-01")
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("yearmonth(month):T", title="month"), y=alt.Y("events:Q", title="events"),
        color=alt.Color("actor:N", title="actor"), tooltip=["actor:N", "yearmonth(month):T", "events:Q"],
    ).properties(height=220)


def day_chart(frame: pd.DataFrame, series: str) -> alt.Chart:
    """Each listed event on its day, one row per ``series`` value; shape = planned / occurred."""
    return alt.Chart(frame).mark_point(size=120, filled=True).encode(
        x=alt.X("start:T", title="day"),
        y=alt.Y(f"{series}:N", title=None),
        color=alt.Color("type:N", title="event type"),
        shape=alt.Shape("status:N", title="status", scale=alt.Scale(domain=["occurred", "planned", "cancelled"])),
        tooltip=["start:T", "type:N", "status:N", "place:N", "evidence:N"],
    ).properties(height=max(160, 45 * frame[series].nunique()))


st.title("Timeline")
filters = current_filters()
mode = st.radio("Show", MODES, horizontal=True, key=url_state("mode", MODES[0], choices=MODES))
if mode == "Actors":
    actors = {a["id"]: f"{a['name']} ({a['label']}, {a['events']})" for a in fetch(queries.top_actors, filters, 300)}
    chosen = st.multiselect("Actors", options=list(actors), format_func=actors.__getitem__,
                            key=url_state("actor", [], many=True, choices=actors),
                            help="The 300 actors with the most dated events in the filters.")
    keep_in_url("mode", "actor")
    ready, prompt, series = bool(chosen), "Choose one or more actors above.", "actor"
    monthly = fetch(queries.actor_monthly_counts, chosen, filters) if ready else []
    listing = fetch(queries.timeline_events, chosen, filters, LISTED) if ready else {"events": [], "total": 0}
    rows, total = listing["events"], listing["total"]
else:
    countries = {iso2: name for iso2, name in fetch(queries.filter_options)["countries"]}
    left, right = st.columns(2)
    a = left.selectbox("Country", options=list(countries), format_func=countries.__getitem__,
                       key=url_state("a", choices=countries))
    b = right.selectbox("and country", options=list(countries), format_func=countries.__getitem__,
                        key=url_state("b", choices=countries))
    keep_in_url("mode", "a", "b")
    ready, prompt, series = bool(a and b and a != b), "Choose two different countries above.", "type"
    monthly, rows = [], fetch(queries.events_between, a, b, filters, LISTED) if ready else []
    total = len(rows)

if not rows:
    st.info(NO_EVENTS if ready else prompt)
    st.stop()

if monthly:
    st.altair_chart(monthly_chart(monthly), width="stretch")
frame = pd.DataFrame(rows)
if series == "actor":  # an event of several chosen actors is drawn on each of their rows
    frame = frame.explode("actors").rename(columns={"actors": "actor"})
dated = frame[frame["start"].notna()].assign(start=lambda f: pd.to_datetime(f["start"]))
shown = frame["id"].nunique()
caption = f"{shown} events" if shown < LISTED else f"The latest {shown} events"
if monthly and shown == LISTED:
    caption += f" of {total:,} in the monthly chart (which counts an event of two chosen actors for each)"
caption += "."
undated = shown - dated["id"].nunique()
st.caption(caption + (f" {undated} without a known day are listed below but not drawn." if undated else ""))
if not dated.empty:
    st.altair_chart(day_chart(dated, series), width="stretch")
events_table(frame.drop_duplicates("id").to_dict("records"), key="timeline_events")
