"""Progress bars on standard error, without a monitor thread.

tqdm starts a thread that watches its bars; a process running a thread cannot safely fork,
so restoration's workers would fall back to one process wherever a bar had been shown.
These bars never start it (it only retunes how often a very fast loop redraws). A bar that
is not shown (``disable=True``: standard error is no terminal) is a :class:`Hidden` one, so
a command run in a pipe never loads tqdm at all.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _bar_class() -> type:
    from tqdm import tqdm  # imported when a bar is shown: startup stays fast

    class Bar(tqdm):
        monitor_interval = 0  #: no monitor thread

    return Bar


class Hidden:
    """A bar that is not shown: it keeps ``total`` and ``n`` as a hidden tqdm bar does, and
    draws nothing.

    >>> with Hidden(total=2) as bar:
    ...     bar.update(1); bar.set_postfix_str("writing"); (bar.n, bar.total)
    (1, 2)
    """

    def __init__(self, total: float | None = None, initial: float = 0, **_: Any) -> None:
        self.total, self.n = total, initial

    def __enter__(self) -> Hidden:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: float = 1) -> None:
        """Count ``n`` more steps done."""
        self.n += n

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to close."""


def progress_bar(**options: Any) -> Any:
    """A ``tqdm`` bar with ``options`` and no monitor thread (a :class:`Hidden` one where
    ``disable`` is true).

    >>> with progress_bar(total=2, disable=False, file=open("/dev/null", "w")) as bar:
    ...     type(bar).monitor_interval, bar.total
    (0, 2)
    >>> type(progress_bar(total=2, disable=True)).__name__
    'Hidden'
    """
    if options.get("disable"):
        return Hidden(**options)
    return _bar_class()(**options)
