"""Plain CSV: ``people.csv`` (id, name, location, handle, url) and
``interactions.csv`` (source, target, kind, weight, at).

Either file may come alone; given together (two inputs) the interactions refer
to the people's ids.  ``people.csv`` as ``mapper people`` writes it (more
columns, a ``location`` filled in by hand) reads the same way.  A bad row is
reported with its line number and skipped; the rows around it are kept.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from ..identity import new_person
from ..model import KINDS, Conversation, Interaction, Person
from .base import decode_text, open_bytes

NAME = "CSV (people.csv / interactions.csv)"
PEOPLE = {"id", "name"}
INTERACTIONS = {"source", "target"}


def _header(head: str) -> set[str]:
    first = head.splitlines()[0] if head.strip() else ""
    try:
        row = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return set()
    return {c.strip().lower() for c in row}


def sniff(head: str) -> bool:
    cols = _header(head)
    return cols >= PEOPLE or cols >= INTERACTIONS


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a people or interactions CSV file (told apart by its header)."""
    conv = Conversation(inputs=[str(path)])
    text = decode_text(open_bytes(path), path, conv)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
    is_people = set(reader.fieldnames) >= PEOPLE
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                conv.problem(
                    str(path),
                    f"line {line}",
                    f"{len(row[None])} more field(s) than the header has; row skipped",
                )
                continue
            try:
                if is_people:
                    _person(row, conv, path, line)
                else:
                    _interaction(row, conv, path, line)
            except ValueError as e:
                conv.problem(str(path), f"line {line}", f"{e}; row skipped")
    except csv.Error as e:
        conv.problem(str(path), f"line {reader.line_num}", f"malformed CSV ({e}); rest skipped")
    return conv


def _person(row: dict, conv: Conversation, path, line: int) -> None:
    pid = (row.get("id") or "").strip()
    name = (row.get("name") or "").strip()
    if not pid and not name:
        raise ValueError("no id and no name")
    handles = {}
    for h in (row.get("handle") or row.get("handles") or "").replace(";", " ").split():
        platform, _, handle = h.rpartition(":")
        handles[platform or "twitter"] = handle.lstrip("@")
    p = new_person(
        name or pid,
        (row.get("url") or row.get("urls") or "").split(" ")[0] or None,
        handles,
        source=f"{Path(path).name} line {line}",
    )
    if pid:
        p.id = pid
    loc = (row.get("location") or row.get("location_text") or "").strip()
    if loc:
        p.location_text = loc
        p.add_evidence("profile location", loc, f"{path}:{line}")
    conv.add_person(p)


def _interaction(row: dict, conv: Conversation, path, line: int) -> None:
    source, target = (row.get("source") or "").strip(), (row.get("target") or "").strip()
    if not source or not target:
        raise ValueError("source and target are both required")
    kind = (row.get("kind") or "comment").strip().lower()
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    try:
        weight = float(row.get("weight") or 1)
    except ValueError:
        raise ValueError(f"weight {row.get('weight')!r} is not a number") from None
    if weight <= 0:
        raise ValueError(f"weight {weight} must be positive")
    at = None
    if (row.get("at") or "").strip():
        try:
            at = datetime.fromisoformat(row["at"].strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"'at' {row['at']!r} is not an ISO date") from None
    for pid in (source, target):
        if pid not in conv.people:
            conv.people[pid] = Person(id=pid, name="")  # named by people.csv, if given
    conv.interactions.append(Interaction(source, target, kind, weight, at, ref=f"{path}:{line}"))
