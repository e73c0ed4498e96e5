"""Regenerate (or check) the command examples in README.md from their real output.

Each example is a ```console block whose first line is ``$ collate ...``; the lines after it
are what the command prints, run from the repository root. ``--check`` exits 1 when the
README differs from the real output (tests/test_docs.py runs the same check).

    python scripts/readme_examples.py          # rewrite README.md in place
    python scripts/readme_examples.py --check  # fail on stale examples
"""

from __future__ import annotations

import glob
import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

from collate.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (collate [^\n]*)\n(.*?)```", re.DOTALL)


def run_example(command: str) -> str:
    """What ``command`` prints (stdout, then stderr), run in-process from the repo root."""
    args: list[str] = []
    for word in shlex.split(command)[1:]:
        args.extend(sorted(glob.glob(word, root_dir=ROOT)) if "*" in word else [word])
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, args)
    finally:
        os.chdir(cwd)
    return result.stdout + result.stderr


def render(text: str) -> str:
    """README text with every example's output replaced by the real one."""
    return BLOCK.sub(lambda m: f"```console\n$ {m.group(1)}\n{run_example(m.group(1))}```", text)


def main_script(argv: list[str]) -> int:
    current = README.read_text("utf-8")
    fresh = render(current)
    if "--check" in argv:
        if fresh != current:
            print("README.md examples are stale: run python scripts/readme_examples.py")
            return 1
        return 0
    README.write_text(fresh, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main_script(sys.argv[1:]))
