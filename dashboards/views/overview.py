"""Overview: how big the graph is, the latest events, and how the last update went."""

from __future__ import annotations

import streamlit as st

from dashboards.common import NO_EVENTS, events_table, minutes
from dashboards.data import fetch
from dashboards.filters import current_filters
from dashboards.tables import table
from kg import queries

COUNT_LABELS = {"people": "People", "countries": "Countries", "organizations": "Organisations",
                "places": "Places", "events": "Events", "articles": "Articles", "sources": "Sources"}

st.title("Diplomatic events: overview")
counts = fetch(queries.overview_counts)
for column, (key, label) in zip(st.columns(len(COUNT_LABELS)), COUNT_LABELS.items(), strict=True):
    column.metric(label, f"{counts.get(key, 0):,}")

if not counts.get("articles"):
    st.info("The graph is empty. Load articles first: `kg extract sample/articles --format jsonl > s.jsonl && "
            "kg load s.jsonl`, or `kg update` for the configured sources.")

st.subheader("Latest events")
latest = fetch(queries.latest_events, current_filters(), 20)
if latest:
    events_table(latest, key="latest_events")
else:
    st.info(NO_EVENTS)

st.subheader("Last update")
run = fetch(queries.last_run)
if run is None:
    st.info("No load or update has been recorded yet (`kg load` and `kg update` record their runs).")
else:
    st.write(f"Run `{run['id']}` ({run['command']}): started {minutes(run['started'])}, "
             f"finished {minutes(run['finished']) or '(still running or interrupted)'}.")
    st.write(f"{run['articles'] or 0} articles loaded, {run['failed'] or 0} failed.")
    if run["errors"]:
        st.warning(f"{len(run['errors'])} problems in the last run:")
        table([{"problem": e} for e in run["errors"]], "last-run-problems")
