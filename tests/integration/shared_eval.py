"""The team's shared folder beside the checkout (``../shared``: corpus, gold, scorers) for the
tests that measure kg against it; CI lays it there too."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def eval_script(name: str) -> ModuleType:
    """One of the scorers in ``../shared/eval`` (``score``, ``score_fusion``), imported from its file:
    the tests score with the very code the team's figures come from."""
    path = SHARED / "eval" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader, f"{path}: not found"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
