"""German answer texts: every intent rendered answer-first.

An answer has two parts. The summary is the first screen: the answer itself for the date asked
(never the question restated), the one deciding reason, what to do next, and the source line with
"Keine rechtsverbindliche Auskunft". The details hold the rest: periods, what is funded, the
source's wording. Telegram shows the details collapsed; the command line prints both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from .dates import german_date
from .lexicon import LEXICON
from .numbers import count_noun
from .index import Scored
from .intents import (ClarifyDateIntent, ClarifyFaqIntent, ClarifyServicesIntent, FallbackIntent, FaqIntent,
                      Intent, ListIntent, SmalltalkIntent, VerdictIntent, VerdictsIntent)
from .model import (Answer, FaqEntry, Judgement, Kind, Knowledge, Match, Notice, Programme, Service, Source,
                    Verdict)
from .model import Subject
from .rules import judge_all

HEADLINES = {
    Verdict.ELIGIBLE: "Förderfähig",
    Verdict.CONDITIONAL: "Förderfähig unter Vorbehalt",
    Verdict.NOT_ELIGIBLE: "Nicht förderfähig",
    Verdict.EXPIRED: "Förderung abgelaufen",
    Verdict.UNKNOWN: "Weiß ich nicht sicher",
}
NOT_BINDING = "Keine rechtsverbindliche Auskunft."
SERVICE_TYPE_LABELS = {"kisa": "KISA-Online-Antragsassistent", "efa": "Einer-für-Alle-Dienst (EfA)",
                       "landeslizenz": "landeslizenzierter Online-Dienst"}
SHORT_TYPE_LABELS = {"efa": "EfA-Dienst", "landeslizenz": "landeslizenzierter Dienst"}
FUNDED_OBJECT = ("Gefördert wird der Online-Antragsassistent selbst (Einrichtung und Konfiguration, Betrieb im "
                 "zertifizierten Rechenzentrum, Pflege, Support und Weiterentwicklung), nicht die "
                 "Verwaltungsleistung dahinter.")
FIRST_SCREEN = 450  # visible characters of an answer before its collapsed details
LIST_IN_SUMMARY = 440  # characters of a list answer's first screen (the rest goes into the details)
LIST_IN_DETAILS = 60  # items listed in the details at most (the rest: /katalog)
NOTICES_SHOWN = 2  # later statements shown with an answer about a programme, newest first
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
          "Dezember")


@dataclass(frozen=True)
class Asked:
    """What compose needs to know of the question and of how it was decided."""

    as_of: date  # the day the question was asked on
    day: date  # the day it is about (a date in the question wins)
    day_from_question: bool
    asks_deadline: bool
    w_question: bool
    services: tuple[Scored, ...]  # candidates, for `matches`
    faqs: tuple[Scored, ...]
    route: str
    trace: tuple[tuple[str, str], ...]
    about: str = ""  # a follow-up names what it refers to: "Zu »Fischereischein beantragen«"
    focus: str = ""  # a follow-up's point: "why" (the reasons first) or "deadline" (the date first)

    @property
    def date_first(self) -> bool:
        """The answer leads with the date: a W-question for the deadline ("Bis wann …?"), or a follow-up about it."""
        return (self.w_question and self.asks_deadline) or self.focus == "deadline"


def render(intent: Intent, asked: Asked, knowledge: Knowledge) -> Answer:
    """The German answer to an intent."""
    renderer = {
        VerdictIntent: _verdict, VerdictsIntent: _verdicts, FaqIntent: _faq, ListIntent: _list, ClarifyServicesIntent: _clarify_services,
        ClarifyFaqIntent: _clarify_faq, ClarifyDateIntent: _clarify_date, FallbackIntent: _fallback,
        SmalltalkIntent: _smalltalk,
    }[type(intent)]
    answer = renderer(intent, asked, knowledge)
    if asked.about:
        headline = f"{asked.about}: {answer.headline}"
        answer = replace(answer, headline=headline, text=f"{asked.about}: {answer.text}",
                         summary=f"{asked.about}: {answer.summary}" if answer.summary else "")
    return replace(answer, route=asked.route, trace=asked.trace)


# ---- shared pieces ----------------------------------------------------------------------------------

def _answer(kind: Kind, summary: list[str], details: list[str], headline: str, **fields) -> Answer:
    """An answer whose text is its summary followed by its details. A summary longer than the first
    screen keeps its headline and its last line (the source) and moves its middle lines, last first,
    to the details (long names in a bigger catalogue must not push the answer off the screen)."""
    summary, details = [p for p in summary if p], list(details)
    while len("\n\n".join(summary)) > FIRST_SCREEN and len(summary) > 2:
        details.insert(0, summary.pop(-2))
    top = "\n\n".join(summary)
    rest = "\n\n".join(p for p in details if p)
    text = f"{top}\n\n{rest}" if rest else top
    return Answer(kind, text, summary=top, details=rest, headline=headline, **fields)


def presumed(programme: Programme) -> str:
    return " (voraussichtlich)" if programme.end_is_presumed else ""


def deadline_text(programme: Programme) -> str:
    """"31.12.2024 (voraussichtlich)"."""
    return german_date(programme.deadline) + presumed(programme)


def source_line(sources: tuple[Source, ...], binding_note: bool) -> str:
    """The visible source line: short titles and dates, and the note that nothing here is binding."""
    parts = [f"{s.short} vom {german_date(s.date)}" for s in sources]
    line = ("Quelle: " + "; ".join(parts) + ".") if parts else ""
    return f"{line} {NOT_BINDING}".strip() if binding_note else line


def full_sources(sources: tuple[Source, ...]) -> str:
    parts = [f"{s.title}" + (f" ({s.publisher})" if s.publisher else "") + f", Stand: {german_date(s.date)}"
             for s in sources]
    return ("Quelle im Wortlaut: " + "; ".join(parts) + ".") if parts else ""


def contact_names(knowledge: Knowledge, contact_ids: tuple[str, ...], short: bool = True) -> str:
    contacts = [c for c in (knowledge.contact(i) for i in contact_ids) if c]
    return " oder ".join(c.short if short else c.name for c in contacts)


def contact_hint(knowledge: Knowledge, contact_ids: tuple[str, ...]) -> str:
    names = contact_names(knowledge, contact_ids, short=False)
    return f"Verbindlich klären Sie das bei: {names}." if names else ""


def support_line(knowledge: Knowledge) -> str:
    """Whom to ask, from the contacts in the knowledge files (never from code)."""
    contact = knowledge.support_contact
    if contact is None:
        return "Wenden Sie sich bitte an das Support-Team."
    return f"Wenden Sie sich bitte an: {contact.name}" + (f" ({contact.reach})." if contact.reach else ".")


def periods_line(programme: Programme) -> str:
    periods = "; ".join(
        f"{german_date(p.start)}–{german_date(p.end)}" + (f" ({p.condition})" if p.condition else " (zugesagt)")
        for p in programme.periods)
    return f"Förderzeiträume: {periods}. Ende{presumed(programme)}: {german_date(programme.deadline)}."


def shown_notices(programme: Programme | None, day: date) -> tuple[Notice, ...]:
    """The newest certain notices dated on or before the day asked about."""
    if programme is None:
        return ()
    return tuple(reversed([n for n in programme.notices if n.certain and n.date <= day]))[:NOTICES_SHOWN]


def notice_date(notice: Notice) -> str:
    return f"{MONTHS[notice.date.month - 1]} {notice.date.year}" if notice.month_only else german_date(notice.date)


def notices_block(notices: tuple[Notice, ...]) -> str:
    if not notices:
        return ""
    lines = ["Spätere Hinweise (sie ändern das Urteil nicht):"]
    for n in notices:
        source = ", ".join(x for x in (n.source_title, n.source_publisher, n.source_address) if x)
        lines.append(f"• {n.text}" + (f" {n.caveat}" if n.caveat else "") + f" (Stand: {notice_date(n)}; Quelle: {source})")
    return "\n".join(lines)


def catalogue_sample_note(knowledge: Knowledge) -> str:
    if not knowledge.catalogue_is_sample:
        return ""
    return ("Hinweis: Der Katalog des Bots ist ein Auszug, nicht die vollständige Liste von KISA. "
            "Maßgeblich ist der Online-Shop des Zweckverbands KISA.")


def when_line(asked: Asked) -> str:
    return f"Stand der Frage: {german_date(asked.day)}" + (" (Datum aus Ihrer Frage)." if asked.day_from_question
                                                             else ".")


def _matches(asked: Asked, services_first: bool = True) -> tuple[Match, ...]:
    svc = [Match(s.id, s.title, round(s.score * 100, 1), "service") for s in asked.services[:3]]
    faq = [Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in asked.faqs[:3]]
    return tuple(svc + faq if services_first else faq + svc)


# ---- verdicts -----------------------------------------------------------------------------------------

def subject_label(subject: Subject, knowledge: Knowledge, decided_by: str = "") -> str:
    """The subject as a noun phrase: "Online-Antragsassistent »Wohngeld beantragen (Amt24)«"; with
    `decided_by`, the part of the subject that decided the verdict (the cost, the applicant …)."""
    service, vocab = subject.service, knowledge.vocabulary
    if decided_by in ("cost", "applicant", "region", "service_type") and service is not None:
        return subject_label(replace(subject, service=None, **{
            k: None for k in ("cost", "applicant", "region", "service_type") if k != decided_by and not (
                decided_by == "region" and k == "applicant")}), knowledge)
    if service is not None:
        kind = "Online-Antragsassistent" if service.type == "kisa" else SHORT_TYPE_LABELS.get(service.type, "Dienst")
        return f"{kind} »{service.name}«"
    if subject.service_type:
        return vocab.label("service_types", subject.service_type)
    if subject.cost:
        return f"Kostenart »{vocab.label('costs', subject.cost)}«"
    if subject.unknown_service and (subject.applicant in knowledge.named_applicants or not subject.applicant) \
            and not subject.region:
        return f"»{subject.unknown_service}«"  # "Gem. X: … ist der Assistent gefördert?": the thing decides, not the Gemeinde
    if subject.applicant or subject.region:
        label = vocab.label("applicants", subject.applicant) if subject.applicant else "Kommune"
        home = {r for p in knowledge.programmes for r in p.applicant_regions}
        # "(anderes Bundesland)": the label stays a noun phrase, in any case a headline needs
        where = f" ({vocab.label('regions', subject.region)})" if subject.region and subject.region not in home else ""
        return f"Antragsteller »{label}«{where}"
    if subject.unknown_service:
        return f"»{subject.unknown_service}«"
    if subject.silent_point:
        return f"»{subject.silent_point}«"
    return ""


def _period_of(programme: Programme, day: date):
    return next((p for p in programme.periods if p.contains(day)), None)


def verdict_headline(main: Judgement, programme: Programme, label: str, asked: Asked) -> str:
    """The answer for the date asked, in one line. Yes/no questions start with Ja/Nein/Unklar; a
    deadline W-question ("Bis wann …?") starts with the date."""
    verdict, end = main.verdict, deadline_text(programme)
    about = f": {label}" if label else ""
    period = _period_of(programme, asked.day)
    if asked.date_first and verdict in (Verdict.ELIGIBLE, Verdict.CONDITIONAL, Verdict.EXPIRED):
        status = {Verdict.ELIGIBLE: f"förderfähig, zugesagt bis {german_date(period.end)}" if period else "förderfähig",
                  Verdict.CONDITIONAL: "förderfähig unter Vorbehalt",
                  Verdict.EXPIRED: "die Förderung ist abgelaufen"}[verdict]
        return f"Bis {end} – {status}{about}."
    if verdict is Verdict.ELIGIBLE:
        promised = f", zugesagt bis {german_date(period.end)}" if period else ""
        return f"Ja, förderfähig{about}{promised}."
    if verdict is Verdict.CONDITIONAL:
        return f"Ja, unter Vorbehalt förderfähig bis {end}{about}."
    if verdict is Verdict.EXPIRED:
        which = f" ({label})" if label else ""
        ends = "endete" if asked.as_of > programme.deadline else "endet"  # asked in 2024 about 2025: not yet over
        return f"Nein – die Förderung {ends}{' voraussichtlich' if programme.end_is_presumed else ''} am " \
               f"{german_date(programme.deadline)}{which}."
    if verdict is Verdict.NOT_ELIGIBLE:
        return f"Nein, nicht förderfähig{about}."
    return f"Unklar{about} – dazu sagt die Quelle nichts Sicheres."


def aspect_lines(intent: VerdictIntent, programme: Programme, main: Judgement, k: Knowledge) -> list[str]:
    """What the source says about the parts of the funding asked about, costs with the same words
    together ("Softwarepflege und Support: 100 % Rabatt auf die gültigen Entgelte."), and, after the
    end, that it applied until then (the headline names the date)."""
    by_text: dict[str, list[str]] = {}
    for cost in intent.aspects:
        if text := programme.cost_text(cost):
            by_text.setdefault(text, []).append(k.vocabulary.label("costs", cost))
    lines = [f"{' und '.join(labels)}: {text}." for text, labels in by_text.items()]
    if "own_share" in intent.aspects and programme.own_share:
        lines.append(programme.own_share)
    if lines and main.verdict is Verdict.EXPIRED:
        lines.append("Das galt bis zum Ende der Förderung.")
    elif lines and main.verdict is Verdict.NOT_ELIGIBLE:  # what the programme covers, but not for this case
        lines.append("Das gilt nur für geförderte Fälle, nicht für diesen.")
    elif lines and main.verdict is Verdict.UNKNOWN:
        lines.append("Ob das hier gilt, sagt die Quelle nicht.")
    return [" ".join(lines)] if lines else []


def proviso(programme: Programme) -> str:
    """The condition the programme's periods stand under ("vorbehaltlich des Haushaltsbeschlusses …"), if any."""
    return next((p.condition for p in programme.periods if p.condition), "")


def deciding_reason(main: Judgement, programme: Programme, subject: Subject) -> str:
    """The one reason that decided, short."""
    if main.verdict is Verdict.CONDITIONAL:
        condition = proviso(programme)
        return f"Vorbehalt: {condition}." if condition else ""
    if main.verdict is Verdict.EXPIRED:
        return "Eine Verlängerung ist mir nicht bekannt."
    if main.verdict is Verdict.ELIGIBLE:
        later = next((p for p in programme.periods if p.condition), None)
        return (f"Ab {german_date(later.start)} bis {german_date(later.end)}: {later.condition}."
                if later else "")
    return first_sentence(main.reasons[0]) if main.reasons else ""


def first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence (not the dots of a date)."""
    match = re.search(r"[.!?](?=\s+[A-ZÄÖÜ»„])", text)
    return text[:match.end()] if match else text


def next_step(main: Judgement, programme: Programme, knowledge: Knowledge, subject: Subject) -> str:
    """What to do now, and whom to ask."""
    names = contact_names(knowledge, programme.contacts)
    if not names:
        return support_line(knowledge)
    if main.verdict is Verdict.EXPIRED:
        return f"Ob es eine Verlängerung oder Anschlussregelung gibt, klären Sie bei {names}."
    if main.verdict is Verdict.CONDITIONAL:
        return f"Ob er erfüllt ist, klären Sie bei {names}."
    if main.verdict is Verdict.UNKNOWN:
        return f"Ich rate hier nicht – fragen Sie bitte {names}."
    if main.verdict is Verdict.NOT_ELIGIBLE and subject.service_type:
        return f"Ob es einen passenden zentralen Assistenten gibt, erfragen Sie bei {names}."
    if main.verdict is Verdict.ELIGIBLE:
        return f"Bestellung und Einrichtung: {names}."
    return ""


def verdict_details(judgements: list[Judgement], subject: Subject, asked: Asked, k: Knowledge) -> list[str]:
    main = judgements[0]
    programme = k.programme(main.programme)
    service = subject.service
    when = when_line(asked)
    if service is not None:
        kind = SERVICE_TYPE_LABELS.get(service.type, service.type)
        when += f" »{service.name}« ist laut Katalog ein {kind}, Themenfeld {service.topic}"
        when += ", geplant und noch nicht verfügbar." if service.status == "geplant" else "."
    out = [when]
    for judgement in judgements:
        p = k.programme(judgement.programme)
        prefix = "Begründung: " if len(judgements) == 1 else f"{p.title}: {HEADLINES[judgement.verdict]}. "
        out.append(prefix + " ".join(judgement.reasons))
    if main.verdict is Verdict.NOT_ELIGIBLE:
        out.append(f"Frist des Programms: {deadline_text(programme)} – für diesen Fall ohne Bedeutung, weil er "
                   "nicht gefördert wird.")
    else:
        out.append(periods_line(programme))
    if main.verdict in (Verdict.ELIGIBLE, Verdict.CONDITIONAL, Verdict.EXPIRED) and (
            service is None or service.type == "kisa" or service.id in programme.services):
        out.append(FUNDED_OBJECT)
    if subject.unknown_service or (service is not None and service.status == "geplant"):
        out.append(catalogue_sample_note(k))
    out.append(notices_block(shown_notices(programme, asked.day)))
    out.append(contact_hint(k, programme.contacts))
    return out


def _verdict(intent: VerdictIntent, asked: Asked, k: Knowledge) -> Answer:
    subject = intent.subject
    judgements = judge_all(k, subject, asked.day)
    if not judgements:
        return _no_programme(subject, asked, k)
    main = judgements[0]
    programme = k.programme(main.programme)
    # A follow-up names its subject before the headline ("Zu »Fischereischein beantragen«: Ja, …").
    label = "" if asked.about else subject_label(subject, k, main.decided_by)
    sources = tuple(dict.fromkeys(s for j in judgements if (s := k.source(k.programme(j.programme).source))))
    headline = verdict_headline(main, programme, label, asked)
    reason = " ".join(main.reasons) if asked.focus == "why" else deciding_reason(main, programme, subject)
    alike = f"Für »{intent.alike.name}« gilt dasselbe." if intent.alike is not None else ""
    topic = f"»{subject.service.name}« steht im Katalog im Themenfeld »{subject.service.topic}«." if (
        "topic" in intent.aspects and subject.service) else ""
    summary = [headline, topic, *aspect_lines(intent, programme, main, k), reason, alike,
               next_step(main, programme, k, subject), source_line(sources, binding_note=True)]
    details = [*verdict_details(judgements, subject, asked, k), full_sources(sources)]
    service = subject.service
    return _answer(
        Kind.ANSWER, summary, details, headline, verdict=main.verdict, deadline=programme.deadline,
        programme=programme.id, reasons=tuple(r for j in judgements for r in j.reasons),
        service=service.id if service else None, matches=_matches(asked), sources=sources,
        knowledge_version=k.version, as_of=asked.day, judgements=tuple(judgements), subject=subject,
        notices=shown_notices(programme, asked.day),
        confidence=asked.services[0].score if service and asked.services else 1.0,
        listed=(service.id,) if service and "search" in intent.aspects else (),  # "habt ihr was für den Friedhof?"
    )


def _verdicts(intent: VerdictsIntent, asked: Asked, k: Knowledge) -> Answer:
    """Two services asked about together: one line each; the verdict is theirs when they agree."""
    answers = [_verdict(v, replace(asked, about=""), k) for v in intent.verdicts]
    first = answers[0]
    same = len({a.verdict for a in answers}) == 1
    plain = verdict_headline(first.judgements[0], k.programme(first.programme), "", asked) if same and \
        first.judgements else ""
    headline = _both_headline(plain) if plain else _mixed_headline(answers)
    each = "\n".join(f"• {v.subject.service.name}" if plain else f"• {a.headline}"
                     for v, a in zip(intent.verdicts, answers))
    reasons = list(dict.fromkeys(r for a in answers if a.judgements
                                 for r in [deciding_reason(a.judgements[0], k.programme(a.programme), a.subject)] if r))
    sources = tuple(dict.fromkeys(s for a in answers for s in a.sources))
    summary = [headline, each, " ".join(reasons), source_line(sources, binding_note=True)]
    details = [a.details for a in answers]
    return _answer(
        Kind.ANSWER, summary, details, headline, verdict=first.verdict if same else None,
        deadline=first.deadline, programme=first.programme, reasons=tuple(r for a in answers for r in a.reasons),
        matches=_matches(asked), sources=sources, knowledge_version=k.version, as_of=asked.day,
        judgements=tuple(j for a in answers for j in a.judgements), subject=first.subject,
        notices=first.notices, confidence=min(a.confidence for a in answers),
    )


def _both_headline(plain: str) -> str:
    """"Ja, unter Vorbehalt förderfähig …" → "Ja, für beide: unter Vorbehalt förderfähig …"."""
    first, rest = plain.split(" ", 1)
    return f"{first.rstrip(',–')}, für beide: {rest.lstrip('– ')}"


def _mixed_headline(answers: list[Answer]) -> str:
    funded = [a.verdict in (Verdict.ELIGIBLE, Verdict.CONDITIONAL) for a in answers]
    if all(funded):
        return "Ja, beide förderfähig, aber nicht gleich:"
    if any(funded):
        return "Nein, nur einer der beiden:"
    if any(a.verdict is Verdict.UNKNOWN for a in answers):
        return "Unklar – für keinen der beiden kann ich eine Förderung bestätigen:"
    return "Nein, keiner der beiden:"


def _no_programme(subject: Subject, asked: Asked, k: Knowledge) -> Answer:
    label = subject_label(subject, k)
    headline = f"Unklar{': ' + label if label else ''} – keines der bekannten Förderprogramme sagt etwas dazu."
    summary = [headline, "Ich rate hier nicht.", support_line(k), NOT_BINDING]
    return _answer(Kind.ANSWER, summary, [when_line(asked)], headline, verdict=Verdict.UNKNOWN,
                   reasons=("Kein Förderprogramm trifft zu.",), service=subject.service.id if subject.service else None,
                   matches=_matches(asked), knowledge_version=k.version, as_of=asked.day, subject=subject)


# ---- FAQ entries ------------------------------------------------------------------------------------

def _after_end(entry: FaqEntry, programme: Programme | None, day: date) -> bool:
    return bool(entry.while_running and programme and day > programme.deadline)


def faq_short(entry: FaqEntry) -> str:
    """The entry's answer in one sentence: its `short`, else the first sentence of its answer."""
    if entry.short:
        return entry.short
    first = entry.answer.strip().split("\n")[0]
    return first if len(first) <= 250 else first[:247].rsplit(" ", 1)[0] + " …"


def _faq(intent: FaqIntent, asked: Asked, k: Knowledge) -> Answer:
    entry = intent.entry
    programme = k.programme(entry.programme) if entry.programme else None
    if (entry.verdict or intent.with_verdict) and programme:
        return _status_faq(entry, programme, asked, k)
    source = k.source(entry.source)
    sources = (source,) if source else ()
    short = faq_short(entry)
    # An entry on which the source is silent gives no programme verdict, whatever the date: it is "unbekannt".
    status = judge_all(k, Subject(), asked.day)[0] if intent.dated and programme and not entry.silent else None
    # "wie viel Rabatt gibts 2024?" asks the fact for a year: the fact leads – unless it did not hold yet then
    fact_asked = asked.w_question and not asked.date_first and not (status and status.verdict is Verdict.UNKNOWN)
    if status and programme and intent.timed and not fact_asked:
        headline = dated_headline(status, programme, asked)
        summary = [headline, short, source_line(sources, True)]
    elif status and programme:  # the fact leads, until when it holds follows (unless the fact says it)
        headline = short
        until = "" if german_date(programme.deadline) in short else dated_line(status, programme, asked)
        summary = [headline, until, source_line(sources, True)]
    elif _after_end(entry, programme, asked.day) and entry.silent:
        headline = short
        summary = [headline, f"Die Förderung endete am {deadline_text(programme)}; eine Verlängerung ist mir nicht "
                             "bekannt.", source_line(sources, True)]
    elif _after_end(entry, programme, asked.day):
        headline = f"Das galt bis {deadline_text(programme)}: {short}"
        summary = [headline, "Eine Verlängerung ist mir nicht bekannt.", source_line(sources, False)]
    else:
        headline = short  # an entry on which the source is silent is a verdict ("unbekannt"): not binding either
        summary = [headline, source_line(sources, entry.silent)]
    notices = shown_notices(programme, asked.day) if entry.while_running else ()
    condition = proviso(programme) if programme else ""
    details = [entry.answer.strip(), f"Frist des Programms: {deadline_text(programme)}." if status and programme else "",
               f"Vorbehalt: {condition}." if status and condition and not intent.timed else "",
               notices_block(notices), contact_hint(k, entry.contacts) if programme else "", full_sources(sources)]
    kind = Kind.SMALLTALK if LEXICON.smalltalk_tag in entry.tags else Kind.ANSWER  # "Was kannst du?"
    return _answer(
        kind, summary, details, headline, programme=programme.id if programme else None, notices=notices,
        verdict=status.verdict if status else Verdict.UNKNOWN if entry.silent else None,
        reasons=status.reasons if status else (),
        deadline=programme.deadline if programme else None, matches=_matches(asked, services_first=False),
        sources=sources, knowledge_version=k.version, as_of=asked.day, faq=entry.id,
        confidence=asked.faqs[0].score if asked.faqs else 0.0,
    )


def dated_headline(status: Judgement, programme: Programme, asked: Asked) -> str:
    """Until when a fact of the running programme holds, for the date asked: the date first for a
    W-question ("Wie lange gibt es den Rabatt noch?"), Ja/Nein/Unklar first otherwise."""
    first = asked.date_first
    end = deadline_text(programme)
    if status.verdict is Verdict.ELIGIBLE:
        period = _period_of(programme, asked.day)
        promised = german_date(period.end) if period else end
        return f"Bis {promised} fest zugesagt." if first else f"Ja, fest zugesagt bis {promised}."
    if status.verdict is Verdict.CONDITIONAL:
        condition = proviso(programme) or "unter Vorbehalt"
        return f"Bis {end}, {condition}." if first else f"Ja, {condition}, bis {end}."
    if status.verdict is Verdict.EXPIRED:
        return f"Bis {end}; eine Verlängerung ist mir nicht bekannt." if first else f"Nein – das galt bis {end}."
    return f"Unklar – am {german_date(asked.day)} lief die Förderung noch nicht; sie beginnt am " \
           f"{german_date(programme.start)}."


def dated_line(status: Judgement, programme: Programme, asked: Asked) -> str:
    """Until when a fact of the running programme holds, said after the fact ("100 % Rabatt …" in 2023)."""
    if status.verdict is Verdict.ELIGIBLE:
        period = _period_of(programme, asked.day)
        if period is None or period.end >= programme.deadline:
            return f"Fest zugesagt bis {deadline_text(programme)}."
        return f"Fest zugesagt bis {german_date(period.end)}, danach unter Vorbehalt bis {deadline_text(programme)}."
    if status.verdict is Verdict.CONDITIONAL:
        return f"Gilt unter Vorbehalt bis {deadline_text(programme)}."
    return f"Am {german_date(asked.day)} lief die Förderung noch nicht; sie beginnt am {german_date(programme.start)}."


def _status_faq(entry: FaqEntry, programme: Programme, asked: Asked, k: Knowledge) -> Answer:
    """An entry about the programme's status: the programme's verdict for the date asked leads."""
    answer = _verdict(VerdictIntent(Subject()), asked, k)
    details = [answer.details, entry.answer.strip()]
    summary = answer.summary
    return replace(_answer(Kind.ANSWER, [summary], details, answer.headline, verdict=answer.verdict,
                           deadline=answer.deadline, programme=answer.programme, reasons=answer.reasons,
                           sources=answer.sources, knowledge_version=k.version, as_of=asked.day,
                           judgements=answer.judgements, subject=answer.subject, notices=answer.notices),
                   faq=entry.id, matches=_matches(asked, services_first=False),
                   confidence=asked.faqs[0].score if asked.faqs else 0.0)


# ---- lists of services -------------------------------------------------------------------------------

def _item(service: Service, marked: bool = True) -> str:
    marks = []
    if marked and service.type != "kisa":
        marks.append(f"{SHORT_TYPE_LABELS.get(service.type, service.type)}, nicht gefördert")
    if service.status == "geplant":
        marks.append("geplant")
    return f"• {service.name}" + (f" – {'; '.join(marks)}" if marks else "")


def _list_headline(intent: ListIntent) -> str:
    n = len(intent.services)
    where = {"topic": f"im Themenfeld »{intent.topic}«", "planned": "als geplant",
             "search": f"zu »{intent.topic}«", "all": "insgesamt"}[intent.scope]
    if not n:
        return f"Dazu steht im Katalog des Bots nichts ({where})."
    entries = "ein Eintrag" if n == 1 else f"{n} Einträge"
    if intent.only:
        entries += f" ({', '.join(intent.only)})"
    excluded = {s.type for s in intent.services} <= set(SHORT_TYPE_LABELS)
    note = " – nicht gefördert" if excluded else ""
    return f"Im Katalog des Bots {'steht' if n == 1 else 'stehen'} {where} {entries}{note}."


def _count_line(services: tuple[Service, ...]) -> str:
    kisa = [s for s in services if s.type == "kisa"]
    planned = sum(1 for s in kisa if s.status == "geplant")
    other = len(services) - len(kisa)
    others = ("EfA- oder landeslizenzierter Dienst, der nicht gefördert wird" if other == 1 else
              "EfA- oder landeslizenzierte Dienste, die nicht gefördert werden")
    kisa_count = count_noun(len(kisa), "KISA-Assistent", "KISA-Assistenten")
    return f"Davon {kisa_count} ({planned} geplant) und {other} {others}."


def _fit(items: list[str], budget: int) -> tuple[list[str], int]:
    """The items that fit into `budget` characters (with room for "… und N weitere"), and how many not."""
    shown: list[str] = []
    used = 0
    for item in items:
        if used + len(item) + 1 > budget - (40 if len(shown) + 1 < len(items) else 0):
            break
        shown.append(item)
        used += len(item) + 1
    return shown, len(items) - len(shown)


def _list(intent: ListIntent, asked: Asked, k: Knowledge) -> Answer:
    headline = _list_headline(intent)
    marked = not {s.type for s in intent.services} <= set(SHORT_TYPE_LABELS)
    items = [_item(s, marked) for s in intent.services]
    fixed = [headline]
    if (intent.count or intent.scope == "all") and not intent.only:
        fixed.append(_count_line(intent.services))
    source = k.source(intent.entry.source) if intent.entry else None
    if intent.entry is not None:
        fixed.append(faq_short(intent.entry) + (f" (Stand: {german_date(source.date)})" if source else ""))
    fixed.append(catalogue_sample_note(k) or "Maßgeblich ist der Online-Shop des Zweckverbands KISA.")
    budget = LIST_IN_SUMMARY - sum(len(p) + 2 for p in fixed)
    shown, rest = _fit(items, budget) if intent.scope != "all" else ([], len(items))
    summary = fixed[:1] + (["\n".join(shown) + (f"\n… und {rest} weitere (siehe unten)." if rest else "")]
                           if shown else []) + fixed[1:]
    details = []
    if rest:
        listed = items[:LIST_IN_DETAILS]
        more = len(items) - len(listed)
        details.append("\n".join(listed) + (f"\n… und {more} weitere – alle zeigt /katalog." if more else ""))
    details.append("Gefördert werden die KISA-Online-Antragsassistenten; EfA-Dienste und landeslizenzierte "
                   "Dienste sind ausgeschlossen. Mit /katalog blättern Sie nach Themenfeldern.")
    return _answer(Kind.ANSWER, summary, details, headline, listed=tuple(s.id for s in intent.services),
                   faq=intent.entry.id if intent.entry else None,
                   knowledge_version=k.version, as_of=asked.day, matches=_matches(asked), confidence=1.0)


# ---- asking back, small talk, fallback -----------------------------------------------------------------

def _clarify_services(intent: ClarifyServicesIntent, asked: Asked, k: Knowledge) -> Answer:
    candidates = intent.candidates
    matches = tuple(Match(s.id, s.title, round(s.score * 100, 1), "service") for s in candidates[:5])
    headline = "Welchen Online-Antragsassistenten meinen Sie?"
    if matches:
        summary = [headline, "In Frage kommen:\n" + "\n".join(f"• {m.title}" for m in matches),
                   "Wählen Sie einen aus oder nennen Sie den Namen genauer."]
    else:
        summary = [headline, "Ihre Frage nennt keinen Assistenten, keinen Antragsteller und keine Kostenart. "
                             "Nennen Sie bitte, worum es geht, z. B. »Ist der Hundesteuer-Assistent förderfähig?«, "
                             "»Sind Landkreise antragsberechtigt?« oder »Bis wann läuft die Förderung?«. Mit "
                             "/katalog sehen Sie die Themenfelder."]
    return _answer(Kind.CLARIFY, summary, [], headline, matches=matches, knowledge_version=k.version,
                   as_of=asked.day, confidence=candidates[0].score if candidates else 0.0)


def _clarify_faq(intent: ClarifyFaqIntent, asked: Asked, k: Knowledge) -> Answer:
    matches = tuple(Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in intent.candidates)
    headline = "Meinten Sie eine dieser Fragen?"
    summary = [headline, "\n".join(f"• {m.title}" for m in matches),
               "Wenn nicht, formulieren Sie Ihre Frage bitte anders oder fragen Sie das Support-Team."]
    return _answer(Kind.CLARIFY, summary, [], headline, matches=matches, knowledge_version=k.version,
                   confidence=intent.candidates[0].score, as_of=asked.day)


def _clarify_date(intent: ClarifyDateIntent, asked: Asked, k: Knowledge) -> Answer:
    headline = f"Das Datum »{intent.date_text}« gibt es nicht."
    summary = [headline, "Bitte prüfen Sie es und fragen Sie noch einmal, z. B. »War der Wohngeld-Assistent am "
                         "30.06.2023 förderfähig?«."]
    return _answer(Kind.CLARIFY, summary, [], headline, knowledge_version=k.version, as_of=asked.as_of)


_SMALLTALK = {
    "greeting": "Guten Tag! Ich beantworte Fragen zur Förderung der Online-Antragsassistenten in Sachsen, "
                "z. B. »Ist der Hundesteuer-Assistent förderfähig, und bis wann?«.",
    "thanks": "Gern geschehen! Fragen Sie jederzeit wieder.",
    "bye": "Auf Wiedersehen! Bei neuen Fragen bin ich da.",
    "identity": "Ich bin der Förderbot, ein automatischer Assistent – kein Mensch. Ich beantworte Fragen zur Förderung "
                "der Online-Antragsassistenten in Sachsen auf Grundlage der Pressemitteilung vom 17.10.2022; "
                "verbindlich sind allein die Auskünfte von KISA und SAKD.",
}


def _smalltalk(intent: SmalltalkIntent, asked: Asked, k: Knowledge) -> Answer:
    text = _SMALLTALK[intent.kind or "greeting"]
    return _answer(Kind.SMALLTALK, [text], [], text, knowledge_version=k.version, as_of=asked.day)


_FALLBACK_INTRO = {
    "empty": "Bitte stellen Sie eine Frage in Worten.",
    "no_words": "Ich verstehe nur Fragen in Worten, keine Zeichen oder Emojis allein.",
    "abuse": "Darauf antworte ich nicht. Ich beantworte nur Fragen zur Förderung von "
             "Online-Antragsassistenten und halte mich dabei an meine Quellen.",
    "insult": "Schade, dass ich Ihnen nicht weiterhelfen konnte. Stellen Sie Ihre Frage gern noch einmal in "
              "anderen Worten – oder fragen Sie KISA oder die SAKD direkt.",
    "out_of_scope": "Dazu weiß ich nichts – das liegt außerhalb dessen, was ich beantworten kann.",
    "task": "Das kann ich nicht – ich schreibe keine Texte, Gedichte oder Programme.",
    "other_funding": "Dazu weiß ich nichts: Ich kenne nur die Förderung der Online-Antragsassistenten. Für andere "
                     "Förderprogramme fragen Sie bitte die zuständige Förderstelle.",
    "how_to": "Wie man einen Assistenten einrichtet oder ändert, weiß ich nicht – dabei hilft der Support von KISA. "
              "Ich beantworte nur Fragen zur Förderung.",
    "citizen": "Anträge nehme ich nicht entgegen – Ihr Anliegen erledigen Sie bei Ihrer Gemeinde, Stadt oder "
               "Ihrem Landratsamt (oft online über Amt24).",
}


def _fallback(intent: FallbackIntent, asked: Asked, k: Knowledge) -> Answer:
    intro = _FALLBACK_INTRO[intent.reason]
    summary = [intro, "Ich beantworte Fragen zur Förderung der Online-Antragsassistenten für sächsische Kommunen: "
                      "ob ein Assistent förderfähig ist und bis wann, was gefördert wird, wer profitiert und was "
                      "ausgeschlossen ist. Beispiel: »Ist der Hundesteuer-Assistent förderfähig?«",
               support_line(k)]
    return _answer(Kind.FALLBACK, summary, [], intro, knowledge_version=k.version, as_of=asked.day)


# ---- follow-ups -----------------------------------------------------------------------------------------

def followup_about(kind: str, subject: Subject | None, day: date | None, k: Knowledge) -> str:
    """What a follow-up's reply refers to, named first so that a wrong reading is visible."""
    label = subject_label(subject, k) if subject else ""
    named = f" ({label})" if label else ""
    if kind == "date" and day is not None:
        return f"Zum {german_date(day)}{named}"
    if kind == "deadline":
        return f"Zur Frist{named}"
    if kind == "why":
        return f"Zur Begründung{named}"
    if subject is None:
        return ""
    if kind == "service" and subject.service is not None:
        return f"Zu »{subject.service.name}«"
    if kind == "applicant":
        decided = "region" if subject.region and not subject.applicant else "applicant"
        return f"Für {subject_label(subject, k, decided)}" + (f" ({subject_label(subject, k)})"
                                                             if subject.service else "")
    if kind == "cost" and subject.cost:
        return f"Zur Kostenart »{k.vocabulary.label('costs', subject.cost)}«" + (
            f" ({subject_label(subject, k)})" if subject.service else "")
    return ""


def render_no_context(history: tuple[Match, ...], as_of: date, k: Knowledge, route: str) -> Answer:
    """A follow-up with nothing (left) to refer to: ask back, offering the chat's last subjects."""
    headline = "Worauf bezieht sich Ihre Frage?"
    if history:
        summary = [headline, "Zuletzt ging es um:\n" + "\n".join(f"• {m.title}" for m in history),
                   "Wählen Sie einen Eintrag oder stellen Sie die Frage bitte vollständig, z. B. »Ist der "
                   "Hundesteuer-Assistent förderfähig, und bis wann?«."]
    else:
        summary = [headline, "Ich weiß nicht (mehr), worum es vorher ging. Stellen Sie die Frage bitte vollständig, "
                             "z. B. »Ist der Hundesteuer-Assistent förderfähig, und bis wann?« oder »Bis wann läuft "
                             "die Förderung?«."]
    return _answer(Kind.CLARIFY, summary, [], headline, matches=history, knowledge_version=k.version,
                   as_of=as_of, route=route)


# ---- change notices to subscribed chats -------------------------------------------------------------------

def change_notice(change, old: Knowledge, new: Knowledge) -> str:
    """One short notice about a changed verdict or deadline: old and new, from when, and the source of
    the change (the programme's newest notice since the old rules were checked, else its source)."""
    def state(verdict, deadline) -> str:
        if verdict is None:
            return "nicht mehr im Katalog" if change.service else "kein Programm"
        return HEADLINES[verdict] + (f" (Frist {german_date(deadline)})" if deadline else "")
    what = f"»{change.name}«" if change.service else f"Programm »{change.name}«"
    when = f" – gilt für den {german_date(change.day)}" if change.day else ""
    lines = [f"Geändert: {what}{when}.", f"Bisher: {state(change.old_verdict, change.old_deadline)}.",
             f"Jetzt: {state(change.new_verdict, change.new_deadline)}.", _change_source(change, old, new)]
    return "\n".join(line for line in lines if line) + f"\n{NOT_BINDING}"


def _change_source(change, old: Knowledge, new: Knowledge) -> str:
    programmes = [p for p in new.programmes if not change.programme or p.id == change.programme]
    before = {p.id: p.rules_checked for p in old.programmes}
    for programme in programmes:
        checked = before.get(programme.id)
        newer = [n for n in programme.notices if n.certain and (checked is None or n.date > checked)]
        if newer:
            n = newer[-1]
            return f"Grund: {n.text} (Quelle: {', '.join(x for x in (n.source_title, n.source_publisher) if x)}, " \
                   f"{notice_date(n)})"
    source = new.source(programmes[0].source) if programmes else None
    return f"Quelle: {source.short} vom {german_date(source.date)}, vom Support-Team geändert." if source else ""
