"""Candidate search: a token prefilter over stems and compound parts, then weighted scoring.

Two indexes are built from the same analyser: one over catalogue services (name, id, keywords)
and one over FAQ entries (title and phrasings). Scoring only touches documents that share a
rare-enough token with the question, so cost does not grow linearly with the knowledge base.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .text import STOPWORDS, CompoundSplitter, stem, words


@dataclass(frozen=True)
class Unit:
    """One word of a text: its stem, the stems of its compound parts, how it was typed."""

    stem: str
    parts: tuple[str, ...]
    surface: str
    known: bool = True
    corrected: bool = False

    @property
    def all(self) -> tuple[str, ...]:
        return (self.stem,) + self.parts


class Analyzer:
    """Turns text into units, splitting compounds and correcting typos against known words."""

    def __init__(self, texts: Iterable[str]):
        surface: set[str] = set()
        for text in texts:
            surface.update(w for w in words(text) if len(w) > 1)
        self.surface = surface
        self.stems = {stem(w) for w in surface}
        self.splitter = CompoundSplitter(surface | self.stems)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for w in sorted(surface):
            if len(w) >= 4 and not w.isdigit():
                by_initial[w[0]].append(w)
        self._by_initial = dict(by_initial)

    def is_known(self, word: str) -> bool:
        return word in self.surface or stem(word) in self.stems

    def correct(self, word: str) -> str | None:
        """The known word a typo most likely meant, or None (only for words of 5+ letters)."""
        if len(word) < 5 or word.isdigit():
            return None
        choices = self._by_initial.get(word[0], ())
        cutoff = 84 if len(word) < 8 else 80
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        return best[0] if best else None

    def units(self, text: str, correct: bool = True) -> list[Unit]:
        out = []
        for w in words(text):
            if w in STOPWORDS or len(w) < 2:
                continue
            out.append(self.unit(w, correct))
        return out

    def unit(self, w: str, correct: bool = True) -> Unit:
        s = stem(w)
        parts = self.splitter.split(w)
        if w in self.surface or s in self.stems:
            return Unit(s, parts, w)
        if parts:
            return Unit(s, parts, w)
        if correct:
            fixed = self.correct(w)
            if fixed:
                return Unit(stem(fixed), self.splitter.split(fixed), w, corrected=True)
        return Unit(s, (), w, known=False)


@dataclass(frozen=True)
class Phrase:
    units: tuple[Unit, ...]


@dataclass
class Doc:
    id: str
    title: str
    phrases: tuple[Phrase, ...]
    whole: frozenset[str]
    parts: frozenset[str]


@dataclass(frozen=True)
class Scored:
    id: str
    title: str
    score: float  # 0–1
    phrase_cover: float
    query_cover: float


def _credit(unit: Unit, whole: frozenset[str] | set[str], parts: frozenset[str] | set[str]) -> float:
    """How well `unit` is found among the stems of the other side."""
    if unit.stem in whole:
        return 1.0
    if unit.parts and all(p in whole or p in parts for p in unit.parts):
        return 0.9
    if unit.stem in parts:
        return 0.8
    if unit.parts:
        found = sum(1 for p in unit.parts if p in whole or p in parts)
        return 0.5 * found / len(unit.parts)
    return 0.0


class DocIndex:
    """Documents made of short phrases; scores = blend of phrase coverage and question coverage."""

    def __init__(self, docs: list[Doc], ignore: frozenset[str] = frozenset(), max_candidates: int = 300):
        self.docs = docs
        self.ignore = ignore
        self.max_candidates = max_candidates
        postings: dict[str, set[int]] = defaultdict(set)
        for i, doc in enumerate(docs):
            for s in doc.whole | doc.parts:
                postings[s].add(i)
        self.postings = {s: frozenset(ids) for s, ids in postings.items()}
        n = max(len(docs), 1)
        self.idf = {s: math.log(1 + n / len(ids)) for s, ids in self.postings.items()}
        self.max_idf = math.log(1 + n)

    def weight(self, unit: Unit) -> float:
        if unit.stem in self.idf:
            return self.idf[unit.stem]
        known = [self.idf[p] for p in unit.parts if p in self.idf]
        if known:
            return max(known)
        return self.max_idf

    def relevant(self, units: list[Unit]) -> list[Unit]:
        return [u for u in units if u.stem not in self.ignore and not u.surface.isdigit()
                and not (u.parts and all(p in self.ignore for p in u.parts))]

    def candidates(self, units: list[Unit]) -> set[int]:
        """Prefilter: documents sharing a token, rarest tokens first, bounded in number."""
        keys = {s for u in units for s in u.all if s in self.postings and s not in self.ignore}
        found: set[int] = set()
        for key in sorted(keys, key=lambda k: len(self.postings[k])):
            if found and len(found) + len(self.postings[key]) > self.max_candidates:
                break
            found |= self.postings[key]
        return found

    def search(self, units: list[Unit], limit: int = 5, phrase_weight: float = 0.6) -> list[Scored]:
        units = self.relevant(units)
        if not units:
            return []
        q_whole = {u.stem for u in units}
        q_parts = {p for u in units for p in u.parts}
        q_weight = sum(self.weight(u) for u in units)
        results = []
        for i in self.candidates(units):
            doc = self.docs[i]
            query_cover = sum(self.weight(u) * _credit(u, doc.whole, doc.parts) for u in units) / q_weight
            phrase_cover = 0.0
            for phrase in doc.phrases:
                p_units = [u for u in phrase.units if u.stem not in self.ignore]
                total = sum(self.weight(u) for u in p_units)
                if total:
                    cover = sum(self.weight(u) * _credit(u, q_whole, q_parts) for u in p_units) / total
                    phrase_cover = max(phrase_cover, cover)
            score = phrase_weight * phrase_cover + (1 - phrase_weight) * query_cover
            results.append(Scored(doc.id, doc.title, score, phrase_cover, query_cover))
        results.sort(key=lambda r: (-r.score, r.id))
        return results[:limit]


def make_doc(analyzer: Analyzer, doc_id: str, title: str, phrases: Iterable[str]) -> Doc:
    built = []
    whole: set[str] = set()
    parts: set[str] = set()
    for text in phrases:
        units = tuple(analyzer.units(text, correct=False))
        if units:
            built.append(Phrase(units))
            for u in units:
                whole.add(u.stem)
                parts.update(u.parts)
    return Doc(doc_id, title, tuple(built), frozenset(whole), frozenset(parts - whole))
