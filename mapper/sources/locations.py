"""The user's locations: a ``--locations`` CSV file, a dict or a DataFrame, read into
one table of overrides the locating stage applies over every other evidence.

The table maps a match key (a person id, a handle without ``@``, a normalised site
URL, or a normalised name) to the row: ``{"location": text}`` or ``{"lat", "lon"}``
(degrees, as text), plus whatever other columns the file had.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files import unguard_cell
from ..ids import norm_name, normalize_url
from .base import decode_text, open_bytes

#: match key → the row of the user's table
Overrides = dict[str, dict[str, str]]


def read_locations(path: str | Path) -> Overrides:
    """Read the user's locations file (CSV): match columns ``id``, ``handle``,
    ``url`` or ``name``; location columns ``location`` (a place text) or
    ``lat``/``lon``.  ``people.csv`` as ``mapper people`` writes it works as is.
    Rows with no location are skipped; a file with neither kind of column is an
    :class:`~mapper.errors.InputError` naming it."""
    text = decode_text(open_bytes(path), path)
    rows = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in rows.fieldnames or []]
    rows.fieldnames = fields
    if not {"location", "lat"} & set(fields):
        raise InputError(
            f"{path}: line 1: a locations file needs a 'location' column (or 'lat' and 'lon')"
        )
    if not {"id", "handle", "url", "name"} & set(fields):
        raise InputError(
            f"{path}: line 1: a locations file needs an 'id', 'handle', 'url' or 'name' column"
        )
    out: Overrides = {}
    for row in rows:
        row = {k: unguard_cell((v or "").strip()) for k, v in row.items() if k}
        if not (row.get("location") or (row.get("lat") and row.get("lon"))):
            continue
        url = normalize_url(row.get("url"))
        if row.get("id"):
            out[row["id"].lower()] = row
        elif row.get("handle"):
            for h in row["handle"].split():
                out[h.rpartition(":")[2].lower().lstrip("@")] = row
        elif url:
            out[url] = row
        elif row.get("name"):
            out[norm_name(row["name"])] = row
    return out


def overrides_from(value: Any) -> Overrides:
    """The overrides table from what a user gives: ``None``; a path to a locations
    file; a pandas DataFrame with the file's columns; or a dict
    ``{person id / @handle / name: "place text" | (lat, lon) | {column: value}}``."""
    if value is None:
        return {}
    if isinstance(value, str | Path):
        return read_locations(value)
    if hasattr(value, "to_dict") and hasattr(value, "columns"):  # a DataFrame
        out: Overrides = {}
        for raw in value.fillna("").astype(str).to_dict("records"):
            row = {str(k).lower(): str(v).strip() for k, v in raw.items()}
            key = row.get("id") or row.get("handle") or row.get("url") or norm_name(row.get("name"))
            if key and (row.get("location") or (row.get("lat") and row.get("lon"))):
                out[key.lower().lstrip("@")] = row
        return out
    out = {}
    for key, where in dict(value).items():
        k = str(key).strip().lower().lstrip("@")
        if isinstance(where, tuple | list) and len(where) == 2:
            out[k] = {"lat": str(where[0]), "lon": str(where[1])}
        elif isinstance(where, Mapping):
            out[k] = {str(a): str(b) for a, b in where.items()}
        else:
            out[k] = {"location": str(where)}
    return out
