"""The dashboard's one Neo4j connection and its query cache.

Pages never open their own driver: ``fetch(queries.actor_monthly_counts, ...)`` runs a read function from
``kg.queries`` (or ``kg.analytics.participations``, the input of the Analytics page) with the shared driver and caches the plain result for ``CACHE_TTL_S`` seconds, so
moving between pages is instant while a ``kg update`` shows up after at most that long (or at once
with the sidebar's refresh button).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

import neo4j
import streamlit as st

from kg.config import load_config, neo4j_settings
from kg.errors import KgError
from kg.graph.connect import open_driver

T = TypeVar("T")
CACHE_TTL_S = 300
READERS = ("kg.queries", "kg.analytics")  # the modules whose functions take the driver first


@st.cache_resource(show_spinner=False)
def _open_driver() -> neo4j.Driver:
    return open_driver(neo4j_settings(load_config()))


def driver() -> neo4j.Driver:
    """The shared driver; without a reachable Neo4j the page says how to start one and stops."""
    try:
        return _open_driver()
    except KgError as exc:  # server down, bad credentials, unreadable kg.yaml
        st.error(f"{exc}")
        st.stop()


def fetch(read: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``read(driver, *args, **kwargs)`` for a read function of ``READERS``, cached by its module, name
    and arguments (Streamlit cannot hash the function object itself)."""
    module = read.__module__
    if module not in READERS or getattr(importlib.import_module(module), read.__name__, None) is not read:
        raise ValueError(f"{module}.{read.__name__} is not a read function of {' or '.join(READERS)}")
    return _cached(module, read.__name__, *args, **kwargs)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner="Querying the graph…")
def _cached(module: str, name: str, *args: Any, **kwargs: Any) -> Any:
    return getattr(importlib.import_module(module), name)(driver(), *args, **kwargs)


def refresh_button() -> None:
    """Drop every cached result, e.g. right after a ``kg update``."""
    if st.sidebar.button("Refresh data", help=f"Results are cached for {CACHE_TTL_S // 60} minutes; "
                         "this reloads them from Neo4j now."):
        st.cache_data.clear()
