"""`Assistant.answer(question, as_of) → Answer`: understanding, matching, rules and text together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from . import compose
from .index import Analyzer, DocIndex, Scored, Unit, make_doc
from .model import Answer, FaqEntry, Judgement, Kind, Knowledge, Match, Service, Verdict
from .rules import Subject, judge
from .text import QUESTION_WORDS, stem, words
from .understand import _TAG, Analysis, Understanding


@dataclass(frozen=True)
class Thresholds:
    """Confidence bands on 0–1 scores. Tuned with `python -m bot eval --tune` on the tuning half of
    tests/data/eval.yaml and reported on the other half (see README)."""

    service_accept: float = 0.62
    service_margin: float = 0.10
    service_clarify: float = 0.40
    faq_accept: float = 0.50
    faq_strong: float = 0.72
    faq_clarify: float = 0.34


# Words every funding question shares: they must never decide which service is meant.
GENERIC_WORDS = """
forderfahig forderfahigkeit forderbar gefordert fordert fordern forderung forderungen forderprogramm programm
online onlineantrag onlinedienst onlinedienste onlineservice onlineangebot antrag antrage antrags beantragen
beantragt beantragung stellen gestellt assistent assistenten antragsassistent antragsassistenten
onlineantragsassistent onlineantragsassistenten dienst dienste service services leistung leistungen
verwaltungsleistung modul module formular formulare angebot angebote kisa shop onlineshop katalog
kosten kostet kostenlos kostenfrei gratis umsonst finanziert finanzierung ubernommen ubernimmt ubernehmen
bezahlt zahlt zahlen frist fristen wann lange ende endet lauft laufen ablauf abgelaufen noch mehr heute
aktuell derzeit momentan jahr jahre monat tag datum stichtag zeitraum gilt gelten gultig moglich geht gehen
nutzen nutzung genutzt verwenden einsetzen einfuhren bekommen kriegen erhalten gibt gibts hat haben neu
sachsen sachsisch sachsische sachsischen freistaat kommune kommunen gemeinde gemeinden stadt landkreis
verwaltung digital digitalisierung frage fragen info infos information bitte danke hallo ja nein
januar februar marz april mai juni juli august september oktober november dezember anfang mitte
berechtigt antragsberechtigt begunstigt profitieren abgedeckt umfasst unterstutzt erstattet rabatt
""".split()
# Words that make a cost question a funding question.
DOMAIN_WORDS = {stem(w) for w in """
forderung forderfahig gefordert fordern forderprogramm online onlinedienst antrag antragsassistent assistent
onlineantragsassistent dienst dienste service modul formular kisa sakd ozg anschubfinanzierung programm katalog
""".split()}
_STRONG_ELIGIBILITY = {stem(w) for w in """
forderfahig forderfahigkeit forderbar gefordert fordert fordern forderung finanziert finanzierung berechtigt
antragsberechtigt begunstigt profitieren abgedeckt umfasst zuschussfahig
""".split()}


@dataclass(frozen=True)
class _Found:
    services: list[Scored]
    faqs: list[Scored]
    units: list[Unit]


class Assistant:
    """Everything needed to answer, built once per knowledge version (no I/O while answering)."""

    def __init__(self, knowledge: Knowledge, thresholds: Thresholds | None = None):
        self.knowledge = knowledge
        self.thresholds = thresholds or Thresholds()
        texts = []
        for e in knowledge.entries:
            texts += [e.title, e.answer, *e.questions]
        for s in knowledge.services:
            texts += [s.name, s.id.replace("-", " "), s.topic, *s.keywords]
        for group in ("applicants", "regions", "costs", "service_types"):
            for term in getattr(knowledge.vocabulary, group):
                texts += list(term.words)
        self.analyzer = Analyzer(texts)
        self.understanding = Understanding(knowledge.vocabulary)
        ignore = {stem(w) for w in GENERIC_WORDS} | QUESTION_WORDS | self.understanding.term_stems
        self._ignore_for_services = frozenset(ignore)
        self.services = DocIndex(
            [make_doc(self.analyzer, s.id, s.name, [s.name, s.id.replace("-", " "), *s.keywords])
             for s in knowledge.services],
            ignore=frozenset(ignore),
        )
        self.faqs = DocIndex(
            [make_doc(self.analyzer, e.id, e.title, [e.title, *e.questions]) for e in knowledge.entries],
        )
        self._faq_strings = {e.id: [" ".join(words(q)) for q in (e.title, *e.questions)] for e in knowledge.entries}

    # ---- matching -----------------------------------------------------------------------------

    def _find(self, analysis: Analysis) -> _Found:
        plain = _TAG.sub(" ", analysis.text)
        units = self.analyzer.units(plain)
        entity = analysis.entity_stems
        service_units = [u for u in units if u.stem not in entity]
        services = self.services.search(service_units, limit=6)
        faqs = self.faqs.search(units, limit=8, phrase_weight=0.5)
        folded = " ".join(words(plain))
        rescored = []
        for hit in faqs:
            fuzzy = max(fuzz.token_set_ratio(folded, s, processor=None) for s in self._faq_strings[hit.id]) / 100
            rescored.append(Scored(hit.id, hit.title, 0.8 * hit.score + 0.2 * fuzzy, hit.phrase_cover, hit.query_cover))
        rescored.sort(key=lambda r: (-r.score, r.id))
        return _Found(services, rescored[:5], units)

    def _unknown_words(self, units: list[Unit], analysis: Analysis) -> list[str]:
        entity = analysis.entity_stems
        out = []
        for u in units:
            if u.known or u.corrected or len(u.surface) < 4 or u.surface.isdigit():
                continue
            if u.stem in entity or u.stem in self._ignore_for_services:
                continue
            out.append(u.surface)
        return out

    # ---- answering ----------------------------------------------------------------------------

    def answer(self, question: str, as_of: date, service_id: str | None = None) -> Answer:
        t = self.thresholds
        analysis = self.understanding.analyse(question, as_of)
        if analysis.abuse:
            return self._fallback(analysis, "abuse")
        if not analysis.has_letters:
            return self._fallback(analysis, "empty" if not analysis.text else "no_words")
        if analysis.only_smalltalk:
            return self._smalltalk(analysis)
        found = self._find(analysis)
        day = analysis.date or as_of
        stems = {u.stem for u in found.units}
        strong = bool(stems & _STRONG_ELIGIBILITY) or "fallt unter" in " ".join(words(analysis.text))
        domain = bool(stems & DOMAIN_WORDS) or bool(analysis.mentions)
        eligibility = strong or (analysis.asks_eligibility and domain)

        services = found.services
        faqs = found.faqs
        top_faq = faqs[0] if faqs else None
        faq_score = top_faq.score if top_faq else 0.0

        if service_id:
            service = self.knowledge.service(service_id)
            if service:
                return self._verdict(analysis, found, day, Subject(service=service, **self._parties(analysis)))

        top = services[0] if services else None
        runner_up = services[1].score if len(services) > 1 else 0.0
        confident = top is not None and top.score >= t.service_accept and top.score - runner_up >= t.service_margin
        faq_wins = top_faq is not None and faq_score >= t.faq_strong and (top is None or faq_score > top.score + 0.1)
        types = [x for x in analysis.ids("service_types") if x != "kisa"]

        if confident and not faq_wins:
            service = self.knowledge.service(top.id)
            return self._verdict(analysis, found, day, Subject(service=service, **self._parties(analysis)))
        if types and (eligibility or faq_score < t.faq_strong):
            return self._verdict(analysis, found, day, Subject(service_type=types[0], **self._parties(analysis)))
        if top is not None and top.score >= t.service_clarify and not faq_wins and (
            eligibility or faq_score < t.faq_accept
        ):
            close = [s for s in services if s.score >= max(t.service_clarify, top.score - 0.15)]
            if len(close) == 1 and top.score >= t.service_accept:
                service = self.knowledge.service(top.id)
                return self._verdict(analysis, found, day, Subject(service=service, **self._parties(analysis)))
            return self._clarify_services(analysis, found, close)

        parties = self._parties(analysis)
        party_named = parties["applicant"] or (parties["region"] and self._region_matters(parties["region"]))
        if party_named and (eligibility or faq_score < t.faq_accept):
            return self._verdict(analysis, found, day, Subject(**parties))
        costs = analysis.ids("costs")
        if costs and eligibility and not faq_wins:
            return self._verdict(analysis, found, day, Subject(cost=costs[0], **parties))

        unknown = self._unknown_words(found.units, analysis)
        if eligibility and unknown and (top_faq is None or top_faq.query_cover < 0.6):
            return self._verdict(analysis, found, day, Subject(unknown_service=" ".join(unknown[:3]), **parties))
        if top_faq is not None and faq_score >= t.faq_accept:
            return self._faq(analysis, found, self.knowledge.entry(top_faq.id), day)
        if costs and analysis.asks_eligibility:
            return self._verdict(analysis, found, day, Subject(cost=costs[0], **parties))
        if eligibility:
            return self._clarify_services(analysis, found, [s for s in services if s.score >= t.service_clarify / 2])
        if top_faq is not None and faq_score >= t.faq_clarify:
            return self._clarify_faq(analysis, found)
        return self._fallback(analysis, "out_of_scope", found)

    def _parties(self, analysis: Analysis) -> dict:
        applicants = analysis.ids("applicants")
        regions = analysis.ids("regions")
        # Among several applicants named, the one that decides the verdict is the problematic one.
        eligible = {a for p in self.knowledge.programmes for a in p.applicant_types}
        applicant = next((a for a in applicants if a not in eligible), applicants[0] if applicants else None)
        region = next((r for r in regions if self._region_matters(r)), regions[0] if regions else None)
        return {"applicant": applicant, "region": region}

    def _region_matters(self, region: str) -> bool:
        return any(p.applicant_regions and region not in p.applicant_regions for p in self.knowledge.programmes)

    # ---- answer builders ----------------------------------------------------------------------

    def _matches(self, found: _Found, services_first: bool = True) -> tuple[Match, ...]:
        svc = [Match(s.id, s.title, round(s.score * 100, 1), "service") for s in found.services[:3]]
        faq = [Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in found.faqs[:3]]
        return tuple(svc + faq if services_first else faq + svc)

    def _judgements(self, subject: Subject, day: date) -> list[Judgement]:
        judgements = [j for p in self.knowledge.programmes
                      if (j := judge(p, subject, day, self.knowledge.vocabulary)) is not None]
        judgements.sort(key=lambda j: -j.specificity)  # stable: file order among equals
        return judgements

    def _verdict(self, analysis: Analysis, found: _Found, day: date, subject: Subject) -> Answer:
        k = self.knowledge
        judgements = self._judgements(subject, day)
        service = subject.service
        label = compose.subject_label(service, k, subject.service_type, subject.applicant, subject.cost,
                                      subject.unknown_service)
        if not judgements:
            text = compose.join(
                f"{compose.HEADLINES[Verdict.UNKNOWN]}: {label}" if label else compose.HEADLINES[Verdict.UNKNOWN],
                [f"Stand der Frage: {compose.german_date(day)}",
                 "Keines der bekannten Förderprogramme sagt etwas darüber. Ich rate hier nicht; fragen Sie bitte "
                 "den Support oder den Zweckverband KISA."],
                [compose.NOT_BINDING],
            )
            return Answer(Kind.ANSWER, text, verdict=Verdict.UNKNOWN, reasons=("Kein Förderprogramm trifft zu.",),
                          service=service.id if service else None, matches=self._matches(found),
                          knowledge_version=k.version, as_of=day,
                          headline=text.split("\n\n")[0])
        main = judgements[0]
        programme = k.programme(main.programme)
        headline, paragraphs = compose.verdict_paragraphs(
            k, judgements, service=service, label=label, day=day, day_from_question=analysis.date is not None,
            asks_deadline=analysis.asks_deadline,
        )
        if subject.unknown_service or (service is not None and service.status == "geplant"):
            paragraphs.append(compose.catalogue_sample_note(k))
        sources = tuple(dict.fromkeys(s for j in judgements if (s := k.source(k.programme(j.programme).source))))
        text = compose.join(headline, paragraphs, [compose.source_line(sources), compose.NOT_BINDING])
        reasons = tuple(r for j in judgements for r in j.reasons)
        return Answer(
            kind=Kind.ANSWER,
            text=text,
            verdict=main.verdict,
            deadline=programme.deadline,
            programme=programme.id,
            reasons=reasons,
            service=service.id if service else None,
            matches=self._matches(found),
            sources=sources,
            knowledge_version=k.version,
            as_of=day,
            headline=headline,
            judgements=tuple(judgements),
            confidence=found.services[0].score if service and found.services else 1.0,
        )

    def _faq(self, analysis: Analysis, found: _Found, entry: FaqEntry, day: date) -> Answer:
        k = self.knowledge
        source = k.source(entry.source)
        sources = (source,) if source else ()
        paragraphs = compose.faq_paragraphs(k, entry)
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
                    paragraphs.append(f"Stand der Frage {compose.german_date(day)}: "
                                      f"{compose.HEADLINES[verdict]}. " + " ".join(reasons))
                    if verdict in (Verdict.EXPIRED, Verdict.UNKNOWN):
                        paragraphs.append(compose.contact_hint(k, programme.contacts))
            if analysis.asks_deadline or entry.verdict:
                paragraphs.append(compose.deadline_line(programme, asks_deadline=False))
        footer = [compose.source_line(sources)]
        if verdict is not None:
            footer.append(compose.NOT_BINDING)
        text = compose.join(entry.title, paragraphs, footer)
        return Answer(
            kind=Kind.ANSWER, text=text, verdict=verdict, deadline=deadline, programme=programme_id,
            reasons=reasons, matches=self._matches(found, services_first=False), sources=sources,
            knowledge_version=k.version, as_of=day, headline=entry.title, judgements=tuple(judgements),
            faq=entry.id, confidence=found.faqs[0].score if found.faqs else 0.0,
        )

    def _clarify_services(self, analysis: Analysis, found: _Found, candidates: list[Scored]) -> Answer:
        k = self.knowledge
        matches = tuple(Match(s.id, s.title, round(s.score * 100, 1), "service") for s in candidates[:5])
        if matches:
            lines = [f"• {m.title}" for m in matches]
            text = compose.join("Welchen Online-Antragsassistenten meinen Sie?",
                                ["Ich habe mehrere passende Einträge im Katalog gefunden:", "\n".join(lines),
                                 "Wählen Sie einen aus oder nennen Sie den Namen genauer, z. B. "
                                 "»Ist der Hundesteuer-Assistent förderfähig?«."], [])
        else:
            text = compose.join("Welchen Online-Antragsassistenten meinen Sie?",
                                ["Ihre Frage nennt keinen bestimmten Assistenten, Antragsteller oder Kostenart. "
                                 "Nennen Sie bitte, worum es geht, z. B. »Ist der Hundesteuer-Assistent "
                                 "förderfähig?«, »Sind Landkreise antragsberechtigt?« oder »Bis wann läuft die "
                                 "Förderung?«. Mit /katalog sehen Sie die Themenfelder."], [])
        return Answer(Kind.CLARIFY, text, matches=matches, knowledge_version=k.version,
                      as_of=analysis.date, headline="Welchen Online-Antragsassistenten meinen Sie?",
                      confidence=candidates[0].score if candidates else 0.0)

    def _clarify_faq(self, analysis: Analysis, found: _Found) -> Answer:
        k = self.knowledge
        matches = tuple(Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in found.faqs[:3])
        text = compose.join("Meinten Sie eine dieser Fragen?", ["\n".join(f"• {m.title}" for m in matches),
                            "Wenn nicht, formulieren Sie Ihre Frage bitte anders oder fragen Sie den Support."], [])
        return Answer(Kind.CLARIFY, text, matches=matches, knowledge_version=k.version,
                      headline="Meinten Sie eine dieser Fragen?", confidence=found.faqs[0].score)

    def _smalltalk(self, analysis: Analysis) -> Answer:
        replies = {
            "greeting": "Guten Tag! Ich beantworte Fragen zur Förderung der Online-Antragsassistenten in Sachsen, "
                        "z. B. »Ist der Hundesteuer-Assistent förderfähig, und bis wann?«.",
            "thanks": "Gern geschehen! Fragen Sie jederzeit wieder.",
            "bye": "Auf Wiedersehen! Bei neuen Fragen bin ich da.",
        }
        text = replies[analysis.smalltalk or "greeting"]
        return Answer(Kind.SMALLTALK, text, knowledge_version=self.knowledge.version, headline=text)

    def _fallback(self, analysis: Analysis, reason: str, found: _Found | None = None) -> Answer:
        intro = {
            "empty": "Bitte stellen Sie eine Frage in Worten.",
            "no_words": "Ich verstehe nur Fragen in Worten, keine Zeichen oder Emojis allein.",
            "abuse": "Darauf antworte ich nicht. Ich beantworte nur Fragen zur Förderung von "
                     "Online-Antragsassistenten und halte mich dabei an meine Quellen.",
            "out_of_scope": "Dazu weiß ich nichts – das liegt außerhalb dessen, was ich beantworten kann.",
        }[reason]
        text = compose.join(
            intro,
            ["Ich beantworte Fragen zur Förderung der Online-Antragsassistenten für sächsische Kommunen: ob ein "
             "Assistent förderfähig ist und bis wann, was gefördert wird, wer profitiert und was ausgeschlossen ist. "
             "Beispiel: »Ist der Hundesteuer-Assistent förderfähig?«",
             "Für alles andere wenden Sie sich bitte an den Support."],
            [],
        )
        return Answer(Kind.FALLBACK, text, knowledge_version=self.knowledge.version, headline=intro)
