"""The decision stage: named rules in one ordered table. The first rule that applies builds the intent.

Each rule reads a `Context` (the question, its features and candidates, and values derived from them
once) and returns an `Intent`; `route(ctx)` records which rule decided. Every number compared here
lives in `Thresholds`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from rapidfuzz import fuzz, process

from .candidates import Candidates, Matcher
from .features import Cue, Features, Mention
from .index import Scored, Unit
from .intents import (ClarifyDateIntent, ClarifyFaqIntent, ClarifyServicesIntent, FallbackIntent, FaqIntent,
                      Intent, ListIntent, SmalltalkIntent, VerdictIntent, VerdictsIntent)
from .lexicon import (AFTER_AUCH, BOTH, CITIZEN_REQUEST, DONT_KNOW_WHICH, EXCLUSION_ASKED, HYPHENATED, INVESTMENT, MONEY_FOR, OTHER_PROGRAMME, STILL, NAMED_BEFORE_KIND, ONE_OF_SEVERAL, PROCEDURE_OF, SENTENCE_END, LEXICON, NEW_THING, LIST_AVAILABLE, LIST_BY_SUBJECT, LIST_REQUEST, LIST_FUNDED, LIST_KISA, LIST_PLANNED,
                      LIST_SUBJECT, LIST_SUBJECT_OF_SEVERAL, TOPIC_OF)
from .model import FaqEntry, Knowledge, Service
from .question import Question
from .model import Subject
from .text import as_typed, commonness, fold, stem, words
from .thresholds import Thresholds


@dataclass
class Context:
    """Everything a rule may read. Derived values are computed once, on first use."""

    question: Question
    features: Features
    candidates: Candidates
    knowledge: Knowledge
    thresholds: Thresholds
    matcher: Matcher
    chosen_service: Service | None = None  # picked after a clarifying question
    chosen_faq: FaqEntry | None = None

    # ---- what is asked ----

    def has(self, *cues: Cue) -> bool:
        return self.features.has(*cues)

    @cached_property
    def eligibility(self) -> bool:
        """A funding question: a funding word proper, or a paying word in this domain (its words, or a
        catalogue service named clearly: "eKOL-KFZ – ist das mit drin?")."""
        if self.has(Cue.STRONG_ELIGIBILITY):
            return True
        if self.has(Cue.ABOUT_SERVICE) and self.has(Cue.ANYTHING_FOR, Cue.PROGRAMME):
            return True  # "Führungszeugnis online – gibts da was aus dem Programm?", "ist die im Förderprogramm?"
        top = self.candidates.top_service
        named = top is not None and top.score >= self.thresholds.service_accept
        return self.has(Cue.ELIGIBILITY) and (self.has(Cue.DOMAIN) or named)

    @cached_property
    def fact_question(self) -> bool:
        """A W-question with a fitting FAQ entry asks for a fact, not for a verdict – unless it asks
        whether a covered cost is paid ("Wer trägt die Kosten der Weiterentwicklung?"): then the verdict
        with the source's words on that cost answers it."""
        if not (self.has(Cue.W_QUESTION) and self.faq_ok):
            return False
        if self.has(Cue.DEFINITION):
            return True
        costs = self.features.ids("costs")
        covered = any(p.cost_text(cost) for cost in costs for p in self.knowledge.programmes)
        return not (covered and self.has(Cue.ELIGIBILITY, Cue.PERIOD_QUESTION))

    @cached_property
    def verdict_wanted(self) -> bool:
        """A rule on a type, party or cost speaks unless the question asks for a fact the FAQ has; a date
        in the question asks for the verdict at that date ("Rabatt auf Pflege – gilt der 2025 noch?")."""
        if self.fact_question:
            return False
        return self.eligibility or not self.faq_ok or self.question.day_from_question

    # ---- what is named ----

    @cached_property
    def service_types(self) -> tuple[str, ...]:
        """Kinds of service named; an own development described in plain words counts first."""
        vocab = self.knowledge.vocabulary
        named = [x for x in self.features.ids("service_types") if x not in vocab.default_service_types]
        own = vocab.own_development_type
        if own and self.has(Cue.REPLACES_OWN):  # "… abschalten und den KISA-Assistenten nehmen"
            return tuple(x for x in named if x != own)
        if own and (self.has(Cue.OWN_DEVELOPMENT) or own in named):
            # first: an own development is excluded, whatever else it is ("nicht von KISA, sondern selbst gebaut")
            named = [own, *(x for x in named if x != own)]
        return tuple(named)

    @cached_property
    def named_service(self) -> Service | None:
        """A catalogue service named clearly and without a rival."""
        top = self.candidates.top_service
        if top is None or top.score < self.thresholds.service_accept or self.service_ambiguous:
            return None
        return None if self.top_named_by_money_only else self.knowledge.service(top.id)

    @cached_property
    def top_named_by_money_only(self) -> bool:
        """The top service is found only by a word for money ("Zuschuss" of "Zuschuss für Vereine")."""
        return bool(self.top_service_words) and not self.top_service_naming_words - LEXICON.money_stems

    @cached_property
    def cost(self) -> str | None:
        """Of several costs named, the one that decides the verdict: one not covered. Words the named
        service itself uses are its subject, not a cost of the assistant ("entgangener Lohn" of the
        Feuerwehr-Verdienstausfall)."""
        service, index = self.named_service, self.matcher.services
        own = {s for m in self.features.mentions if m.group == "costs" and service is not None
               for s in m.words if any(index.credit(u, service.id) >= self.thresholds.index.as_part
                                       for u in self.candidates.units if u.stem == s)}
        costs = tuple(dict.fromkeys(m.id for m in self.features.mentions
                                    if m.group == "costs" and not set(m.words) & own and self._asked(m)))
        covered = {c for c in costs if all(c in p.costs for p in self.knowledge.programmes)}
        return next((c for c in costs if c not in covered), costs[0] if costs else None)

    @cached_property
    def asking_words(self) -> frozenset[str] | None:
        """The words of the sentences that ask, when the others only tell ("Wir haben zwei Mitarbeiter für Tiefbau. Nun
        die Frage: Wird der Aufgrabe-Assistent … finanziert?"); None when the whole text asks, or when a short question
        points back to what comes before ("Die Bürger zahlen eine Verwaltungsgebühr. Übernimmt die Förderung auch diese
        Gebühr?", "Beherbergungssteuer-Erklärung online – … Förderfähig?")."""
        asked = self.question.asked_words
        return None if asked is None or len(asked) <= SHORT_QUESTION or asked & POINTERS else asked

    def _asked(self, mention: Mention) -> bool:
        """A term named where the question asks, or before a short question that points back to it ("Wir haben
        Personalkosten. Werden die übernommen?"); not one of a sentence that only tells who asks."""
        asked = self.asking_words
        return asked is None or bool({stem(w) for w in asked} & set(mention.words))

    def parties(self, service_named: bool, service: Service | None = None) -> dict:
        """The applicant and region that decide. With a service named, people and bodies the question
        only mentions ("der Sportverein will …", "die Stadtwerke wollen den Gehweg aufgraben") are users
        of the service, not applicants: they count only when they name themselves ("wir als Verein") or
        ask for the funding ("Kann ein Verein den Assistenten nutzen?"). A region in the named service's
        own words ("Digitale Baugenehmigung (EfA, Mecklenburg-Vorpommern)") is where the service comes
        from, not where the asker is."""
        k = self.knowledge
        public = k.named_applicants
        users = ({a for p in k.programmes for a, _ in p.not_eligible_applicants} | k.vocabulary.users_only) - public
        pronoun = self.has(Cue.PARTY_ASKS)  # "Die Kirchgemeinde betreibt den Friedhof. Kann sie selbst …?"
        mentions = [m for m in self.features.mentions if m.group == "applicants" and (
            not service_named or m.self_named or m.asks_for_itself or m.id not in users or pronoun)]
        # "Kulturamt: unsere Vereine sollen ihren Zuschussantrag online stellen": the party the service's own words
        # name (»Zuschuss für Vereine«) uses it – unless it names itself ("wir als Verein") or asks for the funding
        served = self._service_words(service) if service is not None else frozenset()
        selves = {stem(w) for w in LEXICON.self_cues}
        mentions = [m for m in mentions if not (served and set(m.words) - selves <= served) or m.asks_for_itself
                    or pronoun or m.self_named and not m.possessive]
        # The asker first ("Landratsamt hier: … für Landkreise oder nur für Gemeinden?"); among several
        # parties the one that decides the verdict; with a public applicant named beside a service, clubs
        # and firms are its users ("BM Gem. X: unser Dorfverein will …") – unless the public body is only the
        # place of a party that asks for itself ("Ein Träger in unserer Stadt fragt, ob er …").
        if service_named and any(m.id in public and not (pronoun and m.possessive) for m in mentions):
            mentions = [m for m in mentions if m.id not in users or m.self_named and not m.possessive]
        own = [m.id for m in mentions if m.self_named]
        applicants = tuple(dict.fromkeys(own + [m.id for m in mentions]))
        regions = self._regions(service_named, service)
        decides = [a for a in applicants if a not in public]
        applicant = (own[0] if own and own[0] not in public or own and not decides else
                     decides[0] if decides else applicants[0] if applicants else None)
        # "Verwaltungsgemeinschaft: … Bekommt jede Gemeinde die Förderung?": the party asked about decides
        asking = [m.id for m in mentions if m.asks_for_itself]
        if asking and set(asking) <= public and not any(m.self_named and m.id not in public for m in mentions):
            applicant = asking[0]
        if applicant in public:  # "gilt das auch für Landkreise oder nur für Gemeinden?": the one after "auch"
            applicant = next((m.id for m in mentions if m.id in public and set(m.words) & self._after_auch), applicant)
        region = next((r for r in regions if self.region_matters(r)), regions[0] if regions else None)
        return {"applicant": applicant, "region": region}

    @cached_property
    def _after_auch(self) -> frozenset[str]:
        return frozenset(stem(m.group(1)) for m in AFTER_AUCH.finditer(self.question.joined))

    def _regions(self, service_named: bool, service: Service | None = None) -> tuple[str, ...]:
        """Regions named; beside a service only the asker's ("Gemeinde aus Bayern", "wir in Thüringen"),
        not a user's ("ein Festwirt aus Bayern beantragt …") nor the service's own ("… (EfA, Bremen)")."""
        own = self._service_words(service) if service is not None else frozenset()
        compared = {stem(w) for w in self.candidates.compared}  # "… das Elterngeld-Ding aus Bremen?"
        mentions = [m for m in self.features.mentions
                    if m.group != "regions" or m.self_named or not (set(m.words) <= own or set(m.words) <= compared)]
        users = self.knowledge.vocabulary.users_only | {a for p in self.knowledge.programmes
                                                         for a, _ in p.not_eligible_applicants}
        user_named = any(m.group == "applicants" and m.id in users and not m.self_named for m in mentions)
        return tuple(dict.fromkeys(m.id for m in mentions if m.group == "regions"
                                   and (not service_named or not user_named or m.self_named)))

    def _service_words(self, service: Service) -> frozenset[str]:
        """Stems of the question that the service's own words (name, keywords) contain."""
        index, least = self.matcher.services, self.thresholds.index.as_part
        return frozenset(u.stem for u in self.candidates.units if index.credit(u, service.id) >= least)

    @cached_property
    def top_service_words(self) -> frozenset[str]:
        """`_service_words` of the top service (read by several rules on one question)."""
        return self._service_words(self.service(self.candidates.top_service))

    @cached_property
    def top_service_naming_words(self) -> frozenset[str]:
        """Of those, the ones that name something: no kind of procedure ("anmelden"), no funding word."""
        return self.top_service_words - LEXICON.service_kind_stems - LEXICON.not_naming_a_service_stems

    @cached_property
    def general_parties(self) -> dict:
        """Parties as read when no particular service is plausibly named."""
        top = self.candidates.top_service
        return self.parties(service_named=bool(top) and top.score >= self.thresholds.service_clarify)

    def region_matters(self, region: str) -> bool:
        return any(p.applicant_regions and region not in p.applicant_regions for p in self.knowledge.programmes)

    @cached_property
    def party_decides(self) -> bool:
        """An applicant or region that some programme does not simply accept."""
        applicant, region = self.general_parties["applicant"], self.general_parties["region"]
        if region and self.region_matters(region):
            return True
        return bool(applicant) and any(applicant not in p.applicant_types for p in self.knowledge.programmes)

    # ---- how well things fit ----

    @cached_property
    def faq_ok(self) -> bool:
        """The best FAQ entry fits well enough to answer with it."""
        t, top = self.thresholds, self.candidates.top_faq
        if top is None or top.score < t.faq_accept:
            return False
        if top.phrase_cover >= t.whole_phrasing and top.query_cover >= t.whole_phrasing_question:
            return True  # a whole phrasing stands in the question ("Bin neu hier: Was ist ein …?")
        if not (top.phrase_cover >= t.faq_phrase_cover or top.query_cover >= t.faq_query_cover_alone):
            return False
        if self.candidates.names:  # unexplained names ("Zugspitze") make a match on the rest suspect
            return top.query_cover >= t.faq_query_cover_names or top.phrase_cover >= t.faq_phrase_cover_names
        return top.query_cover >= t.faq_query_cover

    @cached_property
    def faq_strong(self) -> bool:
        return self.faq_ok and self.faq_score >= self.thresholds.faq_strong

    @property
    def faq_score(self) -> float:
        top = self.candidates.top_faq
        return top.score if top else 0.0

    @cached_property
    def service_ambiguous(self) -> bool:
        """A second service is as good a reading as the top one, or the word asked names a kind of several."""
        if self.kind_services:
            return True
        t, top, second = self.thresholds, self.candidates.top_service, self.candidates.second_service
        if second is None or second.score < t.service_clarify:
            return False
        if self.alike_service is not None:
            return False  # "kita anmeldung oaa gefördert?": both readings get the same verdict – answer the better one
        if self.top_named_by_name_only:
            return False  # "silvester 2022 – der veranstaltungs-oaa?": its name beats the Feuerwerk's keyword
        rival = top.score - second.score < t.service_margin or self.second_is_strong_rival
        return rival and top.query_cover - second.query_cover < t.explains_more

    @cached_property
    def top_named_by_name_only(self) -> bool:
        """The top service is named by a word of its catalogue name, the second (as good) only by its keywords, and
        the question asks about a date, a cost or the deadline: "kita oaa am 1.7.2022 – zählt das schon?" is about
        the Kita-Platz; "Kita-Assistent – gefördert?" alone may mean either."""
        c, m = self.candidates, self.matcher
        top, second = c.top_service, c.second_service
        aspect = self.question.day_from_question or bool(self.features.ids("costs")) or self.has(
            Cue.DEADLINE, Cue.PROGRAMME_STATUS, Cue.OWN_SHARE)
        return (aspect and abs(top.score - second.score) < 1e-9 and m.named_by_its_name(top.id, c.service_units)
                and not m.named_by_its_name(second.id, c.service_units))

    @cached_property
    def second_is_strong_rival(self) -> bool:
        """The second service is found by strong words of its own, nearly as strongly as the top one."""
        t, top, second = self.thresholds, self.candidates.top_service, self.candidates.second_service
        if (top.phrase_cover >= t.whole_phrasing > second.phrase_cover and top.score - second.score >= t.service_margin
                and len(self.top_service_words - LEXICON.vague_stems) >= 2):
            return False  # "Gewerbe online anmelden": a whole keyword phrase of the top one, a word of the other
        return second.strong_cover >= max(t.rival_strong_cover, top.strong_cover - t.rival_strong_slack)

    @cached_property
    def alike_service(self) -> Service | None:
        """The second service, when it is read almost as well as the top one (but not as well, nor by a strong
        cover of its own) and every programme judges both alike: the answer names it beside the top one."""
        t, top, second = self.thresholds, self.candidates.top_service, self.candidates.second_service
        if top is None or second is None or second.score < t.service_clarify or not self.verdict_wanted:
            return None
        if self.second_is_strong_rival:
            return None
        if not t.same_verdict_margin <= top.score - second.score < t.service_margin:
            return None
        return self.knowledge.service(second.id) if self.same_verdict(top.id, second.id) else None

    def same_verdict(self, a: str, b: str) -> bool:
        """Two catalogue services every programme judges alike: the same type, named or excluded alike."""
        first, other = self.knowledge.service(a), self.knowledge.service(b)
        if first is None or other is None or first.type != other.type:
            return False
        return all((a in p.services) == (b in p.services)
                   and (a in dict(p.excluded_services)) == (b in dict(p.excluded_services))
                   for p in self.knowledge.programmes)

    @cached_property
    def kind_services(self) -> tuple[Scored, ...]:
        """"Ist der Steuer-Assistent gefördert?", "parkausweis-oaa": a word that is the kind of several services
        (a word of two or more names or its last part), with nothing else in the question for the best one – all
        services that have it in their names or keywords."""
        t, c, m = self.thresholds, self.candidates, self.matcher
        top = c.top_service
        if top is None or top.score < t.service_clarify:
            return ()
        for u in c.service_units:
            names, ids = m.kinds.get(u.stem) or m.kinds.get(u.surface) or (frozenset(), frozenset())
            if len(names) < 2 or len(ids) > t.kind_max_services or top.id not in ids:
                continue  # "Kita": only one service has it in its name – that one is meant
            others = [o for o in c.service_units if o is not u and m.services.credit(o, top.id) >= t.index.as_part
                      and o.stem not in LEXICON.vague_stems]  # not "beantragen"
            if others:
                return ()  # "Hundesteuer anmelden": the question says which one
            return self._ranked(ids)
        return ()

    def _ranked(self, ids: frozenset[str], limit: int | None = None) -> tuple[Scored, ...]:
        """The services `ids`, best found first (those not found at all, by id, with a score of 0)."""
        scored = {s.id: s for s in self.candidates.services}
        best = sorted(ids, key=lambda i: (-(scored[i].score if i in scored else 0.0), i))[:limit]
        return tuple(scored.get(i) or Scored(i, self.knowledge.service(i).name, 0.0, 0.0, 0.0) for i in best)

    @cached_property
    def vague_subject_services(self) -> tuple[Scored, ...]:
        """"Der Assistent rund um die Wahl", "das mit dem Hund": the subject is a word that several services share
        as a word or a compound's part, and nothing else in the question says which – the best of them to choose."""
        t, c, m = self.thresholds, self.candidates, self.matcher
        top = c.top_service
        if top is None or top.score < t.service_clarify:
            return ()
        for u in c.service_units:
            if u.surface not in self.question.vague_nouns:
                continue
            ids = m.parts.get(u.stem, frozenset())
            if len(ids) < 2 and u.surface in self.question.occasions:  # "Sommerfest": what any Fest needs
                ids = next((m.parts[u.surface[i:]] for i in range(3, len(u.surface) - 2)
                            if len(m.parts.get(u.surface[i:], ())) >= 2), ids)
            if len(ids) < 2 or top.id not in ids:
                continue
            others = [o for o in c.service_units if o is not u and o.surface not in self.question.vague_nouns
                      and o.stem not in self.question.who_writes and o.stem not in LEXICON.vague_stems  # "online", "Antrag" say nothing
                      and m.services.credit(o, top.id) >= t.index.as_part]
            if others or self.names_beside_the_sender:
                return ()  # "das mit dem Hund, Steuer", "die Anmeldung einer Eheschließung": it says which one
            return self._ranked(ids, t.kind_max_services)
        return ()

    @cached_property
    def named_thing_not_found(self) -> tuple[str, ...]:
        """"Wahlhelfer-Anmeldung online für die Kommunalwahl", "so ein Ticket-Assistent": the thing named before a
        word for an assistant or procedure, or a procedure named before what it is done to ("Festsetzung von einem
        Jahrmarkt"), that the best service does not explain – another thing than it."""
        top, m = self.candidates.top_service, self.matcher
        if top is None:
            return ()
        folded = self.question.folded
        procedures = {g.group("thing") for g in PROCEDURE_OF.finditer(folded)
                      if commonness(_last_part(g.group("thing"), self.candidates.units)) < self.thresholds.rare_zipf}
        # not "(Support)rechnung vom 30.6."
        things = ({g.group("thing") for g in NAMED_BEFORE_KIND.finditer(folded)} | procedures
                  | self._other_heads() | self._crossed_compounds())
        return tuple(u.surface for u in self.candidates.service_units if u.surface in things
                     and m.services.credit(u, top.id) < self.thresholds.shares_only_a_part
                     and not _is_office(u.surface) and not m.analyzer.in_vocabulary(u)  # not "KISA-Assistent"
                     and len(self._names_ending_with(u.surface)) < 2)  # "Schein-Antrag": a kind of several, vague

    def _names_ending_with(self, word: str) -> tuple[str, ...]:
        """Services with a word of their name ending in `word` ("schein" → Fischereischein, Jagdschein, …)."""
        return tuple(s.id for s in self.knowledge.services if any(w.endswith(word) for w in words(fold(s.name))))

    def _crossed_compounds(self) -> set[str]:
        """Compounds whose first part names the top service and whose last part is what other services' names are:
        a "Baumpatenschaft" is a Patenschaft, of a Baum – neither the Baumfällung nor the Spielplatzpatenschaft.
        Only a last part as rare as a name is a kind of its own: a "Grabplatz" is the Grab's, not a Betreuungsplatz."""
        top, m = self.candidates.top_service, self.matcher
        return {u.surface for u in self.candidates.units if len(u.parts) >= 2
                and m.services.credit(u, top.id) < self.thresholds.shares_only_a_part
                and top.id in m.parts.get(u.parts[0], ()) and (kind := m.kinds.get(u.parts[-1], ((),))[0])
                and top.id not in kind and commonness(u.parts[-1]) < self.thresholds.name_zipf}  # not "…platz"

    def _other_heads(self) -> set[str]:
        """Unknown words before a hyphen and a last word that is what the top service's name is:
        "Hundekot-Beutelspender-Patenschaft" is a Patenschaft, but of something the Spielplatzpatenschaft does not name."""
        top, m = self.candidates.top_service, self.matcher
        units = {u.surface: u for u in self.candidates.units}
        out: set[str] = set()
        for compound in HYPHENATED.findall(self.question.folded):
            *modifiers, head = compound.split("-")
            names = m.kinds.get(units[head].stem, (frozenset(), frozenset()))[0] if head in units else frozenset()
            if top.id in names:  # the last word is what the top service's name says it is ("…patenschaft")
                out |= {w for w in modifiers if w in units and m.services.credit(units[w], top.id) == 0
                        and not m.analyzer.in_vocabulary(units[w])}
        return out

    @cached_property
    def one_of_several(self) -> bool:
        """"Wir sind für Märkte und Sondernutzungen zuständig. Wir überlegen, einen der Assistenten einzuführen.":
        the sentence that speaks of one assistant of several names none – what the others name is who asks."""
        for sentence in SENTENCE_END.split(self.question.plain):
            ws = words(sentence)
            if ONE_OF_SEVERAL.search(" ".join(ws)):
                return not {stem(w) for w in ws} & self.top_service_naming_words if self.candidates.top_service \
                    else True
        return False

    @cached_property
    def names_beside_the_sender(self) -> tuple[str, ...]:
        """Unexplained names other than those of the label the message opens with ("Wahlamt: …")."""
        return tuple(n for n in self.candidates.names if stem(n) not in self.question.who_writes)

    @cached_property
    def asked_names(self) -> tuple[str, ...]:
        """Unexplained names where the question asks: not the label of who writes ("Stadtkasse: kriegen wir …?"),
        nor a sentence that only tells why ("gilt das bis Ende 2024? brauch das für die Haushaltsplanung")."""
        asked, sender = self.asking_words, self.question.sender_stems
        return tuple(n for n in self.candidates.names if stem(n) not in sender and (asked is None or n in asked))

    @cached_property
    def plausible_services(self) -> bool:
        """A service is plausibly meant (and worth asking about)."""
        top = self.candidates.top_service
        return (top is not None and top.score >= self.thresholds.service_clarify and not self.fact_question
                and (self.eligibility or (not self.faq_ok and not self.candidates.names)))

    @cached_property
    def close_services(self) -> tuple[Scored, ...]:
        if not self.plausible_services:
            return ()
        if self.kind_services:
            return self.kind_services
        t, top = self.thresholds, self.candidates.top_service
        return tuple(s for s in self.candidates.services if s.score >= t.service_clarify
                     and (s.score >= top.score - t.close_candidate_gap or s.strong_cover >= t.close_candidate_strong))

    @cached_property
    def partial_words(self) -> tuple[str, ...]:
        """Words that share only a part with the top service ("Grundsteuer" vs "Gewerbesteuer",
        "Jagdpacht" vs "Jagdschein"); not when the rest of the word is found in the service's words too
        ("Feuerwerksausnahmen" ~ "Ausnahmegenehmigung … Feuerwerk") or says nothing ("…geld", "…antrag")."""
        m, top = self.matcher, self.candidates.top_service
        return tuple(u.surface for u in self.candidates.units
                     if (u.parts or u.tail) and m.services.credit(u, top.id) < self.thresholds.shares_only_a_part
                     and not _is_office(u.surface)  # "Wahlamt" says who asks
                     and not (u.tail is None and m.analyzer.in_vocabulary(u)) and u.stem not in m.ignore_for_services
                     and not self._rest_is_found(u, top.id))

    def _rest_is_found(self, unit, service_id: str) -> bool:
        index, ignore = self.matcher.services, self.matcher.ignore_for_services | LEXICON.money_stems
        doc = index.doc(service_id)
        known = [p for p in (*unit.parts, unit.tail) if p and (p in doc.whole or p in doc.parts)]
        rest = unit.surface
        for part in known:
            rest = rest.replace(part, " ", 1) if part in rest else rest
        pieces = [p.strip("s") for p in rest.split() if len(p.strip("s")) >= 4]
        return bool(known) and all(stem(p) in ignore or stem(p) in doc.affixes or stem(p) in doc.whole
                                   or stem(p) in doc.parts for p in pieces)

    @cached_property
    def whole_phrase_entry(self) -> FaqEntry | None:
        """For questions made only of function words ("Was kannst du?"): a near-verbatim short phrasing, particles
        aside."""
        if not all(u.stem in LEXICON.question_words for u in self.candidates.units):
            return None
        texts, ids = self.matcher.short_phrasings
        joined = " ".join(w for w in self.question.words if w not in LEXICON.particles)  # "… eigentlich alles?"
        best = process.extractOne(joined, texts, scorer=fuzz.ratio, processor=None,
                                  score_cutoff=self.thresholds.whole_phrase_ratio)
        return self.knowledge.entry(ids[best[2]]) if best else None

    def typed(self, folded: tuple[str, ...]) -> str:
        """Words of the question as the user wrote them (a reply never shows internal folded forms)."""
        return as_typed(self.question.plain, folded)

    def service(self, scored: Scored) -> Service:
        return self.knowledge.service(scored.id)

    # ---- lists of services ----

    @cached_property
    def listing(self) -> ListIntent | None:
        """A request for a list (see `_listing`), narrowed as asked: "schon verfügbar", "von KISA"."""
        found = self._listing()
        if found is None:
            return None
        joined, services, only = self.question.joined, found.services, []
        if found.scope != "planned" and LIST_AVAILABLE.search(joined):
            services, only = tuple(s for s in services if s.status != "geplant"), ["verfügbar"]
        if LIST_KISA.search(joined) and found.scope != "search":
            services, only = tuple(s for s in services if s.type == "kisa"), only + ["von KISA"]
        elif LIST_FUNDED.search(joined) and found.scope != "planned":
            services, only = tuple(s for s in services if s.type == "kisa"), only + ["gefördert"]
        return replace(found, services=services, only=tuple(only)) if only else found

    def _listing(self) -> ListIntent | None:
        """A request for a list: of a Themenfeld, of the planned services, of a kind of service, a count,
        or a search in the catalogue ("Habt ihr was zu Hunden im Katalog?")."""
        if not (self.has(Cue.LIST_REQUEST) or self.has(Cue.COUNT) and self.has(Cue.CATALOGUE)):
            return None
        k, c = self.knowledge, self.candidates
        top, topics = c.top_service, self.list_topics
        if self.eligibility and top is not None and top.score >= self.thresholds.service_accept and not topics:
            return None  # "Die Ehrenamtskarte ist noch in Planung – wäre sie förderfähig?": about one service
        if self.eligibility and self.vague_subject_services and not LIST_REQUEST.search(
                LIST_BY_SUBJECT.sub(" ", self.question.joined)):
            return None  # "Ein Antrag rund ums Ehrenamt – wird der gefördert?": one of several, not a list
        if topics:
            return ListIntent(tuple(s for s in k.services if s.topic in topics), "topic", " und ".join(topics))
        if (self.has(Cue.PLANNED) and not LIST_AVAILABLE.search(self.question.joined)
                or LIST_PLANNED.search(self.question.joined)):
            return ListIntent(tuple(s for s in k.services if s.status == "geplant"), "planned")
        typed = [t for t in self.features.ids("service_types") if any(s.type == t for s in k.services)]
        if typed:
            label = k.vocabulary.label("service_types", typed[0])
            return ListIntent(tuple(s for s in k.services if s.type == typed[0]), "search", label)
        if self.has(Cue.COUNT) and self.has(Cue.CATALOGUE):
            entry = next((k.entry(f.id) for f in c.faqs if LEXICON.catalogue_tag in k.entry(f.id).tags), None)
            return ListIntent(k.services, "all", count=True, entry=entry)
        return self._catalogue_search()

    @cached_property
    def list_subject(self) -> str:
        """What a list is asked about ("rund um Hunde", "alles, was mit Parkausweisen zu tun hat"), or ""."""
        m = LIST_SUBJECT.search(self.question.folded)
        return (m.group("subject") or m.group("with")) if m else ""

    @cached_property
    def list_of_several(self) -> bool:
        """"habt ihr was zu Hunden?", "parkausweise: welche gibts?": a list only if the question finds several
        services (`LIST_SUBJECT_OF_SEVERAL`); a sender label ("Ordnungsamt: was habt ihr …") is no subject."""
        several = LIST_SUBJECT_OF_SEVERAL.search(self.question.folded)
        subject = several and (several.group("about") or several.group("first")) or ""
        return bool(subject) and not self.list_subject and not _is_office(subject.split()[-1])

    @cached_property
    def list_topics(self) -> tuple[str, ...]:
        """Themenfelder a list is about: with a subject named, only those named in it ("Ordnungsamt: was habt
        ihr zum Thema Hund?" is no list of the Themenfeld Ordnung)."""
        if not self.list_subject:
            return self.candidates.topics
        return self.matcher.topics_in(self.list_subject)

    def _catalogue_search(self) -> ListIntent | None:
        """"Habt ihr was zu Hunden im Katalog?", "rund um Parkausweise": the services the words find, when the
        catalogue or a subject is named."""
        several = self.list_of_several and not self.has(Cue.CATALOGUE) and not self.eligibility
        if not (self.has(Cue.CATALOGUE) or self.list_subject or several) or self.eligibility and not self.list_subject:
            return None
        t, m = self.thresholds, self.matcher
        units = m.analyzer.units(self.list_subject) if self.list_subject else list(self.candidates.units)
        found_services = m.services.search(units, limit=10) if self.list_subject else self.candidates.services
        top = found_services[0] if found_services else None
        if top is None or top.score < t.service_clarify:
            return None
        hits = [s for s in found_services if s.score >= t.service_clarify
                and (s.score >= top.score - t.close_candidate_gap or s.strong_cover >= t.close_candidate_strong)]
        ids = list(dict.fromkeys(s.id for s in hits))
        naming = [u for u in units if m.services.credit(u, top.id) > 0 and u.stem not in LEXICON.vague_stems]
        if len(naming) == 1:  # "parkausweise": every service that has the one word as a word or a compound's part
            shared = m.parts.get(naming[0].stem, frozenset())
            if top.id in shared and len(shared) <= t.kind_max_services:
                ids += sorted(shared - set(ids))
        if several and len(ids) < 2:
            return None  # "gibts was für Angler?": the one service is asked about, not a list
        found = tuple(u.surface for u in units if m.services.credit(u, top.id) > 0)
        words = self.typed(found)
        return ListIntent(tuple(self.knowledge.service(i) for i in ids), "search", words or top.title)

    @cached_property
    def both_services(self) -> tuple[Service, ...]:
        """Two services a question asks about together ("Hundesteuer und Zweitwohnungsteuer – sind beide
        gefördert?"): each found by words of its own, as words or word parts."""
        if not BOTH.search(self.question.joined):
            return ()
        t, index, units = self.thresholds, self.matcher.services, self.candidates.service_units
        found: list[tuple[int, Scored, frozenset[str]]] = []
        for s in self.candidates.services:
            if s.score < t.service_clarify or len(found) == 2:
                break
            evidence = frozenset(u.stem for u in units if index.credit(u, s.id) >= t.index.as_part)
            if evidence and all(evidence - other and other - evidence for _, _, other in found):
                first = min(i for i, u in enumerate(units) if u.stem in evidence)
                found.append((first, s, evidence))
        return tuple(self.service(s) for _, s, _ in sorted(found, key=lambda f: f[0])) if len(found) == 2 else ()

    # ---- intents ----

    @cached_property
    def aspects(self) -> tuple[str, ...]:
        """The parts of the funding asked about that the source has words for: covered costs named
        ("Ist die Einrichtung kostenlos?"), and a question for an own share ("Eigenanteil")."""
        costs = [c for c in self.features.ids("costs") if any(p.cost_text(c) for p in self.knowledge.programmes)]
        return tuple(costs) + (("own_share",) if self.has(Cue.OWN_SHARE) else ())

    def verdict_on_service(self, service: Service) -> VerdictIntent:
        # For a catalogue service its own row decides its kind; only an own development of it, or one from another
        # provider, overrides ("Wohngeld ist doch bestimmt ein EfA-Dienst?" is about the KISA assistant Wohngeld).
        replacing = self.knowledge.vocabulary.catalogue_replacing_types
        kind = next((t for t in self.service_types if t in replacing), None)
        alike = self.alike_service if self.candidates.top_service and service.id == self.candidates.top_service.id \
            else None
        return VerdictIntent(Subject(service=service, service_type=kind, cost=self.cost,
                                     **self.parties(service_named=True, service=service)), self.aspects, alike)

    def verdict(self, **subject) -> VerdictIntent:
        """A verdict on a kind, party, cost or the programme – for the clearly named service, if any
        ("Softwarepflege für den Veranstaltungsassistenten")."""
        if "cost" in subject and self.named_service is not None and not self.partial_words:
            return self.verdict_on_service(self.named_service)
        return VerdictIntent(Subject(**subject, **self.general_parties), self.aspects)


SHORT_QUESTION = 5  # words; a longer W-question without any funding cue is about something else
# Words that point back to an earlier sentence ("diese Gebühr", "dafür"); "das" is more often an article.
POINTERS = (LEXICON.deictic - {"das", "da", "thema"}) | {"dieser", "diesen", "diesem"}
FUNDING_CUES = (Cue.ELIGIBILITY, Cue.STRONG_ELIGIBILITY, Cue.DOMAIN, Cue.MONEY, Cue.PERIOD_NOUN, Cue.PROGRAMME_STATUS,
                Cue.PERIOD_QUESTION, Cue.OWN_SHARE)
FUNDING_CUES_BUT_DOMAIN = tuple(c for c in FUNDING_CUES if c is not Cue.DOMAIN)


@dataclass(frozen=True)
class Rule:
    name: str
    applies: Callable[[Context], bool]
    build: Callable[[Context], Intent]


# ---- the rules' conditions (each short enough to read at once) ------------------------------------

def _last_part(word: str, units: tuple[Unit, ...]) -> str:
    """The last part of a compound as the question's units split it ("supportrechnung" → "rechnung")."""
    return next((u.parts[-1] for u in units if u.surface == word and u.parts), word)


def _service_named(ctx: Context) -> bool:
    """A catalogue service named clearly enough, and not a weaker reading than a fitting FAQ entry;
    a longer question without any word of funding or this domain is about something else ("Wann
    fährt der nächste Bus?")."""
    top = ctx.candidates.top_service
    if top is None or top.score < ctx.thresholds.service_accept or ctx.service_ambiguous:
        return False
    if _w_question_without_funding(ctx):
        return False
    if ctx.candidates.names and top.phrase_cover < ctx.thresholds.phrase_beside_name:
        return False  # "Hochzeitstermin im Rathaus online buchen": the name nothing explains is what is asked
    if _found_by_offices_only(ctx):
        return False  # "LRA, Jugendamt: können Landkreise das auch nutzen?" names no Unterhaltsvorschuss
    if ctx.top_named_by_money_only:
        return False  # "gibts Zuschüsse für Tablets?": a word for the money, not the Vereinszuschuss
    if _named_by_the_sender_only(ctx):
        return False  # "friedhof: die urnenbeisetzung online anmelden?" – who asks, and what nothing here explains
    return ctx.eligibility or not ctx.faq_strong or top.score >= ctx.faq_score


def _checked_against_an_exclusion(ctx: Context) -> Service | None:
    """"Briefwahl online – das is doch Meldewesen, also VOIS, also raus?": services named as well, some of an excluded
    kind, and the question whether another is one of them – the one named first is asked about."""
    c, t = ctx.candidates, ctx.thresholds
    named = [ctx.service(s) for s in c.services if s.score >= t.service_accept]
    if len(named) < 2 or not EXCLUSION_ASKED.search(ctx.question.joined):
        return None
    excluded = {kind for p in ctx.knowledge.programmes for kind, _ in p.excluded_types}
    if all(s.type in excluded for s in named) or not any(s.type in excluded for s in named):
        return None
    first = next((s for u in c.service_units for s in named
                  if ctx.matcher.services.credit(u, s.id) >= t.index.as_part), None)
    return first if first is not None and first.type not in excluded else None


def _searched(ctx: Context, intent: VerdictIntent) -> VerdictIntent:
    """"Habt ihr was für den Friedhof?": a search of the catalogue that found one service – its verdict, and it as
    the list found (`listed`)."""
    if ctx.has(Cue.LIST_REQUEST) and ctx.has(Cue.ANYTHING_FOR):
        return replace(intent, aspects=(*intent.aspects, "search"))
    return intent


def _named_by_the_sender_only(ctx: Context) -> bool:
    """The top service is found only by the label of who writes, beside a name nothing explains ("Wohngeldstelle:
    Wohnberechtigungsschein online – gefördert?")."""
    sender = ctx.question.sender_stems
    return bool(ctx.candidates.names and sender and ctx.top_service_naming_words <= sender)


def _asks_the_matter_itself(ctx: Context) -> bool:
    """"Was kostet die Hundesteuer für einen zweiten Hund?": a W-question whose only word of funding is a paying
    word, with nothing of an assistant, an online service or the programme – about the tax or fee itself."""
    top = ctx.candidates.top_service
    if top is None or top.score < ctx.thresholds.service_accept:
        return False
    return ctx.has(Cue.W_QUESTION) and ctx.has(Cue.ELIGIBILITY) and not ctx.has(
        Cue.DOMAIN, Cue.ABOUT_SERVICE, Cue.STRONG_ELIGIBILITY, Cue.MONEY, Cue.PROGRAMME, Cue.PROGRAMME_STATUS,
        Cue.CATALOGUE, Cue.DEADLINE, Cue.LIST_REQUEST) and not ctx.question.day_from_question


def _found_by_offices_only(ctx: Context) -> bool:
    """The top service is found only by words naming an office (and kind words): the asker's or the
    responsible office, not a service."""
    offices = {u.stem for u in ctx.candidates.units if _is_office(u.surface)}
    return bool(ctx.top_service_words & offices) and not ctx.top_service_naming_words - offices


def _is_office(word: str) -> bool:
    """"Jugendamt", "Friedhofsverwaltung": a word naming an office."""
    return fold(word).endswith(LEXICON.office_endings)


def _single_candidate(ctx: Context) -> bool:
    """A lone candidate service, found by the words that name it, with nothing competing."""
    t, top, second = ctx.thresholds, ctx.candidates.top_service, ctx.candidates.second_service
    return (top is not None and ctx.eligibility and top.score >= t.service_clarify + t.single_candidate_lead
            and top.phrase_cover >= t.single_candidate_phrase
            and (second is None or second.score < t.service_clarify) and not ctx.faq_strong
            and not ctx.partial_words  # "Jagdpacht" shares only "Jagd" with the Jagdschein
            and not ctx.top_named_by_money_only and not _named_by_the_sender_only(ctx))


def _other_group(ctx: Context) -> tuple[str, ...]:
    """Groups of people the question names for the top service that the catalogue entry does not:
    "Parkausweis für Schwerbehinderte" is not the Bewohnerparkausweis."""
    top = ctx.candidates.top_service
    if top is None or top.score < ctx.thresholds.service_clarify or not ctx.eligibility:
        return ()
    groups = LEXICON.target_group_stems
    opposed = _opposed(top.title)
    return tuple(u.surface for u in ctx.candidates.units
                 if (u.stem in groups or u.surface in opposed) and ctx.matcher.services.credit(u, top.id) == 0)


def _opposed(name: str) -> set[str]:
    """Words contradicting a word of a catalogue name: "dauerhaft" beside "vorübergehende"."""
    return set().union(*(LEXICON.opposites.get(w, frozenset()) for w in words(name)))


def _service_for_other_group(ctx: Context) -> Intent:
    top = ctx.candidates.top_service
    words_ = _other_group(ctx)
    if set(words_) <= _opposed(top.title):  # "dauerhaft" beside "Vorübergehende Gaststättenerlaubnis"
        return ctx.verdict(unknown_service=f"{top.title}, aber {ctx.typed(words_)}")
    return ctx.verdict(unknown_service=f"{top.title} für {ctx.typed(words_)}")


def _clarify_among_services(ctx: Context) -> bool:
    """Several services fit; not for a longer W-question without any funding cue ("Wie hoch ist die
    Hundesteuer in Leipzig für den zweiten Hund?" asks about the service's own subject)."""
    top = ctx.candidates.top_service
    return (ctx.plausible_services and top.strong_cover >= ctx.thresholds.clarify_strong_cover
            and not _about_a_party(ctx) and not _w_question_without_funding(ctx) and not _a_name_of_a_kind(ctx)
            and not _faq_beats_a_lone_guess(ctx))


def _faq_beats_a_lone_guess(ctx: Context) -> bool:
    """"Müssen wir die Assistenten eine Mindestzeit weiter betreiben? Gibt es Rückforderungen?": one service
    below acceptance is no reading to ask about when an FAQ entry fits well and better."""
    second = ctx.candidates.second_service
    lone = not ctx.kind_services and (second is None or second.score < ctx.thresholds.service_clarify)
    return lone and ctx.faq_ok and ctx.faq_score > ctx.candidates.top_service.score


def _a_name_of_a_kind(ctx: Context) -> bool:
    """An unexplained name beside services found only by a word for a kind of procedure or by the asker's
    label ("eheschliessung anmelden online", "Jugendamt: Beistandschaft online beantragen"): the name is
    what is asked about, and the catalogue does not have it."""
    return bool(ctx.candidates.names) and not ctx.top_service_naming_words - ctx.question.label_stems


def _w_question_about_the_cost_itself(ctx: Context) -> bool:
    """"Wie hoch ist das Gehalt einer Standesbeamtin?": a W-question about a cost with no word of funding or
    of an assistant asks about the cost, not whether the programme covers it."""
    if any(ctx.cost in p.costs for p in ctx.knowledge.programmes):
        return False  # "Wer zahlt die Einrichtung?": a cost the programme covers is asked about it
    return ctx.has(Cue.W_QUESTION) and not ctx.has(Cue.ELIGIBILITY, Cue.STRONG_ELIGIBILITY, Cue.ABOUT_SERVICE,
                                                    Cue.PROGRAMME) and ctx.named_service is None


def _w_question_without_funding(ctx: Context) -> bool:
    """"Wann ist in Sachsen die nächste Landtagswahl?": a place named is no word of funding."""
    cues = FUNDING_CUES if ctx.candidates.unit_stems & LEXICON.domain_stems else FUNDING_CUES_BUT_DOMAIN
    return (ctx.has(Cue.W_QUESTION) and len(ctx.question.words) > SHORT_QUESTION and not ctx.has(*cues)
            and not ctx.question.day_from_question)


def _unknown_service(ctx: Context) -> bool:
    """Something the knowledge does not know, asked about as a funding question (a W-question with an
    unknown word is more likely a fact question in other words). A named municipality with an unknown
    word ("eine Gemeinde im Erzgebirge") asks about itself, unless it asks about an online service."""
    t, c = ctx.thresholds, ctx.candidates
    about_service = ctx.has(Cue.ABOUT_SERVICE) or (ctx.has(Cue.STRONG_ELIGIBILITY)
                                                   and not ctx.general_parties["applicant"])
    if not (ctx.eligibility and _unknown_things(ctx) and about_service):
        return False
    if c.top_service is not None and c.top_service.score >= t.service_accept and not _named_by_the_sender_only(ctx):
        return False  # a service is named clearly, only ambiguously: ask back which one
    if ctx.faq_ok and c.top_faq.query_cover >= t.faq_beats_unknown:
        return False
    return not (ctx.has(Cue.W_QUESTION) and ctx.faq_score >= t.faq_clarify)


def _unknown_things(ctx: Context) -> tuple[str, ...]:
    """Unknown words but offices ("Standesamt: ist der Assistent förderfähig?" asks which assistant) and,
    where capitals tell, but words that are no nouns ("… Briefwahlunterlagen online anfordern können")."""
    q = ctx.question
    return tuple(w for w in ctx.candidates.unknown
                 if not _is_office(w) and (not q.nouns_capitalised or fold(w) in q.capitalised))


def _point_asked(ctx: Context) -> tuple[str, ...]:
    """The unknown point a question on the source asks about: its names first ("Vorgaben zur Barrierefreiheit")."""
    things = _unknown_things(ctx)
    return tuple(w for w in things if w in ctx.candidates.names)[:2] or things[:2]


def _is_vague(ctx: Context) -> bool:
    """"Ist das förderfähig?": only funding words, no question word, nothing named."""
    if not ctx.eligibility or ctx.features.mentions:
        return False
    if any(w in LEXICON.question_words for w in ctx.question.words):
        return False
    return all(u.stem in LEXICON.vague_stems or u.surface.isdigit() for u in ctx.candidates.units)


def _whole_phrase_entry(ctx: Context) -> FaqEntry | None:
    return ctx.whole_phrase_entry


def _offer_faq(ctx: Context) -> bool:
    t, top = ctx.thresholds, ctx.candidates.top_faq
    return (top is not None and ctx.faq_score >= t.faq_clarify and top.query_cover >= t.faq_clarify_query_cover
            and not ctx.candidates.unknown)


def _programme_status(ctx: Context) -> bool:
    """"Ist das Geld für 2024 sicher?", "Läuft das noch?", "Bis wann gilt die Förderung?": the
    programme's status at a date, with nothing more specific named (no service, refused or unnamed
    party, cost or kind of service). A W-question other than for the period asks for a fact."""
    c = ctx.candidates
    if ctx.party_decides or ctx.cost or ctx.service_types or ctx.has(Cue.DEFINITION, Cue.LIST_REQUEST):
        return False
    if ctx.asked_names and not ctx.has(Cue.PROGRAMME, Cue.MONEY, Cue.PERIOD_NOUN):
        return False  # an unknown name ("Zugspitze") is what is asked about, unless the programme is named
    if _names_a_service(ctx):
        return False  # a word names (part of) a catalogue service: that is what is asked about
    if ctx.has(Cue.PERIOD_QUESTION):  # "Wie lange läuft das noch?" – not "Wie lange müssen wir Bewerbungen aufbewahren?"
        return not (len(c.unknown) >= 2 and not ctx.has(Cue.DOMAIN, Cue.ELIGIBILITY, Cue.MONEY, Cue.PROGRAMME))
    if ctx.faq_strong and ctx.knowledge.entry(c.top_faq.id).silent:
        return False  # "Kommt die Förderung als Geldzahlung auf unser Konto?": a point the source is silent on
    entries = _status_entries(ctx)
    top_is_status = bool(entries) and entries[0].id == c.top_faq.id
    if ctx.faq_ok and not top_is_status and not (ctx.has(Cue.PROGRAMME_STATUS) or ctx.question.day_from_question):
        return False  # a fact the FAQ has ("Kommen noch mehr Assistenten dazu?")
    asks_status = ctx.has(Cue.PROGRAMME_STATUS, Cue.DEADLINE, Cue.FROM_WHEN) or ctx.question.day_from_question
    about_programme = ctx.has(Cue.PROGRAMME, Cue.MONEY, Cue.PERIOD_NOUN, Cue.ELIGIBILITY) or bool(entries)
    if ctx.has(Cue.W_QUESTION):  # "Wer saß noch mit am Tisch?" asks a fact, not the status
        when = ctx.has(Cue.WHEN, Cue.FROM_WHEN) or ctx.question.day_from_question or ctx.has(Cue.PROGRAMME_STATUS)
        return when and about_programme and not ctx.faq_ok
    return asks_status and about_programme


def _unnamed_assistant(ctx: Context) -> bool:
    """"Ist unser Antragsassistent noch gefördert?", "Kriegen wir für den Assistenten Geld?": a funding
    question about one particular assistant that it does not name – ask which one (a W-question for the
    period, "Wie lange wird der Assistent gefördert?", is the programme's)."""
    c = ctx.candidates
    unsure = bool(DONT_KNOW_WHICH.search(ctx.question.joined))  # "… ich weiß gerade nicht welcher"
    if not ctx.has(Cue.ONE_ASSISTANT) or ctx.has(Cue.LIST_REQUEST) or not unsure and ctx.has(
            Cue.W_QUESTION, Cue.PERIOD_QUESTION):
        return False
    if not (ctx.eligibility or ctx.has(Cue.MONEY)) or c.unknown or c.topics:
        return False
    if ctx.faq_strong and _faq_explains_a_point(ctx):
        return False  # "Müssen wir die Förderung zurückzahlen, wenn wir den Assistenten abschalten?": an entry answers
    return not ctx.plausible_services


def _faq_explains_a_point(ctx: Context) -> bool:
    """The best FAQ entry explains a word of the question other than words of funding, money or
    assistants ("zurückzahlen"), not only "Kriegen wir für den Assistenten Geld?"."""
    c, index = ctx.candidates, ctx.matcher.faqs
    generic = LEXICON.not_naming_a_service_stems | LEXICON.money_stems | LEXICON.vague_stems
    return any(index.credit(u, c.top_faq.id) > 0 and u.stem not in generic for u in c.units)


def _names_a_service(ctx: Context) -> bool:
    """A word of the question other than a word for money names (part of) a plausible catalogue service
    ("Geld" is part of "Wohngeld" but asks for the programme's money)."""
    t, c, index = ctx.thresholds, ctx.candidates, ctx.matcher.services
    words = [u for u in c.service_units if u.stem not in LEXICON.money_stems]
    return any(index.credit(u, s.id) >= t.index.as_affix for s in c.services if s.score >= t.service_clarify
               for u in words)


def _status_entries(ctx: Context) -> list[FaqEntry]:
    """FAQ entries about the programme's periods (the lexicon's periods tag) among the candidates, best first."""
    k, low = ctx.knowledge, ctx.thresholds.faq_clarify
    return [e for f in ctx.candidates.faqs
            if f.score >= low and (e := k.entry(f.id)) and e.programme and LEXICON.periods_tag in e.tags]


def _status_intent(ctx: Context) -> Intent:
    entries = _status_entries(ctx)
    if entries:
        return FaqIntent(entries[0], with_verdict=True)
    return ctx.verdict()


def _faq_intent(ctx: Context) -> FaqIntent:
    """The best FAQ entry; a fact that holds only while the programme runs, asked for a time ("Wie lange gibt
    es den Rabatt noch?", "… im Sommer 2023?") or on a day it has not ended by ("Wie hoch ist der Rabatt auf
    die Softwarepflege?" in 2023: 100 %, under the Landtag's proviso), also gets the programme's verdict."""
    entry = ctx.knowledge.entry(ctx.candidates.top_faq.id)
    timed = (ctx.has(Cue.PERIOD_QUESTION) and not ctx.has(Cue.DEFINITION) or ctx.question.day_from_question
             or bool(STILL.search(ctx.question.joined)))  # "gelten die 100 % noch?"
    programme = ctx.knowledge.programme(entry.programme) if entry.programme else None
    running = programme is not None and ctx.question.day <= programme.deadline
    # Only when the entry fits strongly and answers the question whole: beside a party or a thing the entry does
    # not explain ("Ein Kleingartenverein fragt, ob er selbst gefördert werden kann") the verdict is no answer.
    applicant = ctx.general_parties["applicant"]  # one the programme names ("nur Gemeinden?") is answered
    whole = (not ctx.candidates.unknown and (not applicant or applicant in ctx.knowledge.named_applicants)
             and ctx.candidates.top_faq.score >= ctx.thresholds.faq_strong)
    return FaqIntent(entry, dated=entry.while_running and (timed or running and whole), timed=timed)


def _own_share(ctx: Context) -> bool:
    """"Gibt es einen Eigenanteil?": what the source says about the municipality's share, for the date."""
    top = ctx.candidates.top_service
    named = top is not None and top.score >= ctx.thresholds.service_accept
    return ctx.has(Cue.OWN_SHARE) and not named and not ctx.party_decides and not ctx.service_types


def _refers_to_nothing(ctx: Context) -> bool:
    """"Geht das auch für das andere?", "Kann man das beantragen?", "Ich hätte eine Frage zur Förderung":
    the question points at something (or announces a question) but names nothing the bot could answer."""
    opens_as_followup = ctx.question.words[:1] == ("und",)  # "und wie schauts aus?" with nothing before it
    if ctx.features.mentions or ctx.service_types or not (ctx.has(Cue.DEICTIC, Cue.ANNOUNCED_QUESTION)
                                                          or opens_as_followup):
        return False  # an own development described in words ("was eigenes programmiert") is something
    top = ctx.candidates.top_service
    if ctx.has(Cue.ANNOUNCED_QUESTION) and (top is None or top.score < ctx.thresholds.service_clarify):
        return True  # "Wir hätten mal eine Frage wegen Geld …": the question is still to come
    if ctx.has(Cue.W_QUESTION) and ctx.faq_ok:
        return False  # "Wer bezahlt das Ganze eigentlich?" asks a fact the FAQ has
    if ctx.has(Cue.PERIOD_NOUN, Cue.LIST_REQUEST, Cue.DEADLINE, Cue.PROGRAMME_STATUS) and not ctx.has(
            Cue.ANNOUNCED_QUESTION):
        return False  # "Ist das Geld für 2024 sicher?", "Läuft das noch?": the programme's status
    if ctx.has(Cue.MONEY) and (ctx.question.day_from_question or ctx.has(Cue.PROGRAMME)):
        return False  # "Gibt es das Geld 2023?" – but "Kriegen wir da Kohle?" names nothing
    lex, m = LEXICON, ctx.matcher
    nothing = m.ignore_for_services | lex.vague_stems | lex.question_words | lex.money_stems | lex.eligibility_stems
    return all(u.stem in nothing or u.surface in lex.deictic or u.surface in lex.askers or u.surface in lex.empty_verbs
               or u.surface in lex.smalltalk_filler for u in ctx.candidates.units)


def _citizen_request(ctx: Context) -> bool:
    """"Kann ich mein Auto bei Ihnen ummelden? Ich bin Bürger.": someone who wants the service itself, with
    no word of funding – the bot takes no applications."""
    if ctx.has(Cue.ELIGIBILITY, Cue.STRONG_ELIGIBILITY, Cue.MONEY, Cue.PROGRAMME) or ctx.chosen_service:
        return False
    return bool(CITIZEN_REQUEST.search(ctx.question.joined))


def _other_funding(ctx: Context) -> bool:
    """"Gibt es Fördermittel für den Breitbandausbau?": funding for an investment, with no word of an online
    service or the catalogue and no service named – another programme than this one."""
    if any(OTHER_PROGRAMME.match(u.surface) for u in ctx.candidates.units) and not ctx.service_types:
        return True  # "DigitalPakt Schule – wie beantragen wir Tablets?", "Bekommen wir Städtebaufördermittel?"
    if not (ctx.eligibility or ctx.has(Cue.MONEY)) or ctx.service_types:
        return False
    if any(INVESTMENT.match(m.group("thing")) or INVESTMENT.match(m.group("source") or "") or m.group("new")
           for m in MONEY_FOR.finditer(ctx.question.joined)):  # "Fördermittel für ein neues Feuerwehrauto"
        return True  # "Förderprogramm für die Sanierung des Dorfgemeinschaftshauses", "Zuschuss für die Ausrüstung"
    if ctx.cost:
        return False
    if ctx.has(Cue.ABOUT_SERVICE, Cue.CATALOGUE):
        return False
    if _buys_something_new(ctx):
        return True  # "Fördermittel für die neue Drehleiter unserer Feuerwehr?" – whatever service "Feuerwehr" finds
    top = ctx.candidates.top_service
    if top is not None and top.score >= ctx.thresholds.service_accept:
        return False
    return any(INVESTMENT.match(u.surface) for u in ctx.candidates.units)


def _buys_something_new(ctx: Context) -> bool:
    """A new thing nothing here explains ("die neue Drehleiter") is bought, not applied for online."""
    names = set(ctx.candidates.names)
    return any(m.group("thing") in names for m in NEW_THING.finditer(ctx.question.joined))


def _about_a_party(ctx: Context) -> bool:
    """An applicant named beside a weak service match asks about itself ("kleine Gem. mit 1800 Einwohnern,
    können wir mitmachen?" is no question about the Meldewesen)."""
    top = ctx.candidates.top_service
    return bool(ctx.general_parties["applicant"]) and (top.score < ctx.thresholds.service_accept
                                                       or _found_by_offices_only(ctx))


def _partial_or_clarify(ctx: Context) -> Intent:
    """Services that share only a part with the question: the asked-for thing is another one, not in
    the catalogue; otherwise ask back which one is meant."""
    if ctx.eligibility and ctx.partial_words:
        return ctx.verdict(unknown_service=ctx.typed(ctx.partial_words[:2]))
    return ClarifyServicesIntent(ctx.close_services)


def _clarify_eligibility(ctx: Context) -> Intent:
    low = ctx.thresholds.service_clarify * ctx.thresholds.clarify_eligibility_factor
    return ClarifyServicesIntent(tuple(s for s in ctx.candidates.services if s.score >= low))


RULES: tuple[Rule, ...] = (
    Rule("chosen_faq", lambda c: c.chosen_faq is not None, lambda c: FaqIntent(c.chosen_faq)),
    Rule("abuse", lambda c: c.features.abuse is not None, lambda c: FallbackIntent("insult" if c.features.abuse == "insult" else "abuse")),
    Rule("empty", lambda c: not c.question.text, lambda c: FallbackIntent("empty")),
    Rule("no_words", lambda c: not c.features.has_letters, lambda c: FallbackIntent("no_words")),
    Rule("smalltalk", lambda c: c.features.only_smalltalk, lambda c: SmalltalkIntent(c.features.smalltalk)),
    Rule("invalid_date", lambda c: bool(c.question.date and c.question.date.invalid),
         lambda c: ClarifyDateIntent(c.question.date.text)),
    Rule("task", lambda c: c.has(Cue.TASK), lambda c: FallbackIntent("task")),
    Rule("off_topic", lambda c: c.has(Cue.OFF_TOPIC) and not c.has(Cue.ELIGIBILITY, Cue.STRONG_ELIGIBILITY),
         lambda c: FallbackIntent("out_of_scope")),
    Rule("citizen_request", _citizen_request, lambda c: FallbackIntent("citizen")),
    Rule("other_funding", _other_funding, lambda c: FallbackIntent("other_funding")),
    Rule("matter_itself", _asks_the_matter_itself, lambda c: FallbackIntent("out_of_scope")),
    Rule("how_to", lambda c: c.has(Cue.HOW_TO) and not c.has(*FUNDING_CUES_BUT_DOMAIN), lambda c: FallbackIntent("how_to")),
    Rule("chosen_service", lambda c: c.chosen_service is not None, lambda c: c.verdict_on_service(c.chosen_service)),
    Rule("refers_to_nothing", _refers_to_nothing, lambda c: ClarifyServicesIntent(())),
    Rule("service_topic", lambda c: c.named_service is not None and bool(TOPIC_OF.search(c.question.joined)),
         lambda c: replace(c.verdict_on_service(c.named_service), aspects=("topic",))),
    Rule("catalogue_list", lambda c: c.listing is not None, lambda c: c.listing),
    Rule("two_services", lambda c: bool(c.both_services) and c.verdict_wanted,
         lambda c: VerdictsIntent(tuple(c.verdict_on_service(s) for s in c.both_services))),
    Rule("other_group", lambda c: bool(_other_group(c)) and not c.service_types, _service_for_other_group),
    Rule("named_thing_not_found", lambda c: bool(c.named_thing_not_found) and c.eligibility and not c.service_types,
         lambda c: c.verdict(unknown_service=c.typed(c.named_thing_not_found[:1]))),
    Rule("one_of_several", lambda c: c.one_of_several and c.eligibility and not c.party_decides,
         lambda c: ClarifyServicesIntent(tuple(s for s in c.candidates.services
                                               if s.score >= c.thresholds.service_clarify))),
    Rule("vague_subject", lambda c: bool(c.vague_subject_services) and (c.eligibility or c.has(Cue.ABOUT_SERVICE)),
         lambda c: ClarifyServicesIntent(c.vague_subject_services)),
    Rule("checked_against_exclusion", lambda c: _checked_against_an_exclusion(c) is not None,
         lambda c: c.verdict_on_service(_checked_against_an_exclusion(c))),
    Rule("service_named", _service_named, lambda c: _searched(c, c.verdict_on_service(c.service(c.candidates.top_service)))),
    Rule("single_candidate", _single_candidate,
         lambda c: c.verdict_on_service(c.service(c.candidates.top_service))),
    Rule("service_type", lambda c: bool(c.service_types) and (c.verdict_wanted or c.cost is not None),
         lambda c: c.verdict(service_type=c.service_types[0])),
    Rule("party", lambda c: c.party_decides and c.verdict_wanted, lambda c: c.verdict()),
    Rule("cost", lambda c: c.cost is not None and c.verdict_wanted and not _w_question_about_the_cost_itself(c),
         lambda c: c.verdict(cost=c.cost)),
    Rule("own_share", _own_share, lambda c: c.verdict()),
    Rule("unnamed_assistant", _unnamed_assistant, lambda c: ClarifyServicesIntent(())),
    Rule("programme_status", _programme_status, _status_intent),
    Rule("clarify_services", _clarify_among_services, lambda c: ClarifyServicesIntent(c.close_services)),
    Rule("source_silent", lambda c: c.has(Cue.SOURCE_ON) and bool(_unknown_things(c)) and not c.faq_strong,
         lambda c: c.verdict(silent_point=c.typed(_point_asked(c)))),
    Rule("unknown_service", _unknown_service,
         lambda c: c.verdict(unknown_service=c.typed(_unknown_things(c)[:3]))),
    Rule("partial_service", lambda c: c.plausible_services and not _about_a_party(c) and not _w_question_without_funding(c)
         and not _faq_beats_a_lone_guess(c),
         _partial_or_clarify),
    Rule("applicant", lambda c: bool(c.general_parties["applicant"]) and c.eligibility and not c.fact_question,
         lambda c: c.verdict()),
    Rule("vague", _is_vague, lambda c: ClarifyServicesIntent(())),
    Rule("faq", lambda c: c.faq_ok, lambda c: _faq_intent(c)),
    Rule("whole_phrase", lambda c: _whole_phrase_entry(c) is not None, lambda c: FaqIntent(_whole_phrase_entry(c))),
    Rule("clarify_eligibility", lambda c: c.eligibility and not (c.has(Cue.W_QUESTION) and _offer_faq(c)),
         _clarify_eligibility),
    Rule("clarify_faq", _offer_faq, lambda c: ClarifyFaqIntent(c.candidates.faqs[:3])),
    Rule("out_of_scope", lambda c: True, lambda c: FallbackIntent("out_of_scope")),
)


def route(ctx: Context) -> tuple[Rule, Intent]:
    """The first rule that applies, and the intent it builds."""
    rule = next(r for r in RULES if r.applies(ctx))
    return rule, rule.build(ctx)
