"""Schema versions: the files of tests/data/schema-v0 (bot.db and katalog.db as the bot wrote them
before versions existed, rows in every table) are opened with today's code."""

import asyncio
import hashlib
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot import cli
from bot.catalogue_store import CATALOGUE_DB, CatalogueStore
from bot.catalogue_store import SCHEMA as CATALOGUE_SCHEMA
from bot.schema import Schema, SchemaTooNew, open_database, version_of
from bot.store import BOT_DB, SCHEMA, Store

V0 = Path(__file__).resolve().parent / "data" / "schema-v0"
KEY = "legacy-pseudonym-key"  # the key make.py used


@pytest.fixture
def v0(tmp_path) -> Path:
    data = tmp_path / "daten"
    data.mkdir()
    for name in (BOT_DB, CATALOGUE_DB):
        shutil.copy(V0 / name, data / name)
    return data


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(db.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr) for t in tables}


def kept(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """`after` cut to the columns each table had before (steps only add columns, at the end)."""
    width = {t: len(rows[0]) for t, rows in before.items() if rows}
    return {t: sorted((r[:width[t]] if t in width else r for r in rows), key=repr) for t, rows in after.items()}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fixture_is_of_the_schema_before_versions(v0):
    for name in (BOT_DB, CATALOGUE_DB):
        with sqlite3.connect(v0 / name) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    rows = dump(v0 / BOT_DB)
    assert {t: len(r) for t, r in rows.items()} == {"handovers": 1, "inbox": 4, "meta": 1, "outbox": 2,
                                                     "questions": 2}


@pytest.mark.parametrize(("name", "schema"), [(BOT_DB, SCHEMA), (CATALOGUE_DB, CATALOGUE_SCHEMA)])
def test_todays_files_are_upgraded_with_every_row_kept(v0, name, schema):
    before = dump(v0 / name)
    db = open_database(v0 / name, schema)
    assert version_of(db) == schema.version >= 1
    db.close()
    upgraded = dump(v0 / name)
    assert kept(before, upgraded) == before  # every row kept; new columns only added
    again = open_database(v0 / name, schema)  # opening an upgraded file changes nothing
    again.close()
    assert dump(v0 / name) == upgraded


async def test_the_upgraded_store_serves_what_the_old_one_stored(v0):
    store = Store(v0 / BOT_DB, KEY)
    try:
        await store.open()
        resume, given_up = await store.inbox_left_over(interrupted=False, limit=5)
        assert [(i.update_id, i.payload["message"]["text"]) for i in resume] == [(1001, "Hundesteuer?")]
        assert given_up == []
        pending = await store.outbox_pending()
        assert [(p["update_id"], p["seq"], p["request"]["params"]["text"]) for p in pending] == [
            (1002, 1, "Zweiter Teil.")]
        questions = await store.questions_since(datetime(2000, 1, 1, tzinfo=timezone.utc))
        assert [(q["question"], q["feedback"]) for q in questions] == [("Wohngeld förderfähig?", "up"),
                                                                       ("Gibt es was für Hunde?", None)]
        assert await store.handover_chat(9001) == 4714
        assert await store.reserve_question_id() == 3
        assert await store.take_clean_shutdown() is True
    finally:
        await store.close()
    with CatalogueStore(v0 / CATALOGUE_DB) as catalogue:
        assert len(catalogue.services()) == 50
        assert [h.total for h in catalogue.history()] == [50]


def test_a_later_step_runs_once_in_order_and_keeps_the_rows(v0):
    ran = []

    def feedback_text(db):
        """Next: free-text feedback."""
        ran.append(SCHEMA.version + 1)
        db["questions"].add_column("feedback_text", str)
        db.execute("UPDATE questions SET feedback_text = 'alt: ' || coalesce(feedback, '-')")

    later = Schema(BOT_DB, SCHEMA.ensure, [*SCHEMA.steps, feedback_text])
    before = dump(v0 / BOT_DB)
    open_database(v0 / BOT_DB, later).close()
    open_database(v0 / BOT_DB, later).close()
    assert ran == [SCHEMA.version + 1]
    after = dump(v0 / BOT_DB)
    assert kept(before, after) == before
    assert sorted(r[-1] for r in after["questions"]) == ["alt: -", "alt: up"]
    with sqlite3.connect(v0 / BOT_DB) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA.version + 1


def test_a_failing_step_leaves_the_file_at_its_last_version(v0):
    def broken(db):
        """Next: fails half-way."""
        db.execute("DELETE FROM questions")
        raise RuntimeError("boom")

    before = dump(v0 / BOT_DB)
    with pytest.raises(RuntimeError):
        open_database(v0 / BOT_DB, Schema(BOT_DB, SCHEMA.ensure, [*SCHEMA.steps, broken]))
    assert kept(before, dump(v0 / BOT_DB)) == before
    with sqlite3.connect(v0 / BOT_DB) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA.version


def _from_the_future(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()  # the last connection checkpoints the WAL: the file itself says 99


async def test_a_file_of_a_newer_version_is_refused_in_german_and_left_unchanged(v0):
    _from_the_future(v0 / BOT_DB)
    before = sha(v0 / BOT_DB)
    store = Store(v0 / BOT_DB, KEY)
    with pytest.raises(SchemaTooNew, match=f"Schema-Version 99; dieser Förderbot kennt nur Versionen bis {SCHEMA.version}"):
        await store.open()
    await store.close()
    assert sha(v0 / BOT_DB) == before


def test_commands_refuse_a_newer_catalogue_and_bot_db(v0, monkeypatch, capsys):
    _from_the_future(v0 / CATALOGUE_DB)
    _from_the_future(v0 / BOT_DB)
    hashes = {name: sha(v0 / name) for name in (BOT_DB, CATALOGUE_DB)}
    monkeypatch.setenv("DATA_DIR", str(v0))
    monkeypatch.setenv("PSEUDONYM_KEY", KEY)
    assert cli.main(["kb", "history"]) == 1
    assert "katalog.db hat die Schema-Version 99" in capsys.readouterr().err
    assert cli.main(["ask", "Wohngeld?"]) == 1
    assert "neueren Version des Bots" in capsys.readouterr().err
    assert {name: sha(v0 / name) for name in hashes} == hashes


async def test_serve_on_a_newer_bot_db_says_why_in_healthz_and_leaves_it_alone(bot_settings):
    from harness import start_bot
    bot_settings.data_dir.mkdir(parents=True)
    shutil.copy(V0 / BOT_DB, bot_settings.data_dir / BOT_DB)
    _from_the_future(bot_settings.data_dir / BOT_DB)
    before = sha(bot_settings.data_dir / BOT_DB)
    bot = await start_bot(bot_settings, wait=False)
    try:
        for _ in range(200):
            status, body = await bot.health()
            if body["error"]:
                break
            await asyncio.sleep(0.05)
        assert status == 503 and body["status"] == "starting"
        assert f"Schema-Version 99; dieser Förderbot kennt nur Versionen bis {SCHEMA.version}" in body["error"]
    finally:
        await bot.stop()
    assert sha(bot_settings.data_dir / BOT_DB) == before
