"""Entry point for ``quiz`` and ``python -m bigmodel_quiz``."""

from __future__ import annotations


def main() -> None:
    """Run the command-line app."""
    from bigmodel_quiz.cli.app import run

    run()


if __name__ == "__main__":
    main()
