"""Instantiating parametric questions deterministically from a seed."""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass

from bigmodel_quiz.bank import generators
from bigmodel_quiz.bank.model import Param, QType, Question, Template


@dataclass
class TemplateError(Exception):
    """A template that cannot be instantiated: the field at fault and why."""

    field: str
    message: str


def _fields(text: str) -> list[tuple[str, str]]:
    try:
        return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise TemplateError("prompt", f"bad placeholder: {exc}") from None


def _draw(param: Param, rng: random.Random) -> object:
    if param.choices:
        return rng.choice(param.choices)
    assert param.lo is not None and param.hi is not None
    n = (param.hi - param.lo) // param.step
    return param.lo + param.step * rng.randint(0, n)


def _render(text: str, values: dict, field: str) -> str:
    # Only plain names with a format spec reach format(): no attribute or index access.
    out = []
    for literal, name, spec, conv in string.Formatter().parse(text):
        out.append(literal)
        if name is None:
            continue
        if conv or name not in values:
            raise TemplateError(field, f"unknown placeholder {{{name}}}")
        try:
            out.append(format(values[name], spec or ""))
        except (ValueError, TypeError) as exc:
            raise TemplateError(field, f"cannot format {{{name}:{spec}}}: {exc}") from None
    return "".join(out)


def instantiate(template: Template, seed: int) -> Question:
    """A numeric question from ``template``, the same for the same seed."""
    gen = generators.get(template.generator)
    if gen is None:
        raise TemplateError("generator", f"unknown generator {template.generator!r}")
    rng = random.Random(f"{template.id}:{seed}")
    values = {p.name: _draw(p, rng) for p in template.params}
    try:
        answer, extra = gen(**values)
    except (ArithmeticError, ValueError) as exc:
        raise TemplateError("params", f"generator failed for {values}: {exc}") from None
    if not math.isfinite(answer):
        raise TemplateError("params", f"generator gave {answer} for {values}")
    scope = {**values, **extra, "answer": answer}
    prompt = {lang: _render(t, scope, "prompt") for lang, t in template.prompt.items()}
    explanation = {lang: _render(t, scope, "explanation") for lang, t in template.explanation.items()}
    return Question(
        id=f"{template.id}@{seed}", topic=template.topic, type=QType.NUMERIC,
        difficulty=template.difficulty, tags=template.tags, prompt=prompt,
        explanation=explanation, references=template.references, answer=answer,
        unit=template.unit, tolerance=template.tolerance, template=template.id,
        source=template.source, group=template.group,
    )


def check_template(template: Template) -> None:
    """Raise TemplateError when a placeholder is unknown or instantiation fails."""
    gen = generators.get(template.generator)
    known = {p.name for p in template.params} | set(gen.extras if gen else ()) | {"answer"}
    for field in ("prompt", "explanation"):
        for lang, text in getattr(template, field).items():
            for name, _ in _fields(text):
                if not name.isidentifier() or name not in known:
                    raise TemplateError(field, f"unknown placeholder {{{name}}} in {lang}")
    for seed in (0, 1):
        instantiate(template, seed)
