"""Selections that live in the URL, and the shared sidebar filters (dates, countries, event types).

Every widget whose choice matters for sharing a view is keyed by the name of its query parameter:
``url_state`` seeds the widget from the URL the first time the page runs in a session, and
``keep_in_url`` writes the current choices back, so copying the address bar copies the view.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, timedelta
from typing import Any

import streamlit as st

from kg.queries import Filters

FILTER_KEYS = ("from", "to", "country", "type")
DEFAULT_SPAN_DAYS = 365  # a graph spanning years opens on its last year: the views stay quick to read and to query


def url_state(key: str, default: Any = None, *, parse: Callable[[str], Any] = str, many: bool = False,
              choices: Collection[Any] | None = None) -> str:
    """Seed ``st.session_state[key]`` from the query parameter ``key`` (once per session) and
    return the key, to pass as the widget's ``key=`` (the widget then takes no default of its own).
    Values that do not parse, or are not among ``choices`` (a link shared from a bigger graph),
    fall back to the default."""
    if key not in st.session_state:
        raw = st.query_params.get_all(key) if many else st.query_params.get(key)
        try:
            value = [parse(v) for v in raw] if many and raw else (parse(raw) if raw and not many else default)
        except ValueError:
            value = default
        st.session_state[key] = value
    if choices is not None:  # also when another page left a value this page's choices lack
        value = st.session_state[key]
        st.session_state[key] = [v for v in value or () if v in choices] if many else (
            value if value in choices else default)
    return key


def keep_in_url(*keys: str) -> None:
    """Write the widgets' current values to the URL (empty ones are removed)."""
    for key in keys:
        value = st.session_state.get(key)
        if value is None or value == "" or value == []:
            st.query_params.pop(key, None)
        elif isinstance(value, (list, tuple)):
            st.query_params[key] = [_url_text(v) for v in value]
        else:
            st.query_params[key] = _url_text(value)


def _url_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def sidebar_filters(options: dict[str, Any]) -> Filters:
    """Draw the shared filters in the sidebar and return the selection.

    ``options`` is :func:`kg.queries.filter_options`: the countries and event types present and the
    first and last event day (the date pickers' bounds).
    """
    countries = {iso2: name for iso2, name in options["countries"]}
    types: Sequence[str] = options["types"]
    sb = st.sidebar
    sb.header("Filters")
    sb.date_input("From", key=url_state("from", default_start(options), parse=date.fromisoformat),
                  format="YYYY-MM-DD",
                  help="First day of the events shown (events without a known day are then left out). "
                       f"A graph spanning more than {DEFAULT_SPAN_DAYS} days opens on its last year.")
    sb.date_input("To", key=url_state("to", parse=date.fromisoformat), format="YYYY-MM-DD")
    sb.multiselect("Countries", options=list(countries), key=url_state("country", [], many=True, choices=countries),
                   format_func=lambda iso2: f"{countries.get(iso2, iso2)} ({iso2})",
                   help="Only events in which at least one of these countries took part.")
    sb.multiselect("Event types", options=list(types), key=url_state("type", [], many=True, choices=types))
    if options["first"]:
        sb.caption(f"Events in the graph: {options['first']} – {options['last']}")
    keep_in_url(*FILTER_KEYS)
    return current_filters()


def default_start(options: dict[str, Any]) -> date | None:
    """No lower bound for a graph of a year or less; else the year before its last event day."""
    if not options["first"] or not options["last"]:
        return None
    first, last = date.fromisoformat(str(options["first"])), date.fromisoformat(str(options["last"]))
    return last - timedelta(days=DEFAULT_SPAN_DAYS) if (last - first).days > DEFAULT_SPAN_DAYS else None


def current_filters() -> Filters:
    """The sidebar selection as :class:`kg.queries.Filters` (the sidebar runs before every page)."""
    state = st.session_state
    return Filters(start=state.get("from"), end=state.get("to"),
                   countries=tuple(state.get("country") or ()), types=tuple(state.get("type") or ()))
