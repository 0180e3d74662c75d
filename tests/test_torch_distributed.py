"""Distributed grading: real gloo groups, refused collectives, counted bytes, and which rank failed.

The deadlocked ring (a timeout naming the waiting ranks) is the golden folder
``ring-allreduce-deadlock``; the tests here cover the rest without repeating it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from torch_helpers import in_process_group, torch_or_skip

pytestmark = pytest.mark.torch


# ---------------------------------------------------------------------------------------
# Parent side: pure logic


def test_the_rank_that_failed_on_its_own_is_shown_not_its_neighbours():
    from bigmodel_quiz.grader.distributed import RankRecord, rank_failure

    records = [
        RankRecord(0, "raised", "RuntimeError: [gloo/transport/tcp/pair.cc:553] Connection closed by peer", 0.02),
        RankRecord(1, "raised", "Traceback ...\nValueError: boom", 0.01),
        RankRecord(2, "raised", "RuntimeError: ... Connection reset by peer", 0.03),
    ]
    text = rank_failure(records)
    assert text.startswith("rank 1 failed:\nTraceback") and "ValueError: boom" in text
    assert "ranks 0, 2 lost their connection to it" in text
    assert rank_failure([RankRecord(0, "ok"), RankRecord(1, "ok")]) is None
    both = rank_failure([RankRecord(0, "raised", "Traceback\nNotImplementedError", 0.02),
                         RankRecord(1, "raised", "Traceback\nNotImplementedError", 0.01)])
    assert both.startswith("rank 1 failed:") and both.endswith("(rank 0 raised the same error)")


def test_a_refused_collective_is_the_verdict_and_a_lone_waiter_is_explained():
    from bigmodel_quiz.grader.distributed import RankRecord, rank_failure

    refused = [RankRecord(0, "raised", "dist.broadcast is a collective call", verdict=True), RankRecord(1, "ok")]
    assert rank_failure(refused) == "dist.broadcast is a collective call"
    lone = [RankRecord(0, "raised", "RuntimeError: Connection closed by peer"), RankRecord(1, "ok"), RankRecord(2, "ok")]
    text = rank_failure(lone)
    assert "rank 0 waited for a message that never came" in text and "ranks 1, 2 had already returned" in text


def test_waiting_message_names_the_ranks():
    from bigmodel_quiz.grader.distributed import waiting_message

    all_blocked = waiting_message("world-3-length-7", 3, [], 4.0)
    assert "ranks 0, 1, 2 still waiting" in all_blocked and "every rank is blocked" in all_blocked
    some = waiting_message("world-4-length-1", 4, [0, 2], 10)
    assert "ranks 1, 3 still waiting (ranks 0, 2 finished)" in some and "after 10 s" in some


def test_byte_budget_is_two_n_minus_one_over_n_with_at_most_all_chunks_but_one_per_phase():
    from bigmodel_quiz.exercises.ring_allreduce import byte_budget

    assert byte_budget(1000, 4) == (6000.0, 6000)
    ideal, limit = byte_budget(7, 3)  # chunks of 3, 2, 2: a rank sends 7 - 2 per phase at most
    assert ideal == pytest.approx(2 * 2 / 3 * 28) and limit == 2 * 5 * 4
    # passing the whole tensor around the ring (N-1)x does not fit once N > 2 and length >= N
    for length in (4, 7, 10, 1000):
        for world in (3, 4):
            assert (world - 1) * length * 4 > byte_budget(length, world)[1]


# ---------------------------------------------------------------------------------------
# Child side, in real gloo groups


def _collectives(rank: int, world: int) -> dict[str, str]:
    import torch
    import torch.distributed as dist

    from bigmodel_quiz.exercises.child import ranks

    ranks.prepare_ranks(point_to_point_only=True)
    seen = {}
    with ranks.rank_session():
        t = torch.ones(4)
        dist.all_reduce(t)  # outside the submission's call: allowed (the grader's own use)
        seen["outside"] = str(float(t[0]))
        for name, call in [("all_reduce", lambda: dist.all_reduce(t)), ("broadcast", lambda: dist.broadcast(t, 0)),
                           ("barrier", lambda: dist.barrier()), ("all_gather", lambda: dist.all_gather([t.clone()] * world, t)),
                           ("reduce_scatter_tensor", lambda: dist.reduce_scatter_tensor(t[:2].clone(), t)),
                           ("via c10d", lambda: torch.distributed.distributed_c10d.reduce(t, 0))]:
            with ranks.submission_running() as counters:
                try:
                    call()
                    seen[name] = "ran"
                except ranks.CollectiveRefused as exc:
                    seen[name] = f"refused {counters.refused} {exc}"
    return seen


def test_collectives_are_refused_while_the_submission_runs():
    torch_or_skip()
    for seen in in_process_group(2, _collectives):
        assert seen["outside"] == "2.0"
        for name in ("all_reduce", "broadcast", "barrier", "all_gather", "reduce_scatter_tensor"):
            assert seen[name].startswith(f"refused ['{name}'] dist.{name} is a collective call"), seen[name]
        assert seen["via c10d"].startswith("refused ['reduce']")


def _sends(rank: int, world: int) -> dict[str, int]:
    import torch
    import torch.distributed as dist

    from bigmodel_quiz.exercises.child import ranks

    ranks.prepare_ranks(point_to_point_only=True)
    peer = 1 - rank
    sent = {}
    with ranks.rank_session():
        with ranks.submission_running() as c:  # blocking send/recv, ordered by rank
            if rank == 0:
                dist.send(torch.zeros(10), peer)
                dist.recv(torch.zeros(3, dtype=torch.float64), peer)
            else:
                dist.recv(torch.zeros(10), peer)
                dist.send(torch.zeros(3, dtype=torch.float64), peer)
        sent["send"] = c.bytes_sent
        with ranks.submission_running() as c:
            req = dist.isend(torch.zeros(5, dtype=torch.int64), peer)
            dist.recv(torch.zeros(5, dtype=torch.int64), peer)
            req.wait()
        sent["isend"] = c.bytes_sent
        with ranks.submission_running() as c:
            ops = [dist.P2POp(dist.isend, torch.zeros(6), peer), dist.P2POp(dist.irecv, torch.zeros(6), peer)]
            for req in dist.batch_isend_irecv(ops):
                req.wait()
        sent["batch"] = c.bytes_sent
    return sent


def test_bytes_sent_are_counted_for_send_isend_and_batched_ops():
    torch_or_skip()
    rank0, rank1 = in_process_group(2, _sends)
    assert rank0["send"] == 40 and rank1["send"] == 24  # 10 float32, 3 float64
    assert rank0["isend"] == rank1["isend"] == 40  # 5 int64
    assert rank0["batch"] == rank1["batch"] == 24  # the isend of the batch; irecv is not counted


# ---------------------------------------------------------------------------------------
# Through the real grader (sandbox, harness, one process per rank)


def _grade(tmp_path, source: str, timeout: float | None = None):
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

    path = tmp_path / "submission.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return grade_submission(GradeRequest(path, seed=0, timeout=timeout, record=False))


def test_one_ranks_exception_fails_the_case_with_that_ranks_traceback(tmp_path):
    torch_or_skip()
    report = _grade(tmp_path, """\
        # exercise: ddp-average-gradients
        import torch.distributed as dist


        def average_gradients(model):
            if dist.get_rank() == dist.get_world_size() - 1:
                raise ValueError("the last rank gives up")
            for p in model.parameters():
                if p.grad is not None:
                    dist.all_reduce(p.grad)
                    p.grad /= dist.get_world_size()
        """)
    assert report.status.value == "failed" and report.passed == 0
    first = report.cases[0]  # world size 2
    assert first.message.startswith("rank 1 failed:\nTraceback (most recent call last):")
    assert 'raise ValueError("the last rank gives up")' in first.message and "ValueError: the last rank gives up" in first.message
    assert "rank 0 lost its connection to it" in first.message
    assert "bigmodel_quiz" not in first.message.split("ValueError")[0]  # the user's frames only
    assert report.cases[2].message.startswith("rank 3 failed:")  # world size 4


def test_a_recv_nobody_answers_after_the_others_returned_is_named(tmp_path):
    torch_or_skip()
    report = _grade(tmp_path, """\
        # exercise: ring-allreduce
        import torch
        import torch.distributed as dist


        def ring_all_reduce(tensor):
            if dist.get_rank() == 0:
                dist.recv(torch.empty_like(tensor), src=1)  # rank 1 never sends
        """)
    first = report.cases[0]
    assert "rank 0 waited for a message that never came (rank 1 had already returned)" in first.message


def test_broadcast_is_refused_in_the_ring_exercise(tmp_path):
    torch_or_skip()
    report = _grade(tmp_path, """\
        # exercise: ring-allreduce
        import torch
        import torch.distributed as dist


        def ring_all_reduce(tensor):
            parts = [torch.empty_like(tensor) for _ in range(dist.get_world_size())]
            dist.all_gather(parts, tensor)
            tensor.copy_(sum(parts))
        """)
    assert report.passed == 0
    assert all("dist.all_gather is a collective call, refused" in c.message for c in report.cases)


def test_a_hang_between_two_ranks_times_out_naming_them_and_the_rank_that_finished(tmp_path):
    torch_or_skip()
    report = _grade(tmp_path, """\
        # exercise: ring-allreduce
        import torch
        import torch.distributed as dist


        def ring_all_reduce(tensor):
            rank = dist.get_rank()
            if rank == 0:
                return  # rank 0 leaves; ranks 1 and 2 wait for each other forever
            dist.recv(torch.empty_like(tensor), src=3 - rank if dist.get_world_size() == 3 else 1 - rank)
        """, timeout=4)
    # world size 2: rank 1 waits on rank 0, which left: a transport error, not a hang
    assert "rank 1 waited for a message that never came (rank 0 had already returned)" in report.cases[0].message
    hung = next(c for c in report.cases if c.name == "world-3-length-12")
    assert hung.message.startswith("timed out after 4 s in case world-3-length-12 (3 ranks): ranks 1, 2 still waiting (rank 0 finished)")
    assert all(c.status.value == "not-run" for c in report.cases[report.cases.index(hung) + 1:])


def test_the_parent_reads_collective_calls_from_the_file_itself():
    from bigmodel_quiz.exercises.ring_allreduce import collective_in_source

    flagged = [
        "import torch.distributed as dist\ndef f(t):\n    dist.all_reduce(t)\n",
        "from torch import distributed as d\ndef f(t):\n    d.broadcast(t, 0)\n",
        "from torch.distributed import all_gather\n",
        "import torch\ndef f(t):\n    torch.distributed.reduce(t, 0)\n",
        "import torch.distributed as dist\ndef f(t):\n    getattr(dist, 'all_reduce')(t)\n",
    ]
    for source in flagged:
        assert "collective call" in (collective_in_source(source) or ""), source
    assert "line 3" in collective_in_source(flagged[0])
    fine = [
        "import functools\nx = functools.reduce(lambda a, b: a + b, [1, 2])\n",
        "import numpy as np\ny = np.broadcast_to(1, 3)\n",
        "import torch.distributed as dist\ndef f(t):\n    dist.send(t, 1)\n    dist.recv(t, 0)\n",
        "def broken(:\n",
    ]
    for source in fine:
        assert collective_in_source(source) is None, source
    reference = Path(__file__).resolve().parent.parent / "solutions" / "ring_allreduce.py"
    assert collective_in_source(reference.read_text(encoding="utf-8")) is None
