"""Pieces several pages share: the entity picker, the events table, links, empty-state messages."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.data import fetch
from dashboards.filters import url_state
from kg import queries

EVENT_PAGE = "views/event.py"
PROFILE_PAGE = "views/profiles.py"
NO_EVENTS = ("No events match these filters. Widen the dates, clear the country or type filters in the "
             "sidebar, or load more articles (`kg update`).")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def as_text(text: str | None) -> str:
    """Article text made inert for ``st.markdown``: markup characters are escaped, so a sentence
    is shown exactly as written and never interpreted (HTML is never enabled anywhere)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def entity_picker(help_text: str) -> str | None:
    """Search box plus a choice among the matches; the chosen entity id is kept in the URL (``entity``)."""
    query = st.text_input("Search an actor", key=url_state("q", ""), help=help_text,
                          placeholder="e.g. Lavrov, 王毅, China, NATO")
    matches = fetch(queries.search_entities, query, 30) if query else []
    options = {m["id"]: f"{m['name']} ({m['label']}, {m['events']} events)" for m in matches}
    current = st.session_state.get(url_state("entity"))
    if current and current not in options:  # chosen earlier, or from a shared link
        known = {n.id: f"{n.name} ({n.label})" for n in fetch(queries.describe_nodes, [current])}
        options = {current: known.get(current, current), **options}
    if query and not matches:
        st.info(f"Nothing named like “{query}”. Try another spelling (English, simplified or traditional "
                "Chinese) or part of the name.")
    return st.selectbox("Actor", options=list(options), format_func=options.__getitem__, key="entity",
                        placeholder="Search first, then choose here")


def events_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Events as a table, newest information in readable columns (text cells stay plain text)."""
    columns = ["start", "end", "type", "status", "participants", "place", "sources", "evidence", "id"]
    frame = pd.DataFrame(rows, columns=[c for c in columns if not rows or c in rows[0]] or columns)
    if "participants" in frame:
        frame["participants"] = frame["participants"].map(lambda names: ", ".join(names or []))
    return frame


def events_table(rows: list[dict[str, Any]], key: str) -> None:
    """The events, one per row; selecting a row opens it on the Event page."""
    frame = events_frame(rows)
    state = st.dataframe(frame, key=key, hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row",
                         column_config={"evidence": st.column_config.TextColumn(width="large"),
                                        "id": st.column_config.TextColumn("event id")})
    st.caption("Select a row to open the event with all its sources.")
    if state.selection.rows:
        st.switch_page(EVENT_PAGE, query_params={"event": frame.iloc[state.selection.rows[0]]["id"]})
