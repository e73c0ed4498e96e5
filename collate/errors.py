"""The one error type for bad input: it names the source and says what is wrong in one line."""

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
