"""`Candidates` for a question: catalogue services, FAQ entries, Themenfelder, and the words nothing explains."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from .dates import numbers_in_dates
from .features import Features, FeatureReader
from .index import Analyzer, DocIndex, Scored, Unit, make_doc
from .lexicon import (AS_A_KIND, COMPARED, EXAMPLE_OF, FIXED, LEXICON, LOWER_PARTICIPLE, NEGATION, NOT_A_NAME, PREMISE,
                      SENTENCE_END, STATE_OF_THINGS)
from .model import Knowledge
from .question import Question
from .text import commonness, fold, raw_words, stem, words
from .thresholds import Thresholds

SMALLTALK_WORDS = frozenset().union(*LEXICON.smalltalk.values())
SERVICE_LIMIT = 6  # services kept per question
FAQ_LIMIT = 8  # FAQ entries searched per question (the best 5 are kept after rescoring)


@dataclass(frozen=True)
class Candidates:
    services: tuple[Scored, ...]
    faqs: tuple[Scored, ...]
    topics: tuple[str, ...]  # Themenfelder named (catalogue topic names)
    units: tuple[Unit, ...]  # the question's words as the indexes read them
    service_units: tuple[Unit, ...]  # the words the catalogue is searched with (no named terms, negations)
    unknown: tuple[str, ...]  # words that look like a name and that neither best match explains
    names: tuple[str, ...]  # of those, the ones that are surely names ("Zugspitze"), and stray numbers
    compared: frozenset[str] = frozenset()  # words only in what the question compares with ("wie die Gewerbesteuer")

    @property
    def top_service(self) -> Scored | None:
        return self.services[0] if self.services else None

    @property
    def second_service(self) -> Scored | None:
        return self.services[1] if len(self.services) > 1 else None

    @property
    def top_faq(self) -> Scored | None:
        return self.faqs[0] if self.faqs else None

    @property
    def unit_stems(self) -> frozenset[str]:
        return frozenset(u.stem for u in self.units)


def _negated(text: str) -> set[str]:
    """Words the question excludes: "Anliegerbescheinigung (nicht die Hausnummer!)", "nicht um die
    Kfz-Zulassung" (both parts of a hyphenated compound)."""
    folded = fold(text)
    found: set[str] = set()
    for m in NEGATION.finditer(folded):
        found.update(w for w in words(m.group("scope") or m.group("word") or "") if w not in LEXICON.stopwords)
    return found - LEXICON.not_a_thing


def _asked_and_given(text: str) -> tuple[str, str]:
    """The sentences that ask (ending in "?") without what they take as given ("X ist ja gefördert – …"),
    and the rest: the statements and premises around the question. ("", "") when nothing is asked."""
    asked, given = [], []
    for sentence in SENTENCE_END.split(fold(text).replace(" - ", " \u2013 ")):  # a typed dash ends a clause too
        if not sentence.rstrip().endswith("?"):
            given.append(sentence)
            continue
        given.extend(m.group(0) for m in PREMISE.finditer(sentence))
        asked.append(PREMISE.sub(" ", sentence))
    return (" ".join(asked), " ".join(given)) if asked else ("", "")


def _compared(text: str) -> tuple[list[str], set[str]]:
    """What a question names only to compare with ("gefördert wie die Gewerbesteuer?", "beim Hund
    anmelden gings ja auch"): the compared clauses, and their words not used elsewhere in the question."""
    folded = fold(text)
    scopes, rest = [], folded
    for m in COMPARED.finditer(folded):
        if m.group("like") and EXAMPLE_OF.search(folded[:m.start()].rstrip()):
            continue
        scopes.append(next((g for g in m.group("like", "went", "have", "same", "sortof", "notlike", "near", "funded", "also", "isalso",
                                               "isthat") if g), ""))
        rest = rest.replace(m.group(0), " ")
    only_there = {w for scope in scopes for w in words(scope) if w not in LEXICON.stopwords} - set(words(rest))
    return scopes, only_there


SUBJECT_PRONOUNS = frozenset({"ich", "wir", "ihr"})  # the word after one is a verb: no name of a thing
# Last parts of a compound that name an assistant, not a thing: "Hundesteuer-Assistent", "Kita-Ding".
_GENERIC_HEADS = LEXICON.about_a_service_stems | {stem(w) for w in LEXICON.deictic}
_HYPHENATED = re.compile(r"\w{3,}(?:-\w{3,})+")


def _hyphen_heads(text: str) -> dict[str, str]:
    """Each earlier part → the last part of hyphenated compounds ("winterdienst-fahrzeugs" → "fahrzeugs",
    "kita-platz-vergabe" → "vergabe"), folded."""
    heads = {}
    for m in _HYPHENATED.finditer(fold(text)):
        *parts, last = m.group(0).split("-")
        heads.update({part: last for part in parts})
    return heads


def _vocabulary_texts(knowledge: Knowledge) -> list[str]:
    texts = []
    for e in knowledge.entries:
        texts += [e.title, e.answer, *e.questions]
    for s in knowledge.services:
        texts += [s.name, s.id.replace("-", " "), s.topic, *s.keywords]
    for group in ("applicants", "regions", "costs", "service_types", "topics"):
        for term in getattr(knowledge.vocabulary, group):
            texts += list(term.words)
    return texts


class Matcher:
    """The indexes of one knowledge version, and how a question is matched against them."""

    def __init__(self, knowledge: Knowledge, thresholds: Thresholds):
        self.knowledge = knowledge
        self.thresholds = thresholds
        clock = time.perf_counter()
        self.build_seconds: dict[str, float] = {}  # stage → seconds of this build (bench/latency.py prints them)

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            self.build_seconds[stage] = now - clock
            clock = now

        self.analyzer = Analyzer(_vocabulary_texts(knowledge), knowledge.synonyms, thresholds.index.real_word_zipf)
        self.reader = FeatureReader(knowledge.vocabulary)
        # Words of funding questions, question words, vocabulary terms and words asking for the
        # programme's status ("sicher", "vorbei") never name a service ("Grundsicherung").
        ignore = {stem(w) for w in LEXICON.not_naming_a_service} | LEXICON.question_words | self.reader.term_stems
        ignore |= LEXICON.programme_status_stems
        ignore |= {self.analyzer.canonical.get(s, s) for s in ignore}
        self.ignore_for_services = frozenset(ignore)
        lap("analyser")
        weights = thresholds.index
        self.services = DocIndex(
            [make_doc(self.analyzer, s.id, s.name, [s.name, s.id.replace("-", " "), *s.keywords])
             for s in knowledge.services],
            weights, ignore=self.ignore_for_services, skip_numbers=True, tails=True,
            unknown_factor=weights.service_unknown_factor, phrase_weight=weights.service_phrase_weight,
        )
        lap("service index")
        self.faqs = DocIndex(
            [make_doc(self.analyzer, e.id, e.title, [e.title, *e.questions], context=e.answer)
             for e in knowledge.entries],
            weights, tails=True, phrase_weight=weights.faq_phrase_weight,
        )
        lap("FAQ index")
        # Stems of the catalogue names themselves (not of keywords): "Hund" names "Hundesteuer – An- und
        # Abmeldung eines Hundes"; "knapp" only appears in a keyword ("knappes Einkommen").
        self._name_stems = {s.id: frozenset(u.stem for u in self.analyzer.units(s.name, correct=False))
                            for s in knowledge.services}
        self.faq_strings = {e.id: [" ".join(self.analyzer.text_words(q)) for q in (e.title, *e.questions)]
                            for e in knowledge.entries}
        # Phrasings of up to four words, for questions made only of function words ("Was kannst du?").
        short = [(p, e_id) for e_id, ps in self.faq_strings.items() for p in ps if len(p.split()) <= 4]
        self.short_phrasings = ([p for p, _ in short], [e_id for _, e_id in short])
        self.topics = _topic_index(knowledge, self.analyzer, self.ignore_for_services)
        self.kinds = _kind_index(knowledge, self.analyzer, self.ignore_for_services)
        self.parts = _part_index(knowledge, self.analyzer, self.ignore_for_services)
        self.analyzer.indexes_built()
        lap("names, phrasings, topics")

    def units(self, question: Question) -> list[Unit]:
        return self.analyzer.units(question.matching_text)

    def features(self, question: Question, units: list[Unit]) -> Features:
        return self.reader.read(question, frozenset(u.stem for u in units))

    def find(self, question: Question, features: Features, units: list[Unit]) -> Candidates:
        entity = features.entity_stems
        negated = _negated(question.matching_text)
        fixed = bool(FIXED.search(question.joined))  # "fest zugesagt" names no Fest
        state = bool(STATE_OF_THINGS.search(question.joined))  # "Stand heute" names no Marktstand
        scopes, compared_words = _compared(question.matching_text)

        def names_a_service(u: Unit) -> bool:
            return (u.stem not in entity and u.surface not in negated and u.surface not in compared_words
                    and not (fixed and u.surface == "fest") and not (state and u.surface == "stand"))

        service_units = [u for u in units if names_a_service(u)]
        services = self._without_negated(self._searched(service_units, question), units, negated)
        services = self._without_compared(services, scopes)
        services = self._without_given(services, question, names_a_service)
        services = self._weakly_named(services, service_units, _hyphen_heads(question.matching_text))
        faqs = self._rescored_faqs(question, units)
        found = Candidates(tuple(services), tuple(faqs), self._topics(question, units), tuple(units),
                           tuple(service_units), (), ())
        unknown = self._unexplained(found, question, features)
        names = self._names(found, question, unknown)
        return replace(found, unknown=tuple(unknown), names=tuple(names), compared=frozenset(compared_words))

    def _searched(self, units: list[Unit], question: Question) -> list[Scored]:
        """The catalogue searched with the whole text; when a long question follows sentences that only tell
        ("Wir sind das Bauamt … zwei Mitarbeiter für Tiefbau. Nun die Frage: Wird der Assistent für die
        Aufgrabegenehmigung …?") and its asking sentence alone finds the same best service, clearly ahead of any
        other, that one keeps the better score."""
        t = self.thresholds
        found = self.services.search(units, limit=SERVICE_LIMIT)
        asked = question.asked_words
        if not found or asked is None or len(asked) < t.asked_sentence_words:
            return found
        alone = self.services.search([u for u in units if u.surface in asked], limit=2)
        clear = len(alone) == 1 or len(alone) == 2 and alone[0].score - alone[1].score >= t.service_margin
        if alone and clear and alone[0].id == found[0].id and alone[0].score > found[0].score:
            found[0] = alone[0]
        return found

    def _without_negated(self, services: list[Scored], units: list[Unit], negated: set[str]) -> list[Scored]:
        """Services a negated word names are not meant: "nicht die Hausnummer", "nicht die Ummeldung"."""
        excluded = [u for u in units if u.surface in negated]
        whole = self.thresholds.index.whole  # named as a word: "Gewerbeanmeldung" does not exclude "Gewerbesteuer…"
        return [s for s in services if not any(self.services.credit(u, s.id) >= whole for u in excluded)]

    def _only_a_modifier(self, service_id: str, credited: list[Unit], heads: dict[str, str]) -> bool:
        """"die Anmietung unseres Winterdienst-Fahrzeugs": a service found only through the first part of
        a hyphenated compound whose last part names something else (not an assistant, not the service)."""
        if not credited or any(u.surface not in heads for u in credited):
            return False
        for u in credited:
            head = self.analyzer.units(heads[u.surface], correct=False)
            if not head or set(head[-1].all) & _GENERIC_HEADS or self.services.credit(head[-1], service_id) > 0:
                return False  # "Hundesteuer-Assistent", "Kita-Ding", "Kita-Anmeldeportal" name the service
        return True

    def _weakly_named(self, services: list[Scored], units: list[Unit], heads: dict[str, str]) -> list[Scored]:
        """A service found only through one everyday word that is part of a longer keyword and not of its
        name ("knapp" of "knappes Einkommen", "Stand" of "Standplatz Markt") is not named: in "Kurz und knapp: läuft die
        Förderung noch?" or "… stand heute" nobody asks about a service."""
        t = self.thresholds
        out = []
        for s in services:
            credited = [u for u in units if self.services.credit(u, s.id) > 0]
            if (s.phrase_cover <= t.weak_phrase_cover and len(credited) == 1
                    and not set(credited[0].all) & self._name_stems[s.id]
                    and commonness(credited[0].surface) >= t.weak_word_zipf) \
                    or self._only_a_modifier(s.id, credited, heads):
                s = replace(s, score=min(s.score, t.service_clarify - t.weak_below_offer))
            out.append(s)
        # Of services found equally well, the one the question names by a word of its name leads one found only
        # by a keyword ("Kita-OAA": »Betreuungsplatz in Kita …« before »Elternbeitrag« with its »Kita-Gebühren«).
        out.sort(key=lambda r: (-r.score, not self.named_by_its_name(r.id, units), r.id))
        return out

    def named_by_its_name(self, service_id: str, units: list[Unit] | tuple[Unit, ...]) -> bool:
        """A word of the question is a word of the service's catalogue name (not only of its keywords)."""
        name = self._name_stems[service_id]
        return any(set(u.all) & name and self.services.credit(u, service_id) > 0 for u in units)

    def _without_compared(self, services: list[Scored], scopes: list[str]) -> list[Scored]:
        """The service a comparison names ("wie die Gewerbesteuer") is not the one asked about."""
        named = self.thresholds.compared_service
        compared = set()
        for scope in scopes:
            hits = self.services.search(self.analyzer.units(scope), limit=1)
            if hits and hits[0].score >= named:
                compared.add(hits[0].id)
        return [s for s in services if s.id not in compared]

    def _without_given(self, services: list[Scored], question: Question,
                       names_a_service: Callable[[Unit], bool]) -> list[Scored]:
        """"Die Gewerbesteueranmeldung ist ja gefördert. Gilt das auch für die Gewerbeanmeldung?": a service
        named only in what the asker takes as given is not the one asked about – when the question itself
        names another candidate ("als Sozialleistung" names a kind, not a service)."""
        asked, given = _asked_and_given(question.matching_text)
        if not given.strip():
            return services
        named, plausible = self.thresholds.compared_service, {s.id for s in services
                                                              if s.score >= self.thresholds.service_clarify}
        units = [u for u in self.analyzer.units(AS_A_KIND.sub(" ", asked)) if names_a_service(u)]
        in_asked = {h.id for h in self.services.search(units, limit=3) if h.score >= named} & plausible
        if not in_asked:
            return services
        only_given = {h.id for h in self.services.search(self.analyzer.units(given), limit=3)
                      if h.score >= named} - in_asked
        return [s for s in services if s.id not in only_given]

    def _rescored_faqs(self, question: Question, units: list[Unit]) -> list[Scored]:
        """FAQ hits, their score blended with rapidfuzz's token_set_ratio against the phrasings."""
        blend = self.thresholds.faq_fuzzy_blend
        folded = " ".join(words(question.matching_text))
        rescored = []
        for hit in self.faqs.search(units, limit=FAQ_LIMIT):
            fuzzy = max(fuzz.token_set_ratio(folded, s, processor=None) for s in self.faq_strings[hit.id]) / 100
            rescored.append(Scored(hit.id, hit.title, (1 - blend) * hit.score + blend * fuzzy, hit.phrase_cover,
                                   hit.query_cover, hit.strong_cover))
        rescored.sort(key=lambda r: (-r.score, r.id))
        return rescored[:5]

    def topics_in(self, text: str) -> tuple[str, ...]:
        """Themenfelder named in a part of a question ("zum Thema Umwelt")."""
        return self._named_topics({u.stem for u in self.analyzer.units(text)}, " ".join(words(text)))

    def _topics(self, question: Question, units: list[Unit]) -> tuple[str, ...]:
        return self._named_topics({u.stem for u in units}, question.joined)

    def _named_topics(self, stems: set[str], joined: str) -> tuple[str, ...]:
        """Themenfelder named by a whole word ("Familien", "Umwelt"), or by their full name."""
        return tuple(topic for topic, topic_stems, phrase in self.topics
                     if topic_stems & stems or f" {phrase} " in f" {joined} ")

    def _unexplained(self, found: Candidates, question: Question, features: Features) -> list[str]:
        """Words that look like the name of something and that neither the best service nor the best
        FAQ entry explains (German nouns are capitalised; in an all-lower-case question every word counts)."""
        t = self.thresholds
        entity = features.entity_stems
        top = found.top_service
        top_service = top.id if top and top.score >= t.service_clarify else None
        top_faq = found.top_faq.id if found.top_faq else None
        out = []
        typed = raw_words(question.text)
        ws = question.words
        after_pronoun = {b for a, b in zip(ws, ws[1:]) if a in SUBJECT_PRONOUNS}  # "wir ueberlegen": a verb
        for u in found.units:
            if len(u.surface) < 4 or u.surface.isdigit() or u.stem in entity or u.stem in self.ignore_for_services:
                continue
            if self.analyzer.in_vocabulary(u) or NOT_A_NAME.match(u.surface):
                continue  # a word the knowledge itself uses, or an adjective or infinitive, is no unknown name
            if (u.surface in LEXICON.askers or u.surface.endswith(LEXICON.asker_endings) or u.surface in LEXICON.deictic
                    or u.surface in after_pronoun or u.surface in SMALLTALK_WORDS  # "frohes neues! läuft …"
                    or u.surface in LEXICON.empty_verbs):  # "gabs das … fest?"
                continue  # "der Bürgermeister will wissen …", "das Ding": who asks, or a pointer
            if (not question.lower_case and u.surface not in question.capitalised
                    and LOWER_PARTICIPLE.match(u.surface)):
                continue
            if u.stem in self.kinds or u.stem in LEXICON.service_kind_stems or u.stem in LEXICON.period_noun_stems:
                continue  # a kind of catalogue service ("Genehmigung") or the period ("Enddatum"): not unknown
            # A name of something: rare in German, or a capitalised noun that is not an everyday word.
            zipf = u.commonness or commonness(typed.get(u.surface, u.surface))  # split words carry none
            if not (zipf < t.rare_zipf or (u.surface in question.capitalised and not question.lower_case
                                           and zipf < t.everyday_zipf)):
                continue
            if top_service and self.services.credit(u, top_service) >= t.shares_only_a_part:
                continue  # a shared last part alone ("Reisepass" ~ "Reisegewerbekarte") explains nothing
            if top_faq and self.faqs.credit(u, top_faq) > 0:
                continue
            out.append(u.surface)
        return out

    def _names(self, found: Candidates, question: Question, unknown: list[str]) -> list[str]:
        """Unexplained words that are surely names (rare, and nouns in a normally written question), and
        numbers (not years) that the best FAQ entry does not contain: "17 mal 23" is no FAQ question."""
        t = self.thresholds
        names = [u.surface for u in found.units if u.surface in unknown and u.commonness < t.name_zipf
                 and (question.lower_case or u.surface in question.capitalised)]
        top_faq = found.top_faq.id if found.top_faq else None
        numbers = [u for u in found.units if u.surface.isdigit() and not (1990 <= int(u.surface) <= 2099)]
        in_dates = numbers_in_dates(question.text) if numbers else frozenset()  # read the dates only if needed
        names += [u.surface for u in numbers
                  if u.surface not in in_dates and not (top_faq and self.faqs.credit(u, top_faq) > 0)]
        return names


def _kind_index(knowledge: Knowledge, analyzer: Analyzer,
                ignore: frozenset[str]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Word → the services whose names, and those whose names or keywords, have it as a word or as a
    compound's known last part: what kind of thing each service is ("parkausweis" → Bewohnerparkausweis,
    Besucherparkausweis; "steur" → the three tax services)."""
    known = analyzer.surface | analyzer.stems
    kinds: dict[str, tuple[set[str], set[str]]] = {}
    for service in knowledge.services:
        for n, phrase in enumerate((service.name, *service.keywords)):
            for u in analyzer.units(phrase, correct=False):
                w = u.surface
                ends = {u.stem, w, *u.parts[-1:]} | {w[i:] for i in range(1, len(w) - 3) if w[i:] in known}
                for end in ends - ignore:
                    names, every = kinds.setdefault(end, (set(), set()))
                    every.add(service.id)
                    if n == 0:
                        names.add(service.id)
    return {end: (frozenset(names), frozenset(every)) for end, (names, every) in kinds.items()}


def _part_index(knowledge: Knowledge, analyzer: Analyzer, ignore: frozenset[str]) -> dict[str, frozenset[str]]:
    """Stem → the services whose names or keywords have it as a word or as any part of a compound ("wahl" →
    Wahlschein (»Briefwahl«) and Plakatierung (»Wahlplakate«)): which services a vague subject may mean."""
    parts: dict[str, set[str]] = {}
    for service in knowledge.services:
        for phrase in (service.name, *service.keywords):
            for u in analyzer.units(phrase, correct=False):
                for part in set(u.all) - ignore:
                    parts.setdefault(part, set()).add(service.id)
    return {part: frozenset(ids) for part, ids in parts.items()}


def _topic_index(knowledge: Knowledge, analyzer: Analyzer,
                 ignore: frozenset[str]) -> tuple[tuple[str, frozenset[str], str], ...]:
    """(Themenfeld, stems naming it): the topic's own name and the everyday words of `vocabulary.topics`,
    without the words every question shares ("Verwaltung")."""
    named = {t.label: t.words for t in knowledge.vocabulary.topics}
    out = []
    for topic in dict.fromkeys(s.topic for s in knowledge.services):
        phrases = [topic, *named.get(topic, ())]
        stems = {u.stem for p in phrases for u in analyzer.units(p, correct=False)} - ignore
        out.append((topic, frozenset(stems), " ".join(words(topic))))
    return tuple(out)
