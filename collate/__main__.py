"""``python -m collate`` and the ``collate`` console script.

``collate --version``, an unknown command and an unknown long option are answered before
click is loaded (importing click alone costs more than starting Python, see
:mod:`collate.usage`); every other command line goes to :func:`collate.cli.main`.
"""

from __future__ import annotations

import os
import sys


def run(prog: str | None = None) -> None:
    """The ``collate`` command: ``--version`` and the usage errors :mod:`collate.usage`
    can name at once, anything else parsed by click.

    ``prog`` is the name the version and error lines give the program, as click names it
    (the script's file name, ``python -m collate`` when run as a module).
    """
    name = prog or os.path.basename(sys.argv[0])
    if sys.argv[1:] == ["--version"]:
        from collate import __version__

        print(f"{name}, version {__version__}")
        return
    from collate.usage import early_error

    if (line := early_error(sys.argv[1:], name)) is not None:
        print(line, file=sys.stderr)
        sys.exit(2)
    from collate.cli import main

    main()


if __name__ == "__main__":
    run("python -m collate")
