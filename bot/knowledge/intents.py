"""`Intent`: what the decision stage decided to answer, before any German text is written."""

from __future__ import annotations

from dataclasses import dataclass

from .index import Scored
from .model import FaqEntry, Service
from .model import Subject


@dataclass(frozen=True)
class VerdictIntent:
    """A verdict on a subject (a service, a type of service, an applicant, a cost, or the programme)."""

    subject: Subject
    aspects: tuple[str, ...] = ()  # parts the question is about (cost ids, "own_share", "topic", "search")
    alike: Service | None = None  # a service read almost as well, judged the same: named beside the answer


@dataclass(frozen=True)
class VerdictsIntent:
    """Verdicts on two services named in one question ("Hundesteuer und Zweitwohnungsteuer – beide gefördert?")."""

    verdicts: tuple[VerdictIntent, ...]


@dataclass(frozen=True)
class FaqIntent:
    entry: FaqEntry
    with_verdict: bool = False  # answer with the programme's verdict for the date asked (status questions)
    dated: bool = False  # a fact that holds while the programme runs: says until when it holds on the day asked
    timed: bool = False  # …and the question asks for that time: the time leads, not the fact


@dataclass(frozen=True)
class ListIntent:
    """Catalogue services listed: of a Themenfeld, the planned ones, a search, or the whole catalogue."""

    services: tuple[Service, ...]
    scope: str  # "topic" | "planned" | "search" | "all"
    topic: str = ""  # the Themenfeld (scope "topic") or the words searched (scope "search")
    count: bool = False  # the question asked for a number
    entry: FaqEntry | None = None  # a fact to add (e.g. how many assistants KISA offers)
    only: tuple[str, ...] = ()  # how the list was narrowed ("verfügbar", "von KISA"), in German


@dataclass(frozen=True)
class ClarifyServicesIntent:
    candidates: tuple[Scored, ...]


@dataclass(frozen=True)
class ClarifyFaqIntent:
    candidates: tuple[Scored, ...]


@dataclass(frozen=True)
class ClarifyDateIntent:
    date_text: str


@dataclass(frozen=True)
class FallbackIntent:
    reason: str  # "empty" | "no_words" | "abuse" | "insult" | "out_of_scope" | …


@dataclass(frozen=True)
class SmalltalkIntent:
    kind: str  # "greeting" | "thanks" | "bye"


Intent = (VerdictIntent | VerdictsIntent | FaqIntent | ListIntent | ClarifyServicesIntent | ClarifyFaqIntent | ClarifyDateIntent
          | FallbackIntent | SmalltalkIntent)
