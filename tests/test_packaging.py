"""The wheel carries the banks and solutions: an installed ``quiz`` works outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from bigmodel_quiz.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_banks_and_works_outside_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)]
    # Without isolation is fast; an environment whose setuptools cannot build wheels
    # (no bdist_wheel) builds in pip's isolated environment instead.
    if subprocess.run(build + ["--no-build-isolation"], capture_output=True).returncode != 0:
        subprocess.run(build, check=True, capture_output=True)
    wheel = next(wheels.glob("bigmodel_quiz-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(site)
    banks = sorted(p.name for p in (ROOT / "questions").glob("*.yaml"))
    for name in banks:
        assert f"bigmodel_quiz/data/questions/{name}" in names
    for sol in (ROOT / "solutions").glob("*.py"):
        assert f"bigmodel_quiz/data/solutions/{sol.name}" in names

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "QUIZ_BANK_DIR"}
    env.update(PYTHONPATH=str(site), QUIZ_HOME=str(tmp_path / "home"))
    probe = subprocess.run([sys.executable, "-c", "import bigmodel_quiz.paths as p; print(p.bank_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert probe.stdout.strip().startswith(str(site))
    topics = subprocess.run([sys.executable, "-m", "bigmodel_quiz", "topics", "--json"], cwd=elsewhere,
                            env=env, capture_output=True, text=True, check=True)
    rows = json.loads(topics.stdout)
    assert len([r for r in rows if r["questions"]]) == len(banks)
    session = subprocess.run([sys.executable, "-m", "bigmodel_quiz", "start", "--count", "1", "--lang", "en"],
                             cwd=elsewhere, env=env, input="q\n", capture_output=True, text=True)
    assert session.returncode == ExitCode.OK, session.stderr
    assert "Session stopped" in session.stdout
