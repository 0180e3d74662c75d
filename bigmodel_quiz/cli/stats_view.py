"""Rich rendering of ``quiz stats``: a day chart that reads on 80 columns and without colour."""

from __future__ import annotations

from datetime import datetime

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from bigmodel_quiz.stats import Day, Stats, Tally

BAR = 20  # cells of each bar: the chart stays under 70 columns
TAGS_SHOWN = 15

LABELS = {
    "en": {"days": "Last {n} days", "day": "day", "accuracy": "accuracy", "volume": "answers",
           "topic": "topic", "tag": "tag", "answered": "answered", "by_topic": "Accuracy per topic",
           "by_tag": "Accuracy per tag (weakest first)", "weakest": "Five weakest tags",
           "more": "… {n} more tags (quiz stats --json lists all)",
           "headline": "{answered} answered · {acc} right · streak {streak} day{s}",
           "due": "Due today {today} · this week {week}", "next": "next card {when}",
           "nothing": "No answers yet: start with `quiz start` or `quiz review`.",
           "exercises": "Coding exercises passed: {passed} of {total} (tried {tried})",
           "mocks": "Mock interviews (quiz stats --session ID shows a report)",
           "mock_line": "{id}  {when}  {right}/{asked} right  {minutes:g} min",
           "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]},
    "zh": {"days": "最近 {n} 天", "day": "日期", "accuracy": "正确率", "volume": "作答数",
           "topic": "主题", "tag": "标签", "answered": "作答", "by_topic": "各主题正确率",
           "by_tag": "各标签正确率（由弱到强）", "weakest": "最弱的五个标签",
           "more": "… 另有 {n} 个标签（quiz stats --json 列出全部）",
           "headline": "共作答 {answered} 题 · 正确率 {acc} · 连续 {streak} 天",
           "due": "今日到期 {today} · 本周到期 {week}", "next": "下一张卡片 {when}",
           "nothing": "还没有作答记录：先试试 `quiz start` 或 `quiz review`。",
           "exercises": "编程练习通过 {passed} / {total}（尝试过 {tried}）",
           "mocks": "模拟面试（用 quiz stats --session ID 查看报告）",
           "mock_line": "{id}  {when}  答对 {right}/{asked}  {minutes:g} 分钟",
           "weekdays": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]},
}


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
    labels = LABELS[lang]
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
                lang: str) -> Table:
    """Name, answered and an accuracy bar per row."""
    labels = LABELS[lang]
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.add_column(key_label, overflow="fold")
    table.add_column(labels["answered"], justify="right")
    table.add_column(labels["accuracy"], no_wrap=True)
    for t in rows:
        table.add_row(t.name, str(t.answered), accuracy_bar(t.accuracy, console, width=12))
    return table


def describe_wait(until: datetime, now: datetime, lang: str) -> str:
    """``in 3 hours`` / ``3 小时后``: how long until ``until``, in whole units."""
    seconds = max(0.0, (until - now).total_seconds())
    units = (("day", "天", 86400), ("hour", "小时", 3600), ("minute", "分钟", 60))
    for en, zh, size in units:
        if seconds >= size * 1.5 or en == "minute":
            n = max(1, round(seconds / size))
            return f"{n} {zh}后" if lang == "zh" else f"in {n} {en}{'' if n == 1 else 's'}"
    return ""


def render_stats(console: Console, stats: Stats, lang: str, now: datetime) -> None:
    """Headline, day chart, per-topic and per-tag accuracy, weak tags, exercises, mocks."""
    labels = LABELS[lang]
    acc = stats.correct / stats.answered if stats.answered else None
    head = labels["headline"].format(answered=stats.answered, acc=_pct(acc), streak=stats.streak,
                                     s="" if stats.streak == 1 else "s")
    due = labels["due"].format(today=stats.due_today, week=stats.due_week)
    if stats.next_due is not None:
        due += " · " + labels["next"].format(when=describe_wait(stats.next_due, now, lang))
    console.print(Text(head, style="bold"))
    console.print(due)
    if not stats.answered:
        console.print(labels["nothing"])
    console.print(day_chart(stats.days, console, lang))
    if stats.by_topic:
        console.print(tally_table(labels["by_topic"], labels["topic"], stats.by_topic, console, lang))
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
