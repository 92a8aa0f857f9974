"""Read-only Cypher for analysts (``kg query``, the dashboard console).

A console query is checked twice before it runs, and the server is the third line:

1. its tokens (:mod:`kg.graph.cypher_tokens`, read the way the server reads them) are checked
   against ``schema/console.yaml``: no write or file clause, no SHOW but of indexes and
   constraints, no procedure outside a short list, however quoted or spaced;
2. the server's own plan of it (``EXPLAIN``) must be a read (query type "r") on the queried
   database, with no operator the same file refuses (LoadCSV, ProcedureCall of another procedure,
   ShowTransactions, ...): this check cannot disagree with the server about the query's syntax;
3. it runs in a READ transaction with a server-side timeout, its rows are streamed and capped,
   and kg's server (``server/KgNeo4j.java``) neither reads local files nor fetches URLs for
   ``LOAD CSV`` whatever the query.

Parameters are always passed separately: user text never becomes part of another query.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import neo4j

from kg.errors import ConfigError, QueryError
from kg.graph.cypher_tokens import NAME, SYMBOL, WORD, Token, tokens
from kg.graph.results import to_plain
from kg.queries import END_CONSOLE_TRANSACTION
from kg.schema import load_yaml

# A word right after "." or ":" is a property key, label or namespace part, and a word right before
# ":" a map key: none of them can be a clause (a number never ends in "." in Cypher: `1.` is 1 then ".").
_NOT_A_KEYWORD_AFTER = {".", ":"}


@dataclass(frozen=True, slots=True)
class ConsoleLimits:
    """How long a console query may run, how many rows it may return and how long its text may be
    (kg.yaml's ``console:`` section; ``kg query --timeout/--limit`` override the first two)."""

    timeout_s: float = 60.0
    max_rows: int = 10_000
    max_query_chars: int = 50_000


def console_limits(config: Mapping[str, Any] | None = None, *, timeout_s: float | None = None,
                   max_rows: int | None = None) -> ConsoleLimits:
    """The limits of kg.yaml's ``console:`` section (defaults for missing keys), overridden by
    the arguments given; ConfigError names a key that is not a positive number."""
    section = (config or {}).get("console") or {}
    if not isinstance(section, Mapping):
        raise ConfigError("kg.yaml: console: expected a mapping (timeout, max_rows, max_query_chars)")
    defaults = ConsoleLimits()
    values = {"timeout": (timeout_s, section.get("timeout", defaults.timeout_s), float),
              "max_rows": (max_rows, section.get("max_rows", defaults.max_rows), int),
              "max_query_chars": (None, section.get("max_query_chars", defaults.max_query_chars), int)}
    checked: dict[str, Any] = {}
    for key, (given, configured, kind) in values.items():
        value = configured if given is None else given
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 or kind(value) != value:
            raise ConfigError(f"console.{key}: expected a positive {'number' if kind is float else 'whole number'}, "
                              f"got {value!r}")
        checked[key] = kind(value)
    return ConsoleLimits(timeout_s=checked["timeout"], max_rows=checked["max_rows"],
                         max_query_chars=checked["max_query_chars"])


@dataclass(frozen=True, slots=True)
class _Policy:
    refused_keywords: dict[str, str]   # KEYWORD -> why
    show_modifiers: frozenset[str]
    show_targets: frozenset[str]
    procedures: dict[str, str]         # lower case -> as schema/console.yaml spells it
    refused_operators: frozenset[str]
    refused_operator_prefixes: tuple[str, ...]
    allowed_operators: frozenset[str]
    watched: frozenset[str]            # the keywords the token check looks at


@cache
def _policy() -> _Policy:
    data = load_yaml("console.yaml")
    return _Policy(
        refused_keywords={word.upper(): why for why, words in data["refused_keywords"].items() for word in words},
        show_modifiers=frozenset(w.upper() for w in data["show"]["modifiers"]),
        show_targets=frozenset(w.upper() for w in data["show"]["targets"]),
        procedures={p.lower(): p for p in data["procedures"]},
        refused_operators=frozenset(data["refused_operators"]),
        refused_operator_prefixes=tuple(data["refused_operator_prefixes"]),
        allowed_operators=frozenset(data["allowed_operators"]),
        watched=frozenset(w.upper() for words in data["refused_keywords"].values() for w in words) | {"SHOW", "CALL"},
    )


def refusal(query: str, max_chars: int = ConsoleLimits().max_query_chars) -> str | None:
    """Why the console refuses ``query`` on its text alone, or None (the plan check comes later).

    Unterminated strings, quoted names and comments are refused, and so is a query longer than
    ``max_chars`` characters."""
    if len(query) > max_chars:
        return (f"refused: the query is {len(query):,} characters long; the console takes at most "
                f"{max_chars:,} (console.max_query_chars in kg.yaml)")
    try:
        found = tokens(query)
    except QueryError as exc:
        return str(exc)
    policy = _policy()
    for i, token in enumerate(found):
        if token.kind != WORD:
            continue
        word = token.text.upper()
        if word not in policy.watched or not _is_keyword(found, i):
            continue
        if word in policy.refused_keywords:
            return f"refused: {word} {policy.refused_keywords[word]}; this console is read-only"
        if word == "SHOW":
            target = _show_target(found, i + 1, policy)
            if target not in policy.show_targets:
                return (f"refused: {' '.join(['SHOW', *([target] if target else [])])} is not allowed in "
                        f"the console (only SHOW {'/'.join(sorted(policy.show_targets))})")
        if word == "CALL":
            procedure = _procedure_name(found, i + 1)
            if procedure is not None and procedure.lower() not in policy.procedures:
                return (f"refused: procedure {procedure} is not allowed in the console (allowed: "
                        f"{', '.join(sorted(policy.procedures.values()))})")
    return None


def _is_keyword(found: list[Token], i: int) -> bool:
    before = found[i - 1] if i > 0 else None
    after = found[i + 1] if i + 1 < len(found) else None
    if before is not None and before.kind == SYMBOL and before.text in _NOT_A_KEYWORD_AFTER:
        return False
    return not (after is not None and after.kind == SYMBOL and after.text == ":")


def _show_target(found: list[Token], i: int, policy: _Policy) -> str | None:
    """The word SHOW is about: the first after ``i`` that is not a modifier (RANGE, UNIQUE, ...)."""
    while i < len(found) and found[i].kind == WORD and found[i].text.upper() in policy.show_modifiers:
        i += 1
    return found[i].text.upper() if i < len(found) and found[i].kind in (WORD, NAME) else None


def _procedure_name(found: list[Token], i: int) -> str | None:
    """The dotted name of the procedure a CALL at ``i`` names, its parts unquoted and joined by
    dots (`` `dbms`.listConfig `` and ``dbms . listConfig`` both give dbms.listConfig); None for a
    subquery ``CALL {`` / ``CALL (x) {``."""
    parts: list[str] = []
    while i < len(found) and found[i].kind in (WORD, NAME):
        parts.append(found[i].text)
        if i + 1 < len(found) and found[i + 1].kind == SYMBOL and found[i + 1].text == ".":
            i += 2
        else:
            break
    return ".".join(parts) if parts else None


def plan_refusal(summary: neo4j.ResultSummary, database: str | None = None) -> str | None:
    """Why the console refuses a query given the server's plan of it (``EXPLAIN``), or None."""
    if summary.query_type != "r":
        kinds = {"rw": "reads and writes", "w": "writes", "s": "is a schema or administration command"}
        return f"refused: the server says this query {kinds.get(summary.query_type or '', 'is not a read')}"
    if summary.plan is None:
        return "refused: the server gave no plan for this query"
    policy = _policy()
    queried = database or summary.database
    pending = [summary.plan]
    while pending:
        operator = pending.pop()
        pending.extend(operator.get("children", []))
        name, _, on_database = str(operator.get("operatorType", "")).partition("@")
        if on_database and queried and on_database != queried:
            return f"refused: the query runs on database {on_database!r}; the console queries {queried!r} only"
        if name == "ProcedureCall":
            details = str(operator.get("args", {}).get("Details", ""))
            procedure = details.partition("(")[0].strip()
            if procedure.lower() not in policy.procedures:
                return f"refused: procedure {procedure or '?'} is not allowed in the console"
        elif name not in policy.allowed_operators and (
                name in policy.refused_operators or name.startswith(policy.refused_operator_prefixes)):
            return f"refused: the plan has a {name} operator; this console is read-only"
    return None


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value`` from the command line; the value is JSON when it parses (numbers, lists), else a string."""
    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise QueryError(f"parameter {text!r}: expected name=value, e.g. --param country=CN")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


class ConsoleRows:
    """The rows of a running console query, streamed: ``keys``, then iterate once. At most
    ``max_rows`` come; ``truncated`` then tells whether the query had more."""

    def __init__(self, result: neo4j.Result, max_rows: int) -> None:
        self.keys: list[str] = list(result.keys())
        self.truncated = False
        self.count = 0
        self._result = result
        self._max_rows = max_rows

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self.count >= self._max_rows:
            return
        for record in self._result:
            self.count += 1
            yield {k: to_plain(record[k]) for k in self.keys}
            if self.count >= self._max_rows:
                self.truncated = self._result.peek() is not None
                return


@contextmanager
def console_query(driver: neo4j.Driver, query: str, params: Mapping[str, Any] | None = None, *,
                  database: str | None = None, limits: ConsoleLimits = ConsoleLimits(),
                  should_stop: Callable[[], bool] | None = None) -> Iterator[ConsoleRows]:
    """Run an analyst's query read-only (see the module's docstring): checked, then streamed from a
    READ transaction the server stops after ``limits.timeout_s``. The rows are read inside the
    ``with`` block; leaving it rolls the transaction back, which also stops a query whose rows were
    not all read. ``should_stop`` is asked twice a second from another thread while the query
    runs (has the dashboard's tab gone away?); once it says yes the server ends the transaction,
    also when the query is busy without returning rows.

    Raises QueryError: refused, failed, timed out or stopped."""
    why = refusal(query, limits.max_query_chars)
    if why:
        raise QueryError(why)
    values = dict(params or {})
    marker = {"app": "kg console", "console": secrets.token_hex(8)}
    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session, \
                _ended_when(should_stop, driver, marker, database):
            tx = session.begin_transaction(timeout=limits.timeout_s, metadata=marker)
            try:
                why = plan_refusal(tx.run("EXPLAIN " + query, values).consume(), database)
                if why:
                    raise QueryError(why)
                yield ConsoleRows(tx.run(query, values), limits.max_rows)
            finally:
                tx.close()
    except neo4j.exceptions.Neo4jError as exc:
        if should_stop is not None and should_stop():
            raise QueryError("stopped: the console that ran the query went away") from exc
        raise _console_error(exc, limits) from exc


@contextmanager
def _ended_when(should_stop: Callable[[], bool] | None, driver: neo4j.Driver, marker: dict[str, str],
                database: str | None) -> Iterator[None]:
    """While the block runs, end the console transaction carrying ``marker`` as soon as
    ``should_stop()`` says so. kg's own query, from its own session: the console's transaction
    may not end others' (SHOW/TERMINATE TRANSACTIONS are refused to it)."""
    if should_stop is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.5):
            if should_stop():
                try:
                    driver.execute_query(END_CONSOLE_TRANSACTION, {"console": marker["console"]},
                                         database_=database)
                except neo4j.exceptions.DriverError:
                    pass  # the server is out of reach: its timeout still ends the transaction
                return

    watcher = threading.Thread(target=watch, name="kg-console-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def _console_error(exc: neo4j.exceptions.Neo4jError, limits: ConsoleLimits) -> QueryError:
    code, message = exc.code or "", exc.message or str(exc)
    if "TimedOut" in code:
        return QueryError(f"stopped: the query ran longer than the console's {limits.timeout_s:g} s "
                          f"(raise it with --timeout or console.timeout in kg.yaml)")
    if "Terminated" in code:
        return QueryError(f"stopped: the server ended the query ({message})")
    if "read access mode" in message.lower() or "AccessMode" in code:
        return QueryError(f"refused: the query tries to write; this console is read-only ({message})")
    return QueryError(f"{code}: {message}")
