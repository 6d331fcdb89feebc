"""Remake the README's pictures of the bundled example (data/example):

- ``docs/example-map.png``: the HTML map in headless Chromium at 1400×900 with
  ``--tiles none``, so what shows is the offline basemap every map carries;
- ``docs/example-infographic.png``: the static infographic (``mapper map … -o x.png``).

Needs Chromium and the npm assets (``bash .ci/install-browser-deps``). Run from the
repo root: ``python -m benchmarks.screenshots``. Tests never write these files.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "example"
DOCS = ROOT / "docs"


class _MP:  # the small part of pytest's monkeypatch that serve_site uses
    def setattr(self, obj, name, value):
        setattr(obj, name, value)


def main() -> int:
    from playwright.sync_api import sync_playwright

    from mapper.cli import main as mapper
    from tests.browser import serve_site

    args = [str(EXAMPLE / "thread.txt"), "--locations", str(EXAMPLE / "locations.csv")]
    assert mapper(["-q", "map", *args, "-o", str(DOCS / "example-infographic.png")]) == 0
    with tempfile.TemporaryDirectory() as d:
        gen = serve_site(Path(d), _MP())
        root, base = next(gen)
        assert mapper(["-q", "map", *args, "-o", str(root / "m.html"), "--tiles", "none"]) == 0
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"]
            )
            tab = b.new_page(viewport={"width": 1400, "height": 900})
            tab.goto(f"{base}/m.html")
            tab.wait_for_function("document.querySelectorAll('path.mapper-flow').length > 0")
            tab.wait_for_timeout(500)
            tab.screenshot(path=str(DOCS / "example-map.png"))
            b.close()
        next(gen, None)
    for name in ("example-map.png", "example-infographic.png"):
        print(DOCS / name, (DOCS / name).stat().st_size // 1024, "kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
