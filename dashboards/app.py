"""kg dashboard: ``kg dashboard`` (which runs ``streamlit run dashboards/server.py``) or ``streamlit run dashboards/app.py``.

The entry point draws what every page shares (connection, refresh button, sidebar filters) and
hands over to the page in the URL. It only reads: every query goes through ``kg.queries``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts this folder on sys.path, not the repository root the `dashboards` package lives in.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from dashboards.data import fetch, refresh_button
from dashboards.filters import describe, sidebar_filters
from kg import queries

PAGES = [
    st.Page("views/overview.py", title="Overview", default=True),
    st.Page("views/explore.py", title="Explore"),
    st.Page("views/timeline.py", title="Timeline"),
    st.Page("views/profiles.py", title="Profiles"),
    st.Page("views/event.py", title="Event"),
    st.Page("views/relations.py", title="Relations"),
    st.Page("views/analytics.py", title="Analytics"),
    st.Page("views/cypher.py", title="Cypher"),
]

# No page icons: Streamlit fetches a ":material/...:" icon for the favicon from fonts.gstatic.com
# (the dashboard must work offline), and emoji need fonts a server may lack.
st.set_page_config(page_title="kg: diplomatic events", layout="wide")
page = st.navigation(PAGES)
refresh_button()
options = fetch(queries.filter_options)
filters = sidebar_filters(options)
# What every page is filtered by, above its title, so no filter is ever hidden.
if page.title == "Cypher":
    st.info("The sidebar filters do not apply on this page: a query reads the whole graph. Put dates, "
            "countries and types in its parameters (the cookbook's recipes take `start`, `end` and "
            "`undated`).")
else:
    st.info(describe(filters, dict(options["countries"])))
page.run()
