"""Open a checked connection to Neo4j: the local server ``kg neo4j start`` runs, or any other one.

Every command that talks to the database goes through :func:`open_driver`, so a server that is not
running gives one clear message naming the fix instead of a driver traceback.
"""

from __future__ import annotations

import neo4j
from neo4j.exceptions import ClientError, ConfigurationError, ServiceUnavailable

from kg.config import Neo4jSettings, neo4j_settings, password_file
from kg.errors import Neo4jServerError

_HOW_TO_FIX = ("Start the local server with `kg neo4j start`, or set NEO4J_URI/NEO4J_USER/"
               "NEO4J_PASSWORD for another server.")


def open_driver(settings: Neo4jSettings | None = None) -> neo4j.Driver:
    """A driver whose server answered and accepted the credentials (the caller closes it).

    Works for ``bolt://`` as well as ``neo4j://`` / ``neo4j+s://`` (Aura, clusters): the driver
    does the routing; this only checks that it can reach the server before any work starts.
    """
    settings = settings or neo4j_settings()
    if settings.local and settings.password is None:
        raise Neo4jServerError(f"cannot reach Neo4j at {settings.uri} (no password file at "
                               f"{password_file()}: the local server was never started). "
                               + _HOW_TO_FIX)
    auth = (settings.user, settings.password) if settings.password is not None else None
    try:
        # Server notifications (e.g. "label does not exist" on an empty graph) are advice for query
        # authors; kg's queries are fixed, so they would only be noise on an analyst's terminal.
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=auth,
                                            notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF)
    except (ConfigurationError, ValueError) as exc:
        raise Neo4jServerError(f"invalid Neo4j URI {settings.uri!r}: {exc}") from exc
    try:
        driver.verify_connectivity()
    except (ServiceUnavailable, ClientError) as exc:
        driver.close()
        if isinstance(exc, ClientError) and not _is_login_error(exc):
            raise
        raise Neo4jServerError(f"cannot reach Neo4j at {settings.uri} ({_reason(exc)}). "
                               + _HOW_TO_FIX) from exc
    return driver


def _is_login_error(exc: ClientError) -> bool:
    """Wrong credentials, or too many of them in a row (Neo4j then locks the user for a while)."""
    return (exc.code or "").startswith("Neo.ClientError.Security.")


def _reason(exc: ServiceUnavailable | ClientError) -> str:
    """The driver's own explanation, cut to its first line (some span a whole paragraph)."""
    if isinstance(exc, ClientError):
        return f"login refused: {exc.message}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
