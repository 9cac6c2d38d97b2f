"""Versioned rule files (law as data): ``<app>/law/<version>.json``, read once per process.

The folder is ``law/``, not ``rules/``: ``rules.py`` beside it holds the app's permissions."""

import json
from functools import cache
from pathlib import Path
from typing import Any


@cache
def load_rule_file(directory: Path, version: str) -> dict[str, Any]:
    """The rule set ``version`` from ``directory``; a name that leaves the directory or does not exist is refused."""
    path = directory / f"{version}.json"
    if not path.is_file() or path.parent != directory:
        raise ValueError(f"Unknown rule set {version!r}")
    return dict(json.loads(path.read_text(encoding="utf-8")))
