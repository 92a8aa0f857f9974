"""Selections that live in the URL, and the shared sidebar filters (dates, countries, event types,
undated events).

The filters open on the whole graph: no date bound unless the reader (or a shared link) sets one,
and the filters in force are written at the top of every page (``active_filters``), so nothing is
hidden. Every widget whose choice matters for sharing a view is keyed by the name of its query parameter:
``url_state`` seeds the widget from the URL the first time the page runs in a session, and
``keep_in_url`` writes the current choices back, so copying the address bar copies the view.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any

import streamlit as st

from kg.queries import Filters

FILTER_KEYS = ("from", "to", "country", "type", "undated")
LIST_CAP = 50  # values of one many-valued URL parameter kept (more is no one's selection)


def clamped(low: int, high: int) -> Callable[[str], int]:
    """A URL parser for an integer widget: the value brought into ``[low, high]`` (``depth=99``
    from a link becomes the deepest allowed instead of an error on the page)."""
    return lambda raw: min(max(int(raw), low), high)


def flag(raw: str) -> bool:
    """A URL parser for a checkbox: ``1``, ``true``, ``yes``, ``on`` are ticked."""
    return raw.strip().lower() in ("1", "true", "yes", "on")


def url_state(key: str, default: Any = None, *, parse: Callable[[str], Any] = str, many: bool = False,
              choices: Collection[Any] | None = None) -> str:
    """Seed ``st.session_state[key]`` from the query parameter ``key`` (once per session) and
    return the key, to pass as the widget's ``key=`` (the widget then takes no default of its own).
    Values that do not parse, or are not among ``choices`` (a link shared from a bigger graph),
    fall back to the default."""
    if key not in st.session_state:
        raw = st.query_params.get_all(key)[:LIST_CAP] if many else st.query_params.get(key)
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
        if value is None or value is False or value == "" or value == []:
            st.query_params.pop(key, None)
        elif isinstance(value, (list, tuple)):
            st.query_params[key] = [_url_text(v) for v in value]
        else:
            st.query_params[key] = _url_text(value)


def _url_text(value: Any) -> str:
    if value is True:
        return "1"
    return value.isoformat() if isinstance(value, date) else str(value)


def sidebar_filters(options: dict[str, Any]) -> Filters:
    """Draw the shared filters in the sidebar and return the selection.

    ``options`` is :func:`kg.queries.filter_options`: the countries and event types present and the
    first and last event day (the date pickers' bounds).
    """
    countries = {iso2: name for iso2, name in options["countries"]}
    types: Sequence[str] = options["types"]
    first, last = (date.fromisoformat(str(options[k])) if options[k] else None for k in ("first", "last"))
    sb = st.sidebar
    sb.header("Filters")
    sb.date_input("From", key=url_state("from", parse=date.fromisoformat), format="YYYY-MM-DD",
                  min_value=date(1, 1, 1), max_value=date(9999, 12, 31),
                  help="First day of the events shown. Empty: from the first event in the graph.")
    sb.date_input("To", key=url_state("to", parse=date.fromisoformat), format="YYYY-MM-DD",
                  min_value=date(1, 1, 1), max_value=date(9999, 12, 31),
                  help="Last day of the events shown. Empty: up to the last event in the graph.")
    sb.multiselect("Countries", options=list(countries), key=url_state("country", [], many=True, choices=countries),
                   format_func=lambda iso2: f"{countries.get(iso2, iso2)} ({iso2})",
                   help="Only events in which at least one of these countries took part.")
    sb.multiselect("Event types", options=list(types), key=url_state("type", [], many=True, choices=types))
    sb.checkbox("Also show undated events", key=url_state("undated", False, parse=flag),
                help="Events no report gives a day for, taken when their first report was published in the "
                     "dates above. Lists show them apart, after the dated ones, as \"undated (reported DAY)\"; "
                     "charts and counts by day or month leave them out.")
    if first:
        sb.caption(f"Events in the graph: {first} – {last}")
    keep_in_url(*FILTER_KEYS)
    return current_filters()


def current_filters() -> Filters:
    """The sidebar selection as :class:`kg.queries.Filters` (the sidebar runs before every page)."""
    state = st.session_state
    return Filters(start=state.get("from"), end=state.get("to"),
                   countries=tuple(state.get("country") or ()), types=tuple(state.get("type") or ()),
                   undated=bool(state.get("undated")))


def describe(filters: Filters, country_names: dict[str, str] | None = None) -> str:
    """The filters in force, in words, for the top of every page."""
    names = country_names or {}
    if filters.start or filters.end:
        dates = f"{filters.start or 'the first event'} to {filters.end or 'the last event'}"
    else:
        dates = "all dates"
    parts = [f"**Filters:** {dates}",
             "countries: " + (", ".join(names.get(c, c) for c in filters.countries) if filters.countries else "all"),
             "event types: " + (", ".join(filters.types) if filters.types else "all"),
             "undated events: " + ("shown apart" if filters.undated else "hidden (sidebar: \"Also show undated events\")")]
    return " · ".join(parts)
