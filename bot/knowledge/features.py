"""`Features` of a question: named terms, cues (what kind of question it is), abuse and small talk."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace

from .lexicon import (ANNOUNCED_QUESTION, ANYTHING_FOR, ELECTION, ERRAND, CODE, INTRODUCTION, NEGATION, ONE_ASSISTANT, INSTEAD, OWN_ASSISTANT, PARTY_ASKS, REPLACES_OWN, SELF_AT, SELF_INTRODUCED, SOURCE_ON, SWITCH_AS_ALTERNATIVE, TASK, TASK_VERB, TRANSLATE, WE_MADE, WHAT_WE_PAY, DEFINITION, FALLS_UNDER, FROM_WHEN, FUNDING_FOR, GEHT_DAS, HOW_LONG, HOW_TO, HOW_MANY, INJECTION, LEXICON, LIST_REQUEST, PERIOD_QUESTION, STATUS_PHRASE, WHEN,
                      NOT_OWN_DEVELOPMENT, OWN_DEVELOPMENT)
from .model import Term, Vocabulary
from .question import Question
from .text import stem, words

_MIN_TAIL = 6  # "stadt" must not be found in "Hauptstadt"
TERM_GROUPS = ("applicants", "regions", "costs", "service_types")


class Cue(enum.Enum):
    """What a question asks for, independent of what it names."""

    ELIGIBILITY = "eligibility"  # any funding or paying word ("kostet", "zahlt", "gefördert")
    STRONG_ELIGIBILITY = "strong_eligibility"  # a funding word proper ("förderfähig", "finanziert")
    DEADLINE = "deadline"  # "bis wann", "Frist", "wie lange"
    W_QUESTION = "w_question"  # "Wer …?", "Was heißt …?": asks for a fact
    DOMAIN = "domain"  # words of this domain (Förderung, Assistent, KISA, OZG …)
    ABOUT_SERVICE = "about_service"  # the question is about an assistant or online service
    PROGRAMME = "programme"  # names the funding programme itself
    PROGRAMME_STATUS = "programme_status"  # "sicher?", "geht es weiter?", "vorbei?"
    MONEY = "money"  # "Geld", "Kohle", "Mittel"
    PERIOD_NOUN = "period_noun"  # "Frist", "Förderzeitraum", "Laufzeit"
    OWN_SHARE = "own_share"  # "Eigenanteil", "Zuzahlung"
    LISTING = "listing"  # "welche … gibt es", "Liste", "zeig mir"
    COUNT = "count"  # "wie viele", "Anzahl"
    CATALOGUE = "catalogue"  # "Katalog", "Assistenten", "Angebot"
    PLANNED = "planned"  # "geplant", "kommen noch"
    OWN_DEVELOPMENT = "own_development"  # an own development described in plain words
    LIST_REQUEST = "list_request"  # "Welche Assistenten gibt es für …", "im Themenfeld …"
    ANYTHING_FOR = "anything_for"  # "gibts da was?", "habt ihr was für …": whether something funded exists
    WHEN = "when"  # "Wann …?", "Bis wann …?", "Wie lange …?"
    FROM_WHEN = "from_when"  # "Ab wann …?", "Seit wann …?"
    PERIOD_QUESTION = "period_question"  # "Bis wann …?", "Wie lange …?", "Wann endet …?"
    DEICTIC = "deictic"  # "das", "dafür", "das andere": points at something not named
    ONE_ASSISTANT = "one_assistant"  # "unser OAA", "der beauftragte Assistent": one assistant, maybe unnamed
    ANNOUNCED_QUESTION = "announced_question"  # "Ich hätte eine Frage …"
    TASK = "task"  # "Schreib mir ein Gedicht …": a task, not a question
    HOW_TO = "how_to"  # "Wie ändere ich die Felder im Formular?": how to work the assistant
    OFF_TOPIC = "off_topic"  # "Rezept", "Wetter", "Aktien": surely about something else
    REPLACES_OWN = "replaces_own"  # "… statt unseres eigenen Formulars den KISA-Assistenten nehmen"
    PARTY_ASKS = "party_asks"  # "Kann sie selbst …?": a party named before asks for itself
    DEFINITION = "definition"  # "Was bedeutet …?", "Was heißt …?"
    SOURCE_ON = "source_on"  # "Was sagt die Pressemitteilung zum Datenschutz?"


@dataclass(frozen=True)
class Mention:
    group: str  # applicants | regions | costs | service_types
    id: str
    words: tuple[str, ...]  # stems that named it
    self_named: bool = False  # "wir sind ein Zweckverband", "als Verein", "Bauunternehmen hier"
    asks_for_itself: bool = False  # "Kann ein Zweckverband den Assistenten nutzen?": the party wants the funding
    possessive: bool = False  # "unser Verein": the asker's club – the asker only if nobody else is named


@dataclass(frozen=True)
class Features:
    mentions: tuple[Mention, ...]
    cues: frozenset[Cue]
    smalltalk: str | None  # greeting | thanks | bye | identity
    only_smalltalk: bool
    abuse: str | None  # injection | code | insult
    has_letters: bool

    def ids(self, group: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.id for m in self.mentions if m.group == group))

    @property
    def entity_stems(self) -> frozenset[str]:
        return frozenset(s for m in self.mentions for s in m.words)

    def has(self, *cues: Cue) -> bool:
        return any(c in self.cues for c in cues)


def _endings(word: str) -> list[str]:
    """The word's proper endings of 6+ letters, longest first, leaving at least 3 letters in front."""
    return [word[i:] for i in range(3, len(word) - _MIN_TAIL + 1)]


def _self_named(ws: tuple[str, ...], i: int, n: int) -> bool:
    """The asker names itself: a cue word shortly before ("wir sind ein …", "als …") or "… hier" –
    not across the start of a clause ("Wir möchten, dass Handwerker …") nor after a preposition ("wir
    lassen uns von einer Agentur …")."""
    if i == 0 and ws[n:n + 2] == ("e", "v"):
        return True  # "Sportverein e.V. möchte …": a message opening with a club's registered name is the club's
    before = ws[max(0, i - 3):i]
    if SELF_AT.search(" ".join(ws[max(0, i - 6):i])):
        return True  # "ich bin von einer privaten Hausverwaltung"
    if LEXICON.other_party & set(ws[max(0, i - 2):i]):
        return False  # "von einer Agentur", "bei der Firma": someone else
    # "bei uns beantragen die Sportvereine": "uns" after a preposition is the asker's place, not a name
    before = tuple("" if w == "uns" and j > 0 and before[j - 1] in LEXICON.other_party else w
                   for j, w in enumerate(before))
    cut = max((j for j, w in enumerate(before) if w in LEXICON.clause_openers), default=-1)
    return bool(LEXICON.self_cues & set(before[cut + 1:] + ws[i:i + n])) or ws[i + n:i + n + 1] == ("hier",)


_POSSESSIVES = {"unser", "unsere", "unserem", "unseren", "unserer", "unsre", "unsren", "unsrem"}


def _labelled_self(mentions: tuple[Mention, ...], question: Question) -> tuple[Mention, ...]:
    """A party named as the message's label, with "wir" or "für uns" after it, is the asker."""
    stems = question.label_stems
    if not stems or not ("wir" in question.words or " fur uns " in f" {question.joined} "):
        return mentions
    return tuple(replace(m, self_named=True) if set(m.words) <= stems else m for m in mentions)


def _possessive(ws: tuple[str, ...], i: int) -> bool:
    """"unser Verein", "unsere Vereine" (also where the term's own words begin with the possessive)."""
    return bool(_POSSESSIVES & set(ws[max(0, i - 2):i + 1]))


_ITSELF = {"sie", "er", "es"}


def _asks_whether_it_gets(ws: tuple[str, ...], after: int) -> bool:
    """"Eine Eventagentur fragt bei uns an, ob sie den Assistenten gefördert bekommt": the party asks
    whether it (a pronoun right after "ob") gets the funding."""
    at = next((j for j in range(after, min(len(ws) - 1, after + 8)) if ws[j] == "ob" and ws[j + 1] in _ITSELF), None)
    return at is not None and any(stem(w) in LEXICON.wants_funding_stems for w in ws[at + 2:at + 12])


def _asks_for_itself(ws: tuple[str, ...], i: int, n: int) -> bool:
    """A modal verb right before the party ("Kann ein Zweckverband …"), or a word for getting the funding
    shortly after it ("Stadtwerke … bekommen"), or a verb of wanting and then the assistant ("die
    Hausverwaltung will … den Sperrmüll-Assi nutzen"): the party is the one asking for the funding."""
    if LEXICON.modals & set(ws[max(0, i - 3):i]):
        return True
    if "fur" in ws[max(0, i - 3):i] and _ASKS_FOR & set(ws[max(0, i - 6):i]):
        return True  # "Zweckverband fragt für die Mitgliedsgemeinde", "ich schreibe für eine Mandantenkommune"
    # the verb of wanting right after the party, or after a relative clause ("ein Ingenieurbüro, das für uns
    # Pläne macht, will den Assistenten …")
    reach = 12 if ws[i + n:i + n + 1] and ws[i + n] in LEXICON.relative_pronouns else 2
    want = next((j for j in range(i + n, min(len(ws), i + n + reach)) if ws[j] in LEXICON.wants), None)
    if want is not None:
        clause = ws[want + 1:want + 9]
        clause = clause[:next((j for j, w in enumerate(clause) if w in LEXICON.question_openers), len(clause))]
        if any(w in LEXICON.the_assistant or w.endswith(("assistent", "assistenten")) for w in clause):
            return True  # "… den Hallen-Buchungsassistenten nutzen"
        if "online" in clause and LEXICON.offers & set(clause):
            return True  # "… will die Anmeldung für Kitaplätze online anbieten"
    if _asks_whether_it_gets(ws, i + n):
        return True
    # "… kriegen wir …": the asker gets it, not the party
    return any(stem(ws[j]) in LEXICON.wants_funding_stems and ws[j + 1:j + 2] not in (("wir",), ("ich",))
               for j in range(i + n, min(len(ws), i + n + 6)))


def _term_patterns(terms: tuple[Term, ...]) -> list[tuple[Term, tuple[str, ...], str]]:
    """(term, stems of the phrase, folded phrase) for every way a term is named."""
    patterns = []
    for term in terms:
        for phrase in term.words:
            ws = words(phrase)
            seq = tuple(stem(w) for w in ws)
            if seq:
                patterns.append((term, seq, " ".join(ws)))
    # Longer phrases first so that "kreisfreie stadt" wins over "stadt".
    patterns.sort(key=lambda p: -len(p[1]))
    return patterns


SMALLTALK_STATEMENT_WORDS = 14  # a statement this short with thanks or a greeting and nothing else asked is small talk


_HOW_ARE_YOU = {"geht", "gehts", "lauft", "laufts", "stehts"}
_ASKS_FOR = {"fragt", "frage", "fragen", "schreibt", "schreibe", "schreiben", "anfrage"}  # … für die Gemeinde


def _smalltalk(ws: tuple[str, ...], named: frozenset[str]) -> tuple[str | None, bool]:
    """(kind of small talk, whether the question is nothing else). `named`: stems of the terms named
    ("Guten Morgen aus dem Landratsamt" is a greeting)."""
    kind = None
    talk = set()
    for name, vocab in LEXICON.smalltalk.items():
        hits = [w for w in ws if w in vocab]
        if hits:
            kind = kind or name
            talk.update(hits)
    # "Moin aus Pirna", "Guten Morgen aus dem Standesamt"
    places = {w for i, w in enumerate(ws) if kind and (ws[i - 1:i] in (("aus",), ("von",), ("vom",))
                                                       or ws[max(0, i - 2):i] in (("aus", "dem"), ("aus", "der")))}
    how_are_you = {i for i, w in enumerate(ws[:-1]) if w == "wie" and ws[i + 1] in _HOW_ARE_YOU}  # "wie geht's?"
    ws = tuple(w for i, w in enumerate(ws) if i not in how_are_you)
    rest = [w for w in ws if w not in talk and w not in LEXICON.smalltalk_filler and w not in LEXICON.stopwords
            and stem(w) not in LEXICON.smalltalk_filler_stems and stem(w) not in named and w not in places
            and not w.endswith(LEXICON.office_endings)]  # "Mit freundlichen Grüßen, Ihr Bauamt"
    return kind, bool(kind) and not rest


def _abuse(question: Question) -> str | None:
    if INJECTION.search(question.folded):
        return "injection"
    if CODE.search(question.text):
        return "code"
    return None


def _insults(question: Question) -> bool:
    """"Du bist echt der dümmste Bot": an insult word with a word that addresses the bot."""
    return (any(s in LEXICON.insult_stems for s in question.stems)
            and any(w in LEXICON.addressed for w in question.words))


_CLAUSE = re.compile(r"[,;:?!.()\u2013\u2014]|\s-\s")


def _is_w_question(text: str) -> bool:
    """A question word opens a clause ("Wer koordiniert …?", "…, aber wie steht es um …"); "Sachen wie
    eKOL" is a comparison, not a question. "Was bedeutet …" and "Was heißt …" count too."""
    for clause in _CLAUSE.split(text):
        first = words(clause)[:2]
        if any(w in LEXICON.question_words for w in first):
            return True
        if any(w in LEXICON.meaning_words for w in words(clause)[:4]):
            return True
    return False


_FUNDED_ENDINGS = ("gefordert", "finanziert")  # "mitgefördert", "mitfinanziert"
_PROGRAMME_ENDINGS = ("forderung", "finanzierung")  # "Nachfolgeförderung", "Anschlussfinanzierung"


def _meant(joined: str) -> str:
    """The part of a question that says what is meant: after "sondern"/"stattdessen", if any."""
    parts = INSTEAD.split(joined)
    return parts[-1] if len(parts) > 1 else joined


def _own_made(text: str) -> bool:
    matches = list(OWN_DEVELOPMENT.finditer(text)) + list(WE_MADE.finditer(text))
    return any(not NOT_OWN_DEVELOPMENT.search(m.group(0)) for m in matches) or bool(OWN_ASSISTANT.search(text))


def _replaces_own(joined: str) -> bool:
    """The question is about replacing an own development by an assistant ("… abschalten und
    stattdessen den KISA-Assistenten nehmen", "wir wollen nix selber bauen, sondern den OAA")."""
    meant = _meant(joined)
    if meant is not joined:
        return bool(NOT_OWN_DEVELOPMENT.search(meant)) and not _own_made(meant)
    return bool(REPLACES_OWN.search(SWITCH_AS_ALTERNATIVE.sub(" ", joined)) and NOT_OWN_DEVELOPMENT.search(joined))


def _own_development(joined: str) -> bool:
    """An own development described in plain words – not when it is being replaced by an assistant."""
    return not _replaces_own(joined) and _own_made(_meant(joined))


def _one_assistant(joined: str) -> bool:
    """"unser OAA", "für den Assistenten" – not "der Antragsassistenten", "mit den Assistenten" (plurals)."""
    def one(m: re.Match) -> bool:
        plural = (m.group("noun") or "").endswith("en") and (
            m.group("art") == "der" or m.group("art") == "den" and _DATIVE.search(joined[:m.start()]))
        return not plural  # "mit den Assistenten einsteigen": all of them

    return any(one(m) for m in ONE_ASSISTANT.finditer(joined))


_DATIVE = re.compile(r"\b(mit|bei|von|zu|aus|nach|an|in)\s*$")


def _negated_stems(question: Question) -> frozenset[str]:
    """Stems of the words a negation's scope names with an article ("gehört nicht der Stadt"); not "auch nicht
    für Landkreise?", which asks about them."""
    scopes = [m.group("scope") for m in NEGATION.finditer(question.folded) if m.group("scope")]
    return frozenset(stem(w) for scope in scopes if scope.split()[0] in _ARTICLES
                     for w in words(scope) if w not in LEXICON.stopwords)


_ARTICLES = {"der", "die", "das", "dem", "den", "des"}


def _without_the_date(question: Question) -> list[str]:
    return words(question.folded.replace(question.date.text, " ")) if question.date else list(question.words)


def _cues(question: Question, mentions: tuple[Mention, ...], unit_stems: frozenset[str]) -> frozenset[Cue]:
    """`unit_stems`: the stems of the question's words after typo correction and synonyms."""
    ws, stems, joined = question.words, set(question.stems), question.joined
    lex = LEXICON
    falls_under = bool(FALLS_UNDER.search(joined))
    found = {
        Cue.ELIGIBILITY: bool(stems & lex.eligibility_stems) or falls_under or bool(GEHT_DAS.search(joined)),
        Cue.STRONG_ELIGIBILITY: any(w.startswith(lex.strong_eligibility_prefixes) or w.endswith(_FUNDED_ENDINGS)
                                    for w in ws) or falls_under
        or bool(FUNDING_FOR.search(joined)),
        Cue.DEADLINE: bool(stems & lex.deadline_stems) or bool(HOW_LONG.search(question.folded)),
        Cue.W_QUESTION: _is_w_question(question.plain),
        Cue.DOMAIN: bool(unit_stems & lex.domain_stems) or bool(mentions),
        Cue.ABOUT_SERVICE: bool(unit_stems & lex.about_a_service_stems),
        Cue.PROGRAMME: any(w.startswith(lex.programme_prefixes) or w.endswith(_PROGRAMME_ENDINGS) for w in ws),
        # "lohnt sich das?": the pronoun "sich" is no "sicher" (they share the stem)
        Cue.PROGRAMME_STATUS: bool({stem(w) for w in ws if w != "sich"} & lex.programme_status_stems)
        or bool(STATUS_PHRASE.search(joined)),
        Cue.OFF_TOPIC: bool(stems & lex.off_topic_stems) or bool(ELECTION.search(joined)),
        Cue.MONEY: bool(stems & lex.money_stems),
        Cue.PERIOD_NOUN: bool(stems & lex.period_noun_stems),
        Cue.OWN_SHARE: bool(stems & lex.own_share_stems) or bool(WHAT_WE_PAY.search(joined)),
        Cue.LISTING: bool(stems & lex.listing_stems),
        Cue.COUNT: bool(stems & lex.count_stems) or bool(HOW_MANY.search(joined)),
        Cue.CATALOGUE: bool(stems & lex.catalogue_stems),
        Cue.PLANNED: bool(stems & lex.planned_stems),
        Cue.OWN_DEVELOPMENT: _own_development(joined),
        Cue.REPLACES_OWN: _replaces_own(joined),
        Cue.PARTY_ASKS: bool(PARTY_ASKS.search(joined)),
        Cue.LIST_REQUEST: bool(LIST_REQUEST.search(joined)),
        Cue.ANYTHING_FOR: bool(ANYTHING_FOR.search(joined)),
        Cue.WHEN: bool(WHEN.search(joined)),
        Cue.FROM_WHEN: bool(FROM_WHEN.search(joined)),
        Cue.PERIOD_QUESTION: bool(PERIOD_QUESTION.search(joined)),
        Cue.DEICTIC: bool(set(_without_the_date(question)) & lex.deictic),  # not "dieses" of "dieses Jahr"
        Cue.ONE_ASSISTANT: _one_assistant(joined),
        Cue.ANNOUNCED_QUESTION: bool(ANNOUNCED_QUESTION.search(joined)),
        Cue.HOW_TO: bool(HOW_TO.search(joined)),
        Cue.TASK: bool(TASK.search(joined) and TASK_VERB.search(joined) or TRANSLATE.search(joined)
                       or ERRAND.search(joined)),
        Cue.DEFINITION: bool(DEFINITION.search(joined)),
        Cue.SOURCE_ON: bool(SOURCE_ON.search(joined)),
    }
    return frozenset(cue for cue, present in found.items() if present)


class FeatureReader:
    """Built once per knowledge version; reads the features of questions without I/O."""

    def __init__(self, vocabulary: Vocabulary):
        self.patterns = {group: _term_patterns(getattr(vocabulary, group)) for group in TERM_GROUPS}
        # Single-word terms of 6+ letters, by their folded form and their stem: "zweckverband" is found
        # at the end of "abwasserzweckverband".
        self.tails = {
            group: {key: term for term, seq, surface in patterns if len(seq) == 1 and len(surface) >= _MIN_TAIL
                    for key in (surface, seq[0])}
            for group, patterns in self.patterns.items()
        }
        self.term_stems = frozenset(s for group in self.patterns.values() for _, seq, _ in group for s in seq)
        self.private_applicant = vocabulary.private_applicant

    def _private_party(self, ws: tuple[str, ...], stems: tuple[str, ...], named: list[bool]) -> list[Mention]:
        """"ein privater Bestatter", "private Vermieter": "privat" before a person or business noun no term
        names is the applicant flagged `private` (not "privates Grundstück", not "private Daten")."""
        if self.private_applicant is None:
            return []
        return [Mention("applicants", self.private_applicant, stems[i:i + 2], _self_named(ws, i, 2),
                        _asks_for_itself(ws, i, 2), _possessive(ws, i))
                for i in range(len(ws) - 1)
                if ws[i] in LEXICON.private_adjectives and not named[i + 1] and ws[i + 1].endswith(LEXICON.party_endings)]

    def _whole_word_mentions(self, ws: tuple[str, ...], stems: tuple[str, ...]) -> tuple[list[Mention], list[bool]]:
        found: list[Mention] = []
        named = [False] * len(stems)
        present = set(stems)
        for group, patterns in self.patterns.items():
            used = [False] * len(stems)
            for term, seq, _ in patterns:
                if seq[0] not in present:
                    continue
                n = len(seq)
                for i in range(len(stems) - n + 1):
                    if stems[i:i + n] == seq and not any(used[i:i + n]) and not (
                            group == "applicants" and ws[i + n:i + n + 1] and ws[i + n] in LEXICON.known_bodies):
                        used[i:i + n] = [True] * n
                        found.append(Mention(group, term.id, seq, _self_named(ws, i, n), _asks_for_itself(ws, i, n),
                                             _possessive(ws, i)))
            named = [a or b for a, b in zip(named, used)]
        return found, named

    def mentions(self, ws: tuple[str, ...], stems: tuple[str, ...]) -> tuple[Mention, ...]:
        """Terms named by whole words, then (for words no term names) as the last part of a compound:
        "Abwasserzweckverband" names a Zweckverband, "Mitarbeiterschulungen" Schulungen."""
        found, named = self._whole_word_mentions(ws, stems)
        if not any(m.group == "applicants" and m.id == self.private_applicant for m in found):
            found += self._private_party(ws, stems, named)
        for i, word in enumerate(ws):
            if named[i] or len(word) < _MIN_TAIL + 3:
                continue
            for group, tails in self.tails.items():
                hit = next((tails[end] for end in _endings(word) + _endings(stems[i]) if end in tails), None)
                if hit is not None:
                    found.append(Mention(group, hit.id, (stems[i],), _self_named(ws, i, 1), _asks_for_itself(ws, i, 1),
                                         _possessive(ws, i)))
                    break
        return tuple(found)

    def read(self, question: Question, unit_stems: frozenset[str]) -> Features:
        mentions = _labelled_self(self.mentions(question.words, question.stems), question)
        negated = _negated_stems(question)
        # "(gehört nicht der Stadt)", "das is aber nich das efa ding aus nrw": no party, kind or Land
        mentions = tuple(m for m in mentions if not (m.group in ("applicants", "regions", "service_types")
                                                     and set(m.words) <= negated))
        smalltalk, only_smalltalk = _smalltalk(question.words, frozenset(s for m in mentions for s in m.words))
        cues = _cues(question, mentions, unit_stems)
        # "Herzlichen Dank, das bringt mich für die Ratssitzung weiter.": thanks or a greeting in a short
        # statement that asks nothing and names nothing of this domain is small talk too.
        asks = "?" in question.plain
        funding = cues & {Cue.ELIGIBILITY, Cue.STRONG_ELIGIBILITY, Cue.MONEY, Cue.PROGRAMME}
        # "Danke, und gilt das auch für Landkreise?" asks something after the thanks.
        # "Guten Tag, ich bin die neue Kassenverwalterin der Gemeinde.": a greeting and who greets. "Wer
        # bist du" is small talk only as a question ("Du bist echt der dümmste Bot" is not).
        short = len(question.words) <= SMALLTALK_STATEMENT_WORDS or bool(SELF_INTRODUCED.search(question.joined))
        statement = (smalltalk not in (None, "identity") and not asks and short and not funding
                     and not (question.words and question.words[0] in LEXICON.question_words))  # "wie wird das wetter
        # morgen" asks, without a question mark
        only_smalltalk = (only_smalltalk and not (asks and funding)) or bool(
            statement and (Cue.DOMAIN not in cues or INTRODUCTION.search(question.joined)))
        return Features(
            mentions=mentions,
            cues=cues,
            smalltalk=smalltalk,
            only_smalltalk=only_smalltalk,
            abuse=_abuse(question) or ("insult" if _insults(question) and not funding else None),
            has_letters=any(ch.isalpha() for ch in question.plain),
        )
