"""Chinese text wraps between characters in the terminal UI, not only at spaces."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markdown import Markdown

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

