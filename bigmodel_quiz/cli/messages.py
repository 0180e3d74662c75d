"""Every user-facing string of the command line, in English and Chinese, in one place.

Each table maps a language to a :class:`~typing.TypedDict`, so a key missing in one
language, or a misspelt key in a view, is a type error (``mypy``) as well as a test
failure (``tests/test_messages.py`` also compares the ``{placeholders}``).
"""

from __future__ import annotations

from typing import TypedDict


class SessionText(TypedDict):
    """Strings of a practice or review session."""

    question: str
    right: str
    wrong: str
    answer: str
    why: str
    source: str
    model: str
    ask: str
    covered: str
    missed: str
    summary: str
    topic: str
    answered: str
    correct: str
    accuracy: str
    total: str
    rate: str
    rate_again: str
    key_points: str
    matched: str
    recorded: str
    unit: str
    read_as: str
    missed_ids: str
    next_missed: str
    next_clean: str
    stopped: str
    hints: dict[str, str]
    colon: str
    fewer: str


class MockText(TypedDict):
    """Strings of a mock interview and its report."""

    intro: str
    left: str
    ask: str
    time_up: str
    report: str
    score: str
    used: str
    not_reached: str
    stopped: str
    by_topic: str
    topic: str
    asked: str
    right: str
    percent: str
    times: str
    question: str
    result: str
    time: str
    RIGHT: str
    WRONG: str
    TIMEOUT: str
    missed: str
    yours: str
    none: str
    answer: str
    source: str
    plan: str
    weak_tags: str
    topics: str
    exercises: str
    all_right: str
    saved: str
    nothing: str
    hints: dict[str, str]
    truefalse: dict[str, str]  # how a true/false answer is shown
    seconds: str


class StatsText(TypedDict):
    """Strings of quiz stats."""

    days: str
    day: str
    accuracy: str
    volume: str
    topic: str
    tag: str
    answered: str
    by_topic: str
    by_tag: str
    weakest: str
    more: str
    headline: str
    due: str
    next: str
    nothing: str
    exercises: str
    mocks: str
    mock_line: str
    weekdays: list[str]
    wait: dict[str, str]  # "in 3 days": per unit


class GradeText(TypedDict):
    """Strings of grade reports, the exercise list and an exercise's statement."""

    output: str
    truncated: str
    same: str
    not_run: str
    reproduce: str
    summary: str
    status: dict[str, str]
    kinds: dict[str, str]  # why no case could run
    error_line: str
    seed: str
    note: str
    inputs: str
    cpu_only: str
    stopped_watching: str
    grading: str
    watching: str
    waiting: str


class ExerciseText(TypedDict):
    """Strings of ``quiz exercises`` and ``quiz exercise show``."""

    title: str
    exercise: str
    kind: str
    name: str
    status: str
    statuses: dict[str, str]
    topic: str
    edge_cases: str
    hint: str
    more_hints: str
    last_hint: str
    start: str
    all_passed: str
    next: str
    wrote: str
    broken: str


class TopicsText(TypedDict):
    """Strings of ``quiz topics``."""

    title: str
    caption: str
    topic: str
    questions: str
    exercises: str
    answered: str
    accuracy: str


class TodayText(TypedDict):
    """Strings of ``quiz`` with no command: today's plan."""

    title: str
    due: str
    new: str
    exercise: str
    all_passed: str
    start_review: str
    start_practice: str
    then: str


class ReviewText(TypedDict):
    """Strings of quiz review."""

    again: str
    next: str
    nothing_next: str
    nothing_cap: str
    nothing_new: str
    nothing_left: str
    stopped: str


SESSION: dict[str, SessionText] = {
    "en": {"question": "Question", "right": "Right", "wrong": "Not quite", "answer": "Answer",
           "why": "Why", "source": "Source", "model": "Model answer", "ask": "Your answer ({hint}; q = quit): ", "covered": "Covered",
           "missed": "Missed", "summary": "Session summary", "topic": "Topic",
           "answered": "Answered", "correct": "Correct", "accuracy": "Accuracy", "total": "Total",
           "rate": "How well did you recall it? 1 Again  2 Hard  3 Good  4 Easy (q = quit): ",
           "rate_again": "type 1, 2, 3 or 4 (Again, Hard, Good, Easy)",
           "key_points": "Key points", "matched": "{n}/{total} found in your answer (a hint: you rate yourself)",
           "recorded": "Recorded: {name}", "unit": "Unit", "read_as": "Your answer, read as", "missed_ids": "Missed: {ids}",
           "next_missed": "Next: quiz review  (what you missed comes back when it is due)",
           "next_clean": "Next: quiz start --count 20  or  quiz review",
           "stopped": "Session stopped; every answer so far is saved.",
           "hints": {"single": "a letter", "multi": "letters, e.g. A,C", "truefalse": "t or f",
                     "numeric": "a number, e.g. 124M, 1.2e9, 14 GB", "short": "a few sentences"},
           "colon": ": ", "fewer": "only {n} question{s} match these filters, not {count}"},
    "zh": {"question": "题目", "right": "回答正确", "wrong": "回答错误", "answer": "答案",
           "why": "解析", "source": "出处", "model": "参考答案", "ask": "你的答案（{hint}；q 退出）：", "covered": "答到的要点",
           "missed": "漏掉的要点", "summary": "本次练习小结", "topic": "主题",
           "answered": "作答", "correct": "答对", "accuracy": "正确率", "total": "合计",
           "rate": "回忆得怎么样？1 忘了  2 困难  3 良好  4 轻松（q 退出）：",
           "rate_again": "请输入 1、2、3 或 4（忘了、困难、良好、轻松）",
           "key_points": "要点", "matched": "你的回答中找到 {n}/{total} 个（仅供参考：由你自己评分）",
           "recorded": "已记录：{name}", "unit": "单位", "read_as": "你的答案读作", "missed_ids": "答错的题：{ids}",
           "next_missed": "下一步：quiz review（答错的题到期后会再出现）",
           "next_clean": "下一步：quiz start --count 20 或 quiz review",
           "stopped": "练习已结束，已作答的题目都已保存。",
           "hints": {"single": "一个字母", "multi": "多个字母，如 A,C", "truefalse": "t 或 f（对/错）",
                     "numeric": "一个数，如 124M、1.2e9、14 GB", "short": "几句话作答"},
           "colon": "：", "fewer": "只有 {n} 道题符合这些条件（要求 {count} 道）"},
}


MOCK: dict[str, MockText] = {
    "en": {"intro": "Mock interview: {n} question{s} in {m}. No feedback until the end; q stops early.",
           "left": "left", "ask": "Your answer ({hint}): ", "time_up": "⏱ Time is up: the current question is closed.",
           "report": "Mock interview report", "score": "{right}/{asked} right",
           "used": "{used} of {total}", "not_reached": "{n} not reached", "stopped": "stopped early",
           "by_topic": "Score per topic", "topic": "topic", "asked": "asked", "right": "right",
           "percent": "score", "times": "Time per question", "question": "question", "result": "result",
           "time": "time", "RIGHT": "✓ right", "WRONG": "✗ wrong", "TIMEOUT": "⏱ time",
           "missed": "Missed", "yours": "Your answer", "none": "(none: time ran out)", "answer": "Answer",
           "source": "Source", "plan": "Study plan", "weak_tags": "Weakest tags",
           "topics": "Review these topics", "exercises": "Coding exercises to do next",
           "all_right": "Nothing missed. Try a longer interview or harder questions (--difficulty hard).",
           "saved": "Report saved: quiz stats --session {id}", "nothing": "No question was answered; nothing saved.",
           "hints": {"single": "a letter", "multi": "letters", "truefalse": "t or f", "numeric": "a number",
                     "short": "a few sentences"},
           "truefalse": {"true": "true", "false": "false"}, "seconds": "{n}s"},
    "zh": {"intro": "模拟面试：{n} 道题，限时 {m}。结束前不给反馈；输入 q 提前结束。",
           "left": "剩余", "ask": "你的答案（{hint}）：", "time_up": "⏱ 时间到：当前题目已关闭。",
           "report": "模拟面试报告", "score": "答对 {right}/{asked}",
           "used": "用时 {used} / {total}", "not_reached": "{n} 题未作答", "stopped": "提前结束",
           "by_topic": "各主题得分", "topic": "主题", "asked": "题数", "right": "答对",
           "percent": "得分", "times": "每题用时", "question": "题目", "result": "结果",
           "time": "用时", "RIGHT": "✓ 正确", "WRONG": "✗ 错误", "TIMEOUT": "⏱ 超时",
           "missed": "错题", "yours": "你的答案", "none": "（未作答：时间到）", "answer": "答案",
           "source": "出处", "plan": "学习计划", "weak_tags": "最弱的标签",
           "topics": "建议复习的主题", "exercises": "接下来做的编程练习",
           "all_right": "全部答对。试试更长的面试或更难的题（--difficulty hard）。",
           "saved": "报告已保存：quiz stats --session {id}", "nothing": "没有作答任何题目，未保存报告。",
           "hints": {"single": "一个字母", "multi": "多个字母", "truefalse": "t 或 f", "numeric": "一个数",
                     "short": "几句话"},
           "truefalse": {"true": "对", "false": "错"}, "seconds": "{n} 秒"},
}


STATS: dict[str, StatsText] = {
    "en": {"days": "Last {n} days", "day": "day", "accuracy": "accuracy", "volume": "answers",
           "topic": "topic", "tag": "tag", "answered": "answered", "by_topic": "Accuracy per topic",
           "by_tag": "Accuracy per tag (weakest first)", "weakest": "Five weakest tags",
           "more": "… {n} more tags (quiz stats --json lists all)",
           "headline": "{answered} answered · {acc} right · streak {streak} day{s}",
           "due": "Due now {now} · by tonight {today} · this week {week}", "next": "next card {when}",
           "nothing": "No answers yet: start with `quiz start` or `quiz review`.",
           "exercises": "Coding exercises passed: {passed} of {total} (tried {tried})",
           "mocks": "Mock interviews (quiz stats --session ID shows a report)",
           "mock_line": "{id}  {when}  {right}/{asked} right  {minutes:g} min",
           "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
           "wait": {"day": "in {n} day{s}", "hour": "in {n} hour{s}", "minute": "in {n} minute{s}"}},
    "zh": {"days": "最近 {n} 天", "day": "日期", "accuracy": "正确率", "volume": "作答数",
           "topic": "主题", "tag": "标签", "answered": "作答", "by_topic": "各主题正确率",
           "by_tag": "各标签正确率（由弱到强）", "weakest": "最弱的五个标签",
           "more": "… 另有 {n} 个标签（quiz stats --json 列出全部）",
           "headline": "共作答 {answered} 题 · 正确率 {acc} · 连续 {streak} 天",
           "due": "现在到期 {now} · 今天内到期 {today} · 本周到期 {week}", "next": "下一张卡片 {when}",
           "nothing": "还没有作答记录：先试试 `quiz start` 或 `quiz review`。",
           "exercises": "编程练习通过 {passed} / {total}（尝试过 {tried}）",
           "mocks": "模拟面试（用 quiz stats --session ID 查看报告）",
           "mock_line": "{id}  {when}  答对 {right}/{asked}  {minutes:g} 分钟",
           "weekdays": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
           "wait": {"day": "{n} 天后", "hour": "{n} 小时后", "minute": "{n} 分钟后"}},
}


GRADE: dict[str, GradeText] = {
    "en": {"output": "Your code's {name}", "truncated": "{size}, truncated: the start and the end are shown",
           "same": "the same error as the case above", "not_run": "{n} more case(s) not run: {why}",
           "reproduce": "seed {seed} · reproduce with: quiz grade {file} --seed {seed}",
           "summary": "{passed}/{total} cases passed · {seconds:.2f} s",
           "status": {"passed": "PASSED", "failed": "FAILED", "error": "ERROR"},
           "kinds": {"syntax": "syntax", "import": "import", "missing-function": "missing-function", "timeout": "timeout",
                     "memory": "memory", "crash": "crash", "device-unavailable": "device-unavailable"},
           "error_line": " ({kind})", "seed": " (seed {seed})", "note": "note: ",
           "inputs": "inputs: {inputs}",
           "cpu_only": "--device cuda applies to PyTorch exercises: {exercise} is a NumPy exercise, graded on the CPU",
           "stopped_watching": "stopped watching", "grading": "grading… {seconds} s",
           "watching": "watching {file} · graded at {time} · Ctrl-C to stop", "waiting": "watching {file} · Ctrl-C to stop"},
    "zh": {"output": "你的代码的 {name}", "truncated": "{size}，已截断：只显示开头和结尾",
           "same": "与上一个用例的错误相同", "not_run": "另有 {n} 个用例未运行：{why}",
           "reproduce": "seed {seed} · 复现：quiz grade {file} --seed {seed}",
           "summary": "{passed}/{total} 个用例通过 · {seconds:.2f} 秒",
           "status": {"passed": "通过", "failed": "未通过", "error": "出错"},
           "kinds": {"syntax": "语法错误", "import": "导入失败", "missing-function": "缺少函数", "timeout": "超时",
                     "memory": "内存超限", "crash": "崩溃", "device-unavailable": "设备不可用"},
           "error_line": "（{kind}）", "seed": "（seed {seed}）", "note": "提示：",
           "inputs": "输入：{inputs}",
           "cpu_only": "--device cuda 只适用于 PyTorch 练习：{exercise} 是 NumPy 练习，在 CPU 上评分",
           "stopped_watching": "已停止监视", "grading": "正在评分… {seconds} 秒",
           "watching": "正在监视 {file} · {time} 评分 · Ctrl-C 停止", "waiting": "正在监视 {file} · Ctrl-C 停止"},
}


REVIEW: dict[str, ReviewText] = {
    "en": {"again": "Once more before you go: {n} card{s} you answered Again.",
           "next": "Next card due {when} ({at}).",
           "nothing_next": "Nothing due now. Next card due {when} ({at}).",
           "nothing_cap": "Nothing due, and today's {limit} new questions are used: {today} question(s) were first answered today "
                          "(quiz start and mock interviews count too). More tomorrow, or now: quiz review --new {more}",
           "nothing_new": "Nothing due: raise --new to start on new questions (0 allowed today).",
           "nothing_left": "Nothing due, and no new question is left in these topics.",
           "stopped": "Review stopped; every answer so far is saved and scheduled."},
    "zh": {"again": "结束前再来一遍：{n} 张选了“忘了”的卡片。",
           "next": "下一张卡片 {when}到期（{at}）。",
           "nothing_next": "现在没有到期的卡片。下一张 {when}到期（{at}）。",
           "nothing_cap": "没有到期的卡片，今天的 {limit} 道新题额度也已用完：今天首次作答了 {today} 道题（quiz start 和模拟面试也计入）。"
                          "明天再来，或现在运行：quiz review --new {more}",
           "nothing_new": "没有到期的卡片：调大 --new 开始新题（今天允许 0 道）。",
           "nothing_left": "没有到期的卡片，这些主题也没有新题了。",
           "stopped": "复习已结束，已作答的题目都已保存并安排了复习时间。"},
}


EXERCISES: dict[str, ExerciseText] = {
    "en": {"title": "Exercises", "exercise": "exercise", "kind": "kind", "name": "title", "status": "status",
           "statuses": {"passed": "passed", "failed": "failed", "not-tried": "not-tried"},
           "topic": "topic", "edge_cases": "Edge cases", "hint": "Hint {i}/{n}",
           "more_hints": "{n} more hint(s): {command}", "last_hint": "That was the last hint.", "start": "Start",
           "all_passed": "Every exercise is passed. Well done.",
           "next": "Next exercise: {id} ({title}). File: {file}\nRead it: quiz exercise show {id}; then run: quiz grade {file}",
           "wrote": "wrote {file}; edit it, then run: quiz grade {file}",
           "broken": "skipped a broken exercise file: {problem}"},
    "zh": {"title": "编程练习", "exercise": "练习", "kind": "类型", "name": "标题", "status": "状态",
           "statuses": {"passed": "已通过", "failed": "未通过", "not-tried": "未尝试"},
           "topic": "主题", "edge_cases": "边界情况", "hint": "提示 {i}/{n}",
           "more_hints": "还有 {n} 条提示：{command}", "last_hint": "所有提示都已显示。", "start": "开始",
           "all_passed": "每道编程练习都已通过。",
           "next": "下一道练习：{id}（{title}）。文件：{file}\n查看题目：quiz exercise show {id}；写完后运行：quiz grade {file}",
           "wrote": "已写入 {file}；编辑后运行：quiz grade {file}",
           "broken": "已跳过一个损坏的练习文件：{problem}"},
}


TOPICS: dict[str, TopicsText] = {
    "en": {"title": "Topics", "caption": "+N∞: parametric templates, fresh numbers every time", "topic": "topic",
           "questions": "questions", "exercises": "exercises", "answered": "answered", "accuracy": "accuracy"},
    "zh": {"title": "主题", "caption": "+N∞：参数化模板，每次生成新的数字", "topic": "主题",
           "questions": "题目", "exercises": "编程练习", "answered": "已答", "accuracy": "正确率"},
}


TODAY: dict[str, TodayText] = {
    "en": {"title": "Today", "due": "Reviews due now: {n}", "new": "New questions for today: {n} (limit {limit}; {unseen} never seen)",
           "exercise": "Next exercise: {id} ({title}); {passed}/{total} passed", "all_passed": "Every exercise is passed.",
           "start_review": "Enter starts the review (quiz review); q quits: ",
           "start_practice": "Nothing due. Enter starts a practice session (quiz start); q quits: ",
           "then": "Then: quiz exercise next"},
    "zh": {"title": "今天", "due": "到期复习：{n} 道", "new": "今天的新题：{n} 道（上限 {limit}；{unseen} 道从未做过）",
           "exercise": "下一道编程练习：{id}（{title}）；已通过 {passed}/{total}", "all_passed": "所有编程练习都已通过。",
           "start_review": "按 Enter 开始复习（quiz review）；q 退出：",
           "start_practice": "没有到期的题目。按 Enter 开始练习（quiz start）；q 退出：",
           "then": "之后：quiz exercise next"},
}


class ErrorText(TypedDict):
    """The prefixes of the one-line error and note."""

    error: str
    note: str


ERRORS: dict[str, ErrorText] = {
    "en": {"error": "error: ", "note": "note: "},
    "zh": {"error": "错误：", "note": "提示："},
}


# The tool's errors are written in English where they are raised (the core knows no language);
# a Chinese session shows them through these phrases, applied in order to the English message.
# A message none of them matches is shown as it is.
ERROR_PHRASES: tuple[tuple[str, str], ...] = (
    (r"--count must be at least 1, got (\S+)", r"--count 至少为 1，收到的是 \1"),
    (r"^no such file or folder: (.+)$", r"文件或文件夹不存在：\1"),
    (r"^no such folder: (.+)$", r"文件夹不存在：\1"),
    (r"^no such file: (.+)$", r"文件不存在：\1"),
    (r"^not a file: (.+)$", r"不是文件：\1"),
    (r"^(.+) already exists; not overwriting it \(pass another PATH\)$", r"\1 已存在，不会覆盖（请另给一个 PATH）"),
    (r"unknown exercise '([^']*)'", r"没有名为 '\1' 的练习"),
    (r"unknown topic '([^']*)'", r"没有主题 '\1'"),
    (r"unknown difficulty '([^']*)'", r"没有难度 '\1'"),
    (r"unknown type '([^']*)'", r"没有题型 '\1'"),
    (r"unknown device '([^']*)': use cpu, cuda or auto", r"没有设备 '\1'：请用 cpu、cuda 或 auto"),
    (r"; valid: ", "；可选："),
    (r"; did you mean ([^?]+)\?", r"；你是不是想找 \1？"),
    (r"; `quiz exercises` lists them", "；`quiz exercises` 会列出全部练习"),
    (r" \(from the header of (.+)\)$", r"（来自 \1 的文件头）"),
    (r"no mock interview with session id '([^']*)'", r"没有会话 ID 为 '\1' 的模拟面试"),
    (r"; no mock interview is stored yet", "；还没有保存任何模拟面试"),
    (r"; recent: ", "；最近的："),
    (r"^--minutes sets the length of a mock interview: add --mode mock$", "--minutes 设定模拟面试的时长：请加上 --mode mock"),
    (r"^--minutes must be more than 0 and at most (\d+), got (\S+)$", r"--minutes 必须大于 0 且不超过 \1，收到的是 \2"),
    (r"^--timeout must be a positive number of seconds$", "--timeout 必须是正的秒数"),
    (r"^no question matches these filters$", "没有符合这些条件的题目"),
    (r"^cannot read (.+?): (.+)$", r"无法读取 \1：\2"),
)


def translate_error(message: str, lang: str) -> str:
    """The error ``message`` in ``lang`` (Chinese through :data:`ERROR_PHRASES`; English as raised)."""
    if lang != "zh":
        return message
    import re

    for pattern, zh in ERROR_PHRASES:
        message = re.sub(pattern, zh, message)
    return message


# The grader's own words around a case (what compare and the runner write), for a Chinese report.
# Checks written by an exercise (its notes and diagnoses) stay as the exercise wrote them.
GRADE_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bwrong at (\[[^\]]*\]): expected (\S+), got (\S+)", r"\1 处不对：应为 \2，实际为 \3"),
    (r"\((\d+) of (\d+) (?:values?|elements?) differ\)", r"（共 \2 个值，\1 个不同）"),
    (r"\((\d+) of (\d+) (?:values?|elements?) differ;", r"（共 \2 个值，\1 个不同；"),
    (r"\bmax abs error\b", "最大绝对误差"),
    (r"\bmax rel error\b", "最大相对误差"),
    (r"\babs error\b", "绝对误差"),
    (r"\brel error\b", "相对误差"),
    (r"^timed out after (\S+) s during case (\S+)$", r"用例 \2 运行超时（\1 秒）"),
    (r"^timed out after (\S+) s$", r"运行超时（\1 秒）"),
    (r"^(\w+) is not defined; the file defines (.+)$", r"没有定义 \1；文件中定义的是 \2"),
    (r"^(\w+) is not defined$", r"没有定义 \1"),
    (r"\bdtype: expected (\S+), got (\S+)", r"dtype 应为 \1，实际为 \2"),
    (r"^expected (.+), got (.+)$", r"应为 \1，实际为 \2"),
    (r"^the grader could not start the submission \(.*\): a problem of the grader or its installation, not of the code$",
     "评分器没能启动这份代码（评分器自身的文件或沙箱在代码运行之前出错，原因见下方的错误输出）：这是评分器或其安装的问题，不是代码的问题"),
)


def translate_grade(text: str, lang: str) -> str:
    """A line the grader wrote, in ``lang`` (Chinese through :data:`GRADE_PHRASES`; as written otherwise)."""
    if lang != "zh" or not text:
        return text
    import re

    lines = []
    for line in text.split("\n"):
        for pattern, zh in GRADE_PHRASES:
            line = re.sub(pattern, zh, line)
        lines.append(line)
    return "\n".join(lines)
