"""The fast start-up paths: the bank index beside the cache, questions loaded as they are picked,
plain prompts without a Markdown parser, and ``quiz topics`` within 80 columns."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bigmodel_quiz.bank import cache
from bigmodel_quiz.bank.index import BankIndex, load_index
from bigmodel_quiz.bank.loader import load_bank
from bigmodel_quiz.session.select import select

FIXTURES = Path(__file__).parent / "fixtures" / "banks"
ROOT = Path(__file__).resolve().parent.parent
EXTRA = """
  - id: demo-extra
    type: truefalse
    difficulty: easy
    tags: [extra]
    prompt: {en: "An added question?", zh: "新增的题目？"}
    answer: true
    explanation: {en: "It was added.", zh: "它是新增的。"}
    references: [{source: "A book", locator: "p. 2"}]
"""


@pytest.fixture
def banks(tmp_path: Path) -> Path:
    folder = tmp_path / "banks"
    shutil.copytree(FIXTURES, folder)
    return folder


def _cache_files(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "cache").glob("bank-*"))


def _served_from_cache(index: BankIndex) -> bool:
    return index._bank is None and index._cache is not None


def test_index_is_written_beside_the_bank_cache_under_the_same_key(banks: Path, quiz_home: Path) -> None:
    first = load_index([banks])
    assert not _served_from_cache(first)  # a miss loads the bank (and writes the cache)
    names = _cache_files(quiz_home)
    key = cache.cache_key([banks / "demo.yaml"])
    assert names == [f"bank-{key}.index.json", f"bank-{key}.json"]
    second = load_index([banks])
    assert _served_from_cache(second)
    assert [e._replace(span=None) for e in second.entries] == first.entries and second.topics == first.topics
    bank = load_bank([banks])
    assert second.counts() == BankIndex.of(bank).counts()


def test_items_from_the_cache_equal_the_loaded_ones(banks: Path) -> None:
    bank = load_bank([banks], use_cache=False)
    load_bank([banks])
    index = load_index([banks])
    assert _served_from_cache(index)
    want = [*bank.questions, *bank.templates]
    assert index.items(list(reversed(index.entries))) == list(reversed(want))


def test_a_changed_bank_file_invalidates_index_and_records(banks: Path, quiz_home: Path) -> None:
    load_index([banks])
    old = _cache_files(quiz_home)
    demo = banks / "demo.yaml"
    text = demo.read_text(encoding="utf-8")
    demo.write_text(text.replace("Which letter is right?", "Which letter is correct?"), encoding="utf-8")
    index = load_index([banks])
    assert not _served_from_cache(index)  # the edit was seen: nothing stale was read
    new = _cache_files(quiz_home)
    assert new != old and len(new) == 2  # the older files are gone
    fresh = load_index([banks])
    assert _served_from_cache(fresh)
    prompts = [q.prompt["en"] for q in fresh.items(fresh.entries[:1])]
    assert prompts == ["Which letter is correct?"]
    # a file of the same size, changed in place, still invalidates (its modification time is in the key)
    same_size = demo.read_text(encoding="utf-8").replace("correct?", "CORRECT?")
    demo.write_text(same_size, encoding="utf-8")
    st = demo.stat()
    os.utime(demo, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    again = load_index([banks])
    assert [q.prompt["en"] for q in again.items(again.entries[:1])] == ["Which letter is CORRECT?"]


def test_an_added_question_is_counted_and_chosen(banks: Path) -> None:
    before = load_index([banks]).counts()[0]["demo"]
    demo = banks / "demo.yaml"
    text = demo.read_text(encoding="utf-8")
    demo.write_text(text.replace("\ntemplates:", EXTRA + "\ntemplates:", 1), encoding="utf-8")
    index = load_index([banks])
    assert index.counts()[0]["demo"] == before + 1
    load_index([banks])  # now served from the new cache
    chosen = select(load_index([banks]), qtype="truefalse", count=None, seed=3)
    assert "demo-extra" in {q.id for q in chosen}


@pytest.mark.parametrize("damage", ["records", "swapped"])
def test_a_damaged_records_file_falls_back_to_loading_the_bank(banks: Path, quiz_home: Path, damage: str) -> None:
    bank = load_bank([banks], use_cache=False)
    load_bank([banks])
    index = load_index([banks])
    records = next((quiz_home / "cache").glob("bank-*[0-9a-f].json"))
    if damage == "records":
        records.write_text("[\n{not json", encoding="utf-8")
    else:  # every record in place, but another's text at the first span
        lines = records.read_bytes().split(b"\n")
        lines[1], lines[2] = lines[2], lines[1]
        records.write_bytes(b"\n".join(lines))
    assert index.items(index.entries) == [*bank.questions, *bank.templates]


def test_choosing_from_the_index_is_choosing_from_the_bank(banks: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from bigmodel_quiz.session.history import Seen

    bank = load_bank([banks])
    index = load_index([banks])
    assert _served_from_cache(index)
    now = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
    seen = {"demo-single": Seen(now - timedelta(days=3), 2, 0, False), "demo-gpt-params": Seen(now - timedelta(hours=1), 1, 1, True)}
    for seed in range(12):
        for kw in ({}, {"qtype": "numeric"}, {"difficulty": "easy"}, {"count": 2, "seen": seen, "now": now}):
            assert select(index, seed=seed, **kw) == select(bank, seed=seed, **kw)  # type: ignore[arg-type]


def test_topics_json_and_first_question_leave_heavy_modules_unloaded(tmp_path: Path, quiz_home: Path) -> None:
    env = {**os.environ, "QUIZ_HOME": str(quiz_home), "QUIZ_BANK_DIR": str(FIXTURES)}
    probe = ("import sys\nfrom bigmodel_quiz.cli.app import app\n"
             "try:\n    app(prog_name='quiz', args=sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "heavy = ('yaml', 'numpy', 'rapidfuzz', 'bigmodel_quiz.bank.keypoints', 'bigmodel_quiz.bank.generators')\n"
             "sys.stderr.write('LOADED ' + ' '.join(m for m in heavy if m in sys.modules))\n")
    subprocess.run([sys.executable, "-c", probe, "topics"], env=env, capture_output=True, check=True)  # writes the cache

    def loaded(*args: str, stdin: str = "") -> list[str]:
        proc = subprocess.run([sys.executable, "-c", probe, *args], env=env, input=stdin, capture_output=True, text=True)
        return proc.stderr.rsplit("LOADED", 1)[1].split()

    assert loaded("topics", "--json") == []
    assert loaded("start", "--type", "truefalse", "--lang", "en", stdin="q\n") == []


def test_plain_text_renders_as_markdown_renders_it() -> None:
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.table import Table
    from rich.text import Text

    from bigmodel_quiz.cli import cjk_wrap
    from bigmodel_quiz.cli.cjk_wrap import Paragraph, markdown, plain_paragraph

    cjk_wrap.install()
    bank = load_bank()
    texts = {v for q in bank.questions for v in [*q.prompt.values(), *(v for c in q.choices for v in c.values())]}
    plain = sorted(t for t in texts if plain_paragraph(t))
    assert len(plain) > len(texts) // 2
    for not_plain in ("**bold**", "`code`", "a_b", "1. item", "- item", "# head", "a\nb", " lead", "&amp;", "[x](y)", "a\\b", ""):
        assert not plain_paragraph(not_plain)
        assert not isinstance(markdown(not_plain), Paragraph)

    def shown(renderable: object, width: int) -> str:
        buf = io.StringIO()
        grid = Table.grid(padding=(0, 1))
        grid.add_row(Text("A.", style="bold"), renderable)
        Console(file=buf, width=width, force_terminal=True, color_system="truecolor").print(renderable, grid)
        return buf.getvalue()

    for text in plain[::3]:
        for width in (30, 80):
            assert shown(markdown(text), width) == shown(Markdown(text), width), text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_topics_fit_80_columns_with_every_shipped_topic(lang: str) -> None:
    from rich.console import Console

    from bigmodel_quiz.cli import cjk_wrap
    from bigmodel_quiz.cli.topics_view import render_topics
    from bigmodel_quiz.store import open_store
    from bigmodel_quiz.topics import topic_rows

    cjk_wrap.install()
    with open_store() as store:
        rows = topic_rows(load_index(), store)
    assert len(rows) >= 16
    busy = [replace(r, questions=r.questions * 10, templates=r.templates * 10, exercises=99, answered=123456, correct=123456)
            for r in rows]
    for shown_rows in (rows, busy):
        console = Console(width=80, record=True, file=io.StringIO(), color_system=None)
        render_topics(console, shown_rows, lang)
        lines = console.export_text().splitlines()
        assert max(console.measure(line).maximum for line in lines) <= 80
        ids = [line.split()[0] for line in lines if line.strip() and line.split()[0] in {r.topic for r in rows}]
        assert ids == [r.topic for r in rows]  # every topic id whole on its own row, in order
        for r in shown_rows:  # the figures are never wrapped or cut
            # a Chinese table leads with the topic's title (its id on the line below)
            lead = r.title["zh"].split()[0] if lang == "zh" else r.topic
            row = next(line for line in lines if line.split() and line.split()[0] == lead)
            assert str(r.answered) in row and "…" not in row
            assert (f"{r.accuracy:.0%}" if r.accuracy is not None else "-") in row


def test_topics_json_counts_match_the_loaded_bank(cli) -> None:
    bank = load_bank()
    doc = json.loads(cli("topics", "--json").stdout)
    counts = {d["topic"]: (d["questions"], d["templates"]) for d in doc}
    for tid in bank.topics:
        assert counts[tid] == (sum(q.topic == tid for q in bank.questions), sum(t.topic == tid for t in bank.templates))
