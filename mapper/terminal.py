"""Text bound for a terminal, made harmless.

Names, locations and messages come from other people's data: an escape sequence in a
display name could retitle the terminal window, write the clipboard (OSC 52), move the
cursor to fake log lines, or reverse what follows (bidi overrides).  Everything mapper
prints to a terminal goes through :func:`escape`, which shows such characters as
``\\x1b``/``\\u202e`` instead of sending them; files keep the data exactly.
"""

from __future__ import annotations

import logging
import re

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the
# invisible direction marks and overrides
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _shown(m: re.Match[str]) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def escape(text: str) -> str:
    """``text`` with every control character (but tab and newline) and every bidi
    control shown as an escape (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_shown, text)


def json_line(text: str) -> str:
    """A JSON text with the same characters written as ``\\uXXXX``: the same JSON
    value, harmless on a terminal (``json.dumps`` leaves C1 and bidi controls raw)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


class SafeFormatter(logging.Formatter):
    """A formatter whose output is :func:`escape` d (messages quote names, places, URLs)."""

    def format(self, record: logging.LogRecord) -> str:
        return escape(super().format(record))
