"""Content checks through `quiz export bank --format json`: what a user or another tool sees.

Every topic meets its volume, type mix, numeric share and difficulty spread; the bank as a
whole has its promised size; every reference carries a locator; no user-facing text says
where a question came from; internal tags stay internal.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from test_shipped_banks import MINIMUM, NUMERIC_TOPICS

from bigmodel_quiz.errors import ExitCode

STATIC_QUESTIONS = 820
TEMPLATES = 43
# Phrases that would tell the user a question was built from an article (not "the articles a/an/the").
ORIGIN = re.compile(r"(source|seed|original|one of the)\s+articles?\b|an article (says|claims)|"
                    r"源文章|某篇(源)?文章|这篇文章|文章(中|里)(说|称|写)", re.I)


@pytest.fixture(scope="module")
def exported() -> list[dict]:
    from typer.testing import CliRunner

    from bigmodel_quiz.cli.app import app

    result = CliRunner().invoke(app, ["export", "bank", "--format", "json", "--seed", "1"], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK, result.stdout[-2000:]
    return json.loads(result.stdout)


def _static(docs: list[dict]) -> list[dict]:
    return [d for d in docs if "template" not in d]


def test_bank_size(exported) -> None:
    assert len(_static(exported)) >= STATIC_QUESTIONS
    assert sum(1 for d in exported if "template" in d) >= TEMPLATES
    assert min(Counter(d["topic"] for d in _static(exported)).values()) >= 35


@pytest.mark.parametrize("topic", sorted(MINIMUM))
def test_topic_volume_types_numeric_share_and_difficulties(exported, topic: str) -> None:
    qs = [d for d in _static(exported) if d["topic"] == topic]
    assert len(qs) >= MINIMUM[topic]
    types = Counter(d["type"] for d in qs)
    assert set(types) == {"single", "multi", "truefalse", "numeric", "short"}, types
    if topic in NUMERIC_TOPICS:
        assert types["numeric"] >= 0.2 * len(qs), types
    levels = Counter(d["difficulty"] for d in qs)
    for level in ("easy", "medium", "hard"):
        assert levels[level] >= 0.2 * len(qs), levels


def test_every_reference_names_a_locator(exported) -> None:
    # A reference is exported as "source — locator"; the loader refuses one without a locator.
    missing = [(d["id"], r) for d in exported for r in d["references"]
               if " — " not in r or not r.rsplit(" — ", 1)[1].strip()]
    assert missing == []


def _user_texts(d: dict) -> list[str]:
    out = [*d["prompt"].values(), *d["explanation"].values(), *(d.get("model_answer") or {}).values()]
    for c in d.get("choices", []):
        out.extend(c.values() if isinstance(c, dict) else [c])
    for concept in d.get("keywords", []):
        for phrases in concept.values():
            out.extend(phrases)
    return out


def test_no_user_facing_text_says_where_a_question_came_from(exported) -> None:
    named = [d["id"] for d in exported if any(ORIGIN.search(t) for t in _user_texts(d))]
    assert named == []


def test_origin_pattern_catches_the_phrasings_and_spares_grammar() -> None:
    assert ORIGIN.search("One seed article answers that more parameters help")
    assert ORIGIN.search("某篇文章说参数越多越不容易过拟合")
    assert not ORIGIN.search("strip punctuation, the articles a/an/the and extra spaces")


def test_internal_tags_are_not_exported(exported) -> None:
    leaked = [(d["id"], t) for d in exported for t in d["tags"] if t.startswith("seed-")]
    assert leaked == []
