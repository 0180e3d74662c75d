"""The ``quiz topics`` table."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bigmodel_quiz.cli.messages import TOPICS
from bigmodel_quiz.topics import TopicRow


def topic_titles(lang: str) -> dict[str, str]:
    """Topic id → its title in ``lang``, from the bank index; empty in English, where tables show ids."""
    if lang == "en":
        return {}
    from bigmodel_quiz.bank.index import load_index

    return {tid: t.title.get(lang, "") for tid, t in load_index().topics.items() if t.title.get(lang)}


def topic_name(topic: str, lang: str, titles: dict[str, str]) -> str:
    """How a table names ``topic``: its title in a Chinese session, its id in English."""
    return titles.get(topic, topic) if lang != "en" else topic


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
        title = r.title.get(language, "")
        if language != "en" and title:  # the title leads; the id, for --topic, under it
            name = Text(title, style="bold").append(f"\n{r.topic}", style="dim")
        else:
            name = Text(r.topic, style="bold").append(f"\n{title}", style="dim")
        table.add_row(name, qs, str(r.exercises), str(r.answered), acc)
    console.print(table)
