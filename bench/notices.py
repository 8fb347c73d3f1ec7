"""What subscriptions cost the running bot: one look of the notice job (planning every subscription's
reminders) and one knowledge switch (diff against the last notified knowledge, a notice per chat) with
N subscribed chats. Nothing is sent (no outbox); prints figures.

    python bench/notices.py [N]
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bot.change_notices import ChangeNotifier
from bot.config import Settings
from bot.knowledge_source import KnowledgeSource
from bot.notice_job import NoticeJob
from bot.outbox import Clock
from bot.store import Store
from bot.subscriptions import SubscriptionStore

ROOT = Path(__file__).resolve().parents[1]
FILES = ("faq.yaml", "regeln.yaml", "stichworte.yaml", "katalog.csv")


class NoOutbox:
    async def stage_notices(self, notices, bookkeeping=None) -> None:
        pass


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        knowledge_dir = Path(tmp) / "wissen"
        knowledge_dir.mkdir()
        for name in FILES:
            shutil.copy(ROOT / name, knowledge_dir / name)
        rules = knowledge_dir / "regeln.yaml"
        rules.write_text(rules.read_text(encoding="utf-8").replace("        end: 2024-12-31", "        end: 2027-06-30"),
                         encoding="utf-8")
        settings = Settings(data_dir=Path(tmp) / "daten", knowledge_dir=knowledge_dir, pseudonym_key="bench")
        source = KnowledgeSource(settings)
        await asyncio.to_thread(source.load)
        store = Store(settings.data_dir / "bot.db", "bench")
        subscriptions = SubscriptionStore(store)
        services = [s.id for s in source.current.knowledge.services]
        started = time.perf_counter()
        for i in range(count):
            await subscriptions.save(10_000 + i, "private", i % 3 == 0, (f"service:{services[i % len(services)]}",))
        print(f"{count} subscriptions stored in {time.perf_counter() - started:.1f} s")
        notifier = ChangeNotifier(settings, source, subscriptions, time.time)
        await notifier.on_switch()  # the first run: the baseline
        job = NoticeJob(settings, source, subscriptions, NoOutbox(), Clock())
        for label in ("first look (schedules every reminder)", "next look"):
            started = time.perf_counter()
            await job.tick()
            print(f"notice job, {label}: {time.perf_counter() - started:.2f} s")
        rules.write_text(rules.read_text(encoding="utf-8").replace("        end: 2027-06-30", "        end: 2027-12-31"),
                         encoding="utf-8")
        await asyncio.to_thread(source.reload)
        started = time.perf_counter()
        held = await notifier.on_switch()
        print(f"knowledge switch (period extended): {held} notices held in {time.perf_counter() - started:.2f} s")
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
