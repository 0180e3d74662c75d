"""Content checks through `quiz export bank --format json`: what a user or another tool sees."""

from __future__ import annotations

import json

import pytest
from bigmodel_quiz.errors import ExitCode


@pytest.fixture
def exported(cli) -> list[dict]:
    result = cli("export", "bank", "--format", "json", "--seed", "1")
    assert result.exit_code == ExitCode.OK, result.stdout[-2000:]
    return json.loads(result.stdout)


def test_internal_tags_are_not_exported(exported) -> None:
    leaked = [(d["id"], t) for d in exported for t in d["tags"] if t.startswith("seed-")]
    assert leaked == []
