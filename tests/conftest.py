"""Shared fixtures: the shipped knowledge, a private data directory, editable knowledge copies – and,
for end-to-end tests only, the harness's fixtures (fake Bot API, running bot, serve processes).

The end-to-end fixtures import tests/harness.py when a test asks for one, so a unit test never
imports the harness (tests/test_harness_split.py holds that). Names that tests used to import from
here (`from conftest import start_bot`) are looked up in the harness on first use."""

from __future__ import annotations

import dataclasses
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


# ---- end to end: the harness is imported only when one of these fixtures is used ----------------


@pytest.fixture
async def fake_api():
    from harness import FakeBotApi
    api = await FakeBotApi().start()
    yield api
    await api.stop()


@pytest.fixture
def bot_settings(tmp_path, fake_api, knowledge_copy) -> Settings:
    from harness import bot_settings_for
    return bot_settings_for(tmp_path, fake_api, knowledge_copy)


@pytest.fixture
def fast_settings(bot_settings) -> Settings:
    """Retries compressed from seconds and minutes to milliseconds (e2e tests never sleep long)."""
    return dataclasses.replace(bot_settings, delivery_backoff_base=0.02, delivery_backoff_max=0.1,
                               telegram_read_timeout=2.0)


@pytest.fixture
async def fast_bot(fast_settings):
    from harness import start_bot
    bot = await start_bot(fast_settings)
    yield bot
    await bot.stop()


@pytest.fixture
async def running_bot(bot_settings):
    from harness import start_bot
    bot = await start_bot(bot_settings)
    yield bot
    await bot.stop()


@pytest.fixture
def serves():
    """`python -m bot serve` processes a test started (harness.Serve); killed at the end."""
    started = []
    yield started
    for serve in started:
        serve.stop()


def __getattr__(name: str):
    """`from conftest import start_bot` (as tests did before the harness had its own module)."""
    import harness
    if name in harness.__all__ or name == "QUESTION":
        return getattr(harness, name)
    raise AttributeError(name)
