"""The ``quiz topics`` table."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bigmodel_quiz.cli.messages import TOPICS
from bigmodel_quiz.topics import TopicRow


def render_topics(console: Console, rows: list[TopicRow], language: str) -> None:
    """Topics with question and exercise counts and the user's accuracy."""
    t = TOPICS[language]
    heads = (t["topic"], t["questions"], t["exercises"], t["answered"], t["accuracy"])
    table = Table(title=t["title"], caption=t["caption"], box=box.SIMPLE_HEAD, pad_edge=False)
    for i, head in enumerate(heads):
        table.add_column(head, justify="right" if i else "left", no_wrap=bool(i))
    for r in rows:
        acc = "-" if r.accuracy is None else f"{r.accuracy:.0%}"
        qs = f"{r.questions}" + (f" +{r.templates}∞" if r.templates else "")
        name = Text(r.topic, style="bold").append(f"\n{r.title.get(language, '')}", style="dim")
        table.add_row(name, qs, str(r.exercises), str(r.answered), acc)
    console.print(table)
