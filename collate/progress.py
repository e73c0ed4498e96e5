"""Progress bars on standard error, without a monitor thread.

tqdm starts a thread that watches its bars; a process running a thread cannot safely fork,
so restoration's workers would fall back to one process wherever a bar had been shown.
These bars never start it (it only retunes how often a very fast loop redraws).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _bar_class() -> type:
    from tqdm import tqdm  # imported when a bar is made: startup stays fast

    class Bar(tqdm):
        monitor_interval = 0  #: no monitor thread

    return Bar


def progress_bar(**options: Any) -> Any:
    """A ``tqdm`` bar with ``options`` and no monitor thread.

    >>> with progress_bar(total=2, disable=True) as bar:
    ...     type(bar).monitor_interval, bar.total
    (0, 2)
    """
    return _bar_class()(**options)
