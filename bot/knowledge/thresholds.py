"""Every number that weights or compares a score in the decision stage, each with what it trades.

Scores are on 0–1. `service_accept`, `service_margin`, `faq_accept` and `faq_clarify` are tuned with
`python -m bot eval --tune` on the tuning half of tests/data/eval.yaml and reported on the other half
(see README); the others were set by hand on the development sets and are pinned by the rule tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IndexWeights:
    """How the candidate search credits a word of one side found on the other."""

    whole: float = 1.0  # the same word (stem)
    all_parts: float = 0.9  # every part of a compound found ("Hunde-steuer" ~ "Hundesteuer")
    as_part: float = 0.8  # the word is a part of a compound on the other side
    as_affix: float = 0.7  # the word is the start or end of one ("rabatt" in "rabattierung")
    some_parts: float = 0.5  # share of a compound's parts found, times this
    tail: float = 0.6  # only the known last part of an unknown compound ("Rückfragen" → "Fragen")
    inside: float = 0.5  # the other side names a part of this word ("parkausweis" in "besucherparkausweis")
    context: float = 0.6  # a word found only in an FAQ entry's answer text, not its phrasings
    question_word: float = 0.25  # weight of "wer"/"was" (times a typical word's): kind of question, not topic
    everyday_unknown: float = 0.3  # weight of an unknown everyday word (Zipf ≥ everyday_zipf), times a typical one
    rare_unknown: float = 0.6  # weight of an unknown, less common word (Zipf ≥ name_zipf), times a typical one
    everyday_zipf: float = 5.0  # Zipf frequency from which an unknown word is an everyday word
    name_zipf: float = 4.0  # Zipf frequency below which an unknown word weighs like a name
    real_word_zipf: float = 3.0  # an unknown word at least this common in German is no typo to correct
    # A long question describes its case in words the catalogue never uses ("Heimatfest", "Bierwagen");
    # they must not drown the one word that names the service.
    service_unknown_factor: float = 0.4
    service_phrase_weight: float = 0.6  # services: blend of phrase cover (vs question cover)
    faq_phrase_weight: float = 0.5  # FAQ entries: blend of phrase cover (vs question cover)


@dataclass(frozen=True)
class Thresholds:
    # ---- services ----
    service_accept: float = 0.62  # a service named clearly enough for a verdict (tuned)
    service_margin: float = 0.10  # lead over the second service below which the bot asks back (tuned)
    # …unless both readings get the same verdict and the top one still leads by this much: answering the
    # better one beats a question back; below it the two are too close to name either
    same_verdict_margin: float = 0.05
    service_clarify: float = 0.40  # a service plausible enough to be offered as a candidate
    weak_phrase_cover: float = 0.5  # a service whose keyword is only this much found…
    weak_word_zipf: float = 4.5  # …through one word this common in German is not named at all…
    weak_below_offer: float = 0.05  # …its score held this far below service_clarify
    phrase_beside_name: float = 0.6  # beside a name nothing explains, a service needs this much of a phrase found
    followup_service: float = 0.5  # in a short "und die …?" a service this plausible is the one meant…
    followup_service_lead: float = 0.2  # …when it leads every other candidate by this much
    compared_service: float = 0.62  # a comparison clause ("wie die Gewerbesteuer") names this service: not the one asked
    rival_strong_cover: float = 0.5  # a second service naming this much of the question as words is a rival…
    rival_strong_slack: float = 0.05  # …or one naming nearly as much as the top one
    explains_more: float = 0.2  # the top service explaining this much more of the question is not ambiguous
    single_candidate_lead: float = 0.1  # a lone candidate needs service_clarify plus this…
    single_candidate_phrase: float = 0.6  # …and this share of its name found
    close_candidate_gap: float = 0.2  # candidates offered: within this of the top score…
    close_candidate_strong: float = 0.75  # …or naming this much of the question as words
    kind_max_services: int = 4  # a word that is the kind of at most this many services offers them all to choose
    clarify_strong_cover: float = 0.5  # ask back among services when the top one names this much as words
    clarify_eligibility_factor: float = 0.5  # an eligibility question offers services from service_clarify × this
    shares_only_a_part: float = 0.7  # a word credited below this by the top service is not explained by it
    # an asking sentence of this many words after sentences that only tell is searched on its own too: a long
    # description of the office must not dilute the words that name the service
    asked_sentence_words: int = 6
    # ---- FAQ entries ----
    faq_accept: float = 0.58  # an FAQ entry fitting well enough to answer (tuned)
    faq_strong: float = 0.72  # an FAQ entry fitting so well that it beats a weaker service match
    faq_clarify: float = 0.34  # an FAQ entry plausible enough to be offered (tuned)
    faq_fuzzy_blend: float = 0.2  # share of rapidfuzz's token_set_ratio in an FAQ entry's score
    whole_phrasing: float = 0.95  # a whole phrasing of the entry stands in the question…
    whole_phrasing_question: float = 0.25  # …and makes up this much of it
    faq_phrase_cover: float = 0.4  # an accepted entry has this much of a phrasing found…
    faq_query_cover_alone: float = 0.7  # …or explains this much of the question
    faq_query_cover: float = 0.4  # and explains at least this much of the question
    faq_query_cover_names: float = 0.65  # with unexplained names: this much of the question…
    faq_phrase_cover_names: float = 0.8  # …or this much of a phrasing
    faq_beats_unknown: float = 0.75  # an entry explaining this much is no question about an unknown service
    faq_clarify_query_cover: float = 0.5  # an entry offered must explain this much of the question
    whole_phrase_ratio: float = 90  # rapidfuzz ratio (0–100) for questions made only of function words
    # ---- unknown words ----
    name_zipf: float = 4.0  # Zipf below which an unknown word is the name of something the bot does not know
    rare_zipf: float = 4.6  # Zipf below which an unknown word may name a service missing from the catalogue
    everyday_zipf: float = 5.0  # a capitalised unknown noun below this may name a missing service
    # ---- topics ----
    topic_accept: float = 0.5  # share of a Themenfeld's words found for it to count as named
    index: IndexWeights = field(default_factory=IndexWeights)
