"""English questions read as German ones ("Is the funding programme … still running?" → "ist Förderprogramm …
läuft noch?"): word lists in english.yaml. The bot still answers in German; this only lets it understand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .text import words

ENGLISH_FILE = Path(__file__).with_name("english.yaml")


@dataclass(frozen=True)
class English:
    markers: frozenset[str]
    min_markers: int
    min_markers_in_clause: int
    german_words: frozenset[str]
    pattern: re.Pattern[str]
    phrases: dict[str, str]

    def is_english(self, text: str) -> bool:
        """At least `min_markers` different English marker words and no German function word."""
        found = set(words(text))
        return len(found & self.markers) >= self.min_markers and not found & self.german_words

    def to_german(self, text: str) -> str:
        """The question with its English phrases replaced by their German reading, if it is English; in a question
        that mixes the languages ("we built our own online form for Sperrmüll – zählt das als OAA?") the English
        clauses only."""
        if self.is_english(text):
            return " ".join(self._translated(text).split())
        parts = _CLAUSE.split(text)
        if len(parts) == 1:
            return text
        clauses = [self._translated(p) if self._english_clause(p) else p for p in parts]
        return " ".join("".join(clauses).split())

    def _english_clause(self, clause: str) -> bool:
        found = set(words(clause))
        return len(found & self.markers) >= self.min_markers_in_clause and not found & self.german_words

    def _translated(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.phrases[m.group(0).lower()], text)


# Where one clause of a mixed question ends: a dash, colon, semicolon or question mark (kept).
_CLAUSE = re.compile(r"(\s[\u2013\u2014-]\s|[:;?])")


def load_english(path: Path = ENGLISH_FILE) -> English:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    phrases = {str(k).lower(): str(v) for k, v in data["phrases"].items()}
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return English(
        markers=frozenset(data["markers"].split()),
        min_markers=int(data["min_markers"]),
        min_markers_in_clause=int(data["min_markers_in_clause"]),
        german_words=frozenset(data["german_words"].split()),
        pattern=re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])", re.IGNORECASE),
        phrases=phrases,
    )


ENGLISH = load_english()
