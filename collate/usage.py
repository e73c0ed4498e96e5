"""The usage errors the command line can name before click is loaded.

Importing click alone costs more than starting Python, and a mistyped command or option
needs none of it: :func:`early_error` finds an unknown command, or a long option that the
command does not have, from the table of the commands' options (:data:`COMMANDS`, checked
against the click commands by the tests), and words it as the command line does after
click has parsed it. Anything it is not sure of (short options, a missing value, a
subcommand group) it leaves to click.
"""

from __future__ import annotations

from collections.abc import Sequence

_SHARED = ("--format", "--output", "--help")
#: each command's long options (all take a value, except ``--help``); ``None``: a group
#: of subcommands, left to click
COMMANDS: dict[str, tuple[str, ...] | None] = {
    "detect": _SHARED,
    "align": (*_SHARED, "--near", "--normalize"),
    "restore": (*_SHARED, "--witness", "--corpus", "--lang", "--top", "--model", "--workers",
                "--min-confidence"),
    "edition": (*_SHARED, "--base", "--near", "--corpus", "--lang", "--normalize", "--model",
                "--workers", "--min-confidence"),
    "batch": (*_SHARED, "--engine", "--scheduler", "--workers", "--normalize", "--model",
              "--min-confidence"),
    "model": None,
}
FLAGS = ("--help",)  #: the long options that take no value
SHORT_VALUE = "-o"  #: the one short option; it takes a value


def one_line(message: str) -> str:
    """Escape control characters (a newline in a file name, say), so an error stays one line.

    >>> one_line("a\\nb")
    'a\\\\nb'
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def error_line(message: str, where: str) -> str:
    """A usage error as the command line prints it: one line, pointing to the help of
    ``where`` (the command path)."""
    return f"collate: error: {one_line(message.rstrip('.'))} (see '{where} --help')"


def early_error(args: Sequence[str], prog: str) -> str | None:
    """The usage error line of ``args`` (the arguments after the program name ``prog``)
    where it is an unknown command or an unknown long option of a known command, else
    ``None`` (click parses them).

    >>> early_error(["align", "--near", "0.5", "--bogus", "a.txt"], "collate")
    "collate: error: No such option '--bogus' (see 'collate align --help')"
    >>> early_error(["restore", "--witnes", "b.txt"], "collate")
    "collate: error: No such option '--witnes'. Did you mean '--witness'? (see 'collate \
restore --help')"
    >>> early_error(["alin", "a.txt"], "collate")
    "collate: error: No such command 'alin'. Did you mean 'align'? (see 'collate --help')"
    >>> early_error(["align", "-x", "--bogus"], "collate") is None  # short: click's to say
    True
    """
    if not args or args[0].startswith("-"):
        return None
    command, rest = args[0], list(args[1:])
    if command not in COMMANDS:
        return error_line(_no_such("command", command, list(COMMANDS)), prog)
    options = COMMANDS[command]
    if options is None:
        return None
    while rest:
        arg = rest.pop(0)
        if arg == "--":
            return None
        if arg.startswith("--"):
            name, eq, _ = arg.partition("=")
            if name not in options:
                return error_line(_no_such("option", name, list(options)), f"{prog} {command}")
            if name in FLAGS and eq:
                return None
            if not eq and name not in FLAGS:
                if not rest:
                    return None
                rest.pop(0)  # its value, whatever it looks like
        elif arg.startswith("-") and arg != "-":
            if arg != SHORT_VALUE:
                return None
            if not rest:
                return None
            rest.pop(0)
    return None


def _no_such(kind: str, name: str, possibilities: list[str]) -> str:
    """click's message for an unknown command or option, with its suggestions."""
    from difflib import get_close_matches

    message = f"No such {kind} {name!r}."
    close = sorted(get_close_matches(name, possibilities))
    if not close:
        return message
    listed = ", ".join(repr(p) for p in close)
    if len(close) == 1:
        return f"{message} Did you mean {listed}?"
    return f"{message} (Did you mean one of: {listed}?)"
