"""The catalogue the bot serves, in SQLite (sqlite-utils): imports, their history and rollback."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from .knowledge.catalogue import decode, parse_catalogue
from .knowledge.model import Service
from .knowledge.problems import Problem
from .schema import Schema, open_database

logger = logging.getLogger(__name__)

CATALOGUE_DB = "katalog.db"
# A valid file that would remove more than this share of services is refused unless forced:
# it is more likely a truncated export than an intent.
MAX_DROP_SHARE = 0.20


@dataclass(frozen=True)
class ImportPlan:
    file: str
    sha256: str
    encoding: str
    services: tuple[Service, ...]
    problems: tuple[Problem, ...]
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    refused: str = ""  # a German reason when the import must not be applied

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems) and not self.refused


@dataclass
class ImportRecord:
    id: int
    at: str
    file: str
    sha256: str
    total: int
    added: int
    changed: int
    removed: int
    note: str = ""


def _row(service: Service) -> dict:
    row = asdict(service)
    row["keywords"] = json.dumps(list(service.keywords), ensure_ascii=False)
    return row


def _service(row: dict) -> Service:
    return Service(row["id"], row["name"], row["topic"], row["type"], row["status"],
                   tuple(json.loads(row["keywords"] or "[]")))


def latest_import(path: Path) -> tuple | None:
    """(id, sha256) of the latest import, read without writing anything; None without a database."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT id, sha256 FROM catalogue_imports ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _tables(db: sqlite_utils.Database) -> None:
    """The baseline (schema version 0): the tables as they were before versions, created if missing."""
    if "services" not in db.table_names():
        db.table("services").create(
            {"id": str, "name": str, "topic": str, "type": str, "status": str, "keywords": str}, pk="id"
        )
    if "catalogue_imports" not in db.table_names():
        db.table("catalogue_imports").create(
            {"id": int, "at": str, "file": str, "sha256": str, "encoding": str, "total": int, "added": int,
             "changed": int, "removed": int, "note": str, "snapshot": str},
            pk="id",
        )


def _versions_begin(db: sqlite_utils.Database) -> None:
    """1: the file records its schema version (tables unchanged from the baseline)."""


# katalog.db's schema changes since the baseline, in order; see bot/schema.py for how to add one.
SCHEMA = Schema(CATALOGUE_DB, _tables, steps=[_versions_begin])


class CatalogueStore:
    """Owns `katalog.db`. Not thread-safe: use from one thread (the CLI, or the store worker)."""

    def __init__(self, path: Path, *, synchronous: str = "NORMAL"):
        self.path = path
        self.db = open_database(path, SCHEMA, synchronous=synchronous)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CatalogueStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def services(self) -> list[Service]:
        return [_service(r) for r in self.db["services"].rows_where(order_by="rowid")]

    def is_empty(self) -> bool:
        return self.db["services"].count == 0

    def plan(self, data: bytes, file: str, *, force: bool = False) -> ImportPlan:
        services, problems = parse_catalogue(data, file)
        _, encoding = decode(data)
        sha = hashlib.sha256(data).hexdigest()
        current = {s.id: s for s in self.services()}
        new = {s.id: s for s in services}
        added = tuple(i for i in new if i not in current)
        removed = tuple(i for i in current if i not in new)
        changed = tuple(i for i in new if i in current and new[i] != current[i])
        refused = ""
        if current and not force and len(removed) > MAX_DROP_SHARE * len(current):
            refused = (f"Der Import würde {len(removed)} von {len(current)} Einträgen entfernen (mehr als "
                       f"{MAX_DROP_SHARE * 100:.0f} %). Das sieht nach einer abgeschnittenen Datei aus. Prüfen Sie die Datei; "
                       "wenn es so gewollt ist, wiederholen Sie den Import mit --force.")
        return ImportPlan(file, sha, encoding, tuple(services), tuple(problems), added, changed, removed, refused)

    def apply(self, plan: ImportPlan, note: str = "") -> ImportRecord:
        """Replace the catalogue with the plan's services in one transaction and record the import."""
        if not plan.ok:
            raise ValueError("plan has errors; nothing imported")
        rows = [_row(s) for s in plan.services]
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self.db.atomic():
            self.db.execute("DELETE FROM services")
            self.db.table("services").insert_all(rows, pk="id")
            self.db.table("catalogue_imports").insert({
                "at": at, "file": plan.file, "sha256": plan.sha256, "encoding": plan.encoding,
                "total": len(rows), "added": len(plan.added), "changed": len(plan.changed),
                "removed": len(plan.removed), "note": note,
                "snapshot": json.dumps(rows, ensure_ascii=False),
            })
            record_id = self.db.execute("SELECT max(id) FROM catalogue_imports").fetchone()[0]
        logger.info("catalogue import %s: %s services (+%s ~%s -%s) from %s", record_id, len(rows),
                    len(plan.added), len(plan.changed), len(plan.removed), plan.file)
        return ImportRecord(record_id, at, plan.file, plan.sha256, len(rows), len(plan.added), len(plan.changed),
                            len(plan.removed), note)

    def import_file(self, path: Path, *, dry_run: bool = False, force: bool = False) -> tuple[ImportPlan, ImportRecord | None]:
        plan = self.plan(Path(path).read_bytes(), str(path), force=force)
        if dry_run or not plan.ok:
            return plan, None
        return plan, self.apply(plan)

    def history(self) -> list[ImportRecord]:
        rows = self.db.execute(
            "SELECT id, at, file, sha256, total, added, changed, removed, note FROM catalogue_imports ORDER BY id"
        ).fetchall()
        return [ImportRecord(*row) for row in rows]

    def rollback(self, import_id: int) -> tuple[ImportPlan, ImportRecord]:
        """Restore the catalogue as it was right after import `import_id` (recorded as a new import)."""
        row = self.db.execute("SELECT snapshot, sha256, file FROM catalogue_imports WHERE id = ?",
                              [import_id]).fetchone()
        if row is None:
            raise KeyError(import_id)
        services = tuple(_service(r) for r in json.loads(row[0]))
        current = {s.id: s for s in self.services()}
        new = {s.id: s for s in services}
        plan = ImportPlan(
            row[2], row[1], "snapshot", services, (),
            tuple(i for i in new if i not in current),
            tuple(i for i in new if i in current and new[i] != current[i]),
            tuple(i for i in current if i not in new),
        )
        return plan, self.apply(plan, note=f"Rücksprung auf Import {import_id}")

    def seed(self, csv_path: Path) -> ImportRecord | None:
        """On first start, fill the empty catalogue from the shipped sample."""
        if not self.is_empty():
            return None
        plan, record = self.import_file(csv_path)
        if record is None:
            raise ValueError("\n".join(str(p) for p in plan.problems) or plan.refused)
        return record
