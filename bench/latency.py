"""Benchmark of the knowledge core: answer latency (p50/p99) on the shipped knowledge and on a
generated one with 10,000 FAQ entries and 2,000 catalogue services, beside a naive baseline
(rapidfuzz `process.extractOne` with `WRatio` over all phrasings): its accuracy and latency.

Run:  python bench/latency.py            (about a minute on 2 cores)
      python bench/latency.py --quick    (smaller generated knowledge, for a smoke test)
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.evaluation import evaluate, load_cases  # noqa: E402
from bot.knowledge.assistant import Assistant  # noqa: E402
from bot.knowledge import yaml_positions  # noqa: E402
from bot.knowledge.load import load_knowledge  # noqa: E402

EVAL = ROOT / "tests" / "data" / "eval.yaml"
SECOND = ROOT / "tests" / "data" / "zweites-programm.yaml"


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return p(0.5) * 1000, p(0.99) * 1000, statistics.fmean(ordered) * 1000


def measure(answer, questions: list[tuple[str, date]], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for question, as_of in questions:
            start = time.perf_counter()
            answer(question, as_of)
            samples.append(time.perf_counter() - start)
    return samples


@contextlib.contextmanager
def timing_yaml(seconds: dict[str, float]):
    """Adds the time spent in libyaml's composer and in yaml_positions.load (compose + values and
    positions) while loading, measured in place by wrapping both for the duration."""
    compose, load = yaml.compose, yaml_positions.load

    def timed(name, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
        return wrapper

    yaml.compose, yaml_positions.load = timed("compose", compose), timed("parse", load)
    try:
        yield
    finally:
        yaml.compose, yaml_positions.load = compose, load


def timed_build(directory: Path, **kwargs) -> tuple[Assistant, float, str]:
    """The assistant of a knowledge directory, the seconds its build took, and where they went."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    with timing_yaml(seconds):
        knowledge = load_knowledge(directory, **kwargs)
    loaded = time.perf_counter() - start
    assistant = Assistant(knowledge)
    total = time.perf_counter() - start
    parse = seconds.get("parse", 0.0)
    stages = [f"YAML parse {parse * 1000:.0f} (libyaml compose {seconds.get('compose', 0.0) * 1000:.0f}, values and "
              f"positions {(parse - seconds.get('compose', 0.0)) * 1000:.0f})",
              f"checks and model {(loaded - parse) * 1000:.0f}"]
    stages += [f"{stage} {s * 1000:.0f}" for stage, s in assistant.matcher.build_seconds.items()]
    matcher = sum(assistant.matcher.build_seconds.values())
    stages.append(f"rest {(total - loaded - matcher) * 1000:.0f}")
    return assistant, total, "build stages (ms): " + ", ".join(stages)


SYLLABLES = "ba be bi bo bu da de di do du fa fe fi ga ge go ka ke ki ko ku la le li lo lu ma me mi mo na ne ni no " \
            "ra re ri ro sa se si so ta te ti to wa we wi za ze zi".split()
NOUNS = "genehmigung anmeldung antrag erlaubnis bescheinigung ausweis meldung anzeige zuschuss karte schein " \
        "nachweis auskunft erstattung befreiung zulassung".split()


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def generate_knowledge(target: Path, entries: int, services: int, seed: int = 7) -> None:
    """The shipped knowledge plus generated FAQ entries and catalogue rows of the same shape."""
    rng = random.Random(seed)
    for name in ("faq.yaml", "regeln.yaml"):
        shutil.copy(ROOT / name, target / name)
    lines = [(target / "faq.yaml").read_text(encoding="utf-8").rstrip("\n")]
    for i in range(entries):
        topic = f"{word(rng)}{rng.choice(NOUNS)}"
        lines.append(f"""
  - id: gen-{i}
    title: "Was gilt für die {topic.capitalize()}?"
    questions:
      - "Was gilt für die {topic}?"
      - "Wie funktioniert die {topic} im {word(rng)}amt?"
      - "Wer ist für {topic} zuständig?"
      - "Gibt es für {word(rng)} eine {topic}?"
    answer: |
      Für die {topic.capitalize()} gilt die Regel {word(rng)}. Fragen Sie das {word(rng)}amt.
    tags: [grundlagen]
    source: pm-2022-10-17""")
    (target / "faq.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = (ROOT / "katalog.csv").read_text(encoding="utf-8").rstrip("\n").splitlines()
    for i in range(services):
        name = f"{word(rng).capitalize()}{rng.choice(NOUNS)}"
        rows.append(f"gen-{i};{name} beantragen;Allgemeine Verwaltung;{rng.choice(['kisa', 'kisa', 'efa'])};"
                    f"verfuegbar;{word(rng)}, {word(rng)} {rng.choice(NOUNS)}")
    (target / "katalog.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


class Baseline:
    """The naive approach: the best WRatio match over every phrasing and catalogue name decides."""

    def __init__(self, assistant: Assistant):
        k = assistant.knowledge
        self.choices, self.ids = [], []
        for e in k.entries:
            for text in (e.title, *e.questions):
                self.choices.append(utils.default_process(text))
                self.ids.append(("faq", e.id))
        for s in k.services:
            for text in (s.name, *s.keywords):
                self.choices.append(utils.default_process(text))
                self.ids.append(("service", s.id))

    def top(self, question: str) -> tuple[str, str]:
        best = process.extractOne(utils.default_process(question), self.choices, scorer=fuzz.WRatio,
                                  processor=None)
        return self.ids[best[2]] if best else ("", "")


def baseline_accuracy(baseline: Baseline, assistant: Assistant, cases) -> tuple[float, float, int]:
    """On cases labelled with a service or an FAQ entry: share where the top match is the right one,
    for the baseline and for the assistant."""
    labelled = [c for c in cases if c.expect.get("service") or c.expect.get("faq")]
    base_ok = ours_ok = 0
    for case in labelled:
        want = ("service", case.expect["service"]) if case.expect.get("service") else ("faq", case.expect["faq"])
        base_ok += baseline.top(case.question) == want
        answer = assistant.answer(case.question, case.as_of)
        got = ("service", answer.service) if answer.service else ("faq", answer.faq)
        ours_ok += got == want
    return base_ok / len(labelled), ours_ok / len(labelled), len(labelled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    entries, services = (1000, 200) if args.quick else (10_000, 2_000)
    cases = load_cases(EVAL)
    questions = [(c.question, c.as_of) for c in cases]

    shipped, build_shipped, shipped_stages = timed_build(ROOT)
    second = Assistant(load_knowledge(ROOT, extra_rule_files=[SECOND]))
    accuracy = evaluate(cases, lambda r: second if r else shipped).accuracy
    measure(shipped.answer, questions, 1)  # warm caches
    p50, p99, mean = percentiles(measure(shipped.answer, questions, 5))
    print(f"Shipped knowledge: {len(shipped.knowledge.entries)} FAQ entries, {len(shipped.knowledge.services)} "
          f"services; build {build_shipped * 1000:.0f} ms")
    print(f"  {shipped_stages}")
    print(f"  core answer latency over {len(questions) * 5} answers: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
          f"mean {mean:.2f} ms  (target p99 <= 5 ms)")
    print(f"  eval accuracy (all {len(cases)} cases): {accuracy:.1%}")

    baseline = Baseline(shipped)
    b50, b99, bmean = percentiles(measure(lambda q, d: baseline.top(q), questions, 5))
    base_acc, ours_acc, n = baseline_accuracy(baseline, shipped, cases)
    print(f"Baseline extractOne/WRatio over {len(baseline.choices)} phrasings: p50 {b50:.2f} ms, p99 {b99:.2f} ms")
    print(f"  right entry on the {n} cases labelled with a service or FAQ entry: baseline {base_acc:.1%}, "
          f"Förderbot {ours_acc:.1%} (ratio {ours_acc / base_acc:.2f}x); the baseline has no verdicts, "
          "no clarify and no fallback at all")
    print(f"  latency ratio Förderbot/baseline (p50): {p50 / b50:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        generate_knowledge(Path(tmp), entries, services)
        big, build_big, big_stages = timed_build(Path(tmp))
        measure(big.answer, questions, 1)
        g50, g99, gmean = percentiles(measure(big.answer, questions, 3))
        big_accuracy = evaluate([c for c in cases if not c.rules], lambda r: big).accuracy
        big_baseline = Baseline(big)
        bb50, bb99, _ = percentiles(measure(lambda q, d: big_baseline.top(q), questions, 1))
    print(f"Generated knowledge: {len(big.knowledge.entries)} FAQ entries, {len(big.knowledge.services)} services; "
          f"build {build_big:.1f} s  (target <= 2 s)")
    print(f"  {big_stages}")
    print(f"  core answer latency over {len(questions) * 3} answers: p50 {g50:.2f} ms, p99 {g99:.2f} ms, "
          f"mean {gmean:.2f} ms  (target p99 <= 5 ms)")
    print(f"  eval accuracy with the generated entries mixed in: {big_accuracy:.1%}")
    print(f"  baseline on it: p50 {bb50:.2f} ms, p99 {bb99:.2f} ms")


if __name__ == "__main__":
    main()
