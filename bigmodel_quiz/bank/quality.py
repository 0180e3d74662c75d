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


def near_duplicates(bank: Bank) -> list[Problem]:
    """Pairs of prompts within a topic whose fuzzy ratio is at least NEAR_DUPLICATE."""
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    problems = []
    by_topic = defaultdict(list)
    for q in bank.questions:
        by_topic[q.topic].append(q)
    for questions in by_topic.values():
        for lang in ("en", "zh"):
            texts = [utils.default_process(q.prompt[lang]) for q in questions]
            if len(texts) < 2:
                continue
            scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE,
                                   dtype=np.uint8, workers=-1)
            rows, cols = np.nonzero(np.triu(scores, k=1))
            for i, j in zip(rows.tolist(), cols.tolist()):
                file, line = _where(questions[j].source)
                problems.append(Problem(file, line, f"{questions[j].id}.prompt.{lang}",
                                        f"near-duplicate of {questions[i].id} ({scores[i, j]}% similar)"))
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


def check(bank: Bank) -> list[Problem]:
    """Every bank-wide problem."""
    return near_duplicates(bank) + letter_spread(bank)
