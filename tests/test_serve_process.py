"""`python -m bot serve` as real processes: kill -9, a second serve on the same DATA_DIR, SIGTERM.

Updates are posted the way Telegram does: each one again until it got its 200. Kills happen after
a number of acknowledged updates or delivered answers, never after a sleep.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from conftest import SECRET, free_port
from fake_telegram import message_update

QUESTION = "Ist der Hundesteuer-Assistent förderfähig?"
# An answer on the wire at a kill may have been processed (even just after the kill, as Telegram
# would) without the bot learning of it: a resend is then an unavoidable duplicate.
AMBIGUOUS_WINDOW = 0.5


class Serve:
    def __init__(self, tmp_path: Path, fake_api, knowledge_copy, port: int | None = None, **env):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"serve-{self.port}-{time.monotonic_ns()}.log"
        self.env = {**os.environ, "BOT_TOKEN": "123:TEST", "WEBHOOK_SECRET": SECRET, "PSEUDONYM_KEY": "k-serve",
                    "BOT_API_BASE_URL": fake_api.base_url, "HOST": "127.0.0.1", "PORT": str(self.port),
                    "DATA_DIR": str(tmp_path / "daten"), "KNOWLEDGE_DIR": str(knowledge_copy),
                    "DELIVERY_BACKOFF_BASE": "0.05", "DELIVERY_BACKOFF_MAX": "0.2", **env}
        self.env.pop("WEBHOOK_URL", None)
        self.cwd = tmp_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "Serve":
        with open(self.log, "w") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=self.env, cwd=self.cwd,
                                            stdout=out, stderr=subprocess.STDOUT)
        return self

    async def ready(self, session: aiohttp.ClientSession, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                async with session.get(f"{self.url}/healthz") as r:
                    if r.status == 200 and (await r.json())["status"] == "ok":
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
        raise TimeoutError(self.output())

    def kill(self) -> float:
        self.process.send_signal(signal.SIGKILL)
        moment = time.perf_counter()
        self.process.wait(timeout=10)  # SIGKILL: immediate
        return moment

    async def terminate(self) -> int:
        """SIGTERM, then wait without blocking the loop (the fake Bot API runs on it)."""
        self.process.send_signal(signal.SIGTERM)
        return await self.exit_code()

    async def exit_code(self, timeout: float = 30.0) -> int:
        return await asyncio.to_thread(self.process.wait, timeout)

    def output(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def serves():
    started: list[Serve] = []
    yield started
    for serve in started:
        serve.stop()


class Telegram:
    """Posts updates like Telegram: again and again until each got its 200."""

    def __init__(self, session: aiohttp.ClientSession):
        self.session = session
        self.url = ""
        self.acked = 0

    async def deliver(self, update: dict) -> None:
        while True:
            try:
                async with self.session.post(f"{self.url}/telegram", json=update,
                                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as r:
                    if r.status == 200:
                        self.acked += 1
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)

    async def deliver_all(self, updates: list[dict], concurrency: int = 8) -> None:
        queue = list(updates)

        async def worker():
            while queue:
                await self.deliver(queue.pop(0))

        await asyncio.gather(*(worker() for _ in range(concurrency)))


def answers_by_chat(fake_api) -> dict[int, list]:
    out: dict[int, list] = {}
    for call in fake_api.of("sendMessage"):
        out.setdefault(int(call.params["chat_id"]), []).append(call)
    return out


async def poll_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.05)


async def wait_answered(fake_api, chats, timeout=60.0):
    await fake_api.wait_until(lambda: set(chats) <= set(answers_by_chat(fake_api)), timeout)


async def test_kill_9_twice_loses_nothing_and_answers_nothing_avoidably_twice(tmp_path, fake_api, knowledge_copy,
                                                                             serves):
    chats = list(range(50_000, 50_150))
    updates = [message_update(QUESTION, chat_id=c) for c in chats]
    fake_api.inject("latency", methods={"sendMessage"}, seconds=0.2)  # answers are on the wire at each kill
    kills = []
    async with aiohttp.ClientSession() as session:
        telegram = Telegram(session)
        first = Serve(tmp_path, fake_api, knowledge_copy)
        serves.append(first.start())
        await first.ready(session)
        telegram.url = first.url
        posting = asyncio.create_task(telegram.deliver_all(updates))
        await poll_until(lambda: telegram.acked >= 60)
        kills.append(first.kill())
        second = Serve(tmp_path, fake_api, knowledge_copy, port=first.port)
        serves.append(second.start())
        await second.ready(session)
        delivered = len(fake_api.of("sendMessage"))
        await fake_api.wait_for("sendMessage", delivered + 10, timeout=60)  # well into recovery
        kills.append(second.kill())
        third = Serve(tmp_path, fake_api, knowledge_copy, port=first.port)
        serves.append(third.start())
        await third.ready(session)
        await asyncio.wait_for(posting, 60)
        await wait_answered(fake_api, chats)
        assert await third.terminate() == 0, third.output()
    by_chat = answers_by_chat(fake_api)
    lost = [c for c in chats if c not in by_chat]
    twice = [calls for calls in by_chat.values() if len(calls) > 1]
    avoidable = [calls for calls in twice
                 if not any(abs(kill - calls[0].at) <= AMBIGUOUS_WINDOW for kill in kills)]
    assert lost == [] and avoidable == [], ([(c.params["chat_id"], c.at) for calls in avoidable for c in calls], kills)
    assert all("Entschuldigung" not in c.params["text"] for calls in by_chat.values() for c in calls)


async def test_interrupted_attempts_have_their_own_limit_and_a_log_line(tmp_path, fake_api, knowledge_copy,
                                                                       serves, bot_settings):
    """An update cut off by crashes is resumed (counted apart from handler failures) until its own
    limit, then given up with a log line and one apology instead of being tried at every start."""
    import sqlite3

    from conftest import leave_in_inbox
    settings = bot_settings.__class__(**{**bot_settings.__dict__, "data_dir": tmp_path / "daten",
                                         "pseudonym_key": "k-serve"})
    await leave_in_inbox(settings, message_update(QUESTION, chat_id=51_000), message_update(QUESTION, chat_id=51_001))
    with sqlite3.connect(tmp_path / "daten" / "bot.db") as db:
        db.execute("UPDATE inbox SET interrupted = 4 WHERE chat IS NOT NULL AND update_id = "
                   "(SELECT min(update_id) FROM inbox)")
    async with aiohttp.ClientSession() as session:
        serve = Serve(tmp_path, fake_api, knowledge_copy)
        serves.append(serve.start())
        await serve.ready(session)
        await wait_answered(fake_api, [51_000, 51_001])
        assert await serve.terminate() == 0
    by_chat = answers_by_chat(fake_api)
    assert [c.params["text"][:15] for c in by_chat[51_000]] == ["Entschuldigung,"]
    assert len(by_chat[51_001]) == 1 and "Hundesteuer" in by_chat[51_001][0].params["text"]
    output = serve.output()
    assert "quarantined after 5 interrupted attempts" in output
    assert "left over from the last run (interrupted 1 times)" in output


async def test_second_serve_on_the_same_data_dir_waits_then_refuses(tmp_path, fake_api, knowledge_copy, serves):
    chats = list(range(52_000, 52_040))
    fake_api.inject("latency", methods={"sendMessage"}, seconds=0.3)
    async with aiohttp.ClientSession() as session:
        first = Serve(tmp_path, fake_api, knowledge_copy)
        serves.append(first.start())
        await first.ready(session)
        telegram = Telegram(session)
        telegram.url = first.url
        await telegram.deliver_all([message_update(QUESTION, chat_id=c) for c in chats])
        get_me = fake_api.tried("getMe")
        second = Serve(tmp_path, fake_api, knowledge_copy, LOCK_WAIT_SECONDS="1")
        serves.append(second.start())
        assert await second.exit_code() == 2
        assert "Ein anderer Förderbot-Server" in second.output() and "waiting up to" in second.output()
        assert fake_api.tried("getMe") == get_me  # it never started on the inbox
        # a rolling restart: the new one waits while the old one drains, then takes over
        successor = Serve(tmp_path, fake_api, knowledge_copy, port=first.port, LOCK_WAIT_SECONDS="60")
        serves.append(successor.start())
        await poll_until(lambda: "waiting up to" in successor.output())
        assert await first.terminate() == 0, first.output()
        await successor.ready(session)
        fake_api.clear()
        await wait_answered(fake_api, chats)
        assert await successor.terminate() == 0
    by_chat = answers_by_chat(fake_api)
    assert {c: len(by_chat.get(c, [])) for c in chats} == {c: 1 for c in chats}


async def test_sigterm_with_a_slow_api_drains_honestly(tmp_path, fake_api, knowledge_copy, serves):
    """What is on the wire finishes, the rest waits for the next start: never both answered and left.
    63 answers for 7 chats (each chat in order: 7 on the wire at a time), the API at 3 s latency."""
    chats = list(range(53_000, 53_007))
    updates = [message_update(QUESTION, chat_id=c, message_id=i) for i in range(9) for c in chats]
    fake_api.inject("latency", methods={"sendMessage"}, seconds=3.0)
    async with aiohttp.ClientSession() as session:
        first = Serve(tmp_path, fake_api, knowledge_copy)
        serves.append(first.start())
        await first.ready(session)
        telegram = Telegram(session)
        telegram.url = first.url
        await telegram.deliver_all(updates, concurrency=1)
        await fake_api.wait_tried("sendMessage", len(chats), timeout=30)
        assert await first.terminate() == 0, first.output()
        before = sum(len(calls) for calls in answers_by_chat(fake_api).values())
        assert 0 < before < len(updates) and "stay in the outbox for the next start" in first.output()
        assert "cut off" not in first.output()
        fake_api.clear()
        second = Serve(tmp_path, fake_api, knowledge_copy, port=first.port)
        serves.append(second.start())
        await second.ready(session)
        await fake_api.wait_for("sendMessage", len(updates), timeout=60)
        assert await second.terminate() == 0
    by_chat = answers_by_chat(fake_api)
    assert {c: len(by_chat.get(c, [])) for c in chats} == {c: 9 for c in chats}
