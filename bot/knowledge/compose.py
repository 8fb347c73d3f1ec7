"""German answer texts, composed from verdicts, catalogue entries and FAQ answers."""

from __future__ import annotations

from datetime import date

from .dates import german_date
from .model import Judgement, Knowledge, Programme, Service, Source, Verdict

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
