"""Numeric answers with units: ``1.2e9``, ``124M``, ``1.5B``, ``14 GB``, ``14GiB``, ``3.5 TFLOPs``.

Every unit belongs to a kind (count, bytes, flops, time, ratio); an answer is
converted to the question's unit before the tolerance check. Decimal and binary
byte prefixes stay distinct (1 GB = 10**9 B, 1 GiB = 2**30 B).
"""

from __future__ import annotations

import re
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
    for name in ("", "params", "parameters", "tokens", "steps", "samples", "GPUs", "GPU", "x"):
        units[name.lower()] = Unit("count", 1.0)
    for prefix, f in _DEC.items():
        units[f"{prefix}B".lower() if prefix else "b"] = Unit("bytes", f)
        for flop in ("FLOPs", "FLOP", "FLOPS"):
            units[f"{prefix}{flop}".lower()] = Unit("flops", f)
    for prefix, f in _BIN.items():
        units[f"{prefix}B".lower()] = Unit("bytes", f)
    units["bytes"] = Unit("bytes", 1.0)
    for name, f in {"ms": 1e-3, "s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0, "hours": 3600.0,
                    "day": 86400.0, "days": 86400.0}.items():
        units[name] = Unit("time", f)
    units["%"] = Unit("ratio", 0.01)
    return units


UNITS = _build()
# Count suffixes a user may attach to a plain number: 124M, 1.5B (billion), 2T.
_COUNT_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "g": 1e9, "t": 1e12}

_NUMBER = re.compile(r"^\s*([-+]?(?:\d[\d,_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
# "1.2×10^9", "1.2*10**9", "1.2·10^9" are scientific notation; "2^30" and "2**-20" are powers.
_TIMES_TEN = re.compile(r"\s*(?:[x×*·]\s*)10\s*(?:\^|\*\*)\s*(?=[-+]?\d)")
_POWER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:\^|\*\*)\s*([-+]?\d+)\s*(.*?)\s*$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?([eE][-+]?\d+)?$")


class Hint(ValueError):
    """A one-line hint about an answer, in English (``str``) and Chinese (``zh``)."""

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.zh = zh or en

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)


class AnswerFormatError(Hint):
    """The text could not be read as a number in a unit of the expected kind."""


def known_unit(name: str) -> bool:
    """Whether a bank may use ``name`` as a question's unit."""
    return name.lower() in UNITS


def unit_kind(name: str) -> str:
    """The kind of a known unit (count, bytes, flops, time, ratio)."""
    return UNITS[name.lower()].kind


def _number(text: str) -> float:
    if "," in text and not _THOUSANDS.match(text):
        raise AnswerFormatError(f"cannot read {text!r} as a number", f"无法把 {text!r} 读成一个数")
    return float(text.replace(",", "").replace("_", ""))


def parse_quantity(text: str, unit: str = "") -> float:
    """Read ``text`` as a value expressed in ``unit`` (converting compatible units)."""
    target = UNITS.get(unit.lower())
    if target is None:
        raise AnswerFormatError(f"unknown unit {unit!r}", f"未知单位 {unit!r}")
    # "~14 GB", "≈14GB", "14 GB." read as 14 GB: the tolerance already says how close it must be
    text = _TIMES_TEN.sub("e", text.strip().lstrip("~≈").rstrip(".。!！"))
    power = _POWER.match(text)
    if power:
        try:
            value = float(power.group(1)) ** int(power.group(2))
        except (OverflowError, ZeroDivisionError):
            raise AnswerFormatError(f"{text.strip()!r} is out of range", f"{text.strip()!r} 超出范围") from None
        rest = power.group(3).replace(" ", "")
    else:
        m = _NUMBER.match(text)
        if not m:
            raise AnswerFormatError("expected a number", "需要一个数")
        value = _number(m.group(1))
        rest = m.group(2).replace(" ", "")
    if not rest:
        return value
    if target.kind == "ratio" and rest == "%":
        return value
    if target.kind != "bytes" and rest.lower() in _COUNT_SUFFIX and target.kind in ("count", "ratio"):
        return value * _COUNT_SUFFIX[rest.lower()] / target.factor
    got = UNITS.get(rest.lower())
    if got is None and target.kind == "flops" and rest.lower().endswith("/s"):
        got = UNITS.get(rest[:-2].lower())
    if got is None and target.kind == "count":
        # "124M params": a count suffix followed by the question's own unit word
        for suffix, mult in _COUNT_SUFFIX.items():
            if rest.lower().startswith(suffix) and rest[len(suffix):].lower() in UNITS:
                inner = UNITS[rest[len(suffix):].lower()]
                if inner.kind == "count":
                    return value * mult
    if got is None:
        raise AnswerFormatError(f"unknown unit {rest!r}" + (f"; answer in {unit}" if unit else ""),
                                f"未知单位 {rest!r}" + (f"；请以 {unit} 作答" if unit else ""))
    if got.kind != target.kind:
        want = unit or "a plain number"
        raise AnswerFormatError(f"{rest!r} is not a unit of the same kind as {want}",
                                f"{rest!r} 与 {unit or '纯数字'} 不是同一类单位")
    return value * got.factor / target.factor
