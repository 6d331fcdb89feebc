"""Writing outputs atomically: a temporary file beside the target, then a rename.

An interrupted run never leaves a half-written map or report behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from contextvars import ContextVar
from pathlib import Path

#: whether :func:`write_atomic` syncs a file to disk before its rename: off while a
#: command runs on a Dask worker (:func:`mapper.distributed.on_worker`), whose outputs
#: are temporary copies the client fetches, writes (synced) and then removes — the
#: fsync of a 1M-tweet report.json there was 0.08 s of the serial part's CPU (issue #19)
DURABLE: ContextVar[bool] = ContextVar("mapper_durable", default=True)


def write_atomic(
    path: str | Path, data: str | bytes | Iterable[bytes | memoryview], encoding: str = "utf-8"
) -> None:
    """Write ``data`` to ``path`` via a temporary file and :func:`os.replace`;
    ``data`` may be an iterable of byte chunks, written as they come (streamed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, str | bytes):
                f.write(data.encode(encoding) if isinstance(data, str) else data)
            else:
                for chunk in data:
                    f.write(chunk)
            f.flush()
            if DURABLE.get():
                os.fsync(f.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def same_file(a: str | Path, b: str | Path) -> bool:
    """True if paths ``a`` and ``b`` name the same file: the same inode when both exist
    (hard links, symlinks, ``./x`` vs ``x``), else the same resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        try:
            return Path(a).resolve() == Path(b).resolve()
        except (OSError, RuntimeError):
            return False


def unguard_cell(cell: str) -> str:
    """A CSV cell as it was before ``mapper.report.safe_cell`` guarded it against
    spreadsheet formulas: one leading ``'`` before ``=``, ``+``, ``-``, ``@``, tab, CR
    or ``'`` removed (``'@ana`` → ``@ana``); any other cell unchanged."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r'":
        return cell[1:]
    return cell
