"""Bank-wide checks beyond the schema: near-duplicate prompts and answer positions."""

from __future__ import annotations

from collections import Counter, defaultdict

from bigmodel_quiz.bank.loader import Problem
from bigmodel_quiz.bank.model import Bank, QType

NEAR_DUPLICATE = 90.0  # rapidfuzz ratio at or above which two prompts are near-duplicates
MAX_LETTER_SHARE = 0.35  # no letter may hold more of a topic's single-choice answers
MIN_SINGLES_FOR_SPREAD = 10  # too few questions make any spread look skewed


def _where(source: str) -> tuple[str, int]:
    file, _, line = source.rpartition(":")
    return file, int(line or 0)


def _similar_pairs(texts: list[str]) -> list[tuple[int, int, int]]:
    """(i, j, score) for i < j with fuzz.ratio >= NEAR_DUPLICATE, without all-pairs cost.

    Two exact bounds prune pairs before the fuzzy ratio is computed:
    ratio = 2·LCS / (len_a + len_b), and
    - LCS <= min(len_a, len_b): only lengths within a factor cutoff/(200-cutoff) can match,
      so strings are sorted by length and compared within a sliding window;
    - LCS <= sum over characters of min(count_a, count_b) = (len_a + len_b - L1) / 2, where
      L1 is the distance between character histograms (bucketed histograms give a smaller
      L1, so the bound still holds): ratio <= 100·(1 - L1 / (len_a + len_b)).
    """
    import bisect

    import numpy as np
    from rapidfuzz import fuzz

    n = len(texts)
    if n < 2:
        return []
    buckets = 64
    hist = np.zeros((n, buckets), dtype=np.int32)
    for k, t in enumerate(texts):
        codes = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32)
        hist[k] = np.bincount(codes % buckets, minlength=buckets)
    length = np.array([len(t) for t in texts], dtype=np.int64)
    order = np.argsort(length, kind="stable")
    sorted_len = length[order].tolist()
    stretch = (200 - NEAR_DUPLICATE) / NEAR_DUPLICATE
    pairs = []
    block = 64
    for start in range(0, n, block):
        stop = min(start + block, n)
        end = bisect.bisect_right(sorted_len, int(sorted_len[stop - 1] * stretch) + 1, lo=stop)
        rows, cols = order[start:stop], order[start:end]
        l1 = np.abs(hist[rows][:, None, :] - hist[cols][None, :, :]).sum(axis=2)
        total = length[rows][:, None] + length[cols][None, :]
        bound = 100.0 * (1.0 - l1 / np.maximum(total, 1))
        r_idx, c_idx = np.nonzero(bound >= NEAR_DUPLICATE)
        for r, c in zip(r_idx.tolist(), c_idx.tolist()):
            if c <= r:  # columns start at the block's own first row
                continue
            a, b = int(rows[r]), int(cols[c])
            score = fuzz.ratio(texts[a], texts[b])
            if score >= NEAR_DUPLICATE:
                pairs.append((min(a, b), max(a, b), int(score)))
    return sorted(pairs)


def near_duplicates(bank: Bank) -> list[Problem]:
    """Pairs of prompts within a topic whose fuzzy ratio is at least NEAR_DUPLICATE."""
    from rapidfuzz import utils

    problems = []
    by_topic = defaultdict(list)
    for q in bank.questions:
        by_topic[q.topic].append(q)
    for questions in by_topic.values():
        for lang in ("en", "zh"):
            texts = [utils.default_process(q.prompt[lang]) for q in questions]
            for i, j, score in _similar_pairs(texts):
                file, line = _where(questions[j].source)
                problems.append(Problem(file, line, f"{questions[j].id}.prompt.{lang}",
                                        f"near-duplicate of {questions[i].id} ({score}% similar)"))
    return problems


def letter_spread(bank: Bank) -> list[Problem]:
    """Topics where one letter holds more than MAX_LETTER_SHARE of single-choice answers."""
    problems = []
    by_topic = defaultdict(list)
    for q in bank.questions:
        if q.type is QType.SINGLE:
            by_topic[q.topic].append(q)
    for topic, qs in by_topic.items():
        if len(qs) < MIN_SINGLES_FOR_SPREAD:
            continue
        letter, n = Counter(q.answer for q in qs).most_common(1)[0]
        if n / len(qs) > MAX_LETTER_SHARE:
            file = bank.topics[topic].source.rpartition(":")[0] if topic in bank.topics else topic
            problems.append(Problem(file, 1, "answer", f"{letter} is the answer of {n} of {len(qs)} single-choice "
                                    f"questions in {topic} (more than {MAX_LETTER_SHARE:.0%})"))
    return problems


def letter_references(bank: Bank) -> list[Problem]:
    """Explanations of choice questions that name a choice by its letter: choices are shown shuffled."""
    from bigmodel_quiz.bank.choices import letter_references as found

    problems = []
    for q in bank.questions:
        for lang, ref in found(q):
            file, line = _where(q.source)
            problems.append(Problem(file, line, f"{q.id}.explanation.{lang}",
                                    f"{ref!r} names a choice by its letter, but choices are shown shuffled: "
                                    f"refer to it by its content, or write [[A]] for the letter it is shown as"))
    return problems


def check(bank: Bank) -> list[Problem]:
    """Every bank-wide problem."""
    return near_duplicates(bank) + letter_spread(bank) + letter_references(bank)
