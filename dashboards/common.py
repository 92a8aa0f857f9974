"""Pieces several pages share: the entity picker, the events table, links, empty-state messages."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.data import fetch
from dashboards.filters import url_state
from dashboards.tables import table
from kg import queries

EVENT_PAGE = "views/event.py"
PROFILE_PAGE = "views/profiles.py"
NO_EVENTS = ("No dated events match these filters. Widen the dates, clear the country or type filters in "
             "the sidebar, tick \"Also show undated events\", or load more articles (`kg update`).")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def as_text(text: str | None) -> str:
    """Article text made inert for ``st.markdown``: markup characters are escaped, so a sentence
    is shown exactly as written and never interpreted (HTML is never enabled anywhere)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def quoted(evidence: str | None) -> str:
    """Evidence as a block quote, a sentence per line: a report's evidence holds every sentence of
    its article that tells of the event, one per line (REPORTED_IN.evidence)."""
    return "\n\n".join("> " + as_text(line) for line in (evidence or "").splitlines() or [""])


def entity_picker(help_text: str) -> str | None:
    """Search box plus a choice among the matches; the chosen entity id is kept in the URL (``entity``)."""
    query = st.text_input("Search an actor", key=url_state("q", "", parse=lambda v: v[:queries.SEARCH_CHARS]),
                          help=help_text, placeholder="e.g. Lavrov, 王毅, China, NATO", max_chars=queries.SEARCH_CHARS)
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


def minutes(value: Any) -> str:
    """A stored time (ISO, with seconds to the nanosecond) to the minute, as a reader wants it:
    ``2026-12-03T13:31:16.123456789+00:00`` -> ``2026-12-03 13:31``; a bare day stays a day."""
    text = "" if value is None else str(value)
    return text[:16].replace("T", " ") if len(text) > 10 and text[10] == "T" else text


def events_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Events as a table in readable columns: an undated event's day reads "undated (reported
    DAY)", an unknown place is an empty cell, participants one comma-separated cell."""
    columns = ["start", "end", "type", "status", "participants", "place", "sources", "evidence", "id"]
    frame = pd.DataFrame(rows, columns=[c for c in columns if not rows or c in rows[0]] or columns)
    if "start" in frame:
        reported = [r.get("reported") for r in rows] if rows else []
        frame["start"] = [queries.event_day(s, r) for s, r in zip(frame["start"], reported, strict=True)]
    for column in ("end", "place", "status", "evidence"):
        if column in frame:
            frame[column] = frame[column].map(lambda v: "" if v is None or v != v else str(v))
    if "participants" in frame:
        frame["participants"] = frame["participants"].map(lambda names: ", ".join(names or []))
    return frame


def events_table(rows: list[dict[str, Any]], key: str) -> None:
    """The events, one per row, dated ones first; the undated ones (there only when the sidebar
    asks for them) in a table of their own below, labelled. Selecting a row opens the event."""
    dated = [r for r in rows if r.get("start")]
    undated = [r for r in rows if not r.get("start")]
    chosen = _events_table(dated, key) if dated or not undated else None
    if undated:
        st.markdown(f"**Undated events ({len(undated)})**: no report gives their day; listed by the day "
                    "they were first reported, which they happened before (or, if planned, after).")
        chosen = _events_table(undated, f"{key}_undated") or chosen
    st.caption("Select a row to open the event with all its sources.")
    if chosen:
        st.switch_page(EVENT_PAGE, query_params={"event": chosen})


def _events_table(rows: list[dict[str, Any]], key: str) -> str | None:
    frame = events_frame(rows)
    state = table(frame, key, key=key, on_select="rerun", selection_mode="single-row",
                  column_config={"start": st.column_config.TextColumn("day"),
                                 "evidence": st.column_config.TextColumn(width="large"),
                                 "id": st.column_config.TextColumn("event id")})
    return frame.iloc[state.selection.rows[0]]["id"] if state.selection.rows else None
