"""``quiz start``, ``topics``, ``validate`` and ``export history`` driven in-process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from bigmodel_quiz.errors import ExitCode

FIXTURES = Path(__file__).parent / "fixtures" / "banks"


@pytest.fixture
def demo_banks(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUIZ_BANK_DIR", str(FIXTURES))
    return FIXTURES


def test_every_command_has_help(cli) -> None:
    from bigmodel_quiz.cli.app import app
    import typer.main

    group = typer.main.get_command(app)
    names = list(group.commands)
    assert {"start", "topics", "validate", "export"} <= set(names)
    for name in names:
        cmd = group.commands[name]
        assert (cmd.help or "").strip(), f"{name} has no help"
        result = cli(name, "--help")
        assert result.exit_code == ExitCode.OK, result.output


def test_topics_json(cli, demo_banks) -> None:
    result = cli("topics", "--json")
    assert result.exit_code == ExitCode.OK
    rows = json.loads(result.stdout)
    assert rows[0]["topic"] == "demo" and rows[0]["questions"] == 5 and rows[0]["templates"] == 1
    assert rows[0]["accuracy"] is None


def test_every_exercise_counts_under_a_shipped_topic(cli, monkeypatch) -> None:
    from bigmodel_quiz.exercises.catalog import exercise_ids, index

    rows = {r["topic"]: r for r in json.loads(cli("topics", "--json").stdout)}
    # No exercise-only row beside its bank topic; kernels-hardware has exercises before its bank.
    assert {t for t, r in rows.items() if r["questions"] == 0} <= {"kernels-hardware"}
    assert sum(r["exercises"] for r in rows.values()) == len(exercise_ids()) >= 27
    # exercises tagged "inference" (kv-cache-bytes, quantize-int8, ...) count under the bank's inference-deployment
    assert rows["inference-deployment"]["exercises"] == sum(e.topic == "inference" for e in index()) >= 2
    assert {e.bank_topic for e in index()} <= set(rows)  # study plans match exercises to bank topics
    monkeypatch.setenv("COLUMNS", "80")
    table = cli("topics").stdout
    assert "inference-deployment" in table and max(len(line) for line in table.splitlines()) <= 80


def test_piped_session_stores_answers_and_summarises(cli, demo_banks) -> None:
    result = cli("start", "--topic", "demo", "--type", "truefalse", "--lang", "en", input="f\n")
    assert result.exit_code == ExitCode.OK, result.output
    assert "Session summary" in result.stdout and "100%" in result.stdout
    history = json.loads(cli("export", "history").stdout)
    assert [(h["question_id"], h["correct"]) for h in history] == [("demo-tf", True)]
    assert {"question_id", "topic", "correct", "answered_at"} <= set(history[0])


def test_unparsable_answer_is_asked_again_then_eof_ends_cleanly(cli, demo_banks) -> None:
    result = cli("start", "--topic", "demo", "--type", "numeric", "--lang", "en", input="lots\n")
    assert result.exit_code == ExitCode.OK
    assert "answer in GB" in result.stdout or "e.g. 1.2e9" in result.stdout
    assert "Session stopped" in result.stdout
    assert json.loads(cli("export", "history").stdout) == []


def test_quit_keeps_earlier_answers(cli, demo_banks) -> None:
    result = cli("start", "--topic", "demo", "--count", "5", "--seed", "3", "--lang", "en", input="x\nq\n")
    assert result.exit_code == ExitCode.OK
    # "x" is unparsable for every type but short; a short answer "x" is stored as wrong.
    stored = json.loads(cli("export", "history").stdout)
    assert all(not h["correct"] for h in stored)


def test_same_seed_same_order(cli, demo_banks) -> None:
    from bigmodel_quiz.bank.loader import load_bank
    from bigmodel_quiz.session.select import select

    bank = load_bank()
    a = [q.id for q in select(bank, count=None, seed=7)]
    b = [q.id for q in select(bank, count=None, seed=7)]
    c = [q.id for q in select(bank, count=None, seed=8)]
    assert a == b and len(a) == 6 and a != c
    assert "demo-gpt-params@7" in a and "demo-gpt-params@8" in c


@pytest.mark.parametrize(("args", "word"), [(["--topic", "nope"], "topic"), (["--type", "essay"], "type"),
                                            (["--difficulty", "insane"], "difficulty"), (["--count", "0"], "count")])
def test_bad_filters_exit_2_with_one_line(cli, demo_banks, args: list[str], word: str) -> None:
    result = cli("start", *args, input="")
    assert result.exit_code == ExitCode.USAGE
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and word in lines[0]
    if word == "topic":
        assert "demo" in lines[0]  # lists the valid ones


def test_wrong_flag_is_usage_error(cli) -> None:
    assert cli("start", "--colour").exit_code == ExitCode.USAGE


def test_validate_clean_and_broken(cli, tmp_path: Path) -> None:
    ok = cli("validate", str(FIXTURES))
    assert ok.exit_code == ExitCode.OK and ok.stdout.startswith("ok:")
    bad = tmp_path / "demo.yaml"
    bad.write_text((FIXTURES / "demo.yaml").read_text().replace("answer: B", "answer: Q"))
    result = cli("validate", str(bad))
    assert result.exit_code == ExitCode.FAILED
    lines = result.stdout.strip().splitlines()
    assert lines[0].endswith("demo-single.answer: Q is not among the choices (A-C)")
    assert lines[-1].startswith("1 problem(s)")


def test_validate_missing_path_is_usage(cli, tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == ExitCode.USAGE and "no such file" in result.stderr  # like every other bad usage
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1


def test_broken_bank_stops_start_with_one_line(cli, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "demo.yaml").write_text("topic: [", encoding="utf-8")
    monkeypatch.setenv("QUIZ_BANK_DIR", str(tmp_path))
    result = cli("start")
    assert result.exit_code == ExitCode.FAILED
    assert result.stderr.count("\n") == 1 and "malformed YAML" in result.stderr


def test_broken_question_is_left_out_with_a_notice(cli, tmp_path: Path, monkeypatch) -> None:
    text = (FIXTURES / "demo.yaml").read_text().replace("answer: false", "answer: maybe")
    (tmp_path / "demo.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("QUIZ_BANK_DIR", str(tmp_path))
    result = cli("start", "--type", "truefalse", input="t\n")
    assert result.exit_code == ExitCode.USAGE  # the only true/false question was left out
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "demo-tf.answer" in notes[0]
    assert cli("topics", "--json").exit_code == ExitCode.OK


def test_export_history_csv(cli, demo_banks) -> None:
    from bigmodel_quiz.bank.loader import load
    from bigmodel_quiz.session.select import select

    bank, _ = load([FIXTURES])
    for seed in range(20):  # choices are shuffled: find a seed where the right one is not shown as B
        shown = select(bank, topics=["demo"], qtype="single", seed=seed)[0]
        if shown.answer != "B":
            break
    cli("start", "--topic", "demo", "--type", "single", "--lang", "zh", "--seed", str(seed), input=f"{shown.answer}\n")
    rows = list(csv.DictReader(io.StringIO(cli("export", "history", "--format", "csv").stdout)))
    assert len(rows) == 1 and rows[0]["question_id"] == "demo-single" and rows[0]["correct"] == "True"
    assert rows[0]["given"] == "B"  # the history keeps the bank's own letter


def test_export_bank_json_carries_template(cli, demo_banks) -> None:
    docs = json.loads(cli("export", "bank", "--seed", "5").stdout)
    assert len(docs) == 6
    tpl = [d for d in docs if d.get("template")]
    assert len(tpl) == 1 and tpl[0]["template"] == "demo-gpt-params" and tpl[0]["id"] == "demo-gpt-params@5"
    for d in docs:
        assert {"id", "topic", "type", "difficulty", "tags", "prompt", "explanation", "answer", "references"} <= set(d)


def test_data_dir_option(cli, demo_banks, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    cli("--data-dir", str(target), "start", "--type", "truefalse", input="t\n")
    assert (target / "progress.sqlite3").exists()


def test_version(cli) -> None:
    from bigmodel_quiz import __version__

    result = cli("--version")
    assert result.exit_code == ExitCode.OK and result.stdout.strip() == f"bigmodel-quiz {__version__}"


@pytest.mark.parametrize(("lang", "words"), [("en", "only 6 questions match these filters, not 200"),
                                             ("zh", "只有 6 道题符合这些条件（要求 200 道）")])
def test_a_count_larger_than_the_pool_says_so(cli, monkeypatch, lang: str, words: str) -> None:
    monkeypatch.setenv("QUIZ_BANK_DIR", str(FIXTURES))
    result = cli("start", "--topic", "demo", "--count", "200", "--lang", lang, input="q\n")
    assert result.exit_code == ExitCode.OK
    assert words in result.stderr
    assert "match" not in cli("start", "--topic", "demo", "--count", "2", "--lang", "en", input="q\n").stderr
