"""Plain CSV: ``people.csv`` (id, name, location, handle, url) and
``interactions.csv`` (source, target, kind, weight, at).

Either file may come alone; given together (two inputs) the interactions refer
to the people's ids.  ``people.csv`` as ``mapper people`` writes it (more
columns, a ``location`` filled in by hand) reads the same way.  A bad row is
reported with its line number and skipped; the rows around it are kept.
"""

from __future__ import annotations

import csv
import math
from datetime import datetime
from pathlib import Path

from ..files import unguard_cell
from ..ids import new_person
from ..model import KINDS, Conversation, Interaction, Person
from .base import InputError, decode_text, open_bytes

#: the range of an interaction weight (a count of acts): outside it, sums and
#: PageRank lose all precision
MIN_WEIGHT = 1e-9
MAX_WEIGHT = 1e12

NAME = "CSV (people.csv / interactions.csv)"
#: Other spellings of a handle namespace in the ``handle`` column, read as the one the
#: readers use (Bluesky ids were ``bluesky:`` before they were ``bsky:``).
_NAMESPACES = {"bluesky": "bsky"}
PEOPLE = {"id", "name"}
INTERACTIONS = {"source", "target"}


def _header(head: str) -> set[str]:
    first = next((line for line in head.splitlines() if line.strip()), "")
    try:
        row = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return set()
    return {c.strip().lower() for c in row}


def sniff(head: str) -> bool:
    cols = _header(head)
    return cols >= PEOPLE or cols >= INTERACTIONS


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a people or interactions CSV file (told apart by its header).

    A row with the wrong number of fields is reported and skipped.  A quote that is
    opened and never closed would swallow the rest of the file in a plain CSV
    reader; here the row it starts on is reported and reading resumes on the next
    physical line, so the rows after it are kept.
    """
    conv = Conversation(inputs=[str(path)])
    lines = decode_text(open_bytes(path), path, conv).splitlines(keepends=True)
    if not lines:
        return conv
    # profile texts can be long (100 kB names are a known attack); 64 MB per field
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 2**20))
    # blank lines (CRLF ones too) before the header are not the header
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if first == len(lines):
        return conv
    try:
        header = [f.strip().lower() for f in next(csv.reader([lines[first]]))]
    except (csv.Error, StopIteration) as e:
        raise InputError(f"{path}: line {first + 1}: unreadable CSV header ({e})") from None
    is_people = set(header) >= PEOPLE
    pos = first + 1  # index in ``lines`` of the next physical line to read
    while pos < len(lines):
        reader = csv.reader(lines[pos:])
        consumed, restart = 0, None
        try:
            for row in reader:
                line, end = pos + consumed + 1, pos + reader.line_num
                consumed = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    if end > line and len(row) < len(header):
                        conv.problem(
                            str(path),
                            f"line {line}",
                            "a quote opened on this line "
                            "is never closed; line skipped, the lines after it read",
                        )
                        restart = line  # resume on the line after the bad one
                        break
                    conv.problem(
                        str(path),
                        f"line {line}",
                        f"{len(row)} fields where the header has {len(header)}; row skipped",
                    )
                    continue
                row = [unguard_cell(cell.strip()) for cell in row]  # '@ana → @ana
                try:
                    if is_people:
                        _person(dict(zip(header, row, strict=True)), conv, path, line)
                    else:
                        _interaction(dict(zip(header, row, strict=True)), conv, path, line)
                except ValueError as e:
                    conv.problem(str(path), f"line {line}", f"{e}; row skipped")
        except csv.Error as e:
            line = pos + consumed + 1
            conv.problem(str(path), f"line {line}", f"malformed CSV ({e}); line skipped")
            restart = line
        if restart is None:
            break
        pos = restart
    return conv


def _person(row: dict, conv: Conversation, path, line: int) -> None:
    pid = (row.get("id") or "").strip()
    name = (row.get("name") or "").strip()
    if not pid and not name:
        raise ValueError("no id and no name")
    handles = {}
    for h in (row.get("handle") or row.get("handles") or "").replace(";", " ").split():
        platform, _, handle = h.rpartition(":")
        platform = _NAMESPACES.get(platform.lower(), platform) or "twitter"
        handles[platform] = handle.lstrip("@")
    p = new_person(
        name or pid,
        (row.get("url") or row.get("urls") or "").split(" ")[0] or None,
        handles,
        source=f"{Path(path).name} line {line}",
        platform="user",
    )
    if pid and pid != p.id:
        p.id = pid  # the user's id stands, in merged_from too
        p.merged_from[0] = f"{pid} ({Path(path).name} line {line})"
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
    # NaN, infinities, subnormals and absurd sizes make every PageRank NaN or 0
    if not math.isfinite(weight) or weight <= 0:
        raise ValueError(f"weight {row.get('weight')!r} must be a positive finite number")
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        raise ValueError(f"weight {weight:g} is out of range ({MIN_WEIGHT:g} to {MAX_WEIGHT:g})")
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
