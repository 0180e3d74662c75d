"""Loading banks strictly: every problem is collected as ``file:line: field: message``."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from bigmodel_quiz.bank.model import (
    DIFFICULTIES,
    Bank,
    Concept,
    Param,
    QType,
    Question,
    Template,
    Tolerance,
    Topic,
)
from bigmodel_quiz.bank.index import bank_files
from bigmodel_quiz.bank.yamlread import LineDict, read_yaml
from bigmodel_quiz.errors import BankError
from bigmodel_quiz.lang import LANGS

ID_RE = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
LETTERS = "ABCDEFGH"

COMMON = {"id", "topic", "type", "difficulty", "tags", "prompt", "explanation", "references", "group"}
BY_TYPE: dict[str, set[str]] = {
    "single": {"choices", "answer"},
    "multi": {"choices", "answer"},
    "truefalse": {"answer"},
    "numeric": {"answer", "unit", "tolerance"},
    "short": {"keywords", "model_answer", "min_keywords"},
}
REQUIRED_BY_TYPE: dict[str, set[str]] = {
    "single": {"choices", "answer"},
    "multi": {"choices", "answer"},
    "truefalse": {"answer"},
    "numeric": {"answer"},
    "short": {"keywords", "model_answer"},
}
TEMPLATE_FIELDS = COMMON | {"generator", "params", "unit", "tolerance"}
REFERENCE_FIELDS = ("source", "locator")
TEMPLATE_REQUIRED = {"id", "generator", "difficulty", "tags", "params", "prompt", "explanation", "references"}


@dataclass(frozen=True)
class Problem:
    """One problem in a bank file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


def _type_name(value: object) -> str:
    return {dict: "a mapping", LineDict: "a mapping", list: "a list", str: "a string",
            bool: "true/false", int: "a number", float: "a number", type(None): "empty"}.get(
        type(value), type(value).__name__)


class _FileChecker:
    """Checks one file's structures and turns them into typed values."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, field, message))

    def fields(self, d: LineDict, where: str, allowed: set[str], required: set[str]) -> None:
        for key in d:
            if key not in allowed:
                self.add(d.line_of(key), f"{where}{key}", "unknown field")
        for key in sorted(required - set(d)):
            self.add(d.line, f"{where}{key}", "missing field")

    def text(self, d: LineDict, key: str, where: str) -> dict | None:
        value = d.get(key)
        line = d.line_of(key)
        if not isinstance(value, LineDict):
            self.add(line, f"{where}{key}", f"expected a mapping with en and zh, got {_type_name(value)}")
            return None
        for k in value:
            if k not in LANGS:
                self.add(value.line_of(k), f"{where}{key}.{k}", f"unknown language (use {', '.join(LANGS)})")
        ok = True
        for lang in LANGS:
            v = value.get(lang)
            if v is None or (isinstance(v, str) and not v.strip()):
                self.add(line, f"{where}{key}.{lang}", "missing translation")
                ok = False
            elif not isinstance(v, str):
                self.add(value.line_of(lang), f"{where}{key}.{lang}", f"expected text, got {_type_name(v)}")
                ok = False
        return {lang: value[lang].strip() for lang in LANGS} if ok else None

    def strings(self, d: LineDict, key: str, where: str, *, min_len: int = 0) -> tuple[str, ...] | None:
        value = d.get(key)
        line = d.line_of(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(line, f"{where}{key}", f"expected a list of non-empty strings, got {_type_name(value)}")
            return None
        if len(value) < min_len:
            self.add(line, f"{where}{key}", f"needs at least {min_len} entr{'y' if min_len == 1 else 'ies'}")
            return None
        return tuple(v.strip() for v in value)

    def references(self, d: LineDict, where: str) -> tuple[str, ...] | None:
        """References as display strings ("source — locator"); each needs a source and a locator."""
        value = d.get("references")
        line = d.line_of("references")
        if not isinstance(value, list) or not value:
            self.add(line, f"{where}references", f"expected a non-empty list of references, got {_type_name(value)}")
            return None
        out: list[str] = []
        for i, ref in enumerate(value):
            field = f"{where}references[{i}]"
            if isinstance(ref, str):
                # Every reference names where in its source the fact is: a bare string has no locator.
                self.add(line, field, "expected {source: ..., locator: ...} (locator: section, equation, "
                                      "table, figure or page)")
                continue
            if not isinstance(ref, LineDict):
                self.add(line, field, f"expected a mapping with source and locator, got {_type_name(ref)}")
                continue
            for k in ref:
                if k not in REFERENCE_FIELDS:
                    self.add(ref.line_of(k), f"{field}.{k}", f"unknown field (use {', '.join(REFERENCE_FIELDS)})")
            parts = []
            for k in ("source", "locator"):
                v = ref.get(k)
                if not isinstance(v, str) or not v.strip():
                    self.add(ref.line_of(k), f"{field}.{k}", "expected non-empty text")
                else:
                    parts.append(v.strip())
            out.append(" — ".join(parts))
        return tuple(out)

    def group(self, d: LineDict, where: str) -> str | None:
        value = d.get("group")
        if value is None:
            return None
        if not isinstance(value, str) or not ID_RE.match(value):
            self.add(d.line_of("group"), f"{where}group", f"expected a kebab-case group id, got {value!r}")
            return None
        return value

    def enum(self, d: LineDict, key: str, where: str, options: tuple[str, ...]) -> str | None:
        value = d.get(key)
        if value not in options:
            self.add(d.line_of(key), f"{where}{key}", f"{value!r} is not one of {', '.join(options)}")
            return None
        return value

    def tolerance(self, d: LineDict, where: str) -> Tolerance | None:
        if "tolerance" not in d:
            return Tolerance()
        value = d["tolerance"]
        line = d.line_of("tolerance")
        if not isinstance(value, LineDict) or len(value) != 1 or next(iter(value)) not in ("abs", "rel"):
            self.add(line, f"{where}tolerance", "expected exactly one of {abs: x} or {rel: x}")
            return None
        kind, x = next(iter(value.items()))
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) or x < 0:
            self.add(line, f"{where}tolerance.{kind}", f"expected a number >= 0, got {x!r}")
            return None
        if kind == "rel" and x >= 1:
            self.add(line, f"{where}tolerance.rel", f"a relative tolerance must be below 1, got {x!r}")
            return None
        return Tolerance(abs=float(x)) if kind == "abs" else Tolerance(rel=float(x))

    def unit(self, d: LineDict, where: str) -> str | None:
        from bigmodel_quiz.bank.units import known_unit

        value = d.get("unit", "")
        if value is None:
            value = ""
        if not isinstance(value, str) or not known_unit(value):
            self.add(d.line_of("unit"), f"{where}unit", f"unknown unit {value!r} (see docs/bank-format.md)")
            return None
        return value


def _choices(c: _FileChecker, q: LineDict, where: str) -> tuple[dict, ...] | None:
    raw = q.get("choices")
    line = q.line_of("choices")
    if not isinstance(raw, list) or not (2 <= len(raw) <= len(LETTERS)):
        c.add(line, f"{where}choices", f"expected a list of 2 to {len(LETTERS)} choices")
        return None
    out: list[dict] = []
    for i, item in enumerate(raw):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
            out.append({lang: str(item) for lang in LANGS})
        elif isinstance(item, LineDict):
            holder = LineDict({"choice": item})
            holder.line, holder.key_lines = item.line, {"choice": item.line}
            t = c.text(holder, "choice", f"{where}choices[{i}].")
            if t is None:
                return None
            out.append(t)
        else:
            c.add(line, f"{where}choices[{i}]", f"expected text or {{en, zh}}, got {_type_name(item)}")
            return None
    seen: dict[str, int] = {}
    for i, ch in enumerate(out):
        key = ch["en"].strip().lower()
        if key in seen:
            c.add(line, f"{where}choices[{i}]", f"duplicate of choice {LETTERS[seen[key]]}")
        seen[key] = i
    return tuple(out)


def _letter(c: _FileChecker, value: object, choices: tuple | None, line: int, field: str) -> str | None:
    """One answer letter, checked against the number of choices."""
    if not isinstance(value, str) or len(value.strip()) != 1:
        c.add(line, field, f"expected one letter, got {value!r}")
        return None
    letter = value.strip().upper()
    if choices is not None and letter not in LETTERS[: len(choices)]:
        c.add(line, field, f"{letter} is not among the choices (A-{LETTERS[len(choices) - 1]})")
        return None
    return letter


def _answer(c: _FileChecker, q: LineDict, qtype: str, choices: tuple | None, where: str) -> object:
    value = q.get("answer")
    line = q.line_of("answer")
    field = f"{where}answer"
    if qtype == "single":
        return _letter(c, value, choices, line, field)
    if qtype == "multi":
        if not isinstance(value, list) or not value:
            c.add(line, field, "a multi answer must be a non-empty list of letters")
            return None
        read = [_letter(c, v, choices, line, field) for v in value]
        letters = [x for x in read if x is not None]
        if len(letters) != len(read):
            return None
        if len(set(letters)) != len(letters):
            c.add(line, field, "a letter is repeated")
        return tuple(sorted(set(letters)))
    if qtype == "truefalse":
        if not isinstance(value, bool):
            c.add(line, field, f"expected true or false, got {value!r}")
            return None
        return value
    if qtype == "numeric":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            c.add(line, field, f"numeric answer is not a number: {value!r}")
            return None
        return float(value)
    return None


def _keywords(c: _FileChecker, q: LineDict, where: str) -> tuple[Concept, ...] | None:
    raw = q.get("keywords")
    line = q.line_of("keywords")
    if not isinstance(raw, list) or not raw:
        c.add(line, f"{where}keywords", "expected a non-empty list of concepts")
        return None
    concepts = []
    for i, item in enumerate(raw):
        f = f"{where}keywords[{i}]"
        if not isinstance(item, LineDict):
            c.add(line, f, "expected {en: [...], zh: [...]}")
            return None
        phrases = {}
        for lang in LANGS:
            v = item.get(lang)
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, list) or not v or not all(isinstance(s, str) and s.strip() for s in v):
                c.add(item.line_of(lang), f"{f}.{lang}", "missing translation" if v is None else "expected a list of phrases")
                return None
            phrases[lang] = tuple(s.strip() for s in v)
        for k in item:
            if k not in LANGS:
                c.add(item.line_of(k), f"{f}.{k}", "unknown field")
        concepts.append(Concept(phrases))
    return tuple(concepts)


def _common(c: _FileChecker, d: LineDict, where: str, topic: str) -> dict:
    """The fields every question and template has: id and topic checks, texts, tags, references."""
    did = d.get("id")
    if "id" in d and (not isinstance(did, str) or not ID_RE.match(did)):
        c.add(d.line_of("id"), f"{where}id", f"expected a kebab-case id, got {did!r}")
    if "topic" in d and d["topic"] != topic:
        c.add(d.line_of("topic"), f"{where}topic", f"{d['topic']!r} differs from the file's topic {topic!r}")
    return {
        "difficulty": c.enum(d, "difficulty", where, DIFFICULTIES) if "difficulty" in d else None,
        "tags": c.strings(d, "tags", where) if "tags" in d else None,
        "prompt": c.text(d, "prompt", where) if "prompt" in d else None,
        "explanation": c.text(d, "explanation", where) if "explanation" in d else None,
        "references": c.references(d, where) if "references" in d else None,
        "group": c.group(d, where),
    }


def _where(c: _FileChecker, item: object, kind: str, index: int) -> str | None:
    """The field prefix for an item's problems; None (with a problem) when it is not a mapping."""
    if not isinstance(item, LineDict):
        c.add(1, f"{kind}[{index}]", f"expected a mapping, got {_type_name(item)}")
        return None
    iid = item.get("id")
    return f"{iid}." if isinstance(iid, str) else f"{kind}[{index}]."


def _question(c: _FileChecker, q: object, topic: str, index: int) -> Question | None:
    where = _where(c, q, "questions", index)
    if where is None or not isinstance(q, LineDict):
        return None
    n_before = len(c.problems)
    qtype = c.enum(q, "type", where, tuple(t.value for t in QType))
    allowed = COMMON | (BY_TYPE[qtype] if qtype else set().union(*BY_TYPE.values()))
    c.fields(q, where, allowed, {"id", "type", "difficulty", "tags", "prompt", "explanation", "references"}
             | (REQUIRED_BY_TYPE[qtype] if qtype else set()))
    common = _common(c, q, where, topic)
    choices = _choices(c, q, where) if qtype in ("single", "multi") and "choices" in q else None
    answer = _answer(c, q, qtype, choices, where) if qtype and "answer" in q else None
    extra: dict = {}
    if qtype == "numeric":
        extra["unit"] = c.unit(q, where)
        extra["tolerance"] = c.tolerance(q, where)
    if qtype == "short":
        keywords = _keywords(c, q, where) if "keywords" in q else None
        extra["keywords"] = keywords
        extra["model_answer"] = c.text(q, "model_answer", where) if "model_answer" in q else None
        mk = q.get("min_keywords")
        if mk is not None and (isinstance(mk, bool) or not isinstance(mk, int) or mk < 1
                               or (keywords and mk > len(keywords))):
            c.add(q.line_of("min_keywords"), f"{where}min_keywords", "expected a number from 1 to the number of keywords")
        extra["min_keywords"] = mk if isinstance(mk, int) else (math.ceil(len(keywords) / 2) if keywords else 0)
    if len(c.problems) > n_before:
        return None
    return Question(id=q["id"], topic=topic, type=QType(qtype), choices=choices or (), answer=answer,
                    source=f"{c.file}:{q.line}", **common, **extra)


def _template(c: _FileChecker, t: object, topic: str, index: int) -> Template | None:
    from bigmodel_quiz.bank import generators

    where = _where(c, t, "templates", index)
    if where is None or not isinstance(t, LineDict):
        return None
    n_before = len(c.problems)
    c.fields(t, where, TEMPLATE_FIELDS, TEMPLATE_REQUIRED)
    if "type" in t and t["type"] != "numeric":
        c.add(t.line_of("type"), f"{where}type", "templates are numeric questions")
    common = _common(c, t, where, topic)
    gen = None
    if "generator" in t:
        gen = generators.get(t["generator"]) if isinstance(t["generator"], str) else None
        if gen is None:
            c.add(t.line_of("generator"), f"{where}generator",
                  f"unknown generator {t['generator']!r} (known: {', '.join(generators.names())})")
    params = _params(c, t, where, gen) if "params" in t else None
    unit = c.unit(t, where)
    tol = c.tolerance(t, where)
    if len(c.problems) > n_before:
        return None
    # (None only with a problem recorded, which returned above)
    template = Template(id=t["id"], topic=topic, generator=t["generator"], params=params or (), unit=unit or "",
                        tolerance=tol or Tolerance(), source=f"{c.file}:{t.line}", **common)
    from bigmodel_quiz.bank.templates import TemplateError, check_template

    try:
        check_template(template)
    except TemplateError as exc:
        c.add(t.line_of(exc.field) if exc.field in t else t.line, f"{where}{exc.field}", exc.message)
        return None
    return template


def _params(c: _FileChecker, t: LineDict, where: str, gen) -> tuple[Param, ...] | None:  # type: ignore[no-untyped-def]
    raw = t["params"]
    if not isinstance(raw, LineDict) or not raw:
        c.add(t.line_of("params"), f"{where}params", "expected a mapping of parameter names")
        return None
    out = []
    for name, spec in raw.items():
        f = f"{where}params.{name}"
        line = raw.line_of(name)
        if gen is not None and name not in gen.params:
            c.add(line, f, f"the generator takes no parameter {name!r} (it takes {', '.join(gen.params)})")
            continue
        if not isinstance(spec, LineDict) or set(spec) - {"range", "step", "choices"} or (("range" in spec) == ("choices" in spec)):
            c.add(line, f, "expected {range: [lo, hi]} (optional step) or {choices: [...]}")
            continue
        bounds = gen.params.get(name) if gen is not None else None
        if "choices" in spec:
            ch = spec["choices"]
            if not isinstance(ch, list) or not ch:
                c.add(line, f"{f}.choices", "expected a non-empty list")
                continue
            values = ch
            param = Param(name, choices=tuple(ch))
        else:
            r, step = spec["range"], spec.get("step", 1)
            if (not isinstance(r, list) or len(r) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) for x in r)
                    or r[0] > r[1] or not isinstance(step, int) or isinstance(step, bool) or step < 1):
                c.add(line, f"{f}.range", "expected [lo, hi] integers with lo <= hi and an integer step >= 1")
                continue
            values = [r[0], r[1]]
            param = Param(name, lo=r[0], hi=r[1], step=step)
        if bounds is not None:
            lo, hi = bounds
            bad = [v for v in values if not isinstance(v, (int, float)) or isinstance(v, bool)
                   or (lo is not None and v < lo) or (hi is not None and v > hi)]
            if bad:
                c.add(line, f, f"value {bad[0]!r} out of range for the generator "
                               f"({'-inf' if lo is None else lo} to {'inf' if hi is None else hi})")
                continue
        out.append(param)
    if gen is not None:
        for name in gen.params:
            if name not in raw:
                c.add(t.line_of("params"), f"{where}params.{name}", "missing parameter the generator needs")
    return tuple(out)


def _file(path: Path, bank: Bank, seen_ids: dict[str, str], problems: list[Problem], display: str) -> None:
    c = _FileChecker(display)
    data, yproblems = read_yaml(path)
    for p in yproblems:
        c.add(p.line, p.field, p.message)
    if data is None and not yproblems:
        c.add(1, "file", "empty bank")
    if data is None:
        problems.extend(c.problems)
        return
    if not isinstance(data, LineDict):
        c.add(1, "file", f"expected a mapping with topic and questions, got {_type_name(data)}")
        problems.extend(c.problems)
        return
    c.fields(data, "", {"topic", "questions", "templates"}, {"topic"})
    topic_id = path.stem
    header = data.get("topic")
    if isinstance(header, LineDict):
        c.fields(header, "topic.", {"id", "title", "description"}, {"id", "title", "description"})
        if header.get("id") != path.stem:
            c.add(header.line_of("id"), "topic.id", f"{header.get('id')!r} must equal the file name {path.stem!r}")
        title = c.text(header, "title", "topic.") if "title" in header else None
        desc = c.text(header, "description", "topic.") if "description" in header else None
        if topic_id in bank.topics:
            c.add(header.line, "topic.id", f"topic {topic_id!r} is already defined in {bank.topics[topic_id].source}")
        elif title and desc:
            bank.topics[topic_id] = Topic(topic_id, title, desc, source=f"{display}:{header.line}")
    elif "topic" in data:
        c.add(data.line_of("topic"), "topic", "expected a mapping with id, title and description")
    for key in ("questions", "templates"):
        items = data.get(key, [])
        if items is None:
            items = []
        if not isinstance(items, list):
            c.add(data.line_of(key), key, f"expected a list, got {_type_name(items)}")
            continue
        for i, item in enumerate(items):
            obj = _question(c, item, topic_id, i) if key == "questions" else _template(c, item, topic_id, i)
            iid = item.get("id") if isinstance(item, LineDict) else None
            if isinstance(iid, str):
                if iid in seen_ids:
                    c.add(item.line_of("id"), f"{iid}.id", f"duplicate id (first defined at {seen_ids[iid]})")
                    continue
                seen_ids[iid] = f"{display}:{item.line_of('id')}"
            if isinstance(obj, Question):
                bank.questions.append(obj)
            elif isinstance(obj, Template):
                bank.templates.append(obj)
    problems.extend(c.problems)


def load(paths: list[Path] | None = None, *, base: Path | None = None) -> tuple[Bank, list[Problem]]:
    """Load every bank in ``paths`` (default: the shipped banks), with every problem found."""
    from bigmodel_quiz.paths import bank_dir

    if not paths:
        paths = [bank_dir()]
    bank = Bank()
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for f in bank_files(paths):
        display = str(f)
        if base is not None:
            try:
                display = str(f.relative_to(base))
            except ValueError:
                pass
        _file(f, bank, seen, problems, display)
    return bank, problems


def load_bank(paths: list[Path] | None = None, *, use_cache: bool = True) -> Bank:
    """Load banks for use (cached while unchanged), leaving out what has problems."""
    from bigmodel_quiz.bank import cache
    from bigmodel_quiz.paths import bank_dir, cache_dir

    paths = paths or [bank_dir()]
    key = cache.cache_key(bank_files(paths)) if use_cache else ""
    if use_cache:
        cached = cache.read(cache_dir(), key)
        if cached is not None:
            return cached
    bank, problems = load(paths)
    if not bank.questions and not bank.templates:
        raise BankError(f"no usable questions in {', '.join(str(p) for p in paths)}"
                        + (f": {problems[0]}" if problems else ""))
    if problems:
        # Questions with problems are left out; the rest stay usable.
        from bigmodel_quiz.notices import notify

        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        notify(f"left out what has problems: {problems[0]}{more}; run `quiz validate` for all")
    if use_cache and not problems:
        cache.write(cache_dir(), key, bank)
    return bank
