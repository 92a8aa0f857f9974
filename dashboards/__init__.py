"""The Streamlit dashboard (``kg dashboard``); pages read the graph only through ``kg.queries``."""
