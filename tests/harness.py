"""The end-to-end harness: a fake Bot API and the real web application, both on 127.0.0.1, and
`python -m bot serve` as a real process. Imported only by end-to-end tests (the fixtures in
conftest.py import it when a test asks for them), so a unit test never loads aiohttp or the fake.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.config import Settings
from fake_telegram import FakeBotApi

__all__ = ["QUESTION", "SECRET", "FakeBotApi", "RunningBot", "Serve", "Telegram", "answers_by_chat", "bot_settings_for",
           "free_port", "leave_in_inbox", "poll_until", "start_bot", "wait_answered"]

SECRET = "test-secret_123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningBot:
    """The real web application, served on a real port."""

    def __init__(self, settings: Settings, app: web.Application, runner: web.AppRunner):
        self.settings = settings
        self.app = app
        self.runner = runner
        self.url = f"http://127.0.0.1:{settings.port}"
        self.session = aiohttp.ClientSession()

    async def post_update(self, update: dict, secret: str | None = SECRET) -> aiohttp.ClientResponse:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with self.session.post(f"{self.url}/telegram", json=update, headers=headers) as response:
            await response.read()
            return response

    async def health(self) -> tuple[int, dict]:
        async with self.session.get(f"{self.url}/healthz") as response:
            return response.status, await response.json()

    async def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            status, body = await self.health()
            if status == 200 and body["status"] == "ok":
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("bot did not become ready")

    @property
    def state(self):
        from bot.app import STATE
        return self.app[STATE]

    async def idle(self, timeout: float = 10.0) -> None:
        """Wait until every accepted update was processed and its answer delivered (or given up)."""
        state = self.state
        deadline = asyncio.get_running_loop().time() + timeout
        while (state.dispatcher.in_flight or state.outbox.busy) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        await self.session.close()
        await self.runner.cleanup()


def bot_settings_for(tmp_path: Path, fake_api: FakeBotApi, knowledge_copy: Path) -> Settings:
    return Settings(bot_token="123:TEST", webhook_secret=SECRET, bot_api_base_url=fake_api.base_url,
                    host="127.0.0.1", port=free_port(), data_dir=tmp_path / "daten", knowledge_dir=knowledge_copy,
                    pseudonym_key="test-pseudonym-key", webhook_url="https://bot.example.test/telegram")


async def start_bot(settings: Settings, clock=None, wait: bool = True) -> RunningBot:
    from bot.app import create_web_app
    app = create_web_app(settings, rate_limit=1000, clock=clock)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.port).start()
    bot = RunningBot(settings, app, runner)
    if wait:
        await bot.wait_ready()
    return bot


async def leave_in_inbox(settings: Settings, *updates: dict, key: str | None = None) -> None:
    """Store updates in the inbox as a run that ended before handling them would have left them."""
    from bot.intake import read_update
    from bot.store import BOT_DB, Store
    store = Store(settings.data_dir / BOT_DB, key or settings.pseudonym_key)
    for update in updates:
        await store.inbox_add(read_update(json.dumps(update).encode()))
    await store.close()


# ---- `python -m bot serve` as a real process, and Telegram posting to it ----------------------

QUESTION = "Ist der Hundesteuer-Assistent förderfähig?"


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


