"""Emphasis next to Chinese punctuation: rendered as emphasis, and flagged by quiz validate."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from bigmodel_quiz.bank.prose import emphasis_next_to_punctuation, fix_emphasis
from bigmodel_quiz.cli.cjk_wrap import markdown
from bigmodel_quiz.errors import ExitCode


@pytest.mark.parametrize(("text", "fixed"), [
    ("**约定。**张量的形状为 (N, C)。", "**约定**。张量的形状为 (N, C)。"),
    ("**示例（论文图 1）。**后", "**示例（论文图 1）**。后"),
    ("前**「约定」**后", "前「**约定**」后"),
    ("**ok.** fine", "**ok.** fine"),  # a space after it: CommonMark already parses it
    ("`**x。**y`", "`**x。**y`"),  # code is left alone
])
def test_punctuation_moves_outside_the_emphasis(text: str, fixed: str) -> None:
    assert fix_emphasis(text) == fixed
    assert not emphasis_next_to_punctuation(fixed)


def test_the_terminal_shows_no_literal_asterisks() -> None:
    console = Console(width=60, record=True, color_system=None)
    console.print(markdown("**约定。**张量的形状为 (N, C)。"))
    assert "**" not in console.export_text()


def test_validate_flags_the_pattern_as_a_warning(cli, tmp_path: Path) -> None:
    src = Path(__file__).parent / "fixtures" / "banks" / "demo.yaml"
    text = src.read_text(encoding="utf-8").replace('zh: "B 是对的。"', 'zh: "**B 是对的。**因为如此"')
    (tmp_path / "demo.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", str(tmp_path))
    assert result.exit_code == ExitCode.OK, result.stdout
    assert result.stdout.startswith("ok:") and "1 warning(s)" in result.stdout
    assert "demo-single.explanation.zh: warning: '**B 是对的。**'" in result.stderr
    assert "'**B 是对的**。'" in result.stderr
