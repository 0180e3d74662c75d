"""Distributed cases, parent side: what the grader learns from the ranks' records.

The ranks themselves (a gloo group joined by the exercise's child module in the
submission's process) are ``bigmodel_quiz/exercises/child/ranks.py``. Here:
:func:`rank_failure` names the rank whose exception started a failure (a rank's crash
makes its neighbours fail with transport errors a moment later), and
:func:`waiting_message` names the ranks still waiting when the run timed out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RankRecord:
    """One rank's outcome for one case, as the runner read it from its result file."""

    rank: int
    status: str  # ok | raised | died | exit | memory | unreadable | …
    message: str = ""  # the exception or the death, as the user should see it
    elapsed_s: float | None = None
    verdict: bool = False  # a grader-raised verdict (a refused collective), not a crash

    @classmethod
    def from_doc(cls, rank: int, doc: dict[str, Any], text: str) -> "RankRecord":
        """From a harness record and the text the runner shows for it."""
        error = doc.get("error") or {}
        elapsed = doc.get("elapsed_s")
        return cls(rank, str(doc.get("status")), text, float(elapsed) if isinstance(elapsed, (int, float)) else None,
                   bool(error.get("verdict")))


_TRANSPORT = ("Connection closed by peer", "Connection reset by peer", "Broken pipe", "gloo/transport",
              "Socket Timeout", "Timed out waiting")


def is_transport_error(message: str) -> bool:
    """A gloo error a rank gets because another rank died or left, not because of its own code."""
    return any(marker in message for marker in _TRANSPORT)


def rank_failure(records: list[RankRecord]) -> str | None:
    """None when every rank returned; else the failure to show, from the rank that started it.

    One rank's exception makes the ranks talking to it fail with transport errors a
    moment later; those are noise, so the first rank that failed on its own is shown
    with its traceback, and the others are only named.
    """
    bad = [r for r in records if r.status != "ok"]
    if not bad:
        return None
    verdicts = [r for r in bad if r.verdict]
    if verdicts:
        return verdicts[0].message
    own = [r for r in bad if not is_transport_error(r.message)]
    if own:
        first = min(own, key=lambda r: (r.elapsed_s if r.elapsed_s is not None else float("inf"), r.rank))
        text = f"rank {first.rank} failed:\n{first.message}"
        same = [r.rank for r in own if r is not first and _last_line(r.message) == _last_line(first.message)]
        other = [r.rank for r in own if r is not first and r.rank not in same]
        lost = sorted(r.rank for r in bad if r not in own)
        if same:
            text += f"\n(rank{'s' if len(same) > 1 else ''} {_ranks(sorted(same))} raised the same error)"
        if other:
            text += f"\n(rank{'s' if len(other) > 1 else ''} {_ranks(sorted(other))} failed too)"
        if lost:
            text += (f"\n(then rank{'s' if len(lost) > 1 else ''} {_ranks(lost)} lost "
                     f"{'their' if len(lost) > 1 else 'its'} connection to it)")
        return text
    waiting = sorted(r.rank for r in bad)
    done = sorted(r.rank for r in records if r.status == "ok")
    return (f"rank{'s' if len(waiting) > 1 else ''} {_ranks(waiting)} waited for a message that never came "
            f"(rank{'s' if len(done) > 1 else ''} {_ranks(done) or 'none'} had already returned): every recv needs "
            f"a matching send on the other rank\n{bad[0].message}")


def waiting_message(case_name: str, world_size: int, finished: list[int], timeout_s: float) -> str:
    """The timeout error of a distributed case: which ranks were still waiting."""
    waiting = [r for r in range(world_size) if r not in finished]
    who = f"rank{'s' if len(waiting) > 1 else ''} {_ranks(waiting)} still waiting"
    if finished:
        who += f" (rank{'s' if len(finished) > 1 else ''} {_ranks(sorted(finished))} finished)"
    hint = ("every rank is blocked: a recv with no matching send, or blocking send/recv in the same order on "
            "every rank (post sends with isend, then recv, then wait)") if not finished else (
            "a recv whose matching send never happens")
    return f"timed out after {timeout_s:g} s in case {case_name} ({world_size} ranks): {who}; {hint}"


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def _ranks(ranks: list[int]) -> str:
    return ", ".join(str(r) for r in ranks)
