"""Devices for the PyTorch exercises: resolution without a GPU, errors, and the CUDA runs.

Tests marked ``cuda`` need a CUDA GPU and skip (with the reason) where PyTorch sees none;
the device-resolution logic is tested here without one by replacing what torch reports.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from torch_helpers import CASES, LOCAL_IDS, ROOT, grade_in_process, reference, torch_or_skip
from bigmodel_quiz.errors import ExitCode

pytestmark = pytest.mark.torch


@pytest.fixture
def gpu():
    """Skip, saying why, unless PyTorch sees a CUDA GPU."""
    torch = torch_or_skip()
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU: torch.cuda.is_available() is False on this machine")
    return torch


# ---------------------------------------------------------------------------------------
# Resolution, without a GPU


def test_auto_and_cuda_follow_what_torch_reports(monkeypatch):
    torch = torch_or_skip()
    from bigmodel_quiz.grader import device

    monkeypatch.setattr(device, "gpu_possible", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert device.resolve_device("auto", "torch") == "cuda"
    assert device.resolve_device("cuda", "torch") == "cuda"
    assert device.resolve_device("cpu", "torch") == "cpu"
    assert device.resolve_device("auto", "numpy") == "cpu"  # only torch exercises use a GPU
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert device.resolve_device("auto", "torch") == "cpu"
    with pytest.raises(device.DeviceUnavailable, match="no CUDA GPU"):
        device.resolve_device("cuda", "torch")


def test_no_gpu_device_node_means_no_cuda_without_importing_torch(monkeypatch):
    import os

    from bigmodel_quiz.grader import device

    monkeypatch.setattr(os.path, "exists", lambda p: False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    assert device.gpu_possible() is False and device.cuda_available() is False
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert device.gpu_possible() is False


def test_device_nodes_let_torch_decide(monkeypatch):
    import os

    from bigmodel_quiz.grader import device

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    monkeypatch.setattr(os.path, "exists", lambda p: p == "/dev/nvidiactl")
    assert device.gpu_possible() is True


def test_the_parent_does_not_import_torch_to_grade_a_torch_exercise_on_a_machine_without_gpu(tmp_path):
    torch_or_skip()
    if subprocess.run([sys.executable, "-c", "import os, sys; sys.exit(any(os.path.exists(p) for p in "
                       "('/dev/nvidiactl', '/dev/nvidia0', '/dev/kfd', '/dev/dxg')))"]).returncode:
        pytest.skip("this machine has GPU device nodes: the parent asks torch")
    code = (
        "import sys, json; from pathlib import Path\n"
        "from bigmodel_quiz.grader.runner import GradeRequest, grade_submission\n"
        f"r = grade_submission(GradeRequest(Path({str(CASES / 'cnn-build-reference' / 'submission.py')!r}), seed=1, record=False))\n"
        "print(json.dumps([r.status.value, r.device, 'torch' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["passed", "cpu", False], out.stderr


def test_cuda_requested_without_gpu_is_one_line_and_exit_1(cli, monkeypatch):
    # Without torch the grade stops earlier, at "PyTorch is not installed" (another test).
    pytest.importorskip("torch", reason="PyTorch is not installed (pip install 'bigmodel-quiz[torch]')")
    from bigmodel_quiz.grader import device

    monkeypatch.setattr(device, "cuda_available", lambda: False)
    path = str(CASES / "cnn-build-reference" / "submission.py")
    result = cli("grade", path, "--device", "cuda", "--json")
    assert result.exit_code == ExitCode.FAILED
    doc = json.loads(result.stdout)
    assert doc["status"] == "error" and doc["error"]["kind"] == "device-unavailable" and doc["device"] == "cuda"
    assert "\n" not in doc["error"]["message"]
    human = cli("grade", path, "--device", "cuda")
    assert human.exit_code == ExitCode.FAILED and "device-unavailable" in human.stdout and "no CUDA GPU" in human.stdout


def test_without_torch_a_torch_exercise_says_how_to_install_it(cli, monkeypatch):
    from bigmodel_quiz.grader import runner

    monkeypatch.setattr(runner, "torch_installed", lambda: False)
    result = cli("grade", str(CASES / "ring-allreduce-reference" / "submission.py"), "--json")
    doc = json.loads(result.stdout)
    assert result.exit_code == ExitCode.FAILED and doc["error"]["kind"] == "import"
    # a checkout says make run (it installs the pinned build into .venv); an installed package, pip install torch
    assert doc["error"]["message"].startswith("PyTorch is not installed; in the checkout ")
    assert doc["error"]["message"].endswith("run: make run (installs the pinned CPU build into .venv)")


def test_a_tensor_on_the_wrong_device_is_named():
    from types import SimpleNamespace

    from bigmodel_quiz.exercises.child import models as tm

    fake = SimpleNamespace(device=SimpleNamespace(type="cpu"), detach=lambda: None)
    with pytest.raises(tm.WrongDevice, match="the loss is a tensor on cpu, but the grade runs on cuda"):
        tm.to_plain(fake, "cuda", "the loss")
    with pytest.raises(tm.WrongDevice, match=r"losses\[1\] is a tensor on cpu"):
        tm.to_plain([1.0, fake], "cuda", "losses")


@pytest.mark.parametrize("exercise_id", ["overfit-one-batch", "gradient-accumulation", "cnn-build", "sequence-classifier"])
def test_a_device_problem_found_in_the_child_is_the_cases_message(exercise_id):
    from torch_helpers import spec_of

    mod = spec_of(exercise_id)
    case = mod.cases(0)[0]
    problem = "the returned loss is a tensor on cpu, but the grade runs on cuda: results must stay on the input's device"
    assert case.check(case, {"problem": problem}, None) == problem


# ---------------------------------------------------------------------------------------
# On a GPU (skipped here: this machine has none)


@pytest.mark.cuda
@pytest.mark.parametrize("exercise_id", LOCAL_IDS)
def test_reference_passes_every_case_on_cuda(gpu, exercise_id):
    failures = {k: v for k, v in grade_in_process(exercise_id, reference(exercise_id), 3, device="cuda").items() if v}
    assert failures == {}


@pytest.mark.cuda
def test_a_model_moved_to_the_cpu_fails_on_cuda_and_passes_on_cpu(gpu):
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

    path = ROOT / "tests" / "torch_cases" / "overfit-one-batch-model-on-cpu" / "submission.py"
    expected = json.loads((path.parent / "expected.json").read_text(encoding="utf-8"))
    on_cuda = grade_submission(GradeRequest(path, device="cuda", seed=0, record=False))
    assert on_cuda.status.value == expected["status"] and on_cuda.device == "cuda"
    text = "\n".join(c.message for c in on_cuda.cases)
    assert all(needle in text for needle in expected["message_contains"]), text
    assert grade_submission(GradeRequest(path, device="cpu", seed=0, record=False)).status.value == "passed"


@pytest.mark.cuda
@pytest.mark.parametrize("folder", sorted(p.name for p in CASES.iterdir() if p.name.split("-")[0] in
                                          ("count", "cnn", "sequence", "overfit", "gradient")))
def test_same_verdict_on_cpu_and_cuda(gpu, folder):
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

    path = CASES / folder / "submission.py"
    verdicts = {d: grade_submission(GradeRequest(path, device=d, seed=0, record=False)) for d in ("cpu", "cuda")}
    assert verdicts["cuda"].device == "cuda"
    assert [c.status for c in verdicts["cpu"].cases] == [c.status for c in verdicts["cuda"].cases]
