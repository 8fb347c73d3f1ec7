"""What changes between two knowledge versions: entries, answers, catalogue, and verdicts per service.

`diff_knowledge` is the reusable piece: `kb diff` shows it before a reload, and change notices to
subscribed chats are built from its `verdict_changes` – compared today and at every period boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Knowledge, Verdict
from .model import Subject
from .rules import judge, judge_all


@dataclass(frozen=True)
class VerdictChange:
    service: str  # the catalogue id, or "" for a change of a programme itself
    name: str
    old_verdict: Verdict | None  # None: the service did not exist
    new_verdict: Verdict | None  # None: the service was removed
    old_deadline: date | None
    new_deadline: date | None
    day: date | None = None  # the day the verdict differs on (today, or a period boundary)
    programme: str = ""  # for a programme's own change: its id

    @property
    def key(self) -> str:
        """What the change is about, as subscriptions name it: "service:<id>" or "programme:<id>"."""
        return f"service:{self.service}" if self.service else f"programme:{self.programme}"


@dataclass(frozen=True)
class KnowledgeDiff:
    entries_added: tuple[str, ...]
    entries_removed: tuple[str, ...]
    answers_changed: tuple[str, ...]
    phrasings_changed: tuple[str, ...]
    services_added: tuple[str, ...]
    services_removed: tuple[str, ...]
    services_changed: tuple[str, ...]
    programmes_changed: tuple[str, ...]
    verdict_changes: tuple[VerdictChange, ...]

    @property
    def empty(self) -> bool:
        return not any((self.entries_added, self.entries_removed, self.answers_changed, self.phrasings_changed,
                        self.services_added, self.services_removed, self.services_changed,
                        self.programmes_changed, self.verdict_changes))


def _state(judgement) -> tuple[Verdict, date | None] | None:
    """What a change compares: the verdict, and the deadline unless nothing is funded (an excluded
    service has no deadline to change when its programme's period is extended)."""
    if judgement is None:
        return None
    return judgement.verdict, None if judgement.verdict is Verdict.NOT_ELIGIBLE else judgement.deadline


def _verdicts(knowledge: Knowledge, as_of: date) -> dict[str, tuple[Verdict, date | None] | None]:
    out = {}
    for service in knowledge.services:
        judgements = judge_all(knowledge, Subject(service=service), as_of)
        out[service.id] = _state(judgements[0] if judgements else None)
    return out


def _programme_verdicts(knowledge: Knowledge, as_of: date) -> dict[str, tuple[Verdict, date | None] | None]:
    out = {}
    for programme in knowledge.programmes:
        out[programme.id] = _state(judge(programme, Subject(), as_of, knowledge.vocabulary))
    return out


def boundary_days(*versions: Knowledge) -> list[date]:
    """The days on which a verdict can turn: each period's first and last day, and the day after it."""
    days: set[date] = set()
    for knowledge in versions:
        for programme in knowledge.programmes:
            for period in programme.periods:
                days.update((period.start, period.end, date.fromordinal(period.end.toordinal() + 1)))
    return sorted(days)


def verdict_changes(old: Knowledge, new: Knowledge, today: date) -> tuple[VerdictChange, ...]:
    """Services and programmes whose verdict or deadline differs – today, or at a period boundary (a
    confirmed condition changes 2023's verdict, not today's). One change per subject: today's if it
    differs, else the first boundary's."""
    found: dict[str, VerdictChange] = {}
    for day in [today] + boundary_days(old, new):
        for change in _changes_on(old, new, day):
            found.setdefault(change.key, change)
    return tuple(found.values())


def _changes_on(old: Knowledge, new: Knowledge, day: date) -> list[VerdictChange]:
    out = []
    old_services, new_services = {s.id: s for s in old.services}, {s.id: s for s in new.services}
    before, after = _verdicts(old, day), _verdicts(new, day)
    for service_id in list(old_services) + [i for i in new_services if i not in old_services]:
        was, now = before.get(service_id), after.get(service_id)
        if was != now:
            name = (new_services.get(service_id) or old_services[service_id]).name
            out.append(VerdictChange(service_id, name, was[0] if was else None, now[0] if now else None,
                                     was[1] if was else None, now[1] if now else None, day))
    titles = {p.id: p.title for p in (*old.programmes, *new.programmes)}
    before, after = _programme_verdicts(old, day), _programme_verdicts(new, day)
    for programme_id in dict.fromkeys([*before, *after]):
        was, now = before.get(programme_id), after.get(programme_id)
        if was != now:
            out.append(VerdictChange("", titles[programme_id], was[0] if was else None, now[0] if now else None,
                                     was[1] if was else None, now[1] if now else None, day, programme_id))
    return out


def diff_knowledge(old: Knowledge, new: Knowledge, as_of: date) -> KnowledgeDiff:
    old_entries = {e.id: e for e in old.entries}
    new_entries = {e.id: e for e in new.entries}
    old_services = {s.id: s for s in old.services}
    new_services = {s.id: s for s in new.services}
    old_programmes = {p.id: p for p in old.programmes}
    new_programmes = {p.id: p for p in new.programmes}
    return KnowledgeDiff(
        entries_added=tuple(i for i in new_entries if i not in old_entries),
        entries_removed=tuple(i for i in old_entries if i not in new_entries),
        answers_changed=tuple(i for i in new_entries if i in old_entries
                              and new_entries[i].answer != old_entries[i].answer),
        phrasings_changed=tuple(i for i in new_entries if i in old_entries
                                and new_entries[i].questions != old_entries[i].questions),
        services_added=tuple(i for i in new_services if i not in old_services),
        services_removed=tuple(i for i in old_services if i not in new_services),
        services_changed=tuple(i for i in new_services if i in old_services and new_services[i] != old_services[i]),
        programmes_changed=tuple(sorted(i for i in set(old_programmes) | set(new_programmes)
                                        if old_programmes.get(i) != new_programmes.get(i))),
        verdict_changes=verdict_changes(old, new, as_of),
    )
