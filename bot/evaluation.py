"""Evaluate the assistant on a labelled question set: accuracy per category, errors, threshold tuning."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import yaml

from .knowledge.assistant import Assistant
from .knowledge.thresholds import Thresholds
from .knowledge.model import Answer
from .knowledge.numbers import german_percent
from .knowledge.text import fold
from .replies import to_json


@dataclass(frozen=True)
class Case:
    question: str
    category: str
    as_of: date
    expect: dict[str, Any]
    rules: str | None = None

    @property
    def split(self) -> str:
        """Deterministic half: "tune" (for choosing thresholds) or "test" (for reporting)."""
        digest = hashlib.sha256(self.question.encode()).digest()
        return "tune" if digest[0] % 2 == 0 else "test"


@dataclass
class Result:
    case: Case
    got: dict[str, Any]
    wrong: dict[str, tuple[Any, Any]]  # key → (expected, got)

    @property
    def ok(self) -> bool:
        return not self.wrong


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(r.ok for r in self.results) / len(self.results) if self.results else 0.0

    def by_category(self) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.results:
            out[r.case.category][0] += r.ok
            out[r.case.category][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def unsafe(self) -> list[Result]:
        """The worst errors: a positive verdict where none is due, or any verdict for out-of-scope."""
        bad = []
        for r in self.results:
            exp, got = r.case.expect, r.got
            positive = got.get("verdict") in ("eligible", "conditional")
            if positive and "verdict" in exp and exp["verdict"] not in ("eligible", "conditional"):
                bad.append(r)
            elif exp.get("kind") == "fallback" and got.get("verdict") is not None:
                bad.append(r)
        return bad

    def errors_by_route(self) -> Counter:
        """Wrong answers per deciding rule: where the decision stage goes wrong."""
        return Counter(r.got.get("route") or "?" for r in self.results if not r.ok)

    def errors(self) -> list[dict[str, Any]]:
        """The wrong answers with what was expected and what decided (as `rasa test` writes
        intent_errors.json)."""
        keys = ("kind", "verdict", "service", "deadline", "faq", "route", "listed")
        return [{"question": r.case.question, "category": r.case.category, "as_of": r.case.as_of.isoformat(),
                 "expected": r.case.expect, "got": {k: r.got.get(k) for k in keys},
                 "wrong": {k: {"expected": e, "got": g} for k, (e, g) in r.wrong.items()},
                 "trace": r.got.get("trace", {})}
                for r in self.results if not r.ok]

    def confusion(self) -> Counter:
        return Counter((str(w[0]), str(w[1])) for r in self.results for k, w in r.wrong.items() if k == "kind")


def load_cases(path: Path) -> list[Case]:
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    default = _as_date(data.get("default_as_of"))
    cases = []
    for raw in data["cases"]:
        expect = dict(raw.get("expect") or {})
        for key in ("deadline",):
            if expect.get(key) is not None:
                expect[key] = str(_as_date(expect[key]))
        cases.append(Case(str(raw["q"]), raw.get("category", "ohne"), _day(raw, default, path), expect,
                          raw.get("rules")))
    return cases


@dataclass(frozen=True)
class Dialogue:
    """A conversation of a question set: turns answered in order, each against what came before."""

    id: str
    turns: tuple[Case, ...]


def is_conversation_set(path: Path) -> bool:
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return isinstance(data, dict) and "conversations" in data


def load_dialogues(path: Path) -> list[Dialogue]:
    """`conversations:` – each with an id, an optional `as_of` and `turns` of `q` and `expect`. The first
    turn counts as category "erste Frage", later ones as "Folgefrage"."""
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    default = _as_date(data.get("default_as_of"))
    out: list[Dialogue] = []
    for raw in data["conversations"]:
        as_of = _day(raw, default, path)
        turns = []
        for i, turn in enumerate(raw["turns"]):
            expect = dict(turn.get("expect") or {})
            if expect.get("deadline") is not None:
                expect["deadline"] = str(_as_date(expect["deadline"]))
            turns.append(Case(str(turn["q"]), "erste Frage" if i == 0 else "Folgefrage", as_of, expect))
        out.append(Dialogue(str(raw.get("id", len(out) + 1)), tuple(turns)))
    return out


def evaluate_dialogues(dialogues: Iterable[Dialogue], assistant: Assistant) -> Report:
    """Every turn answered in its conversation (a minute apart), compared with its labels."""
    from .knowledge.conversation import Conversation
    report = Report()
    for dialogue in dialogues:
        conversation = Conversation(assistant)
        at = datetime(2000, 1, 1, 9, 0)
        for case in dialogue.turns:
            report.results.append(compare(case, conversation.ask(case.question, case.as_of, at)))
            at += timedelta(minutes=1)
    return report


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _day(raw: dict, default: date | None, path: Path) -> date:
    day = _as_date(raw.get("as_of")) or default
    if day is None:
        raise ValueError(f"{path}: »{raw.get('q', raw.get('id'))}« hat kein as_of, und die Datei kein default_as_of.")
    return day


def compare(case: Case, answer: Answer) -> Result:
    got = to_json(answer)
    wrong: dict[str, tuple[Any, Any]] = {}
    actual: Any
    for key, expected in case.expect.items():
        if key == "faq":
            actual = answer.faq
        elif key == "contains":
            missing = [item for item in expected if not _contains(got["answer"], item)]
            if missing:
                wrong[key] = (expected, missing)
            continue
        elif key == "listed":
            actual = sorted(got.get("listed") or [])
            if actual != sorted(expected):
                wrong[key] = (sorted(expected), actual)
            continue
        elif key == "candidates":
            offered = {m["id"] for m in got["matches"]}
            actual = sorted(offered)
            if answer.kind.value != "clarify" or not set(expected) <= offered:
                wrong[key] = (expected, actual)
            continue
        else:
            actual = got.get(key)
        if actual != expected:
            wrong[key] = (expected, actual)
    return Result(case, got, wrong)


def _contains(text: str, item: str) -> bool:
    """`item` ("A|B" = either) occurs in `text`, case and umlaut spelling ignored; a backslash before a
    character is dropped ("31\\.12\\.2024", as label writers used to regular expressions write it)."""
    folded = fold(text)
    return any(fold(re.sub(r"\\(.)", r"\1", alternative.strip())) in folded for alternative in str(item).split("|"))


def evaluate(cases: Iterable[Case], assistant_for: Callable[[str | None], Assistant]) -> Report:
    report = Report()
    for case in cases:
        assistant = assistant_for(case.rules)
        report.results.append(compare(case, assistant.answer(case.question, case.as_of)))
    return report


TUNING_GRID = {
    "service_accept": (0.55, 0.58, 0.62, 0.66, 0.70),
    "service_margin": (0.05, 0.08, 0.10, 0.14),
    "faq_accept": (0.42, 0.46, 0.50, 0.54, 0.58),
    "faq_clarify": (0.28, 0.34, 0.40),
}


def tune(cases: list[Case], assistant_for: Callable[[str | None], Assistant]) -> tuple[Thresholds, float]:
    """Grid search on the given cases. Among the settings with the best accuracy, the one nearest the
    middle of that plateau is chosen: it is the one least likely to flip on questions not seen."""
    base = assistant_for(None).thresholds
    keys = list(TUNING_GRID)
    scored = []
    try:
        for values in itertools.product(*(TUNING_GRID[k] for k in keys)):
            thresholds = replace(base, **cast(dict[str, Any], dict(zip(keys, values))))

            def with_thresholds(rules: str | None, _t=thresholds) -> Assistant:
                assistant = assistant_for(rules)
                assistant.thresholds = _t
                return assistant

            scored.append((evaluate(cases, with_thresholds).accuracy, values))
    finally:
        for rules in {c.rules for c in cases} | {None}:
            assistant_for(rules).thresholds = base
    best = max(accuracy for accuracy, _ in scored)
    plateau = [values for accuracy, values in scored if accuracy == best]
    middle = [sorted(v[i] for v in plateau)[len(plateau) // 2] for i in range(len(keys))]
    spans = [max(TUNING_GRID[k]) - min(TUNING_GRID[k]) or 1 for k in keys]
    chosen = min(plateau, key=lambda v: sum(abs(a - b) / s for a, b, s in zip(v, middle, spans)))
    return replace(base, **cast(dict[str, Any], dict(zip(keys, chosen)))), best


def format_report(report: Report, title: str) -> str:
    lines = [f"== {title}: {len(report.results)} Fragen =="]
    for category, (ok, total) in report.by_category().items():
        lines.append(f"  {category:<16} {ok:>4}/{total:<4} {german_percent(ok / total, 1):>7}")
    lines.append(f"  {'GESAMT':<16} {sum(r.ok for r in report.results):>4}/{len(report.results):<4} "
                 f"{german_percent(report.accuracy, 1):>7}")
    unsafe = report.unsafe()
    lines.append(f"  Unsichere Fehler (Verdikt ohne Grundlage): {len(unsafe)}")
    confusion = report.confusion()
    if confusion:
        lines.append("  Verwechslungen (erwartet → erhalten): " +
                     ", ".join(f"{a}→{b}: {n}" for (a, b), n in confusion.most_common()))
    by_route = report.errors_by_route()
    if by_route:
        lines.append("  Fehler je Regel (route): " + ", ".join(f"{route}: {n}" for route, n in by_route.most_common()))
    wrong = [r for r in report.results if not r.ok]
    if wrong:
        lines.append("  Falsche Antworten:")
    for r in wrong:
        diffs = "; ".join(f"{k}: erwartet {e!r}, erhalten {g!r}" for k, (e, g) in r.wrong.items())
        lines.append(f"  - [{r.case.category} | {r.got.get('route')}] {r.case.question!r} (Stand {r.case.as_of}): {diffs}")
    return "\n".join(lines)
