"""``python -m benchmarks``: the scale benchmarks of issue #7 in one command — ingest,
locate, influence and the 1M-tweet chain, then the map at 1k/10k/100k participants
(add ``--browser`` to time opening them in headless Chromium), and the metro rule
against published metro populations."""

import platform
import sys

from benchmarks import map_bench, metro_eval, scale

if __name__ == "__main__":
    browser = "--browser" in sys.argv[1:]
    print(
        f"machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores"
    )
    scale.main([])
    map_bench.main(["--browser"] if browser else [])
    metro_eval.main([])
