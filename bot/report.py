"""Reports for the support team from the question log: what went unanswered, what got 👎,
what is asked most, verdicts per day – with, for each group, the nearest FAQ entry or service."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from rapidfuzz import fuzz

from .knowledge.assistant import Assistant
from .knowledge.dates import BERLIN
from .knowledge.numbers import german_percent
from .knowledge.text import words

LOW_CONFIDENCE = 60.0  # best match score below which an answer counts as uncertain
SIMILAR = 72  # token_set_ratio from which two questions belong to one group
_SINCE = re.compile(r"^(\d+)\s*([dwhm]?)$")


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """"7d", "2w", "12h", "30" (days) or a date "2024-12-01" → the start of the report period (UTC)."""
    now = now or datetime.now(timezone.utc)
    match = _SINCE.match(text.strip().lower())
    if match:
        amount, unit = int(match.group(1)), match.group(2) or "d"
        delta = {"d": timedelta(days=amount), "w": timedelta(weeks=amount), "h": timedelta(hours=amount),
                 "m": timedelta(days=30 * amount)}[unit]
        return now - delta
    try:
        return datetime.combine(date.fromisoformat(text.strip()), datetime.min.time(), timezone.utc)
    except ValueError:
        raise ValueError(f"»{text}« verstehe ich nicht als Zeitraum. Beispiele: 7d, 2w, 24h, 2024-12-01.") from None


@dataclass
class Group:
    example: str
    questions: list[str] = field(default_factory=list)
    suggestion: str = ""

    @property
    def count(self) -> int:
        return len(self.questions)


@dataclass
class Report:
    since: datetime
    total: int
    answered: int
    unanswered: list[Group]
    disliked: list[dict]
    most_asked: list[Group]
    verdicts_per_day: dict[str, Counter]
    feedback: Counter


def is_unanswered(row: dict) -> bool:
    return (row["kind"] in ("fallback", "clarify") or row["verdict"] == "unknown"
            or (row["kind"] == "answer" and row["score"] is not None and row["score"] < LOW_CONFIDENCE))


def group_similar(questions: list[str]) -> list[Group]:
    """Greedy grouping by similarity of the normalised text; biggest groups first."""
    groups: list[tuple[str, Group]] = []
    for question in questions:
        key = " ".join(words(question))
        for group_key, group in groups:
            if fuzz.token_set_ratio(key, group_key, processor=None) >= SIMILAR:
                group.questions.append(question)
                break
        else:
            groups.append((key, Group(example=question, questions=[question])))
    return sorted((g for _, g in groups), key=lambda g: (-g.count, g.example))


def suggest(assistant: Assistant, question: str) -> str:
    """The FAQ entry or catalogue service the question came closest to: where a new phrasing belongs."""
    best = assistant.nearest(question, date.today())
    if best is None:
        return "kein passender Eintrag – neuer FAQ-Eintrag nötig?"
    kind = "Katalog" if best.type == "service" else "FAQ"
    return f"{kind} »{best.title}« [{best.id}] ({best.score:.0f} Punkte)"


def build_report(rows: list[dict], since: datetime, assistant: Assistant | None, top: int = 10) -> Report:
    rows = [r for r in rows if r["at"] >= since.isoformat(timespec="seconds")]
    unanswered = group_similar([r["question"] for r in rows if is_unanswered(r)])[:top]
    if assistant is not None:
        for group in unanswered:
            group.suggestion = suggest(assistant, group.example)
    per_day: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        per_day[r["at"][:10]][r["verdict"] or r["kind"]] += 1
    return Report(
        since=since,
        total=len(rows),
        answered=sum(not is_unanswered(r) for r in rows),
        unanswered=unanswered,
        disliked=[r for r in rows if r["feedback"] == "down"],
        most_asked=group_similar([r["question"] for r in rows])[:top],
        verdicts_per_day=dict(sorted(per_day.items())),
        feedback=Counter(r["feedback"] for r in rows if r["feedback"]),
    )


def format_text(report: Report) -> str:
    since = report.since.astimezone(BERLIN)
    lines = [f"Bericht seit {since:%d.%m.%Y %H:%M} Uhr: {report.total} Fragen aus Telegram, davon "
             f"{report.answered} sicher beantwortet"
             + (f" ({german_percent(report.answered / report.total)})" if report.total else "")
             + f"; Bewertungen: 👍 {report.feedback.get('up', 0)}, 👎 {report.feedback.get('down', 0)}", ""]
    lines.append("Unbeantwortet oder unsicher (ähnliche Fragen zusammengefasst):")
    for group in report.unanswered:
        lines.append(f"  {group.count}× »{group.example}«")
        if group.suggestion:
            lines.append(f"      nächster Eintrag: {group.suggestion}")
    if not report.unanswered:
        lines.append("  – keine –")
    lines += ["", "Antworten mit 👎:"]
    for row in report.disliked:
        lines.append(f"  »{row['question']}« → {row['kind']}/{row['verdict'] or '–'}, Treffer {row['best_match'] or '–'}")
        if row.get("comment"):
            lines.append(f"      gefehlt hat: »{row['comment']}«")
    if not report.disliked:
        lines.append("  – keine –")
    lines += ["", "Am häufigsten gefragt:"]
    lines += [f"  {g.count}× »{g.example}«" for g in report.most_asked] or ["  – keine –"]
    lines += ["", "Urteile je Tag:"]
    for day, counts in report.verdicts_per_day.items():
        lines.append(f"  {day}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if not report.verdicts_per_day:
        lines.append("  – keine –")
    return "\n".join(lines)


def format_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["abschnitt", "anzahl", "beispiel", "vorschlag"])
    for group in report.unanswered:
        writer.writerow(["unbeantwortet", group.count, group.example, group.suggestion])
    for row in report.disliked:
        writer.writerow(["daumen_runter", 1, row["question"], row["best_match"] or ""])
        if row.get("comment"):
            writer.writerow(["gefehlt_hat", 1, row["question"], row["comment"]])
    for group in report.most_asked:
        writer.writerow(["haeufig", group.count, group.example, ""])
    for day, counts in report.verdicts_per_day.items():
        for verdict, count in sorted(counts.items()):
            writer.writerow(["urteile_" + day, count, verdict, ""])
    return out.getvalue()
