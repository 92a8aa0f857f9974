"""Event: one event with its participants, dates, place, status and every source with its evidence."""

from __future__ import annotations

import streamlit as st

from dashboards.common import NO_EVENTS, PROFILE_PAGE, as_text, minutes, quoted
from dashboards.data import fetch
from dashboards.filters import current_filters, keep_in_url, url_state
from kg import queries

st.title("Event")
recent = fetch(queries.latest_events, current_filters(), 300)
labels = {r["id"]: f"{queries.event_day(r['start'], r['reported'])} · {r['type']} · {', '.join(r['participants'][:4])}"
          for r in recent}
current = st.session_state.get(url_state("event"))
if current and current not in labels:
    labels = {current: current, **labels}
event_id = st.selectbox("Event", options=list(labels), format_func=labels.__getitem__, key="event",
                        placeholder="Choose an event (the latest 300 in the filters)")
keep_in_url("event")

if not labels:
    st.info(NO_EVENTS)
elif event_id is None:
    st.info("Choose an event above, or open one from the Overview, Timeline, Profiles or Relations pages.")
else:
    with st.spinner("Loading the event…"):
        event = fetch(queries.event_detail, event_id)
    if event is None:
        st.warning(f"No event with id `{as_text(event_id)}` in the graph (it may have been merged or removed "
                   "by a later update).")
    else:
        st.header(f"{event['type']} · {queries.event_day(event['start'], event['reported'])}"
                  + (f" – {event['end']}" if event["end"] and event["end"] != event["start"] else ""))
        cols = st.columns(4)
        cols[0].metric("Status", event["status"] or "?")
        cols[1].metric("Place", (event["place"] or {}).get("name") or "not stated")
        cols[2].metric("Sources", event["sources"] or len(event["reports"]))
        cols[3].metric("Confidence", f"{event['confidence'] or 0:.2f}")
        st.subheader("Participants")
        for p in event["participants"]:
            role = f", {p['role']}" if p.get("role") else ""
            st.page_link(PROFILE_PAGE, label=f"{p['name']} ({p['label']}{role})", query_params={"entity": p["id"]})
        st.subheader("Sources")
        for report in event["reports"]:
            with st.container(border=True):
                st.markdown(f"**{as_text(report['title'] or report['article'])}**")
                if (report["url"] or "").startswith(("http://", "https://")):
                    st.link_button("Open the article", report["url"])
                elif report["path"]:
                    st.caption(f"File: {as_text(report['path'])}")
                st.caption(f"{report['source'] or 'unknown outlet'} · published {minutes(report['published']) or '?'} · "
                           f"reported as {report['status']} {report['start'] or '(no day given)'} · "
                           f"confidence {report['confidence'] or 0:.2f}")
                st.markdown(quoted(report["evidence"]))
