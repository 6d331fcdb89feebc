"""A persistent SQLite cache of online geocoder answers.

Keyed by *scope* and normalised query, the scope naming the service, its endpoint
(URL) and every option that changes answers (language, country codes, ...), so an
answer from one server or with other options is never served for another.  Only
answers are stored, never failures (timeouts, throttling, errors), so a string that
failed today is asked again next run.  Each answer is committed as soon as it
arrives: an interrupted run keeps everything it already obtained.

A damaged cache file (garbage bytes, a truncated database, another layout) is
detected, set aside as ``<name>.damaged-<time>`` with one warning and started
afresh: never a traceback, never a wrong answer.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from ..model import off_globe  # noqa: F401  (re-exported)

log = logging.getLogger("mapper")

_MAGIC = b"SQLite format 3\x00"
# the layout this module writes; a file with another one (an older cache keyed by
# service alone) is set aside rather than trusted
_SCHEMA = "CREATE TABLE answers (scope TEXT, query TEXT, answer TEXT, PRIMARY KEY (scope, query))"


def set_aside(path: Path, why: str, what: str) -> Path:
    """Rename a damaged file ``path`` to ``<name>.damaged-<unix time>`` (its SQLite
    side files with it) and warn once; the caller then builds a fresh one."""
    aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
    try:
        path.replace(aside)
    except OSError:  # cannot rename (read-only dir...): remove instead, or give up
        aside = path
        path.unlink(missing_ok=True)
    for side in ("-wal", "-shm", "-journal"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    log.warning("%s %s is damaged (%s); set aside as %s, starting afresh", what, path, why, aside)
    return aside


def sqlite_problem(path: Path) -> str | None:
    """Why ``path`` is not a whole SQLite database, or ``None`` if it looks whole.

    Cheap checks only (the header, and the file length against the page count the
    header declares), so a 100 MB file is judged without reading it: garbage bytes
    and a truncated copy are caught; the rest is left to the queries."""
    try:
        with path.open("rb") as f:
            head = f.read(100)
        size = path.stat().st_size
    except OSError as e:
        return f"unreadable: {e.strerror or e}"
    if size == 0:
        return None  # an empty file is a valid empty database to SQLite
    if len(head) < 100 or not head.startswith(_MAGIC):
        return "not an SQLite database"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    # the page count is valid only when the 'version valid for' number equals the
    # change counter (SQLite file format, section 1.3.7)
    if head[24:28] == head[92:96] and pages and size < pages * page_size:
        return f"truncated ({size:,} of {pages * page_size:,} bytes)"
    return None


def valid_answer(answer: object) -> bool:
    """An answer a geocoder may give: ``None`` (no such place) or a point on the globe."""
    if answer is None:
        return True
    if not isinstance(answer, dict):
        return False
    lat, lon = answer.get("lat"), answer.get("lon")
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        return False
    return math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180


class GeocodeCache:
    """``get``/``put`` of JSON answers by ``(scope, query)``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        why = sqlite_problem(self.path) if self.path.exists() else None
        if why is None:
            try:
                return self._connect()
            except sqlite3.DatabaseError as e:
                why = str(e)
        set_aside(self.path, why, "geocoder cache")
        return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            row = db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'answers'"
            ).fetchone()
            if row is None:
                db.execute(_SCHEMA)
            elif " ".join(row[0].split()) != _SCHEMA:
                raise sqlite3.DatabaseError("another layout (an older or foreign cache)")
            db.execute("SELECT count(*) FROM answers").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _run(self, sql: str, args: tuple) -> list[tuple]:
        """Run one statement; a database damaged under us is set aside and started
        afresh (the statement then runs on the fresh one)."""
        with self._lock:
            try:
                return self.db.execute(sql, args).fetchall()
            except sqlite3.DatabaseError as e:
                self.db.close()
                set_aside(self.path, str(e), "geocoder cache")
                self.db = self._connect()
                return self.db.execute(sql, args).fetchall()

    def get(self, scope: str, query: str) -> dict[str, Any] | None:
        """The stored ``{"answer": ...}`` for ``query`` in ``scope``; ``None`` when
        absent or unusable (a row that is not a valid answer is a miss)."""
        rows = self._run("SELECT answer FROM answers WHERE scope = ? AND query = ?", (scope, query))
        if not rows:
            return None
        try:
            stored = json.loads(rows[0][0])
        except (TypeError, ValueError):
            return None
        if not isinstance(stored, dict) or not valid_answer(stored.get("answer")):
            return None
        return stored

    def has(self, scope: str, query: str) -> bool:
        return self.get(scope, query) is not None

    def put(self, scope: str, query: str, answer: dict[str, Any]) -> None:
        self._run(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (scope, query, json.dumps(answer))
        )

    def close(self) -> None:
        self.db.close()
