"""German answer texts, composed from verdicts, catalogue entries and FAQ answers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from .dates import german_date
from .index import Scored
from .intents import (ClarifyDateIntent, ClarifyFaqIntent, ClarifyServicesIntent, FallbackIntent, FaqIntent,
                      Intent, ListIntent, SmalltalkIntent, VerdictIntent)
from .model import Answer, FaqEntry, Judgement, Kind, Knowledge, Match, Programme, Service, Source, Verdict
from .rules import Subject, judge, judge_all

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
FUNDED_OBJECT = ("Gefördert wird der Online-Antragsassistent selbst (Einrichtung und Konfiguration, Betrieb im "
                 "zertifizierten Rechenzentrum, Pflege, Support und Weiterentwicklung), nicht die "
                 "Verwaltungsleistung dahinter.")


def source_line(sources: tuple[Source, ...]) -> str:
    if not sources:
        return ""
    parts = [f"{s.title} (Stand: {german_date(s.date)})" for s in sources]
    return "Quelle: " + "; ".join(parts) + "."


def contact_hint(knowledge: Knowledge, contact_ids: tuple[str, ...]) -> str:
    names = [c.name for c in (knowledge.contact(i) for i in contact_ids) if c]
    if not names:
        return ""
    return "Verbindlich klären Sie das bei: " + " oder ".join(names) + "."


def subject_label(service: Service | None, knowledge: Knowledge, type_id: str | None = None,
                  applicant: str | None = None, cost: str | None = None, unknown: str | None = None,
                  region: str | None = None) -> str:
    if service is not None:
        if service.type == "kisa":
            return f"Online-Antragsassistent »{service.name}«"
        return f"{SERVICE_TYPE_LABELS.get(service.type, 'Dienst')} »{service.name}«"
    if type_id:
        return knowledge.vocabulary.label("service_types", type_id)
    if cost:
        return f"Kostenart »{knowledge.vocabulary.label('costs', cost)}«"
    if applicant or region:
        label = knowledge.vocabulary.label("applicants", applicant) if applicant else "Kommune"
        where = f" (Region: {knowledge.vocabulary.label('regions', region)})" if region and region != "sachsen" else ""
        return f"Antragsteller »{label}«{where}"
    if unknown:
        return f"»{unknown}«"
    return ""


def verdict_paragraphs(
    knowledge: Knowledge,
    judgements: list[Judgement],
    *,
    service: Service | None,
    label: str,
    day: date,
    day_from_question: bool,
    asks_deadline: bool,
) -> tuple[str, list[str]]:
    """Headline and paragraphs for a verdict answer; judgements[0] is the most specific."""
    main = judgements[0]
    programme = knowledge.programme(main.programme)
    headline = f"{HEADLINES[main.verdict]}: {label}" if label else HEADLINES[main.verdict]
    paragraphs: list[str] = []
    when = f"Stand der Frage: {german_date(day)}" + (" (Datum aus Ihrer Frage)." if day_from_question else ".")
    if service is not None:
        kind = SERVICE_TYPE_LABELS.get(service.type, service.type)
        when += f" »{service.name}« ist laut Katalog ein {kind}, Themenfeld {service.topic}"
        when += ", geplant und noch nicht verfügbar." if service.status == "geplant" else "."
    paragraphs.append(when)
    for judgement in judgements:
        p = knowledge.programme(judgement.programme)
        prefix = "Begründung: " if len(judgements) == 1 else f"{p.title}: {HEADLINES[judgement.verdict]}. "
        paragraphs.append(prefix + " ".join(judgement.reasons))
    if main.verdict in (Verdict.ELIGIBLE, Verdict.CONDITIONAL, Verdict.EXPIRED) and (
        service is None or service.type == "kisa" or service.id in programme.services
    ):
        paragraphs.append(FUNDED_OBJECT)
    if main.verdict is Verdict.EXPIRED:
        paragraphs.append(contact_hint(knowledge, programme.contacts) or "")
    if main.verdict is Verdict.UNKNOWN:
        paragraphs.append("Ich rate hier nicht. " + (contact_hint(knowledge, programme.contacts)
                                                     or "Fragen Sie bitte den Support."))
    if main.verdict is Verdict.NOT_ELIGIBLE:
        paragraphs.append(f"Frist des Programms: {german_date(programme.deadline)}"
                          f"{' (voraussichtlich)' if programme.end_is_presumed else ''} – für diesen Fall ohne Bedeutung, "
                          "weil er nicht gefördert wird.")
    else:
        paragraphs.append(deadline_line(programme, asks_deadline))
    return headline, [p for p in paragraphs if p]


def deadline_line(programme: Programme, asks_deadline: bool = False) -> str:
    presumed = " (voraussichtlich, laut Quelle)" if programme.end_is_presumed else ""
    periods = "; ".join(
        f"{german_date(p.start)}–{german_date(p.end)}" + (f" ({p.condition})" if p.condition else " (zugesagt)")
        for p in programme.periods
    )
    line = f"Frist: {german_date(programme.deadline)}{presumed}."
    if asks_deadline:
        line += f" Förderzeiträume: {periods}."
    return line


def catalogue_sample_note(knowledge: Knowledge) -> str:
    if not knowledge.catalogue_is_sample:
        return ""
    return ("Hinweis: Der Katalog des Bots ist ein Auszug, nicht die vollständige Liste von KISA. "
            "Maßgeblich ist der Online-Shop des Zweckverbands KISA.")


def join(headline: str, paragraphs: list[str], footer: list[str]) -> str:
    blocks = [headline] if headline else []
    blocks += [p for p in paragraphs if p]
    tail = " ".join(f for f in footer if f)
    if tail:
        blocks.append(tail)
    return "\n\n".join(blocks)


# ---- rendering intents ----------------------------------------------------------------------------

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


def render(intent: Intent, asked: Asked, knowledge: Knowledge) -> Answer:
    """The German answer to an intent."""
    renderer = {
        VerdictIntent: _verdict, FaqIntent: _faq, ListIntent: _list, ClarifyServicesIntent: _clarify_services,
        ClarifyFaqIntent: _clarify_faq, ClarifyDateIntent: _clarify_date, FallbackIntent: _fallback,
        SmalltalkIntent: _smalltalk,
    }[type(intent)]
    answer = renderer(intent, asked, knowledge)
    return replace(answer, route=asked.route, trace=asked.trace)


def _matches(asked: Asked, services_first: bool = True) -> tuple[Match, ...]:
    svc = [Match(s.id, s.title, round(s.score * 100, 1), "service") for s in asked.services[:3]]
    faq = [Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in asked.faqs[:3]]
    return tuple(svc + faq if services_first else faq + svc)


def support_line(knowledge: Knowledge) -> str:
    """Whom to ask, from the contacts in the knowledge files (never from code)."""
    contact = knowledge.support_contact
    if contact is None:
        return "Wenden Sie sich bitte an den Support."
    reach = ", ".join(x for x in (contact.email, contact.phone, contact.web) if x)
    return f"Wenden Sie sich bitte an: {contact.name}" + (f" ({reach})." if reach else ".")


def _verdict(intent: VerdictIntent, asked: Asked, k: Knowledge) -> Answer:
    subject, day = intent.subject, asked.day
    judgements = judge_all(k, subject, day)
    service = subject.service
    label = subject_label(service, k, subject.service_type, subject.applicant, subject.cost,
                          subject.unknown_service, subject.region)
    if not judgements:
        text = join(
            f"{HEADLINES[Verdict.UNKNOWN]}: {label}" if label else HEADLINES[Verdict.UNKNOWN],
            [f"Stand der Frage: {german_date(day)}",
             "Keines der bekannten Förderprogramme sagt etwas darüber. Ich rate hier nicht.",
             support_line(k)],
            [NOT_BINDING],
        )
        return Answer(Kind.ANSWER, text, verdict=Verdict.UNKNOWN, reasons=("Kein Förderprogramm trifft zu.",),
                      service=service.id if service else None, matches=_matches(asked),
                      knowledge_version=k.version, as_of=day, headline=text.split("\n\n")[0])
    main = judgements[0]
    programme = k.programme(main.programme)
    headline, paragraphs = verdict_paragraphs(
        k, judgements, service=service, label=label, day=day, day_from_question=asked.day_from_question,
        asks_deadline=asked.asks_deadline,
    )
    if subject.unknown_service or (service is not None and service.status == "geplant"):
        paragraphs.append(catalogue_sample_note(k))
    sources = tuple(dict.fromkeys(s for j in judgements if (s := k.source(k.programme(j.programme).source))))
    text = join(headline, paragraphs, [source_line(sources), NOT_BINDING])
    return Answer(
        kind=Kind.ANSWER, text=text, verdict=main.verdict, deadline=programme.deadline, programme=programme.id,
        reasons=tuple(r for j in judgements for r in j.reasons), service=service.id if service else None,
        matches=_matches(asked), sources=sources, knowledge_version=k.version, as_of=day, headline=headline,
        judgements=tuple(judgements),
        confidence=asked.services[0].score if service and asked.services else 1.0,
    )


def _faq(intent: FaqIntent, asked: Asked, k: Knowledge) -> Answer:
    entry, day = intent.entry, asked.day
    source = k.source(entry.source)
    sources = (source,) if source else ()
    paragraphs = [entry.answer.strip()]
    verdict = programme_id = deadline = None
    reasons: tuple[str, ...] = ()
    judgements: list[Judgement] = []
    if entry.programme:
        programme = k.programme(entry.programme)
        programme_id, deadline = programme.id, programme.deadline
        if entry.verdict:
            judgements = [j for j in [judge(programme, Subject(), day, k.vocabulary)] if j]
            if judgements:
                verdict = judgements[0].verdict
                reasons = judgements[0].reasons
                paragraphs.append(f"Stand der Frage {german_date(day)}: {HEADLINES[verdict]}. " + " ".join(reasons))
                if verdict in (Verdict.EXPIRED, Verdict.UNKNOWN):
                    paragraphs.append(contact_hint(k, programme.contacts))
        if asked.asks_deadline or entry.verdict:
            paragraphs.append(deadline_line(programme, asks_deadline=False))
    footer = [source_line(sources)]
    if verdict is not None:
        footer.append(NOT_BINDING)
    text = join(entry.title, paragraphs, footer)
    return Answer(
        kind=Kind.ANSWER, text=text, verdict=verdict, deadline=deadline, programme=programme_id,
        reasons=reasons, matches=_matches(asked, services_first=False), sources=sources,
        knowledge_version=k.version, as_of=day, headline=entry.title, judgements=tuple(judgements),
        faq=entry.id, confidence=asked.faqs[0].score if asked.faqs else 0.0,
    )


def _list(intent: ListIntent, asked: Asked, k: Knowledge) -> Answer:
    raise NotImplementedError


def _clarify_services(intent: ClarifyServicesIntent, asked: Asked, k: Knowledge) -> Answer:
    candidates = intent.candidates
    matches = tuple(Match(s.id, s.title, round(s.score * 100, 1), "service") for s in candidates[:5])
    if matches:
        lines = [f"• {m.title}" for m in matches]
        text = join("Welchen Online-Antragsassistenten meinen Sie?",
                    ["Ich habe mehrere passende Einträge im Katalog gefunden:", "\n".join(lines),
                     "Wählen Sie einen aus oder nennen Sie den Namen genauer, z. B. "
                     "»Ist der Hundesteuer-Assistent förderfähig?«."], [])
    else:
        text = join("Welchen Online-Antragsassistenten meinen Sie?",
                    ["Ihre Frage nennt keinen bestimmten Assistenten, keinen Antragsteller und keine Kostenart. "
                     "Nennen Sie bitte, worum es geht, z. B. »Ist der Hundesteuer-Assistent "
                     "förderfähig?«, »Sind Landkreise antragsberechtigt?« oder »Bis wann läuft die "
                     "Förderung?«. Mit /katalog sehen Sie die Themenfelder."], [])
    return Answer(Kind.CLARIFY, text, matches=matches, knowledge_version=k.version, as_of=asked.day,
                  headline="Welchen Online-Antragsassistenten meinen Sie?",
                  confidence=candidates[0].score if candidates else 0.0)


def _clarify_faq(intent: ClarifyFaqIntent, asked: Asked, k: Knowledge) -> Answer:
    matches = tuple(Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in intent.candidates)
    text = join("Meinten Sie eine dieser Fragen?", ["\n".join(f"• {m.title}" for m in matches),
                "Wenn nicht, formulieren Sie Ihre Frage bitte anders oder fragen Sie den Support."], [])
    return Answer(Kind.CLARIFY, text, matches=matches, knowledge_version=k.version,
                  headline="Meinten Sie eine dieser Fragen?", confidence=intent.candidates[0].score,
                  as_of=asked.day)


def _clarify_date(intent: ClarifyDateIntent, asked: Asked, k: Knowledge) -> Answer:
    text = (f"Das Datum »{intent.date_text}« gibt es nicht. Bitte prüfen Sie es und fragen Sie noch einmal, "
            "z. B. »War der Wohngeld-Assistent am 30.06.2023 förderfähig?«.")
    return Answer(Kind.CLARIFY, text, knowledge_version=k.version, headline=text.split(". ")[0], as_of=asked.as_of)


_SMALLTALK = {
    "greeting": "Guten Tag! Ich beantworte Fragen zur Förderung der Online-Antragsassistenten in Sachsen, "
                "z. B. »Ist der Hundesteuer-Assistent förderfähig, und bis wann?«.",
    "thanks": "Gern geschehen! Fragen Sie jederzeit wieder.",
    "bye": "Auf Wiedersehen! Bei neuen Fragen bin ich da.",
}


def _smalltalk(intent: SmalltalkIntent, asked: Asked, k: Knowledge) -> Answer:
    text = _SMALLTALK[intent.kind or "greeting"]
    return Answer(Kind.SMALLTALK, text, knowledge_version=k.version, headline=text, as_of=asked.day)


_FALLBACK_INTRO = {
    "empty": "Bitte stellen Sie eine Frage in Worten.",
    "no_words": "Ich verstehe nur Fragen in Worten, keine Zeichen oder Emojis allein.",
    "abuse": "Darauf antworte ich nicht. Ich beantworte nur Fragen zur Förderung von "
             "Online-Antragsassistenten und halte mich dabei an meine Quellen.",
    "out_of_scope": "Dazu weiß ich nichts – das liegt außerhalb dessen, was ich beantworten kann.",
}


def _fallback(intent: FallbackIntent, asked: Asked, k: Knowledge) -> Answer:
    intro = _FALLBACK_INTRO[intent.reason]
    text = join(
        intro,
        ["Ich beantworte Fragen zur Förderung der Online-Antragsassistenten für sächsische Kommunen: ob ein "
         "Assistent förderfähig ist und bis wann, was gefördert wird, wer profitiert und was ausgeschlossen ist. "
         "Beispiel: »Ist der Hundesteuer-Assistent förderfähig?«",
         support_line(k)],
        [],
    )
    return Answer(Kind.FALLBACK, text, knowledge_version=k.version, headline=intro, as_of=asked.day)
