"""What the writer needs of the schema's tables, loaded once at the edge (``kg.pipeline``) and
passed in: the writer itself never reads a file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kg.extract.gazetteer import Gazetteer
from kg.resolve import ResolutionRules, gazetteer_roles, resolution_rules


def person_titles(gazetteer: Gazetteer) -> dict[str, str]:
    """The ``role`` of every gazetteer person with dated roles: the latest one they took up
    (``Gazetteer.role_on`` without a day), the same whatever the order articles are loaded in."""
    return {pid: role.title for pid, entry in gazetteer.entries.items()
            if entry.type == "Person" and (role := gazetteer.role_on(pid, None)) is not None}


@dataclass(frozen=True, slots=True)
class WriterTables:
    """The resolution rules (with the gazetteer's place countries), the gazetteer persons' roles
    (``graph_rows``'s ``titles``) and their dated roles (HOLDS_ROLE, ``kg.graph.load.load_roles``)."""

    rules: ResolutionRules
    titles: Mapping[str, str]
    roles: tuple[tuple[str, str, str, str | None, str | None], ...]

    @classmethod
    def load(cls, gazetteer: Gazetteer | None = None) -> WriterTables:
        """From ``gazetteer`` (one already loaded, e.g. ``Tables.gazetteer``), else the schema's."""
        gazetteer = gazetteer or Gazetteer.load()
        return cls(resolution_rules(gazetteer), person_titles(gazetteer),
                   tuple(gazetteer_roles(gazetteer.entries.values())))
