"""Shared fixtures: the shipped knowledge, a private data directory, editable knowledge copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Settings
from bot.knowledge.assistant import Assistant
from bot.knowledge.load import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
KNOWLEDGE_FILES = ("faq.yaml", "regeln.yaml", "stichworte.yaml", "katalog.csv")


@pytest.fixture(scope="session")
def knowledge():
    return load_knowledge(ROOT)


@pytest.fixture(scope="session")
def assistant(knowledge) -> Assistant:
    return Assistant(knowledge)


@pytest.fixture(scope="session")
def two_programmes() -> Assistant:
    """The shipped knowledge plus a second programme defined in YAML only."""
    return Assistant(load_knowledge(ROOT, extra_rule_files=[DATA / "zweites-programm.yaml"]))


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    """An editable copy of the shipped knowledge files."""
    target = tmp_path / "wissen"
    target.mkdir()
    for name in KNOWLEDGE_FILES:
        shutil.copy(ROOT / name, target / name)
    return target


@pytest.fixture
def settings(tmp_path, knowledge_copy) -> Settings:
    return Settings(data_dir=tmp_path / "daten", knowledge_dir=knowledge_copy)


# ---- Telegram end to end: a fake Bot API and the real web application, both on 127.0.0.1 --------

import asyncio  # noqa: E402
import dataclasses  # noqa: E402
import socket  # noqa: E402

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from fake_telegram import FakeBotApi  # noqa: E402

SECRET = "test-secret_123"


@pytest.fixture
async def fake_api():
    api = await FakeBotApi().start()
    yield api
    await api.stop()


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


@pytest.fixture
def bot_settings(tmp_path, fake_api, knowledge_copy) -> Settings:
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
    import json

    from bot.intake import read_update
    from bot.store import BOT_DB, Store
    store = Store(settings.data_dir / BOT_DB, key or settings.pseudonym_key)
    for update in updates:
        await store.inbox_add(read_update(json.dumps(update).encode()))
    await store.close()


@pytest.fixture
def fast_settings(bot_settings) -> Settings:
    """Retries compressed from seconds and minutes to milliseconds (e2e tests never sleep long)."""
    return dataclasses.replace(bot_settings, delivery_backoff_base=0.02, delivery_backoff_max=0.1,
                               telegram_read_timeout=2.0)


@pytest.fixture
async def fast_bot(fast_settings):
    bot = await start_bot(fast_settings)
    yield bot
    await bot.stop()


@pytest.fixture
async def running_bot(bot_settings):
    bot = await start_bot(bot_settings)
    yield bot
    await bot.stop()
