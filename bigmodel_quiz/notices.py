"""One-line notices from the core to the user (a moved-aside store, a skipped question).

The core calls :func:`notify`; the CLI decides where notices go (stderr). Without a
handler they are dropped, which keeps library use and tests quiet.
"""

from __future__ import annotations

from typing import Callable

_handler: Callable[[str], None] | None = None


def set_handler(handler: Callable[[str], None] | None) -> None:
    """Who is told."""
    global _handler
    _handler = handler


def notify(message: str) -> None:
    """Tell the user one line, if anyone listens."""
    if _handler is not None:
        _handler(message)
