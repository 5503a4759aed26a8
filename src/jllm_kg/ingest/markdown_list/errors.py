"""The error every part of the list reader raises for input it cannot read."""

from __future__ import annotations

__all__ = ["ListParseError"]


class ListParseError(ValueError):
    """The list's markdown cannot be read; the message names the file, line and problem."""
