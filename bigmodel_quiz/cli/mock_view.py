"""``quiz start --mode mock``: the countdown terminal, the line mode, and the report."""

from __future__ import annotations

import math
import os
import sys
import time
from typing import Callable

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bigmodel_quiz.bank.answers import Unparsable, Verdict, parse_rating
from bigmodel_quiz.bank.loader import LETTERS
from bigmodel_quiz.bank.model import QType, Question
from bigmodel_quiz.mock import MockReport, Signal
from bigmodel_quiz.session.runner import QUIT_WORDS
from bigmodel_quiz.cli.cjk_wrap import markdown
from bigmodel_quiz.cli.session_view import colon, progress_tags, unit_line
from bigmodel_quiz.cli.messages import MOCK

# The interview's clock; tests swap it to run out mid-question.
CLOCK: Callable[[], float] = time.monotonic


def clock_text(seconds: float) -> str:
    """``12:05`` (or ``1:02:05`` past an hour), rounded up so 0:00 means the end."""
    s = max(0, int(-(-seconds // 1)))
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60:02d}:{rest % 60:02d}"


class _MockScreen:
    """Shared rendering of the question panel and messages."""

    def __init__(self, console: Console, lang: str, clock: Callable[[], float]) -> None:
        self.console = console
        self.lang = lang
        self.labels = MOCK[lang]
        self.clock = clock
        self.topics: dict | None = None  # the bank's topics, for their titles in the progress line

    def show_question(self, q: Question, index: int, total: int, remaining_s: float) -> None:
        body: list = [markdown(q.text("prompt", self.lang))]
        if q.choices:
            grid = Table.grid(padding=(0, 1))
            for i in range(len(q.choices)):
                grid.add_row(Text(f"{LETTERS[i]}.", style="bold"), markdown(q.choice_text(i, self.lang)))
            body += [Text(""), grid]
        if q.type is QType.NUMERIC and q.unit:
            body.append(unit_line(q.unit, self.lang))
        head = Text.assemble(f"{index + 1}/{total}  ", (f"⏱ {clock_text(remaining_s)} {self.labels['left']}", "bold"),
                             (f"  {progress_tags(q, self.lang, self.topics)}", "dim"))
        self.console.print(head)
        self.console.print(Panel(Group(*body), title=q.id, title_align="left"))

    def prompt(self, q: Question, remaining_s: float) -> str:
        return f"[{clock_text(remaining_s)}] " + self.labels["ask"].format(hint=self.labels["hints"][q.type.value])

    def show_hint(self, hint: Unparsable) -> None:
        self.console.print(Text(f"  ↳ {hint.text(self.lang)}", style="yellow"))

    def show_time_up(self) -> None:
        self.console.print(Text(self.labels["time_up"], style="bold red"))

    def rate_short(self, q: Question, verdict: Verdict) -> int | None:
        """Key points and model answer, then the user's rating (the clock is stopped meanwhile)."""
        from bigmodel_quiz.cli.messages import SESSION
        from bigmodel_quiz.cli.session_view import key_points

        labels = SESSION[self.lang]
        self.console.print(Panel(Group(*key_points(q, verdict, self.lang)), title=labels["key_points"],
                                 title_align="left", border_style="cyan"))
        while True:
            line = self.read_line(labels["rate"])
            if line is None or line.strip().lower() in QUIT_WORDS:
                return None
            rating = parse_rating(line)
            if rating is not None:
                return rating
            self.show_hint(Unparsable(SESSION["en"]["rate_again"], SESSION["zh"]["rate_again"]))

    def read_line(self, prompt: str) -> str | None:
        """One line with no deadline; None at end of input."""
        try:
            return self.console.input(prompt)
        except EOFError:
            return None


class LineMockIO(_MockScreen):
    """Piped input, one answer per line; the deadline closes a question even while waiting."""

    def __init__(self, console: Console, lang: str, clock: Callable[[], float]) -> None:
        super().__init__(console, lang, clock)
        self._buf = b""
        try:
            self._fd: int | None = sys.stdin.fileno() if os.name == "posix" else None
        except (AttributeError, OSError, ValueError):
            self._fd = None  # an in-memory stdin (tests): read lines, check the clock afterwards

    def ask(self, q: Question, deadline: float) -> str | None | Signal:
        self.console.print(self.prompt(q, deadline - self.clock()), end="", markup=False)
        line = self._line(deadline) if self._fd is not None else (sys.stdin.readline() or None)
        if line is Signal.TIME_UP or line is None:
            self.console.print("")
            return line
        line = line.rstrip("\r\n")
        self.console.print(line, markup=False, highlight=False)
        return line

    def read_line(self, prompt: str) -> str | None:
        self.console.print(prompt, end="", markup=False)
        line = self._line(math.inf) if self._fd is not None else (sys.stdin.readline() or None)
        if not isinstance(line, str):
            self.console.print("")
            return None
        line = line.rstrip("\r\n")
        self.console.print(line, markup=False, highlight=False)
        return line

    def _line(self, deadline: float) -> str | None | Signal:
        import select

        assert self._fd is not None
        while b"\n" not in self._buf:
            remaining = deadline - self.clock()
            if remaining <= 0:
                return Signal.TIME_UP
            ready, _, _ = select.select([self._fd], [], [], min(remaining, 1.0))
            if not ready:
                continue
            data = os.read(self._fd, 4096)
            if not data:
                rest, self._buf = self._buf, b""
                return rest.decode("utf-8", "replace") if rest else None
            self._buf += data
        line, self._buf = self._buf.split(b"\n", 1)
        return line.decode("utf-8", "replace")


class TerminalMockIO(_MockScreen):
    """A real terminal: the prompt carries a countdown redrawn every second while you type."""

    def ask(self, q: Question, deadline: float) -> str | None | Signal:
        import codecs
        import select
        import termios

        fd = sys.stdin.fileno()
        out = self.console.file
        old = termios.tcgetattr(fd)
        new = termios.tcgetattr(fd)
        new[3] &= ~(termios.ICANON | termios.ECHO)  # keep ISIG: Ctrl-C still interrupts
        new[6][termios.VMIN], new[6][termios.VTIME] = 1, 0
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        buf: list[str] = []
        self._rows_up = 0
        shown = None
        escape = False
        termios.tcsetattr(fd, termios.TCSADRAIN, new)
        try:
            while True:
                remaining = deadline - self.clock()
                if remaining <= 0:
                    out.write("\n")
                    out.flush()
                    return Signal.TIME_UP
                view = (clock_text(remaining), len(buf), "".join(buf))
                if view != shown:
                    self._draw(self.prompt(q, remaining) + "".join(buf))
                    shown = view
                ready, _, _ = select.select([fd], [], [], min(remaining, 0.25))
                if not ready:
                    continue
                data = os.read(fd, 1024)
                if not data:
                    return None
                for ch in decoder.decode(data):
                    if escape:  # skip the rest of an arrow-key sequence
                        escape = not (ch.isalpha() or ch == "~")
                    elif ch == "\x1b":
                        escape = True
                    elif ch in "\r\n":
                        out.write("\n")
                        out.flush()
                        return "".join(buf)
                    elif ch in "\x7f\b":
                        if buf:
                            buf.pop()
                    elif ch == "\x04":
                        if not buf:
                            out.write("\n")
                            return None
                    elif ch == "\x15":
                        buf.clear()
                    elif ch == "\x17":
                        text = "".join(buf).rstrip()
                        buf[:] = list(text[: text.rfind(" ") + 1] if " " in text else "")
                    elif ch == "\t" or ch.isprintable():
                        buf.append(" " if ch == "\t" else ch)
        except KeyboardInterrupt:
            out.write("\n")  # leave the half-typed line; the report starts on its own line
            raise
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)

    def _draw(self, line: str) -> None:
        from rich.cells import cell_len

        out = self.console.file
        width = max(10, self.console.width)
        up = f"\x1b[{self._rows_up}A" if self._rows_up else ""
        out.write(f"\r{up}\x1b[J{line}")
        out.flush()
        length = cell_len(line)
        self._rows_up = (length - 1) // width if length else 0


def _io(console: Console, lang: str, clock: Callable[[], float]) -> "LineMockIO | TerminalMockIO":
    if sys.stdin.isatty() and console.is_terminal and os.name == "posix":
        return TerminalMockIO(console, lang, clock)
    return LineMockIO(console, lang, clock)


def show_interview(console: Console, questions: list[Question], lang: str, *, minutes: float | None = None,
                   topics: dict | None = None) -> None:
    """Run a timed mock interview on this terminal, then show its report (stored by the core)."""
    from bigmodel_quiz import mock

    questions, minutes = mock.plan_interview(questions, minutes)
    labels = MOCK[lang]
    console.print(Text(labels["intro"].format(n=len(questions), s="" if len(questions) == 1 else "s",
                                                         m=clock_text(minutes * 60)), style="bold"))
    io = _io(console, lang, CLOCK)
    io.topics = topics
    report = mock.conduct_interview(questions, io, minutes=minutes, clock=CLOCK)
    render_mock_report(console, report, lang, saved=bool(report.items))


def render_mock_report(console: Console, report: MockReport, lang: str, *, saved: bool = True) -> None:
    """Score per topic, time per question, every miss with its answer, and the study plan."""
    labels = MOCK[lang]
    if not report.items:
        console.print(labels["nothing"])
        return
    head = [labels["score"].format(right=report.right, asked=len(report.items)),
            labels["used"].format(used=clock_text(report.used_s), total=clock_text(report.minutes * 60))]
    if report.not_reached:
        head.append(labels["not_reached"].format(n=report.not_reached))
    if report.stopped:
        head.append(labels["stopped"])
    console.print(Panel(Text(" · ".join(head)), title=f"{labels['report']} {report.session_id}",
                        title_align="left", box=box.DOUBLE))

    topics = Table(title=labels["by_topic"], box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for col in ("topic", "asked", "right", "percent"):
        topics.add_column(labels[col], justify="left" if col == "topic" else "right")
    from bigmodel_quiz.cli.topics_view import topic_name, topic_titles

    titles = topic_titles(lang) if report.topics or report.items else {}
    for s in report.topics:
        topics.add_row(topic_name(s.name, lang, titles), str(s.asked), str(s.right), f"{s.ratio:.0%}")
    console.print(topics)

    times = Table(title=labels["times"], box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    times.add_column("#", justify="right")
    times.add_column(labels["question"], overflow="fold")
    times.add_column(labels["result"], no_wrap=True)
    times.add_column(labels["time"], justify="right", no_wrap=True)
    for n, item in enumerate(report.items, 1):
        style = "green" if not item.missed else "red"
        shown = {"RIGHT": labels["RIGHT"], "WRONG": labels["WRONG"], "TIMEOUT": labels["TIMEOUT"]}[item.status.name]
        topic = topic_name(item.topic, lang, titles)
        times.add_row(str(n), f"{item.question_id}（{topic}）" if lang == "zh" else f"{item.question_id} ({topic})",
                      Text(shown, style=style), labels["seconds"].format(n=f"{item.seconds:.0f}"))
    console.print(times)

    c = colon(lang)
    for item in (i for i in report.items if i.missed):
        parts: list = [markdown(item.prompt.get(lang) or item.prompt.get("en", "")), Text("")]
        given = item.given
        if item.qtype == "truefalse":
            given = labels["truefalse"].get(given, given)
        parts.append(Text.assemble((f"{labels['yours']}{c}", "bold"), given or labels["none"]))
        parts.append(Text.assemble((f"{labels['answer']}{c}", "bold"),
                                   item.right_answer.get(lang) or item.right_answer.get("en", "")))
        parts += [Text(""), markdown(item.explanation.get(lang) or item.explanation.get("en", "")), Text("")]
        parts.append(Text(f"{labels['source']}{c}" + "; ".join(item.references), style="dim"))
        console.print(Panel(Group(*parts), title=f"✗ {labels['missed']}{c}{item.question_id}", title_align="left",
                            border_style="red"))

    plan = report.plan
    lines: list = []
    if plan.weakest_tags:
        tags = ", ".join(f"{s.name} ({s.right}/{s.asked})" for s in plan.weakest_tags)
        lines.append(Text.assemble((f"{labels['weak_tags']}{c}", "bold"), tags))
    if plan.topics:
        lines.append(Text(f"{labels['topics']}{c}", style="bold"))
        # one command a line, never split: the two commands of a long topic id do not fit 80 columns together
        for t in plan.topics:
            lines += [Text(f"  quiz review --topic {t}", no_wrap=True), Text(f"  quiz start --topic {t}", no_wrap=True)]
    if plan.exercises:
        lines.append(Text(f"{labels['exercises']}{c}", style="bold"))
        lines += [Text(f"  quiz exercise show {e}", no_wrap=True) for e in plan.exercises]
    if not lines:
        lines.append(Text(labels["all_right"]))
    console.print(Panel(Group(*lines), title=labels["plan"], title_align="left"))
    if saved:
        console.print(labels["saved"].format(id=report.session_id))
