"""Spawning the CLI in a pseudo-terminal for tests that type into it."""

from __future__ import annotations

import signal


def _default_sigint() -> None:
    # A test run started as a background job inherits SIGINT ignored, and Python keeps
    # an ignored SIGINT ignored: Ctrl-C would then do nothing in the child. A person at
    # a terminal always has the default, so give the child that.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(command: str, args: list[str], **kwargs):  # type: ignore[no-untyped-def]
    """``pexpect.spawn`` with Ctrl-C delivered as it is at a real terminal."""
    import pexpect

    return pexpect.spawn(command, args, preexec_fn=_default_sigint, **kwargs)
