"""Cold start of the command line against ``python -c pass`` in the same run (issue #17).

``python -m benchmarks.startup [--runs N]``: the median wall time over N fresh processes of
``python -c pass``, ``mapper --version`` and a one-string ``mapper geocode`` (the gazetteer
is built first, outside the timing), and each one's ratio to the bare interpreter."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "python -c pass": ["-c", "pass"],
    "mapper --version": ["-m", "mapper", "--version"],
    "mapper geocode 'Lagos, Nigeria'": ["-m", "mapper", "geocode", "Lagos, Nigeria"],
}


def _seconds(args: list[str]) -> float:
    """Wall seconds of one fresh ``python ARGS`` process."""
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Print and return the median seconds of each case."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args(argv)
    from mapper.geo.gazetteer import get

    get()  # built once, outside the timing
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):  # interleaved, so load on the shared cores hits all alike
        for name, case in CASES.items():
            times[name].append(_seconds(case))
    med = {name: statistics.median(ts) for name, ts in times.items()}
    base = med["python -c pass"]
    print(f"cold start, median of {args.runs} runs")
    for name, s in med.items():
        print(f"  {name:34} {s:6.3f} s  {s / base:5.1f}× python -c pass  (+{s - base:.3f} s)")
    return med


if __name__ == "__main__":
    main()
