"""The README documents every command, and its examples are the commands' real output."""

from __future__ import annotations

import doctest
import re

import pytest

from collate.cli import main
from scripts.readme_examples import BLOCK, README, run_example

TEXT = README.read_text("utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented_and_has_help(name: str) -> None:
    assert re.search(rf"collate {name}\b", TEXT), f"collate {name} is not in README.md"
    assert (main.commands[name].help or "").strip(), f"collate {name} has no help text"


def test_quick_start_is_exactly_two_commands() -> None:
    quick = TEXT.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["make demo", "make test"]


@pytest.mark.parametrize("example", BLOCK.findall(TEXT), ids=lambda e: e[0][:60])
def test_readme_example_is_real_output(example: tuple[str, str]) -> None:
    command, shown = example
    assert run_example(command) == shown, "stale: run python scripts/readme_examples.py"


def test_readme_python_examples_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", TEXT, re.DOTALL)
    assert blocks, "README.md has no Python example"
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for n, block in enumerate(blocks):
        test = doctest.DocTestParser().get_doctest(block, {}, f"README-{n}", "README.md", 0)
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_readme_shell_examples_run_in_a_fresh_clone(tmp_path, monkeypatch) -> None:
    """Every ``collate`` line of the README's ``sh`` blocks runs (exit 0) with what a clone
    has: a copy of ``samples/`` and nothing beside it (no ``../shared``)."""
    import shlex
    import shutil

    from click.testing import CliRunner

    shutil.copytree(README.parent / "samples", tmp_path / "clone" / "samples")
    monkeypatch.chdir(tmp_path / "clone")
    lines = [line.split("  #")[0].strip()
             for block in re.findall(r"```sh\n(.*?)```", TEXT, re.DOTALL)
             for line in block.splitlines() if line.startswith("collate ")]
    assert len(lines) >= 4
    for line in lines:
        assert "../shared" not in line, line
        result = CliRunner().invoke(main, shlex.split(line)[1:])
        assert result.exit_code == 0, f"{line}: {result.output}"
