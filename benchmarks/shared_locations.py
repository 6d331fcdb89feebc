"""How many user locations in the real tweet files of ../shared/data resolve, by method.

python -m benchmarks.shared_locations [SHARED_DIR]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from mapper import merge, read
from mapper.geo.locate import Locator


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    shared = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared"
    files = (
        sorted((shared / "data").glob("twitter_v*/*"))
        + sorted((shared / "data").glob("mastodon/*"))
        + sorted((shared / "data").glob("bluesky/*"))
    )
    if not files:
        print(f"no tweet files under {shared}/data", file=sys.stderr)
        return 1
    loc = Locator()
    total: Counter = Counter()
    print(f"{'file':55} {'people':>6} {'w/ text':>7} {'resolved':>8}  methods / refusals")
    for f in files:
        conv = merge(read(f))
        texts = [p.location_text for p in conv.people.values() if p.location_text]
        methods: Counter = Counter()
        for t in texts:
            res, _how = loc.resolve(t)
            methods[res.method if res.resolved else f"refused: {res.reason}"] += 1
        resolved = sum(v for k, v in methods.items() if not k.startswith("refused"))
        total.update({"people": len(conv.people), "text": len(texts), "resolved": resolved})
        total.update(methods)
        print(
            f"{f.relative_to(shared / 'data')!s:55} {len(conv.people):>6} {len(texts):>7} "
            f"{resolved:>8}  {dict(methods.most_common())}"
        )
    print(
        f"\nall: {total['people']} people, {total['text']} with a location text, "
        f"{total['resolved']} resolved ({total['resolved'] / max(1, total['text']):.0%})"
    )
    by = {k: v for k, v in total.items() if k not in ("people", "text", "resolved")}
    for k, v in sorted(by.items(), key=lambda kv: -kv[1]):
        print(f"  {v:>4}  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
