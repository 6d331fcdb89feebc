"""Results must not change (issue #17): ``report.json`` of every test corpus written by
two checkouts, compared.

    python -m benchmarks.same_reports BEFORE_DIR [--extra FILE ...]

``BEFORE_DIR`` is a checkout (or ``git archive`` of one) of the code before the
change; this checkout is the after.  Each input (the platform fixtures, the example,
``../shared/data``'s tweet files, and any ``--extra`` file such as a synthetic corpus)
goes through ``mapper report --locate`` under both; any difference is printed and
the exit status is 1."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpora() -> list[Path]:
    """The inputs compared: fixtures of tweet-like platforms, the example, shared data."""
    found = sorted((ROOT / "tests" / "data" / "platforms").glob("*/*"))
    found.append(ROOT / "data" / "example" / "thread.txt")
    shared = ROOT.parent / "shared" / "data"
    for sub in ("twitter_v1", "twitter_v2", "mastodon", "bluesky"):
        found += sorted((shared / sub).glob("*")) if (shared / sub).is_dir() else []
    return [p for p in found if p.is_file() and p.suffix in (".json", ".jsonl", ".txt")]


def report(code: Path, path: Path, out: Path) -> dict | str:
    """``report.json`` of ``path`` under the checkout ``code`` (its error text on failure)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    r = subprocess.run(
        [sys.executable, "-m", "mapper", "-q", "report", "--locate", str(path), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    if r.returncode:
        return f"exit {r.returncode}: {r.stderr.strip()[-300:]}"
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("--extra", nargs="*", type=Path, default=[])
    args = ap.parse_args(argv)
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        for path in corpora() + args.extra:
            a = report(args.before, path, Path(d) / "a.json")
            b = report(ROOT, path, Path(d) / "b.json")
            same = a == b
            bad += not same
            print(f"{'same' if same else 'DIFFERENT'}  {path}")
            if not same and isinstance(a, dict) and isinstance(b, dict):
                keys = [k for k in a.keys() | b.keys() if a.get(k) != b.get(k)]
                print(f"    differs in: {', '.join(sorted(keys))}")
            elif not same:
                print(f"    before: {str(a)[:200]}\n    after:  {str(b)[:200]}")
    print(f"{bad} of the reports differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
