"""Bank scale: ``quiz validate`` on generated banks of 1,000 and 10,000 questions.

Baseline: the C YAML loader merely parsing the same files in one process.
Targets: validate(10k) <= 2x parse(10k), and validate(10k) <= 11x validate(1k).
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from _timing import BIN, env_with, report, time_command

WORDS = ("gradient tensor shard optimizer batch layer token attention cache memory bandwidth "
         "latency kernel precision recall dropout weight decay schedule warmup checkpoint pipeline "
         "stage bubble ring reduce scatter gather embedding vocabulary head norm residual").split()
ZH = "梯度 张量 分片 优化器 批次 层 词元 注意力 缓存 显存 带宽 延迟 精度 召回 正则 调度 流水线 通信".split()
TOPIC_SIZE = 250  # questions per topic file: a large real topic; shipped ones hold 25-70


def _sentence(rng: random.Random, n: int, zh: bool = False) -> str:
    words = ZH if zh else WORDS
    return ("" if zh else " ").join(rng.choice(words) for _ in range(n))


def _question(rng: random.Random, topic: str, i: int) -> str:
    kind = ("single", "multi", "truefalse", "numeric", "short")[i % 5]
    q = [f"  - id: {topic}-q{i}", f"    type: {kind}", f"    difficulty: {('easy', 'medium', 'hard')[i % 3]}",
         f"    tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
         "    prompt:", f"      en: \"Question {i}: {_sentence(rng, rng.randint(8, 60))}?\"",
         f"      zh: \"第 {i} 题：{_sentence(rng, rng.randint(6, 45), zh=True)}？\""]
    if kind in ("single", "multi"):
        q.append("    choices:")
        for c in range(4):
            q.append(f"      - {{en: \"{c} {_sentence(rng, 6)}\", zh: \"{c} {_sentence(rng, 5, zh=True)}\"}}")
        q.append(f"    answer: {'ABCD'[i % 4]}" if kind == "single" else "    answer: [A, C]")
    elif kind == "truefalse":
        q.append(f"    answer: {'true' if i % 2 else 'false'}")
    elif kind == "numeric":
        q += [f"    answer: {rng.randint(1, 10**9)}", "    unit: params", "    tolerance: {rel: 0.01}"]
    else:
        q += ["    keywords:", f"      - {{en: [{rng.choice(WORDS)}], zh: [{rng.choice(ZH)}]}}",
              f"      - {{en: [{rng.choice(WORDS)}], zh: [{rng.choice(ZH)}]}}",
              f"    model_answer: {{en: \"{_sentence(rng, 20)}\", zh: \"{_sentence(rng, 15, zh=True)}\"}}"]
    q += ["    explanation:", f"      en: \"{_sentence(rng, 40)}\"", f"      zh: \"{_sentence(rng, 30, zh=True)}\"",
          "    references: [{source: \"Goodfellow, Bengio & Courville, Deep Learning, MIT Press 2016\", locator: p. 1}]"]
    return "\n".join(q)


def make_bank(folder: Path, n: int) -> Path:
    """Write ``n`` generated questions in topic files of TOPIC_SIZE questions."""
    rng = random.Random(n)
    folder.mkdir(parents=True)
    topics = n // TOPIC_SIZE
    for t in range(topics):
        topic = f"topic{t}"
        head = [f"topic:\n  id: {topic}\n  title: {{en: T{t}, zh: T{t}}}\n  description: {{en: D, zh: D}}\nquestions:"]
        body = [_question(rng, topic, i) for i in range(t, n, topics)]
        (folder / f"{topic}.yaml").write_text("\n".join(head + body) + "\n", encoding="utf-8")
    return folder


PARSE = ("import sys, yaml, pathlib\n"
         "for f in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
         "    yaml.load(f.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n")


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="quiz-bank-scale-"))
    env = env_with(QUIZ_HOME=str(tmp / "home"))
    small = make_bank(tmp / "1k", 1_000)
    large = make_bank(tmp / "10k", 10_000)
    quiz = str(BIN / "quiz")
    v1k = time_command([quiz, "validate", str(small)], env=env, runs=5)
    v10k = time_command([quiz, "validate", str(large)], env=env, runs=3)
    p10k = time_command([sys.executable, "-c", PARSE, str(large)], env=env, runs=3)
    ok = report(
        [("quiz validate 1k", v1k), ("quiz validate 10k", v10k), ("C loader parse 10k", p10k)],
        [("validate 10k / parse 10k", v10k, p10k, 2.0), ("validate 10k / validate 1k", v10k, v1k, 11.0)],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
