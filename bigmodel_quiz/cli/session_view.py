"""The Rich terminal side of a quiz session (and its plain line mode when piped)."""

from __future__ import annotations

import sys

from rich.console import Console, Group
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from bigmodel_quiz.bank.answers import RATINGS, Unparsable, Verdict, answer_text, parse_rating
from bigmodel_quiz.bank.loader import LETTERS
from bigmodel_quiz.bank.model import QType, Question
from bigmodel_quiz.session.runner import Summary
from bigmodel_quiz.cli.cjk_wrap import markdown
from bigmodel_quiz.cli.messages import SESSION


TYPE_NAMES = {"zh": {"single": "单选", "multi": "多选", "truefalse": "判断", "numeric": "数值", "short": "简答"}}
DIFFICULTY_NAMES = {"zh": {"easy": "简单", "medium": "中等", "hard": "困难"}}


def progress_tags(q: Question, lang: str, topics: dict | None = None) -> str:
    """``topic · type · difficulty`` in the session's language (the topic's title when known)."""
    topic = topics.get(q.topic) if topics else None
    name = (topic.title.get(lang) or q.topic) if topic is not None and lang != "en" else q.topic
    qtype = TYPE_NAMES.get(lang, {}).get(q.type.value, q.type.value)
    level = DIFFICULTY_NAMES.get(lang, {}).get(q.difficulty, q.difficulty)
    return f"{name} · {qtype} · {level}"


def colon(lang: str) -> str:
    """The colon after a label: full-width in Chinese."""
    return SESSION[lang]["colon"]


def _in_unit_of(reading: str, unit: str, lang: str) -> str:
    """A reading such as ``7e9 params`` with the unit named in ``lang``."""
    from bigmodel_quiz.bank.units import unit_label

    if unit and reading.endswith(f" {unit}"):
        return f"{reading[:-len(unit)]}{unit_label(unit, lang)}"
    return reading


def unit_line(unit: str, lang: str) -> Text:
    """The unit a numeric answer is read in, labelled (not a bare ``[GiB]``)."""
    from bigmodel_quiz.bank.units import unit_label

    return Text(f"{SESSION[lang]['unit']}{colon(lang)}{unit_label(unit, lang)}", style="dim")


class RichSessionIO:
    """Renders questions and feedback with Rich; reads answers line by line."""

    def __init__(self, console: Console, lang: str, *, feedback: bool = True) -> None:
        self.console = console
        self.lang = lang
        self.labels = SESSION[lang]
        self.feedback = feedback
        self.interactive = sys.stdin.isatty()
        self.topics: dict | None = None  # the bank's topics, for their titles in the progress line

    def show_question(self, q: Question, index: int, total: int) -> None:
        body: list = [markdown(q.text("prompt", self.lang))]
        if q.choices:
            choices = Table.grid(padding=(0, 1))
            for i in range(len(q.choices)):
                choices.add_row(Text(f"{LETTERS[i]}.", style="bold"), markdown(q.choice_text(i, self.lang)))
            body.append(Text(""))
            body.append(choices)
        if q.type is QType.NUMERIC and q.unit:
            body.append(unit_line(q.unit, self.lang))
        bar = ProgressBar(total=total, completed=index, width=30)
        header = Table.grid(padding=(0, 1))
        header.add_row(Text(f"{index + 1}/{total}"), bar,
                       Text(progress_tags(q, self.lang, self.topics), style="dim"))
        self.console.print(header)
        self.console.print(Panel(Group(*body), title=f"{self.labels['question']} {q.id}", title_align="left"))

    def ask(self, q: Question) -> str | None:
        hint = self.labels["hints"][q.type.value]
        prompt = self.labels["ask"].format(hint=hint)
        return self.ask_line(prompt)

    def _read_piped(self, prompt: str) -> str | None:
        # Line mode: echo what was read so a transcript reads like a session.
        self.console.print(prompt, end="")
        line = sys.stdin.readline()
        if not line:
            self.console.print("")
            return None
        line = line.rstrip("\r\n")
        self.console.print(line, markup=False, highlight=False)
        return line

    def show_hint(self, hint: Unparsable) -> None:
        self.console.print(Text(f"  ↳ {hint.text(self.lang)}", style="yellow"))

    def show_feedback(self, q: Question, verdict: Verdict) -> None:
        if not self.feedback:
            return
        self.console.print(feedback_panel(q, verdict, self.lang))

    def ask_rating(self, q: Question, verdict: Verdict) -> int | None:
        while True:
            answer = self.ask_line(self.labels["rate"])
            if answer is None or answer.strip().lower() in {"q", "quit", "exit", ":q"}:
                return None
            rating = parse_rating(answer)
            if rating is not None:
                name = RATINGS[rating][1 if self.lang == "zh" else 0]
                self.console.print(Text(self.labels["recorded"].format(name=name), style="dim"))
                return rating
            self.show_hint(Unparsable(SESSION["en"]["rate_again"], SESSION["zh"]["rate_again"]))

    def ask_line(self, prompt: str) -> str | None:
        """One line of input, None at end of input; Ctrl-C ends the prompt's line before it stops the session."""
        try:
            if self.interactive:
                return self.console.input(prompt)
            return self._read_piped(prompt)
        except KeyboardInterrupt:
            self.console.print("")
            raise
        except EOFError:
            if self.interactive:
                self.console.print("")
            return None


def feedback_panel(q: Question, verdict: Verdict, lang: str) -> Panel:
    """Right/wrong, the right answer, the explanation and its sources."""
    labels = SESSION[lang]
    ok = verdict.correct
    parts: list = []
    if q.type is QType.SHORT:
        return _key_points_panel(q, verdict, lang)
    c = colon(lang)
    parts.append(markdown(f"**{labels['answer']}**{c}{answer_text(q, lang)}"))
    if q.type is QType.NUMERIC and not ok:
        parts.append(Text.assemble((f"{labels['read_as']}{c}", "bold"), _in_unit_of(verdict.normalized, q.unit, lang)))
        if verdict.note is not None:
            parts.append(Text(f"↳ {verdict.note.text(lang)}", style="yellow"))
    parts.append(Text(""))
    parts.append(markdown(q.text("explanation", lang)))
    parts.append(Text(""))
    parts.append(Text(f"{labels['source']}{c}" + "; ".join(q.references), style="dim"))
    title = f"✓ {labels['right']}" if ok else f"✗ {labels['wrong']}"
    return Panel(Group(*parts), title=title, title_align="left", border_style="green" if ok else "red")


def key_points(q: Question, verdict: Verdict, lang: str) -> list:
    """The key points as a checklist (✓ where the matcher found one: a hint), then the model answer."""
    labels = SESSION[lang]
    c = colon(lang)
    parts: list = [Text(labels["matched"].format(n=len(verdict.covered), total=len(q.keywords)), style="dim")]
    for i, concept in enumerate(q.keywords):
        names = concept.phrases.get(lang) or concept.phrases.get("en", ())
        found = i in verdict.covered
        parts.append(Text.assemble(("  ✓ " if found else "  · ", "green" if found else "dim"), " / ".join(names[:2])))
    parts += [Text(""), Text(f"{labels['model']}{c.strip()}", style="bold"), markdown(answer_text(q, lang))]
    return parts


def _key_points_panel(q: Question, verdict: Verdict, lang: str) -> Panel:
    labels = SESSION[lang]
    parts = key_points(q, verdict, lang)
    parts += [Text(""), markdown(q.text("explanation", lang)), Text(""),
              Text(f"{labels['source']}{colon(lang)}" + "; ".join(q.references), style="dim")]
    return Panel(Group(*parts), title=labels["key_points"], title_align="left", border_style="cyan")


def summary_table(summary: Summary, lang: str, topics: dict | None = None) -> Table:
    """Answers, right answers and accuracy per topic (its title in the session's language when ``topics`` is given)."""
    labels = SESSION[lang]
    table = Table(title=labels["summary"])
    for col in ("topic", "answered", "correct", "accuracy"):
        table.add_column(labels[col], justify="left" if col == "topic" else "right")
    for topic, score in sorted(summary.by_topic.items()):
        acc = f"{score.correct / score.answered:.0%}" if score.answered else "-"
        known = topics.get(topic) if topics and lang != "en" else None
        name = (known.title.get(lang) or topic) if known is not None else topic
        table.add_row(name, str(score.answered), str(score.correct), acc)
    acc = f"{summary.correct / summary.answered:.0%}" if summary.answered else "-"
    table.add_row(labels["total"], str(summary.answered), str(summary.correct), acc, style="bold")
    return table


def print_next_step(console: Console, summary: Summary, lang: str) -> None:
    """The missed question ids and what to do next."""
    labels = SESSION[lang]
    if summary.missed:
        console.print(Text(labels["missed_ids"].format(ids=", ".join(summary.missed)), style="red"))
    console.print(labels["next_missed"] if summary.missed else labels["next_clean"], markup=False)
