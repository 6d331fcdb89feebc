"""Headless Chromium helpers for the browser tests: a local site that serves the map's
assets (Leaflet from npm, installed by .ci/install-browser-deps) on 127.0.0.1."""

import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mapper import settings
from tests.conftest import ROOT

ASSETS = ROOT / ".ci" / "assets" / "node_modules"


def browser():
    chromium = shutil.which("chromium")
    if not chromium or not (ASSETS / "leaflet" / "dist" / "leaflet.js").exists():
        pytest.skip("Chromium or the npm assets are missing (.ci/install-browser-deps)")
    pw = pytest.importorskip("playwright.sync_api")
    return chromium, pw


def serve_site(tmp_path, monkeypatch):
    """Serve tmp_path on 127.0.0.1, with the map's assets laid out by their URL paths."""
    import folium

    root = tmp_path / "site"
    for url_path, src in {
        "cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": ASSETS / "leaflet/dist/leaflet.js",
        "cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": ASSETS / "leaflet/dist/leaflet.css",
        "cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/"
        "leaflet_heat.min.js": Path(folium.__file__).parent / "templates/leaflet_heat.min.js",
    }.items():
        dest = root / "assets" / url_path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.exists():
            shutil.copy(src, dest)
    (root / "favicon.ico").write_bytes(b"")  # the browser asks for it

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = partial(Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setattr(settings, "asset_base_url", f"{base}/assets")
    yield root, base
    server.shutdown()


def open_page(page_url, chromium, pw, screenshot=None):
    dialogs, errors = [], []
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_url)
        page.wait_for_function("document.querySelectorAll('path.mapper-arc').length >= 0")
        page.wait_for_timeout(300)
        if screenshot:
            page.screenshot(path=str(screenshot))
        # open every popup and tooltip, so any injected markup would be parsed now
        page.evaluate("""() => { for (const v of Object.values(window)) {
            if (v instanceof L.Map) v.eachLayer(l => {
              if (l.getPopup && l.getPopup()) { l.openPopup(); }
              if (l.getTooltip && l.getTooltip()) { l.openTooltip(); } }); } }""")
        page.wait_for_timeout(300)
        found = page.evaluate("""() => ({
            people: document.querySelectorAll('path.mapper-person').length,
            places: document.querySelectorAll('path.mapper-place').length,
            arcs: document.querySelectorAll('path.mapper-arc').length,
            basemap: document.querySelectorAll('.leaflet-mapper-basemap-pane path').length,
            injected: document.querySelectorAll('img[src="x"], script:not([src])').length,
            scripts: document.querySelectorAll('script').length,
            links: [...document.querySelectorAll('a[href]')].map(a => a.href),
            legend: !!document.querySelector('#mapper-legend'),
            unlocated: document.querySelector('#mapper-unlocated')?.textContent || '' })""")
        browser.close()
    return found, dialogs, errors


def inspect_layout(page_url, chromium, pw, width, height, screenshot=None):
    """Open the map in a ``width``×``height`` window; report what an embedding reader
    sees: title, panel and layer-control state, the panel's share of the window, flows,
    labels, basemap, whether a popup opened on the biggest circle is clear of the
    panel, and the open time in seconds (reported, never asserted)."""
    import time

    with pw.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page(viewport={"width": width, "height": height})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        page.goto(page_url)
        page.wait_for_function("document.querySelectorAll('path.mapper-flow').length > 0")
        opened_s = time.perf_counter() - start
        page.wait_for_timeout(300)
        if screenshot:
            page.screenshot(path=str(screenshot))
        found = page.evaluate("""() => {
            const panel = document.getElementById('mapper-panel').getBoundingClientRect();
            return {
              title: document.title,
              zoom: Object.values(window).find(v => v instanceof L.Map).getZoom(),
              panel_open: document.getElementById('mapper-panel-body').open,
              control_expanded: !!document.querySelector('.leaflet-control-layers-expanded'),
              panel_share: panel.width * panel.height / (innerWidth * innerHeight),
              flows: document.querySelectorAll('path.mapper-flow').length,
              arrows: document.querySelectorAll('path.mapper-arrow').length,
              labels: document.querySelectorAll('.mapper-label').length,
              basemap: document.querySelectorAll('.leaflet-mapper-basemap-pane path').length,
              flow_widths: [...document.querySelectorAll('path.mapper-flow')].map(
                  e => parseFloat(e.getAttribute('stroke-width'))),
            }; }""")
        # open the popup of the biggest circle, as a reader clicking it would
        page.evaluate("""() => { for (const v of Object.values(window)) {
            if (v instanceof L.Map) { let best = null;
              v.eachLayer(l => { if (l.getPopup && l.getPopup() && l.getRadius &&
                  (!best || l.getRadius() > best.getRadius())) best = l; });
              if (best) best.openPopup(); } } }""")
        page.wait_for_timeout(400)
        found["popup_clear"] = page.evaluate("""() => {
            const el = document.querySelector('.leaflet-popup');
            if (!el) return null;
            const a = el.getBoundingClientRect(),
                  b = document.getElementById('mapper-panel').getBoundingClientRect();
            return a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
            }""")
        browser.close()
    found["opened_s"] = opened_s
    found["errors"] = errors
    return found
