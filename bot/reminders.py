"""Deadline reminders: 90, 30 and 7 days before the end of a programme period that concerns a
subscription, as rows in SQLite (due, status) that the notice job sends when due.

A reminder is due at the start of the sending window on its day – moved to the last working day
before it when that day has no window, so that it never comes later than promised. After downtime
only the latest missed reminder of a period is sent (marked late); none once the period has ended;
a row is sent once (its status changes in the same transaction that hands it to the outbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .config import Settings
from .knowledge.dates import BERLIN, german_date
from .knowledge.model import Knowledge, Programme, Subject, Verdict
from .knowledge.rules import judge
from .subscriptions import Subscription

REMINDER_DAYS = (90, 30, 7)
LATE_AFTER = 24 * 3600.0  # a reminder sent this long after it was due says it is late


@dataclass(frozen=True)
class NoticeWindow:
    """When reminders and notices may go out: weekdays (ISO, inclusive) and hours (Europe/Berlin)."""

    days: tuple[int, int] = (1, 5)
    hours: tuple[int, int] = (8, 18)

    @classmethod
    def of(cls, settings: Settings) -> NoticeWindow:
        return cls(settings.notice_days, settings.notice_hours)

    def is_open(self, moment: float) -> bool:
        local = datetime.fromtimestamp(moment, BERLIN)
        return self.days[0] <= local.isoweekday() <= self.days[1] and self.hours[0] <= local.hour < self.hours[1]

    def due_time(self, day: date) -> float:
        """The window's start on `day`, or on the last day before it that has a window."""
        while not self.days[0] <= day.isoweekday() <= self.days[1]:
            day -= timedelta(days=1)
        return datetime.combine(day, time(self.hours[0]), BERLIN).timestamp()


def concerned_programmes(knowledge: Knowledge, subscription: Subscription, today: date) -> list[Programme]:
    """Programmes the subscription lists, or that speak to a listed service and do not exclude it."""
    if subscription.all_programmes:
        return list(knowledge.programmes)
    out = []
    services = [knowledge.service(k.split(":", 1)[1]) for k in subscription.items if k.startswith("service:")]
    for programme in knowledge.programmes:
        if f"programme:{programme.id}" in subscription.items:
            out.append(programme)
            continue
        for service in filter(None, services):
            judgement = judge(programme, Subject(service=service), today, knowledge.vocabulary)
            if judgement is not None and judgement.verdict is not Verdict.NOT_ELIGIBLE:
                out.append(programme)
                break
    return out


def upcoming_ends(knowledge: Knowledge, subscription: Subscription, today: date) -> list[tuple[Programme, date]]:
    """(programme, period end) for every period of a concerned programme that has not ended."""
    return sorted(((p, period.end) for p in concerned_programmes(knowledge, subscription, today)
                   for period in p.periods if period.end >= today), key=lambda pair: pair[1])


def plan(knowledge: Knowledge, subscription: Subscription, now: float, window: NoticeWindow) -> list[dict]:
    """Reminder rows for the subscription; one already past when it is planned is recorded as skipped
    (a chat subscribing 20 days before the end gets the 7-day reminder, not three at once)."""
    today = datetime.fromtimestamp(now, BERLIN).date()
    rows = []
    for programme, end in upcoming_ends(knowledge, subscription, today):
        for days in REMINDER_DAYS:
            due = window.due_time(end - timedelta(days=days))
            rows.append({"chat_key": subscription.chat_key, "programme": programme.id, "period_end": end.isoformat(),
                         "days": days, "due": due, "status": "pending" if due > now else "skipped"})
    return rows


def settle_due(due: list[dict], knowledge: Knowledge, now: float) -> tuple[list[dict], list[tuple[int, str]]]:
    """Of the due rows: which to send (the latest per period, flagged late after LATE_AFTER) and what
    becomes of every row – sent, late, skipped (a later one of its period is sent), ended, obsolete
    (the period is no longer in the knowledge)."""
    today = datetime.fromtimestamp(now, BERLIN).date()
    latest: dict[tuple, dict] = {}
    for row in due:
        group = (row["chat_key"], row["programme"], row["period_end"])
        if group not in latest or row["due"] > latest[group]["due"]:
            latest[group] = row
    send, outcomes = [], []
    for row in due:
        group = (row["chat_key"], row["programme"], row["period_end"])
        end = date.fromisoformat(row["period_end"])
        programme = knowledge.programme(row["programme"])
        if programme is None or all(p.end != end for p in programme.periods):
            outcomes.append((row["id"], "obsolete"))
        elif end < today:
            outcomes.append((row["id"], "ended"))
        elif latest[group] is not row:
            outcomes.append((row["id"], "skipped"))
        else:
            late = now - row["due"] > LATE_AFTER
            send.append({**row, "late": late})
            outcomes.append((row["id"], "late" if late else "sent"))
    return send, outcomes


def reminder_text(knowledge: Knowledge, row: dict, now: float) -> str:
    """The German reminder (plain text)."""
    programme = knowledge.programme(row["programme"])
    if programme is None:
        raise LookupError(f"programme {row['programme']} is no longer in the knowledge")
    end = date.fromisoformat(row["period_end"])
    today = datetime.fromtimestamp(now, BERLIN).date()
    left = (end - today).days
    period = next(p for p in programme.periods if p.end == end)
    when = "heute" if left == 0 else ("morgen" if left == 1 else f"in {left} Tagen")
    lines = []
    if row.get("late"):
        lines.append(f"Verspätete Erinnerung (eigentlich {row['days']} Tage vorher fällig; der Bot war nicht "
                     "erreichbar):")
    else:
        lines.append("Erinnerung an eine Frist:")
    lines.append(f"Der Förderzeitraum »{programme.title}« ({german_date(period.start)} bis {german_date(end)}) "
                 f"endet {when}, am {german_date(end)}.")
    if period.condition:
        lines.append(f"Er steht unter Vorbehalt: {period.condition}.")
    if programme.end_is_presumed and end == programme.deadline:
        lines.append("Das Ende ist laut Quelle voraussichtlich, nicht verbindlich bestätigt.")
    lines.append("Abo ansehen oder ändern: /abo – beenden: /abo_beenden. Keine rechtsverbindliche Auskunft.")
    return "\n".join(lines)
