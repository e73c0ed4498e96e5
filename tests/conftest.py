"""Shared fixtures: where the real data lives, and skipping cleanly when it is absent.

A test skips only for what the checkout cannot hold: ``../shared/data``, the TEI schema in
``../shared/schemas``, Chromium. Locally every skip is listed at the end of the run with its
reason; under CI (``CI`` set in the environment) a skip is a failure, so that nothing the
tests promise goes unchecked there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
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


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
    return str(reason).removeprefix("Skipped: ")


def _fail_skip_under_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail") and _under_ci():
        reason = _reason(report)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI (CI is set: every test must run): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI, a skipped test is reported as failed, naming the reason it skipped."""
    outcome = yield
    _fail_skip_under_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    """Under CI, a module that skips as a whole (no Chromium, say) is a collection error."""
    outcome = yield
    _fail_skip_under_ci(outcome.get_result())


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the registered counts, so CI logs show how much was tried; then every skipped
    test with its reason (what to install or where the data goes)."""
    for line in _SUMMARIES.values():
        terminalreporter.write_line(line())
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.section(f"{len(skipped)} skipped (CI counts a skip as a failure)")
        for report in skipped:
            terminalreporter.write_line(f"{report.nodeid}: {_reason(report)}")
