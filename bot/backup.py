"""`python -m bot backup ZIEL` and `python -m bot restore SICHERUNG`: every database in DATA_DIR.

A backup copies each database with SQLite's online backup API in one step: a consistent snapshot
of that file while `serve` keeps writing (in WAL mode the copy blocks no writer). The copies are
single files (journal mode DELETE, checked with `quick_check`), written to a tar archive or, when
ZIEL is a directory, into it – both only under a temporary name until complete. Each database is
consistent in itself; bot.db and katalog.db are independent of each other.

Restoring takes the DATA_DIR lock (so never under a running `serve`), checks every file of the
backup, removes the old files' WAL and shared-memory files (a stale WAL applied to another file
would corrupt it) and moves the copies in. The next start upgrades them if they are older.
"""

from __future__ import annotations

import os
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .catalogue_store import CATALOGUE_DB
from .catalogue_store import SCHEMA as CATALOGUE_SCHEMA
from .config import ConfigError
from .schema import Schema
from .serve_lock import ServeLock
from .store import BOT_DB
from .store import SCHEMA as BOT_SCHEMA

DATABASES: dict[str, Schema] = {BOT_DB: BOT_SCHEMA, CATALOGUE_DB: CATALOGUE_SCHEMA}


class BackupError(ConfigError):
    """A German message for operators: nothing was written or replaced."""


@dataclass(frozen=True)
class Copied:
    name: str
    size: int  # bytes
    version: int  # schema version of the copy


def backup(data_dir: Path, target: Path, *, directory: bool = False) -> list[Copied]:
    """Copy every database of `data_dir` to `target`: a tar archive, or a directory when it is
    one already or `directory` is set."""
    present = [name for name in DATABASES if (data_dir / name).exists()]
    if not present:
        raise BackupError(f"In DATA_DIR »{data_dir}« liegt keine Datenbank ({', '.join(DATABASES)}): nichts zu sichern.")
    as_directory = directory or target.is_dir()
    parent = target if as_directory else target.parent
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".sicherung-", dir=parent) as work:
        copies = [_copy(data_dir / name, Path(work) / name) for name in present]
        if as_directory:
            for copy in copies:
                os.replace(Path(work) / copy.name, target / copy.name)
        else:
            partial = Path(work) / "archiv.tar"
            with tarfile.open(partial, "w") as archive:
                for copy in copies:
                    archive.add(Path(work) / copy.name, arcname=copy.name)
            os.chmod(partial, 0o600)
            os.replace(partial, target)
    return copies


def _copy(source: Path, target: Path) -> Copied:
    src = sqlite3.connect(source, timeout=30)  # only reads; as the last connection it tidies the WAL away
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # all pages in one step: one snapshot, however busy the source is
            dst.execute("PRAGMA journal_mode = DELETE")  # a single file, no -wal beside it
            version = _check(dst, source.name)
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(target, 0o600)  # the question log is personal data
    return Copied(source.name, target.stat().st_size, version)


def _check(db: sqlite3.Connection, name: str) -> int:
    result = db.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"Die Kopie von {name} ist beschädigt ({result}).")
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def restore(source: Path, data_dir: Path) -> list[Copied]:
    """Replace the databases in `data_dir` with those of the backup `source` (serve must be stopped)."""
    if not source.exists():
        raise BackupError(f"Die Sicherung »{source}« gibt es nicht.")
    lock = ServeLock(data_dir)
    if not lock.try_acquire():
        raise BackupError(f"Ein Förderbot-Server (»serve«) arbeitet mit DATA_DIR »{data_dir}«. Beenden Sie ihn, "
                          "bevor Sie eine Sicherung einspielen; danach wieder starten.")
    try:
        with tempfile.TemporaryDirectory(prefix=".wiederherstellung-", dir=data_dir) as work:
            names = _unpack(source, Path(work))
            copies = [_verify(Path(work) / name) for name in names]
            for name in names:
                for suffix in ("-wal", "-shm"):
                    (data_dir / f"{name}{suffix}").unlink(missing_ok=True)
                os.replace(Path(work) / name, data_dir / name)
        return copies
    finally:
        lock.release()


def _unpack(source: Path, work: Path) -> list[str]:
    """The database files of a backup (a directory or a tar archive), copied into `work`."""
    if source.is_dir():
        names = [name for name in DATABASES if (source / name).exists()]
        for name in names:
            (work / name).write_bytes((source / name).read_bytes())
    else:
        try:
            with tarfile.open(source) as archive:
                members = [m for m in archive.getmembers() if m.isfile() and m.name in DATABASES]
                for member in members:
                    archive.extract(member, work, filter="data")
                names = [m.name for m in members]
        except tarfile.TarError as exc:
            raise BackupError(f"»{source}« ist keine Sicherung des Förderbots (kein tar-Archiv: {exc}).") from None
    if not names:
        raise BackupError(f"In »{source}« liegt keine der Datenbanken {', '.join(DATABASES)}.")
    return names


def _verify(path: Path) -> Copied:
    db = sqlite3.connect(path)
    try:
        try:
            version = _check(db, path.name)
        except sqlite3.DatabaseError:
            raise BackupError(f"{path.name} in der Sicherung ist keine SQLite-Datenbank.") from None
    finally:
        db.close()
    newest = DATABASES[path.name].version
    if version > newest:
        raise BackupError(f"{path.name} in der Sicherung hat die Schema-Version {version}; dieser Förderbot kennt nur "
                          f"Versionen bis {newest}. Spielen Sie sie mit der neueren Version ein.")
    return Copied(path.name, path.stat().st_size, version)
