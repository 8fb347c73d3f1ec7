"""The bot's SQLite store (sqlite-utils, WAL): the durable webhook inbox and the question log.

Every call runs on one worker thread that owns the connection, so the event loop never blocks
on the database and the connection never crosses threads. Chats and users are stored only as
HMAC pseudonyms; rows older than the retention period are deleted automatically.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils
from cryptography.fernet import Fernet, InvalidToken

logger = logging.getLogger(__name__)
T = TypeVar("T")
BOT_DB = "bot.db"


def pseudonymise(key: str, kind: str, value: int | str) -> str:
    """A stable pseudonym for a Telegram id: HMAC-SHA256 with the operator's key, never the raw id."""
    digest = hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:24]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: Path, pseudonym_key: str, retention_days: int = 180):
        self.path = path
        self.key = pseudonym_key
        # Pending updates must keep the real chat id (to reply after a restart): they are stored
        # encrypted with a key derived from PSEUDONYM_KEY, so no raw id is ever written in clear.
        self._fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"inbox:{pseudonym_key}".encode()).digest()))
        self.retention_days = retention_days
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._db: sqlite_utils.Database | None = None

    # ---- plumbing ---------------------------------------------------------------------------

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(db, *args)` on the store's thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(self._connection(), *args))

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Synchronous variant for CLI commands (still on the store's thread)."""
        return self._executor.submit(lambda: fn(self._connection(), *args)).result()

    def _connection(self) -> sqlite_utils.Database:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite_utils.Database(self.path)
            db.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten, not left in free pages
            db.enable_wal()
            # In WAL mode NORMAL keeps every commit across a crash of the process (what a restart
            # must survive) without an fsync per commit; only a power loss could drop the last ones.
            db.execute("PRAGMA synchronous = NORMAL")
            _migrate(db)
            self._db = db
        return self._db

    async def close(self) -> None:
        def _close(db: sqlite_utils.Database) -> None:
            db.close()
            self._db = None

        if self._db is not None:
            await self.call(_close)
        self._executor.shutdown(wait=True)

    def pseudonym(self, kind: str, value: int | str | None) -> str | None:
        return None if value is None else pseudonymise(self.key, kind, value)

    # ---- inbox ------------------------------------------------------------------------------

    async def inbox_add(self, update_id: int, chat: int | None, payload: dict) -> bool:
        """Store an update durably; False if it was already there (Telegram resent it)."""
        chat_key = self.pseudonym("chat", chat) if chat is not None else None

        def add(db: sqlite_utils.Database) -> bool:
            cursor = db.execute(
                # attempts = 1: processing starts right after this insert (one write less per update)
                "INSERT OR IGNORE INTO inbox (update_id, chat, received_at, payload, status, attempts) "
                "VALUES (?, ?, ?, ?, 'pending', 1)",
                [update_id, chat_key, _now(), self._fernet.encrypt(json.dumps(payload).encode()).decode()],
            )
            db.conn.commit()
            return cursor.rowcount == 1

        return await self.call(add)

    async def inbox_retry(self, update_id: int) -> None:
        """Count another attempt for an update left over from an earlier run."""
        def retry(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ?", [update_id])
            db.conn.commit()

        await self.call(retry)

    async def inbox_finish(self, update_id: int, status: str = "done") -> None:
        def finish(db: sqlite_utils.Database) -> None:
            # The payload is no longer needed once answered: keep only the bookkeeping.
            db.execute("UPDATE inbox SET status = ?, payload = '{}', finished_at = ? WHERE update_id = ?",
                       [status, _now(), update_id])
            db.conn.commit()

        await self.call(finish)

    async def inbox_unfinished(self, max_attempts: int = 2) -> list[tuple[int, dict]]:
        """Updates received but never finished; those already tried `max_attempts` times are given up."""

        def unfinished(db: sqlite_utils.Database) -> list[tuple[int, dict]]:
            db.execute("UPDATE inbox SET status = 'failed', payload = '{}' WHERE status = 'pending' AND attempts >= ?",
                       [max_attempts])
            db.conn.commit()
            rows = db.execute("SELECT update_id, payload FROM inbox WHERE status = 'pending' ORDER BY update_id")
            out = []
            for update_id, payload in rows.fetchall():
                try:
                    out.append((update_id, json.loads(self._fernet.decrypt(payload.encode()))))
                except (InvalidToken, ValueError):
                    # PSEUDONYM_KEY changed since it was stored: it cannot be read any more.
                    logger.warning("left-over update %s cannot be decrypted (PSEUDONYM_KEY changed?)", update_id)
                    db.execute("UPDATE inbox SET status = 'failed', payload = '{}' WHERE update_id = ?", [update_id])
            db.conn.commit()
            return out

        return await self.call(unfinished)

    async def inbox_counts(self) -> dict[str, int]:
        def counts(db: sqlite_utils.Database) -> dict[str, int]:
            return dict(db.execute("SELECT status, count(*) FROM inbox GROUP BY status").fetchall())

        return await self.call(counts)

    # ---- question log -----------------------------------------------------------------------

    async def log_question(self, *, chat: int | None, user: int | None, question: str, answer: Any,
                           as_of: str) -> int:
        """Record one answered question; returns its id (used by feedback and clarify buttons)."""
        best = answer.matches[0] if answer.matches else None
        row = {
            "at": _now(),
            "chat": self.pseudonym("chat", chat),
            "user": self.pseudonym("user", user),
            "question": question,
            "as_of": as_of,
            "kind": answer.kind.value,
            "verdict": answer.verdict.value if answer.verdict else None,
            "service": answer.service,
            "faq": answer.faq,
            "best_match": best.id if best else None,
            "score": best.score if best else None,
            "candidates": json.dumps([m.id for m in answer.matches]),
            "knowledge_version": answer.knowledge_version,
            "feedback": None,
        }

        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)

        def insert(db: sqlite_utils.Database) -> int:
            # Plain SQL on the hot path: sqlite-utils' insert() inspects the schema on every call.
            cursor = db.execute(f"INSERT INTO questions ({columns}) VALUES ({marks})", list(row.values()))
            db.conn.commit()
            return cursor.lastrowid

        return await self.call(insert)

    async def question(self, question_id: int, user: int | None) -> dict | None:
        """A logged question, only for the user who asked it."""
        user_key = self.pseudonym("user", user)

        def get(db: sqlite_utils.Database) -> dict | None:
            rows = list(db["questions"].rows_where("id = ? AND user IS ?", [question_id, user_key]))
            return rows[0] if rows else None

        return await self.call(get)

    async def set_feedback(self, question_id: int, user: int | None, value: str) -> bool:
        user_key = self.pseudonym("user", user)

        def update(db: sqlite_utils.Database) -> bool:
            cursor = db.execute("UPDATE questions SET feedback = ? WHERE id = ? AND user IS ?",
                                [value, question_id, user_key])
            db.conn.commit()
            return cursor.rowcount == 1

        return await self.call(update)

    async def questions_since(self, since: datetime, limit: int | None = None) -> list[dict]:
        """Logged questions since a time, the newest `limit` of them (oldest first)."""
        cutoff = since.isoformat(timespec="seconds")

        def rows(db: sqlite_utils.Database) -> list[dict]:
            if "questions" not in db.table_names():
                return []
            found = list(db["questions"].rows_where("at >= ?", [cutoff], order_by="id desc", limit=limit))
            return found[::-1]

        return await self.call(rows)

    async def forget(self, user: int | None, chat: int | None) -> int:
        """Delete everything stored about a user (their questions, feedback, handovers)."""
        user_key, chat_key = self.pseudonym("user", user), self.pseudonym("chat", chat)

        def delete(db: sqlite_utils.Database) -> int:
            deleted = db.execute("DELETE FROM questions WHERE user = ?", [user_key]).rowcount
            deleted += db.execute("DELETE FROM handovers WHERE user = ?", [user_key]).rowcount
            db.execute("DELETE FROM inbox WHERE chat = ? AND status != 'pending'", [chat_key])
            db.conn.commit()
            return deleted

        return await self.call(delete)

    async def stats(self, since: datetime) -> dict:
        cutoff = since.isoformat(timespec="seconds")

        def stats(db: sqlite_utils.Database) -> dict:
            row = db.execute(
                "SELECT count(*), sum(kind = 'answer' AND coalesce(verdict, '') != 'unknown'), "
                "sum(feedback = 'up'), sum(feedback = 'down') FROM questions WHERE at >= ?", [cutoff]).fetchone()
            return {"questions": row[0] or 0, "answered": row[1] or 0, "up": row[2] or 0, "down": row[3] or 0}

        return await self.call(stats)

    # ---- handovers to the support chat ------------------------------------------------------

    async def add_handover(self, question_id: int, user: int, chat: int, support_message_id: int) -> None:
        """Remember which support-chat message belongs to which asker (chat id encrypted: needed to relay)."""
        row = {"support_message_id": support_message_id, "question_id": question_id, "at": _now(),
               "user": self.pseudonym("user", user), "chat": self._fernet.encrypt(str(chat).encode()).decode()}

        def insert(db: sqlite_utils.Database) -> None:
            db["handovers"].insert(row, replace=True)
            db.conn.commit()

        await self.call(insert)

    async def handed_over(self, question_id: int) -> bool:
        def exists(db: sqlite_utils.Database) -> bool:
            return db.execute("SELECT 1 FROM handovers WHERE question_id = ?", [question_id]).fetchone() is not None

        return await self.call(exists)

    async def handover_chat(self, support_message_id: int) -> int | None:
        def get(db: sqlite_utils.Database) -> int | None:
            row = db.execute("SELECT chat FROM handovers WHERE support_message_id = ?",
                             [support_message_id]).fetchone()
            return int(self._fernet.decrypt(row[0].encode())) if row else None

        return await self.call(get)

    async def purge(self, now: datetime | None = None) -> int:
        """Delete what is older than the retention period; returns the number of rows deleted."""
        cutoff = ((now or datetime.now(timezone.utc)) - timedelta(days=self.retention_days)).isoformat(
            timespec="seconds")

        def purge(db: sqlite_utils.Database) -> int:
            deleted = db.execute("DELETE FROM questions WHERE at < ?", [cutoff]).rowcount
            deleted += db.execute("DELETE FROM inbox WHERE received_at < ? AND status != 'pending'", [cutoff]).rowcount
            deleted += db.execute("DELETE FROM handovers WHERE at < ?", [cutoff]).rowcount
            db.conn.commit()
            return deleted

        return await self.call(purge)


def _migrate(db: sqlite_utils.Database) -> None:
    if "inbox" not in db.table_names():
        db["inbox"].create(
            {"update_id": int, "chat": str, "received_at": str, "payload": str, "status": str, "attempts": int,
             "finished_at": str},
            pk="update_id",
        )
        db["inbox"].create_index(["status"])
    if "questions" not in db.table_names():
        db["questions"].create(
            {"id": int, "at": str, "chat": str, "user": str, "question": str, "as_of": str, "kind": str,
             "verdict": str, "service": str, "faq": str, "best_match": str, "score": float, "candidates": str,
             "knowledge_version": str, "feedback": str},
            pk="id",
        )
        db["questions"].create_index(["at"])
        db["questions"].create_index(["user"])
    if "handovers" not in db.table_names():
        db["handovers"].create({"support_message_id": int, "question_id": int, "at": str, "user": str, "chat": str},
                               pk="support_message_id")
