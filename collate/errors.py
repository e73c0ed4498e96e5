"""The error types for bad input: each names the source (or option) and says what is wrong in
one line."""

from __future__ import annotations


class InputError(ValueError):
    """Input that collate refuses: ``str(err)`` is ``"SOURCE: problem"``, one line.

    >>> str(InputError("seed.txt", "invalid UTF-8 at byte 12"))
    'seed.txt: invalid UTF-8 at byte 12'
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = " ".join(problem.split())
        super().__init__(f"{source}: {self.problem}")


class OptionError(InputError):
    """An option of a library call that collate refuses, named as the library names it
    (``format``, ``engine``, ``workers``); the command line maps it to its flag.

    >>> err = OptionError("engine", "expected one of serial, local, dask, not 'gpu'")
    >>> err.option, str(err)
    ('engine', "engine: expected one of serial, local, dask, not 'gpu'")
    """

    def __init__(self, option: str, problem: str) -> None:
        self.option = option
        super().__init__(option, problem)
