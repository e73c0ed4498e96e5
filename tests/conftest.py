"""Shared fixtures: where the real data lives, and skipping cleanly when it is absent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SCHEMAS = ROOT.parent / "shared" / "schemas"
SEED = DATA / "seed" / "000_47b5456f14635a7b.txt"


def data_path(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a message naming what is missing."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not found: {path} (../shared/data is beside the checkout in CI)")
    return path


@pytest.fixture
def seed_text() -> str:
    """The seed archive document, byte for byte as decoded from UTF-8."""
    return data_path("seed", SEED.name).read_text(encoding="utf-8")


_SUMMARIES: dict[str, Callable[[], str]] = {}


def summary_line(name: str, line: Callable[[], str]) -> None:
    """Register a line printed at the end of the run (counts of fuzz executions, say)."""
    _SUMMARIES[name] = line


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the registered counts, so CI logs show how much was tried."""
    for line in _SUMMARIES.values():
        terminalreporter.write_line(line())
