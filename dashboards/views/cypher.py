"""Cypher: a read-only console with the cookbook queries (schema/queries/*.cypher) as forms."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboards.data import driver
from dashboards.filters import keep_in_url, url_state
from dashboards.graph_view import graph_from_rows, show_graph
from kg.config import load_config
from kg.cookbook import Recipe, load_cookbook
from kg.errors import KgError
from kg.graph.read import console_limits, console_query
from kg.graph.results import QueryResult

OWN_QUERY = "(your own query)"
SHOWN_ROWS = 1000


def tab_gone() -> Callable[[], bool]:
    """True once this browser session has disconnected (tab closed): the running query is then
    ended on the server instead of running on to the timeout for nobody."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return lambda: False
    runtime, session_id = Runtime.instance(), ctx.session_id
    return lambda: not runtime.is_active_session(session_id)


st.title("Cypher console")
try:
    limits = console_limits(load_config())
except KgError as exc:  # an unreadable kg.yaml or a bad console: value
    st.error(str(exc))
    st.stop()
st.caption(f"Read only: queries run in read transactions, and writes, LOAD CSV and administration are "
           f"refused. A query stops after {limits.timeout_s:g} s and returns at most {limits.max_rows:,} rows "
           f"(console.timeout and console.max_rows in kg.yaml). Pick a cookbook query and fill in its "
           f"parameters, or write your own.")
cookbook = load_cookbook()
choices = [OWN_QUERY, *cookbook]
name = st.selectbox("Query", options=choices, key=url_state("recipe", OWN_QUERY, choices=choices),
                    format_func=lambda n: n if n == OWN_QUERY else f"{cookbook[n].title} ({n})")
keep_in_url("recipe")
recipe: Recipe | None = cookbook.get(name)
if recipe and recipe.description:
    st.write(recipe.description)

with st.form("console"):
    text = st.text_area("Cypher", value=recipe.cypher if recipe else "", height=180, key=f"cypher_{name}")
    given = {p.name: st.text_input(f"{p.name} ({p.type}{', comma-separated' if p.type == 'list' else ''})",
                                   value=p.default or "", key=f"param_{name}_{p.name}")
             for p in (recipe.params if recipe else ())}
    submitted = st.form_submit_button("Run")

if submitted:
    try:
        params = recipe.values(given) if recipe else {}
        with st.spinner("Running…"), console_query(driver(), text, params, limits=limits,
                                                   should_stop=tab_gone()) as rows:
            st.session_state["console_result"] = QueryResult(rows.keys, list(rows), rows.truncated)
    except KgError as exc:
        st.session_state.pop("console_result", None)
        st.error(str(exc))

result = st.session_state.get("console_result")
if result is not None:
    frame = pd.DataFrame(result.rows, columns=result.keys)
    st.write(f"{len(frame)} rows" + (f" (the first {SHOWN_ROWS} shown)" if len(frame) > SHOWN_ROWS else ""))
    if result.truncated:
        st.warning(f"The query has more rows: it was stopped at {limits.max_rows:,} (console.max_rows in "
                   f"kg.yaml). Add LIMIT or aggregate, or use `kg query --limit N --format csv` for a large export.")
    st.dataframe(frame.head(SHOWN_ROWS).astype(str), hide_index=True, width="stretch")
    st.download_button("Download CSV", frame.to_csv(index=False).encode("utf-8"), file_name="kg-query.csv",
                       mime="text/csv")
    graph = graph_from_rows(result.rows)
    if graph.nodes:
        st.subheader("As a graph")
        show_graph(graph, key="console_graph")
