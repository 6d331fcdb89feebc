"""Big input: a multi-GB JSON-lines file (and its gzip) in bounded memory.

Marked slow; run in CI.  The same population of users writes 20× more lines: the
peak memory of the whole `mapper report` run must stay flat.
"""

import json
import subprocess
import sys

import pytest

from benchmarks import synth_tweets

PROBE = (
    "import resource, sys\nfrom mapper.cli import main\nrc = main(sys.argv[1:])\n"
    "sys.stderr.write(f'MAXRSS_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
    "sys.exit(rc)\n"
)


def run(path, tmp_path):
    out = tmp_path / f"{path.name}.json"
    p = subprocess.run(
        [sys.executable, "-c", PROBE, "-q", "report", "--locate", str(path), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    kb = int(p.stderr.rsplit("MAXRSS_KB", 1)[1].split()[0])
    return kb / 1024, json.loads(out.read_text())


@pytest.mark.slow
def test_multi_gb_jsonl_and_gzip_in_bounded_memory(tmp_path):
    users, pad = 100, 4000  # a population small enough that its ties saturate
    small = synth_tweets.write(tmp_path / "small.jsonl", 25_000, users, pad=pad)
    big = synth_tweets.write(tmp_path / "big.jsonl", 500_000, users, pad=pad)
    assert big.stat().st_size > 2 * 1024**3  # multi-GB
    small_mb, small_rep = run(small, tmp_path)
    big_mb, big_rep = run(big, tmp_path)
    assert small_rep["participants"] <= big_rep["participants"] <= users
    assert big_rep["interactions"] > 15 * small_rep["interactions"]
    assert big_mb <= 1.3 * small_mb + 64, (small_mb, big_mb)
    big.unlink()
    gz = synth_tweets.write(tmp_path / "big.jsonl.gz", 500_000, users, pad=pad)
    gz_mb, gz_rep = run(gz, tmp_path)
    assert gz_rep["interactions"] == big_rep["interactions"]
    assert gz_mb <= 1.3 * small_mb + 64, (small_mb, gz_mb)
