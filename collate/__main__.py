"""``python -m collate`` and the ``collate`` console script.

``collate --version`` is answered before click is loaded (importing click alone costs more
than starting Python); every other command line goes to :func:`collate.cli.main`.
"""

from __future__ import annotations

import os
import sys


def run(prog: str | None = None) -> None:
    """The ``collate`` command: ``--version`` at once, anything else parsed by click.

    ``prog`` is the name the version line starts with, as click names the program (the
    script's file name, ``python -m collate`` when run as a module).
    """
    if sys.argv[1:] == ["--version"]:
        from collate import __version__

        print(f"{prog or os.path.basename(sys.argv[0])}, version {__version__}")
        return
    from collate.cli import main

    main()


if __name__ == "__main__":
    run("python -m collate")
