"""Chinese text wraps between characters in the terminal UI, not only at spaces."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markdown import Markdown

from bigmodel_quiz.bank.prose import unwrap
from bigmodel_quiz.cli import cjk_wrap

TEXT = "一次训练需要 3.15·10²³ FLOPs（GPT-3 量级）。你有 1,024 张 GPU，MFU 为 40 %。训练需要多久？请以天为单位作答。"


def _render(text: str, width: int) -> list[str]:
    cjk_wrap.install()
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None).print(Markdown(text))
    return [line.rstrip() for line in buf.getvalue().splitlines() if line.strip()]


def test_units_cover_the_text_exactly() -> None:
    units = [u for _, _, u in cjk_wrap.words(TEXT)]
    assert "".join(units) == TEXT
    assert "FLOPs" in units and "40 %。" in units  # Latin words whole, closing punctuation kept with them
    assert "（GPT-3 " in units  # opening punctuation goes with what follows


def test_lines_are_filled_and_numbers_keep_their_units() -> None:
    from rich.cells import cell_len

    lines = _render(TEXT, 40)
    assert "".join(lines).replace(" ", "") == TEXT.replace(" ", "")
    for line in lines[:-1]:
        assert cell_len(line) >= 36, lines  # no clause pushed whole to the next line
    for line in lines:
        assert not line.startswith(("。", "，", "%", "）")), lines
    assert not any(line.endswith("40") for line in lines)


def test_english_words_stay_whole() -> None:
    units = [u for _, _, u in cjk_wrap.words("It’s “quoted” text, 50% done; 他说“你好”。")]
    assert units[:5] == ["It’s ", "“quoted” ", "text, ", "50% ", "done; "]
    assert units[5:] == ["他", "说", "“你", "好”。"]



def test_chinese_line_wraps_are_undone_but_blocks_are_kept() -> None:
    source = (
        "只能使用环上相邻 rank 之间的\n点对点通信（rank r 发给 (r+1) mod N，\n从 (r−1) 接收）。调用（`all_gather`、\n"
        "`broadcast` 等）会被拒绝。\n\n1. 第一步。\n2. 第二步，\n   继续。\n- 列表\n```python\nx = 1  # 中文\ny = 2  # 注释\n```\n"
        "English wraps\nstay as Markdown reads them."
    )
    assert unwrap(source) == (
        "只能使用环上相邻 rank 之间的点对点通信（rank r 发给 (r+1) mod N，从 (r−1) 接收）。调用（`all_gather`、"
        "`broadcast` 等）会被拒绝。\n\n1. 第一步。\n2. 第二步，继续。\n- 列表\n```python\nx = 1  # 中文\ny = 2  # 注释\n```\n"
        "English wraps\nstay as Markdown reads them."
    )
    assert unwrap("之间的\n`dist.send`") == "之间的\n`dist.send`"  # Latin next: Markdown's space stays


def test_unwrap_for_html_joins_latin_lines_with_a_space() -> None:
    text = "Linear scaling: multiply the rate\nby k.\n\n- one\n- two\n以及\n中文。"
    assert unwrap(text, latin=" ") == "Linear scaling: multiply the rate by k.\n\n- one\n- two 以及中文。"
