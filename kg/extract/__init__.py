"""Extraction: pure functions that find entities, dates and events in article text."""
