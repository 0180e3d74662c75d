"""The sandbox: platform decisions as pure logic, then each isolation point on this machine."""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import pytest
from sandbox_helpers import can_hide

from bigmodel_quiz.grader import proctree, sandbox
from bigmodel_quiz.grader.sandbox import Limits, MemoryMode, Sandbox, child_env, plan

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux-only isolation")


# ---------------------------------------------------------------------------- pure logic


def test_plan_linux_gets_everything():
    p = plan("linux", is_root=False, cuda=False, bwrap="/usr/bin/bwrap")
    assert p.memory is MemoryMode.RLIMIT and p.subreaper and p.rlimits and p.bwrap == "/usr/bin/bwrap"
    assert p.nproc_rlimit and not p.drop_caps and p.notice is None and p.name == "bwrap"
    assert not p.namespaces  # bwrap makes them


def test_plan_linux_without_bwrap_falls_back_and_says_what_is_missing():
    p = plan("linux", is_root=False, cuda=False, why="bwrap is not installed")
    assert p.namespaces and p.bwrap is None and p.name == "namespaces"
    assert "bwrap is not installed" in p.notice and "filesystem" in p.notice and "processes" in p.notice


def test_plan_linux_root_drops_capabilities_and_polls_processes():
    p = plan("linux", is_root=True, cuda=False)
    assert p.drop_caps and not p.nproc_rlimit and p.subreaper  # RLIMIT_NPROC does not bind root
    assert not plan("linux", is_root=True, cuda=False, bwrap="bwrap").drop_caps  # bwrap drops them itself


def test_plan_cuda_polls_resident_memory():
    assert plan("linux", is_root=False, cuda=True).memory is MemoryMode.POLL  # CUDA reserves huge address ranges


def test_plan_macos_and_windows_say_what_is_missing():
    mac = plan("darwin", is_root=False, cuda=False)
    assert mac.memory is MemoryMode.POLL and not mac.namespaces and mac.tree_kill == "session+ps"
    assert "Linux-only" in mac.notice and "resident-memory" in mac.notice and "double-forked" in mac.notice
    win = plan("win32", is_root=False, cuda=False)
    assert win.memory is MemoryMode.NONE and not win.rlimits and win.tree_kill == "taskkill"
    assert "Linux-only" in win.notice and "timeout and a process-tree kill only" in win.notice
    assert (mac.name, win.name) == ("limits", "process-tree")


def test_parse_proc_stat_handles_odd_command_names():
    assert proctree.parse_proc_stat("123 (python) S 45 123 123 0") == (123, 45)
    assert proctree.parse_proc_stat("77 (a) b (c)) R 9 1 1") == (77, 9)


def test_parse_ps_and_tree_of():
    pairs = proctree.parse_ps("  PID  PPID\n 10 1\n 11 10\n 12 11\n 13 1\n junk\n 14 12\n")
    assert pairs == [(10, 1), (11, 10), (12, 11), (13, 1), (14, 12)]
    assert sorted(proctree.tree_of(pairs, {10})) == [11, 12, 14]
    assert proctree.tree_of(pairs, {13}) == []


def test_child_env_is_scrubbed(tmp_path):
    env = child_env(tmp_path, {"PATH": "/secret/bin", "AWS_SECRET_ACCESS_KEY": "x", "LANG": "zh_CN.UTF-8",
                               "PYTHONPATH": "/evil", "CUDA_VISIBLE_DEVICES": "1", "OMP_NUM_THREADS": "4"})
    assert "AWS_SECRET_ACCESS_KEY" not in env and "PYTHONPATH" not in env
    assert env["LANG"] == "zh_CN.UTF-8" and env["CUDA_VISIBLE_DEVICES"] == "1"
    assert env["HOME"] == env["TMPDIR"] == str(tmp_path)
    assert env["OMP_NUM_THREADS"] == "4" and env["OPENBLAS_NUM_THREADS"] == "1"
    if os.name == "posix":
        assert env["PATH"] == "/usr/bin:/bin"


def test_read_output_truncates_with_the_size(tmp_path):
    path = tmp_path / "out.txt"
    path.write_bytes(b"a" * 5000 + b"b" * 5000)
    with open(path, "rb") as f:
        out = sandbox.read_stream(f, head=100, tail=50)
    assert out.truncated and out.size == 10_000
    assert out.text.startswith("a" * 100 + "\n… 9,850 bytes omitted …\n") and out.text.endswith("b" * 50)
    path.write_bytes("héllo".encode())
    with open(path, "rb") as f:
        assert sandbox.read_stream(f) == sandbox.Output("héllo", 6, False)


# ---------------------------------------------------------------------------- live runs


def run(code: str, limits: Limits | None = None, hide: tuple[Path, ...] = (), wait: float = 10.0):
    """Run ``python -c code`` in a sandbox; returns (Exit, stdout text, stderr text)."""
    with Sandbox(limits or Limits(wall_s=wait), hide=hide) as sb:
        sb.spawn([sys.executable, "-I", "-S", "-c", code], env=child_env(sb.workdir))
        ex = sb.wait(time.monotonic() + (limits.wall_s if limits else wait))
        out, err = sb.output()
    return ex, out.text, err.text


def alive_with(marker: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if marker.encode() in Path(f"/proc/{name}/cmdline").read_bytes():
                    found.append(int(name))
            except OSError:
                pass
    return found


def test_exit_status_cwd_stdin_and_env(monkeypatch):
    monkeypatch.setenv("QUIZ_TEST_SECRET", "hunter2")
    code = (
        "import os, sys\n"
        "print(os.getcwd().endswith('/work'), os.listdir('.'), repr(sys.stdin.read()))\n"
        "print('QUIZ_TEST_SECRET' in os.environ, file=sys.stderr)\n"
        "sys.exit(7)"
    )
    ex, out, err = run(code)
    assert ex.returncode == 7 and ex.killed_for is None
    assert out.strip() == "True [] ''"
    assert err.strip() == "False"


def test_wall_clock_timeout_kills():
    t0 = time.monotonic()
    ex, _, _ = run("while True: pass", Limits(wall_s=0.5))
    assert ex.killed_for == "timeout" and ex.signal == 9
    assert time.monotonic() - t0 < 3


@linux
def test_nothing_outlives_the_run_not_even_a_setsid_double_fork():
    marker = f"quiz-sandbox-test-{os.getpid()}"
    code = f"""
import os, subprocess, sys, time
sleep = [sys.executable, "-c", "import time; time.sleep(300)", "{marker}"]
subprocess.Popen(sleep)
subprocess.Popen(sleep, start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, sleep)
    os._exit(0)
time.sleep(0.3)
print(len(os.listdir("/proc")) > 0)
"""
    ex, out, _ = run(code)
    assert ex.returncode == 0 and out.strip() == "True"
    assert alive_with(marker) == []


@linux
def test_too_many_processes_are_stopped():
    marker = f"quiz-sandbox-procs-{os.getpid()}"
    code = f"""
import subprocess, sys, time
for _ in range(20):
    subprocess.Popen([sys.executable, "-S", "-c", "import time; time.sleep(300)", "{marker}"])
time.sleep(20)
"""
    ex, _, _ = run(code, Limits(wall_s=15, max_procs=5))
    assert ex.killed_for == "procs"
    assert alive_with(marker) == []


@linux
def test_address_space_limit_raises_memory_error():
    code = "x = bytearray(600 * 1024 * 1024)"
    ex, _, err = run(code, Limits(wall_s=10, memory_mb=300))
    assert ex.returncode == 1 and "MemoryError" in err


@linux
def test_resident_memory_polling(monkeypatch):
    polling = sandbox.plan("linux", is_root=os.geteuid() == 0, cuda=True)
    monkeypatch.setattr(sandbox, "current_plan", lambda cuda=False: polling)
    code = "import time\nx = bytearray(400 * 1024 * 1024)\ntime.sleep(20)"  # bytearray touches its pages
    ex, _, _ = run(code, Limits(wall_s=15, memory_mb=150))
    assert ex.killed_for == "memory" and ex.peak_rss_mb > 150


@linux
def test_file_size_limit():
    code = "f = open('big', 'wb')\nfor _ in range(64): f.write(b'0' * 1024 * 1024)"
    ex, _, err = run(code, Limits(wall_s=10, fsize_mb=8))
    assert ex.returncode == 1 and "File too large" in err  # Python ignores SIGXFSZ: the write fails
    assert err.count("\n") < 20


@linux
def test_cpu_limit_is_set_as_a_backstop():
    code = "import resource; print(resource.getrlimit(resource.RLIMIT_CPU), resource.getrlimit(resource.RLIMIT_CORE))"
    _, out, _ = run(code, Limits(wall_s=5, cpu_s=3))
    assert out.strip() == "(4, 4) (0, 0)"


@linux
def test_limits_cannot_be_raised_and_root_has_no_capabilities():
    code = (
        "import resource\n"
        "try:\n    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)); print('raised')\n"
        "except (ValueError, OSError): print('refused')\n"
        "status = {l.split(':')[0]: l.split()[1] for l in open('/proc/self/status') if ':' in l and len(l.split()) > 1}\n"
        "print(status['CapEff'], status['NoNewPrivs'])"
    )
    _, out, _ = run(code)
    refused, caps, no_new_privs = out.split()
    assert refused == "refused" and int(caps, 16) == 0 and no_new_privs == "1"


@linux
def test_hidden_folders_and_no_network(tmp_path):
    if not can_hide():
        pytest.skip("no user or root namespaces here")
    secret = tmp_path / "solutions"
    secret.mkdir()
    (secret / "answer.py").write_text("42")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    code = f"""
import socket
try:
    print(open({str(secret / 'answer.py')!r}).read())
except OSError as e:
    print("hidden", type(e).__name__)
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2); print("connected")
except OSError as e:
    print("no network", type(e).__name__)
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print("loopback inside", s.getsockname()[1] > 0)
"""
    try:
        ex, out, err = run(code, hide=(secret,))
    finally:
        listener.close()
    lines = out.splitlines()
    assert lines[0].startswith("hidden"), out + err
    assert lines[1].startswith("no network"), out + err
    assert lines[2] == "loopback inside True"
    assert (secret / "answer.py").read_text() == "42"  # the grader still sees it


@linux
def test_subreaper_flag_is_restored():
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    value = ctypes.c_int(-1)
    run("pass")
    libc.prctl(37, ctypes.byref(value), 0, 0, 0)  # PR_GET_CHILD_SUBREAPER
    assert value.value == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX links")
def test_captured_output_cannot_be_swapped_for_another_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    code = (
        "import os\n"
        "print('mine', flush=True)\n"
        "os.remove('../io/stdout.txt')\n"
        f"os.symlink({str(secret)!r}, '../io/stdout.txt')\n"
    )
    _, out, _ = run(code)
    assert out == "mine\n"


def test_temporary_files_are_removed():
    with Sandbox(Limits(wall_s=5)) as sb:
        sb.spawn([sys.executable, "-I", "-S", "-c", "import os; os.mkdir('ro'); open('ro/f', 'w').close(); os.chmod('ro', 0o500)"],
                 env=child_env(sb.workdir))
        sb.wait(time.monotonic() + 5)
        root = sb.root
    assert not root.exists()


def test_remove_tree_survives_deep_read_only_trees_and_never_follows_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    root = tmp_path / "grade"
    root.mkdir()
    (root / "link").symlink_to(outside)
    fd = os.open(root, os.O_RDONLY)
    for _ in range(1500):  # deeper than Python recurses, more levels than descriptors a process may hold
        os.mkdir("d", dir_fd=fd)
        sub = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = sub
    os.close(fd)
    os.chmod(root / "d", 0o500)
    sandbox.remove_tree(root)
    assert not root.exists() and (outside / "keep.txt").read_text() == "mine"
    sandbox.remove_tree(tmp_path / "never-existed")  # no error either


@linux
def test_bwrap_view_hides_the_home_the_package_and_other_processes():
    from bigmodel_quiz.grader import bwrap

    if bwrap.available()[0] is None:
        pytest.skip(f"bwrap cannot run here: {bwrap.available()[1]}")
    package = Path(sandbox.__file__).resolve().parent.parent
    home = Path.home().resolve()
    # Only the folders on the way to a bound Python installation (pyenv keeps one in the home).
    allowed = sorted({Path(r).relative_to(home).parts[0] for r in bwrap.python_roots() if Path(r).is_relative_to(home)})
    code = (
        "import os\n"
        f"home = sorted(os.listdir({str(home)!r})) if os.path.isdir({str(home)!r}) else []\n"
        f"print(os.getpid(), home == {allowed!r}, os.path.exists({str(package / 'grader' / 'compare.py')!r}),"
        " os.path.exists('/run'), sorted(p for p in os.listdir('/proc') if p.isdigit()))\n"
        "open(os.path.join(os.environ['TMPDIR'], 'x'), 'w').write('ok')\n"
        "try:\n    open('/usr/quiz-x', 'w')\nexcept OSError as e:\n    print(type(e).__name__)"
    )
    ex, out, err = run(code)
    assert ex.returncode == 0, err
    first, second = out.splitlines()
    assert first == "2 True False False ['1', '2']", out  # bwrap's init is 1, the child 2
    assert second in ("OSError", "PermissionError")  # read-only system folders


@linux
def test_where_bwrap_cannot_make_the_sandbox_the_run_falls_back_and_says_so(tmp_path, monkeypatch):
    from bigmodel_quiz.grader import bwrap

    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create a new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(bwrap, "binary", lambda: str(fake))
    bwrap.reset_probe()
    try:
        with Sandbox(Limits(wall_s=10)) as sb:
            assert sb.plan.name == "bwrap"
            sb.spawn([sys.executable, "-I", "-S", "-c", "print('ran')"], env=child_env(sb.workdir))
            ex = sb.wait(time.monotonic() + 10)
            out, err = sb.output()
            assert ex.returncode == 0 and out.text == "ran\n" and err.text == ""
            assert sb.plan.name == "namespaces" and "No permissions" in sb.plan.notice
        assert bwrap.available() == (None, sb.plan.notice.split("(", 1)[1].split(")")[0] + ")") or bwrap.available()[0] is None
        with Sandbox(Limits(wall_s=10)) as again:
            assert again.plan.name == "namespaces"  # learnt once per process
    finally:
        bwrap.reset_probe()
