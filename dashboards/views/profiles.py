"""Profiles: a person, country or organisation - roles over time, counterparts, events, sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.common import NO_EVENTS, entity_picker, events_table, minutes
from dashboards.data import fetch
from dashboards.filters import current_filters, keep_in_url
from dashboards.names import own_aliases
from dashboards.tables import table
from kg import queries

st.title("Profiles")
entity_id = entity_picker("A person, country, organisation or place.")
keep_in_url("q", "entity")
if entity_id is None:
    st.info("Search an actor above to see its profile.")
    st.stop()

with st.spinner("Loading the profile…"):
    found = fetch(queries.profile, entity_id, current_filters())
if found is None:
    st.warning(f"No person, country, organisation or place has the id {entity_id!r}.")
    st.stop()

props = found["properties"]
st.header(f"{found['name']} ({found['label']})")
facts = [f"id `{found['id']}`"]
if props.get("role"):
    facts.append(f"latest role: {props['role']}")
if props.get("country"):
    facts.append(f"country: {props['country']}")
st.caption(" · ".join(facts))
aliases = [a for a in own_aliases(props.get("aliases") or []) if a != found["name"]]
if aliases:  # forms naming a pair of states (中美外长, 俄中外长) are not names of this actor
    st.text("Also written: " + ", ".join(aliases))

left, right = st.columns(2)
with left:
    st.subheader("Roles over time")
    if found["roles"]:
        roles = pd.DataFrame(found["roles"])
        for column in ("first_seen", "last_seen"):
            roles[column] = roles[column].map(minutes)
        table(roles, "roles")
    else:
        st.caption("No role stated in the articles.")
with right:
    st.subheader("Counterparts")
    if found["counterparts"]:
        table(pd.DataFrame(found["counterparts"]), "counterparts",
              column_order=["name", "label", "events", "first", "last", "id"])
    else:
        st.caption("No shared events in the filters.")
if found["members"]:
    st.subheader("People and bodies of this country")
    table(pd.DataFrame(found["members"]), "members",
          column_order=["name", "label", "role", "id"])

st.subheader("Events")
if found["events"]:
    events_table(found["events"], key="profile_events")
else:
    st.info(NO_EVENTS)

st.subheader("Sources")
if found["sources"]:
    sources = pd.DataFrame(found["sources"])
    sources["published"] = sources["published"].map(minutes)
    table(sources, "sources", column_order=["published", "title", "source", "evidence", "url"],
          column_config={"url": st.column_config.LinkColumn("url"),
                         "evidence": st.column_config.TextColumn(width="large")})
else:
    st.caption("No article names this entity.")
