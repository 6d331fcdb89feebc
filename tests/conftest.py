"""Shared fixtures: paths to real third-party files, a per-session cache directory."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "data" / "example"


def pytest_configure(config):
    # one gazetteer build per clone, kept between sessions; never the user's own cache
    # and never inside the repository (tests do not write there)
    clone = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    default = Path(tempfile.gettempdir()) / f"mapper-test-cache-{clone}"
    cache = Path(os.environ.get("MAPPER_TEST_CACHE") or default)
    cache.mkdir(parents=True, exist_ok=True)
    os.environ["MAPPER_CACHE_DIR"] = str(cache)
    from mapper import settings

    settings.cache_dir = cache
    # hypothesis keeps its example database beside the cache, not in the repository
    from hypothesis import settings as hypothesis_settings
    from hypothesis.database import DirectoryBasedExampleDatabase

    hypothesis_settings.register_profile(
        "mapper", database=DirectoryBasedExampleDatabase(cache / "hypothesis")
    )
    hypothesis_settings.load_profile("mapper")


@pytest.fixture
def shared() -> Path:
    """``../shared`` beside the clone; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared/ is not beside the clone (real third-party fixtures absent)")
    return SHARED


@pytest.fixture
def seed(shared) -> Path:
    p = shared / "seed" / "closing-the-gap-thread.txt"
    if not p.exists():
        pytest.skip("seed thread absent from ../shared/seed/")
    return p


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    """A fresh cache directory (geocoder cache, assets), sharing the session's gazetteer."""
    from mapper import settings
    from mapper.geo import gazetteer

    src = gazetteer.default_path()
    gazetteer.get()  # build once
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    shutil.copy(src, gazetteer.default_path())
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def make_httpserver():
    """The local HTTP server of pytest-httpserver, threaded: a test's deliberately slow
    answer must not hold up the requests of the tests after it."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A directory served on 127.0.0.1 with the map's assets; yields (root, base URL)."""
    from tests.browser import serve_site

    yield from serve_site(tmp_path, monkeypatch)
