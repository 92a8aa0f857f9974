"""Cypher: a read-only console with the cookbook queries (schema/queries/*.cypher) as forms."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.data import driver
from dashboards.filters import keep_in_url, url_state
from dashboards.graph_view import graph_from_rows, show_graph
from kg.cookbook import Recipe, load_cookbook
from kg.errors import KgError
from kg.graph.read import run_read_query

OWN_QUERY = "(your own query)"
SHOWN_ROWS = 1000

st.title("Cypher console")
st.caption("Read only: queries run in read transactions and any write clause is refused. "
           "Pick a cookbook query and fill in its parameters, or write your own.")
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
        with st.spinner("Running…"):
            st.session_state["console_result"] = run_read_query(driver(), text, params)
    except KgError as exc:
        st.session_state.pop("console_result", None)
        st.error(str(exc))

result = st.session_state.get("console_result")
if result is not None:
    frame = pd.DataFrame(result.rows, columns=result.keys)
    st.write(f"{len(frame)} rows" + (f" (the first {SHOWN_ROWS} shown)" if len(frame) > SHOWN_ROWS else ""))
    st.dataframe(frame.head(SHOWN_ROWS).astype(str), hide_index=True, width="stretch")
    st.download_button("Download CSV", frame.to_csv(index=False).encode("utf-8"), file_name="kg-query.csv",
                       mime="text/csv")
    graph = graph_from_rows(result.rows)
    if graph.nodes:
        st.subheader("As a graph")
        show_graph(graph, key="console_graph")
