"""The docs cannot drift from the CLI: every command has help ending in an example and is in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _commands(group: click.Group, prefix: str = "kg") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            out += _commands(command, f"{prefix} {name}")
    return out


@pytest.mark.parametrize(("name", "command"), _commands(main), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help, f"{name} has no help"
    assert "Example:" in command.help, f"{name}'s help has no Example: block"


@pytest.mark.parametrize("name", [n for n, c in _commands(main) if not isinstance(c, click.Group)])
def test_every_command_is_in_the_readme(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = " ".join(name.split()[:2])
    assert top in readme, f"{name} is not documented in README.md"
