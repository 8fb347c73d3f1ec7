"""Dates as users read them, and "today" where the users are."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .lexicon import (BEYOND, CLAIM_AFTER, CLAIM_BEFORE, DATE_PREPOSITION, ENDED_AT, OVER_AFTER, HALF_YEAR, LEXICON, NOW_AFTER_END, RELATIVE_DAY, RELATIVE_QUARTER, RELATIVE_SEASON, RELATIVE_SPAN,
                      RELATIVE_YEAR, YEAR_CHOICE,
                      WHEN_SINCE, YEAR_ASKED, YEAR_CHANGE)
from .text import fold

BERLIN = ZoneInfo("Europe/Berlin")


def german_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def today_in_berlin(now: datetime | None = None) -> date:
    """Today's date in Europe/Berlin (the users' calendar), whatever the server's time zone."""
    now = now or datetime.now(BERLIN)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(BERLIN).date()


# ---- dates named in a question ------------------------------------------------------------------

_MONTH_RE = "|".join(sorted(LEXICON.months, key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>20\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>(?:20)?\d\d)\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})\.?\s+(?P<mn>{_MONTH_RE})\.?\s+(?P<y>20\d\d)\b"),
    re.compile(rf"\b(?P<mn>{_MONTH_RE})\.?\s+(?P<y>20\d\d)\b"),
    re.compile(rf"\b(?P<mn>{_MONTH_RE})\.?\s+(?P<y>2\d)\b(?!\.\d)"),  # "Stand Juli 22." – not "Juli 22.07."
    # "Silvester 2022", "an Neujahr 23", "Heiligabend 2024": the holiday's day
    re.compile(r"\b(?P<holiday>silvester|neujahr|heiligabend|weihnachten|ostern)\s+(?P<y>(?:20)?2\d)\b(?!\.\d)"),
    # "für 23/24", "2023/2024": two years in a row mean the first
    re.compile(r"\b(?P<y>(?:20)?2\d)\s*/\s*(?:20)?(?P<y_next>2\d)\b(?!\.\d)"),
    re.compile(r"\b(?P<q>anfang|mitte|ende)\s+(?:des\s+jahres\s+)?(?P<y>20\d\d)\b"),
    re.compile(r"\b(?P<q>anfang|mitte|ende)\s+(?P<y>2\d)\b(?!\.)"),  # "bis Ende 22"
    re.compile(r"\b(?P<season>fruhjahr|fruhling|sommer|herbst|winter)\s+(?P<y>20\d\d|2\d)\b(?!\.\d)"),  # "herbst 22"
    re.compile(r"\bq(?P<qn>[1-4])\s*[/.-]?\s*(?P<y>20\d\d|\d\d)\b"),  # "Q3/2022", "Q2 22"
    re.compile(r"\b(?P<qn>[1-4])\.\s*quartal\s+(?:des\s+jahres\s+)?(?P<y>20\d\d)\b"),  # "im 3. Quartal 2022"
    # "im Juni, also noch vor der Sommerpause 2022": a month whose year follows a few words later
    re.compile(rf"\bim\s+(?P<mn>{_MONTH_RE})\b(?:[\s,]+(?!{_MONTH_RE}\b)[^\W\d]+){{1,6}}\s+(?P<y>20[1-3]\d)\b"),
    re.compile(r"\b(?P<y>20[1-3]\d)\b"),  # a bare number is a year only from 2010 to 2039 ("2000 Einwohner")
)


class _NotADate(Exception):
    """Raised by `_span` for a match that names no day ("2023/2026" is no pair of years in a row)."""


@dataclass(frozen=True)
class DateMention:
    day: date | None  # the date asked about; None when the named date does not exist
    text: str  # the words that named it
    invalid: bool = False  # "31.02.2023": a date that does not exist


def _span(groups: dict) -> tuple[date, date, date]:
    """(first day, last day, day meant without a preposition) of a year, month, part of year or day."""
    year = int(groups["y"])
    if year < 100:
        year += 2000
    if groups.get("holiday"):
        month, day = {"silvester": (12, 31), "neujahr": (1, 1), "heiligabend": (12, 24), "weihnachten": (12, 25),
                      "ostern": (4, 1)}[groups["holiday"]]  # Easter moves; early April is in the same period
        point = date(year, month, day)
        return point, point, point
    if groups.get("y_next") and int(groups["y_next"]) % 100 != (year + 1) % 100:
        raise _NotADate
    if groups.get("season"):  # a season means its middle; winter the turn of the year it starts
        month, day = {"fruhjahr": (4, 15), "fruhling": (4, 15), "sommer": (7, 15), "herbst": (10, 15),
                      "winter": (12, 31)}[groups["season"]]
        point = date(year, month, day)
        return point, point, point
    if groups.get("q"):
        month, day = {"anfang": (1, 1), "mitte": (7, 1), "ende": (12, 31)}[groups["q"]]
        point = date(year, month, day)
        return point, point, point
    if groups.get("qn"):  # a quarter, like a month, means its first day; no period boundary falls inside one
        first = date(year, 3 * int(groups["qn"]) - 2, 1)
        last = date(year + int(groups["qn"]) // 4, 3 * int(groups["qn"]) % 12 + 1, 1) - timedelta(days=1)
        return first, last, first
    if groups.get("mn") or groups.get("m"):
        month = LEXICON.months[groups["mn"]] if groups.get("mn") else int(groups["m"])
        if groups.get("d"):
            point = date(year, month, int(groups["d"]))
            return point, point, point
        first = date(year, month, 1)
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
        return first, last, first
    return date(year, 1, 1), date(year, 12, 31), date(year, 12, 31)


def _relative_year(folded: str, today: date) -> DateMention | None:
    rel = RELATIVE_YEAR.search(folded)
    if not rel:
        return None
    which = rel.group("which")
    offset = (2 if which.startswith("ubernachst") else -2 if which.startswith("vorletzt")
              else 1 if which.startswith(("nachst", "kommend"))
              else -1 if which.startswith(("letzt", "vorig", "vergangen")) else 0)
    month, day = {"anfang": (1, 1), "mitte": (7, 1)}.get(rel.group("q") or "", (12, 31))
    return DateMention(date(today.year + offset, month, day), rel.group(0))


_DAY_OFFSETS = {"heute": 0, "jetzt": 0, "gestern": -1, "vorgestern": -2, "morgen": 1, "ubermorgen": 2}


_SEASON_DAYS = {"fruhjahr": (4, 15), "fruhling": (4, 15), "sommer": (7, 15), "herbst": (10, 15), "winter": (12, 31)}


def _relative_season(folded: str, today: date) -> DateMention | None:
    """"letzten Herbst" in March 2023 is autumn 2022; "diesen Sommer" this year's."""
    rel = RELATIVE_SEASON.search(folded)
    if not rel:
        return None
    which, season = rel.group("which"), rel.group("season")
    month, day = _SEASON_DAYS[season]
    year = today.year
    if which.startswith(("letzt", "vorig", "vergangen")):
        year -= 1 if date(year, month, day) > today or season == "winter" else 0
    elif which.startswith(("kommend", "nachst")):
        year += 1 if date(year, month, day) < today else 0
    return DateMention(date(year, month, day), rel.group(0))


_NUMBER_WORDS = {"ein": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6,
                 "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12, "anderthalb": 1.5,
                 "eineinhalb": 1.5}


def _relative_quarter(folded: str, today: date) -> DateMention | None:
    """"ab nächstem Quartal" in November 2024 is 01.01.2025; "dieses Quartal" today."""
    rel = RELATIVE_QUARTER.search(folded)
    if not rel:
        return None
    which = rel.group("which")
    if which.startswith(("dies", "laufend")):
        return DateMention(today, rel.group(0))
    step = 1 if which.startswith(("kommend", "nachst")) else -1
    index = today.year * 4 + (today.month - 1) // 3 + step
    return DateMention(date(index // 4, index % 4 * 3 + 1, 1), rel.group(0))


def _relative_span(folded: str, today: date) -> DateMention | None:
    """"vor zwei Jahren" in December 2026 is December 2024; "vor einem halben Jahr" six months back."""
    rel = RELATIVE_SPAN.search(folded)
    if not rel:
        return None
    n, unit = rel.group("n"), rel.group("unit")
    count = (float(n) if n.isdigit() else _NUMBER_WORDS[n]) / (2 if rel.group("half") else 1)
    sign = -1 if rel.group("dir") == "vor" else 1
    if unit.startswith("woche"):
        return DateMention(today + timedelta(weeks=sign * count), rel.group(0))
    months = today.year * 12 + today.month - 1 + sign * round(count * (12 if unit.startswith("jahr") else 1))
    year, month = divmod(months, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return DateMention(date(year, month + 1, day), rel.group(0))


def _half_year(folded: str) -> DateMention | None:
    half = HALF_YEAR.search(folded)
    if not half:
        return None
    year = int(half.group("y"))
    year += 2000 if year < 100 else 0  # "zweites Halbjahr 22"
    point = date(year, 4, 1) if half.group("half").startswith("erst") else date(year, 10, 1)
    return DateMention(point, half.group(0))


def _relative_day(folded: str, today: date) -> DateMention | None:
    """"und morgen?", "gestern": only a question of a few words – "heute" in a longer question is
    the day asked anyway, and "morgen" there is more often "Guten Morgen"."""
    rel = RELATIVE_DAY.search(folded)
    if not rel or len(folded.split()) > 4:
        return None
    return DateMention(today + timedelta(days=_DAY_OFFSETS[rel.group("which")]), rel.group(0))


def find_date(text: str, today: date, yearless: bool = True) -> DateMention | None:
    """The date a question asks about; it overrides the as-of date.

    A year means its last day, a month its first day, a date itself; "nach"/"vor" move past the
    named period ("nach 2024" → 01.01.2025, "vor dem 01.07.2022" → 30.06.2022), "ab"/"seit" mean
    its start, "bis" its end. A date that does not exist is reported, not replaced by a guess."""
    folded = fold(text)
    if YEAR_CHOICE.search(folded):
        return None  # "bis wann, 2024 oder 2025?" asks which; the day asked is the day of asking
    relative = (_relative_year(folded, today) or _relative_day(folded, today) or _half_year(folded)
                or _relative_season(folded, today) or _relative_quarter(folded, today) or _relative_span(folded, today))
    if relative:
        return relative
    change = YEAR_CHANGE.search(folded)  # "mit dem Jahreswechsel 2024/25"
    if change and int(change.group("y2")) == (int(change.group("y")) + 1) % 100:
        return DateMention(date(int(change.group("y")) + 1, 1, 1), change.group(0))
    asked = YEAR_ASKED.search(folded)  # "nach dem Auslaufen Ende 2024 … für das Jahr 2025?"
    if asked:
        year = int(asked.group("y") or asked.group("y2"))
        return DateMention(date(year, 12, 31), asked.group(0))
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(folded):
            found = _date_of(m, folded, today)
            if found is not None:
                return found
    return _day_without_year(folded, today) if yearless else None


def numbers_in_dates(text: str) -> frozenset[str]:
    """The numbers of every date the text names, also those the day asked is not taken from ("Haushalt 22/23 …
    ab Januar 23"): parts of a date, never names."""
    folded = fold(text)
    return frozenset(n for pattern in _DATE_PATTERNS for m in pattern.finditer(folded)
                     for n in re.findall(r"\d+", m.group(0)))


_DAY_MONTH = re.compile(r"\b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.(?!\s?\d)")


def _day_without_year(folded: str, today: date) -> DateMention | None:
    """"zum 1.1.", "ab dem 1.7.": a day without a year is its next occurrence from the day asked."""
    m = _DAY_MONTH.search(folded)
    if not m:
        return None
    try:
        day = date(today.year, int(m.group("m")), int(m.group("d")))
    except ValueError:
        return DateMention(None, m.group(0), invalid=True)
    day = day if day >= today else day.replace(year=today.year + 1)
    before = DATE_PREPOSITION.search(folded[:m.start()])
    prep = before.group("prep") if before else None
    day = day + timedelta(days=1) if prep in ("nach", "uber") else day - timedelta(days=1) if prep == "vor" else day
    return DateMention(day, (before.group(0) if before else "") + m.group(0))


def _date_of(m: re.Match, folded: str, today: date) -> DateMention | None:
    """The day a date found in the question stands for, after the preposition before it; None when the
    date is not the day asked about."""
    try:
        first, last, point = _span(m.groupdict())
    except _NotADate:
        return None
    except ValueError:
        return DateMention(None, m.group(0), invalid=True)
    before = DATE_PREPOSITION.search(folded[:m.start()])
    prep = before.group("prep") if before else None
    ended = ENDED_AT.search(folded[:m.start()]) or OVER_AFTER.match(folded[m.end():])
    if ended and last < today and prep != "ab":
        return None  # "die Förderung endete doch Ende 2024 – oder wurde sie verlängert?": asks about today
    if CLAIM_BEFORE.search(folded[:m.start()] + " ") and CLAIM_AFTER.search(folded[m.end():]):
        return None  # "läuft doch bis 2025, oder?": whether the claim holds, today
    if prep == "seit" and not WHEN_SINCE.search(folded):
        return None  # "wir nutzen ihn seit 2022": since when it is used, not the day asked about
    if prep == "bis" and NOW_AFTER_END.search(folded):
        return None  # "war doch bis 2024 – ist die Frist inzwischen abgelaufen?": asks about today
    if prep == "uber" and not BEYOND.match(folded[m.end():]):
        prep = None  # "über 2024 hinaus" is after it; "über 2023" alone says nothing
    point = {"nach": last + timedelta(days=1), "uber": last + timedelta(days=1), "vor": first - timedelta(days=1),
             "ab": first, "bis": last}.get(prep, point)
    return DateMention(point, (before.group(0) if before else "") + m.group(0))
