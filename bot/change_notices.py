"""Change notices: when the knowledge changes a verdict or deadline that a subscription lists, the
chat gets one short notice (old verdict, new verdict, source of the change).

Diffs are made against the knowledge last notified about, stored in the database ("baseline"), not
against the previous reload: a change made while the bot was down notifies at the next start. On
every switch (reload, catalogue import or rollback picked up by the watcher, and at start) the held
notices are recomputed from the baseline: a reload that reverts a change cancels its notices, one
that keeps it keeps their release time. Held notices go out `notice_hold_seconds` after the reload
(or at once after `kb notify --now`); once they are out, the knowledge they were computed for
becomes the baseline. A change of wording only changes no verdict and notifies nobody.
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from .config import Settings
from .knowledge.compose import NOT_BINDING, change_notice
from .knowledge.dates import BERLIN
from .knowledge.diff import VerdictChange, verdict_changes
from .knowledge.load import inspect_knowledge, knowledge_files
from .knowledge.model import Knowledge, Service
from .knowledge_source import RUNNING_DIR, KnowledgeSource
from .subscriptions import Snapshot, Subscription, SubscriptionStore

logger = logging.getLogger(__name__)
FOOTER = f"Abo ansehen oder ändern: /abo. {NOT_BINDING}"
MAX_LISTED = 5  # changes spelled out in one notice; more are counted


def snapshot_of(settings: Settings, knowledge: Knowledge) -> Snapshot | None:
    """The files the running knowledge was built from (the copy `KnowledgeSource` keeps in DATA_DIR);
    None when that copy belongs to another version (a reload ran meanwhile: it notifies itself)."""
    target = settings.data_dir / RUNNING_DIR
    try:
        if (target / "version.txt").read_text(encoding="utf-8") != knowledge.version:
            return None
        files = {path.name: path.read_text(encoding="utf-8") for path in knowledge_files(target)}
    except OSError:
        return None
    services = json.dumps([asdict(s) for s in knowledge.services], ensure_ascii=False)
    return Snapshot(knowledge.version, files, services)


def restore(snapshot: Snapshot) -> Knowledge | None:
    with tempfile.TemporaryDirectory(prefix="notified-") as tmp:
        for name, text in snapshot.files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        services = [Service(**{**s, "keywords": tuple(s["keywords"])}) for s in json.loads(snapshot.services)]
        knowledge, _ = inspect_knowledge(Path(tmp), services)
    return knowledge


def notice_text(changes: list[VerdictChange], old: Knowledge, new: Knowledge) -> str:
    """One message for one chat: its changes (programmes first), each from compose.change_notice; beyond
    MAX_LISTED only counted."""
    ordered = sorted(changes, key=lambda c: bool(c.service))
    parts = [change_notice(c, old, new).removesuffix(NOT_BINDING).strip() for c in ordered[:MAX_LISTED]]
    if len(ordered) > MAX_LISTED:
        more = len(ordered) - MAX_LISTED
        parts.append(f"Dazu {'eine weitere Änderung' if more == 1 else f'{more} weitere Änderungen'} bei Diensten "
                     "Ihres Abos – fragen Sie nach einem Dienst, um sein Urteil zu sehen.")
    return "\n\n".join(parts) + f"\n\n{FOOTER}"


def _follows_programme(change: VerdictChange, programme_changes: list[VerdictChange]) -> bool:
    """A service whose verdict changed just as its programme's did (a period extended for all of them)."""
    return any(p.day == change.day and (p.old_verdict, p.new_verdict, p.new_deadline) ==
               (change.old_verdict, change.new_verdict, change.new_deadline) for p in programme_changes)


def concerning(subscription: Subscription, changes: tuple[VerdictChange, ...]) -> list[VerdictChange]:
    """The changes a subscription hears of: those of its list; for "all programmes" the programmes'
    own changes and the services that did not simply follow them (not the whole catalogue)."""
    mine = [c for c in changes if subscription.concerns(c.key)]
    if not subscription.all_programmes:
        return mine
    programmes = [c for c in mine if not c.service]
    return [c for c in mine if not c.service or c.key in subscription.items
            or not _follows_programme(c, programmes)]


def wanted_notices(changes: tuple[VerdictChange, ...], subscriptions: list[Subscription], old: Knowledge,
                   new: Knowledge) -> dict[str, str]:
    """chat key → the notice text, for every readable subscription some change concerns."""
    out = {}
    for subscription in subscriptions:
        if subscription.chat is None:
            continue
        mine = concerning(subscription, changes)
        if mine:
            out[subscription.chat_key] = notice_text(mine, old, new)
    return out


class ChangeNotifier:
    def __init__(self, settings: Settings, source: KnowledgeSource, subscriptions: SubscriptionStore,
                 now: Callable[[], float]):
        self._settings = settings
        self._source = source
        self._subscriptions = subscriptions
        self._now = now
        self._lock = asyncio.Lock()

    async def on_switch(self) -> int:
        """Recompute the held notices for the knowledge now serving; returns how many are held."""
        async with self._lock:
            knowledge = self._source.current.knowledge
            snapshot = await asyncio.to_thread(snapshot_of, self._settings, knowledge)
            if snapshot is None:
                logger.info("change notices: the running copy is not version %s yet; left to the next switch",
                            knowledge.version)
                return 0
            baseline = await self._subscriptions.snapshot("baseline")
            if baseline is None:  # the first run: nothing was notified before, nothing to compare with
                await self._subscriptions.set_snapshots(baseline=snapshot, candidate=None)
                return 0
            wanted: dict[str, str] = {}
            if baseline.version != knowledge.version:
                old = await asyncio.to_thread(restore, baseline)
                if old is None:
                    logger.error("change notices: the knowledge last notified about cannot be read; starting afresh")
                    await self._subscriptions.set_snapshots(baseline=snapshot, candidate=None)
                    return 0
                today = datetime.fromtimestamp(self._now(), BERLIN).date()
                changes = await asyncio.to_thread(verdict_changes, old, knowledge, today)
                wanted = await asyncio.to_thread(wanted_notices, changes, await self._subscriptions.all(), old,
                                                 knowledge)
            now = self._now()
            held, cancelled = await self._subscriptions.hold_notices(wanted, knowledge.version, now,
                                                                     self._settings.notice_hold_seconds)
            if wanted:
                await self._subscriptions.set_snapshots(candidate=snapshot)
            else:  # nothing to tell anyone: this knowledge is notified about
                await self._subscriptions.set_snapshots(baseline=snapshot, candidate=None)
            if held or cancelled:
                logger.info("change notices for version %s: %s held, %s cancelled", knowledge.version, held,
                            cancelled)
            return held
