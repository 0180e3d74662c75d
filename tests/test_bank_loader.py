"""The strict loader: each problem kind is reported as file:line: field: message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bigmodel_quiz.bank.loader import load

FIXTURES = Path(__file__).parent / "fixtures" / "banks"

HEADER = """\
topic:
  id: t
  title: {en: T, zh: T}
  description: {en: D, zh: D}
"""

GOOD_SINGLE = """\
  - id: q-one
    type: single
    difficulty: easy
    tags: [x]
    prompt: {en: P, zh: P}
    choices: [a, b, c]
    answer: B
    explanation: {en: E, zh: E}
    references: [{source: R, locator: p. 1}]
"""


def problems_of(tmp_path: Path, body: str, name: str = "t.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    _, problems = load([path], base=tmp_path)
    return [str(p) for p in problems]


def test_fixture_bank_is_clean() -> None:
    bank, problems = load([FIXTURES])
    assert problems == []
    assert {q.type.value for q in bank.questions} == {"single", "multi", "truefalse", "numeric", "short"}
    assert len(bank.templates) == 1


def test_good_question_loads(tmp_path: Path) -> None:
    assert problems_of(tmp_path, HEADER + "questions:\n" + GOOD_SINGLE) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("    difficulty: easy\n", ""), "t.yaml:6: q-one.difficulty: missing field"),
        (("    tags: [x]\n", "    tags: [x]\n    colour: red\n"), "t.yaml:10: q-one.colour: unknown field"),
        (("    tags: [x]\n", "    tags: x\n"), "t.yaml:9: q-one.tags: expected a list of non-empty strings"),
        (("answer: B", "answer: E"), "t.yaml:12: q-one.answer: E is not among the choices (A-C)"),
        (("prompt: {en: P, zh: P}", "prompt: {en: P}"), "t.yaml:10: q-one.prompt.zh: missing translation"),
        (("difficulty: easy", "difficulty: extreme"), "t.yaml:8: q-one.difficulty: 'extreme' is not one of"),
        (("choices: [a, b, c]", "choices: [a, b, a]"), "t.yaml:11: q-one.choices[2]: duplicate of choice A"),
        (("references: [{source: R, locator: p. 1}]", "references: []"), "t.yaml:14: q-one.references: expected a non-empty list of references"),
    ],
)
def test_question_problems_have_lines(tmp_path: Path, edit: tuple[str, str], expected: str) -> None:
    body = HEADER + "questions:\n" + GOOD_SINGLE.replace(*edit)
    found = problems_of(tmp_path, body)
    assert any(p.startswith(expected) for p in found), found


def test_multi_answer_empty(tmp_path: Path) -> None:
    q = GOOD_SINGLE.replace("type: single", "type: multi").replace("answer: B", "answer: []")
    assert problems_of(tmp_path, HEADER + "questions:\n" + q) == [
        "t.yaml:12: q-one.answer: a multi answer must be a non-empty list of letters"
    ]


def test_numeric_answer_and_tolerance(tmp_path: Path) -> None:
    q = textwrap.dedent("""\
      - id: q-num
        type: numeric
        difficulty: easy
        tags: [x]
        prompt: {en: P, zh: P}
        answer: lots
        tolerance: {rel: 2}
        unit: parsecs
        explanation: {en: E, zh: E}
        references: [{source: R, locator: p. 1}]
    """)
    found = problems_of(tmp_path, HEADER + "questions:\n" + textwrap.indent(q, "  "))
    assert "t.yaml:11: q-num.answer: numeric answer is not a number: 'lots'" in found
    assert "t.yaml:12: q-num.tolerance.rel: a relative tolerance must be below 1, got 2" in found
    assert any(p.startswith("t.yaml:13: q-num.unit: unknown unit 'parsecs'") for p in found)


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(HEADER + "questions:\n" + GOOD_SINGLE, encoding="utf-8")
    (tmp_path / "u.yaml").write_text(HEADER.replace("id: t", "id: u") + "questions:\n" + GOOD_SINGLE, encoding="utf-8")
    _, problems = load([tmp_path], base=tmp_path)
    assert [str(p) for p in problems] == ["u.yaml:6: q-one.id: duplicate id (first defined at t.yaml:6)"]


def test_duplicate_key_is_reported(tmp_path: Path) -> None:
    body = HEADER + "questions:\n" + GOOD_SINGLE.replace("    tags: [x]\n", "    tags: [x]\n    tags: [y]\n")
    assert "t.yaml:10: tags: duplicate key" in problems_of(tmp_path, body)


def test_malformed_yaml_has_its_line(tmp_path: Path) -> None:
    body = HEADER + "questions:\n" + GOOD_SINGLE.replace("answer: B", "answer: [B")
    found = problems_of(tmp_path, body)
    assert len(found) == 1 and found[0].startswith("t.yaml:1") and "malformed YAML" in found[0]
    line = int(found[0].split(":")[1])
    assert 12 <= line <= 15


def test_topic_must_match_file_name(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEADER + "questions:\n" + GOOD_SINGLE, name="other.yaml")
    assert found == ["other.yaml:2: topic.id: 't' must equal the file name 'other'"]


def test_not_a_mapping_and_empty_file(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "- just\n- a list\n") == ["t.yaml:1: file: expected a mapping with topic and questions, got a list"]
    assert problems_of(tmp_path, "") == ["t.yaml:1: file: empty bank"]


def test_binary_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_bytes(b"\xff\xfe\x00garbage")
    _, problems = load([tmp_path / "t.yaml"], base=tmp_path)
    assert len(problems) == 1 and "UTF-8" in problems[0].message


TEMPLATE = """\
templates:
  - id: tpl
    generator: gpt_params
    difficulty: hard
    tags: [x]
    params:
      vocab_size: {choices: [1000]}
      n_positions: {choices: [128]}
      d_model: {range: [64, 128], step: 64}
      n_layers: {range: [1, 4]}
    prompt: {en: "d={d_model} L={n_layers}", zh: "d={d_model} L={n_layers}"}
    explanation: {en: "{answer:,.0f}", zh: "{answer:,.0f}"}
    references: [{source: R, locator: p. 1}]
"""


def test_good_template(tmp_path: Path) -> None:
    assert problems_of(tmp_path, HEADER + TEMPLATE) == []


def test_unknown_generator(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEADER + TEMPLATE.replace("gpt_params", "magic"))
    assert found[0].startswith("t.yaml:7: tpl.generator: unknown generator 'magic' (known: ")


def test_template_parameter_out_of_range(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEADER + TEMPLATE.replace("n_layers: {range: [1, 4]}", "n_layers: {range: [0, 4]}"))
    assert found == ["t.yaml:14: tpl.params.n_layers: value 0 out of range for the generator (1 to inf)"]


def test_template_unknown_placeholder_is_rejected(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEADER + TEMPLATE.replace('en: "d={d_model}', 'en: "d={d_model.__class__}'))
    assert len(found) == 1 and "unknown placeholder" in found[0] and found[0].startswith("t.yaml:15: tpl.prompt")


def test_cache_round_trip_and_invalidation(tmp_path: Path) -> None:
    import shutil

    from bigmodel_quiz.bank import cache
    from bigmodel_quiz.bank.loader import load_bank

    folder = tmp_path / "banks"
    shutil.copytree(FIXTURES, folder)
    fresh = load_bank([folder], use_cache=False)
    assert cache.from_json(cache.to_json(fresh)) == fresh
    first = load_bank([folder])
    assert first == fresh
    assert load_bank([folder]) == fresh  # served from the cache
    text = (folder / "demo.yaml").read_text().replace("Which letter is right?", "Which letter is correct?")
    (folder / "demo.yaml").write_text(text)
    changed = load_bank([folder])
    assert changed.questions[0].prompt["en"] == "Which letter is correct?"


def test_corrupt_cache_is_rebuilt(tmp_path: Path, quiz_home: Path) -> None:
    from bigmodel_quiz.bank.loader import load_bank

    load_bank([FIXTURES])
    for f in (quiz_home / "cache").glob("bank-*.json"):
        f.write_text("{not json")
    assert len(load_bank([FIXTURES]).questions) == 5


def test_control_character_is_one_line_with_its_line(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEADER + "questions:\n" + GOOD_SINGLE.replace("prompt: {en: P", "prompt: {en: \x00P"))
    assert found == ["t.yaml:10: yaml: malformed YAML: character '\\x00' is not allowed"]
    found = problems_of(tmp_path, "\x00\n" + HEADER)
    assert found == ["t.yaml:1: yaml: malformed YAML: character '\\x00' is not allowed"]


def test_reference_with_locator_is_shown_after_its_source(tmp_path: Path) -> None:
    q = GOOD_SINGLE.replace("    references: [{source: R, locator: p. 1}]\n", "    references:\n      - {source: Book, locator: ch. 5.2}\n"
                            "    group: one-idea\n")
    path = tmp_path / "t.yaml"
    path.write_text(HEADER + "questions:\n" + q, encoding="utf-8")
    bank, problems = load([path], base=tmp_path)
    assert problems == []
    assert bank.questions[0].references == ("Book — ch. 5.2",)
    assert bank.questions[0].group == "one-idea"


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        ("      - {source: Book}\n", "t.yaml:15: q-one.references[0].locator: expected non-empty text"),
        ("      - {source: Book, locator: p. 3, page: 3}\n", "t.yaml:15: q-one.references[0].page: unknown field"),
        ("      - [Book]\n", "t.yaml:14: q-one.references[0]: expected a mapping with source and locator"),
        ("      - Book, ch. 5\n", "t.yaml:14: q-one.references[0]: expected {source: ..., locator: ...}"),
    ],
)
def test_reference_problems(tmp_path: Path, refs: str, expected: str) -> None:
    q = GOOD_SINGLE.replace("    references: [{source: R, locator: p. 1}]\n", "    references:\n" + refs)
    found = problems_of(tmp_path, HEADER + "questions:\n" + q)
    assert any(p.startswith(expected) for p in found), found


def test_group_must_be_an_id(tmp_path: Path) -> None:
    q = GOOD_SINGLE + "    group: Not An Id\n"
    found = problems_of(tmp_path, HEADER + "questions:\n" + q)
    assert any(p.startswith("t.yaml:15: q-one.group: expected a kebab-case group id") for p in found), found
