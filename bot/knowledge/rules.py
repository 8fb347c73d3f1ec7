"""Verdicts from funding rules: `judge(programme, subject, as_of)` with German reasons."""

from __future__ import annotations

from datetime import date

from .model import Judgement, Knowledge, Programme, Subject, Verdict, Vocabulary
from .dates import german_date


def specificity(programme: Programme, subject: Subject) -> int | None:
    """How specifically a programme speaks about the subject; None when it says nothing about it."""
    service = subject.service
    if service is not None:
        if service.id in programme.services or service.id in dict(programme.excluded_services):
            return 2
        if service.type in programme.service_types or service.type in dict(programme.excluded_types):
            return 1
        return None
    if subject.service_type is not None:
        if subject.service_type in programme.service_types or subject.service_type in dict(programme.excluded_types):
            return 1
        return 1 if programme.service_types else None  # a programme of certain kinds speaks of every other kind
    return 0


def judge(programme: Programme, subject: Subject, as_of: date, vocabulary: Vocabulary) -> Judgement | None:
    """The programme's verdict on the subject at `as_of`, or None if the programme does not speak to it."""
    level = specificity(programme, subject)
    if level is None:
        return None

    def result(verdict: Verdict, *reasons: str, by: str = "date") -> Judgement:
        return Judgement(programme.id, verdict, tuple(reasons), programme.deadline, level, by)

    applicants = ", ".join(vocabulary.label("applicants", a) for a in programme.applicant_types)
    if subject.region and programme.applicant_regions and subject.region not in programme.applicant_regions:
        regions = ", ".join(vocabulary.label("regions", r) for r in programme.applicant_regions)
        return result(Verdict.NOT_ELIGIBLE, programme.other_region_reason or f"Das Programm gilt nur für {regions}.",
                      by="region")
    if subject.applicant:
        refused = dict(programme.not_eligible_applicants)
        label = vocabulary.label("applicants", subject.applicant)
        if subject.applicant in refused:
            return result(Verdict.NOT_ELIGIBLE, refused[subject.applicant], by="applicant")
        if subject.applicant not in programme.applicant_types and subject.service_type not in dict(
                programme.excluded_types):  # an excluded kind is excluded whoever asks
            return result(Verdict.UNKNOWN,
                          f"Die Quelle nennt als Begünstigte nur: {applicants}. Ob auch »{label}« als "
                          "Antragsteller profitieren kann, sagt sie nicht.", by="applicant")

    if (subject.service_type and programme.service_types and subject.service_type not in programme.service_types
            and subject.service_type not in dict(programme.excluded_types)):
        kinds = ", ".join(vocabulary.label("service_types", t) for t in programme.service_types)
        return result(Verdict.UNKNOWN,
                      f"Gefördert werden laut Quelle: {kinds}. Ob auch ein "
                      f"{vocabulary.label('service_types', subject.service_type)} gefördert wird, sagt sie nicht.",
                      by="service_type")
    service = subject.service
    if service is not None and subject.service_type in dict(programme.excluded_types):
        # "our own online form for Sperrmüll": an own development, whatever the catalogue offers.
        return result(Verdict.NOT_ELIGIBLE, dict(programme.excluded_types)[subject.service_type], by="service_type")
    if service is not None:
        excluded = dict(programme.excluded_services)
        if service.id in excluded and service.id not in programme.services:
            return result(Verdict.NOT_ELIGIBLE, excluded[service.id], by="service")
        excluded_types = dict(programme.excluded_types)
        if service.type in excluded_types and service.id not in programme.services:
            return result(Verdict.NOT_ELIGIBLE, excluded_types[service.type], by="service")
    elif subject.service_type is not None:
        excluded_types = dict(programme.excluded_types)
        if subject.service_type in excluded_types:
            return result(Verdict.NOT_ELIGIBLE, excluded_types[subject.service_type], by="service_type")
    unclear = _unclear(programme, subject, vocabulary)
    if unclear is not None:
        return result(Verdict.UNKNOWN, unclear[0], by=unclear[1])
    return result(*_by_date(programme, as_of))


def _unclear(programme: Programme, subject: Subject, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """(reason, what decided) when the subject is something the source does not speak about: a service not in the
    catalogue, a point it does not address, a cost it does not name."""
    if subject.unknown_service and subject.service is None and subject.service_type is None:
        return (f"»{subject.unknown_service}« finde ich nicht im Katalog der Online-Antragsassistenten (der Katalog des "
                "Bots ist ein Auszug). Ohne Katalogeintrag kann ich nicht sagen, ob das Angebot gefördert wird.",
                "unknown_service")
    if subject.silent_point:
        return (f"Zu »{subject.silent_point}« sagt die Quelle nichts; ob und wie das die Förderung berührt, kann ich "
                "deshalb nicht sagen.", "silent_point")
    if subject.cost and subject.cost not in programme.costs:
        covered = ", ".join(vocabulary.label("costs", c) for c in programme.costs)
        return (f"{vocabulary.label('costs', subject.cost)} nennt die Quelle nicht. Genannt sind: {covered}. "
                "Ob diese Kosten übernommen werden, kann ich deshalb nicht sagen.", "cost")
    return None


def judge_all(knowledge: Knowledge, subject: Subject, as_of: date) -> list[Judgement]:
    """Every programme's verdict on the subject, the most specific first (file order among equals)."""
    judgements = [j for p in knowledge.programmes if (j := judge(p, subject, as_of, knowledge.vocabulary)) is not None]
    judgements.sort(key=lambda j: -j.specificity)
    return judgements


def _by_date(programme: Programme, as_of: date) -> tuple[Verdict, str]:
    if as_of < programme.start:
        return (Verdict.UNKNOWN,
                f"Am {german_date(as_of)} lief die Förderung noch nicht: sie beginnt laut Quelle am "
                f"{german_date(programme.start)}. Für die Zeit davor sagt die Quelle nichts.")
    for period in programme.periods:
        if period.contains(as_of):
            span = f"{german_date(period.start)} bis {german_date(period.end)}"
            if period.condition is None:
                return Verdict.ELIGIBLE, f"Der {german_date(as_of)} liegt im zugesagten Förderzeitraum ({span})."
            return (Verdict.CONDITIONAL,
                    f"Der {german_date(as_of)} liegt im Förderzeitraum {span}, der unter Vorbehalt steht: "
                    f"{period.condition}.")
    if as_of > programme.deadline:
        presumed = "voraussichtlich " if programme.end_is_presumed else ""
        return (Verdict.EXPIRED,
                f"Nach dem Stand der Quelle endete die Förderung {presumed}am {german_date(programme.deadline)}. "
                "Eine Verlängerung ist mir nicht bekannt.")
    return (Verdict.UNKNOWN,
            f"Für den {german_date(as_of)} nennt die Quelle keinen Förderzeitraum.")
