"""`Question`: the text of a question, normalised once. Nobody downstream re-derives it."""

from __future__ import annotations

import re
from dataclasses import dataclass
import datetime
from datetime import date
from functools import cached_property

from .dates import DateMention, find_date
from .english import ENGLISH
from .lexicon import ASSISTANT_COMPOUND, CORRECTION, DONT_KNOW_WHICH, HEARSAY, HOW_LONG_STILL, LEXICON, SENTENCE_END, TAG
from .text import fold, stem, words

MAX_QUESTION_CHARS = 600
_CAPITALISED = re.compile(r"\b(?:[Ee]-)?[A-ZÄÖÜ][\wäöüß]+")  # "E-Akte" is one noun (see text.words)
_NOUN_INSIDE = re.compile(r"\w\W+[A-ZÄÖÜ][a-zäöüß]+\b")  # a capitalised word after another word
# "Kirchgemeinde (Friedhofsträger) – können wir …?", "Landratsamt: wir …", "Ev.-luth. Kirchgemeinde mit
# eigenem Friedhof: dürfen wir …?": the message opens with who asks (up to five words).
_LABEL = re.compile(r"^\W*(?P<label>[\w.-]+(?:\s+[\w.-]+){0,4})\s*(?:\(|:|\u2013|\u2014|\s-\s|,)")


# "Für unser Sommerfest brauchen wir einen Online-Antrag": the occasion, not which of its procedures (folded words).
_OCCASION = re.compile(r"\b(?:fur|furs)\s+(?:unser\w*|das|den|die|ihr\w*|ein\w*)?\s*(?P<occasion>\w+)\s+brauch\w*\s+"
                       r"(?:wir|man|ich)\s+(?:\w+\s+){0,2}?(?:online\s*antrag\w*|onlineantrag\w*|antrag|assistent\w*|formular)\b")
_AND_THEN = re.compile(r"\s[\u2013\u2014-]\s*und\s+(?=was|wie|wann|ist|war|gilt|galt)", re.IGNORECASE)
_HOLIDAY_DATE = re.compile(r"\b(silvester|neujahr|heiligabend|weihnachten|ostern)\s+(20)?\d\d\b", re.IGNORECASE)

# "Friedhof: …", "Ordnungsamt/Feuerwehr: …": a one- or two-word sender label before a colon.
_SENDER = re.compile(r"^\W*(?P<sender>[\w.-]+(?:[\s/]+[\w.-]+)?)\s*:")


def clean(question: str) -> str:
    """Trim, collapse white space, drop control characters, bound the length."""
    text = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t")
    text = " ".join(text.split())
    return text[:MAX_QUESTION_CHARS]


@dataclass(frozen=True)
class Question:
    """A question as asked on a day: every normalised form the decision stage reads."""

    text: str  # cleaned, as typed (bounded length)
    as_of: date  # the day it was asked on
    date: DateMention | None  # a date named in the question

    @cached_property
    def plain(self) -> str:
        """The text without HTML-like tags."""
        return TAG.sub(" ", self.text)

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Folded words of the plain text."""
        return tuple(words(self.plain))

    @cached_property
    def stems(self) -> tuple[str, ...]:
        return tuple(stem(w) for w in self.words)

    @cached_property
    def joined(self) -> str:
        """The folded words joined by single spaces (for phrase patterns)."""
        return " ".join(self.words)

    @cached_property
    def vague_nouns(self) -> frozenset[str]:
        """Folded words named as a vague subject: "Wahl" in "der Assistent rund um die Wahl", "Hund" in "das mit
        dem Hund" (the first word after a vague marker and its articles)."""
        ws, out = self.words, set()
        for marker in LEXICON.vague_markers:
            n = len(marker)
            for i in range(len(ws) - n):
                if ws[i:i + n] != marker:
                    continue
                j = i + n
                while j < len(ws) and ws[j] in LEXICON.vague_articles:
                    j += 1
                if j < len(ws) and not re.search(rf"\b{re.escape(ws[j])}-\w", self.folded):
                    out.add(ws[j])  # not "Baustellen-" of "Baustellen-Verkehrsanordnungen": that names one
        return frozenset(out) | self.occasions

    @cached_property
    def occasions(self) -> frozenset[str]:
        """Folded words for an occasion the asker needs an application for ("Sommerfest" in "Für unser Sommerfest
        brauchen wir einen Online-Antrag"): vague about which procedure."""
        return frozenset(m.group("occasion") for m in _OCCASION.finditer(self.joined))

    @cached_property
    def asked_words(self) -> frozenset[str] | None:
        """Folded words of the sentences that ask (end with "?"), when other sentences only tell ("Wir haben zwei
        Mitarbeiter … Nun die Frage: Wird der Assistent …?"); None when the whole text asks."""
        sentences = SENTENCE_END.split(self.plain)
        # "…? also die Entwicklung selbst": a fragment after the question says what it means
        asked = [s for i, s in enumerate(sentences) if s.rstrip().endswith("?")
                 or i and sentences[i - 1].rstrip().endswith("?") and words(s)[:1] in (["also"], ["gemeint"], ["bzw"])]
        if not asked or len(asked) == len(sentences):
            return None
        return frozenset(w for s in asked for w in words(s))

    @cached_property
    def capitalised(self) -> frozenset[str]:
        """Folded forms of the words written with a capital letter (German nouns and names)."""
        return frozenset(fold(w).replace("-", "") for w in _CAPITALISED.findall(self.text))

    @cached_property
    def label_stems(self) -> frozenset[str]:
        """Stems of the words the message opens with before a colon, dash or bracket (who may be asking)."""
        label = _LABEL.match(self.plain)
        return frozenset(stem(w) for w in words(label.group("label"))) if label else frozenset()

    @cached_property
    def sender_stems(self) -> frozenset[str]:
        """Stems of a short label before a colon that names who writes ("friedhof: …")."""
        sender = _SENDER.match(self.plain)
        return frozenset(stem(w) for w in words(sender.group("sender"))) if sender else frozenset()

    @cached_property
    def who_writes(self) -> frozenset[str]:
        """Stems of the label the message opens with, before a colon, dash or bracket ("Bürgerbüro: …")."""
        return self.label_stems | self.sender_stems

    @cached_property
    def lower_case(self) -> bool:
        """Written all in lower case: then capitalisation tells nothing."""
        return self.text == self.text.lower()

    @cached_property
    def nouns_capitalised(self) -> bool:
        """Capitals mark the nouns: a capitalised word other than the first and no acronym ("… das Wahlamt");
        "fuehrerschein umtauschen, das macht das LRA" is written in lower case but for an acronym."""
        return bool(_NOUN_INSIDE.search(self.plain))

    @cached_property
    def matching_text(self) -> str:
        """The plain text without the words that named a date or where the asker read it ("in der Freien Presse"):
        what catalogue and FAQ are searched with; a closed compound with "Assistent" as its hyphenated form
        ("Veranstaltungsassistent" → "Veranstaltungs-assistent")."""
        plain = HEARSAY.sub(" ", ASSISTANT_COMPOUND.sub(r"\1-\2", _after_a_correction(self.plain)))
        plain = _HOLIDAY_DATE.sub(" ", plain)  # "Silvester 2024, also 31.12.24": the holiday is the date, no Feuerwerk
        if self.date is None:
            return plain
        return fold(plain).replace(self.date.text, " ")

    @property
    def day(self) -> datetime.date:  # `date` is a field here
        """The day the question is about: a valid date named in it, else the day it was asked."""
        return self.date.day if self.date and self.date.day else self.as_of

    @property
    def day_from_question(self) -> bool:
        return bool(self.date and self.date.day)


def _after_a_correction(text: str) -> str:
    """"parkausweis gefördert? ah nee moment, ich mein den für Besucher": the words after the last correction."""
    found = list(CORRECTION.finditer(text))
    rest = text[found[-1].end():] if found else ""
    named = len(rest.split()) >= 3 and not DONT_KNOW_WHICH.search(fold(rest))  # "ne, warte – weiß nicht welchen"
    return rest if named else text


def read_question(text: str, as_of: date) -> Question:
    cleaned = ENGLISH.to_german(clean(text))  # an English question is read as its German reading
    return Question(cleaned, as_of, _asked_date(TAG.sub(" ", cleaned), as_of))


def _asked_date(text: str, as_of: date) -> DateMention | None:
    """The date of the sentences that ask, if they name one ("Die Förderung ist ja nur bis Ende 2022 sicher. Wie ist
    das 2023?" asks about 2023), else the first date of the whole text."""
    asked = " ".join(s for s in SENTENCE_END.split(text) if s.rstrip().endswith("?"))
    follow = _AND_THEN.split(asked)  # "Ab dem 1. Juli 2022 werden die Kosten übernommen – und was war am 30. Juni 2022?"
    asked = follow[-1] if len(follow) > 1 else asked
    found = find_date(asked, as_of, yearless=False) if asked and asked != text else None  # "ab 1.7.? … am 1.7.22"
    if asked and asked != text and not found and HOW_LONG_STILL.search(fold(asked)):
        return None  # "Wir haben letzten Sommer … eingeführt. Wie lange läuft die Förderung noch?": from today
    return found if found and found.day else find_date(text, as_of)
