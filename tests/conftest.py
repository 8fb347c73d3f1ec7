"""Shared fixtures: the shipped knowledge, a private data directory, editable knowledge copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Settings
from bot.knowledge.assistant import Assistant
from bot.knowledge.load import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
KNOWLEDGE_FILES = ("faq.yaml", "regeln.yaml", "katalog.csv")


@pytest.fixture(scope="session")
def knowledge():
    return load_knowledge(ROOT)


@pytest.fixture(scope="session")
def assistant(knowledge) -> Assistant:
    return Assistant(knowledge)


@pytest.fixture(scope="session")
def two_programmes() -> Assistant:
    """The shipped knowledge plus a second programme defined in YAML only."""
    return Assistant(load_knowledge(ROOT, extra_rule_files=[DATA / "zweites-programm.yaml"]))


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    """An editable copy of the shipped knowledge files."""
    target = tmp_path / "wissen"
    target.mkdir()
    for name in KNOWLEDGE_FILES:
        shutil.copy(ROOT / name, target / name)
    return target


@pytest.fixture
def settings(tmp_path, knowledge_copy) -> Settings:
    return Settings(data_dir=tmp_path / "daten", knowledge_dir=knowledge_copy)
