"""The test run's own rules (tests/conftest.py): skips are listed at the end with their reason,
and under CI a skip is a failure, whether one test skips or a whole module does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")
SAMPLE = '''
import pytest

def test_runs():
    pass

def test_needs_a_browser():
    pytest.skip("chromium not found: sudo apt-get install chromium")
'''
WHOLE_MODULE = '''
import pytest

pytest.skip("real data not found: ../shared/data", allow_module_level=True)

def test_never_runs():
    pass
'''


def _pytest(folder: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "--continue-on-collection-errors", "-o", "addopts=", str(folder)],
        capture_output=True, text=True, env=env, cwd=folder, timeout=120)


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    shutil.copy(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "test_sample.py").write_text(SAMPLE, "utf-8")
    (tmp_path / "test_whole.py").write_text(WHOLE_MODULE, "utf-8")
    return tmp_path


def test_a_local_run_lists_every_skip_with_its_reason(suite: Path) -> None:
    run = _pytest(suite, ci=False)
    assert run.returncode == 0, run.stdout
    assert "2 skipped (CI counts a skip as a failure)" in run.stdout
    assert ("test_sample.py::test_needs_a_browser: chromium not found: sudo apt-get install "
            "chromium") in run.stdout
    assert "test_whole.py: real data not found: ../shared/data" in run.stdout


def test_under_ci_a_skip_fails_and_names_its_reason(suite: Path) -> None:
    run = _pytest(suite, ci=True)
    assert run.returncode != 0
    assert ("FAILED test_sample.py::test_needs_a_browser - skipped under CI (CI is set: every "
            "test must run): chromium not found") in run.stdout
    assert ("ERROR test_whole.py - skipped under CI (CI is set: every test must run): real "
            "data not found") in run.stdout
    assert "1 passed" in run.stdout  # the others still ran
