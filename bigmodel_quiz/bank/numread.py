"""A small, safe reader of the arithmetic people type as a number: ``1/e``, ``2^30``, ``1.2×10^9``, ``exp(2.3)``.

Numbers (``124,439,808``, ``1.2e9``, ``.5``), ``+ - * / × ÷ · ^ **``, brackets, the
constants ``e`` and ``pi``/``π`` and a few functions (``exp ln log log2 log10 sqrt``).
It never evaluates text as Python: a recursive-descent parser over a token list,
bounded in length. Reading stops at the first word that is not part of the
arithmetic, so ``1/e nats`` or ``2^30 B`` leave the unit behind for the caller.
"""

from __future__ import annotations

import math
import re

MAX_TOKENS = 64

_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:\.\d*)?(?![\d,])"
                     r"|\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][-+]?\d+)?(?![\d,])"
                     r"|(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_OPS = ("**", "^", "*", "×", "·", "⋅", "÷", "/", "+", "-", "(", ")", "x")
_WORD = re.compile(r"[A-Za-zπ_][A-Za-z0-9_]*")
CONSTANTS = {"e": math.e, "pi": math.pi, "π": math.pi}
FUNCTIONS = {"exp": math.exp, "ln": math.log, "log": math.log, "log2": math.log2, "log10": math.log10,
             "sqrt": math.sqrt}


class NotANumber(ValueError):
    """The text does not start with something readable as a number."""


def _tokens(text: str) -> list[tuple[str, object, int]]:
    """(kind, value, offset) tokens of the leading arithmetic; a final ("rest", text, offset)."""
    out: list[tuple[str, object, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        m = _NUMBER.match(text, i)
        if m:
            out.append(("num", float(re.sub(r"[,_\s]", "", m.group())), i))
            i = m.end()
            continue
        op = next((o for o in _OPS if text.startswith(o, i)), None)
        if op == "x":
            # "x" multiplies only between numbers ("1.2x10^9"); otherwise it is a word (the unit "x")
            j = i + 1
            while j < len(text) and text[j].isspace():
                j += 1
            if not (out and out[-1][0] in ("num", "close") and j < len(text) and (text[j].isdigit() or text[j] == "(")):
                op = None
        if op:
            out.append(("close" if op == ")" else "op", op, i))
            i += len(op)
            continue
        w = _WORD.match(text, i)
        if w and (w.group().lower() in CONSTANTS or w.group().lower() in FUNCTIONS):
            out.append(("word", w.group().lower(), i))
            i = w.end()
            continue
        break
    out.append(("rest", text[i:], i))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, object, int]]) -> None:
        self.t = tokens
        self.i = 0

    def peek(self) -> tuple[str, object, int]:
        return self.t[self.i]

    def take(self) -> tuple[str, object, int]:
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expr(self) -> float:
        value = self.term()
        while self.peek()[:2] in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            if not self._operand_follows():
                self.i -= 1
                break
            value = value + self.term() if op == "+" else value - self.term()
        return value

    def term(self) -> float:
        value = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "×", "·", "⋅", "/", "÷", "x"):
            op = self.take()[1]
            if not self._operand_follows():
                self.i -= 1
                break
            rhs = self.unary()
            if op in ("/", "÷"):
                if rhs == 0:
                    raise NotANumber("division by zero")
                value /= rhs
            else:
                value *= rhs
        return value

    def unary(self) -> float:
        if self.peek()[:2] in (("op", "-"), ("op", "+")):
            sign = -1.0 if self.take()[1] == "-" else 1.0
            return sign * self.unary()
        return self.power()

    def power(self) -> float:
        base = self.atom()
        if self.peek()[:2] in (("op", "^"), ("op", "**")):
            self.take()
            exponent = self.unary()  # right-associative; "2^-20" allowed
            try:
                return math.pow(base, exponent)
            except (OverflowError, ValueError):
                raise NotANumber("out of range") from None
        return base

    def atom(self) -> float:
        kind, value, _ = self.take()
        if kind == "num":
            return float(value)  # type: ignore[arg-type]
        if kind == "word" and value in FUNCTIONS:
            if self.peek()[:2] != ("op", "("):
                raise NotANumber(f"{value} needs brackets")
            arg = self.atom()
            try:
                return FUNCTIONS[value](arg)  # type: ignore[index]
            except (OverflowError, ValueError):
                raise NotANumber("out of range") from None
        if kind == "word":
            return CONSTANTS[value]  # type: ignore[index]
        if (kind, value) == ("op", "("):
            inner = self.expr()
            if self.take()[0] != "close":
                raise NotANumber("unbalanced brackets")
            return inner
        raise NotANumber("expected a number")

    def _operand_follows(self) -> bool:
        kind, value, _ = self.peek()
        return kind in ("num", "word") or (kind, value) in (("op", "("), ("op", "-"), ("op", "+"))


def read_number(text: str) -> tuple[float, str]:
    """The value of the leading arithmetic in ``text`` and the text after it (a unit, usually)."""
    tokens = _tokens(text)
    if len(tokens) > MAX_TOKENS:
        raise NotANumber("too long")
    parser = _Parser(tokens)
    value = parser.expr()
    kind, rest, offset = parser.peek()
    if kind != "rest":
        rest = text[offset:]
    if not math.isfinite(value):
        raise NotANumber("out of range")
    return value, str(rest).strip()
