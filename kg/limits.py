"""Size limits on what kg reads, from the ``limits:`` section of kg.yaml (see kg.yaml.example).

Every input is refused per item, with a message naming the item and the limit, before it is read
whole: an article file or a feed is read up to its limit plus one byte, a JSONL line up to its
limit; a line with more entities or events, an entity with more aliases or an event with more
participants than allowed is refused at
validation (``kg.validate``), before anything of its line reaches Neo4j, whose transaction memory
such a line would exhaust.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from kg.errors import ConfigError

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The defaults fit the corpus with room to spare (its largest article is well under 1 MB)."""

    article_bytes: int = 5 * MB  # one article file
    feed_bytes: int = 20 * MB  # one feed document
    line_bytes: int = 10 * MB  # one line of a `kg load` JSONL file
    aliases: int = 200  # per entity
    participants: int = 200  # per event
    entities: int = 2000  # per JSONL line (one article)
    events: int = 2000  # per JSONL line

    @classmethod
    def from_config(cls, config: dict[str, Any], where: str = "kg.yaml") -> Limits:
        section = config.get("limits") or {}
        if not isinstance(section, dict):
            raise ConfigError(f"{where}: 'limits' must be a mapping (see kg.yaml.example)")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ConfigError(f"{where}: unknown limits {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        values = {}
        for name, value in section.items():
            if type(value) is not int or value < 1:
                raise ConfigError(f"{where}: limits.{name} must be a whole number of at least 1, not {value!r}")
            values[name] = value
        return cls(**values)


def size(n: int) -> str:
    """A byte count as people read it (``5 MB``, ``812 KB``)."""
    return f"{n / MB:.3g} MB" if n >= MB else f"{n / 1024:.3g} KB" if n >= 1024 else f"{n} bytes"


DEFAULT_LIMITS = Limits()
