"""The wheel: its distribution name is ours (``collate`` on the package index is another
project's), its import name and command stay ``collate``, and it runs as installed."""

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
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        assert f"Name: {NAME}\n" in z.read(meta).decode("utf-8")
        entry = next(n for n in z.namelist() if n.endswith(".dist-info/entry_points.txt"))
        assert "collate = collate.cli:main" in z.read(entry).decode("utf-8")
        assert "collate/render/edition.js" in z.namelist()  # the viewer ships with it
    # the unpacked wheel first on the path, the source tree not on it at all
    code = ("import sys; sys.path.insert(0, sys.argv.pop(1)); import collate.cli as c; "
            "assert c.__file__.startswith(sys.argv[1]), c.__file__; "
            "sys.argv[:] = ['collate', '--version']; c.main()")
    got = subprocess.run([sys.executable, "-c", code, str(site), str(site)], cwd=tmp_path,
                         capture_output=True, text=True)
    assert got.returncode == 0, got.stderr
    assert got.stdout.startswith("collate, version ")
