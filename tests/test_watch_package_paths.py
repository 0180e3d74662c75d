"""``quiz grade --watch`` works wherever the package, its virtual environment and NumPy live.

Each grade forked by the warm worker gets a fresh /tmp and /dev/shm: what it needs from
there (a checkout or a virtual environment under /tmp) must still be there, read-only,
and a grade that cannot start for the grader's own reasons must not blame the user's code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

from torch_helpers import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the warm worker is Linux-only")

SUBMISSION = (
    "# exercise: mlp-param-count\n"
    "def _write(path):\n"
    "    try:\n"
    "        with open(path, 'a') as f:\n"
    "            f.write('#')\n"
    "        return 'wrote'\n"
    "    except OSError:\n"
    "        return 'refused'\n"
    "print('package', _write(PROBE))\n"
    "def count_mlp_params(layer_sizes, bias=True):\n"
    "    if len(layer_sizes) < 2 or min(layer_sizes) < 1:\n"
    "        raise ValueError('bad sizes')\n"
    "    return sum(a * b + (b if bias else 0) for a, b in zip(layer_sizes, layer_sizes[1:]))\n"
)

# Runs in the virtual environment under test: two watch grades (the second after a save),
# each as one JSON line with whether the warm worker forked it.
DRIVER = r'''
import json, sys, threading
from pathlib import Path
from bigmodel_quiz.grader import watch
from bigmodel_quiz.grader.runner import GradeRequest

if sys.argv[2] == "keep-nothing":  # as before the fix: nothing kept under the grade's fresh /tmp
    watch._needed_paths = lambda files: []
forks = []
fork = watch.Zygote.fork
watch.Zygote.fork = lambda self, *a: forks.append(1) or fork(self, *a)
path, stop, reports = Path(sys.argv[1]), threading.Event(), []

def on_report(report):
    reports.append(report)
    error = report.error and {"kind": report.error.kind.value, "message": report.error.message}
    print(json.dumps({"status": report.status.value, "sandbox": report.sandbox, "forked": len(forks),
                      "stdout": report.stdout.text if report.stdout else "", "error": error,
                      "stderr": report.stderr.text if report.stderr else ""}), flush=True)
    if len(reports) == 2:
        stop.set()
    else:
        path.write_text(path.read_text() + "\n# saved again\n")

watch.watch(GradeRequest(path, seed=0, record=False), on_report, stop=stop)
'''


def _environment(base: Path) -> tuple[Path, Path]:
    """A virtual environment under ``base`` with its own NumPy and a copy of the package; (python, package)."""
    checkout = base / "checkout"
    checkout.mkdir()
    shutil.copytree(ROOT / "bigmodel_quiz", checkout / "bigmodel_quiz", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", checkout / "pyproject.toml")
    for shipped in ("questions", "solutions"):
        (checkout / shipped).symlink_to(ROOT / shipped)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    ours = Path(sysconfig.get_paths()["purelib"])
    for name in ("numpy", "numpy.libs"):
        if (ours / name).is_dir():
            shutil.copytree(ours / name, site / name, symlinks=True)
    # The package from the copy; everything else (yaml, watchfiles, bwrap) from this environment, after it.
    (site / "zz_quiz_test.pth").write_text(f"{checkout}\n{ours}\n", encoding="utf-8")
    return python, checkout / "bigmodel_quiz"


def _watch_twice(python: Path, package: Path, tmp: Path, mode: str = "keep") -> list[dict]:
    sub = tmp / "mlp.py"
    sub.write_text(SUBMISSION.replace("PROBE", repr(str(package / "grader" / "protocol.py"))), encoding="utf-8")
    driver = tmp / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QUIZ_HOME=str(tmp / "home"))
    done = subprocess.run([str(python), "-I", str(driver), str(sub), mode], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 2, done.stdout
    return lines


@pytest.fixture(params=["tmp", "var-tmp", "home"])
def base(request, tmp_path):
    """A folder under /tmp, /var/tmp or $HOME."""
    if request.param == "tmp":
        yield tmp_path
        return
    parent = Path("/var/tmp") if request.param == "var-tmp" else Path.home()
    if not os.access(parent, os.W_OK):
        pytest.skip(f"{parent} is not writable here")
    folder = Path(tempfile.mkdtemp(prefix="quiz-test-watch-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_watch_grades_with_the_package_and_numpy_under_a_temporary_folder(base, tmp_path):
    python, package = _environment(base)
    protocol = (package / "grader" / "protocol.py").read_bytes()
    first, second = _watch_twice(python, package, tmp_path)
    for report in (first, second):
        assert report["status"] == "passed", report
        assert "package refused" in report["stdout"], report  # the package stays read-only in the grade
    assert second["forked"] == 2  # both graded by the warm worker, not a fresh process
    assert (package / "grader" / "protocol.py").read_bytes() == protocol


def test_a_grade_the_grader_cannot_start_does_not_blame_the_code(tmp_path):
    python, package = _environment(tmp_path / "base" if (tmp_path / "base").mkdir() is None else tmp_path)
    first, _second = _watch_twice(python, package, tmp_path, "keep-nothing")
    assert first["forked"] == 1 and first["status"] == "error", first
    assert first["error"]["kind"] == "crash"
    message = first["error"]["message"]
    assert "grader could not start" in message and "not of the code" in message
    assert "os._exit" not in message
    assert "protocol.py" in first["stderr"]  # the grader's own error, shown as it is


LEAVER = (
    "# exercise: mlp-param-count\n"
    "import os\n"
    "grades = os.path.dirname(os.path.dirname(os.getcwd()))\n"
    "print('before', sorted(p for p in ('/marker', '/dev/marker', grades + '/marker') if os.path.exists(p)))\n"
    "for p in ('/marker', '/dev/marker', grades + '/marker'):\n"
    "    try:\n"
    "        open(p, 'w').close()\n"
    "    except OSError:\n"
    "        pass\n"
    "def count_mlp_params(layer_sizes, bias=True):\n"
    "    return sum(a * b + (b if bias else 0) for a, b in zip(layer_sizes, layer_sizes[1:]))\n"
)


@pytest.mark.parametrize("where", ["/tmp", "/var/tmp"])
def test_nothing_a_watch_grade_writes_reaches_the_next_one(tmp_path, monkeypatch, where):
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission
    from bigmodel_quiz.grader.watch import worker_pool

    if not os.access(where, os.W_OK):
        pytest.skip(f"{where} is not writable here")
    temp = Path(tempfile.mkdtemp(prefix="quiz-test-leave-", dir=where))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # where the watch's and the grades' folders are made
    sub = tmp_path / "leaver.py"
    sub.write_text(LEAVER, encoding="utf-8")
    try:
        with worker_pool() as pool:
            reports = [grade_submission(GradeRequest(sub, seed=0, record=False, sandbox=pool.sandbox)) for _ in range(2)]
        if reports[0].sandbox != "bwrap":
            pytest.skip(f"bwrap cannot run here ({reports[0].sandbox})")
        assert [r.stdout.text.strip() for r in reports] == ["before []", "before []"]
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def test_the_grader_failed_message_reads_in_chinese():
    from bigmodel_quiz.cli.messages import translate_grade
    from bigmodel_quiz.grader.judge import GRADER_FAILED_MESSAGE

    zh = translate_grade(GRADER_FAILED_MESSAGE, "zh")
    assert "评分器没能启动" in zh and "不是代码的问题" in zh and "grader" not in zh
