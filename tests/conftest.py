"""Shared fixtures: every test gets its own data dir and a fixed terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point QUIZ_HOME at a fresh folder so no test touches a real home."""
    home = tmp_path_factory.mktemp("quiz-home")
    monkeypatch.setenv("QUIZ_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.delenv("QUIZ_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return home


@pytest.fixture
def quiz_home() -> Path:
    """The data dir of the current test."""
    return Path(os.environ["QUIZ_HOME"])


@pytest.fixture
def cli():
    """Invoke the Typer app in-process: ``cli("topics", "--json")`` → click Result."""
    from typer.testing import CliRunner

    from bigmodel_quiz.cli.app import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # noqa: A002
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke
