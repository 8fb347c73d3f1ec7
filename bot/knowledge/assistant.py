"""`Assistant.answer(question, as_of) → Answer`: understanding, matching, rules and text together."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from . import compose
from .index import Analyzer, DocIndex, Scored, Unit, make_doc
from .model import Answer, FaqEntry, Judgement, Kind, Knowledge, Match, Service, Verdict
from .rules import Subject, judge, judge_all
from .text import QUESTION_WORDS, fold, stem, words
from .understand import _TAG, Analysis, Understanding


@dataclass(frozen=True)
class Thresholds:
    """Confidence bands on 0–1 scores. Tuned with `python -m bot eval --tune` on the tuning half of
    tests/data/eval.yaml and reported on the other half (see README)."""

    service_accept: float = 0.62
    service_margin: float = 0.10
    service_clarify: float = 0.40
    faq_accept: float = 0.58
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
fallen fallt land bund staat landtag klein kleine gross neu alt ganz gut schnell einfach ander weit lang kurz
hoch
""".split()
# Words that make a cost question a funding question.
DOMAIN_WORDS = {stem(w) for w in """
forderung forderfahig gefordert fordern forderprogramm online onlinedienst antrag antragsassistent assistent
onlineantragsassistent dienst dienste service modul formular kisa sakd ozg anschubfinanzierung programm katalog
""".split()}
# Words naming the funding programme itself (by the start of the folded word).
_PROGRAMME_WORDS = ("forderung", "forderprogramm", "anschubfinanzierung", "programm", "fordermittel", "finanzierung")
_SERVICE_WORDS = {stem(w) for w in """
assistent assistenten antragsassistent onlineantragsassistent online onlinedienst antrag formular dienst modul
service beantragen anmeldung genehmigung erlaubnis
""".split()}
_VAGUE = {stem(w) for w in """
forderfahig forderbar gefordert fordert fordern forderung assistent assistenten antragsassistent online antrag
onlineantragsassistent dienst service modul formular angebot nutzen
""".split()}


_NEGATION = re.compile(r"\b(?:nicht|kein\w*|ohne|ausser|nur nicht)\s+(?:(?:die|der|das|den|dem|des|fur|zum|zur|um)\s+)?(\w+)")


# Word commonness on the Zipf scale (wordfreq): below NAME_COMMONNESS an unknown word is taken as the
# name of something the bot does not know; below RARE_WORD (or a capitalised noun below EVERYDAY_WORD)
# it may name a service missing from the catalogue.
NAME_COMMONNESS = 4.0
RARE_WORD = 4.6
EVERYDAY_WORD = 5.0
def _negated(text: str) -> set[str]:
    """Words the question excludes: "Anliegerbescheinigung (nicht die Hausnummer!)"."""
    return {m.group(1) for m in _NEGATION.finditer(" ".join(words(text)))}


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
        self.analyzer = Analyzer(texts, knowledge.synonyms)
        self.understanding = Understanding(knowledge.vocabulary)
        ignore = {stem(w) for w in GENERIC_WORDS} | QUESTION_WORDS | self.understanding.term_stems
        ignore |= {self.analyzer.canonical.get(s, s) for s in ignore}
        self._ignore_for_services = frozenset(ignore)
        self.services = DocIndex(
            [make_doc(self.analyzer, s.id, s.name, [s.name, s.id.replace("-", " "), *s.keywords])
             for s in knowledge.services],
            ignore=frozenset(ignore),
            skip_numbers=True,
            tails=True,
            # A long question describes its case in words the catalogue never uses ("Heimatfest",
            # "Bierwagen"); they must not drown the one word that names the service.
            unknown_factor=0.4,
        )
        self.faqs = DocIndex(
            [make_doc(self.analyzer, e.id, e.title, [e.title, *e.questions], context=e.answer)
             for e in knowledge.entries],
            tails=True,
        )
        self._faq_strings = {e.id: [" ".join(words(q)) for q in (e.title, *e.questions)] for e in knowledge.entries}
        # Phrasings of up to four words, for questions made only of function words ("Was kannst du?").
        self._short_phrasings = [(p, e_id) for e_id, ps in self._faq_strings.items() for p in ps if len(p.split()) <= 4]

    # ---- matching -----------------------------------------------------------------------------

    def _find(self, analysis: Analysis) -> _Found:
        plain = _TAG.sub(" ", analysis.text)
        if analysis.date_text:
            plain = fold(plain).replace(analysis.date_text, " ")
        units = self.analyzer.units(plain)
        entity = analysis.entity_stems
        negated = _negated(plain)
        service_units = [u for u in units if u.stem not in entity and u.surface not in negated]
        services = self.services.search(service_units, limit=6)
        faqs = self.faqs.search(units, limit=8, phrase_weight=0.5)
        folded = " ".join(words(plain))
        rescored = []
        for hit in faqs:
            fuzzy = max(fuzz.token_set_ratio(folded, s, processor=None) for s in self._faq_strings[hit.id]) / 100
            rescored.append(Scored(hit.id, hit.title, 0.8 * hit.score + 0.2 * fuzzy, hit.phrase_cover, hit.query_cover,
                                   hit.strong_cover))
        rescored.sort(key=lambda r: (-r.score, r.id))
        return _Found(services, rescored[:5], units)

    def _unexplained(self, found: _Found, analysis: Analysis) -> list[str]:
        """Words that look like the name of something and that neither the best service nor the best
        FAQ entry explains (German nouns are capitalised; in an all-lower-case question every word counts)."""
        entity = analysis.entity_stems
        capitalised = self._capitalised(analysis)
        lower_case_question = analysis.text == analysis.text.lower()
        top_service = found.services[0].id if found.services and found.services[0].score >= \
            self.thresholds.service_clarify else None
        top_faq = found.faqs[0].id if found.faqs else None
        out = []
        for u in found.units:
            if len(u.surface) < 4 or u.surface.isdigit() or u.stem in entity or u.stem in self._ignore_for_services:
                continue
            if self.analyzer.in_vocabulary(u):
                continue  # a word the knowledge itself uses is no unknown name
            # A name of something: rare in German, or a capitalised noun that is not an everyday word.
            if not (u.commonness < RARE_WORD
                    or (u.surface in capitalised and not lower_case_question and u.commonness < EVERYDAY_WORD)):
                continue
            if top_service and self.services.credit(u, top_service) >= 0.7:
                continue  # a shared last part alone ("Reisepass" ~ "Reisegewerbekarte") explains nothing
            if top_faq and self.faqs.credit(u, top_faq) > 0:
                continue
            out.append(u.surface)
        return out

    def _unmatched_numbers(self, found: _Found) -> list[str]:
        """Numbers (not years) that the best FAQ entry does not contain: "17 mal 23" is no FAQ question."""
        top_faq = found.faqs[0].id if found.faqs else None
        return [u.surface for u in found.units if u.surface.isdigit() and not (1990 <= int(u.surface) <= 2099)
                and not (top_faq and self.faqs.credit(u, top_faq) > 0)]

    @staticmethod
    def _capitalised(analysis: Analysis) -> set[str]:
        return {fold(w) for w in re.findall(r"\b[A-ZÄÖÜ][\wäöüß]+", analysis.text)}

    @staticmethod
    def _is_w_question(analysis: Analysis) -> bool:
        first = words(analysis.text)[:6]
        return any(w in QUESTION_WORDS for w in first) or "bedeutet" in first or "heisst" in first

    # ---- answering ----------------------------------------------------------------------------

    def answer(self, question: str, as_of: date, service_id: str | None = None, faq_id: str | None = None) -> Answer:
        """Answer one question as of a date; `service_id` or `faq_id` answer it for a chosen
        catalogue entry or FAQ entry (after a clarifying question)."""
        t = self.thresholds
        analysis = self.understanding.analyse(question, as_of)
        if faq_id and (entry := self.knowledge.entry(faq_id)):
            return self._faq(analysis, self._find(analysis), entry, analysis.date or as_of)
        if analysis.abuse:
            return self._fallback(analysis, "abuse")
        if not analysis.has_letters:
            return self._fallback(analysis, "empty" if not analysis.text else "no_words")
        if analysis.only_smalltalk:
            return self._smalltalk(analysis)
        if analysis.invalid_date:
            text = (f"Das Datum »{analysis.date_text}« gibt es nicht. Bitte prüfen Sie es und fragen Sie noch einmal, "
                    "z. B. »War der Wohngeld-Assistent am 30.06.2023 förderfähig?«.")
            return Answer(Kind.CLARIFY, text, knowledge_version=self.knowledge.version, headline=text.split(". ")[0],
                          as_of=as_of)
        found = self._find(analysis)
        day = analysis.date or as_of
        stems = {u.stem for u in found.units}
        folded = " ".join(words(analysis.text))
        domain = bool(stems & DOMAIN_WORDS) or bool(analysis.mentions)
        eligibility = analysis.strong_eligibility or (analysis.asks_eligibility and domain)
        unknown = self._unexplained(found, analysis)
        # With a catalogue service in sight, people the question only mentions are its users.
        parties = self._parties(analysis, service_named=bool(found.services)
                                and found.services[0].score >= t.service_clarify)

        types = [x for x in analysis.ids("service_types") if x != "kisa"]
        costs = analysis.ids("costs")

        def verdict(**subject) -> Answer:
            return self._verdict(analysis, found, day, Subject(**subject, **parties))

        # Of several costs named, the one that decides the verdict is one not covered.
        cost = next((c for c in costs if not self._cost_covered(c)), costs[0] if costs else None)

        def service_verdict(service) -> Answer:
            return self._verdict(analysis, found, day, Subject(
                service=service, service_type=types[0] if types else None, cost=cost,
                **self._parties(analysis, service_named=True)))

        if service_id and (service := self.knowledge.service(service_id)):
            return service_verdict(service)

        services, faqs = found.services, found.faqs
        top = services[0] if services else None
        second = services[1] if len(services) > 1 else None
        top_faq = faqs[0] if faqs else None
        faq_score = top_faq.score if top_faq else 0.0
        # Unexplained names ("Zugspitze") make an FAQ match on the remaining words suspect.
        # Names are nouns: capitalised in a normally written question ("auflisten" is a verb).
        capitalised = self._capitalised(analysis)
        lower_case = analysis.text == analysis.text.lower()
        names = [u.surface for u in found.units if u.surface in unknown and u.commonness < NAME_COMMONNESS
                 and (lower_case or u.surface in capitalised)]
        names += self._unmatched_numbers(found)
        faq_ok = top_faq is not None and faq_score >= t.faq_accept and (
            # a whole phrasing of the entry stands in the question ("Bin neu hier: Was ist ein …?")
            (top_faq.phrase_cover >= 0.95 and top_faq.query_cover >= 0.25)
            or ((top_faq.phrase_cover >= 0.4 or top_faq.query_cover >= 0.7)
                and (top_faq.query_cover >= 0.4 if not names else
                     top_faq.query_cover >= 0.65 or top_faq.phrase_cover >= 0.8)))
        faq_strong = faq_ok and faq_score >= t.faq_strong

        # 1. A catalogue service, named clearly enough.
        if top is not None and top.score >= t.service_accept:
            ambiguous = second is not None and second.score >= t.service_clarify and (
                top.score - second.score < t.service_margin
                or second.strong_cover >= max(0.5, top.strong_cover - 0.05)
            ) and top.query_cover - second.query_cover < 0.2  # the top one explains much more of the question
            if not ambiguous and (eligibility or not faq_strong or top.score >= faq_score):
                return service_verdict(self.knowledge.service(top.id))
        # 1b. A single candidate service, found by the words that name it, with nothing competing.
        if (top is not None and eligibility and top.score >= t.service_clarify + 0.1 and top.phrase_cover >= 0.6
                and (second is None or second.score < t.service_clarify) and not faq_strong):
            return service_verdict(self.knowledge.service(top.id))
        # A W-question ("Wer …?", "Was heißt …?") asks for a fact: a fitting FAQ entry beats a verdict
        # on a type, applicant or cost; a yes/no question asks for a verdict.
        w_question = self._is_w_question(analysis)
        fact_question = w_question and faq_ok
        # 2. A kind of service (EfA, landeslizenziert, Eigenentwicklung) asked about.
        if types and not fact_question and (eligibility or not faq_ok):
            return verdict(service_type=types[0])
        # 3. An applicant or a region that decides eligibility (refused, not named, another Land).
        if self._party_decides(parties) and not fact_question and (eligibility or not faq_ok):
            return verdict()
        # 4. A cost type asked about.
        if cost and not fact_question and (eligibility or not faq_ok):
            return verdict(cost=cost)
        # 5. Several services fit well: ask back which one is meant.
        plausible = top is not None and top.score >= t.service_clarify and not fact_question and (
            eligibility or (not faq_ok and not names))
        close = [s for s in services if s.score >= t.service_clarify
                 and (s.score >= top.score - 0.2 or s.strong_cover >= 0.75)] if plausible else []
        if plausible and top.strong_cover >= 0.5:
            return self._clarify_services(analysis, found, close)
        # 6. Something the knowledge does not know, asked about as a funding question (a W-question
        #    with an unknown word is more likely a fact question in other words).
        # A named municipality with an unknown word ("eine Gemeinde im Erzgebirge") asks about itself,
        # unless the question is about an assistant or online service.
        about_service = bool(stems & _SERVICE_WORDS) or (analysis.strong_eligibility and not parties["applicant"])
        if eligibility and unknown and about_service and not (faq_ok and top_faq.query_cover >= 0.75) and not (
            w_question and faq_score >= t.faq_clarify
        ):
            return verdict(unknown_service=" ".join(unknown[:3]))
        # 6b. Services that share only a part with the question ("Grundsteuer" vs "Gewerbesteuer"):
        #     the asked-for thing is another one, not in the catalogue; otherwise ask back.
        if plausible:
            partial = [u.surface for u in found.units if (u.parts or u.tail) and self.services.credit(u, top.id) < 0.7
                       and not (u.tail is None and self.analyzer.in_vocabulary(u))
                       and u.stem not in self._ignore_for_services]
            if eligibility and partial:
                return verdict(unknown_service=" ".join(partial[:2]))
            return self._clarify_services(analysis, found, close)
        # 6c. A Saxon municipality asking in general: the programme's verdict for it.
        if parties["applicant"] and eligibility and not fact_question:
            return verdict()
        # 7. A yes/no funding question that names nothing: ask back.
        if eligibility and self._is_vague(found.units, analysis):
            return self._clarify_services(analysis, found, [])
        # 8. A fact from the FAQ.
        if faq_ok:
            return self._faq(analysis, found, self.knowledge.entry(top_faq.id), day)
        # 8b. "Bis wann können wir die Anschubfinanzierung nutzen?": the programme's status, from the
        #     entries whose answer carries the date-dependent verdict.
        status = self._status_entry(analysis, found)
        if status is not None:
            return self._faq(analysis, found, status, day)
        if all(u.stem in QUESTION_WORDS for u in found.units):
            entry = self._whole_phrase_match(folded)
            if entry is not None:
                return self._faq(analysis, found, entry, day)
        if eligibility:
            return self._clarify_services(analysis, found, [s for s in services if s.score >= t.service_clarify / 2])
        if top_faq is not None and faq_score >= t.faq_clarify and top_faq.query_cover >= 0.5 and not unknown:
            return self._clarify_faq(analysis, found)
        return self._fallback(analysis, "out_of_scope")

    def _status_entry(self, analysis: Analysis, found: _Found) -> FaqEntry | None:
        """For a deadline question about the programme itself (nothing else named): the best-matching
        FAQ entry that answers with the programme's verdict at the date asked."""
        if not analysis.asks_deadline or analysis.mentions:
            return None
        folded = words(analysis.text)
        if not any(w.startswith(_PROGRAMME_WORDS) for w in folded):
            return None
        candidates = [e for e in self.knowledge.entries if e.verdict]
        scores = {f.id: f.score for f in found.faqs}
        return max(candidates, key=lambda e: scores.get(e.id, 0.0), default=None)

    def _is_vague(self, units: list[Unit], analysis: Analysis) -> bool:
        """"Ist das förderfähig?": only funding words, no question word, nothing named."""
        if analysis.mentions or any(w in QUESTION_WORDS for w in words(analysis.text)):
            return False
        return all(u.stem in _VAGUE or u.surface.isdigit() for u in units)

    def _whole_phrase_match(self, folded: str) -> FaqEntry | None:
        """For questions made only of function words ("Was kannst du?"): a near-verbatim phrasing."""
        best = process.extractOne(folded, [p for p, _ in self._short_phrasings], scorer=fuzz.ratio,
                                  processor=None, score_cutoff=90)
        return self.knowledge.entry(self._short_phrasings[best[2]][1]) if best else None

    def nearest(self, question: str, as_of: date) -> Match | None:
        """The catalogue service or FAQ entry a question came closest to, whatever the answer was
        (the support team's hint where a new phrasing or keyword belongs)."""
        found = self._find(self.understanding.analyse(question, as_of))
        candidates = [Match(s.id, s.title, round(s.score * 100, 1), "service") for s in found.services[:1]]
        candidates += [Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in found.faqs[:1]]
        return max(candidates, key=lambda m: m.score, default=None)

    def _parties(self, analysis: Analysis, service_named: bool = False) -> dict:
        """The applicant and region that decide. With a service named, people and bodies the question
        only mentions ("der Sportverein will …", "ein Bürger braucht …") are users of the service, not
        applicants: only public bodies, or whoever names itself ("wir als Verein"), count."""
        public = {a for p in self.knowledge.programmes for a in p.applicant_types}
        private = {a for p in self.knowledge.programmes for a, _ in p.not_eligible_applicants}
        mentions = [m for m in analysis.mentions if m.group == "applicants"
                    and (not service_named or m.self_named or (m.id not in private and m.id != "verein") or m.id in public)]
        applicants = tuple(dict.fromkeys(m.id for m in mentions))
        regions = analysis.ids("regions")
        # Among several applicants named, the one that decides the verdict is the problematic one.
        eligible = {a for p in self.knowledge.programmes for a in p.applicant_types}
        applicant = next((a for a in applicants if a not in eligible), applicants[0] if applicants else None)
        region = next((r for r in regions if self._region_matters(r)), regions[0] if regions else None)
        return {"applicant": applicant, "region": region}

    def _cost_covered(self, cost: str) -> bool:
        return all(cost in p.costs for p in self.knowledge.programmes)

    def _party_decides(self, parties: dict) -> bool:
        """An applicant or region that some programme does not simply accept."""
        applicant, region = parties["applicant"], parties["region"]
        if region and self._region_matters(region):
            return True
        return bool(applicant) and any(applicant not in p.applicant_types for p in self.knowledge.programmes)

    def _region_matters(self, region: str) -> bool:
        return any(p.applicant_regions and region not in p.applicant_regions for p in self.knowledge.programmes)

    # ---- answer builders ----------------------------------------------------------------------

    def _matches(self, found: _Found, services_first: bool = True) -> tuple[Match, ...]:
        svc = [Match(s.id, s.title, round(s.score * 100, 1), "service") for s in found.services[:3]]
        faq = [Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in found.faqs[:3]]
        return tuple(svc + faq if services_first else faq + svc)

    def _verdict(self, analysis: Analysis, found: _Found, day: date, subject: Subject) -> Answer:
        k = self.knowledge
        judgements = judge_all(k, subject, day)
        service = subject.service
        label = compose.subject_label(service, k, subject.service_type, subject.applicant, subject.cost,
                                      subject.unknown_service, subject.region)
        if not judgements:
            text = compose.join(
                f"{compose.HEADLINES[Verdict.UNKNOWN]}: {label}" if label else compose.HEADLINES[Verdict.UNKNOWN],
                [f"Stand der Frage: {compose.german_date(day)}",
                 "Keines der bekannten Förderprogramme sagt etwas darüber. Ich rate hier nicht.",
                 self._support_line()],
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
                                ["Ihre Frage nennt keinen bestimmten Assistenten, keinen Antragsteller und keine Kostenart. "
                                 "Nennen Sie bitte, worum es geht, z. B. »Ist der Hundesteuer-Assistent "
                                 "förderfähig?«, »Sind Landkreise antragsberechtigt?« oder »Bis wann läuft die "
                                 "Förderung?«. Mit /katalog sehen Sie die Themenfelder."], [])
        return Answer(Kind.CLARIFY, text, matches=matches, knowledge_version=k.version,
                      as_of=analysis.date or analysis.as_of, headline="Welchen Online-Antragsassistenten meinen Sie?",
                      confidence=candidates[0].score if candidates else 0.0)

    def _clarify_faq(self, analysis: Analysis, found: _Found) -> Answer:
        k = self.knowledge
        matches = tuple(Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in found.faqs[:3])
        text = compose.join("Meinten Sie eine dieser Fragen?", ["\n".join(f"• {m.title}" for m in matches),
                            "Wenn nicht, formulieren Sie Ihre Frage bitte anders oder fragen Sie den Support."], [])
        return Answer(Kind.CLARIFY, text, matches=matches, knowledge_version=k.version,
                      headline="Meinten Sie eine dieser Fragen?", confidence=found.faqs[0].score,
                      as_of=analysis.date or analysis.as_of)

    def _support_line(self) -> str:
        """Whom to ask, from the contacts in the knowledge files (never from code)."""
        contact = self.knowledge.contact("support")
        if contact is None:
            return "Wenden Sie sich bitte an den Support."
        reach = ", ".join(x for x in (contact.email, contact.phone, contact.web) if x)
        return f"Wenden Sie sich bitte an: {contact.name}" + (f" ({reach})." if reach else ".")

    def _smalltalk(self, analysis: Analysis) -> Answer:
        replies = {
            "greeting": "Guten Tag! Ich beantworte Fragen zur Förderung der Online-Antragsassistenten in Sachsen, "
                        "z. B. »Ist der Hundesteuer-Assistent förderfähig, und bis wann?«.",
            "thanks": "Gern geschehen! Fragen Sie jederzeit wieder.",
            "bye": "Auf Wiedersehen! Bei neuen Fragen bin ich da.",
        }
        text = replies[analysis.smalltalk or "greeting"]
        return Answer(Kind.SMALLTALK, text, knowledge_version=self.knowledge.version, headline=text,
                      as_of=analysis.date or analysis.as_of)

    def _fallback(self, analysis: Analysis, reason: str) -> Answer:
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
             self._support_line()],
            [],
        )
        return Answer(Kind.FALLBACK, text, knowledge_version=self.knowledge.version, headline=intro,
                      as_of=analysis.date or analysis.as_of)
