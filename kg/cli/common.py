"""Options and helpers shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from kg.errors import KgError

F = TypeVar("F", bound=Callable[..., Any])


def config_option(func: F) -> F:
    """``--config PATH``: the kg.yaml file (default ``$KG_CONFIG`` or ``./kg.yaml`` if present)."""
    return click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                        help="Config file (default: $KG_CONFIG or ./kg.yaml).")(func)


def fail(exc: KgError) -> click.ClickException:
    """Turn a library error into the CLI's one-line error."""
    return click.ClickException(str(exc))
