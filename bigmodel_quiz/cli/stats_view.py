"""Rich rendering of ``quiz stats``: a day chart that reads on 80 columns and without colour."""

from __future__ import annotations

from datetime import datetime

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from bigmodel_quiz.stats import Day, Stats, Tally
from bigmodel_quiz.cli.messages import STATS

BAR = 20  # cells of each bar: the chart stays under 70 columns
TAGS_SHOWN = 15


def _glyphs(console: Console) -> tuple[str, str, str]:
    # Block characters where the terminal can show them, ASCII elsewhere.
    if (console.encoding or "").lower().replace("-", "").startswith("utf"):
        return "█", "░", "▇"
    return "#", ".", "="


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _acc_style(value: float | None) -> str:
    if value is None:
        return "dim"
    return "green" if value >= 0.8 else "yellow" if value >= 0.6 else "red"


def accuracy_bar(value: float | None, console: Console, width: int = BAR) -> Text:
    """A filled/empty bar and the percentage: readable without colour."""
    full, empty, _ = _glyphs(console)
    if value is None:  # no answers: blank, so it never reads as 0 %
        return Text(" " * width + "    –", style="dim")
    filled = round(value * width)
    return Text.assemble((full * filled, _acc_style(value)), (empty * (width - filled), "dim"),
                         f" {_pct(value):>4}")


def day_chart(days: tuple[Day, ...], console: Console, lang: str) -> Table:
    """One row per day: an accuracy bar and a volume bar (scaled to the busiest day)."""
    labels = STATS[lang]
    _, _, vol = _glyphs(console)
    most = max((d.answered for d in days), default=0)
    table = Table(title=labels["days"].format(n=len(days)), box=box.SIMPLE_HEAD, padding=(0, 1),
                  title_justify="left", pad_edge=False)
    table.add_column(labels["day"], no_wrap=True)
    table.add_column(labels["accuracy"], no_wrap=True)
    table.add_column(labels["volume"], no_wrap=True)
    for d in days:
        day = f"{d.day:%m-%d} {labels['weekdays'][d.day.weekday()]}"
        n = round(d.answered / most * BAR) if most else 0
        if d.answered and not n:
            n = 1  # a day with any practice shows at least one cell
        volume = Text.assemble((vol * n, "cyan"), " " * (BAR - n), f" {d.answered:>3}")
        table.add_row(day, accuracy_bar(d.accuracy, console), volume)
    return table


def tally_table(title: str, key_label: str, rows: tuple[Tally, ...] | list[Tally], console: Console,
                lang: str, names: dict[str, str] | None = None) -> Table:
    """Name (as ``names`` gives it, e.g. a topic's title), answered and an accuracy bar per row."""
    labels = STATS[lang]
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.add_column(key_label, overflow="fold")
    table.add_column(labels["answered"], justify="right")
    table.add_column(labels["accuracy"], no_wrap=True)
    for t in rows:
        table.add_row((names or {}).get(t.name, t.name), str(t.answered), accuracy_bar(t.accuracy, console, width=12))
    return table


def describe_wait(until: datetime, now: datetime, lang: str) -> str:
    """``in 3 hours`` / ``3 小时后``: how long until ``until``, in whole units."""
    seconds = max(0.0, (until - now).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size * 1.5 or unit == "minute":
            n = max(1, round(seconds / size))
            return STATS[lang]["wait"][unit].format(n=n, s="" if n == 1 else "s")
    return ""


def render_stats(console: Console, stats: Stats, lang: str, now: datetime) -> None:
    """Headline, day chart, per-topic and per-tag accuracy, weak tags, exercises, mocks."""
    labels = STATS[lang]
    acc = stats.correct / stats.answered if stats.answered else None
    head = labels["headline"].format(answered=stats.answered, acc=_pct(acc), streak=stats.streak,
                                     s="" if stats.streak == 1 else "s")
    due = labels["due"].format(now=stats.due_now, today=stats.due_today, week=stats.due_week)
    if stats.next_due is not None:
        due += " · " + labels["next"].format(when=describe_wait(stats.next_due, now, lang))
    console.print(Text(head, style="bold"))
    console.print(due)
    if not stats.answered:
        console.print(labels["nothing"])
    console.print(day_chart(stats.days, console, lang))
    if stats.by_topic:
        from bigmodel_quiz.cli.topics_view import topic_titles

        console.print(tally_table(labels["by_topic"], labels["topic"], stats.by_topic, console, lang, topic_titles(lang)))
    if stats.by_tag:
        ordered = sorted(stats.by_tag, key=lambda t: (t.accuracy if t.accuracy is not None else 2, -t.answered, t.name))
        parts: list = [tally_table(labels["by_tag"], labels["tag"], ordered[:TAGS_SHOWN], console, lang)]
        if len(ordered) > TAGS_SHOWN:
            parts.append(Text(labels["more"].format(n=len(ordered) - TAGS_SHOWN), style="dim"))
        console.print(Group(*parts))
    if stats.weakest_tags:
        console.print(tally_table(labels["weakest"], labels["tag"], stats.weakest_tags, console, lang))
    console.print(labels["exercises"].format(passed=len(stats.exercises_passed), total=stats.exercises_total,
                                             tried=len(stats.exercises_tried)))
    if stats.exercises_passed:
        console.print(Text("  " + ", ".join(stats.exercises_passed), style="green"))
    if stats.mocks:
        console.print(Text(labels["mocks"], style="bold"))
        for m in stats.mocks[-5:]:
            console.print("  " + labels["mock_line"].format(id=m.session_id, when=m.started_at[:16].replace("T", " "),
                                                            right=m.right, asked=m.asked, minutes=m.minutes))
