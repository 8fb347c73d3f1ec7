"""Candidate search: a token prefilter over stems and compound parts, then weighted scoring.

Two indexes are built from the same analyser: one over catalogue services (name, id, keywords)
and one over FAQ entries (title and phrasings). Scoring only touches documents that share a
rare-enough token with the question, so cost does not grow linearly with the knowledge base.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Set as AbstractSet
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .lexicon import LEXICON
from .thresholds import IndexWeights
from .text import CompoundSplitter, commonness, raw_words, stem, words

QUESTION_WORDS = LEXICON.question_words


@dataclass(frozen=True)
class Unit:
    """One word of a text: its stem, the stems of its compound parts, how it was typed."""

    stem: str
    parts: tuple[str, ...]
    surface: str
    known: bool = True
    corrected: bool = False
    tail: str | None = None  # known last (or first) part of an otherwise unknown compound
    commonness: float = 0.0  # Zipf frequency in German, only looked up for unknown words

    @property
    def all(self) -> tuple[str, ...]:
        return (self.stem,) + self.parts


class Analyzer:
    """Turns text into units, splitting compounds and correcting typos against known words."""

    def __init__(self, texts: Iterable[str], synonyms: Iterable[Iterable[str]] = (), real_word_zipf: float = 3.0):
        self.real_word_zipf = real_word_zipf  # words this common in German are never corrected as typos
        # Every word of a synonym group is read as the group's first word.
        self.canonical: dict[str, str] = {}
        for group in synonyms:
            stems_ = [stem(w) for phrase in group for w in words(phrase)[:1]]
            for s in stems_[1:]:
                self.canonical.setdefault(s, stems_[0])
        surface: set[str] = set()
        # The knowledge's own texts, folded once: building the indexes reads each of them again.
        self._text_words: dict[str, list[str]] = {}
        for text in texts:
            folded = self._text_words.get(text)
            if folded is None:
                folded = self._text_words[text] = words(text)
            surface.update(w for w in folded if len(w) > 1)
        self.surface = surface
        self.stems = {stem(w) for w in surface}
        self.splitter = CompoundSplitter(surface | self.stems)
        by_prefix: dict[str, list[str]] = defaultdict(list)  # typo candidates share the first two letters
        for w in sorted(surface):
            if len(w) >= 4 and not w.isdigit():
                by_prefix[w[:2]].append(w)
        self._by_prefix = dict(by_prefix)
        self._doc_units: dict[str, Unit] = {}

    def text_words(self, text: str) -> list[str]:
        """`words(text)`, of the knowledge's own texts remembered until `indexes_built()` (do not change it)."""
        folded = self._text_words.get(text)
        return words(text) if folded is None else folded

    def indexes_built(self) -> None:
        """Forget the knowledge's folded texts: only building the indexes reads them again."""
        self._text_words = {}

    def correct(self, word: str) -> str | None:
        """The known word a typo most likely meant, or None.

        Only words of 7+ letters ("wetter" must not become "weiter"), only known words with the same
        first two letters, at most one edit (two from 10 letters on): "eheschliessung" must not become
        "erschliessung".
        """
        if len(word) < 7 or word.isdigit():
            return None
        max_edits = 1 if len(word) < 10 else 2
        choices = [w for w in self._by_prefix.get(word[:2], ()) if abs(len(w) - len(word)) <= max_edits]
        best = process.extractOne(word, choices, scorer=Levenshtein.distance, score_cutoff=max_edits)
        return best[0] if best else None

    def units(self, text: str, correct: bool = True) -> list[Unit]:
        stopwords = LEXICON.stopwords
        ws = [w for w in self.text_words(text) if len(w) >= 2 and w not in stopwords]
        if not correct:  # knowledge side: word by word, each word's unit made once
            cached, make = self._doc_units, self.unit
            return [cached.get(w) or make(w, False) for w in ws]
        typed = raw_words(text)
        out = []
        i = 0
        while i < len(ws):
            unit = self.unit(ws[i], correct, typed.get(ws[i]))
            if correct and i + 1 < len(ws):
                # "fischerei schien" → "fischereischein": a compound typed as two words.
                nxt = self.unit(ws[i + 1], correct, typed.get(ws[i + 1]))
                if not unit.known or not nxt.known:
                    joined = self.unit(ws[i] + ws[i + 1], correct)
                    if joined.known and not joined.parts:
                        out.append(joined)
                        i += 2
                        continue
            out.append(unit)
            i += 1
        return out

    def in_vocabulary(self, unit: Unit) -> bool:
        """The word itself occurs in the knowledge (not only its parts)."""
        return unit.surface in self.surface or unit.stem in self.stems

    def unit(self, w: str, correct: bool = True, typed: str | None = None) -> Unit:
        if not correct:
            # Knowledge side: the same words recur thousands of times in a large knowledge base.
            cached = self._doc_units.get(w)
            if cached is None:
                cached = self._doc_units[w] = self._unit(w, False, None)
            return cached
        return self._unit(w, correct, typed)

    def _unit(self, w: str, correct: bool, typed: str | None) -> Unit:
        s = stem(w)
        parts = self.splitter.split(w)
        if not parts and not correct:
            # Knowledge side: a known last part is enough to split ("gästeparkausweis" → gast + parkausweis),
            # so that a question naming only the first part ("für Gäste") still finds it.
            parts = self.splitter.split_last(w)
        if w in self.surface or s in self.stems or parts:
            return self._canonical(Unit(s, parts, w))
        zipf = commonness(typed or w)
        if correct and zipf < self.real_word_zipf:  # a real German word is no typo ("bestätigten")
            fixed = self.correct(w)
            if fixed:
                return self._canonical(Unit(stem(fixed), self.splitter.split(fixed), w, corrected=True))
        return Unit(s, (), w, known=False, tail=self.splitter.tail(w), commonness=zipf)

    def _canonical(self, unit: Unit) -> Unit:
        canonical = self.canonical
        if not canonical or (unit.stem not in canonical and not any(p in canonical for p in unit.parts)):
            return unit
        c = canonical.get
        return Unit(c(unit.stem, unit.stem), tuple(c(p, p) for p in unit.parts), unit.surface, unit.known,
                    unit.corrected, unit.tail, unit.commonness)


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
    # Prefixes and suffixes of `whole` (see `affixes`); set by the index the document is put in, which
    # answers `a in doc.affixes` from its own stems instead of every document keeping the set.
    affixes: AbstractSet[str] | _DocAffixes = frozenset()
    context: frozenset[str] = frozenset()  # words of the answer: weaker evidence than the phrasings


MIN_AFFIX = 5
_AFFIX_MEMO_LIMIT = 100_000  # affixes asked about, remembered per index; cleared when full
_YEAR = re.compile(r"^(19|20)\d\d$")


def affixes(stems: Iterable[str]) -> set[str]:
    """Prefixes and suffixes (5+ letters) of stems: "rabatt" is found in "rabattier"."""
    out = set()
    for s in stems:
        for i in range(MIN_AFFIX, len(s)):
            out.add(s[:i])
            out.add(s[-i:])
    return out


class _DocAffixes:
    """`affixes(doc.whole)` of one document of an index, as a membership test only."""

    __slots__ = ("_index", "_i")

    def __init__(self, index: DocIndex, i: int):
        self._index, self._i = index, i

    def __contains__(self, affix: object) -> bool:
        return isinstance(affix, str) and self._i in self._index.affix_docs(affix)


@dataclass(frozen=True)
class Scored:
    id: str
    title: str
    score: float  # 0–1
    phrase_cover: float
    query_cover: float
    strong_cover: float = 0.0  # share of the question's words found as words (not only as parts)


def _credit(unit: Unit, whole: AbstractSet[str], parts: AbstractSet[str], affix: AbstractSet[str],
            w: IndexWeights, tails: bool = False) -> float:
    """How well `unit` is found among the stems of the other side."""
    if unit.stem in whole:
        return w.whole
    if unit.parts and all(p in whole or p in parts for p in unit.parts):
        return w.all_parts
    if unit.stem in parts:
        return w.as_part
    if len(unit.stem) >= MIN_AFFIX and unit.stem in affix:
        return w.as_affix
    if unit.parts:
        found = sum(1 for p in unit.parts if p in whole or p in parts)
        return w.some_parts * found / len(unit.parts)
    if tails and unit.tail and (unit.tail in whole or unit.tail in parts):
        return w.tail
    n = len(unit.stem)
    if any(unit.stem[:i] in whole or unit.stem[-i:] in whole for i in range(MIN_AFFIX, n)):
        return w.inside
    return 0.0


class DocIndex:
    """Documents made of short phrases; scores = blend of phrase coverage and question coverage."""

    def __init__(self, docs: list[Doc], weights: IndexWeights, ignore: frozenset[str] = frozenset(),
                 max_candidates: int = 300, tails: bool = False, skip_numbers: bool = False,
                 unknown_factor: float = 1.0, phrase_weight: float = 0.6):
        self.docs = docs
        self.w = weights
        self.phrase_weight = phrase_weight  # blend of phrase cover and question cover in the score
        # A word found as a word, inside a word, or as its start/end: "strong" evidence.
        self._strong = (weights.whole, weights.as_part, weights.as_affix)
        self.unknown_factor = unknown_factor  # how much words the documents never use count against a match
        self.skip_numbers = skip_numbers
        self.tails = tails  # credit the known last part of unknown compounds (FAQ: yes; services: too vague)
        self.ignore = ignore
        self.max_candidates = max_candidates
        postings: dict[str, set[int]] = defaultdict(set)
        as_whole: dict[str, list[int]] = defaultdict(list)  # documents using a stem as a word
        for i, doc in enumerate(docs):
            for s in doc.whole:
                postings[s].add(i)
                as_whole[s].append(i)
            for s in doc.parts:
                postings[s].add(i)
            for s in doc.context:
                postings[s].add(i)
            doc.affixes = _DocAffixes(self, i)
        # Read-only after this point (plain sets: a frozen copy of a 10k-document index costs a second).
        self.postings: dict[str, set[int]] = dict(postings)
        # Which documents have a word starting or ending with an affix is looked up in the sorted stems
        # when a question asks, not stored for all million affixes of a large knowledge base.
        self._as_whole = dict(as_whole)
        self._stems_forward = sorted(as_whole)
        self._stems_backward = sorted(s[::-1] for s in as_whole)
        self._affix_docs: dict[str, frozenset[int]] = {}
        self._by_id = {doc.id: doc for doc in docs}
        self._phrase_cache: dict[int, list] = {}
        # Document units a question credits alike share a key: `_Question.credit` reads stem and parts only.
        self._unit_keys: dict[tuple[str, tuple[str, ...]], int] = {}
        self._key_units: list[Unit] = []  # by key
        self._keys_by_token: dict[str, list[int]] = defaultdict(list)  # `_credit_tokens` → keys
        n = max(len(docs), 1)
        self.idf = {s: math.log(1 + n / len(ids)) for s, ids in self.postings.items()}
        # A word the documents never use weighs like a typical word, not like the rarest one:
        # most such words are verbs and fillers ("verlangt"), not names.
        ordered = sorted(self.idf.values())
        self.unknown_weight = ordered[len(ordered) // 2] if ordered else 1.0

    def affix_docs(self, affix: str) -> frozenset[int]:
        """Documents with `affix` among the `affixes` of their words (a word longer than it that starts
        or ends with it), remembered per affix."""
        found = self._affix_docs.get(affix)
        if found is None:
            if len(self._affix_docs) >= _AFFIX_MEMO_LIMIT:
                self._affix_docs.clear()
            ids: set[int] = set()
            if len(affix) >= MIN_AFFIX:
                for s in _extending(self._stems_forward, affix):
                    ids.update(self._as_whole[s])
                for s in _extending(self._stems_backward, affix[::-1]):
                    ids.update(self._as_whole[s[::-1]])
            found = self._affix_docs[affix] = frozenset(ids)
        return found

    def weight(self, unit: Unit) -> float:
        w = self.w
        if unit.stem in QUESTION_WORDS:
            return w.question_word * self.unknown_weight  # "wer"/"was" tell the kind of question, not its topic
        if unit.stem in self.idf:
            return self.idf[unit.stem]
        known = [self.idf[p] for p in unit.parts if p in self.idf]
        if known:
            return max(known)
        # Words the documents never use: everyday words ("verlangt") weigh little, rare ones
        # ("Zugspitze") weigh like a typical word.
        if unit.commonness >= w.everyday_zipf:
            return w.everyday_unknown * self.unknown_weight * self.unknown_factor
        if unit.commonness >= w.name_zipf:
            return w.rare_unknown * self.unknown_weight * self.unknown_factor
        return self.unknown_weight * self.unknown_factor

    def relevant(self, units: list[Unit]) -> list[Unit]:
        # a word ignored as typed stays ignored when the spelling correction made another word of it
        # ("bestätigten" is no "Bestattung")
        return [u for u in units if u.stem not in self.ignore and stem(u.surface) not in self.ignore
                and not (u.surface.isdigit() and self.skip_numbers)
                and not _YEAR.match(u.surface)
                and not (u.parts and all(p in self.ignore for p in u.parts))]

    def doc(self, doc_id: str) -> Doc:
        return self._by_id[doc_id]

    def credit(self, unit: Unit, doc_id: str) -> float:
        doc = self._by_id[doc_id]
        return max(_credit(unit, doc.whole, doc.parts, doc.affixes, self.w, self.tails),
                   self.w.context if unit.stem in doc.context else 0.0)

    def candidates(self, units: list[Unit]) -> set[int]:
        """Prefilter: documents sharing a token, rarest tokens first, bounded in number.

        Question words never select candidates; a token found in more than `4 × max_candidates`
        documents only does when nothing rarer is there, and then only together with the others."""
        whole = {u.stem for u in units if u.stem not in self.ignore and u.stem not in QUESTION_WORDS}
        keys = {s for u in units for s in u.all if s not in self.ignore and s not in QUESTION_WORDS}
        strong = [self.postings[k] for k in whole if k in self.postings]
        weak = [self.postings[k] for k in keys - whole if k in self.postings]
        if self.tails:
            weak += [self.postings[u.tail] for u in units if u.tail in self.postings and u.tail not in self.ignore]
        weak += [ids for u in units if u.stem not in self.ignore and (ids := self.affix_docs(u.stem))]
        if any(strong):
            # A word found whole selects its documents; a compound part shared by a large share of a big
            # knowledge base ("…schein") adds little but cost.
            weak = [ids for ids in weak if len(ids) <= self.max_candidates // 4]
        lists = sorted(strong + weak, key=len)
        found: set[int] = set()
        for ids in lists:
            if len(ids) > 4 * self.max_candidates or (found and len(found) + len(ids) > self.max_candidates):
                break
            found |= ids
        if not found and lists:
            common = set(lists[0])
            for ids in lists[1:]:
                common &= ids
            found = set(sorted(common)[: self.max_candidates])
        if len(found) > self.max_candidates:
            found = self._most_shared(found, [ids for ids in lists if len(ids) <= 4 * self.max_candidates])
        return found

    def _most_shared(self, found: set[int], lists: list[set[int]]) -> set[int]:
        """Of too many candidates (one common token in a large knowledge base), those sharing the most
        of the question's tokens – scoring every one would cost more than the answer is worth."""
        shared: dict[int, int] = defaultdict(int)
        for ids in lists:
            for i in ids:
                if i in found:
                    shared[i] += 1
        ranked = sorted(found, key=lambda i: (-shared[i], i))
        return set(ranked[: self.max_candidates])

    def _weighted_phrases(self, doc_index: int) -> list[tuple[list[tuple[int, float]], float]]:
        """A document's phrases with their units' weights, computed once (weights are fixed per index)."""
        cached = self._phrase_cache.get(doc_index)
        if cached is None:
            cached = []
            for phrase in self.docs[doc_index].phrases:
                weighted = [(self._unit_key(u), self.weight(u)) for u in phrase.units if u.stem not in self.ignore]
                total = sum(w for _, w in weighted)
                if total:
                    cached.append((weighted, total))
            self._phrase_cache[doc_index] = cached
        return cached

    def _unit_key(self, unit: Unit) -> int:
        """The key of the units credited like `unit`, filed under its `_credit_tokens` when new."""
        key = self._unit_keys.get((unit.stem, unit.parts))
        if key is None:
            key = self._unit_keys[(unit.stem, unit.parts)] = len(self._key_units)
            self._key_units.append(unit)
            for token in _credit_tokens(unit):
                self._keys_by_token[token].append(key)
        return key

    def search(self, units: list[Unit], limit: int = 5) -> list[Scored]:
        """The best documents for the question's units. Scores as `_credit` defines them: what it checks
        is prepared once per question (the hot loop of a large knowledge base) and summed in the same
        order, so every score is the same to the last bit."""
        units = self.relevant(units)
        if not units:
            return []
        question = _Question.of(units)
        q_weights = [(u, self.weight(u)) for u in units]
        q_weight = sum(w for _, w in q_weights)
        asked = [_Asked(u.stem, u.parts, u.tail if self.tails else None, self.affix_docs(u.stem), _insides(u.stem), w)
                 for u, w in q_weights]
        # Preparing the candidates' phrases files their units' keys, which the credits are looked up by.
        phrases = {i: self._weighted_phrases(i) for i in self.candidates(units)}
        phrase_credit = self._phrase_credit(question)
        ranked = []
        for i, weighted_phrases in phrases.items():
            query_cover, strong_cover = self._query_cover(i, self.docs[i], asked)
            phrase_cover = 0.0
            for weighted, total in weighted_phrases:
                covered = 0.0
                for key, w in weighted:
                    covered += w * phrase_credit.get(key, 0.0)
                if covered / total > phrase_cover:
                    phrase_cover = covered / total
            query_cover /= q_weight
            strong_cover /= q_weight
            score = self.phrase_weight * phrase_cover + (1 - self.phrase_weight) * query_cover
            ranked.append((-score, self.docs[i].id, i, phrase_cover, query_cover, strong_cover))
        ranked.sort()  # best first, then by id (ids are unique)
        return [Scored(doc_id, self.docs[i].title, -score, phrase, query, strong)
                for score, doc_id, i, phrase, query, strong in ranked[:limit]]

    def _phrase_credit(self, question: _Question) -> dict[int, float]:
        """The credit of every filed document unit the question credits, by key; a unit missing from it
        earns nothing (adding 0.0 leaves a sum as it is, so leaving it out changes no score)."""
        keys = {key for token in question.tokens() for key in self._keys_by_token.get(token, ())}
        return {key: c for key in keys if (c := question.credit(self._key_units[key], self.w))}

    def _query_cover(self, i: int, doc: Doc, asked: list[_Asked]) -> tuple[float, float]:
        """How much of the question (weighted) document `i` covers, and how much of it as words."""
        w_, whole, parts, context = self.w, doc.whole, doc.parts, doc.context
        query_cover = strong_cover = 0.0
        for word in asked:
            c = _asked_credit(word, i, whole, parts, w_)
            if c < w_.context and word.stem in context:
                c = w_.context
            query_cover += word.weight * c
            if c in self._strong or (c == w_.all_parts and word.stem in parts):
                strong_cover += word.weight
        return query_cover, strong_cover


class _Question(NamedTuple):
    """The question's stems as the phrases of every candidate are credited against them."""

    whole: set[str]
    parts: set[str]
    affixes: set[str]
    starts: frozenset[str]  # first and last 5 letters of its stems of 5+ letters
    ends: frozenset[str]
    long: tuple[str, ...]  # its stems of 5+ letters

    @classmethod
    def of(cls, units: list[Unit]) -> _Question:
        whole = {u.stem for u in units}
        long = tuple(q for q in whole if len(q) >= MIN_AFFIX)
        return cls(whole, {p for u in units for p in u.parts}, affixes(whole),
                   frozenset(q[:MIN_AFFIX] for q in long), frozenset(q[-MIN_AFFIX:] for q in long), long)

    def tokens(self) -> set[str]:
        """What a document unit's `_credit_tokens` must share with the question to earn any credit."""
        return (self.whole | self.parts | self.affixes | {"^" + s for s in self.starts}
                | {"$" + s for s in self.ends})

    def credit(self, unit: Unit, w: IndexWeights) -> float:
        """`_credit(unit, whole, parts, affixes, w)`; its last test (a stem of the question is a prefix
        or suffix of 5 to n-1 letters of the unit's) asked from the question's side, which has few stems."""
        s, whole, parts = unit.stem, self.whole, self.parts
        if s in whole:
            return w.whole
        if unit.parts and all(p in whole or p in parts for p in unit.parts):
            return w.all_parts
        if s in parts:
            return w.as_part
        if len(s) >= MIN_AFFIX and s in self.affixes:
            return w.as_affix
        if unit.parts:
            found = sum(1 for p in unit.parts if p in whole or p in parts)
            return w.some_parts * found / len(unit.parts)
        n = len(s)
        if (s[:MIN_AFFIX] in self.starts or s[-MIN_AFFIX:] in self.ends) and \
                any(len(q) < n and (s.startswith(q) or s.endswith(q)) for q in self.long):
            return w.inside
        return 0.0


def _credit_tokens(unit: Unit) -> set[str]:
    """A unit's tokens one of which a question must have for `_Question.credit` to be nonzero: its stem
    (whole, part or affix of the question), its parts (each test on parts needs one found), and for a
    word without parts its first and last 5 letters (a question stem inside it starts or ends there)."""
    tokens = {unit.stem, *unit.parts}
    if not unit.parts and len(unit.stem) > MIN_AFFIX:
        tokens |= {"^" + unit.stem[:MIN_AFFIX], "$" + unit.stem[-MIN_AFFIX:]}
    return tokens


class _Asked(NamedTuple):
    """A question word as `search` checks it against each candidate."""

    stem: str
    parts: tuple[str, ...]
    tail: str | None  # None where the index does not credit tails
    affix_docs: frozenset[int]  # documents with the stem among their words' affixes
    insides: frozenset[str]  # its prefixes and suffixes of 5+ letters
    weight: float


def _asked_credit(word: _Asked, i: int, whole: AbstractSet[str], parts: AbstractSet[str], w: IndexWeights) -> float:
    """`_credit` of a question word in document `i`, from what was prepared for the word."""
    s, u_parts = word.stem, word.parts
    if s in whole:
        return w.whole
    if u_parts and all(p in whole or p in parts for p in u_parts):
        return w.all_parts
    if s in parts:
        return w.as_part
    if i in word.affix_docs:
        return w.as_affix
    if u_parts:
        return w.some_parts * sum(1 for p in u_parts if p in whole or p in parts) / len(u_parts)
    if word.tail and (word.tail in whole or word.tail in parts):
        return w.tail
    if not whole.isdisjoint(word.insides):
        return w.inside
    return 0.0


def _insides(stem_: str) -> frozenset[str]:
    """The prefixes and suffixes of a stem that `_credit` looks for as words ("inside" credit)."""
    return frozenset(x for i in range(MIN_AFFIX, len(stem_)) for x in (stem_[:i], stem_[-i:]))


def _extending(ordered: list[str], start: str) -> Iterable[str]:
    """The strings of a sorted list that begin with `start` and are longer."""
    i = bisect.bisect_right(ordered, start)
    while i < len(ordered) and ordered[i].startswith(start):
        yield ordered[i]
        i += 1


def make_doc(analyzer: Analyzer, doc_id: str, title: str, phrases: Iterable[str], context: str = "") -> Doc:
    built = []
    whole: set[str] = set()
    parts: set[str] = set()
    for text in phrases:
        units = tuple(analyzer.units(text, correct=False))
        # A phrasing made only of question words ("Was kannst du?") would match every "was"-question.
        if units and not all(u.stem in QUESTION_WORDS for u in units):
            built.append(Phrase(units))
            for u in units:
                whole.add(u.stem)
                parts.update(u.parts)
    context_stems = {u.stem for u in analyzer.units(context, correct=False) if not u.surface.isdigit()} - whole
    return Doc(doc_id, title, tuple(built), frozenset(whole), frozenset(parts - whole), context=frozenset(context_stems))
