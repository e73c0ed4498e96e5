"""The usage errors named before click is loaded: the same table of options as the click
commands, and the same line as click's path prints, or nothing where click must decide."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from collate.cli import main
from collate.usage import COMMANDS, FLAGS, SHORT_VALUE, early_error


def test_the_table_is_the_click_commands_options() -> None:
    assert set(COMMANDS) == set(main.commands)
    top = click.Context(main, info_name="collate", **main.context_settings)
    for name, command in main.commands.items():
        if isinstance(command, click.Group):
            assert COMMANDS[name] is None, name
            continue
        ctx = click.Context(command, parent=top, info_name=name)
        params = [p for p in command.get_params(ctx) if isinstance(p, click.Option)]
        longs = {o for p in params for o in p.opts if o.startswith("--")}
        shorts = {o for p in params for o in p.opts if not o.startswith("--")}
        flags = {o for p in params if p.is_flag for o in p.opts if o.startswith("--")}
        assert longs == set(COMMANDS[name] or ()), name
        # -h (help) is a short option too: every short one is left to click but -o's value
        assert shorts <= {SHORT_VALUE, "-h"} and flags == set(FLAGS), name
        assert all(p.nargs == 1 for p in params if not p.is_flag), name


CASES = [
    ["align", "--bogus"],
    ["bogus", "a.txt"],
    ["alin", "a.txt"],
    ["align", "--nea", "0.5", "a.txt"],
    ["restore", "a.txt", "--witnes", "b.txt"],
    ["edition", "--base=A", "--bogusx=1", "a.txt"],
    ["align", "--near", "--bogus", "a.txt"],  # --bogus is --near's value: click's to say
    ["align", "-o", "--bogus", "a.txt"],
    ["align", "--", "--bogus"],
    ["align", "-x", "--bogus"],
    ["align", "--format"],
    ["model", "bogus"],
    ["detect", "--help=1"],
    ["align", "-h", "--bogus"],
]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_an_early_error_is_the_line_click_prints(args: list[str]) -> None:
    clicked = CliRunner().invoke(main, args, prog_name="collate")
    early = early_error(args, "collate")
    if early is not None:
        assert (clicked.exit_code, clicked.stderr) == (2, early + "\n")
    else:  # left to click, which says what is wrong (or shows the help)
        assert clicked.exit_code in (0, 2) and clicked.stdout + clicked.stderr


def test_the_early_errors_named_are_the_unknown_ones() -> None:
    named = [a for a in CASES if early_error(a, "collate") is not None]
    assert named == CASES[:6]


def test_the_console_script_answers_without_loading_click() -> None:
    code = ("import sys; sys.argv = ['collate', 'align', '--bogus']\n"
            "from collate.__main__ import run\n"
            "try:\n    run()\nexcept SystemExit as e:\n    print(e.code, 'click' in sys.modules)")
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert got.stdout == "2 False\n"
    assert got.stderr == "collate: error: No such option '--bogus' (see 'collate align --help')\n"
