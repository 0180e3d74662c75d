"""Adversarial grades: every folder of tests/adversarial/ attacks the sandbox and must find the safe outcome.

A folder holds ``submission.py`` (a template) and ``expected.json``. Before the grade,
the test makes the targets an attack aims at, all its own: a fake home with a private
file and a progress store, same-user Unix-socket listeners (in the home, in /tmp and an
abstract one), a victim process of the same user, and a secret in the environment. The
template's ``@NAME@`` placeholders name them (``@HOME@``, ``@STORE@``, ``@SOCKETS@``,
``@ABSTRACT@``, ``@VICTIM@``, ``@MARKER@``, ``@PACKAGE@``, ``@CHECKOUT@``, ``@SITE@``,
``@SECRET@``). The grade runs in a separate process (``adversarial/driver.py``) as this
test's user and, where ``setpriv`` and user namespaces allow, as an unprivileged user.

``expected.json``: ``exercise``, ``status``, ``error_kind``, optional ``message_contains``,
``timeout``, ``memory_mb``, ``then`` (a second template graded by the same warm worker after
the first: its status is ``status_then``; the attacker's own status is not checked),
``max_seconds``, ``max_rss_mb``, ``requires`` (``bwrap``, ``torch``).
Always checked: no submission output says ``ESCAPED``; no connection reached a listener;
the victim lives; the home, the store and the grader's files are unchanged; no process
with the marker, no temporary folder, no /dev/shm file and no System V object is left;
the human report holds no escape character.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADV = ROOT / "tests" / "adversarial"
FOLDERS = sorted(p for p in ADV.iterdir() if (p / "expected.json").is_file())
NOBODY = 65534
SECRET = "quiz-adversarial-secret-8d1f"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the attacks and their checks are Linux ones")


def _site_packages() -> list[str]:
    return [p for p in sys.path if p.rstrip("/").endswith("site-packages") and os.path.isdir(p)]


def _can_run_unprivileged() -> str | None:
    """None when this machine can grade as an unprivileged user, else why not."""
    if os.geteuid() != 0:
        return "the tests do not run as root (they already are unprivileged)"
    if shutil.which("setpriv") is None:
        return "setpriv is not installed"
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else None
    if python is None:
        return "no system Python an unprivileged user can run"
    probe = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", python, "-I", "-c",
                            "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.strip() != "%d.%d" % sys.version_info[:2]:
        return "the system Python is not this Python's version"
    return None


class Targets:
    """Everything an attack may aim at, made by the test for ``uid``."""

    def __init__(self, base: Path, uid: int) -> None:
        self.uid = uid
        self.base = base
        self.home = base / "home"
        self.store = self.home / "store"
        self.tmp = base / "tmp"  # the driver's TMPDIR: the grade's folders are made here
        self.marker = f"quiz-adv-marker-{os.getpid()}-{uid}"
        for d in (self.home, self.store, self.tmp):
            d.mkdir(parents=True)
        (self.home / "private.txt").write_text(SECRET, encoding="utf-8")
        (self.store / "progress.db").write_bytes(b"SQLite format 3\x00" + bytes(100))
        self.accepted: list[str] = []
        self.listeners: list[socket.socket] = []
        self.sockets = [str(self.home / "agent.sock"), f"/tmp/quiz-adv-{os.getpid()}-{uid}.sock"]
        self.abstract = f"quiz-adv-{os.getpid()}-{uid}-{base.name}"
        for path in self.sockets:
            self._listen(path)
        self._listen("\0" + self.abstract)
        if uid != os.geteuid():
            for path in [base, *base.rglob("*")]:
                os.chown(path, uid, uid, follow_symlinks=False)
            for path in self.sockets:
                os.chmod(path, 0o777)
        self.victim = self._spawn_victim()
        self.shm_before = set(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else set()
        self.ipc_before = _sysv_ids()
        self.home_before = _tree_digest(self.home)

    def _listen(self, address: str) -> None:
        if not address.startswith("\0") and os.path.exists(address):
            os.unlink(address)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(address)
        s.listen(8)
        self.listeners.append(s)

        def accept() -> None:
            while True:
                try:
                    conn, _ = s.accept()
                except OSError:
                    return
                self.accepted.append(address)
                conn.close()

        threading.Thread(target=accept, daemon=True).start()

    def _spawn_victim(self) -> subprocess.Popen[bytes]:
        argv = ["sleep", "600"]
        if self.uid != os.geteuid():
            argv = ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups"] + argv
        return subprocess.Popen(argv, start_new_session=True)

    def fill(self, template: str) -> str:
        package = ROOT / "bigmodel_quiz"
        values = {
            "@HOME@": str(self.home), "@STORE@": str(self.store), "@SOCKETS@": json.dumps(self.sockets),
            "@ABSTRACT@": self.abstract, "@VICTIM@": str(self.victim.pid), "@MARKER@": self.marker,
            "@PACKAGE@": str(package), "@CHECKOUT@": str(ROOT), "@SITE@": json.dumps(_site_packages()),
            "@SECRET@": SECRET, "@CHAIN@": "+".join(["1"] * 200_000),
        }
        for key, value in values.items():
            template = template.replace(key, value)
        return template

    def close(self) -> None:
        for s in self.listeners:
            try:
                s.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            except OSError:
                pass
            s.close()
        for path in self.sockets:
            if os.path.exists(path):
                os.unlink(path)
        self.victim.kill()
        self.victim.wait()


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        h.update(str(path.relative_to(root)).encode())
        if path.is_file() and not path.is_symlink():
            h.update(path.read_bytes())
    return h.hexdigest()


def _grader_digest() -> str:
    h = hashlib.sha256()
    for path in sorted((ROOT / "bigmodel_quiz").rglob("*.py")):
        h.update(path.read_bytes())
    for site in _site_packages():
        h.update(repr(sorted(p for p in os.listdir(site) if p.endswith(".pth"))).encode())
    return h.hexdigest()


def _sysv_ids() -> set[str]:
    ids = set()
    for name in ("shm", "msg", "sem"):
        try:
            with open(f"/proc/sysvipc/{name}", encoding="ascii") as f:
                ids.update(f"{name}:{line.split()[1]}" for line in f.readlines()[1:] if line.split())
        except OSError:
            pass
    return ids


def _alive_with(marker: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(name))
            except OSError:
                pass
    return found


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rpartition(")")[2].split()[0]
    except OSError:
        return "gone"


def _bwrap_available() -> bool:
    from bigmodel_quiz.grader import bwrap

    return bwrap.available()[0] is not None


def _grade(folder: Path, targets: Targets, expected: dict) -> dict:
    work = targets.base / "files"
    work.mkdir(exist_ok=True)
    sub = work / "submission.py"
    sub.write_text(targets.fill((folder / "submission.py").read_text(encoding="utf-8")), encoding="utf-8")
    args = {"file": str(sub), "exercise": expected["exercise"], "timeout": expected.get("timeout"),
            "memory_mb": expected.get("memory_mb")}
    if expected.get("then"):
        then = work / "then.py"
        then.write_text(targets.fill((folder / expected["then"]).read_text(encoding="utf-8")), encoding="utf-8")
        args["then"] = str(then)
    if targets.uid != os.geteuid():
        os.chown(work, targets.uid, targets.uid)
        for f in work.iterdir():
            os.chown(f, targets.uid, targets.uid)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(targets.home), "QUIZ_HOME": str(targets.store),
           "TMPDIR": str(targets.tmp), "LANG": "C.UTF-8", "QUIZ_ADV_SECRET": SECRET,
           "QUIZ_ADV_PATHS": json.dumps([str(ROOT)] + _site_packages())}
    python = sys.executable
    argv = [python, str(ADV / "driver.py"), json.dumps(args)]
    if targets.uid != os.geteuid():
        argv = ["setpriv", f"--reuid={targets.uid}", f"--regid={targets.uid}", "--clear-groups",
                "/usr/bin/python3", "-I"] + argv[1:]
    done = subprocess.run(argv, env=env, cwd=str(work), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"the grader failed (status {done.returncode}):\n{done.stderr[-4000:]}"
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, f"the grader printed more than its JSON line: {done.stdout[-2000:]}"
    return json.loads(lines[0])


def _check(folder: Path, uid: int, tmp_path: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    requires = expected.get("requires", [])
    if "torch" in requires:
        pytest.importorskip("torch", reason="PyTorch is not installed")
    if not _bwrap_available():
        # These attacks succeed against the fallback (its notice says so), and would act on
        # this machine's own files and processes: they are only tried inside bwrap.
        pytest.skip("bwrap cannot run here: the grade would use the weaker fallback sandbox")
    grader_before = _grader_digest()
    targets = Targets(tmp_path, uid)
    try:
        result = _grade(folder, targets, expected)
        time.sleep(0.2)  # whatever the grade left would act now
        survivors = _alive_with(targets.marker)
        victim_state = _state(targets.victim.pid)
        home_after = _tree_digest(targets.home)
        accepted = list(targets.accepted)
    finally:
        targets.close()
        for pid in _alive_with(targets.marker):
            os.kill(pid, signal.SIGKILL)
    report = result["reports"][-1]
    shown = json.dumps(result["reports"], indent=1)[:4000] + "\n" + "\n".join(result["stdout"])[:3000]
    ran = expected.get("error_kind") != "syntax"  # a file that does not compile never runs
    assert report["sandbox"] == (("bwrap" if _bwrap_available() else "namespaces") if ran else "none"), shown
    if expected.get("then"):  # the attacker's own grade is its business; the next one must be untouched
        assert report["status"] == expected["status_then"], shown
    else:
        assert report["status"] == expected["status"], shown
        assert (report["error"] or {}).get("kind") == expected.get("error_kind"), shown
    texts = "\n".join([c["message"] for c in report["cases"]] + [(report["error"] or {}).get("message", "")])
    for needle in expected.get("message_contains", []):
        assert needle.lower() in texts.lower(), f"{needle!r} not found; {shown}"
    for out in result["stdout"]:
        assert "ESCAPED" not in out and SECRET not in out, shown
    assert SECRET not in result["human"]
    assert "\x1b" not in result["human"] and "\x07" not in result["human"], "an escape reached the terminal"
    assert accepted == [], f"a submission reached a listener: {accepted}"
    assert victim_state not in ("gone", "T", "t"), f"the victim process is {victim_state}"
    assert home_after == targets.home_before, "the home or the store changed"
    assert _grader_digest() == grader_before, "the grader's files changed"
    assert survivors == [], "a process outlived the grade"
    assert list(targets.tmp.iterdir()) == [], f"left behind: {list(targets.tmp.iterdir())}"
    if os.path.isdir("/dev/shm"):
        assert set(os.listdir("/dev/shm")) <= targets.shm_before, "a /dev/shm file outlived the grade"
    assert _sysv_ids() <= targets.ipc_before, "a System V IPC object outlived the grade"
    if "max_seconds" in expected:
        assert result["seconds"] < expected["max_seconds"], f"the grade took {result['seconds']:.1f} s"
    if "max_rss_mb" in expected:
        assert result["maxrss_mb"] < expected["max_rss_mb"], f"the grader used {result['maxrss_mb']:.0f} MB"


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_attack_as_this_user(folder: Path, tmp_path: Path) -> None:
    _check(folder, os.geteuid(), tmp_path)


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_attack_as_an_unprivileged_user(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    why = _can_run_unprivileged()
    if why:
        pytest.skip(why)
    base = Path(tempfile_dir()) / f"quiz-adv-{os.getpid()}-{folder.name}"
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(mode=0o755)
    try:
        _check(folder, NOBODY, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def tempfile_dir() -> str:
    """A folder an unprivileged user can reach (pytest's tmp_path is under a private folder)."""
    import tempfile

    return tempfile.gettempdir()
