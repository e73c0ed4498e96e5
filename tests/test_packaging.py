"""The wheel: its distribution name is ours (``collate`` on the package index is another
project's), its import name and command stay ``collate``, and it installs and runs in a
clean virtual environment."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "collate-lacunae"


def test_wheel_is_named_ours_and_runs_from_its_own_files(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w",
                    str(tmp_path)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    assert wheel.name.startswith(NAME.replace("-", "_") + "-")
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        assert f"Name: {NAME}\n" in z.read(meta).decode("utf-8")
        entry = next(n for n in z.namelist() if n.endswith(".dist-info/entry_points.txt"))
        assert "collate = collate.__main__:run" in z.read(entry).decode("utf-8")
        assert "collate/render/edition.js" in z.namelist()  # the viewer ships with it
    # installed in a clean virtual environment (its dependencies from the package index),
    # the command runs from the installed files, far from the source tree
    env = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, capture_output=True)
    subprocess.run([str(env / "bin" / "pip"), "install", "-q", str(wheel)], check=True,
                   capture_output=True)
    got = subprocess.run([str(env / "bin" / "collate"), "--version"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert got.returncode == 0, got.stderr
    assert got.stdout.startswith("collate, version ")
    where = subprocess.run([str(env / "bin" / "python"), "-c",
                            "import collate; print(collate.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(env)), where
