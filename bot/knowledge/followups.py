"""Follow-up questions: short messages read against the conversation's last subject.

"Und bis wann?", "Und der Fischereischein?", "Warum nicht?", "Gilt das auch für Landkreise?",
"Und 2025?", "den zweiten": an ordered table of named rules, like the decision stage's `RULES`.
Each rule reads a `Turn` (the new message read on its own, and what the conversation remembers) and
builds a `FollowUp`: the intent to answer, for which day, and what the reply refers to. A complete
new question is no follow-up: it is answered on its own and replaces the memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property

from .features import Cue
from .intents import ClarifyServicesIntent, Intent, VerdictIntent
from .lexicon import CHOICE_NUMBER, FOLLOWUP_PHRASE, INSTEAD, LEXICON
from .model import Answer, Kind, Service, Subject
from .routing import Context, route

VERY_SHORT_WORDS = 3  # "Bis wann?", "Ab wann genau?": this short, any message continues the conversation
FRAGMENT_WORDS = 4  # a message of at most this many words, without a question of its own, is a fragment
CHOICE_WORDS = 6  # "und der zweite davon, gefördert?" chooses; longer messages ask something of their own
SHORT_WORDS = 9  # a follow-up is at most this long ("Gilt das auch für die Landkreise bei uns?")
LONG_WITH_OPENER = 15  # …or this long when it opens like one ("Und wenn ein privater Dienstleister …?")


@dataclass(frozen=True)
class Memory:
    """What a conversation remembers of its last answer that had a subject, an FAQ entry or candidates."""

    answer: Answer
    question: str  # the question that answer replied to
    as_of: date  # the day it was asked on
    at: datetime  # when (the message's own time): a follow-up refers to it only for a while
    named_day: date | None = None  # a day the question named ("War das 2023 …"), kept for follow-ups


@dataclass(frozen=True)
class FollowUp:
    intent: Intent
    about: str  # "service" | "applicant" | "cost" | "date" | "deadline" | "why" | "choice" | "nothing"
    day: date | None = None  # the day to answer for (None: as the new message says)
    subject: Subject | None = None  # what the reply refers to
    chosen: dict | None = None  # after a question back: the chosen service_id or faq_id


@dataclass
class Turn:
    ctx: Context  # the new message, read on its own
    memory: Memory | None  # None: nothing remembered, or too long ago

    @cached_property
    def words(self) -> tuple[str, ...]:
        return self.ctx.question.words

    @cached_property
    def opener(self) -> bool:
        """"Und …", "Ok und …", "Was ist mit …", "Gilt das auch für …"."""
        return bool(self.words) and (self.words[0] in LEXICON.followup_openers
                                     or bool(FOLLOWUP_PHRASE.match(self.ctx.question.joined)))

    @cached_property
    def why(self) -> bool:
        """"Warum?", "Wieso nicht?", "warum nur unter Vorbehalt?"."""
        return len(self.words) <= 6 and any(w in LEXICON.why for w in self.words)

    @cached_property
    def fragment(self) -> bool:
        """"Landkreise?", "2025?", "Fischereischein?": a few words without a question of their own."""
        return 0 < len(self.words) <= FRAGMENT_WORDS and not self.ctx.has(Cue.W_QUESTION)

    @cached_property
    def refers_back(self) -> bool:
        """The message continues the conversation rather than asking something complete."""
        if len(self.words) > (LONG_WITH_OPENER if self.opener else SHORT_WORDS) or self.new_topic:
            return False
        if len(self.words) <= VERY_SHORT_WORDS or self.back:
            return True  # "Bis wann?", "Was kostet uns dann die Einrichtung?"
        # "Zahlt das Land die Pflege?" is a question of its own; "Geht das auch so?" refers back.
        return self.opener or self.why or self.fragment or (self.ctx.has(Cue.DEICTIC) and not self.ctx.eligibility)

    @cached_property
    def new_topic(self) -> bool:
        """"Ok, andere Frage: …": what follows is a question of its own."""
        joined = f" {self.ctx.question.joined} "
        return any(f" {phrase} " in joined for phrase in LEXICON.followup_new_topic)

    @cached_property
    def back(self) -> bool:
        """"dann", "da", "dabei": pointing back at the last subject."""
        return any(w in LEXICON.followup_back for w in self.words)

    @cached_property
    def condition(self) -> bool:
        """"… nur wenn der Landtag zustimmt?": asking about the last verdict's condition."""
        return any(w in LEXICON.followup_condition for w in self.words)

    @cached_property
    def service(self) -> Service | None:
        """The service the message names: clearly, or – in a short "und die …?" – as the one plausible
        candidate well ahead of any other ("und die Gebührenermäßigung für Eltern?")."""
        t, services = self.ctx.thresholds, self.ctx.candidates.services
        top = services[0] if services else None
        if top is None:
            return None
        if top.score >= t.service_accept and not self.ctx.service_ambiguous:
            return self.ctx.knowledge.service(top.id)
        second = services[1].score if len(services) > 1 else 0.0
        if (self.opener and len(self.words) <= FRAGMENT_WORDS + 2 and top.score >= t.followup_service
                and top.score - second >= t.followup_service_lead):
            return self.ctx.knowledge.service(top.id)
        return None

    @cached_property
    def party(self) -> dict:
        return {k: v for k, v in self.ctx.parties(service_named=False).items() if v}

    @cached_property
    def day(self) -> date | None:
        """A day the message names; "und jetzt?" names the day it is asked on."""
        if self.ctx.question.day_from_question:
            return self.ctx.question.day
        if self.fragment and any(w in LEXICON.followup_now for w in self.words):
            return self.ctx.question.as_of
        return None

    @property
    def subject(self) -> Subject | None:
        """The remembered subject; after an FAQ answer about the programme, the programme itself."""
        if self.memory is None:
            return None
        answer = self.memory.answer
        return answer.subject if answer.subject is not None else (Subject() if answer.programme else None)

    @cached_property
    def choice(self) -> int | None:
        """A candidate chosen after a question back: "2", "den zweiten", "der letzte"."""
        if self.memory is None or not self.offered:
            return None
        number = CHOICE_NUMBER.match(self.ctx.question.folded)
        index = int(number.group(1)) if number else next(
            (LEXICON.ordinals[w] for w in self.words if w in LEXICON.ordinals), None)
        if index is None or len(self.words) > CHOICE_WORDS:
            return None
        count = len(self.offered)
        index = count if index == -1 else index
        return index - 1 if 1 <= index <= count else None

    @cached_property
    def offered(self) -> tuple[tuple[str, str], ...]:
        """(type, id) of what the last answer offered to choose from: candidates, or a list's services."""
        answer = self.memory.answer if self.memory else None
        if answer is None:
            return ()
        if answer.kind is Kind.CLARIFY:
            return tuple((m.type, m.id) for m in answer.matches)
        return tuple(("service", service_id) for service_id in answer.listed)

    def keeps(self, **changed) -> Subject:
        """The remembered subject with some fields changed."""
        return replace(self.subject or Subject(), **changed)


@dataclass(frozen=True)
class FollowUpRule:
    name: str
    applies: Callable[[Turn], bool]
    build: Callable[[Turn], FollowUp]


def _remembers_subject(t: Turn) -> bool:
    return t.memory is not None and t.subject is not None and t.refers_back


def _choice(t: Turn) -> FollowUp:
    kind, chosen_id = t.offered[t.choice]
    chosen = {"service_id": chosen_id} if kind == "service" else {"faq_id": chosen_id}
    return FollowUp(ClarifyServicesIntent(()), "choice", chosen=chosen)


def _date_only(t: Turn) -> bool:
    return _remembers_subject(t) and t.day is not None and not (t.service or t.party or t.ctx.cost)


def _deadline_only(t: Turn) -> bool:
    return (_remembers_subject(t) and t.ctx.has(Cue.DEADLINE, Cue.PERIOD_QUESTION)
            and not (t.service or t.party or t.ctx.cost or t.day))


def _why(t: Turn) -> bool:
    return _remembers_subject(t) and t.why and not (t.service or t.party or t.ctx.cost)


def _party(t: Turn) -> bool:
    return _remembers_subject(t) and bool(t.party) and t.service is None


def _cost(t: Turn) -> bool:
    return t.memory is not None and t.refers_back and t.ctx.cost is not None and t.service is None


def _service(t: Turn) -> bool:
    return _remembers_subject(t) and t.service is not None


def _instead(t: Turn) -> bool:
    """"Und wenn wir stattdessen den Assistenten von KISA nehmen?" after an own development: the
    catalogue's assistant for the same service."""
    subject = t.subject
    return (_remembers_subject(t) and subject is not None and subject.service is not None
            and subject.service_type is not None
            and (t.ctx.has(Cue.REPLACES_OWN) or bool(INSTEAD.search(t.ctx.question.joined))))


def _again(t: Turn) -> bool:
    """"Und wäre der gefördert?", "Das gilt aber nur, wenn der Landtag zustimmt?": the same subject
    asked again (its funding, its condition), with nothing new named."""
    if not _remembers_subject(t) or t.service or t.party or t.ctx.cost or t.day:
        return False
    pointing = t.opener or t.back or t.ctx.has(Cue.DEICTIC)
    return pointing and (t.ctx.eligibility or t.condition or bool(t.ctx.aspects))


# Routes of a message read alone that answer it without any context – and those that do so even when it
# points back ("war das Geld für 2024 sicher?"; but "Gilt das auch für Landkreise?" needs its subject).
STANDS_ALONE_POINTING = frozenset({"service_named", "single_candidate", "programme_status", "catalogue_list"})
STANDS_ALONE = frozenset({"service_named", "single_candidate", "service_type", "party", "cost", "own_share",
                          "programme_status", "catalogue_list", "other_group", "unknown_service", "applicant", "faq"})


def _without_context(t: Turn) -> bool:
    """A follow-up with nothing to follow: it names nothing complete of its own."""
    if t.memory is not None or not t.refers_back or t.ctx.features.only_smalltalk:
        return False
    if t.service is not None:
        return False  # "Fischereischein?", "Und für den Jagdschein?" stand alone
    alone = route(t.ctx)[0].name
    pointing = t.why or t.opener or t.ctx.has(Cue.DEICTIC)
    if len(t.words) > FRAGMENT_WORDS and alone in (STANDS_ALONE_POINTING if pointing else STANDS_ALONE):
        return False  # "war das Geld für 2024 eigentlich sicher?" is a question of its own
    if pointing:
        return True  # "Gilt das auch für Landkreise?"
    # "2025?", "Landkreise?" alone; gibberish ("asdfgh jkl") is no follow-up, "Hund?" is vague
    names_something = t.day is not None or bool(t.party) or t.ctx.cost is not None
    return t.fragment and names_something and alone in ("out_of_scope", "no_words")


def _verdict(t: Turn, about: str, subject: Subject, day: date | None = None) -> FollowUp:
    aspects = t.ctx.aspects or ((subject.cost,) if subject.cost else ())
    day = day or (t.memory.named_day if t.memory else None)
    return FollowUp(VerdictIntent(subject, aspects), about, day, subject)


FOLLOW_UPS: tuple[FollowUpRule, ...] = (
    FollowUpRule("followup_choice", lambda t: t.choice is not None, _choice),
    FollowUpRule("followup_why", _why, lambda t: _verdict(t, "why", t.subject)),
    FollowUpRule("followup_date", _date_only, lambda t: _verdict(t, "date", t.subject, t.day)),
    FollowUpRule("followup_deadline", _deadline_only, lambda t: _verdict(t, "deadline", t.subject)),
    FollowUpRule("followup_applicant", _party,
                 lambda t: _verdict(t, "applicant", t.keeps(applicant=t.party.get("applicant"),
                                                           region=t.party.get("region")), t.day)),
    FollowUpRule("followup_cost", _cost, lambda t: _verdict(t, "cost", t.keeps(cost=t.ctx.cost), t.day)),
    FollowUpRule("followup_service", _service,
                 lambda t: _verdict(t, "service", t.keeps(service=t.service, unknown_service=None, service_type=None,
                                                         **t.party), t.day)),
    FollowUpRule("followup_instead", _instead,
                 lambda t: _verdict(t, "service", t.keeps(service_type=None), t.day)),
    FollowUpRule("followup_again", _again, lambda t: _verdict(t, "service", t.subject)),
    FollowUpRule("followup_without_context", _without_context,
                 lambda t: FollowUp(ClarifyServicesIntent(()), "nothing")),
)


def follow_up(turn: Turn) -> tuple[FollowUpRule, FollowUp] | None:
    """The first follow-up rule that applies, or None: the message is a question of its own."""
    rule = next((r for r in FOLLOW_UPS if r.applies(turn)), None)
    return (rule, rule.build(turn)) if rule else None


def memorable(answer: Answer) -> bool:
    """Answers a follow-up can refer to: verdicts (their subject), FAQ facts, questions back."""
    return answer.subject is not None or answer.faq is not None or bool(answer.listed) or (
        answer.kind is Kind.CLARIFY and bool(answer.matches))

