"""German text normalisation: case, umlauts both ways, ß, hyphens, stems and compound parts."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from wordfreq import zipf_frequency

_STEMMER = Stemmer.Stemmer("german", 0)  # no cache of its own: `stem` has one, and its evictions cost 1.8 µs per new word
_WORD = re.compile(r"[a-z0-9]+")
_UMLAUTS = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"), ("é", "e"), ("è", "e"), ("à", "a"))
_DIGRAPHS = re.compile(r"(?<!q)(ae|oe|ue)")

_UMLAUT_OF = {"ae": "ä", "oe": "ö", "ue": "ü"}
_PERCENT = re.compile(r"(\d+)\s*(%|prozent)\s*-?\s*(ig\w*)?")
# Years and days written in words ("zweitausenddreiundzwanzig", "am ersten Juli"): as digits, so that dates read them.
_UNITS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_YEAR_WORD = re.compile(r"\bzweitausend(?:(?P<u>ein|zwei|drei|vier|funf|sechs|sieben|acht|neun)und)?zwanzig\b")
_DAY_WORDS = {"ersten": 1, "erste": 1, "zweiten": 2, "dritten": 3, "dreissigsten": 30, "einunddreissigsten": 31}
_DAY_WORD = re.compile(r"\b(?P<d>" + "|".join(_DAY_WORDS) + r")\s+(?=(?:januar|februar|marz|april|mai|juni|juli|august"
                       r"|september|oktober|november|dezember)\b)")


def fold(text: str) -> str:
    """Lower-case, NFKC, ä→a, ae→a, ß→ss: the same form whatever way the user typed umlauts."""
    if not text.isascii():  # ASCII needs no normalisation and has no umlauts (the knowledge is mostly ASCII)
        text = unicodedata.normalize("NFKC", text).lower()
        for umlaut, plain in _UMLAUTS:  # str.replace: a dozen times faster than str.translate with a table
            if umlaut in text:
                text = text.replace(umlaut, plain)
    else:
        text = text.lower()
    if "%" in text or "prozent" in text:
        text = _PERCENT.sub(r"\1 prozent ", text)
    if "ae" in text or "oe" in text or "ue" in text:
        text = _DIGRAPHS.sub(_first_letter, text)
    if "zweitausend" in text:
        text = _YEAR_WORD.sub(lambda m: str(2020 + _UNITS.get(m.group("u") or "", 0)), text)
    if "ste" in text:
        text = _DAY_WORD.sub(lambda m: f"{_DAY_WORDS[m.group('d')]}. ", text)
    return text


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


_E_PREFIX = re.compile(r"\be-(?=[a-z]{3})")


def words(text: str) -> list[str]:
    """Folded words; hyphens and punctuation separate words, but for the "E-" of "E-Akte", "E-Rechnung": an
    electronic file is one word, not an "Akte"."""
    folded = fold(text)
    if "e-" in folded:
        folded = _E_PREFIX.sub("e", folded)
    return _WORD.findall(folded)


@lru_cache(maxsize=262144)
def stem(word: str) -> str:
    """Snowball German stem of an already folded word."""
    if word.isdigit():
        return word
    return _STEMMER.stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


_DIGRAPH = re.compile(r"ae|oe|ue")
_MEMO_LIMIT = 500_000  # entries per memo: a long-running bot meets ever new words; cleared when full


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
        # The first `min_part` letters of every known word and stem. Snowball only strips endings of a
        # folded word without ae/oe/ue (those it reads as umlauts), so the stem of such a part is its
        # start: a part whose start is none of these has no known stem, and needs no stemming to say so.
        self._starts = {w[:min_part] for w in vocabulary if len(w) >= min_part}
        self._parts: dict[str, str | None] = {}
        self._splits: dict[str, tuple[str, ...]] = {}
        self._lasts: dict[str, tuple[str, ...]] = {}
        self._tails: dict[str, str | None] = {}

    def _known(self, part: str) -> str | None:
        memo = self._parts
        if part in memo:
            return memo[part]
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        found = None
        if len(part) < self.min_part:
            pass
        elif part in self.known:
            found = stem(part)
        elif part[:self.min_part] in self._starts or _DIGRAPH.search(part):
            s = stem(part)
            if s in self.known and len(s) >= self.min_part:
                found = s
        memo[part] = found
        return found

    def tail(self, word: str) -> str | None:
        """The stem of the longest known last part of 5+ letters ("rückfragen" → "frag"): in German
        the last part names what a compound is, even when its first part is unknown. Failing that,
        the longest known first part ("kostenarten" → "kost")."""
        memo = self._tails
        if word in memo:
            return memo[word]
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        found = None
        for i in range(3, len(word) - 4):
            found = self._known(word[i:])
            if found:
                break
        else:
            for i in range(len(word) - 3, 4, -1):
                found = self._known(word[:i])
                if found:
                    break
        memo[word] = found
        return found

    def split_last(self, word: str) -> tuple[str, ...]:
        """(head, last part) when the last part (5+ letters) is known and the head has 3+ letters."""
        memo = self._lasts
        if word in memo:
            return memo[word]
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        found: tuple[str, ...] = ()
        for i in range(3, len(word) - 4):
            tail = self._known(word[i:])
            if tail:
                found = (stem(word[:i].rstrip("s") if len(word[:i]) > 3 else word[:i]), tail)
                break
        memo[word] = found
        return found

    def split(self, word: str) -> tuple[str, ...]:
        """Stems of the parts, or () when the word cannot be split into known parts."""
        memo = self._splits
        if word in memo:
            return memo[word]
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        found = memo[word] = self._split(word)
        return found

    def _split(self, word: str) -> tuple[str, ...]:
        best: tuple[str, ...] = ()
        best_extra = 0
        n, known = len(word), self._known
        if n < 2 * self.min_part:
            return ()
        for i in range(n - self.min_part, self.min_part - 1, -1):
            head = word[:i]
            left = known(head)
            if left is None and head[-1] == "s":
                left = known(head[:-1])
            if left is None and head.endswith(("es", "en")):
                left = known(head[:-2])
            if left is None:
                continue
            tail = word[i:]
            right = known(tail)
            rest = (right,) if right else self.split(tail)
            if rest:
                candidate = (left,) + rest
                # Fewest parts; of as few, the head with the least ending or linking element:
                # "hund|steuer", not "hundes|teuer".
                extra = len(head) - len(left)
                if not best or (len(candidate), extra) < (len(best), best_extra):
                    best, best_extra = candidate, extra
        return best
