"""The errors kg raises. Every message says what failed, where, and what to do next."""


class KgError(Exception):
    """Root of kg's errors; the CLI turns these into a one-line message and exit code 1."""


class ConfigError(KgError):
    """A configuration file or setting is missing or invalid."""


class SchemaError(KgError):
    """A data file under schema/ is missing or malformed."""


class ReaderError(KgError):
    """An article file or feed cannot be read. Carries the file (or URL) it is about."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        """Pickle as (where, problem): a worker process that reads files sends it to the parent."""
        return (ReaderError, (self.where, self.problem))


class Neo4jServerError(KgError):
    """The local Neo4j server cannot be started, stopped or reached."""


class RecordError(KgError):
    """A record read back from JSONL or the graph lacks a field the contract requires, or holds a
    value of the wrong form (``kg.records``)."""


class LoadError(KgError):
    """Writing to Neo4j failed, or an input row for the loader is malformed."""


class QueryError(KgError):
    """A Cypher query was refused (write clause in a read-only context) or failed."""
