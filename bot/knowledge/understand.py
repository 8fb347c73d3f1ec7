"""What a question is about: dates, applicants, costs, service types, intents, small talk, abuse."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .model import Term, Vocabulary
from .text import fold, stem, words

MAX_QUESTION_CHARS = 600
_MIN_TAIL = 6  # "stadt" must not be found in "Hauptstadt"

_MONTHS = {
    "januar": 1, "jan": 1, "jaenner": 1, "februar": 2, "feb": 2, "marz": 3, "maerz": 3, "mar": 3, "april": 4,
    "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>20\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>(?:20)?\d\d)\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})\.?\s+(?P<mn>{_MONTH_RE})\.?\s+(?P<y>20\d\d)\b"),
    re.compile(rf"\b(?P<mn>{_MONTH_RE})\.?\s+(?P<y>20\d\d)\b"),
    re.compile(rf"\b(?P<mn>{_MONTH_RE})\.?\s+(?P<y>2\d)\b(?!\.)"),
    re.compile(r"\b(?P<q>anfang|mitte|ende)\s+(?:des\s+jahres\s+)?(?P<y>20\d\d)\b"),
    re.compile(r"\b(?P<y>20\d\d)\b"),
)
_RELATIVE_YEAR = re.compile(r"\b(?P<which>nachst\w*|kommend\w*|letzt\w*|vorig\w*|vergangen\w*|dies\w*)\s+jahr(es)?\b")

# Funding words proper ("förderfähig", "Förderberechtigung", "gefördert"), by the start of the folded
# word; "beförderung" does not start with "forder".
_STRONG_PREFIXES = ("forderfah", "forderbar", "forderberecht", "forderf", "gefordert", "fordert", "fordern", "finanzier", "bezuschuss", "antragsberechtig",
                    "berechtigt", "begunstigt", "zuschussfahig")
# Words of questions about eligibility (as stems of folded words).
_ELIGIBILITY = {stem(w) for w in """
forderfahig forderfahigkeit forderbar gefordert fordert fordern forderung forderungen foerderfahig finanziert
finanziere finanzierung ubernommen ubernimmt ubernehmen bezahlt zahlt bezahlen zahlen kostenlos kostenfrei
gratis umsonst kostet kostenneutral berechtigt antragsberechtigt begunstigt profitieren profitiert abgedeckt
umfasst gedeckt zuschussfahig erstattet entlastet rabattiert unterstutzt mitmachen teilnehmen teilnahme
anspruch bekommen erhalten kriegen beteiligen abrechnen abgerechnet abrechnung drin enthalten inbegriffen
""".split()}
_DEADLINE = {stem(w) for w in """
frist fristen wann lange ende endet enden lauft laufen lauf ablauf abgelaufen auslaufen ausgelaufen stichtag
deadline zeitraum laufzeit befristet gultig verlangert verlangerung bis noch zeitraume
""".split()}
_SMALLTALK = {
    "greeting": "hallo hi hey moin moinmoin servus tach tag morgen abend gruss grusse gott gruezi huhu nabend".split(),
    "thanks": "danke dankeschon dank vielen merci thx thanks super prima toll klasse perfekt top".split(),
    "bye": "tschuss tschau ciao bye wiedersehen wiederhoren adieu ade gute nacht".split(),
}
_SMALLTALK_FILLER = set("""guten gute schonen schon auch ihnen dir euch und sehr ok okay alles liebe lieber bot bis dann
bald das hilft hat geholfen weiter weitergeholfen mir uns gut nett freundlich fur info infos antwort auskunft
erst mal einmal noch vielmals herzlichen herzlich wochenende feierabend tag abend woche zusammen allerseits
allen leute echt wirklich total mega sehr""".split())
_SMALLTALK_FILLER_STEMS = {stem(w) for w in _SMALLTALK_FILLER}
_FALLS_UNDER = re.compile(r"\bfall\w*\s+(\w+\s+){0,7}unter\b")
_FUNDING_FOR = re.compile(
    r"\b(forderung|forderungen|fordermittel|zuschuss|finanzierung|geld)\s+(fur|fuers|furs|zum|zur)\b"
    r"|\bgibt\s*s?\s+(es\s+)?(dafur\s+|hierfur\s+|da\s+)?(eine\s+|einen\s+|auch\s+)?"
    r"(forderung|zuschuss|geld|fordermittel)\b"
    r"|\b(dafur|hierfur)\s+(eine\s+|einen\s+)?(forderung|zuschuss|geld|fordermittel)\b")
_GEHT_DAS = re.compile(r"\b(geht|ginge|klappt) (das|sowas|so was|es)\b|\bist das drin\b|\bzahlt (das|der|die)\b")
_INJECTION = re.compile(
    r"(ignor\w*|vergiss|vergessen|missacht\w*|uberschreib\w*|disregard|forget)\W+(\w+\W+){0,4}"
    r"(regel\w*|anweisung\w*|instruktion\w*|vorgabe\w*|prompt\w*|rules?|instructions?|richtlinie\w*)"
    r"|system\s*-?\s*prompt|jailbreak|developer\s+mode|du\s+bist\s+(jetzt|ab\s+sofort|nun)\b|act\s+as\b"
    r"|sag\w*\W+(\w+\W+){0,3}(dass|das)\s+alles\b|say\s+(that\s+)?everything|antworte\w*\s+(immer|nur)\s+mit"
)
_CODE = re.compile(
    r"<\s*/?\s*(script|iframe|img|svg|object|embed|style|form|input|link|meta)\b[^>]*>|javascript:|\bon\w+\s*="
    r"|\b(drop|truncate|alter)\s+table\b|\bselect\b.+\bfrom\b|\bunion\s+select\b|\binsert\s+into\b"
    r"|\bdelete\s+from\b|;\s*--|'\s*or\s+'?1'?\s*=\s*'?1|\{\{.*\}\}|\$\{.*\}",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]{0,200}>")


@dataclass(frozen=True)
class Mention:
    group: str  # applicants | regions | costs | service_types
    id: str
    words: tuple[str, ...]  # stems that named it
    self_named: bool = False  # "wir sind ein Zweckverband", "als Verein", "Bauunternehmen hier"


@dataclass(frozen=True)
class Analysis:
    text: str
    date: date | None
    date_text: str | None
    invalid_date: bool
    mentions: tuple[Mention, ...]
    asks_eligibility: bool  # any funding or paying word ("kostet", "zahlt", "gefördert")
    strong_eligibility: bool  # a funding word proper ("förderfähig", "gefördert", "finanziert")
    asks_deadline: bool
    smalltalk: str | None  # greeting | thanks | bye
    only_smalltalk: bool
    abuse: str | None  # injection | code
    has_letters: bool
    as_of: date  # the day the question was asked on

    def ids(self, group: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.id for m in self.mentions if m.group == group))

    @property
    def entity_stems(self) -> frozenset[str]:
        return frozenset(s for m in self.mentions for s in m.words)


def clean(question: str) -> str:
    """Trim, collapse white space, drop control characters, bound the length."""
    text = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t")
    text = " ".join(text.split())
    return text[:MAX_QUESTION_CHARS]


@dataclass(frozen=True)
class DateMention:
    day: date | None  # the date asked about; None when the named date does not exist
    text: str  # the words that named it
    invalid: bool = False  # "31.02.2023": a date that does not exist


_BEFORE = re.compile(r"\b(?P<prep>nach|ab|seit|vor|bis)(\s+(dem|den|zum|zur|der|ende|anfang))?\s*$")


def _span(groups: dict) -> tuple[date, date, date]:
    """(first day, last day, day meant without a preposition) of a year, month, part of year or day."""
    year = int(groups["y"])
    if year < 100:
        year += 2000
    if groups.get("q"):
        month, day = {"anfang": (1, 1), "mitte": (7, 1), "ende": (12, 31)}[groups["q"]]
        point = date(year, month, day)
        return point, point, point
    if groups.get("mn") or groups.get("m"):
        month = _MONTHS[groups["mn"]] if groups.get("mn") else int(groups["m"])
        if groups.get("d"):
            point = date(year, month, int(groups["d"]))
            return point, point, point
        first = date(year, month, 1)
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
        return first, last, first
    return date(year, 1, 1), date(year, 12, 31), date(year, 12, 31)


def find_date(text: str, today: date) -> DateMention | None:
    """The date a question asks about (it overrides the as-of date).

    A year means its last day, a month its first day, a date itself; "nach"/"vor" move past the
    named period ("nach 2024" → 01.01.2025, "vor dem 01.07.2022" → 30.06.2022), "ab"/"seit" mean
    its start, "bis" its end. A date that does not exist is reported, not replaced by a guess."""
    folded = fold(text)
    rel = _RELATIVE_YEAR.search(folded)
    if rel:
        which = rel.group("which")
        offset = 1 if which.startswith(("nachst", "kommend")) else -1 if which.startswith(("letzt", "vorig", "vergangen")) else 0
        return DateMention(date(today.year + offset, 12, 31), rel.group(0))
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(folded):
            try:
                first, last, point = _span(m.groupdict())
            except ValueError:
                return DateMention(None, m.group(0), invalid=True)
            before = _BEFORE.search(folded[:m.start()])
            prep = before.group("prep") if before else None
            if prep == "nach":
                point = last + timedelta(days=1)
            elif prep == "vor":
                point = first - timedelta(days=1)
            elif prep in ("ab", "seit"):
                point = first
            elif prep == "bis":
                point = last
            return DateMention(point, (before.group(0) if before else "") + m.group(0))
    return None


# Words that make a mentioned party the applicant: "wir sind ein …", "als …", "… hier", and "für …"
# ("fördert der Freistaat das auch für Firmen?").
_SELF_CUES = {"wir", "unser", "unsere", "unserem", "unseren", "unserer", "als", "ich", "bin", "sind", "uns", "fur"}


def _endings(word: str) -> list[str]:
    """The word's proper endings of 6+ letters, longest first, leaving at least 3 letters in front."""
    return [word[i:] for i in range(3, len(word) - _MIN_TAIL + 1)]


def _self_named(ws: list[str], i: int, n: int) -> bool:
    """The asker names itself: a cue word shortly before ("wir sind ein …", "als …") or "… hier"."""
    return bool(_SELF_CUES & set(ws[max(0, i - 3):i + n])) or ws[i + n:i + n + 1] == ["hier"]


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


class Understanding:
    """Built once per knowledge version; analyses questions without I/O."""

    def __init__(self, vocabulary: Vocabulary):
        self.patterns = {
            group: _term_patterns(getattr(vocabulary, group))
            for group in ("applicants", "regions", "costs", "service_types")
        }
        # Single-word terms of 6+ letters, by their folded form and their stem: "zweckverband" is found
        # at the end of "abwasserzweckverband".
        self.tails = {
            group: {key: term for term, seq, surface in patterns if len(seq) == 1 and len(surface) >= _MIN_TAIL
                    for key in (surface, seq[0])}
            for group, patterns in self.patterns.items()
        }
        self.term_stems = frozenset(
            s for group in self.patterns.values() for _, seq, _ in group for s in seq
        )

    def mentions(self, ws: list[str], stems: list[str]) -> tuple[Mention, ...]:
        """Terms named by whole words, then (for words no term names) as the last part of a compound:
        "Abwasserzweckverband" names a Zweckverband, "Mitarbeiterschulungen" Schulungen."""
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
                    if tuple(stems[i:i + n]) == seq and not any(used[i:i + n]):
                        used[i:i + n] = [True] * n
                        found.append(Mention(group, term.id, seq, _self_named(ws, i, n)))
            named = [a or b for a, b in zip(named, used)]
        for i, word in enumerate(ws):
            if named[i] or len(word) < _MIN_TAIL + 3:
                continue
            for group, tails in self.tails.items():
                hit = next((tails[end] for end in _endings(word) + _endings(stems[i]) if end in tails), None)
                if hit is not None:
                    found.append(Mention(group, hit.id, (stems[i],), _self_named(ws, i, 1)))
                    break
        return tuple(found)

    def analyse(self, question: str, today: date) -> Analysis:
        text = clean(question)
        folded = fold(text)
        abuse = None
        if _INJECTION.search(folded):
            abuse = "injection"
        elif _CODE.search(text):
            abuse = "code"
        plain = _TAG.sub(" ", text)
        ws = words(plain)
        stems = [stem(w) for w in ws]
        mentioned = find_date(plain, today)
        stem_set = set(stems)
        smalltalk = None
        talk_words = set()
        for kind, vocab in _SMALLTALK.items():
            hits = [w for w in ws if w in vocab]
            if hits:
                smalltalk = smalltalk or kind
                talk_words.update(hits)
        rest = [w for w in ws if w not in talk_words and w not in _SMALLTALK_FILLER
                and stem(w) not in _SMALLTALK_FILLER_STEMS]
        asks_deadline = bool(stem_set & _DEADLINE) or "wie lange" in folded
        joined = " ".join(ws)
        falls_under = bool(_FALLS_UNDER.search(joined))
        return Analysis(
            text=text,
            date=mentioned.day if mentioned else None,
            date_text=mentioned.text if mentioned else None,
            invalid_date=bool(mentioned and mentioned.invalid),
            mentions=self.mentions(ws, stems),
            asks_eligibility=bool(stem_set & _ELIGIBILITY) or falls_under or bool(_GEHT_DAS.search(joined)),
            strong_eligibility=any(w.startswith(_STRONG_PREFIXES) for w in ws) or falls_under
            or bool(_FUNDING_FOR.search(joined)),
            asks_deadline=asks_deadline,
            smalltalk=smalltalk,
            only_smalltalk=bool(smalltalk) and not rest,
            abuse=abuse,
            has_letters=any(ch.isalpha() for ch in plain),
            as_of=today,
        )
