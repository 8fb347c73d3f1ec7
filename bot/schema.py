"""Versioned SQLite schemas: every database the bot keeps is opened here and upgraded at open.

A database's version is SQLite's `PRAGMA user_version` (0 for files from before versions
existed). Each database has a `Schema`: `ensure` creates the tables of the baseline (version 0)
that are missing – it runs at every open and must be safe to run again – and `steps` is the
ordered list of changes since; step *n* (counted from 1) brings version n−1 to n. At open the
missing steps run in order, each in one transaction together with its new version number, so a
step either happened completely or not at all. A file of a newer version than the code knows is
refused with a German message before anything is written to it.

How to change a schema (one concern per step):

1. Write the step as a function of the database, in the module that owns the database
   (`bot/store.py` for bot.db, `bot/catalogue_store.py` for katalog.db), e.g.::

       def _feedback_text(db: sqlite_utils.Database) -> None:
           \"\"\"2: free-text feedback next to 👍/👎.\"\"\"
           db["questions"].add_column("feedback_text", str)

   and append it to that module's `steps`. Never edit, remove or reorder a step that was
   released: files in the field are at its version. sqlite-utils' table methods are fine inside
   a step (they join the step's transaction); `enable_wal()` is not (it cannot run inside one).
2. Rows already stored must survive the step: transform, do not drop. A step that needs the
   knowledge or a key (e.g. to re-encrypt) belongs to the owning store, not here.
3. Extend tests/test_migrations.py: it opens the files of tests/data/schema-v0 (today's rows
   included) with the new code.

A new table that one module owns alone may instead be created with `CREATE TABLE IF NOT EXISTS`
(or added to `ensure`) where that module opens the database: it needs no step until its shape
changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

logger = logging.getLogger(__name__)

SYNCHRONOUS = ("NORMAL", "FULL")  # SQLITE_SYNCHRONOUS: see README, "Betrieb", durability

Step = Callable[[sqlite_utils.Database], None]


class SchemaTooNew(ValueError):
    """A database written by a newer Förderbot than this one (German message for operators)."""


@dataclass(frozen=True)
class Schema:
    name: str  # the file name, for messages
    ensure: Step
    steps: Sequence[Step] = ()

    @property
    def version(self) -> int:
        return len(self.steps)


def version_of(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def open_database(path: Path, schema: Schema, *, synchronous: str = "NORMAL",
                  secure_delete: bool = False) -> sqlite_utils.Database:
    """Open (or create) `path` in WAL mode and bring it to `schema.version`.

    `synchronous`: NORMAL keeps every commit across a crash of the process; FULL also across a
    power loss, at an fsync per commit. `secure_delete`: deleted rows are overwritten, not left
    in free pages (for files holding personal data)."""
    if synchronous not in SYNCHRONOUS:
        raise ValueError(f"synchronous must be one of {SYNCHRONOUS}, not {synchronous!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    try:
        refuse_newer(db, path, schema)
        if secure_delete:
            db.execute("PRAGMA secure_delete = ON")
        db.enable_wal()
        db.execute(f"PRAGMA synchronous = {synchronous}")
        upgrade(db, schema)
    except BaseException:
        db.close()
        raise
    return db


def refuse_newer(db: sqlite_utils.Database, path: Path, schema: Schema) -> None:
    found = version_of(db)
    if found > schema.version:
        raise SchemaTooNew(
            f"Die Datenbank {path} hat die Schema-Version {found}; dieser Förderbot kennt nur Versionen bis "
            f"{schema.version}. Sie wurde von einer neueren Version des Bots geschrieben. Starten Sie diese "
            "neuere Version oder spielen Sie eine Sicherung ein, die zu dieser Version passt. Die Datei "
            "wurde nicht verändert.")


def upgrade(db: sqlite_utils.Database, schema: Schema) -> int:
    """Create missing baseline tables, then run the missing steps; returns the version reached."""
    with db.atomic():
        schema.ensure(db)
    current = version_of(db)
    for number in range(current + 1, schema.version + 1):
        _apply(db, schema, number)
    return max(current, schema.version)


def _apply(db: sqlite_utils.Database, schema: Schema, number: int) -> None:
    step = schema.steps[number - 1]
    db.conn.execute("BEGIN IMMEDIATE")  # a second process opening the file waits instead of repeating it
    try:
        if version_of(db) < number:
            step(db)
            db.execute(f"PRAGMA user_version = {number:d}")
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    logger.info("%s: schema version %s (%s)", schema.name, number, _summary(step))


def _summary(step: Step) -> str:
    return (step.__doc__ or step.__name__).strip().splitlines()[0]
