"""A persistent SQLite cache of online geocoder answers.

Keyed by service and normalised query.  Only answers are stored, never
failures (timeouts, throttling, errors), so a string that failed today is
asked again next run.  Each answer is committed as soon as it arrives: an
interrupted run keeps everything it already obtained.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any


class GeocodeCache:
    """``get``/``put`` of JSON answers by ``(service, query)``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS answers (service TEXT, query TEXT, "
            "answer TEXT, PRIMARY KEY (service, query))"
        )

    def get(self, service: str, query: str) -> dict[str, Any] | None:
        with self._lock:
            row = self.db.execute(
                "SELECT answer FROM answers WHERE service = ? AND query = ?", (service, query)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def has(self, service: str, query: str) -> bool:
        with self._lock:
            return (
                self.db.execute(
                    "SELECT 1 FROM answers WHERE service = ? AND query = ?", (service, query)
                ).fetchone()
                is not None
            )

    def put(self, service: str, query: str, answer: dict[str, Any]) -> None:
        with self._lock:
            self.db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                (service, query, json.dumps(answer)),
            )

    def close(self) -> None:
        self.db.close()
