"""Fuzz: mutated shipped banks never make ``quiz validate`` print a traceback."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.quality import check
from bigmodel_quiz.paths import bank_dir
from bigmodel_quiz.errors import ExitCode

SHIPPED = sorted(p for p in bank_dir().glob("*.yaml"))
SOURCE = min(SHIPPED, key=lambda p: p.stat().st_size)
LINES = SOURCE.read_text(encoding="utf-8").splitlines(keepends=True)

JUNK = st.sampled_from(["", "-", ":", "[", "]", "{", "}", "&a", "*a", "!!python/object:os.system",
                        "~", "null", "- - -", "'", '"', "\t", "answer: Z", "type: essay", "choices: 3",
                        "tolerance: {rel: -1}", "unit: parsec", "id: ps-dup", "  - id: x", "%YAML 9",
                        "generator: nope", "params: {n: {range: [5, 1]}}", "\x00", "\ufeff", "题目：?"])


@st.composite
def mutated(draw) -> str:  # type: ignore[no-untyped-def]
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "junk", "indent", "dedent", "truncate", "swap"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "junk":
            lines[i] = draw(JUNK) + "\n"
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        elif op == "truncate":
            lines = lines[:i]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=int(os.environ.get("QUIZ_FUZZ_EXAMPLES", "60")), deadline=None,
          derandomize="QUIZ_FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutated())
def test_mutated_bank_gives_problems_not_tracebacks(text: str, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / SOURCE.name
    path.write_text(text, encoding="utf-8")
    bank, problems = load([path])  # any exception here is a bug
    check(bank)
    for p in problems:
        assert p.line >= 1 and str(p).startswith(f"{path}:")
        assert "\n" not in p.message


def test_validate_command_on_garbage_never_tracebacks(cli, tmp_path: Path) -> None:
    for i, text in enumerate(["questions: 5\n", "topic: {id: [1]}\n", "- - -\n", "{a: b\n", "\x00\x01",
                              "topic:\n  id: t\nquestions:\n  - 3\n  - [x]\n  - {id: 5}\n"]):
        f = tmp_path / f"t{i}.yaml"
        f.write_text(text, encoding="utf-8")
        result = cli("validate", str(f))
        assert result.exit_code == ExitCode.FAILED, result.output
        assert "Traceback" not in result.output
