"""Numeric answers as people write them: ``1.2e9``, ``124M``, ``174 billion``, ``70亿``, ``14 GB``,
``10.7G``, ``3.5 TFLOPs``, ``0.742 nats``, ``34天``, ``36.79 percent``, ``百分之36.79``, ``1/e``.

Every unit belongs to a kind (count, bytes, flops, time, ratio); an answer is
converted to the question's unit before the tolerance check. Decimal and binary
byte prefixes stay distinct (1 GB = 10**9 B, 1 GiB = 2**30 B).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DEC = {"": 1.0, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
_BIN = {"Ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40, "Pi": 2.0**50}


@dataclass(frozen=True)
class Unit:
    """A unit: its kind and its size in the kind's base unit."""

    kind: str
    factor: float


def _build() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for name in ("", "params", "parameters", "param", "parameter", "tokens", "token", "steps", "step", "samples",
                 "sample", "epochs", "epoch", "GPUs", "GPU", "x", "个", "步", "轮", "个参数", "参数"):
        units[name.lower()] = Unit("count", 1.0)
    for prefix, f in _DEC.items():
        units[f"{prefix}B".lower() if prefix else "b"] = Unit("bytes", f)
        for flop in ("FLOPs", "FLOP", "FLOPS"):
            units[f"{prefix}{flop}".lower()] = Unit("flops", f)
    for prefix, f in _BIN.items():
        units[f"{prefix}B".lower()] = Unit("bytes", f)
    units["bytes"] = units["byte"] = units["字节"] = Unit("bytes", 1.0)
    for names, f in ((("ns", "纳秒"), 1e-9), (("us", "µs", "μs", "微秒"), 1e-6), (("ms", "毫秒"), 1e-3),
                     (("s", "sec", "secs", "second", "seconds", "秒"), 1.0),
                     (("min", "mins", "minute", "minutes", "分钟"), 60.0),
                     (("h", "hr", "hrs", "hour", "hours", "小时", "个小时"), 3600.0),
                     (("day", "days", "d", "天"), 86400.0), (("week", "weeks", "周"), 7 * 86400.0)):
        for name in names:
            units[name] = Unit("time", f)
    for name in ("%", "percent", "per cent", "pct"):
        units[name] = Unit("ratio", 0.01)
    for name in ("nats", "nat"):
        units[name] = Unit("nats", 1.0)
    for name in ("bits", "bit"):
        units[name] = Unit("bits", 1.0)
    return units


UNITS = _build()
# Scale words a user may attach to a number: 124M, 1.5B (billion), 174 billion, 70亿, 3万亿.
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6,
                "十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
_SCALE_LETTERS = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
_SCALE_ORDER = sorted({**_SCALE_WORDS, **_SCALE_LETTERS}, key=len, reverse=True)
_PREFIXES = ("~", "≈", "约", "大约", "approximately", "approx.", "approx", "about", "around")
_PERCENT_WORDS = ("百分之",)


# Bits with a prefix, written with a lower-case b or "bit": 14 Gb, 14Gbit, 112 Mbits (never bytes).
_PREFIXED_BITS = re.compile(r"([kKMGTPE])(i?)(?:b|bits?)")


def _prefixed_bits(rest: str) -> Unit | None:
    m = _PREFIXED_BITS.fullmatch(rest.replace(" ", ""))
    if m is None:
        return None
    prefix = m.group(1).upper()
    return Unit("bits", _BIN[prefix + "i"] if m.group(2) else _DEC[prefix])


class Hint(ValueError):
    """A one-line hint about an answer, in English (``str``) and Chinese (``zh``)."""

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.zh = zh or en

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)


class AnswerFormatError(Hint):
    """The text could not be read as a number in a unit of the expected kind."""


# How a Chinese answer names the units banks use (symbols such as GB, ms, % stay as they are).
_ZH_NAMES = {"params": "个参数", "parameters": "个参数", "param": "个参数", "parameter": "个参数",
             "tokens": "个 token", "token": "个 token", "steps": "步", "step": "步", "samples": "个样本",
             "sample": "个样本", "epochs": "轮", "epoch": "轮", "GPUs": "块 GPU", "GPU": "块 GPU",
             "days": "天", "day": "天", "hours": "小时", "hour": "小时", "minutes": "分钟", "seconds": "秒",
             "s": "秒", "weeks": "周", "bits": "比特", "bit": "比特", "bytes": "字节", "nats": "奈特"}


def unit_label(unit: str, lang: str) -> str:
    """``unit`` as an answer in ``lang`` names it: ``params`` is ``个参数`` in Chinese."""
    return _ZH_NAMES.get(unit, unit) if lang == "zh" else unit


def known_unit(name: str) -> bool:
    """Whether a bank may use ``name`` as a question's unit."""
    return name.lower() in UNITS


def _unit_of(rest: str, target: Unit, unit: str) -> tuple[float, Unit | None]:
    """A scale and a unit read from the words after a number (``M params``, ``billion``, ``亿``, ``G``)."""
    bits = _prefixed_bits(rest)
    if bits is not None:
        return 1.0, bits
    key = rest.replace(" ", "").lower()
    counting = target.kind not in ("bytes", "flops", "time")
    if counting and key in _SCALE_LETTERS:  # "1.5B" params is a billion, not bytes
        return _SCALE_LETTERS[key], UNITS[""]
    if key in UNITS:
        return 1.0, UNITS[key]
    if target.kind in ("bytes", "flops") and key in ("k", "m", "g", "t", "p", "ki", "mi", "gi", "ti", "pi"):
        # "10.7G" on a GB question: the prefix alone, in the question's own family
        binary = "i" in key or (target.kind == "bytes" and "i" in unit.lower())
        name = key[0] + ("i" if binary else "") + ("b" if target.kind == "bytes" else "flops")
        return 1.0, UNITS.get(name)
    scale = 1.0
    while key:
        if key in UNITS:
            return scale, UNITS[key]
        word = next((w for w in _SCALE_ORDER if key.startswith(w) and (counting or w not in _SCALE_LETTERS)), None)
        if word is None:
            return scale, None
        scale *= _SCALE_WORDS.get(word) or _SCALE_LETTERS[word]
        key = key[len(word):]
    return scale, UNITS[""]


def parse_quantity(text: str, unit: str = "") -> float:
    """Read ``text`` as a value expressed in ``unit`` (converting compatible units).

    Full-width characters, ``~``/``≈``/``约`` and end punctuation are ignored; the number may
    be a little arithmetic (``1/e``, ``2^30``, ``1.2×10^9``, ``exp(2.3)``), followed by scale
    words (``M``, ``billion``, ``万``, ``亿``) and a unit in English or Chinese.
    """
    from bigmodel_quiz.bank.numread import NotANumber, read_number

    target = UNITS.get(unit.lower())
    if target is None:
        raise AnswerFormatError(f"unknown unit {unit!r}", f"未知单位 {unit!r}")
    text = unicodedata.normalize("NFKC", text).strip().rstrip(".。!！")
    for prefix in _PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix):].strip()
    percent = text.startswith(_PERCENT_WORDS)
    if percent:
        text = text[len("百分之"):]
    try:
        value, rest = read_number(text)
    except (NotANumber, IndexError):
        raise AnswerFormatError("expected a number", "需要一个数") from None
    if rest[:1] in {",", ".", "_"} or rest[:1].isdigit():
        raise AnswerFormatError(f"cannot read {text!r} as a number", f"无法把 {text!r} 读成一个数")
    if percent:
        if rest:
            raise AnswerFormatError(f"cannot read {text!r} as a percentage", f"无法把 {text!r} 读成百分数")
        rest = "%"
    if not rest:
        return value
    scale, got = _unit_of(rest, target, unit)
    if got is None:
        raise AnswerFormatError(f"unknown unit {rest!r}" + (f"; answer in {unit}" if unit else ""),
                                f"未知单位 {rest!r}" + (f"；请以 {unit} 作答" if unit else ""))
    value *= scale
    if unit == "":
        # a plain-number question: a label naming what is counted is fine, "36.8 %" is 0.368
        if got.kind == "ratio":
            return value * got.factor
        if got.kind in ("count", "nats", "bits"):
            return value * got.factor
    if got.kind == "bits" and target.kind == "bytes":
        raise AnswerFormatError(f"{rest!r} is bits, not bytes (b = bit, B = byte); answer in {unit}",
                                f"{rest!r} 是比特而不是字节（b 为比特，B 为字节）；请以 {unit} 作答")
    if got.kind != target.kind:
        want = unit or "a plain number"
        raise AnswerFormatError(f"{rest!r} is not a unit of the same kind as {want}",
                                f"{rest!r} 与 {unit or '纯数字'} 不是同一类单位")
    return value * got.factor / target.factor
