"""Where the running bot gets its knowledge: files in KNOWLEDGE_DIR plus the catalogue database.

`KnowledgeSource.current` is one `Assistant`, replaced whole by `reload()` only after the new
knowledge was built and validated completely: no question is ever answered from half-loaded
knowledge, and a bad edit leaves the old knowledge serving.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .catalogue_store import CATALOGUE_DB, MAX_DROP_SHARE, CatalogueStore, latest_import
from .config import Settings
from .knowledge.assistant import Assistant
from .knowledge.load import CATALOGUE_FILE, FAQ_FILE, inspect_knowledge, knowledge_files
from .knowledge.model import Knowledge, Service
from .knowledge.problems import KnowledgeError, Problem

logger = logging.getLogger(__name__)
RUNNING_DIR = "laufendes-wissen"  # copy of what the server runs, for `kb diff`


def open_catalogue(settings: Settings) -> CatalogueStore:
    """The served catalogue database; seeded from the shipped sample on first start."""
    store = CatalogueStore(settings.data_dir / CATALOGUE_DB, synchronous=settings.sqlite_synchronous)
    record = store.seed(settings.knowledge_dir / CATALOGUE_FILE)
    if record:
        logger.info("catalogue seeded from %s (%s services)", record.file, record.total)
    return store


def catalogue_services(settings: Settings) -> list[Service]:
    with open_catalogue(settings) as store:
        return store.services()


def catalogue_is_sample(settings: Settings) -> bool:
    """True while the served catalogue is the shipped sample (the bot then says its list is an excerpt)."""
    latest = latest_import(settings.data_dir / CATALOGUE_DB)
    sample = settings.knowledge_dir / CATALOGUE_FILE
    if latest is None or not sample.exists():
        return True
    return latest[1] == hashlib.sha256(sample.read_bytes()).hexdigest()


def inspect_served(settings: Settings, extra_rule_files: Sequence[Path] = ()) -> tuple[Knowledge | None, list[Problem]]:
    """The knowledge as the bot would serve it: files in KNOWLEDGE_DIR plus the catalogue database."""
    services = catalogue_services(settings)  # seeds the catalogue on first start
    return inspect_knowledge(settings.knowledge_dir, services, extra_rule_files,
                             catalogue_is_sample=catalogue_is_sample(settings))


def build_assistant(settings: Settings, extra_rule_files: Sequence[Path] = ()) -> Assistant:
    knowledge, problems = inspect_served(settings, extra_rule_files)
    if knowledge is None:
        raise KnowledgeError(problems)
    return Assistant(knowledge)


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    changed: bool
    version: str  # the version serving after the reload
    previous: str | None
    problems: tuple[Problem, ...] = ()
    refused: str = ""

    def message(self) -> str:
        """German, for whoever asked for the reload."""
        if self.refused:
            return f"Neu laden abgelehnt: {self.refused} Es gilt weiter Version {self.version}."
        if not self.ok:
            lines = [f"Neu laden fehlgeschlagen – es gilt weiter Version {self.version}. Fehler:" if self.version
                     else "Die Wissensbasis kann nicht geladen werden. Fehler:"]
            lines += [f"  {p}" for p in self.problems if p.is_error]
            return "\n".join(lines)
        if not self.changed:
            return f"Keine Änderung: Version {self.version} ist schon geladen."
        return f"Neu geladen: Version {self.version} (vorher {self.previous})."


def fingerprint(settings: Settings) -> tuple:
    """Cheap signature of everything knowledge is built from: the knowledge files' sizes and times,
    and the catalogue's latest import (not the database file's times: reading it touches them)."""
    out: list[tuple] = []
    faq = settings.knowledge_dir / FAQ_FILE  # listed even when missing: its deletion is a change too
    for path in [faq, *(p for p in knowledge_files(settings.knowledge_dir) if p != faq)]:
        try:
            stat = path.stat()
            out.append((path.name, stat.st_size, stat.st_mtime_ns))
        except FileNotFoundError:
            out.append((path.name, None, None))
    out.append(("catalogue", latest_import(settings.data_dir / CATALOGUE_DB)))
    return tuple(out)


class KnowledgeSource:
    """Holds the assistant the bot answers with; `current` is replaced whole, never edited."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._current: Assistant | None = None
        self._lock = threading.Lock()  # one build at a time; readers never wait
        self.last_error: str | None = None
        self.seen: tuple | None = None  # fingerprint of the files the current knowledge was built from
        # awaited after every reload that switched the knowledge (change notices)
        self.listeners: list[Callable[[], Awaitable[object]]] = []

    @property
    def current(self) -> Assistant:
        if self._current is None:
            raise RuntimeError("knowledge not loaded yet")
        return self._current

    @property
    def loaded(self) -> bool:
        return self._current is not None

    def load(self) -> Assistant:
        """The first load at start (blocking: call it off the event loop); errors are fatal here."""
        open_catalogue(self.settings).close()  # seed first, so the fingerprint includes the seed import
        result = self.reload(force=True)
        if not result.ok:
            raise RuntimeError(result.message())
        return self.current

    def reload(self, force: bool = False) -> ReloadResult:
        """Build, validate, then swap in one assignment. Blocking: run it in a thread."""
        with self._lock:
            previous = self._current.knowledge if self._current else None
            seen = fingerprint(self.settings)  # before reading: an edit made meanwhile is seen next time
            knowledge, problems = inspect_served(self.settings)
            version = previous.version if previous else ""
            if knowledge is None:
                result = ReloadResult(False, False, version, version, tuple(problems))
                self.last_error = result.message()
                self.seen = seen  # do not retry the same broken files every few seconds
                logger.error("reload failed, keeping version %s: %s errors", version,
                             sum(p.is_error for p in problems))
                return result
            if previous is not None and knowledge.version == previous.version:
                self.seen = seen
                self.last_error = None
                return ReloadResult(True, False, version, version, tuple(problems))
            refused = "" if force or previous is None else _too_much_dropped(previous, knowledge)
            if refused:
                self.seen = seen
                self.last_error = refused
                logger.warning("reload refused: %s", refused)
                return ReloadResult(False, False, version, version, tuple(problems), refused)
            assistant = Assistant(knowledge)
            self._current = assistant
            self.seen = seen
            self.last_error = None
            self._keep_copy(knowledge)
            logger.info("knowledge %s loaded: %s entries, %s services", knowledge.version, len(knowledge.entries),
                        len(knowledge.services))
            return ReloadResult(True, True, knowledge.version, previous.version if previous else None,
                                tuple(problems))

    def changed_on_disk(self) -> bool:
        return fingerprint(self.settings) != self.seen

    def _keep_copy(self, knowledge: Knowledge) -> None:
        """Keep the files the server now runs, so `kb diff` can compare edits against them."""
        target = self.settings.data_dir / RUNNING_DIR
        try:
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for path in knowledge_files(self.settings.knowledge_dir):
                shutil.copy(path, target / path.name)
            (target / "services.json").write_text(
                json.dumps([asdict(s) for s in knowledge.services], ensure_ascii=False), encoding="utf-8")
            (target / "version.txt").write_text(knowledge.version, encoding="utf-8")
        except OSError as exc:
            logger.warning("could not keep a copy of the running knowledge: %s", exc)


def running_knowledge(settings: Settings) -> Knowledge | None:
    """The knowledge the server last loaded (from its copy in DATA_DIR), or None."""
    target = settings.data_dir / RUNNING_DIR
    if not (target / "services.json").exists():
        return None
    services = [Service(**{**s, "keywords": tuple(s["keywords"])})
                for s in json.loads((target / "services.json").read_text(encoding="utf-8"))]
    knowledge, _ = inspect_knowledge(target, services)
    return knowledge


def _too_much_dropped(old: Knowledge, new: Knowledge) -> str:
    for label, before, after in (("FAQ-Einträge", len(old.entries), len(new.entries)),
                                 ("Katalog-Einträge", len(old.services), len(new.services))):
        if before and (before - after) > MAX_DROP_SHARE * before:
            return (f"Die neue Fassung hat {after} statt {before} {label} (mehr als {MAX_DROP_SHARE * 100:.0f} % weniger). "
                    "Das sieht nach einer abgeschnittenen Datei aus. Wenn es so gewollt ist: neu laden mit --force.")
    return ""
