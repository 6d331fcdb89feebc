"""Peak memory of a whole ``mapper report --locate`` run as the input grows.

The same population of users writes more and more lines (JSON lines, and gzip):
peak memory should stay flat, while the baseline of reading the file into memory
at once (what a naive reader does) grows with it.

    python -m benchmarks.big_input [--gb 0.1 1 2] [--users 100]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import synth_tweets

PROBE = (
    "import resource, sys\nfrom mapper.cli import main\nrc = main(sys.argv[1:])\n"
    "sys.stderr.write(f'MAXRSS_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
    "sys.exit(rc)\n"
)
NAIVE = (
    "import resource, sys\ndata = open(sys.argv[1], 'rb').read()\n"
    "sys.stderr.write(f'MAXRSS_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
)


def peak_mb(args: list[str], code: str = PROBE) -> float:
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-2000:])
    return int(p.stderr.rsplit("MAXRSS_KB", 1)[1].split()[0]) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gb", type=float, nargs="+", default=[0.1, 1.0, 2.0])
    ap.add_argument("--users", type=int, default=100)
    args = ap.parse_args(argv)
    pad = 4000
    line_bytes = pad + 450
    print(f"{'input':>22} {'lines':>9} {'mapper peak MB':>15} {'read-all baseline MB':>21}")
    with tempfile.TemporaryDirectory() as d:
        for gb in args.gb:
            lines = int(gb * 1024**3 / line_bytes)
            for suffix in (".jsonl", ".jsonl.gz"):
                path = synth_tweets.write(Path(d) / f"t{suffix}", lines, args.users, pad=pad)
                size = path.stat().st_size / 1024**3
                ours = peak_mb(["-q", "report", "--locate", str(path), "-o", str(Path(d) / "r")])
                naive = peak_mb([str(path)], NAIVE)
                print(f"{f'{size:.2f} GB {suffix}':>22} {lines:>9,} {ours:>15.0f} {naive:>21.0f}")
                path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
