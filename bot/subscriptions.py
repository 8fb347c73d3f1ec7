"""Subscriptions of chats to deadline reminders and change notices, and their bookkeeping in SQLite.

A subscription is the one place the bot keeps a raw chat id beyond an open question: it must know
where to send. The id is stored encrypted (Fernet, with a key derived from PSEUDONYM_KEY like the
inbox's, under its own label); rows are found by the chat's HMAC pseudonym. A subscription whose id
cannot be decrypted any more (PSEUDONYM_KEY rotated) is kept and counted in /healthz, never dropped
silently. What a subscription lists ("service:<id>", "programme:<id>") is stored in clear: `kb diff`
counts the chats a change would reach without any key.

Tables (created here with `if_not_exists`, so they can move into a migration step of the store):
- subscriptions: one row per subscribed chat;
- reminders: one row per (chat, programme, period end, days before), with its due time and status;
- change_notices: one row per chat and knowledge switch, held until `release_at`;
- notified_knowledge: the knowledge last notified about ("baseline") and the one held notices were
  computed for ("candidate"), as the files they were built from.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from cryptography.fernet import Fernet, InvalidToken

from .store import Store, pseudonymise


@dataclass(frozen=True)
class Subscription:
    chat_key: str
    chat: int | None  # None: the stored id cannot be decrypted (key rotated)
    chat_type: str
    all_programmes: bool
    items: tuple[str, ...]  # "service:<id>" / "programme:<id>"

    def concerns(self, key: str) -> bool:
        """Whether a change or reminder about `key` ("service:…", "programme:…") is for this chat."""
        return self.all_programmes or key in self.items


@dataclass(frozen=True)
class Snapshot:
    """Knowledge as the files it was built from (for diffs against what was last notified)."""

    version: str
    files: dict[str, str]
    services: str  # JSON list of services


def _create_tables(db: sqlite_utils.Database) -> None:
    db.table("subscriptions").create({"chat_key": str, "chat": str, "chat_type": str, "all_programmes": int,
                                "items": str, "created": float}, pk="chat_key", if_not_exists=True)
    db.table("reminders").create({"id": int, "chat_key": str, "programme": str, "period_end": str, "days": int,
                            "due": float, "status": str, "sent": float}, pk="id", if_not_exists=True)
    db.table("reminders").create_index(["chat_key", "programme", "period_end", "days"], unique=True, if_not_exists=True)
    db.table("reminders").create_index(["status", "due"], if_not_exists=True)
    db.table("change_notices").create({"id": int, "chat_key": str, "text": str, "created": float, "release_at": float,
                                 "forced": int, "status": str, "version": str}, pk="id", if_not_exists=True)
    db.table("change_notices").create_index(["status"], if_not_exists=True)
    db.table("notified_knowledge").create({"role": str, "version": str, "files": str, "services": str, "at": float},
                                    pk="role", if_not_exists=True)


class SubscriptionStore:
    """Subscriptions, reminders and held change notices; runs on the store's thread."""

    def __init__(self, store: Store):
        self._store = store
        self._fernet = Fernet(base64.urlsafe_b64encode(
            hashlib.sha256(f"subscriptions:{store.key}".encode()).digest()))
        self._ready = False
        self._unreadable: int | None = None  # as of the last full read (the notice job reads all every look)

    def key(self, chat: int) -> str:
        return pseudonymise(self._store.key, "chat", chat)

    async def _call(self, fn, *args):
        def run(db: sqlite_utils.Database, *inner):
            if not self._ready:
                _create_tables(db)
                self._ready = True
            return fn(db, *inner)

        return await self._store.call(run, *args)

    async def open(self) -> None:
        await self._call(lambda db: None)

    def _row(self, row: dict) -> Subscription:
        try:
            chat = int(self._fernet.decrypt(row["chat"].encode()))
        except (InvalidToken, ValueError):
            chat = None
        return Subscription(row["chat_key"], chat, row["chat_type"], bool(row["all_programmes"]),
                            tuple(json.loads(row["items"] or "[]")))

    # ---- subscriptions ------------------------------------------------------------------------

    async def get(self, chat: int) -> Subscription | None:
        key = self.key(chat)

        def get(db: sqlite_utils.Database) -> Subscription | None:
            rows = list(db.table("subscriptions").rows_where("chat_key = ?", [key]))
            return self._row(rows[0]) if rows else None

        return await self._call(get)

    async def save(self, chat: int, chat_type: str, all_programmes: bool, items: tuple[str, ...]) -> Subscription:
        row = {"chat_key": self.key(chat), "chat": self._fernet.encrypt(str(chat).encode()).decode(),
               "chat_type": chat_type, "all_programmes": int(all_programmes), "items": json.dumps(list(items)),
               "created": time.time()}

        def save(db: sqlite_utils.Database) -> None:
            db.execute("INSERT INTO subscriptions (chat_key, chat, chat_type, all_programmes, items, created) "
                       "VALUES (:chat_key, :chat, :chat_type, :all_programmes, :items, :created) "
                       "ON CONFLICT(chat_key) DO UPDATE SET chat = excluded.chat, all_programmes = "
                       "excluded.all_programmes, items = excluded.items", row)

        await self._call(save)
        return Subscription(str(row["chat_key"]), chat, chat_type, all_programmes, tuple(items))

    async def delete(self, chat: int) -> bool:
        """End a chat's subscription: its row (with the encrypted id), reminders and held notices."""
        return await self.delete_key(self.key(chat))

    async def delete_key(self, chat_key: str) -> bool:
        def delete(db: sqlite_utils.Database) -> bool:
            found = db.execute("DELETE FROM subscriptions WHERE chat_key = ?", [chat_key]).rowcount
            db.execute("DELETE FROM reminders WHERE chat_key = ?", [chat_key])
            db.execute("DELETE FROM change_notices WHERE chat_key = ? AND status = 'held'", [chat_key])
            return bool(found)

        return await self._call(delete)

    async def migrate(self, old: int, new: int) -> bool:
        """A group became a supergroup: the subscription (and its bookkeeping) moves to the new id."""
        old_key, new_key = self.key(old), self.key(new)
        sealed = self._fernet.encrypt(str(new).encode()).decode()

        def migrate(db: sqlite_utils.Database) -> bool:
            if db.execute("SELECT 1 FROM subscriptions WHERE chat_key = ?", [old_key]).fetchone() is None:
                return False
            db.execute("DELETE FROM subscriptions WHERE chat_key = ?", [new_key])
            db.execute("UPDATE subscriptions SET chat_key = ?, chat = ?, chat_type = 'supergroup' WHERE chat_key = ?",
                       [new_key, sealed, old_key])
            db.execute("UPDATE OR IGNORE reminders SET chat_key = ? WHERE chat_key = ?", [new_key, old_key])
            db.execute("UPDATE change_notices SET chat_key = ? WHERE chat_key = ?", [new_key, old_key])
            return True

        return await self._call(migrate)

    async def all(self) -> list[Subscription]:
        """Every subscription, readable or not (an unreadable one has `chat` None)."""
        subscriptions = await self._call(lambda db: [self._row(r) for r in db.table("subscriptions").rows])
        self._unreadable = sum(s.chat is None for s in subscriptions)
        return subscriptions

    async def counts(self) -> dict[str, int]:
        """For /healthz: subscribed chats, and how many ids could not be decrypted at the last full read
        (decrypting every row on every probe would cost the store's thread)."""
        if self._unreadable is None:
            await self.all()
        total = await self._call(lambda db: db.execute("SELECT count(*) FROM subscriptions").fetchone()[0])
        return {"subscriptions": total, "subscriptions_unreadable": self._unreadable}

    async def recent_services(self, chat: int, since: str, limit: int = 10) -> list[str]:
        """Catalogue services this chat asked about since `since` (ISO time), newest first."""
        key = self.key(chat)

        def recent(db: sqlite_utils.Database) -> list[str]:
            if "questions" not in db.table_names():
                return []
            rows = db.execute("SELECT service, max(id) AS last FROM questions WHERE chat = ? AND at >= ? AND service "
                              "IS NOT NULL GROUP BY service ORDER BY last DESC LIMIT ?", [key, since, limit])
            return [r[0] for r in rows.fetchall()]

        return await self._call(recent)

    # ---- reminders ----------------------------------------------------------------------------

    async def schedule(self, rows: list[dict], chat_keys: set[str], today: str) -> int:
        """Make the reminders of these chats what `rows` plan: add rows not yet known (unique per chat,
        programme, period end, days); a pending one no longer planned (the list was edited, the period
        changed or ended) is closed as obsolete or ended. Returns how many were added."""
        planned = {(r["chat_key"], r["programme"], r["period_end"], r["days"]) for r in rows}

        def schedule(db: sqlite_utils.Database) -> int:
            added = 0
            for r in rows:
                key = [r["chat_key"], r["programme"], r["period_end"], r["days"]]
                # only while subscribed: the subscription may have ended since the rows were planned
                added += db.execute("INSERT OR IGNORE INTO reminders (chat_key, programme, period_end, days, due, "
                                    "status) SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM subscriptions "
                                    "WHERE chat_key = ?)", [*key, r["due"], r["status"], key[0]]).rowcount
                if r["status"] == "pending":  # an entry removed and added again: its future reminders return
                    db.execute("UPDATE reminders SET status = 'pending', due = ? WHERE chat_key = ? AND programme = ? "
                               "AND period_end = ? AND days = ? AND status = 'obsolete'", [r["due"], *key])
            for row in db.execute("SELECT id, chat_key, programme, period_end, days FROM reminders "
                                  "WHERE status = 'pending'").fetchall():
                if row[1] in chat_keys and tuple(row[1:]) not in planned:
                    db.execute("UPDATE reminders SET status = ? WHERE id = ?",
                               ["ended" if row[3] < today else "obsolete", row[0]])
            return added

        return await self._call(schedule)

    async def due_reminders(self, now: float) -> list[dict]:
        return await self._call(lambda db: list(db.table("reminders").rows_where(
            "status = 'pending' AND due <= ?", [now], order_by="chat_key, programme, period_end, due")))

    async def reminders(self, chat: int) -> list[dict]:
        key = self.key(chat)
        return await self._call(lambda db: list(db.table("reminders").rows_where("chat_key = ?", [key], order_by="due")))

    def mark_reminders(self, db: sqlite_utils.Database, outcomes: list[tuple[int, str]], now: float) -> None:
        """Inside a staging transaction: what became of each due reminder (sent, late, skipped …)."""
        for reminder_id, status in outcomes:
            db.execute("UPDATE reminders SET status = ?, sent = ? WHERE id = ? AND status = 'pending'",
                       [status, now if status in ("sent", "late") else None, reminder_id])

    async def settle_reminders(self, outcomes: list[tuple[int, str]], now: float) -> None:
        def settle(db: sqlite_utils.Database) -> None:
            self.mark_reminders(db, outcomes, now)

        await self._call(settle)

    # ---- change notices ---------------------------------------------------------------------

    async def hold_notices(self, wanted: dict[str, str], version: str, now: float, hold: float) -> tuple[int, int]:
        """Make the held notices exactly `wanted` (chat key → text): an identical one keeps its release
        time, others are cancelled, new ones are held until now + hold. Returns (held, cancelled)."""
        def hold_(db: sqlite_utils.Database) -> tuple[int, int]:
            held = {r["chat_key"]: r for r in db.table("change_notices").rows_where("status = 'held'")}
            cancelled = 0
            for chat_key, row in held.items():
                if wanted.get(chat_key) != row["text"]:
                    db.execute("UPDATE change_notices SET status = 'cancelled', text = '' WHERE id = ?", [row["id"]])
                    cancelled += 1
                else:
                    db.execute("UPDATE change_notices SET version = ? WHERE id = ?", [version, row["id"]])
            for chat_key, text in wanted.items():
                if chat_key not in held or held[chat_key]["text"] != text:
                    db.execute("INSERT INTO change_notices (chat_key, text, created, release_at, forced, status, "
                               "version) SELECT ?, ?, ?, ?, 0, 'held', ? WHERE EXISTS (SELECT 1 FROM subscriptions "
                               "WHERE chat_key = ?)", [chat_key, text, now, now + hold, version, chat_key])
            return len(wanted), cancelled

        return await self._call(hold_)

    async def due_notices(self, now: float, window_open: bool) -> list[dict]:
        """Held notices whose time has come (forced ones also outside the sending window)."""
        if window_open:
            condition, args = "status = 'held' AND (forced = 1 OR release_at <= ?)", [now]
        else:
            condition, args = "status = 'held' AND forced = 1", []
        return await self._call(lambda db: list(db.table("change_notices").rows_where(condition, args, order_by="id")))

    async def purge_notices(self, before: float) -> int:
        """Released and cancelled notices (bookkeeping only, their text is gone) older than `before`."""
        def purge(db: sqlite_utils.Database) -> int:
            count = db.execute("DELETE FROM change_notices WHERE status != 'held' AND created < ?", [before]).rowcount
            return count

        return await self._call(purge)

    async def held_count(self) -> int:
        return await self._call(lambda db: db.execute(
            "SELECT count(*) FROM change_notices WHERE status = 'held'").fetchone()[0])

    @staticmethod
    def mark_notices(db: sqlite_utils.Database, ids: list[int], status: str) -> None:
        db.conn.executemany("UPDATE change_notices SET status = ?, text = '' WHERE id = ? AND status = 'held'",
                            [[status, i] for i in ids])

    # ---- the knowledge notified about -------------------------------------------------------

    async def snapshot(self, role: str) -> Snapshot | None:
        def get(db: sqlite_utils.Database) -> Snapshot | None:
            row = db.execute("SELECT version, files, services FROM notified_knowledge WHERE role = ?",
                             [role]).fetchone()
            return Snapshot(row[0], json.loads(row[1]), row[2]) if row else None

        return await self._call(get)

    @staticmethod
    def put_snapshot(db: sqlite_utils.Database, role: str, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            db.execute("DELETE FROM notified_knowledge WHERE role = ?", [role])
            return
        db.execute("INSERT OR REPLACE INTO notified_knowledge (role, version, files, services, at) VALUES "
                   "(?, ?, ?, ?, ?)", [role, snapshot.version, json.dumps(snapshot.files, ensure_ascii=False),
                                       snapshot.services, time.time()])

    async def set_snapshots(self, **roles: Snapshot | None) -> None:
        def put(db: sqlite_utils.Database) -> None:
            for role, snapshot in roles.items():
                self.put_snapshot(db, role, snapshot)

        await self._call(put)

    async def promote_candidate(self) -> None:
        """The held notices of the candidate are all out: it becomes what was last notified about."""
        def promote(db: sqlite_utils.Database) -> None:
            if db.execute("SELECT count(*) FROM change_notices WHERE status = 'held'").fetchone()[0]:
                return
            if db.execute("SELECT 1 FROM notified_knowledge WHERE role = 'candidate'").fetchone():
                db.execute("DELETE FROM notified_knowledge WHERE role = 'baseline'")
                db.execute("UPDATE notified_knowledge SET role = 'baseline' WHERE role = 'candidate'")

        await self._call(promote)


# ---- for the CLI (no key needed: lists and notice rows are in clear) -----------------------------

def _cli_db(path: Path) -> sqlite3.Connection | None:
    if not path.exists():
        return None
    connection = sqlite3.connect(path)
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "subscriptions" not in tables:
        connection.close()
        return None
    return connection


def count_concerned(path: Path, keys: list[str]) -> int:
    """How many subscribed chats a change of these subjects would notify (`kb diff`)."""
    connection = _cli_db(path)
    if connection is None or not keys:
        return 0
    with connection:
        rows = connection.execute("SELECT all_programmes, items FROM subscriptions").fetchall()
    connection.close()
    wanted = set(keys)
    return sum(1 for flag, items in rows if flag or wanted & set(json.loads(items or "[]")))


def release_held(path: Path) -> int:
    """`kb notify --now`: held notices go out at the bot's next look, whatever the time; returns how many."""
    connection = _cli_db(path)
    if connection is None:
        return 0
    with connection:
        count = connection.execute("UPDATE change_notices SET forced = 1 WHERE status = 'held'").rowcount
    connection.close()
    return count


def held_summary(path: Path) -> tuple[int, float | None]:
    """(held notices, earliest release time) for `kb notify` without --now."""
    connection = _cli_db(path)
    if connection is None:
        return 0, None
    with connection:
        count, first = connection.execute(
            "SELECT count(*), min(release_at) FROM change_notices WHERE status = 'held'").fetchone()
    connection.close()
    return count, first
