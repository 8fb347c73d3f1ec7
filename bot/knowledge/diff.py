"""What changes between two knowledge versions: entries, answers, catalogue, and verdicts per service.

`diff_knowledge` is the reusable piece: `kb diff` shows it before a reload, and change notices to
subscribed chats can be built from its `verdict_changes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Knowledge, Verdict
from .model import Subject
from .rules import judge_all


@dataclass(frozen=True)
class VerdictChange:
    service: str
    name: str
    old_verdict: Verdict | None  # None: the service did not exist
    new_verdict: Verdict | None  # None: the service was removed
    old_deadline: date | None
    new_deadline: date | None


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


def _verdicts(knowledge: Knowledge, as_of: date) -> dict[str, tuple[Verdict, date] | None]:
    out = {}
    for service in knowledge.services:
        judgements = judge_all(knowledge, Subject(service=service), as_of)
        out[service.id] = (judgements[0].verdict, judgements[0].deadline) if judgements else None
    return out


def diff_knowledge(old: Knowledge, new: Knowledge, as_of: date) -> KnowledgeDiff:
    old_entries = {e.id: e for e in old.entries}
    new_entries = {e.id: e for e in new.entries}
    old_services = {s.id: s for s in old.services}
    new_services = {s.id: s for s in new.services}
    old_programmes = {p.id: p for p in old.programmes}
    new_programmes = {p.id: p for p in new.programmes}
    old_verdicts = _verdicts(old, as_of)
    new_verdicts = _verdicts(new, as_of)
    changes = []
    for service_id in list(old_services) + [i for i in new_services if i not in old_services]:
        before, after = old_verdicts.get(service_id), new_verdicts.get(service_id)
        if before != after:
            name = (new_services.get(service_id) or old_services[service_id]).name
            changes.append(VerdictChange(service_id, name, before[0] if before else None, after[0] if after else None,
                                         before[1] if before else None, after[1] if after else None))
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
        verdict_changes=tuple(changes),
    )
