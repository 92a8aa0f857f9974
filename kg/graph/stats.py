"""What a write into the graph did, whichever strategy wrote it (``kg.graph.writer``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoadStats:
    """Articles and rows written, and one line per input that failed."""

    articles: int = 0
    rows: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)
    counters_seconds: float = 0.0  # bringing the dashboard's counters up to date (kg.graph.aggregates)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step of an offline import
