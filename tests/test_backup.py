"""`backup` and `restore`: a backup taken from a `serve` process under load, restored into a fresh
DATA_DIR, and a new `serve` started on it."""

import asyncio
import itertools
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.backup import BackupError, backup, restore
from bot.serve_lock import ServeLock
from fake_telegram import message_update
from harness import QUESTION, Serve, Telegram, answers_by_chat, poll_until, wait_answered

V0 = Path(__file__).resolve().parent / "data" / "schema-v0"


def run_bot(env: dict, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=60)


def rows(path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


async def test_backup_under_load_restores_into_a_fresh_data_dir_that_serves(tmp_path, fake_api, knowledge_copy,
                                                                            serves):
    archive = tmp_path / "sicherung.tar"
    chats: list[int] = []
    backed_up = asyncio.Event()

    async def keep_posting(telegram: Telegram, worker: int) -> None:
        """Updates as Telegram sends them, until a while after the backup finished."""
        for n in itertools.count():
            if backed_up.is_set() and n >= 40:
                return
            chat = 60_000 + worker * 10_000 + n
            chats.append(chat)
            await telegram.deliver(message_update(QUESTION, chat_id=chat))

    async with aiohttp.ClientSession() as session:
        telegram = Telegram(session)
        first = Serve(tmp_path, fake_api, knowledge_copy)
        serves.append(first.start())
        await first.ready(session)
        telegram.url = first.url
        posting = asyncio.gather(*(keep_posting(telegram, w) for w in range(8)))
        await poll_until(lambda: telegram.acked >= 60)
        acked_before = telegram.acked
        done = await asyncio.to_thread(run_bot, first.env, tmp_path, "backup", str(archive))
        acked_after = telegram.acked
        backed_up.set()
        assert done.returncode == 0, done.stderr
        assert "bot.db gesichert" in done.stdout and "katalog.db gesichert" in done.stdout
        assert acked_after > acked_before, "the backup must run while updates arrive"
        await asyncio.wait_for(posting, 120)
        await wait_answered(fake_api, chats)
        assert await first.terminate() == 0, first.output()

    fresh = tmp_path / "neu"
    env = {**first.env, "DATA_DIR": str(fresh)}
    done = run_bot(env, tmp_path, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    db = fresh / "bot.db"
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    stored = {u for (u,) in rows(db, "SELECT update_id FROM inbox")}
    # everything acknowledged before the backup began is in it; nothing that was not yet posted
    assert acked_before <= len(stored) <= acked_after + 8
    # one snapshot: no update is half-handled (handled means its answer was staged with it)
    assert rows(db, "SELECT count(*) FROM inbox WHERE status IN ('answering', 'done') AND update_id NOT IN "
                    "(SELECT update_id FROM outbox)") == [(0,)]
    assert rows(db, "SELECT count(*) FROM outbox WHERE question_id NOT IN (SELECT id FROM questions)") == [(0,)]
    assert rows(fresh / "katalog.db", "SELECT count(*) FROM services") == [(50,)]
    left = rows(db, "SELECT count(*) FROM outbox WHERE status = 'pending'")[0][0]

    fake_api.clear()
    async with aiohttp.ClientSession() as session:
        second = Serve(tmp_path, fake_api, knowledge_copy, port=first.port, DATA_DIR=str(fresh))
        serves.append(second.start())
        await second.ready(session)
        telegram = Telegram(session)
        telegram.url = second.url
        await telegram.deliver(message_update(QUESTION, chat_id=61_000))
        await wait_answered(fake_api, [61_000])
        assert await second.terminate() == 0, second.output()
    assert "Hundesteuer" in answers_by_chat(fake_api)[61_000][0].params["text"]
    # what the snapshot had not yet delivered went out from the restored DATA_DIR
    assert rows(db, "SELECT count(*) FROM outbox WHERE status = 'pending'") == [(0,)]
    assert len(fake_api.of("sendMessage")) >= left + 1


def test_a_directory_backup_restores_in_one_step_and_replaces_a_stale_wal(tmp_path):
    data = tmp_path / "daten"
    data.mkdir()
    for name in ("bot.db", "katalog.db"):
        (data / name).write_bytes((V0 / name).read_bytes())
    copies = backup(data, tmp_path / "sicherung", directory=True)
    assert [c.name for c in copies] == ["bot.db", "katalog.db"]
    target = tmp_path / "ziel"
    target.mkdir()
    (target / "bot.db").write_bytes(b"alt")
    (target / "bot.db-wal").write_bytes(b"ein WAL, das nicht zur neuen Datei passt")
    restore(tmp_path / "sicherung", target)
    assert not (target / "bot.db-wal").exists()
    assert rows(target / "bot.db", "SELECT count(*) FROM inbox") == [(4,)]
    assert rows(target / "katalog.db", "SELECT count(*) FROM services") == [(50,)]


def test_restore_refuses_under_a_running_serve_and_a_broken_backup(tmp_path):
    data = tmp_path / "daten"
    data.mkdir()
    (data / "bot.db").write_bytes((V0 / "bot.db").read_bytes())
    backup(data, tmp_path / "s.tar")
    lock = ServeLock(data)
    assert lock.try_acquire()
    try:
        with pytest.raises(BackupError, match="Beenden Sie ihn"):
            restore(tmp_path / "s.tar", data)
    finally:
        lock.release()
    (tmp_path / "kaputt.tar").write_bytes(b"kein archiv")
    with pytest.raises(BackupError, match="keine Sicherung des Förderbots"):
        restore(tmp_path / "kaputt.tar", data)
    with pytest.raises(BackupError, match="keine Datenbank"):
        backup(tmp_path / "leer", tmp_path / "x.tar")
    assert rows(data / "bot.db", "SELECT count(*) FROM inbox") == [(4,)]
