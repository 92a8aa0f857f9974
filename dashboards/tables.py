"""Tables an analyst can take away: every table of the dashboard goes through ``table`` and has a
"Download CSV" button under it, with the same rows and columns as shown."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st


def csv_button(frame: pd.DataFrame, name: str, key: str) -> None:
    """A download button for ``frame`` as ``kg-<name>.csv`` (UTF-8 with a BOM, which Excel needs to
    read Chinese; other programs skip it)."""
    st.download_button("Download CSV", frame.to_csv(index=False).encode("utf-8-sig"), file_name=f"kg-{name}.csv",
                       mime="text/csv", key=key)


def table(frame: pd.DataFrame | list[dict[str, Any]], name: str, **options: Any) -> Any:
    """``st.dataframe`` of ``frame`` (no index, full width; missing text as empty cells) and its
    CSV button; returns the dataframe's selection state when ``on_select`` is given."""
    frame = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(frame)
    text = [c for c in frame if not pd.api.types.is_numeric_dtype(frame[c])]
    frame[text] = frame[text].map(lambda v: "" if v is None else v)  # an unknown value is an empty cell, not "None"
    state = st.dataframe(frame, hide_index=True, width="stretch", key=options.pop("key", f"{name}_table"), **options)
    shown = options.get("column_order")
    csv_button(frame[[c for c in shown if c in frame]] if shown else frame, name, key=f"{name}_csv")
    return state
