"""Frozen data types of the knowledge core: what is known, and what an answer is."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class Verdict(str, enum.Enum):
    ELIGIBLE = "eligible"
    CONDITIONAL = "conditional"
    NOT_ELIGIBLE = "not_eligible"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


class Kind(str, enum.Enum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"
    SMALLTALK = "smalltalk"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    date: date
    publisher: str = ""
    short_title: str = ""  # shown in the visible source line of an answer (the full title in its details)
    url: str = ""  # optional: its web address (a link button in Telegram); never invented

    @property
    def short(self) -> str:
        return self.short_title or self.title


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    role: str = ""
    web: str = ""  # its web address; `url` in faq.yaml is the same field
    email: str = ""
    phone: str = ""
    support: bool = False  # the bot's own support team (fallbacks and handovers name it)
    short_name: str = ""  # "SAKD" for "Sächsische Anstalt für kommunale Datenverarbeitung (SAKD)"

    @property
    def short(self) -> str:
        return self.short_name or self.name

    @property
    def url(self) -> str:
        return self.web

    @property
    def reach(self) -> str:
        """How to reach the contact: "mail, phone, url" as far as given ("" when nothing is)."""
        return ", ".join(x for x in (self.email, self.phone, self.url) if x)


@dataclass(frozen=True)
class FaqEntry:
    id: str
    title: str
    questions: tuple[str, ...]
    answer: str
    tags: tuple[str, ...]
    source: str
    programme: str | None = None
    # True when the answer is accompanied by the programme's date-dependent verdict.
    verdict: bool = False
    contacts: tuple[str, ...] = ()
    line: int = 0
    short: str = ""  # the answer in one sentence: the first line users read
    # True when the statement holds only while the programme runs (cost-neutral set-up, 100 % discount):
    # asked about a day after the programme's end, the answer says it applied until then.
    while_running: bool = False
    # True when the entry says the source is silent on the point (budget, repayment, legal claim): the answer
    # carries the verdict "unknown".
    silent: bool = False


@dataclass(frozen=True)
class Service:
    """One catalogue row: an online service and what kind it is."""

    id: str
    name: str
    topic: str
    type: str  # kisa | efa | landeslizenz
    status: str  # verfuegbar | geplant
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """A vocabulary item (applicant, region, cost or service type) and the words naming it."""

    id: str
    label: str
    words: tuple[str, ...]
    # Service types: `default` marks the type of ordinary catalogue rows (naming it adds nothing).
    # Applicants: `service_user` marks parties that, beside a named service, are its users, not
    # applicants – unless they name themselves ("wir als Verein"); `private` marks the applicant that
    # "privat" before a person or business noun names ("ein privater Bestatter").
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    condition: str | None = None  # None: confirmed

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Notice:
    """A later public statement about a programme, recorded by the support team. It never changes a
    verdict: only periods and conditions do."""

    date: date  # its date (for a month only: the month's last day)
    text: str
    source_title: str
    source_publisher: str = ""
    source_address: str = ""  # as published; never made up
    caveat: str = ""  # what the statement does not show
    certain: bool = True  # only certain statements are shown
    month_only: bool = False  # the source gives a month, not a day


@dataclass(frozen=True)
class Programme:
    id: str
    title: str
    source: str
    periods: tuple[Period, ...]
    applicant_types: tuple[str, ...]
    applicant_regions: tuple[str, ...]
    not_eligible_applicants: tuple[tuple[str, str], ...]  # (applicant id, reason)
    other_region_reason: str
    costs: tuple[str, ...]
    service_types: tuple[str, ...]
    services: tuple[str, ...]
    excluded_types: tuple[tuple[str, str], ...]  # (service type, reason)
    excluded_services: tuple[tuple[str, str], ...]  # (service id, reason)
    funder: str = ""
    end_is_presumed: bool = False
    contacts: tuple[str, ...] = ()
    cost_texts: tuple[tuple[str, str], ...] = ()  # (cost id, how the source says it is covered)
    notices: tuple[Notice, ...] = ()  # later statements, newest last
    rules_checked: date | None = None  # when periods and conditions were last checked against the sources
    own_share: str = ""  # what the source says about a municipality's own share of the costs

    def cost_text(self, cost: str) -> str:
        return dict(self.cost_texts).get(cost, "")

    @property
    def start(self) -> date:
        return min(p.start for p in self.periods)

    @property
    def deadline(self) -> date:
        return max(p.end for p in self.periods)


@dataclass(frozen=True)
class Vocabulary:
    applicants: tuple[Term, ...] = ()
    regions: tuple[Term, ...] = ()
    costs: tuple[Term, ...] = ()
    service_types: tuple[Term, ...] = ()
    topics: tuple[Term, ...] = ()  # everyday words for the catalogue's Themenfelder (label = Themenfeld)

    @property
    def default_service_types(self) -> frozenset[str]:
        return frozenset(t.id for t in self.service_types if "default" in t.flags)

    @property
    def own_development_type(self) -> str | None:
        """The service type an own development described in plain words is (flag `own_development`)."""
        return next((t.id for t in self.service_types if "own_development" in t.flags), None)

    @property
    def catalogue_replacing_types(self) -> tuple[str, ...]:
        """Service types that, named beside a catalogue service, are what is asked about: an own development of
        it, or one from another provider (flags `own_development`, `replaces_catalogue`)."""
        return tuple(t.id for t in self.service_types if t.flags & {"own_development", "replaces_catalogue"})

    @property
    def private_applicant(self) -> str | None:
        return next((t.id for t in self.applicants if "private" in t.flags), None)

    @property
    def users_only(self) -> frozenset[str]:
        return frozenset(t.id for t in self.applicants if "service_user" in t.flags)

    def label(self, group: str, term_id: str) -> str:
        for term in getattr(self, group):
            if term.id == term_id:
                return term.label
        return term_id


@dataclass(frozen=True)
class Knowledge:
    """Everything the bot knows, built once from files and swapped whole on reload."""

    entries: tuple[FaqEntry, ...]
    services: tuple[Service, ...]
    programmes: tuple[Programme, ...]
    sources: tuple[Source, ...]
    contacts: tuple[Contact, ...]
    vocabulary: Vocabulary
    tags: tuple[str, ...]
    version: str
    loaded_at: datetime
    catalogue_is_sample: bool = True
    synonyms: tuple[tuple[str, ...], ...] = ()

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def programme(self, programme_id: str) -> Programme | None:
        return next((p for p in self.programmes if p.id == programme_id), None)

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def entry(self, entry_id: str) -> FaqEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    @property
    def named_applicants(self) -> frozenset[str]:
        """Applicant types some programme names as its beneficiaries (Gemeinde, Stadt, Landkreis)."""
        return frozenset(a for p in self.programmes for a in p.applicant_types)

    @property
    def support_contact(self) -> Contact | None:
        """The contact for questions about the bot itself (flagged `support: true` in faq.yaml)."""
        return next((c for c in self.contacts if c.support), None)


@dataclass(frozen=True)
class Subject:
    """What a question asks about; every field optional (none: the programme itself)."""

    service: Service | None = None
    service_type: str | None = None  # a type named without a catalogue entry, e.g. "eigenentwicklung"
    unknown_service: str | None = None  # words naming a service the catalogue does not have
    silent_point: str | None = None  # a point asked about that the source does not address ("Datenschutz")
    applicant: str | None = None
    region: str | None = None
    cost: str | None = None


@dataclass(frozen=True)
class Match:
    id: str
    title: str
    score: float  # 0–100
    type: str  # "faq" | "service"


@dataclass(frozen=True)
class Judgement:
    """The verdict of one programme on one question, with German reasons."""

    programme: str
    verdict: Verdict
    reasons: tuple[str, ...]
    deadline: date
    specificity: int = 0
    decided_by: str = "date"  # what decided: date | region | applicant | service_type | service | unknown_service |
    # silent_point | cost


@dataclass(frozen=True)
class Answer:
    kind: Kind
    text: str  # the German answer as a user reads it (plain text, paragraphs separated by blank lines)
    verdict: Verdict | None = None
    deadline: date | None = None
    programme: str | None = None
    reasons: tuple[str, ...] = ()
    service: str | None = None
    matches: tuple[Match, ...] = ()
    sources: tuple[Source, ...] = ()
    knowledge_version: str = ""
    as_of: date | None = None
    headline: str = ""  # first line, shown bold in Telegram
    judgements: tuple[Judgement, ...] = field(default=())
    faq: str | None = None  # id of the FAQ entry answered, if any
    confidence: float = 0.0
    summary: str = ""  # the first screen: verdict or fact, the deciding reason, what to do, the source
    details: str = ""  # the rest (periods, what is funded, the source's wording): collapsed in Telegram
    listed: tuple[str, ...] = ()  # service ids of a list answer
    subject: Subject | None = None  # what a verdict answer judged (a follow-up question refers to it)
    notices: tuple["Notice", ...] = ()  # later statements about the programme shown with the answer
    route: str = ""  # the name of the decision rule that produced this answer
    trace: tuple[tuple[str, str], ...] = ()  # the scores, thresholds and cues that decided
