"""Content tests: the shipped banks validate and meet the volume and mix the product promises."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.quality import check
from bigmodel_quiz.errors import ExitCode

MINIMUM = {
    "parameter-scale": 60, "overfitting": 60, "distributed-training": 60, "evaluation-metrics": 95,
    "fundamentals": 35, "training-optimisation": 25, "inference-deployment": 70, "fine-tuning": 25,
    "architecture": 70, "post-training": 70, "tokenization": 35, "decoding": 40,
    "rag-agents": 62, "multimodal": 42,
    "kernels-hardware": 54, "data": 36,
}
NUMERIC_TOPICS = ("parameter-scale", "overfitting", "distributed-training", "evaluation-metrics",
                  "architecture", "decoding", "inference-deployment", "kernels-hardware", "multimodal")


@pytest.fixture(scope="module")
def shipped():
    bank, problems = load()
    return bank, problems + check(bank)


def test_every_shipped_bank_validates(shipped) -> None:
    _, problems = shipped
    assert [str(p) for p in problems] == []


def test_validate_command_is_clean(cli) -> None:
    result = cli("validate")
    assert result.exit_code == ExitCode.OK, result.stdout[-2000:]
    assert result.stdout.startswith("ok:")


@pytest.mark.parametrize("topic", sorted(MINIMUM))
def test_topic_volume_and_mix(shipped, topic: str) -> None:
    bank, _ = shipped
    qs = [q for q in bank.questions if q.topic == topic]
    assert len(qs) >= MINIMUM[topic]
    types = Counter(q.type.value for q in qs)
    assert set(types) == {"single", "multi", "truefalse", "numeric", "short"}, types
    if topic in NUMERIC_TOPICS:
        assert types["numeric"] >= 0.2 * len(qs), types
    levels = Counter(q.difficulty for q in qs)
    for level in ("easy", "medium", "hard"):
        assert levels[level] >= 0.2 * len(qs), levels


def test_every_question_has_a_reference_and_both_languages(shipped) -> None:
    bank, _ = shipped
    for q in bank.questions:
        assert q.references and all(r.strip() for r in q.references), q.id
        for field in ("prompt", "explanation"):
            assert q.text(field, "en") and q.text(field, "zh"), (q.id, field)


def test_seed_errata_become_trap_questions(shipped) -> None:
    bank, _ = shipped
    traps = [q for q in bank.questions if "seed-erratum" in q.tags and q.type.value in ("truefalse", "single")]
    assert len(traps) >= 12  # ERRATA.md has 12 rows; each becomes at least one trap question


def test_at_least_15_templates_instantiate(shipped) -> None:
    from bigmodel_quiz.bank.templates import instantiate

    bank, _ = shipped
    assert len(bank.templates) >= 15
    for t in bank.templates:
        for seed in range(5):
            q = instantiate(t, seed)
            assert q.template == t.id and q.answer == q.answer  # finite, not NaN


def test_export_bank_counts_match(cli) -> None:
    docs = json.loads(cli("export", "bank", "--seed", "1").stdout)
    by_topic = Counter(d["topic"] for d in docs if not d.get("template"))
    for topic, n in MINIMUM.items():
        assert by_topic[topic] >= n, (topic, by_topic[topic])
    assert sum(1 for d in docs if d.get("template")) >= 15
    assert all({"id", "topic", "type", "difficulty", "tags", "prompt", "explanation", "answer",
                "references"} <= set(d) for d in docs)


def test_every_right_answer_is_graded_right(shipped) -> None:
    from bigmodel_quiz.bank.answers import grade, short_coverage

    bank, _ = shipped
    for q in bank.questions:
        t = q.type.value
        if t == "short":
            for lang in ("en", "zh"):
                # A model answer may discuss a counterfactual ("would no longer be exactly the
                # target distribution"): its key phrases are checked with negations ignored.
                covered, _ = short_coverage(q, q.model_answer[lang], negation=False)
                assert len(covered) >= (q.min_keywords or 1), (q.id, lang)
        elif t == "multi":
            assert grade(q, ",".join(q.answer)).correct, q.id
        elif t == "truefalse":
            assert grade(q, "t" if q.answer else "f").correct, q.id
        else:
            assert grade(q, str(q.answer)).correct, q.id
