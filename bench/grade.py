"""Grading speed: ``quiz grade --json`` of a correct ``conv2d`` against a plain pytest run and a NumPy import.

(a) ``quiz grade sub.py --json``: sandboxed child, reference in the parent, every case;
(b) ``pytest`` on a file that imports the same submission and compares it with the same
reference on the same inputs (no sandbox at all); (c) ``python -c "import numpy"``;
(d) and (e) ``quiz grade --json`` of correct ``multi-head-attention`` and ``flash-attention``
submissions (the latter includes its memory-limit case, T=128 by S=32768); (f) and (g) the same
for ``bpe-train`` (pure Python, its mistakes recomputed only on failure) and ``dpo-loss``.
Targets: a/b <= 1.0 and a/c, d/c, e/c, f/c, g/c <= 4, medians of several runs, all measured in this run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import BIN, ROOT, env_with, report, time_command

SEED = 1234

SUBMISSION = '''# exercise: conv2d
import numpy as np


def conv2d(x, w, b, stride=1, padding=0):
    """Cross-correlation by sliding windows (one matmul)."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh = (h + 2 * padding - kh) // stride + 1
    ow = (wd + 2 * padding - kw) // stride + 1
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride][:, :, :oh, :ow]
    return np.einsum("nchwij,fcij->nfhw", windows, w) + b[None, :, None, None]
'''

MHA_SUBMISSION = '''# exercise: multi-head-attention
import numpy as np


def multi_head_attention(x, w_qkv, b_qkv, w_o, b_o, n_heads, causal=True):
    b, t, d = x.shape
    if d % n_heads:
        raise ValueError("D must be divisible by n_heads")
    qkv = (x @ w_qkv + b_qkv).reshape(b, t, 3, n_heads, d // n_heads).transpose(2, 0, 3, 1, 4)
    s = qkv[0] @ qkv[1].swapaxes(-1, -2) / np.sqrt(d // n_heads)
    if causal:
        s = np.where(np.triu(np.ones((t, t), bool), 1), -np.inf, s)
    w = np.exp(s - s.max(-1, keepdims=True))
    out = (w / w.sum(-1, keepdims=True)) @ qkv[2]
    return out.transpose(0, 2, 1, 3).reshape(b, t, d) @ w_o + b_o
'''

FLASH_SUBMISSION = '''# exercise: flash-attention
import numpy as np


def flash_attention(q, k, v, block_size):
    m = np.full((q.shape[0], 1), -np.inf)
    l = np.zeros((q.shape[0], 1))
    o = np.zeros((q.shape[0], v.shape[1]))
    for j in range(0, k.shape[0], block_size):
        s = q @ k[j:j + block_size].T / np.sqrt(q.shape[1])
        m_new = np.maximum(m, s.max(1, keepdims=True))
        p = np.exp(s - m_new)
        c = np.exp(m - m_new)
        l, o, m = l * c + p.sum(1, keepdims=True), o * c + p @ v[j:j + block_size], m_new
    return o / l
'''

BPE_SUBMISSION = '''# exercise: bpe-train
from collections import Counter


def bpe_train(text, num_merges):
    if num_merges < 0:
        raise ValueError("num_merges must be >= 0")
    words = {tuple(w): n for w, n in Counter(text.split()).items()}
    merges = []
    for _ in range(num_merges):
        pairs = Counter()
        for w, n in words.items():
            for p in zip(w, w[1:]):
                pairs[p] += n
        if not pairs:
            break
        top = max(pairs.values())
        best = min(p for p, c in pairs.items() if c == top)
        merges.append(best)
        merged = {}
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if w[i:i + 2] == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] = n
        words = merged
    return merges
'''

DPO_SUBMISSION = '''# exercise: dpo-loss
import numpy as np


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    chosen = beta * (policy_chosen - ref_chosen)
    rejected = beta * (policy_rejected - ref_rejected)
    return float(np.mean(np.logaddexp(0.0, rejected - chosen))), chosen, rejected
'''

PYTEST_FILE = '''import copy
import importlib.util

import numpy as np
import pytest

from bigmodel_quiz.exercises import conv2d as spec


def _load(path, name):
    module_spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.conv2d


submission = _load({submission!r}, "submission")
reference = _load({reference!r}, "reference")


@pytest.mark.parametrize("case", spec.cases({seed}), ids=lambda c: c.name)
def test_conv2d(case):
    got = submission(**copy.deepcopy(case.kwargs))
    expected = reference(**copy.deepcopy(case.kwargs))
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-9)
'''


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="quiz-bench-grade-"))
    env = env_with(QUIZ_HOME=str(work / "home"), NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as users run it: compiled modules cached
    sub = work / "conv2d_submission.py"
    sub.write_text(SUBMISSION, encoding="utf-8")
    test = work / "test_conv2d_plain.py"
    test.write_text(PYTEST_FILE.format(submission=str(sub), reference=str(ROOT / "solutions" / "conv2d.py"), seed=SEED))
    py = sys.executable
    # Both must pass, or the timings compare a failure with a success.
    check = subprocess.run([str(BIN / "quiz"), "grade", str(sub), "--json", "--seed", str(SEED)], env=env, cwd=work,
                           capture_output=True, text=True)
    if check.returncode != 0 or json.loads(check.stdout)["status"] != "passed":
        raise SystemExit(f"the conv2d submission did not pass: {check.stdout[-2000:]} {check.stderr[-2000:]}")
    check = subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)], env=env, cwd=work,
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"the pytest file failed: {check.stdout[-2000:]}")
    blocks = {}
    for name, source in (("multi-head-attention", MHA_SUBMISSION), ("flash-attention", FLASH_SUBMISSION),
                         ("bpe-train", BPE_SUBMISSION), ("dpo-loss", DPO_SUBMISSION)):
        path = work / f"{name.replace('-', '_')}_submission.py"
        path.write_text(source, encoding="utf-8")
        grade_cmd = [str(BIN / "quiz"), "grade", str(path), "--json", "--seed", str(SEED)]
        check = subprocess.run(grade_cmd, env=env, cwd=work, capture_output=True, text=True)
        if check.returncode != 0 or json.loads(check.stdout)["status"] != "passed":
            raise SystemExit(f"the {name} submission did not pass: {check.stdout[-2000:]} {check.stderr[-2000:]}")
        blocks[name] = grade_cmd
    runs = 9
    numpy_import = time_command([py, "-c", "import numpy"], env=env, runs=runs)
    graded = time_command([str(BIN / "quiz"), "grade", str(sub), "--json", "--seed", str(SEED)], env=env, runs=runs, cwd=work)
    plain = time_command([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)], env=env, runs=runs, cwd=work)
    mha = time_command(blocks["multi-head-attention"], env=env, runs=runs, cwd=work)
    flash = time_command(blocks["flash-attention"], env=env, runs=runs, cwd=work)
    bpe = time_command(blocks["bpe-train"], env=env, runs=runs, cwd=work)
    dpo = time_command(blocks["dpo-loss"], env=env, runs=runs, cwd=work)
    ok = report(
        [("(a) quiz grade --json", graded), ("(b) pytest, same inputs", plain), ("(c) python -c 'import numpy'", numpy_import),
         ("(d) quiz grade multi-head-attention", mha), ("(e) quiz grade flash-attention", flash),
         ("(f) quiz grade bpe-train", bpe), ("(g) quiz grade dpo-loss", dpo)],
        [("a/b quiz grade / pytest", graded, plain, 1.0), ("a/c quiz grade / import numpy", graded, numpy_import, 4.0),
         ("d/c multi-head-attention / import numpy", mha, numpy_import, 4.0),
         ("e/c flash-attention / import numpy", flash, numpy_import, 4.0),
         ("f/c bpe-train / import numpy", bpe, numpy_import, 4.0), ("g/c dpo-loss / import numpy", dpo, numpy_import, 4.0)],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
