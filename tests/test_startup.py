"""Start-up stays light (issue #17): the commands that need no graph, map or table do
not import folium, networkx, scipy, pandas or matplotlib.  A module-set check, not a
timing: ``benchmarks/startup.py`` measures the seconds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"folium", "networkx", "scipy", "pandas", "matplotlib", "branca", "numpy", "geopy"}


def _imported(args: list[str]) -> set[str]:
    """Top-level packages imported by ``python -X importtime ARGS`` (from its stderr)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    names = set()
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def test_version_imports_no_heavy_package():
    assert not _imported(["-m", "mapper", "--version"]) & HEAVY


def test_importing_the_cli_imports_no_heavy_package():
    assert not _imported(["-c", "import mapper.cli"]) & HEAVY


def test_geocode_imports_no_heavy_package():
    # the gazetteer lives in the session cache (conftest); build it here if absent
    from mapper.geo.gazetteer import get

    get()
    found = _imported(["-m", "mapper", "geocode", "Lagos, Nigeria"])
    assert "mapper" in found
    assert not found & HEAVY


@pytest.mark.parametrize("command", ["report", "graph", "map"])
def test_subcommand_help_stays_light(command):
    # the heavy packages load when a command runs, not when its options are parsed
    assert not _imported(["-m", "mapper", command, "--help"]) & HEAVY
