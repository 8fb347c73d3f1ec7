"""German text normalisation: case, umlauts both ways, ß, hyphens, stems and compound parts."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from wordfreq import zipf_frequency

_STEMMER = Stemmer.Stemmer("german")
_WORD = re.compile(r"[a-z0-9]+")
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "à": "a"})
_DIGRAPHS = re.compile(r"(?<!q)(ae|oe|ue)")

_UMLAUT_OF = {"ae": "ä", "oe": "ö", "ue": "ü"}
_PERCENT = re.compile(r"(\d+)\s*(%|prozent)\s*-?\s*(ig\w*)?")


def fold(text: str) -> str:
    """Lower-case, NFKC, ä→a, ae→a, ß→ss: the same form whatever way the user typed umlauts."""
    if not text.isascii():  # ASCII needs no normalisation and has no umlauts (the knowledge is mostly ASCII)
        text = unicodedata.normalize("NFKC", text).lower().translate(_UMLAUTS)
    else:
        text = text.lower()
    if "%" in text or "prozent" in text:
        text = _PERCENT.sub(r"\1 prozent ", text)
    return _DIGRAPHS.sub(_first_letter, text)


def _first_letter(match: re.Match) -> str:
    return match.group(1)[0]


_RAW_WORD = re.compile(r"[^\W_]+")


def raw_words(text: str) -> dict[str, str]:
    """Folded word → the word as typed (lower case, umlauts kept), for lexicon look-ups."""
    out: dict[str, str] = {}
    for token in _RAW_WORD.findall(unicodedata.normalize("NFKC", text).lower()):
        for folded in words(token):
            out.setdefault(folded, token)
    return out


def as_typed(text: str, folded: tuple[str, ...] | list[str]) -> str:
    """Folded words shown as the user typed them ("fuhrungszeugnis" → "Führungszeugnis"), joined by
    spaces; a word not found in the text stays as it is."""
    typed: dict[str, str] = {}
    for token in _RAW_WORD.findall(unicodedata.normalize("NFKC", text)):
        for word in words(token):
            typed.setdefault(word, token)
    return " ".join(typed.get(w, w) for w in folded)


@lru_cache(maxsize=16384)
def commonness(word: str) -> float:
    """Zipf frequency of a German word (0 = unheard of, 3 = rare, 5+ = everyday word).

    Words the knowledge base never uses are judged by how common they are in German generally:
    "Anspruch" (4.7) is an everyday word, "Zugspitze" (3.0) names a thing the bot knows nothing of.
    """
    plain = zipf_frequency(word, "de")
    if not _DIGRAPHS.search(word):
        return plain
    # "ueberlegen" typed without umlauts is as common as "überlegen"
    return max(plain, zipf_frequency(_DIGRAPHS.sub(lambda m: _UMLAUT_OF[m.group(1)], word), "de"))


def words(text: str) -> list[str]:
    """Folded words; hyphens and punctuation separate words."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=262144)
def stem(word: str) -> str:
    """Snowball German stem of an already folded word."""
    if word.isdigit():
        return word
    return _STEMMER.stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


class CompoundSplitter:
    """Splits folded words into parts known from the knowledge base's own vocabulary.

    "hundesteueranmeldung" → ["hundesteur", "anmeld"] when "hundesteuer" and "anmeldung" occur in
    the knowledge. Linking elements (Fugen-s, -es, -n) are tolerated. Parts shorter than
    `min_part` characters are not accepted, so "beförderung" never yields "förderung".
    """

    def __init__(self, vocabulary: set[str], min_part: int = 4):
        # vocabulary: folded surface words and their stems
        self.known = vocabulary
        self.min_part = min_part

    @lru_cache(maxsize=65536)
    def _known(self, part: str) -> str | None:
        if len(part) < self.min_part:
            return None
        if part in self.known:
            return stem(part)
        s = stem(part)
        if s in self.known and len(s) >= self.min_part:
            return s
        return None

    @lru_cache(maxsize=32768)
    def tail(self, word: str) -> str | None:
        """The stem of the longest known last part of 5+ letters ("rückfragen" → "frag"): in German
        the last part names what a compound is, even when its first part is unknown. Failing that,
        the longest known first part ("kostenarten" → "kost")."""
        for i in range(3, len(word) - 4):
            tail = self._known(word[i:])
            if tail:
                return tail
        for i in range(len(word) - 3, 4, -1):
            head = self._known(word[:i])
            if head:
                return head
        return None

    @lru_cache(maxsize=32768)
    def split_last(self, word: str) -> tuple[str, ...]:
        """(head, last part) when the last part (5+ letters) is known and the head has 3+ letters."""
        for i in range(3, len(word) - 4):
            tail = self._known(word[i:])
            if tail:
                return (stem(word[:i].rstrip("s") if len(word[:i]) > 3 else word[:i]), tail)
        return ()

    @lru_cache(maxsize=32768)
    def split(self, word: str) -> tuple[str, ...]:
        """Stems of the parts, or () when the word cannot be split into known parts."""
        best: tuple[str, ...] = ()
        best_extra = 0
        n = len(word)
        if n < 2 * self.min_part:
            return ()
        for i in range(n - self.min_part, self.min_part - 1, -1):
            head, tail = word[:i], word[i:]
            left = self._known(head)
            if left is None and head[-1] == "s":
                left = self._known(head[:-1])
            if left is None and head.endswith(("es", "en")):
                left = self._known(head[:-2])
            if left is None:
                continue
            right = self._known(tail)
            rest = (right,) if right else self.split(tail)
            if rest:
                candidate = (left,) + rest
                # Fewest parts; of as few, the head with the least ending or linking element:
                # "hund|steuer", not "hundes|teuer".
                extra = len(head) - len(left)
                if not best or (len(candidate), extra) < (len(best), best_extra):
                    best, best_extra = candidate, extra
        return best
