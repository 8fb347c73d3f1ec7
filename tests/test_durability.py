"""SQLITE_SYNCHRONOUS: the durability trade reaches every database the bot opens."""

import pytest

from bot.app import STATE, create_web_app
from bot.config import ConfigError, Settings
from bot.knowledge_source import open_catalogue

PRAGMA = {"NORMAL": 1, "FULL": 2}  # what PRAGMA synchronous reads back


@pytest.mark.parametrize(("raw", "expected"), [("", "NORMAL"), ("normal", "NORMAL"), ("FULL", "FULL")])
async def test_sqlite_synchronous_reaches_bot_db_and_katalog_db(tmp_path, knowledge_copy, raw, expected):
    settings = Settings.from_env({"SQLITE_SYNCHRONOUS": raw, "DATA_DIR": str(tmp_path / "daten"),
                                  "KNOWLEDGE_DIR": str(knowledge_copy)})
    assert settings.sqlite_synchronous == expected
    store = create_web_app(settings)[STATE].store
    try:
        assert await store.call(lambda db: db.execute("PRAGMA synchronous").fetchone()[0]) == PRAGMA[expected]
        assert await store.call(lambda db: db.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"
    finally:
        await store.close()
    with open_catalogue(settings) as catalogue:
        assert catalogue.db.execute("PRAGMA synchronous").fetchone()[0] == PRAGMA[expected]


def test_an_unknown_durability_is_refused_in_german():
    with pytest.raises(ConfigError, match="SQLITE_SYNCHRONOUS muss NORMAL oder FULL sein, nicht »OFF«"):
        Settings.from_env({"SQLITE_SYNCHRONOUS": "OFF"})
