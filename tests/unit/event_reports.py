"""Event reports for the tests of resolution and of the writer: ``report`` builds one from the few
fields a test cares about."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kg.records import Event, EventReport


def report(article: str, type_: str = "VISIT", participants: tuple[str, ...] = ("country:RU", "country:CN"),
           start: str | None = "2021-03-22", end: str | None = None, published: str | None = "2021-03-23", *,
           mention_id: str | None = None, place: str | None = None, status: str = "occurred",
           modality: str = "asserted", confidence: float = 0.8, evidence: str | None = None,
           window: tuple[str, str] | None = None) -> EventReport:
    """A report of ``article`` (mention ``m-<article>`` unless given); days as ISO text, the
    publication as an ISO day or time (UTC when it gives no zone), ``window`` the period it names
    (first and last day) when undated."""
    period = (date.fromisoformat(window[0]), date.fromisoformat(window[1])) if window else None
    event = Event(mention_id or f"m-{article}", type_, participants, _day(start), _day(end), place, status,
                  evidence or f"evidence of {article}", confidence, modality=modality, window=period)
    return EventReport(article, _instant(published), event)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)
