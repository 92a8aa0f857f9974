"""The Cypher cookbook: named, parameterised read queries kept as files in ``schema/queries/``.

Each ``<name>.cypher`` file starts with ``//`` header lines::

    // title: Who met whom between two dates
    // description: Pairs of people who took part in the same MEET/VISIT/CALL event.
    // param: start date 2021-01-01   (name, type, default; one line per parameter)
    // param: end date 2021-12-31
    // required: person                  (optional: parameters that have no sensible default)
    // example: -p person=person:wang-yi (optional: what to type after `kg query NAME`)
    MATCH ...

Types are ``string``, ``int``, ``float``, ``date`` (passed as an ISO string; queries call ``date()``),
``list`` (comma-separated on the command line) and ``bool`` (true/false, yes/no, 1/0). Analysts add
queries by adding files.

Entity ids are matched whatever their case (``Person:Wang-Yi``, ``country:us``): ids are
lower-case but for a country's ISO code, so the one spelling is known without asking the graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import SchemaError
from kg.schema import schema_dir

PARAM_TYPES = ("string", "int", "float", "date", "list", "bool")
_TRUE, _FALSE = ("true", "yes", "1", "y", "on"), ("false", "no", "0", "n", "off")
# The id prefixes of schema/graph.yaml's entities and events; `country:` ids end in the ISO code.
_ID = re.compile(r"(?i)(person|country|org|place|event|source):(\S+)")


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
    required: tuple[str, ...] = ()
    example: str = ""

    def usage(self) -> str:
        """A command line that runs the recipe (its ``example`` header, else the required parameters)."""
        args = self.example or " ".join(f"-p {name}=..." for name in self.required)
        return f"kg query {self.name} {args}".rstrip()

    def values(self, given: dict[str, str]) -> dict[str, Any]:
        """Typed parameter values: the given strings, else the defaults. A required parameter
        left out is an error that names it and shows the recipe's example."""
        unknown = set(given) - {p.name for p in self.params}
        if unknown:
            raise SchemaError(f"query {self.name!r} has no parameter {', '.join(sorted(unknown))}; "
                              f"its parameters: {', '.join(p.name for p in self.params) or 'none'}")
        missing = [name for name in self.required if given.get(name) in (None, "")]
        if missing:
            raise SchemaError(f"query {self.name!r} needs {', '.join(missing)}: e.g. {self.usage()}")
        out: dict[str, Any] = {}
        for p in self.params:
            raw = given.get(p.name, p.default)
            out[p.name] = None if raw in (None, "") else convert(p, str(raw))
        return out


def convert(param: Param, raw: str) -> Any:
    """A command-line or form string as the parameter's type."""
    if param.type == "bool":
        if raw.strip().lower() in _TRUE + _FALSE:
            return raw.strip().lower() in _TRUE
        raise SchemaError(f"parameter {param.name}: {raw!r} is not true or false")
    try:
        if param.type == "int":
            return int(raw)
        if param.type == "float":
            return float(raw)
        if param.type == "list":
            return [canonical_id(x.strip()) for x in raw.split(",") if x.strip()]
    except ValueError as exc:
        raise SchemaError(f"parameter {param.name}: {raw!r} is not a {param.type}") from exc
    return canonical_id(raw) if param.type == "string" else raw


def canonical_id(value: str) -> str:
    """An entity or event id in the case the graph stores it (other strings unchanged)."""
    found = _ID.fullmatch(value.strip())
    if not found:
        return value
    prefix, rest = found.group(1).lower(), found.group(2)
    return f"{prefix}:{rest.upper() if prefix == 'country' else rest.lower()}"


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
            elif key == "required":
                header["required"] = ",".join(filter(None, [header.get("required", ""), value.strip()]))
            else:
                header[key] = value.strip()
        elif stripped or body:
            body.append(line)
    if not body:
        raise SchemaError(f"{where}: no query after the header")
    required = tuple(n.strip() for n in header.get("required", "").split(",") if n.strip())
    unknown = [n for n in required if n not in {p.name for p in params}]
    if unknown:
        raise SchemaError(f"{where}: required {', '.join(unknown)} is not a param of the recipe")
    return Recipe(name=name, title=header.get("title", name), description=header.get("description", ""),
                  params=tuple(params), cypher="\n".join(body).strip(), required=required,
                  example=header.get("example", ""))


def load_cookbook(folder: Path | None = None) -> dict[str, Recipe]:
    """Every recipe in ``schema/queries``, by name (the file name without ``.cypher``)."""
    base = folder or schema_dir() / "queries"
    return {p.stem: parse_recipe(p.stem, p.read_text(encoding="utf-8"), str(p))
            for p in sorted(base.glob("*.cypher"))}
