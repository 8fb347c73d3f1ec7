"""The bot's SQLite store (sqlite-utils, WAL): the durable webhook inbox, the outbox of what is
to be sent, and the question log.

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
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar, cast

import sqlite_utils
from cryptography.fernet import Fernet, InvalidToken

from .intake import Intake
from .schema import Schema, open_database

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
    def __init__(self, path: Path, pseudonym_key: str, retention_days: int = 180, *,
                 synchronous: str = "NORMAL"):
        self.path = path
        self.synchronous = synchronous
        self.key = pseudonym_key
        # Pending updates must keep the real chat id (to reply after a restart): they are stored
        # encrypted with a key derived from PSEUDONYM_KEY, so no raw id is ever written in clear.
        self._fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"inbox:{pseudonym_key}".encode()).digest()))
        self.retention_days = retention_days
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._db: sqlite_utils.Database | None = None
        self._next_question_id: int | None = None  # next question-log id (event loop only)

    # ---- plumbing ---------------------------------------------------------------------------

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(db, *args)` on the store's thread, as one transaction."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._transaction, fn, args)

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Synchronous variant for CLI commands (still on the store's thread)."""
        return self._executor.submit(self._transaction, fn, args).result()

    def _transaction(self, fn: Callable[..., T], args: tuple) -> T:
        """One commit for all of `fn`'s writes (sqlite-utils would commit each statement on its own
        outside a transaction): a state change is written whole or not at all, and costs one commit
        instead of one per statement."""
        db = self._connection()
        db.conn.execute("BEGIN")
        try:
            result = fn(db, *args)
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        if db.conn.in_transaction:  # `fn` may have committed itself
            db.conn.execute("COMMIT")
        return result

    def _connection(self) -> sqlite_utils.Database:
        if self._db is None:
            # secure_delete: deleted rows are overwritten, not left in free pages. In WAL mode
            # synchronous NORMAL keeps every commit across a crash of the process (what a restart
            # must survive) without an fsync per commit; only a power loss could drop the last ones.
            self._db = open_database(self.path, SCHEMA, synchronous=self.synchronous, secure_delete=True)
        return self._db

    async def close(self) -> None:
        def _close(db: sqlite_utils.Database) -> None:
            db.close()
            self._db = None

        if self._db is not None:
            await asyncio.get_running_loop().run_in_executor(self._executor, _close, self._db)
        self._executor.shutdown(wait=True)

    def pseudonym(self, kind: str, value: int | str | None) -> str | None:
        return None if value is None else pseudonymise(self.key, kind, value)

    async def open(self) -> None:
        """Open the database (and create or migrate its tables) now, so that a problem shows at start."""
        await self._count_question_ids()

    def _seal(self, value: object) -> str:
        return self._fernet.encrypt(json.dumps(value).encode()).decode()

    def _unseal(self, token: str) -> Any:
        return json.loads(self._fernet.decrypt(token.encode()))

    # ---- inbox ------------------------------------------------------------------------------

    async def inbox_add(self, intake: Intake) -> str:
        """Store an update durably. Returns "new", or the status it already had (Telegram resent it)."""
        def add(db: sqlite_utils.Database) -> str:
            # sealing (JSON, Fernet) and the pseudonym's HMAC run here, off the event loop
            if intake.ignored is not None:
                status, payload, reason = "ignored", "", f"nicht bearbeitete Art: {intake.ignored}"
            elif intake.poison is not None:
                status, payload, reason = "quarantined", self._seal(intake.payload), intake.poison
            else:
                status, payload, reason = "pending", self._seal(intake.payload), None
            row = [intake.update_id, self.pseudonym("chat", intake.chat), _now(), payload, status, reason]
            cursor = db.execute(
                "INSERT OR IGNORE INTO inbox (update_id, chat, received_at, payload, status, reason, attempts, "
                "interrupted) VALUES (?, ?, ?, ?, ?, ?, 0, 0)", row)
            if cursor.rowcount == 1:
                return "new"
            found = db.execute("SELECT status FROM inbox WHERE update_id = ?", [intake.update_id]).fetchone()
            return found[0] if found else "new"

        return await self.call(add)

    async def inbox_handler_failed(self, update_id: int, reason: str) -> int:
        """Count a handler failure; returns the number of failures so far."""
        def failed(db: sqlite_utils.Database) -> int:
            db.execute("UPDATE inbox SET attempts = attempts + 1, reason = ? WHERE update_id = ?", [reason, update_id])
            row = db.execute("SELECT attempts FROM inbox WHERE update_id = ?", [update_id]).fetchone()
            return row[0] if row else 0

        return await self.call(failed)

    async def inbox_quarantine(self, update_id: int, reason: str) -> None:
        def quarantine(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE inbox SET status = 'quarantined', reason = ?, finished_at = ? WHERE update_id = ?",
                       [reason, _now(), update_id])

        await self.call(quarantine)

    async def inbox_left_over(self, interrupted: bool, limit: int) -> tuple[list[LeftOver], list[LeftOver]]:
        """Updates whose handling did not finish in the last run: (to resume, given up).

        After a crash (`interrupted`) each counts an interrupted attempt; one interrupted `limit`
        times is given up (quarantined) rather than tried forever. One that can no longer be
        decrypted (PSEUDONYM_KEY changed) is given up as well."""

        def left_over(db: sqlite_utils.Database) -> tuple[list[LeftOver], list[LeftOver]]:
            if interrupted:
                db.execute("UPDATE inbox SET interrupted = interrupted + 1 WHERE status = 'pending'")
            resume, given_up = [], []
            rows = db.execute("SELECT update_id, payload, received_at, attempts, interrupted FROM inbox "
                              "WHERE status = 'pending' ORDER BY update_id").fetchall()
            for update_id, payload, received_at, attempts, crashes in rows:
                try:
                    data = self._unseal(payload)
                except (InvalidToken, ValueError):
                    logger.warning("left-over update %s cannot be decrypted (PSEUDONYM_KEY changed?)", update_id)
                    db.execute("UPDATE inbox SET status = 'failed', payload = '', reason = 'nicht entschlüsselbar' "
                               "WHERE update_id = ?", [update_id])
                    continue
                item = LeftOver(update_id, data, _timestamp(received_at), attempts, crashes)
                if crashes >= limit:
                    db.execute("UPDATE inbox SET status = 'quarantined', reason = ?, finished_at = ? "
                               "WHERE update_id = ?", [f"{crashes} unterbrochene Versuche", _now(), update_id])
                    given_up.append(item)
                else:
                    resume.append(item)
            return resume, given_up

        return await self.call(left_over)

    async def inbox_counts(self) -> dict[str, int]:
        def counts(db: sqlite_utils.Database) -> dict[str, int]:
            return dict(db.execute("SELECT status, count(*) FROM inbox GROUP BY status").fetchall())

        return await self.call(counts)

    async def mark_clean_shutdown(self, cut_off: list[int]) -> None:
        """A drain ended: the next start counts interrupted attempts only for `cut_off` updates."""
        def mark(db: sqlite_utils.Database) -> None:
            db.conn.executemany("UPDATE inbox SET interrupted = interrupted + 1 WHERE update_id = ?",
                           [[u] for u in cut_off])
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('clean_shutdown', '1')")

        await self.call(mark)

    async def take_clean_shutdown(self) -> bool:
        """Whether the last run ended with a drain (and forget it: the next crash must count)."""
        def take(db: sqlite_utils.Database) -> bool:
            row = db.execute("SELECT value FROM meta WHERE key = 'clean_shutdown'").fetchone()
            db.execute("DELETE FROM meta WHERE key = 'clean_shutdown'")
            return row is not None

        return await self.call(take)

    # ---- outbox -----------------------------------------------------------------------------

    async def stage(self, update_id: int | None, questions: list[dict], rows: list[dict],
                    inbox_status: str = "answering", also: Callable[[sqlite_utils.Database], None] | None = None
                    ) -> list[int]:
        """In one transaction: the question-log rows, the outgoing requests, and the update marked
        as handled (its payload is no longer needed: the requests carry what is to be sent).

        `rows`: dicts with update_id, question_id, seq, chat (raw, pseudonymised here), kind,
        method, request (sealed here), created, next_at. `also(db)`: more bookkeeping in the same
        transaction (reminders and notices marked sent). Returns the new rows' ids."""
        if not rows and inbox_status == "answering":
            inbox_status = "done"

        def stage(db: sqlite_utils.Database) -> list[int]:
            prepared = self._prepared(rows)  # sealed here, off the event loop
            for question in questions:
                _insert_question(db, question)
            ids: list[int] = []
            for values in prepared:
                cursor = db.execute(
                    "INSERT INTO outbox (update_id, question_id, seq, chat, kind, method, request, status, attempts, "
                    "ambiguous, created, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
                ids.append(cast(int, cursor.lastrowid))
            if update_id is not None:
                db.execute("UPDATE inbox SET status = ?, payload = '', finished_at = ? WHERE update_id = ?",
                           [inbox_status, None if inbox_status == "answering" else _now(), update_id])
            if also is not None:
                also(db)
            return ids

        return await self.call(stage)

    async def outbox_pending(self) -> list[dict]:
        """Requests not yet delivered (oldest update first), decrypted; unreadable ones are given up.
        An update whose requests are all done is marked done (if its last write was lost)."""
        def pending(db: sqlite_utils.Database) -> list[dict]:
            db.execute("UPDATE inbox SET status = 'done', finished_at = ? WHERE status = 'answering' AND update_id "
                       "NOT IN (SELECT update_id FROM outbox WHERE status = 'pending' AND update_id IS NOT NULL)",
                       [_now()])
            out = []
            rows = db.execute("SELECT id, update_id, question_id, seq, kind, method, request, attempts, ambiguous, "
                              "created, next_at FROM outbox WHERE status = 'pending' "
                              "ORDER BY coalesce(update_id, 0), seq, id").fetchall()
            for row in rows:
                record = dict(zip(("id", "update_id", "question_id", "seq", "kind", "method", "request", "attempts",
                                   "ambiguous", "created", "next_at"), row))
                try:
                    record["request"] = self._unseal(record["request"])
                except (InvalidToken, ValueError):
                    logger.warning("pending delivery %s cannot be decrypted (PSEUDONYM_KEY changed?)", record["id"])
                    _finish_delivery(db, record["id"], "expired", None, "nicht entschlüsselbar", time.time())
                    continue
                out.append(record)
            return out

        return await self.call(pending)

    async def outbox_finish(self, delivery_id: int, status: str, *, message_id: int | None = None,
                            error: str | None = None, update_done: int | None = None,
                            handover: dict | None = None, question_message: dict | None = None) -> None:
        """A request is done (sent, refused, expired): one write, with the update marked done when
        it was its last request, the handover recorded when it was a handover, and the sent message's
        id noted on its question-log row when it was that question's answer or feedback prompt."""
        handover_row = self._handover_row(handover, message_id) if handover and message_id is not None else None
        noted = question_message if question_message and message_id is not None and status == "sent" else None

        def finish(db: sqlite_utils.Database) -> None:
            _finish_delivery(db, delivery_id, status, message_id, error, time.time())
            if update_done is not None:
                db.execute("UPDATE inbox SET status = 'done', finished_at = ? WHERE update_id = ? "
                           "AND status = 'answering'", [_now(), update_done])
            if handover_row is not None:
                db.table("handovers").insert(handover_row, replace=True)
            if noted is not None and message_id is not None:
                _note_message(db, noted["question_id"], noted["column"], message_id)

        await self.call(finish)

    async def outbox_retry_later(self, delivery_id: int, attempts: int, ambiguous: int, next_at: float,
                                 error: str) -> None:
        def later(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE outbox SET attempts = ?, ambiguous = ?, next_at = ?, last_error = ? WHERE id = ?",
                       [attempts, ambiguous, next_at, error, delivery_id])

        await self.call(later)

    async def outbox_rewrite(self, delivery_id: int, request: dict) -> None:
        """The request changed before its resend (plain text after a parse error, a migrated chat)."""
        def rewrite(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE outbox SET request = ? WHERE id = ?", [self._seal(request), delivery_id])

        await self.call(rewrite)

    async def outbox_replace(self, delivery_id: int, rows: list[dict]) -> list[int]:
        """One request becomes several (a message too long for Telegram, split)."""
        def replace(db: sqlite_utils.Database) -> list[int]:
            prepared = self._prepared(rows)
            _finish_delivery(db, delivery_id, "split", None, None, time.time())
            ids = [cast(int, db.execute("INSERT INTO outbox (update_id, question_id, seq, chat, kind, method, request, status, "
                              "attempts, ambiguous, created, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              values).lastrowid) for values in prepared]
            return ids

        return await self.call(replace)

    def _prepared(self, rows: list[dict]) -> list[list]:
        """Outbox rows as stored: the chat as a pseudonym, the request sealed."""
        return [[r["update_id"], r["question_id"], r["seq"], self.pseudonym("chat", r["chat"]), r["kind"],
                 r["method"], self._seal(r["request"]), "pending", 0, 0, r["created"], r["next_at"]] for r in rows]

    def question_row(self, question_id: int, *, chat: int | None, user: int | None, question: str, answer: Any,
                     as_of: str, message_id: int | None = None, answer_message_id: int | None = None) -> dict:
        """The question-log row for one answer (chat and user as pseudonyms only)."""
        best = answer.matches[0] if answer.matches else None
        return {
            "id": question_id,
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
            "message_id": message_id,  # the question's own message in its chat (edits find their answer)
            "answer_message_id": answer_message_id,  # the bot's answer to it, once Telegram accepted it
            "prompt_message_id": None,  # the "what was missing?" prompt after 👎
            "comment": None,  # the reply to that prompt
        }

    async def reserve_question_id(self) -> int:
        """An id for a question-log row written later (with the answer it belongs to). Counted on
        the event loop from the highest id at first use: `serve` is the only writer (DATA_DIR lock)."""
        if self._next_question_id is None:
            await self._count_question_ids()
        value = self._next_question_id
        assert value is not None  # counted just above
        self._next_question_id = value + 1
        return value

    async def _count_question_ids(self) -> None:
        first = await self.call(lambda db: (db.execute("SELECT max(id) FROM questions").fetchone()[0] or 0) + 1)
        if self._next_question_id is None:  # another caller may have counted meanwhile
            self._next_question_id = first

    async def log_question(self, *, chat: int | None, user: int | None, question: str, answer: Any,
                           as_of: str, message_id: int | None = None, answer_message_id: int | None = None,
                           question_id: int | None = None) -> int:
        """Record one answered question at once (outside the outbox, e.g. `poll`); returns its id.
        With `question_id` the row replaces that one (an edited question answered again)."""
        row = self.question_row(question_id or await self.reserve_question_id(), chat=chat, user=user,
                                question=question, answer=answer, as_of=as_of, message_id=message_id,
                                answer_message_id=answer_message_id)

        def insert(db: sqlite_utils.Database) -> int:
            _insert_question(db, row)
            return row["id"]

        return await self.call(insert)

    async def question(self, question_id: int, user: int | None) -> dict | None:
        """A logged question, only for the user who asked it."""
        user_key = self.pseudonym("user", user)

        def get(db: sqlite_utils.Database) -> dict | None:
            rows = list(db["questions"].rows_where("id = ? AND user IS ?", [question_id, user_key]))
            return rows[0] if rows else None

        return await self.call(get)

    async def question_in_chat(self, chat: int | None, *, message_id: int | None = None,
                               answer_message_id: int | None = None, prompt_message_id: int | None = None
                               ) -> dict | None:
        """The newest logged question of a chat found by one of its messages: the question itself (an
        edit), the bot's answer (a reply to it) or the feedback prompt (the reply to that)."""
        chat_key = self.pseudonym("chat", chat)
        column, value = next((c, v) for c, v in (("message_id", message_id), ("answer_message_id", answer_message_id),
                                                 ("prompt_message_id", prompt_message_id)) if v is not None)

        def get(db: sqlite_utils.Database) -> dict | None:
            rows = list(db["questions"].rows_where(f"chat = ? AND {column} = ?", [chat_key, value],
                                                   order_by="id desc", limit=1))
            return rows[0] if rows else None

        return await self.call(get)

    async def note_message(self, question_id: int, column: str, message_id: int) -> None:
        """Outside the outbox (`poll`): the answer or prompt of a question was sent as `message_id`."""
        def note(db: sqlite_utils.Database) -> None:
            _note_message(db, question_id, column, message_id)

        await self.call(note)

    async def question_exists(self, question_id: int) -> bool:
        return await self.call(lambda db: db.execute("SELECT 1 FROM questions WHERE id = ?",
                                                     [question_id]).fetchone() is not None)

    async def set_comment(self, question_id: int, user: int | None, text: str) -> bool:
        """What was missing, said after 👎 in reply to the prompt (only the asker's own question)."""
        return await self._set_own(question_id, user, "comment", text)

    async def set_feedback(self, question_id: int, user: int | None, value: str) -> bool:
        return await self._set_own(question_id, user, "feedback", value)

    async def _set_own(self, question_id: int, user: int | None, column: str, value: str) -> bool:
        """Set feedback or comment of a logged question, only for the user who asked it."""
        if column not in ("feedback", "comment"):
            raise ValueError(column)
        user_key = self.pseudonym("user", user)

        def update(db: sqlite_utils.Database) -> bool:
            cursor = db.execute(f"UPDATE questions SET {column} = ? WHERE id = ? AND user IS ?",
                                [value, question_id, user_key])
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
            db.execute("DELETE FROM inbox WHERE chat = ? AND status NOT IN ('pending', 'answering')", [chat_key])
            db.execute("DELETE FROM outbox WHERE chat = ? AND status != 'pending'", [chat_key])
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

    def _handover_row(self, handover: dict, support_message_id: int) -> dict:
        return {"support_message_id": support_message_id, "question_id": handover["question_id"], "at": _now(),
                "user": self.pseudonym("user", handover["user"]),
                "chat": self._fernet.encrypt(str(handover["chat"]).encode()).decode()}

    async def add_handover(self, question_id: int, user: int, chat: int, support_message_id: int) -> None:
        """Remember which support-chat message belongs to which asker (chat id encrypted: needed to relay)."""
        row = self._handover_row({"question_id": question_id, "user": user, "chat": chat}, support_message_id)

        def insert(db: sqlite_utils.Database) -> None:
            db.table("handovers").insert(row, replace=True)

        await self.call(insert)

    async def handed_over(self, question_id: int) -> bool:
        """Handed over, or the message to the support chat is on its way."""
        def exists(db: sqlite_utils.Database) -> bool:
            return db.execute("SELECT 1 FROM handovers WHERE question_id = ? UNION ALL SELECT 1 FROM outbox "
                              "WHERE question_id = ? AND kind = 'handover' AND status = 'pending'",
                              [question_id, question_id]).fetchone() is not None

        return await self.call(exists)

    async def handover_chat(self, support_message_id: int) -> int | None:
        def get(db: sqlite_utils.Database) -> int | None:
            row = db.execute("SELECT chat FROM handovers WHERE support_message_id = ?",
                             [support_message_id]).fetchone()
            return int(self._fernet.decrypt(row[0].encode())) if row else None

        return await self.call(get)

    async def handover_question(self, support_message_id: int) -> str | None:
        """The question a support-chat message forwarded (None once it is deleted: retention, /vergessen)."""
        def get(db: sqlite_utils.Database) -> str | None:
            row = db.execute("SELECT q.question FROM handovers h JOIN questions q ON q.id = h.question_id "
                             "WHERE h.support_message_id = ?", [support_message_id]).fetchone()
            return row[0] if row else None

        return await self.call(get)

    async def purge(self, now: datetime | None = None) -> int:
        """Delete what is older than the retention period; returns the number of rows deleted."""
        moment = (now or datetime.now(timezone.utc)) - timedelta(days=self.retention_days)
        cutoff, cutoff_ts = moment.isoformat(timespec="seconds"), moment.timestamp()

        def purge(db: sqlite_utils.Database) -> int:
            deleted = db.execute("DELETE FROM questions WHERE at < ?", [cutoff]).rowcount
            deleted += db.execute("DELETE FROM inbox WHERE received_at < ? AND status NOT IN ('pending', 'answering')",
                                  [cutoff]).rowcount
            deleted += db.execute("DELETE FROM outbox WHERE status != 'pending' AND finished < ?",
                                  [cutoff_ts]).rowcount
            deleted += db.execute("DELETE FROM handovers WHERE at < ?", [cutoff]).rowcount
            return deleted

        return await self.call(purge)


@dataclass(frozen=True)
class LeftOver:
    update_id: int
    payload: dict
    received_at: float
    attempts: int  # handler failures so far
    interrupted: int  # attempts cut off by a crash or a shutdown


def _timestamp(iso: str) -> float:
    try:
        return datetime.fromisoformat(iso).timestamp()
    except (TypeError, ValueError):
        return time.time()


_QUESTION_COLUMNS = ("id", "at", "chat", "user", "question", "as_of", "kind", "verdict", "service", "faq", "best_match",
                     "score", "candidates", "knowledge_version", "feedback", "message_id", "answer_message_id",
                     "prompt_message_id", "comment")
MESSAGE_COLUMNS = frozenset({"answer_message_id", "prompt_message_id"})  # noted once Telegram accepted the message
_INSERT_QUESTION = (f"INSERT OR REPLACE INTO questions ({', '.join(_QUESTION_COLUMNS)}) "
                    f"VALUES ({', '.join('?' for _ in _QUESTION_COLUMNS)})")


def _insert_question(db: sqlite_utils.Database, row: dict) -> None:
    # Plain SQL on the hot path: sqlite-utils' insert() inspects the schema on every call.
    db.execute(_INSERT_QUESTION, [row[c] for c in _QUESTION_COLUMNS])


def _note_message(db: sqlite_utils.Database, question_id: int, column: str, message_id: int) -> None:
    if column not in MESSAGE_COLUMNS:
        raise ValueError(column)
    # The first part of a split answer is the one an edit replaces.
    db.execute(f"UPDATE questions SET {column} = ? WHERE id = ? AND {column} IS NULL", [message_id, question_id])


def _finish_delivery(db: sqlite_utils.Database, delivery_id: int, status: str, message_id: int | None,
                     error: str | None, at: float) -> None:
    # What was to be sent (text, chat id) is not kept once it is done: only the bookkeeping.
    db.execute("UPDATE outbox SET status = ?, message_id = ?, last_error = coalesce(?, last_error), request = '', "
               "finished = ? WHERE id = ?", [status, message_id, error, at, delivery_id])


def _tables(db: sqlite_utils.Database) -> None:
    """The baseline (schema version 0): the tables as they were before versions, created if missing."""
    if "inbox" not in db.table_names():
        db.table("inbox").create(
            {"update_id": int, "chat": str, "received_at": str, "payload": str, "status": str, "attempts": int,
             "interrupted": int, "reason": str, "finished_at": str},
            pk="update_id",
        )
        db.table("inbox").create_index(["status"])
    columns = db["inbox"].columns_dict
    if "interrupted" not in columns:
        db.table("inbox").add_column("interrupted", int, not_null_default=0)
    if "reason" not in columns:
        db.table("inbox").add_column("reason", str)
    if "outbox" not in db.table_names():
        # One table for everything the bot sends: answers, and later edits and notices.
        db.table("outbox").create(
            {"id": int, "update_id": int, "question_id": int, "seq": float, "chat": str, "kind": str, "method": str,
             "request": str, "status": str, "attempts": int, "ambiguous": int, "created": float, "next_at": float,
             "last_error": str, "message_id": int, "finished": float},
            pk="id",
        )
        db.table("outbox").create_index(["status"])
        db.table("outbox").create_index(["question_id"])
    if "meta" not in db.table_names():
        db.table("meta").create({"key": str, "value": str}, pk="key")
    if "questions" not in db.table_names():
        db.table("questions").create(
            {"id": int, "at": str, "chat": str, "user": str, "question": str, "as_of": str, "kind": str,
             "verdict": str, "service": str, "faq": str, "best_match": str, "score": float, "candidates": str,
             "knowledge_version": str, "feedback": str},
            pk="id",
        )
        db.table("questions").create_index(["at"])
        db.table("questions").create_index(["user"])
    if "handovers" not in db.table_names():
        db.table("handovers").create({"support_message_id": int, "question_id": int, "at": str, "user": str, "chat": str},
                               pk="support_message_id")


def _versions_begin(db: sqlite_utils.Database) -> None:
    """1: the file records its schema version (tables unchanged from the baseline)."""


def _question_message_ids(db: sqlite_utils.Database) -> None:
    """2: the question log keeps the message ids of question, answer and 👎 prompt (an edited question
    edits its answer; a reply to the prompt is the note of what was missing) and that note."""
    questions = db.table("questions")
    for name in ("message_id", "answer_message_id", "prompt_message_id"):
        questions.add_column(name, int)
    questions.add_column("comment", str)
    questions.create_index(["chat", "message_id"])


# bot.db's schema changes since the baseline, in order; see bot/schema.py for how to add one.
SCHEMA = Schema(BOT_DB, _tables, steps=[_versions_begin, _question_message_ids])
