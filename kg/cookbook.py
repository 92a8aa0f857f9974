"""The Cypher cookbook: named, parameterised read queries kept as files in ``schema/queries/``.

Each ``<name>.cypher`` file starts with ``//`` header lines::

    // title: Who met whom between two dates
    // description: Pairs of people who took part in the same MEET/VISIT/CALL event.
    // param: start date 2021-01-01   (name, type, default; one line per parameter)
    // param: end date 2021-12-31
    MATCH ...

Types are ``string``, ``int``, ``float``, ``date`` (passed as an ISO string; queries call ``date()``)
and ``list`` (comma-separated on the command line). Analysts add queries by adding files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import SchemaError
from kg.schema import schema_dir

PARAM_TYPES = ("string", "int", "float", "date", "list")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    default: str | None


@dataclass(frozen=True, slots=True)
class Recipe:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    cypher: str

    def values(self, given: dict[str, str]) -> dict[str, Any]:
        """Typed parameter values: the given strings, else the defaults."""
        out: dict[str, Any] = {}
        for p in self.params:
            raw = given.get(p.name, p.default)
            out[p.name] = None if raw in (None, "") else convert(p, str(raw))
        unknown = set(given) - {p.name for p in self.params}
        if unknown:
            raise SchemaError(f"query {self.name!r} has no parameter {', '.join(sorted(unknown))}; "
                              f"its parameters: {', '.join(p.name for p in self.params) or 'none'}")
        return out


def convert(param: Param, raw: str) -> Any:
    """A command-line or form string as the parameter's type."""
    try:
        if param.type == "int":
            return int(raw)
        if param.type == "float":
            return float(raw)
        if param.type == "list":
            return [x.strip() for x in raw.split(",") if x.strip()]
    except ValueError as exc:
        raise SchemaError(f"parameter {param.name}: {raw!r} is not a {param.type}") from exc
    return raw


def parse_recipe(name: str, text: str, where: str = "") -> Recipe:
    """Read one cookbook file's header and body."""
    header: dict[str, str] = {}
    params: list[Param] = []
    body: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not body and stripped.startswith("//"):
            key, _, value = stripped[2:].strip().partition(":")
            if key == "param":
                parts = value.split(None, 2)
                if len(parts) < 2 or parts[1] not in PARAM_TYPES:
                    raise SchemaError(f"{where}: bad param line {line!r}; expected 'param: NAME TYPE [DEFAULT]' "
                                      f"with TYPE one of {', '.join(PARAM_TYPES)}")
                params.append(Param(parts[0], parts[1], parts[2].strip() if len(parts) > 2 else None))
            else:
                header[key] = value.strip()
        elif stripped or body:
            body.append(line)
    if not body:
        raise SchemaError(f"{where}: no query after the header")
    return Recipe(name=name, title=header.get("title", name), description=header.get("description", ""),
                  params=tuple(params), cypher="\n".join(body).strip())


def load_cookbook(folder: Path | None = None) -> dict[str, Recipe]:
    """Every recipe in ``schema/queries``, by name (the file name without ``.cypher``)."""
    base = folder or schema_dir() / "queries"
    return {p.stem: parse_recipe(p.stem, p.read_text(encoding="utf-8"), str(p))
            for p in sorted(base.glob("*.cypher"))}
