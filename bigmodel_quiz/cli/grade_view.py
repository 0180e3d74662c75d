"""Rich renderings of grades and exercises (text built with ``Text``: user output is never markup)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.text import Text
from bigmodel_quiz.cli.messages import EXERCISES, GRADE, GradeText, translate_grade

if TYPE_CHECKING:
    from bigmodel_quiz.exercises.catalog import Exercise
    from bigmodel_quiz.grader.report import GradeReport
    from bigmodel_quiz.grader.sandbox import Output

_MARK = {"passed": ("✓", "green"), "failed": ("✗", "red"), "not-run": ("·", "dim")}
# The frame of a report; what a case says (diffs, diagnoses, tracebacks) stays as the grader wrote it.
_STATUS_STYLE = {"passed": "bold green", "failed": "bold red", "error": "bold red"}


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f, *range(0x80, 0xa0)]}
_CONTROL.update({c: f"\\u{c:04x}" for c in [0x061c, 0x200e, 0x200f, *range(0x202a, 0x202f), *range(0x2066, 0x206a)]})


def visible(text: str) -> str:
    """``text`` with control characters (escape sequences, carriage returns, bidi overrides) written out as escapes.

    What the submission printed or raised reaches the terminal only this way: no
    escape sequence can clear the screen, set the clipboard or draw a fake verdict.
    """
    return text.translate(_CONTROL)


def _wrap(text: str, indent: int, width: int) -> str:
    """Hard-wrap each line to ``width``, continuation lines keeping the line's own indentation."""
    import textwrap

    out: list[str] = []
    for line in text.rstrip("\n").split("\n"):
        lead = " " * (indent + len(line) - len(line.lstrip(" ")))
        room = max(20, width - len(lead))
        chunks = textwrap.wrap(line.strip(" "), room, break_long_words=True, break_on_hyphens=False) or [""]
        out.extend(lead + chunk for chunk in chunks)
    return "\n".join(out)


def _indented(text: str, indent: int = 4, style: str = "", width: int = 80) -> Text:
    return Text(_wrap(visible(text), indent, width), style=style, no_wrap=True, overflow="ignore")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def _output_block(name: str, output: "Output | None", width: int, labels: GradeText) -> list[RenderableType]:
    if output is None or not output.size:
        return []
    head = Text(labels["output"].format(name=name), style="bold")
    if output.truncated:
        head.append(f" ({labels['truncated'].format(size=_size(output.size))})", style="yellow")
    return [head, _indented(output.text, 2, "dim", width)]


def watch_line(shown_file: str, lang: str, graded_at: str | None = None) -> Text:
    """The line under a report in watch mode."""
    labels = GRADE[lang]
    text = labels["watching"].format(file=shown_file, time=graded_at) if graded_at else labels["waiting"].format(file=shown_file)
    return Text(text, style="dim")


def render_grade_report(console: Console, report: "GradeReport", shown_file: str, lang: str = "en") -> None:
    """A line per case, the captured output, how to reproduce, and a summary line."""
    labels = GRADE[lang]
    width = console.width
    parts: list[RenderableType] = []
    title = Text(report.exercise, style="bold")
    name = report.titles.get(lang) or report.titles.get("en")
    if name:
        title.append(f" · {name}")
    title.append(f" · {report.device}", style="dim")
    parts.append(title)
    if report.error is not None:
        kind = labels["kinds"].get(report.error.kind.value, report.error.kind.value)
        c = ": " if lang == "en" else "："
        message = translate_grade(visible(report.error.message), lang)
        line = _indented(f"✗ {kind}{c}{message}", 2, "", width)
        line.stylize("bold red", 2, 3 + len(kind) + len(c))
        line.stylize("red", 2, 3)
        parts.append(line)
        if report.error.detail and report.error.detail.strip() != report.error.message.strip():
            parts.append(_indented(report.error.detail, 4, "", width))
    not_run = [c for c in report.cases if c.status.value == "not-run"]
    previous_message = None
    for case in report.cases:
        if case.status.value == "not-run":
            continue
        mark, style = _MARK[case.status.value]
        line = Text(f"  {mark} ", style=style)
        line.append(visible(case.name))
        if case.seed is not None and case.status.value == "failed":
            line.append(labels["seed"].format(seed=case.seed), style="dim")
        parts.append(line)
        if case.message:
            if case.note and case.note not in case.message:
                parts.append(_indented(case.note, 4, "dim italic", width))
            if case.inputs:
                parts.append(_indented(labels["inputs"].format(inputs=case.inputs), 4, "dim", width))
            if case.message == previous_message and "\n" in case.message:
                # A starter's NotImplementedError fails every case the same way: say it once.
                parts.append(_indented(labels["same"], 4, "dim", width))
            else:
                parts.append(_indented(translate_grade(case.message, lang), 4, "", width))
        previous_message = case.message
    if not_run:
        why = translate_grade(not_run[0].message.removeprefix("not run: "), lang)
        parts.append(Text("  · " + labels["not_run"].format(n=len(not_run), why=visible(why)), style="dim"))
    parts.extend(_output_block("stdout", report.stdout, width, labels))
    parts.extend(_output_block("stderr", report.stderr, width, labels))
    for notice in report.notices:
        parts.append(Text(f"{labels['note']}{visible(notice)}", style="yellow"))
    if any(c.seed is not None for c in report.cases) or report.error is None:
        parts.append(Text(labels["reproduce"].format(seed=report.seed, file=shown_file), style="dim"))
    status = report.status.value
    summary = Text(labels["status"][status], style=_STATUS_STYLE[status])
    if report.error is not None:
        summary.append(labels["error_line"].format(kind=labels["kinds"].get(report.error.kind.value, report.error.kind.value)))
    summary.append(" · " + labels["summary"].format(passed=report.passed, total=report.total, seconds=report.duration_s))
    parts.append(summary)
    console.print(Group(*parts))


def render_exercise_list(console: Console, rows: list[dict[str, str]], lang: str) -> None:
    """The exercises grouped by topic, with the user's status (fits 80 columns)."""
    from rich import box
    from rich.table import Table

    t = EXERCISES[lang]
    table = Table(title=t["title"], box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column(t["exercise"], no_wrap=True)
    table.add_column(t["kind"], no_wrap=True)
    table.add_column(t["name"])
    table.add_column(t["status"], no_wrap=True)
    styles = {"passed": "green", "failed": "red", "not-tried": "dim"}
    shown = t["statuses"]
    from bigmodel_quiz.exercises.catalog import bank_topic

    from bigmodel_quiz.cli.topics_view import topic_name, topic_titles

    titles = topic_titles(lang)
    for topic in sorted({bank_topic(row["topic"]) for row in rows}):  # grouped under the bank's topics
        table.add_row(Text(topic_name(topic, lang, titles), style="bold"))
        for row in (r for r in rows if bank_topic(r["topic"]) == topic):
            status = row["status"]
            table.add_row(f"  {row['id']}", row["kind"], row["title"],
                          Text(shown.get(status, status), style=styles.get(status, "")))
    console.print(table)


def render_exercise(console: Console, exercise: "Exercise", lang: str, hints: int) -> None:
    """Statement, signature, edge cases and the first ``hints`` hints."""
    from rich.rule import Rule
    from rich.syntax import Syntax

    from bigmodel_quiz.cli.cjk_wrap import markdown

    t = EXERCISES[lang]
    console.print(Rule(Text(f"{exercise.id} · {exercise.text('title', lang)}", style="bold")))
    from bigmodel_quiz.cli.session_view import colon
    from bigmodel_quiz.cli.topics_view import topic_name, topic_titles
    from bigmodel_quiz.exercises.catalog import bank_topic

    c = colon(lang)
    topic = topic_name(bank_topic(exercise.topic), lang, topic_titles(lang)) if lang != "en" else exercise.topic
    console.print(Text(f"{t['topic']}{c}{topic} · {t['kind']}{c}{exercise.kind}", style="dim"))
    console.print(Syntax(exercise.signature, "python", theme="ansi_dark", word_wrap=True, background_color="default"))
    console.print(markdown(exercise.text("statement", lang)))
    edges = exercise.edge_cases.get(lang) or exercise.edge_cases.get("en") or ()
    if edges:
        console.print(Text(t["edge_cases"], style="bold"))
        for edge in edges:
            console.print(Text(f"  • {edge}"))
    shown = min(hints, len(exercise.hints))
    for i in range(shown):
        hint = exercise.hints[i].get(lang) or exercise.hints[i]["en"]
        console.print(Text(t["hint"].format(i=i + 1, n=len(exercise.hints)), style="bold yellow"))
        console.print(markdown(hint))
    if shown < len(exercise.hints):
        more = f"quiz exercise show {exercise.id} --hint {shown + 1}"
        console.print(Text(t["more_hints"].format(n=len(exercise.hints) - shown, command=more), style="dim"))
    elif hints > len(exercise.hints):
        console.print(Text(t["last_hint"], style="dim"))
    console.print(Text(f"{t['start']}{c}quiz exercise init {exercise.id}", style="dim"))
