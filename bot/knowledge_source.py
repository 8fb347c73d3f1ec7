"""Where the running bot gets its knowledge: files in KNOWLEDGE_DIR plus the catalogue database.

`KnowledgeSource.current` is one `Assistant`, replaced whole by `reload()` only after the new
knowledge was built and validated completely: no question is ever answered from half-loaded knowledge.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from .catalogue_store import CATALOGUE_DB, CatalogueStore
from .config import Settings
from .knowledge.assistant import Assistant
from .knowledge.load import CATALOGUE_FILE, load_knowledge
from .knowledge.model import Service

logger = logging.getLogger(__name__)


def open_catalogue(settings: Settings) -> CatalogueStore:
    """The served catalogue database; seeded from the shipped sample on first start."""
    store = CatalogueStore(settings.data_dir / CATALOGUE_DB)
    record = store.seed(settings.knowledge_dir / CATALOGUE_FILE)
    if record:
        logger.info("catalogue seeded from %s (%s services)", record.file, record.total)
    return store


def catalogue_services(settings: Settings) -> list[Service]:
    store = open_catalogue(settings)
    try:
        return store.services()
    finally:
        store.close()


def build_assistant(settings: Settings, extra_rule_files: Sequence[Path] = ()) -> Assistant:
    services = catalogue_services(settings)
    knowledge = load_knowledge(settings.knowledge_dir, services, extra_rule_files)
    return Assistant(knowledge)


class KnowledgeSource:
    """Holds the assistant the bot answers with; `current` is replaced whole, never edited."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._current: Assistant | None = None

    @property
    def current(self) -> Assistant:
        if self._current is None:
            raise RuntimeError("knowledge not loaded yet")
        return self._current

    @property
    def loaded(self) -> bool:
        return self._current is not None

    def load(self) -> Assistant:
        """Build from files and catalogue (blocking: call it off the event loop) and swap it in."""
        assistant = build_assistant(self.settings)
        self._current = assistant
        logger.info("knowledge %s loaded: %s entries, %s services", assistant.knowledge.version,
                    len(assistant.knowledge.entries), len(assistant.knowledge.services))
        return assistant
