"""The bot's word classes and phrase patterns: the one owner of every word list of the decision stage.

Word lists are data (lexicon.yaml, next to this module); the phrase patterns that need word order
are compiled here. Other modules read both only through `LEXICON` and the pattern constants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

import Stemmer

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")
_STEMMER = Stemmer.Stemmer("german")


def _stem(word: str) -> str:
    return word if word.isdigit() else _STEMMER.stemWord(word)


@dataclass(frozen=True)
class Lexicon:
    """Word classes as folded words (`…_words`) or their stems (`…_stems`)."""

    stopwords: frozenset[str]
    question_words: frozenset[str]
    meaning_words: frozenset[str]
    not_naming_a_service: frozenset[str]
    not_naming_a_service_stems: frozenset[str]
    domain_stems: frozenset[str]
    programme_prefixes: tuple[str, ...]
    about_a_service_stems: frozenset[str]
    vague_stems: frozenset[str]
    service_kind_stems: frozenset[str]  # "Genehmigung", "Bescheinigung": kinds of service, vague, no names
    vague_markers: tuple[tuple[str, ...], ...]  # "rund um", "das mit": the noun after them is a vague subject
    vague_articles: frozenset[str]
    eligibility_stems: frozenset[str]
    strong_eligibility_prefixes: tuple[str, ...]
    deadline_stems: frozenset[str]
    programme_status_stems: frozenset[str]
    money_stems: frozenset[str]
    period_noun_stems: frozenset[str]
    own_share_stems: frozenset[str]
    listing_stems: frozenset[str]
    count_stems: frozenset[str]
    catalogue_stems: frozenset[str]
    planned_stems: frozenset[str]
    smalltalk: dict[str, frozenset[str]]
    smalltalk_filler: frozenset[str]
    smalltalk_filler_stems: frozenset[str]
    self_cues: frozenset[str]
    deictic: frozenset[str]
    target_group_stems: frozenset[str]
    opposites: dict[str, frozenset[str]]
    followup_openers: frozenset[str]
    why: frozenset[str]
    followup_back: frozenset[str]
    followup_new_topic: tuple[str, ...]
    followup_now: frozenset[str]
    followup_condition: frozenset[str]
    ordinals: dict[str, int]
    modals: frozenset[str]
    wants_funding_stems: frozenset[str]
    wants: frozenset[str]
    the_assistant: frozenset[str]
    question_openers: frozenset[str]
    relative_pronouns: frozenset[str]
    offers: frozenset[str]
    private_adjectives: frozenset[str]
    party_endings: tuple[str, ...]
    clause_openers: frozenset[str]
    other_party: frozenset[str]
    known_bodies: frozenset[str]
    not_a_thing: frozenset[str]
    periods_tag: str
    catalogue_tag: str
    smalltalk_tag: str
    askers: frozenset[str]
    office_endings: tuple[str, ...]
    asker_endings: tuple[str, ...]
    empty_verbs: frozenset[str]
    particles: frozenset[str]
    off_topic_stems: frozenset[str]
    insult_stems: frozenset[str]
    addressed: frozenset[str]
    months: dict[str, int]


def _fold(word: str) -> str:
    """The spelling questions are read in ("aktuell" → "aktull", "dafür" → "dafur"): see text.fold."""
    from .text import fold  # text imports nothing from here; imported late to keep this module first
    return fold(word)


def _words(raw: str) -> frozenset[str]:
    return frozenset(_fold(w) for w in str(raw).split())


def _stems(raw: str) -> frozenset[str]:
    return frozenset(_stem(_fold(w)) for w in str(raw).split())


def _followup_words(data: dict) -> dict:
    """The follow-up classes (lexicon.yaml `followup`)."""
    return {
        "followup_openers": _words(data["openers"]),
        "why": _words(data["why"]),
        "followup_back": _words(data["back"]),
        "followup_new_topic": tuple(" ".join(_fold(p).split()) for p in data["new_topic"]),
        "followup_now": _words(data["now"]),
        "followup_condition": _words(data["condition"]),
        "ordinals": {_fold(str(k)): int(v) for k, v in data["ordinals"].items()},
    }


def _party_words(data: dict) -> dict:
    """The classes that tell who asks and who would be funded."""
    return {
        "modals": _words(data["modals"]),
        "wants_funding_stems": _stems(data["wants_funding"]),
        "wants": _words(data["wants"]),
        "the_assistant": _words(data["the_assistant"]),
        "question_openers": _words(data["question_openers"]),
        "relative_pronouns": _words(data["relative_pronouns"]),
        "offers": _words(data["offers"]),
        "private_adjectives": _words(data["private_adjectives"]),
        "party_endings": tuple(data["party_endings"].split()),
        "clause_openers": _words(data["clause_openers"]),
        "other_party": _words(data["other_party"]),
        "known_bodies": _words(data["known_bodies"]),
    }


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    filler = _words(data["smalltalk_filler"])
    return Lexicon(
        stopwords=_words(data["stopwords"]),
        question_words=_words(data["question_words"]),
        meaning_words=_words(data["meaning_words"]),
        not_naming_a_service=_words(data["not_naming_a_service"]),
        not_naming_a_service_stems=_stems(data["not_naming_a_service"]),
        domain_stems=_stems(data["domain"]),
        programme_prefixes=tuple(sorted(_words(data["programme_prefixes"]))),
        about_a_service_stems=_stems(data["about_a_service"]),
        vague_stems=_stems(data["vague"]),
        service_kind_stems=_stems(data["service_kinds"]),
        vague_markers=tuple(tuple(_fold(p).split()) for p in str(data["vague_markers"]).split(",")),
        vague_articles=_words(data["vague_articles"]),
        eligibility_stems=_stems(data["eligibility"]),
        strong_eligibility_prefixes=tuple(sorted(_words(data["strong_eligibility_prefixes"]))),
        deadline_stems=_stems(data["deadline"]),
        programme_status_stems=_stems(data["programme_status"]),
        money_stems=_stems(data["money"]),
        period_noun_stems=_stems(data["period_nouns"]),
        own_share_stems=_stems(data["own_share"]),
        listing_stems=_stems(data["listing"]),
        count_stems=_stems(data["count"]),
        catalogue_stems=_stems(data["catalogue"]),
        planned_stems=_stems(data["planned"]),
        smalltalk={kind: _words(ws) for kind, ws in data["smalltalk"].items()},
        smalltalk_filler=filler,
        smalltalk_filler_stems=frozenset(_stem(w) for w in filler),
        self_cues=_words(data["self_cues"]),
        deictic=_words(data["deictic"]),
        target_group_stems=_stems(data["target_groups"]),
        opposites={_fold(str(k)): frozenset(_fold(str(w)) for w in v) for k, v in data["opposites"].items()},
        **_followup_words(data["followup"]),
        **_party_words(data),
        not_a_thing=_words(data["not_a_thing"]),
        periods_tag=str(data["faq_tags"]["periods"]),
        catalogue_tag=str(data["faq_tags"]["catalogue"]),
        smalltalk_tag=str(data["faq_tags"]["smalltalk"]),
        askers=_words(data["askers"]),
        office_endings=tuple(sorted(_words(data["office_endings"]))),
        asker_endings=tuple(sorted(_words(data["asker_endings"]))),
        empty_verbs=_words(data["empty_verbs"]),
        particles=_words(data["particles"]),
        off_topic_stems=_stems(data["off_topic"]),
        insult_stems=_stems(data["insult"]),
        addressed=_words(data["addressed"]),
        months={str(k): int(v) for k, v in data["months"].items()},  # as the date patterns read them
    )


LEXICON = load_lexicon()

# ---- phrase patterns (on folded, space-joined words unless said otherwise) ----------------------

# Words the question excludes: "Anliegerbescheinigung (nicht die Hausnummer!)".
# On the folded text with its punctuation. "nicht die Hausnummer", "nicht um die Kfz-Zulassung": with an
# article or preposition the exclusion runs to the end of the clause ("(nicht die Gestattung für Feste)");
# without one it is the next word only ("nicht mehr" excludes nothing).
NEGATION = re.compile(
    r"\b(?:nicht|nich|kein\w*|ohne|ausser)\s+(?:(?P<scope>(?:die|der|das|den|dem|des|fur|zum|zur|um|eine?n?|normale\w*)"
    r"\s+(?:(?:die|der|das|den|dem|des|eine?n?|normale\w*)\s+)?[^,;:.!?()\u2013\u2014]*?)(?=$|[,;:.!?()\u2013\u2014]|\s+sondern\b"
    r"|\s+aber\b)|(?P<word>\w+(?:-\w+)*))")
# A service named only to compare with: "Gewerbe anmelden – gefördert wie die Gewerbesteuer?", "beim
# Hund anmelden gings ja auch", "wir haben ja auch den Fundsachen-Melder": the question is about the other.
COMPARED = re.compile(
    r"(?<=\S)\s+(?:genauso\s+|ebenso\s+|ahnlich\s+|so\s+|auch\s+)?wie\s+(?P<like>(?:bei|beim|fur|im|der|die|das|den|dem"
    r"|unser\w*)\s+[^,;:.!?()\u2013\u2014]*?)(?=$|[,;:.!?()\u2013\u2014])"
    r"|\bbei(?:m|\s+der|\s+dem|\s+den)?\s+(?P<went>[^,;:.!?()\u2013\u2014]*?)\s+(?:ging|gings|gehts|geht|klappt\w*|lief|war)"
    r"\s+(?:es\s+|das\s+)?(?:ja|doch)\s+auch\b"
    r"|\bwir\s+(?:haben|hatten|nutzen|ham)\s+(?:ja|doch)\s+(?:auch|schon)\s+(?P<have>[^,;:.!?()\u2013\u2014]*)"
    r"|\b(?:genauso|ebenso|so|gleiche\w*(?:\s+\w+){1,3}|d(?:ie|er|as)selbe\w*(?:\s+\w+){1,3}|selbe\w*(?:\s+\w+){1,3})"
    r"\s+wie\s+(?P<same>[^,;:.!?()\u2013\u2014]+)"
    r"|\bnur\s+so\s+(?:ein|eine|einen|ne|n|was wie)\s+(?P<sortof>[^,;:.!?()\u2013\u2014]+)"
    # "Unterhaltsvorschuss online – ist das nicht wie Wohngeld auch gefördert?": compared with
    r"|\b(?:nicht|doch)\s+(?:so\s+|genauso\s+)?wie\s+(?P<notlike>[^,;:.!?()\u2013\u2014]+?)(?=\s+(?:auch|gefordert|forderfahig)\b|\s*[,;:.!?()\u2013\u2014]|$)"
    # "ist das das Elterngeld-Ding aus Bremen oder was eigenes?", "ist das nicht das BAföG-Ding aus Sachsen-Anhalt?"
    r"|\bist\s+das\s+(?:nicht\s+|etwa\s+|eher\s+)?(?:das|der|die)\s+(?P<isthat>[\w-]+-ding\w*(?:\s+aus\s+[\w-]+)?"
    r"|[\w-]+\s+aus\s+(?!dem\b|der\b|den\b)[\w-]+)"
    # "Waffenbesitzkarte – is ja fast wie Jagdschein": near the other thing, so not it
    r"|\b(?:fast|beinahe|quasi|praktisch|ungefahr|so\s+ahnlich|ahnlich)\s+(?:so\s+)?wie\s+(?P<near>[^,;:.!?()\u2013\u2014]+)"
    r"|\b(?:gefordert|forderfahig|finanziert|bezahlt|behandelt)\s+(?:genauso\s+|ebenso\s+|so\s+)?wie\s+"
    r"(?P<funded>[^,;:.!?()\u2013\u2014]+)"
    r"|\bauch\s+(?:nur\s+)?(?:so\s+(?:ein\w*|ne|n|was)|sowas)\s+(?:[\w-]+\s+)?wie\s+(?P<also>[^,;:.!?()\u2013\u2014]+)"
    r"|\b(?:der|die|das)\s+(?P<isalso>[^,;:.!?()\u2013\u2014]+?)\s+(?:ist|war|wird|wurde)\s+(?:es\s+|das\s+)?(?:ja|doch)"
    r"\s+auch(?=\s*(?:$|[,;:.!?()\u2013\u2014]))")
# "Die Gewerbesteueranmeldung ist ja gefördert – gilt das auch für …?": what the asker takes as given (folded).
PREMISE = re.compile(r"(?P<premise>[^,;:.!?()\u2013\u2014]+?)\s+(?:(?:ist|is|war|sind|waren|wird|wurde)\s+"
                     r"(?:ja|doch|klar|sicher|bekanntlich)\s+"
                     # "X geht ja über KISA und ist gefördert"
                     r"|(?:ja|doch)\s+(?:[^\W\d]+\s+){0,5}?(?:ist|war|sind|waren|wird|wurde)\s+)"
                     r"(?:auch\s+|schon\s+)?(?:gefordert|forderfahig|drin|dabei|mit\s+drin)\b"
                     # "Schülerbeförderung is klar, aber …", "der Wohngeld-Assistent läuft bei uns, jetzt …"
                     r"|(?P<clear>[^,;:.!?()\u2013\u2014]+?)\s+(?:ist\s+klar|is\s+klar|geht|klappt|hamm\s+ja|ham\s+wir|haben\s+wir"
                     r"(?:\s+ja|\s+schon)?)(?=\s*,?\s*aber\b)"
                     r"|(?P<runs>[^,;:.!?()\u2013\u2014]+?)\s+(?:lauft|laufen)\s+(?:schon\s+|bereits\s+)?bei\s+uns\b")
# "Ist das als Sozialleistung nicht EfA?": the word after "als" names a kind of thing, not the thing asked about.
AS_A_KIND = re.compile(r"\bals\s+[\w-]+")
# Where one sentence ends and the next begins: after ?, or after . or ! that ends a word of four letters
# or more other than an abbreviation ("z.B. aus", "bzw. Jagen", "inkl. Support" do not end a sentence).
SENTENCE_END = re.compile(r"(?<=\?)\s+|(?<=\w{4}[.!])(?<!inkl\.)(?<!evtl\.)(?<!bzgl\.)(?<!bspw\.)\s+")
# "geplante Assistenten wie die Spielplatzpatenschaft": "wie" after a kind of thing gives an example, no comparison.
EXAMPLE_OF = re.compile(r"\b(assistent\w*|oaa\w*|dienst\w*|leistung\w*|angebot\w*|sowas|so was|etwas|themen\w*|bereich\w*)$")
# "Ich bin von einer privaten Hausverwaltung", "wir arbeiten bei einem Tiefbauunternehmen": the asker
# names where it works (on the words right before the party).
SELF_AT = re.compile(r"\b(ich bin|wir sind|ich arbeite|wir arbeiten|ich komme|wir kommen|ich schreibe|wir schreiben)"
                     r"\s+(bei|von|fur|aus)\s+(einem|einer|einen|der|dem|den|eine|ein)?\s*(\w+\s*){0,2}$"
                     # "wir sind ne private Kurverwaltung GmbH": what the asker is, a few words on
                     r"|\b(wir sind|ich bin)\s+(ne|n|eine|ein|einen)(\s+\w+){0,3}$"
                     # "Ich bin Geschäftsführer eines privaten Bestattungsunternehmens"
                     r"|\b(wir sind|ich bin)\s+\w+\s+(eines|einer|des|der)(\s+\w+){0,2}$")
# "Fällt der Assistent unter die Förderung?" – across up to seven words.
FALLS_UNDER = re.compile(r"\bfall\w*\s+(\w+\s+){0,7}unter\b(?!\s+(die|das|den|eine|einen)?\s*\w*(satzung|gesetz|verordnung|pflicht)\w*\b)")
# "gibt es dafür Förderung", "Geld für …": a funding question proper.
FUNDING_FOR = re.compile(
    r"\b(forderung|forderungen|fordermittel|zuschuss|finanzierung|anschubfinanzierung|geld)\s+(fur|furs|zum|zur)\b"
    r"|\bgibt\s*s?\s+(es\s+)?(dafur\s+|hierfur\s+|da\s+)?(eine\s+|einen\s+|auch\s+)?"
    r"(forderung|zuschuss|geld|fordermittel|anschubfinanzierung)\b"
    r"|\b(dafur|hierfur)\s+(eine\s+|einen\s+)?(forderung|zuschuss|geld|fordermittel|anschubfinanzierung)\b"
    r"|\bgilt\s+(das|die|der|es|diese\w*)\s+(\w+\s+){0,3}(auch\s+)?fur\b")
# "Geht das?", "Ist das drin?", "Zahlt das der Freistaat?": an eligibility question in other words.
GEHT_DAS = re.compile(r"\b(geht|ginge|klappt) (das|sowas|so was|es)\b|\bist das drin\b|\bzahlt (das|der|die)\b"
                      r"|\b(konnen|durfen|kann|darf) (wir|die|der) (das|die|den|es|sowas)? ?(auch )?(nutzen|bekommen|kriegen"
                      r"|beantragen|mitmachen|in anspruch nehmen)\b"
                      # "sind wir als Große Kreisstadt auch dabei?": taking part
                      r"|\b(sind|ist|seid|waren|war) (wir|die|der|das|ihr|sie)\b(\s+[\w.]+){0,4}\s+(auch\s+|mit\s+)*dabei\b")
# "wie viele", "wie viel": a question for a number.
HOW_MANY = re.compile(r"\bwie\s?viele?n?\b(?!\s+(prozent|euro|geld|rabatt|kostet|kosten|zahlen|zahlt))")  # not "wie viel Prozent"
# "wann", "bis wann", "wie lange": a question for a point in time.
WHEN = re.compile(r"\bwann\b|\bwie lange\b")
# "Bis wann …", "Ab wann …", "Wie lange …", "Wann endet …": a question for the programme's period.
PERIOD_QUESTION = re.compile(r"\b(bis|ab|seit) wann\b|\bwie lange?\b|\bwann\s+(endet|endete|enden|lauft|laufen|hort"
                             r"|ist schluss|is schluss|ist ende|beginnt|begann|startet|gilt|galt)\b"
                             r"|\bbis zu (welchem|welchen) (datum|zeitpunkt|tag|termin|stichtag)\b"
                             # "Förderende? Konkretes Datum bitte." ("Förderende" stems as "Förderung" does)
                             r"|(?<!nach dem )(?<!nach )(?<!ab dem )\b(forderende|forderendes|forderschluss|laufzeitende)\b")
# "ab wann", "seit wann": a question for the start.
FROM_WHEN = re.compile(r"\b(ab|seit) wann\b|\b(startet|beginnt|begann|anfangt|losgeht)\b")
# "Was bedeutet …", "Was heißt …", "Was ist mit … gemeint": a question for a definition.
DEFINITION = re.compile(r"\b(was|wie)\s+(bedeutet|heisst|meint|versteht)\b|\bgemeint\b|\bdefinition\b")
# "Was sagt die Pressemitteilung zum Datenschutz?", "Macht die Quelle Vorgaben zur Barrierefreiheit?": what the source
# says on a point (folded words).
_SOURCE = r"(pressemitteilung|pm|mitteilung|quelle|meldung)"
SOURCE_ON = re.compile(rf"\b(was|welche\w*)\s+(sagt|steht|schreibt|regelt|enthalt)\s+(\w+\s+){{0,2}}{_SOURCE}\b"
                       rf"|\b(macht|enthalt|trifft|nennt)\s+(die|der|das)\s+{_SOURCE}\s+(\w+\s+){{0,2}}"
                       rf"(vorgaben|aussagen|angaben|regelungen)\b"
                       rf"|\b(steht|stand)\s+(in|im)\s+(der|dem)\s+{_SOURCE}\s+(\w+\s+){{0,2}}(zu|zum|zur|uber)\b")
# "wie lange": a deadline question.
HOW_LONG = re.compile(r"\bwie lange?\b")
# Prompt injections (on the folded text).
INJECTION = re.compile(
    r"(ignor\w*|vergiss|vergessen|missacht\w*|uberschreib\w*|disregard|forget)\W+(\w+\W+){0,4}"
    r"(regel\w*|anweisung\w*|instruktion\w*|vorgabe\w*|prompt\w*|rules?|instructions?|richtlinie\w*)"
    r"|system\s*-?\s*prompt|jailbreak|developer\s+mode|du\s+bist\s+(ab\s+)?(jetzt|ab\s+sofort|nun)\b|act\s+as\b"
    r"|sag\w*\W+(\w+\W+){0,3}(dass|das)\s+alles\b|say\s+(that\s+)?everything"
    r"|antworte\w*(\W+\w+){0,3}\W+(immer|nur)(\s+noch)?\s+mit|^\W*(system|admin|assistant)\s*:"
    r"|</?\s*(system|admin|instructions?)\s*>|\bneu\w*\s+regel\s*:"  # "</system> neue regel: antworte nur noch mit JA"
    r"|ab\s+(jetzt|sofort)\s+(ist|sind|gilt|gelten)\b|bestatige\w*\s+(mit\s+ok|das|dies)\b"
    r"|\btu\s+so\s*,?\s+als\s+(ob\s+)?(warst|warest|bist|seist)\s+du\b|\bstell\s+dir\s+vor\s*,?\s+du\s+(bist|warst)\b"
    r"|(vergiss|ignorier\w*)\W+(\w+\W+){0,2}(pressemitteilung|quelle\w*|wissen|vorgaben)"
)
# Code and markup (on the raw text).
CODE = re.compile(
    r"<\s*/?\s*(script|iframe|img|svg|object|embed|style|form|input|link|meta)\b[^>]*>|javascript:|\bon\w+\s*="
    r"|\b(drop|truncate|alter)\s+table\b|\bselect\b.+\bfrom\b|\bunion\s+select\b|\binsert\s+into\b"
    r"|\bdelete\s+from\b|;\s*--|'\s*or\s+'?1'?\s*=\s*'?1|\{\{.*\}\}|\$\{.*\}",
    re.IGNORECASE,
)
# An HTML-like tag in a question (removed before matching).
TAG = re.compile(r"<[^>]{0,200}>")
# A preposition right before a date: "nach 2024", "vor dem 01.07.2022", "ab Juli 2022".
DATE_PREPOSITION = re.compile(r"\b(?P<prep>nach|ab|seit|vor|bis|uber)(\s+(dem|den|zum|zur|der|ende|anfang|sommer|herbst"
                              r"|winter|fruhjahr|fruhling))?\s*$")
# "über 2024 hinaus": after the date (on the folded text right after it).
BEYOND = re.compile(r"\s*(\w+\s+){0,2}hinaus\b")
# "Die Förderung endete doch Ende 2024 – wurde sie verlängert?": the date an ending is quoted at, not the day
# asked about (on the folded text before the date).
ENDED_AT = re.compile(r"\b(endete|endeten|geendet|lief|liefen|ausgelaufen|auslief|beendet|abgelaufen)\b(\s+\w+){0,3}\s*$")
# "Ende 2024 vorbei – oder gibts ne Verlängerung?": the date named is when it ended; the question is about today
# (on the folded text right after the date).
OVER_AFTER = re.compile(r"\s*(ist\s+|war\s+)?(vorbei|ausgelaufen|abgelaufen|beendet|zu ende|rum|schluss)\b")
# "mit dem Jahreswechsel 2024/25": the first day of the later year.
YEAR_CHANGE = re.compile(r"\b(jahreswechsel|jahreswende|wechsel)\s+(von\s+)?(?P<y>20\d\d)\s*(/|auf|zu|-)\s*(20)?(?P<y2>\d\d)\b")
# "heute", "jetzt", "gestern", "morgen" (not "guten Morgen") – a day relative to the day asked.
RELATIVE_DAY = re.compile(r"(?<!guten )(?<!gute )\b(?P<which>heute|jetzt|gestern|vorgestern|morgen|ubermorgen)\b")
# "Ist das seit 2023 gefördert?": with a funding word "seit" names the day asked; "wir nutzen ihn seit
# Sommer 2022" only tells since when.
WHEN_SINCE = re.compile(r"\bseit\b[^,.;?!]{0,25}\b(gefordert|forderfahig|finanziert|ubernommen|bezahlt)\b")
# "gelten die 100 % noch?", "gibt es den Rabatt weiterhin?": asks whether a fact still holds – for the day asked.
STILL = re.compile(r"\b(gilt|gelten|gibt|gibts|lauft|laufen|bleibt|bleiben|zahlt|zahlen|ubernimmt|ubernehmen)\b"
                   r"(\s+[\w%]+){0,8}?\s+(noch|weiterhin|nach wie vor)\b")
# "Wie lange läuft die Förderung für uns noch?": asked for from today on, whatever date the telling sentences name.
HOW_LONG_STILL = re.compile(r"\b(wie lange|bis wann)\b(\s+\w+){0,8}?\s+noch\b")
# "läuft bis wann, 2024 oder 2025?": years offered as answers to choose from name no day asked about (folded).
YEAR_CHOICE = re.compile(r"\b20\d\d\s+oder\s+(?:erst\s+)?20\d\d\b")
# "läuft doch bis 2025, oder?", "gilt doch ab dem 1. Januar 2022, oder?": a claim about the period to check – the day
# asked is the day of asking (folded; the words before the date, and after it).
CLAIM_BEFORE = re.compile(r"\b(lauft|laufen|gilt|gelten|geht)\s+(\w+\s+){0,2}?(doch|ja)\s+(\S+\s+){0,3}$")
CLAIM_AFTER = re.compile(r"^[^?]{0,20}\boder\s*\?")
# "vor zwei Jahren", "vor einem halben Jahr", "in drei Monaten": a span back or ahead from the day asked.
RELATIVE_SPAN = re.compile(
    r"\b(?P<dir>vor|in)\s+(?P<n>\d{1,2}|einem|einer|ein|zwei|drei|vier|funf|sechs|sieben|acht|neun|zehn|elf|zwolf"
    r"|anderthalb|eineinhalb)\s+(?P<half>halben\s+)?(?P<unit>jahr|jahren|monat|monaten|woche|wochen)\b")
# "nächstes Jahr", "letztes Jahr", "dieses Jahr".
RELATIVE_YEAR = re.compile(
    r"\b(?:(?P<q>anfang|mitte|ende)\s+(?:des\s+)?)?"  # "Anfang letzten Jahres": its first day
    r"(?P<which>ubernachst\w*|nachst\w*|kommend\w*|vorletzt\w*|letzt\w*|vorig\w*|vergangen\w*|dies\w*|laufend\w*)"
    r"\s+jahr(es)?\b")
# An own development described in plain words: the municipality's own IT wrote it, a contractor
# builds it for this municipality alone, it was made in-house. (A match that names KISA or an
# assistant is no own development: "unsere IT hat den KISA-Assistenten eingebaut".)
_OWN = r"(unser\w*|unsr\w*|eigen\w*|hauseigen\w*|stadtisch\w*|kommunal\w*|extern\w*)"
_MADE = (r"(geschrieben|gebaut|programmier\w*|entwickel\w*|weiterentwickel\w*|erstell\w*|gebastelt|zusammengebastelt|gestrickt|massschneider\w*"
         r"|zusammengebaut|zusammengeklickt|aufgesetzt|aufgebaut|eingebaut|umgesetzt|schreibt|baut|bastelt|strickt"
         r"|drangebaut|angebaut|dazugebaut|drangehangt|erganzt"
         r"|schreiben|baun|basteln)")
_PEOPLE = (r"(it|edv|it abteilung|itabteilung|edv abteilung|\w*programmierer\w*|\w*entwickler\w*|informatiker\w*"
           r"|techniker\w*|admin\w*|it leute|it ler|it koordinator\w*|it partner|it dienstleister|dienstleister|partner"
           r"|azubi\w*|auszubildend\w*|praktikant\w*|kolleg\w*|mitarbeiter\w*"
           r"|agentur|\w*team)")
_VENDOR = r"(dienstleister\w*|firma|firmen|anbieter\w*|agentur\w*|softwarehaus|softwarefirma|it firma|unternehmen|entwickler\w*)"
_THING = (r"(\w*formular\w*|losung\w*|software|programm\w*|\w*portal\w*|anwendung\w*|app|\w*tool\w*"
          r"|antragsstrecke\w*|online dienst\w*|onlinedienst\w*|system\w*|webseite|website|script\w*|skript\w*"
          r"|online antrag\w*|onlineantrag\w*|\w*antrag|online verfahren\w*|onlineverfahren\w*|\w*modul\w*|\w*melder"
          r"|\w*seite)")
OWN_DEVELOPMENT = re.compile(
    rf"\b{_OWN}\s+(\w+\s+){{0,2}}{_PEOPLE}\b(\s+\w+){{0,10}}\s+({_MADE}|gemacht)\b"
    rf"|\b(selbst|selber|eigenhandig|in eigenregie|im haus|inhouse|in house|intern)\s+(\w+\s+){{0,7}}{_MADE}\b"
    rf"|\b(nur|allein|exklusiv|extra|speziell|individull|massgeschneidert\w*)\s+(\w+\s+){{0,2}}fur\s+(uns|unsere\w*"
    rf"|die stadt|die gemeinde|den landkreis)\b(\s+\w+){{0,8}}\s+{_MADE}\b"
    rf"|\b{_MADE}\s+(\w+\s+){{0,4}}(nur|allein|exklusiv|extra|speziell|individull)\s+fur\s+(uns|unsere\w*)\b"
    rf"|\b(eigen\w*|hauseigen\w*|selbst gebaut\w*|selbstgebaut\w*|selbst erstellt\w*|selbsterstellt\w*|hausgemacht\w*"
    rf"|selbstgehostet\w*|selbst gehostet\w*|open source|opensource)\s+"
    rf"(\w+\s+){{0,2}}{_THING}\b(?!\s+(?:zu\s+)?(?:stellen|einreichen|abgeben))"  # not "einen eigenen Antrag stellen"
    rf"|\b(massgeschneidert\w*|individull\w*)\s+(\w+\s+){{0,2}}{_THING}\b"
    # "unser eigenes, von der Verwaltung programmiertes Tool", "wir bauen Formulare für einzelne Gemeinden individuell"
    rf"|\beigen\w*\s+(\w+\s+){{0,4}}{_MADE}\w*\s+{_THING}\b"
    rf"|\b{_MADE}\b(\s+\w+){{0,6}}?\s+(individull|massgeschneidert|exklusiv|eigens)\w*\b"
    # "Wir lassen uns von einer Agentur einen ganz eigenen Antragsassistenten programmieren"
    rf"|\blassen\s+uns\s+von\s+(\w+\s+){{0,10}}?{_MADE}\b"
    # "… hat eine kleine Webseite bauen lassen", "ein Formular programmieren lassen"
    rf"|\b{_THING}\s+(\w+\s+){{0,2}}?(baun|programmieren|entwickeln|erstellen|schreiben)\s+lassen\b"
    # "Wir lassen uns gerade eine Friedhofssoftware … maßschneidern"
    rf"|\blassen\s+uns\s+(\w+\s+){{0,10}}?(massschneider\w*|massgeschneidert\w*)\b"
    rf"|\b(selbst|selber)\s+(\w+\s+){{0,3}}\w*formular\w*\b"
    # "Der Sohn vom Gemeinderat hat uns ein Online-Formular gebaut": made for the municipality by someone.
    rf"|\b(hat|haben|hatte|hatten)\s+uns\s+(\w+\s+){{0,8}}?{_MADE}\b"
    # "Ein Dienstleister bietet an, uns ein Portal zu bauen": built for the municipality alone.
    rf"|\b{_VENDOR}\b(\s+\w+){{0,4}}?\s+(uns|fur uns)\s+(\w+\s+){{0,6}}?(zu\s+)?{_MADE}\b"
)
NOT_OWN_DEVELOPMENT = re.compile(r"\b(kisa|assistent\w*|oaa)\b")
# "einen eigenen OAA bauen lassen": an assistant called the municipality's own is an own development.
OWN_ASSISTANT = re.compile(r"\b(eigen|eigene|eigenen|eigener|eigenes|ganz eigenen)\s+(online\s+)?(oaa|assistent\w*"
                           r"|antragsassistent\w*|onlineassistent\w*|onlineantragsassistent\w*)\b"
                           r"|\b(geforkt\w*|geforked|forken)\b")  # "OAA geforkt, intern weiterentwickelt"
# "… abschalten und stattdessen den KISA-Assistenten nehmen": the question is about the replacement.
REPLACES_OWN = re.compile(r"\b(ablosen|ersetzen|umsteigen|abschalten)\b")
# "…, oder müssten wir (dafür auf das Angebot von KISA) umsteigen?": switching asked as the alternative – the own
# system is still what is asked about.
SWITCH_AS_ALTERNATIVE = re.compile(r"\boder\s+(mussten|mussen|sollten|sollen|konnten)\s+wir\s+(\w+\s+){0,8}?"
                                   r"(ablosen|ersetzen|umsteigen|abschalten)\b")
# "nicht X, sondern Y", "stattdessen Y": what follows is what is meant.
INSTEAD = re.compile(r"\b(sondern|stattdessen|statt dessen|anstatt dessen)\b")
# "wir haben … programmiert": made by the asker.
WE_MADE = re.compile(r"\b(wir|wir ham|wir haben)\b(\s+\w+){0,10}?\s+(programmiert|entwickelt|gebaut|gebastelt"
                     r"|zusammengebastelt|geschrieben|zusammengeklickt)\b"
                     r"|\bwir\s+(programmieren|entwickeln|baun|basteln|schreiben)\b(\s+\w+){0,6}?\s+(selbst|selber)\b"
                     r"|\bwir\s+(programmieren|entwickeln|basteln|schreiben)\s+(gerade|seit|an|schon|grad)\b")

# A request for a list of services: "Welche Assistenten gibt es für …", "Was habt ihr im Bereich …",
# "Zeig mir alles zum Thema …", "im Themenfeld …", "in Planung".
LIST_REQUEST = re.compile(
    r"\b(welche\w*|was fur|zeig\w*|liste\w*|auflist\w*|aufzahl\w*|ubersicht|nenn\w*)\b(\s+\w+){0,6}?\s+"
    r"(assistent\w*|antragsassistent\w*|onlineantragsassistent\w*|oaa\w*|dienste|diensten|leistungen|angebote?"
    r"|onlinedienste?|eintrage|antrage)\b"
    r"|\b(was|welche\w*)\s+(habt|gibt|gibts|fuhrt|bietet|haben|hat|fuhren|bieten|steht|stehen)\b"
    r"|\b(im|in dem|aus dem|zum)\s+(themenfeld|bereich|katalog)\b|\bthemenfeld\b|\bim katalog\b|\bin planung\b"
    r"|\bhabt ihr\s+(da\s+)?(was|etwas|welche|assistenten|oaa\w*|dienste)\b"
    r"|\b(was|welche)\s+(ist|sind|wird|werden|kommt|kommen)\s+(denn\s+|noch\s+|alles\s+){0,3}(geplant|in planung)\b"
    r"|\bgibt\s*s?\s+(es\s+)?(was|etwas|welche)\s+(fur|furs|zu|im|zum)\b"
    r"|\b(zeig|zeige|zeigen)\b|\b(rund ums?|zum thema)\b|\b(auflisten|aufzahlen)\b|\bmit\s+(\w+\s+){1,3}zu tun\b"
    r"|\b(liste|listen|listet)\s+(\w+\s+){0,6}?auf\b|\balles\s+(aus|im)\b"  # "Liste bitte alles … auf"
    r"|\balle\s+(oaa\w*|assistent\w*|onlinedienste)\s+(zu|zum|zur|rund)\b"  # "alle oaa zu steuern bitte"
)
# The list cues that only say what about: with a yes/no funding question they make no list by themselves.
LIST_BY_SUBJECT = re.compile(r"\b(rund ums?|zum thema)\b")
# What a list is about: "rund um Hunde", "zum Thema Hund", "alles, was mit Parkausweisen zu tun hat" – the
# subject decides, not a Themenfeld word elsewhere ("Ordnungsamt fragt").
LIST_SUBJECT = re.compile(r"\b(?:rund ums?|zum thema|thema|(?:was|etwas)\s+furs)\s+(?P<subject>[^,;:.!?()\u2013\u2014]+?)"
                          r"(?=\s*(?:[,;:.!?()\u2013\u2014]|$)|\s+(?:im|in|gibt|gibts|habt|bei|fur)\b)"
                          r"|\bmit\s+(?P<with>[^,;:.!?()\u2013\u2014]+?)\s+zu\s+tun\b")
# Subjects that make a list only when they find several services: "habt ihr was zu Hunden?" lists Hundesteuer
# and gefährliche Hunde, "gibts was für Angler?" is about the one Fischereischein; "hunde – was habt ihr da
# alles?", "parkausweise: welche gibts?" put the subject first.
LIST_SUBJECT_OF_SEVERAL = re.compile(
    r"\b(?:was|etwas)\s+(?:fur|zu|zum|zur)\s+(?P<about>[^,;:.!?()\u2013\u2014]+?)"
    r"(?=\s*(?:[,;:.!?()\u2013\u2014]|$)|\s+(?:im|in|gibt|gibts|habt|bei|fur)\b)"
    r"|^(?P<first>[^,;:.!?()\u2013\u2014]{3,40}?)\s*[:\u2013\u2014-]\s*(?:was|welche)\s+(?:habt|gibt|gibts|hat|haben)\b")
# "was es im Bereich Bildung gibt, das gefördert ist": only what the programme funds (KISA's own services).
LIST_FUNDED = re.compile(r"\b(das|die|der|was|welche)\s+(auch\s+)?(gefordert|forderfahig)\w*\s+(ist|sind|wird|werden)\b"
                         r"|\b(geforderte[n]?|forderfahige[n]?)\s+(assistent\w*|oaa|dienste|leistungen|angebote)\b"
                         # "Welche Assistenten im Themenfeld Bauen & Wohnen sind gefördert?"
                         r"|\bwelche\b(\s+\w+){0,8}?\s+(sind|werden|wird|ist)\s+(auch\s+)?(gefordert|forderfahig)\b")

# "In welchem Themenfeld steht der Grabnutzungs-Assistent?", "themenfeld vom schülerbeförderungs-oaa?": the
# Themenfeld of a service named, not a list of one.
TOPIC_OF = re.compile(r"\b(welche[mns]?|was fur (einem?\s+)?)\s*(themenfeld|rubrik|kategorie)\b"
                      r"|\bthemenfeld\s+(vom|von|des|der|fur den|furs)\b")

# "… gefördert und was zahlen wir dafür?", "kostet uns das was?": what the municipality pays – the source's
# words on its share (folded text).
WHAT_WE_PAY = re.compile(r"\b(was|wieviel|wie viel)\s+(zahlen|bezahlen|zahlt|kostet|kosten)\s+(wir|uns|man|das uns)\b"
                         r"|\bkostet\s+(uns\s+)?(das|der|die|es)\s+(uns\s+)?(was|etwas|nix|nichts)\b"
                         r"|\bmussen\s+wir\s+(da\s+|dafur\s+)?(was|etwas)\s+(zahlen|bezahlen|zuzahlen|dazuzahlen)\b")

# "Der Anwohnerparkausweis ist doch Kfz-Kram – fällt der unter eKOL und ist damit raus?": whether a service is
# one of the excluded ones it is named beside.
EXCLUSION_ASKED = re.compile(r"\b(raus|ausgeschlossen\w*|ausgenommen\w*)\b|\bfall\w*\s+(\w+\s+){0,6}unter\b"
                             # "… gehört die zu diesem BAföG-EfA-Dienst oder ist das ein geförderter KISA-Assistent?"
                             r"|\bgehort\w*\s+(\w+\s+){0,4}(zu|zum|zur)\b|\boder\s+(\w+\s+){0,4}gefordert\w*\b")

# "gilt das auch für Landkreise oder nur für Gemeinden?": the word after "auch" is the one asked about.
AFTER_AUCH = re.compile(r"\bauch\s+(?:fur\s+|furs\s+|die\s+|den\s+|unsere\w*\s+)?(\w+)")

# Narrowing a list: "schon verfügbar", "nicht geplant" – only what can be ordered today; "noch nicht
# verfügbar" – only the planned ones; "KISA-Assistenten", "von KISA" – only KISA's own (no EfA services).
LIST_AVAILABLE = re.compile(r"\b(?<!nicht )(?<!noch nicht )(verfugbar\w*|freigeschaltet\w*|bestellbar\w*)\b"
                            r"|\b(schon|bereits) (online|da|nutzbar|im shop)\b|\bnicht (geplant|in planung)\b")
LIST_PLANNED = re.compile(r"\bnicht (verfugbar\w*|freigeschaltet|bestellbar|online)\b")
LIST_KISA = re.compile(r"\bkisa ?(assistent\w*|oaa\w*|eigene\w*)\b|\bvon (der )?kisa\b|\bkisa (hat|bietet|anbietet)\b")
# Word forms that are no names of things: adjectives and adverbs ("fördertechnisch", "rückwirkend"),
# infinitives with "zu" ("einzusteigen", "anzubieten"), participles ("geschaltet", "eingerichtet") – on one
# folded word.
NOT_A_NAME = re.compile(r"^(ab|an|auf|aus|ein|mit|vor|nach|weg|um|los|fest|frei|hin|her|zuruck)ge\w{3,}(en|t|et)$"
                        r"|^(genau|nah|spat|fruh|bess|lang|kurz|weit|hoh|eh)e?r$"
                        r"|^\w{3,}(isch|ischen|ische|lich|liche|lichen|weise|massig)$|^\w{6,}end$|^(an|auf|aus|ein|mit|ab|um|zu"
                        r"|vor|nach|weg|hin|her|los|dazu|wieder)zu\w{3,}en$|^\w{0,6}ge\w{3,}(t|et)$")
# Inflected participles written in lower case ("der beauftragte Assistent", "die bestellten"): no names of things
# in a normally written question (a capitalised "Verwaltungsakte" still may be).
LOWER_PARTICIPLE = re.compile(r"^(be|ver|er|ent|zer|ge|auf|ein|an|um)\w{3,}(t|te|ten|tes|ter|tem|et|ete|eten)$")
# A citizen asking the bot to do a service: "Kann ich mein Auto bei Ihnen ummelden?", "Ich will meinen
# Hund anmelden." (staff ask "Wo kann ich die Assistenten bestellen?" – no "mein").
CITIZEN_REQUEST = re.compile(r"\b(kann|darf|muss|konnte) ich\s+(\w+\s+){0,5}?(mein|meine|meinen|meinem|meiner)\b"
                             r"|\bich (mochte|will|muss) (als burger\w* |privat )?(mein|meine|meinen)\b"
                             # "hab meinen Schlüssel auf dem Markt verloren. Wo kann ich den abholen?"
                             r"|\b(hab|habe) (mein|meine|meinen|meinem)\s+(\w+\s+){1,5}(verloren|vergessen|liegen lassen)\b"
                             r"|\bwo kann ich (den|das|es|ihn|mein\w*) (abholen|finden|bekommen|zuruckbekommen)\b"
                             # "wissen, wann ich meinen neuen Reisepass abholen kann"
                             r"|\b(wann|wo|wie) ich (mein|meine|meinen|meinem|meiner)\b"
                             r"|\bwie\s+beantrage\s+ich\s+(als\s+burger\w*\s+)?(einen|eine|ein|mein\w*)\b"
                             r"|\bwie\s+beantrag\w*\s+ich\s+(privat|fur mich)\b")  # "wie beantrag ich privat wohngeld"
# Investments other programmes fund ("Breitbandausbau", "Sanierung der Turnhalle", "Neubau"): a funding
# question about them is not about online application assistants (on one folded word, by its ending).
INVESTMENT = re.compile(r"^\w*(ausbau|sanierung|neubau|umbau|anbau|modernisierung|renovierung|erweiterung|beschaffung"
                        r"|anschaffung|investition|investitionen|infrastruktur)$|^\w*(glasfaser|breitband)\w*$"
                        r"|^e?(stadtebau|dorfentwicklung|dorferneu|denkmalschutz|denkmalpflege|radweg|digitalpakt|ladesaul"
                        r"|ladestation|ladeinfrastruktur)\w*$"
                        r"|^\w*(ausrustung|ausstattung|gerate|fahrzeug|fahrzeuge)$")  # "Feuerwehrausrüstung", "Atemschutzgeräte"
# Other funding programmes named: "DigitalPakt Schule – wie beantragen wir Tablets?" (on one folded word).
OTHER_PROGRAMME = re.compile(r"^(digitalpakt|stadtebauforder|stadtebaufordermittel|leader|efre|breitbandforder)\w*$")
# "Fördermittel für einen neuen Radweg", "Förderprogramm für die Sanierung des …": what the money is for (folded).
MONEY_FOR = re.compile(r"\b(fordermittel\w*|forderprogramm\w*|forderung|forderungen|zuschuss\w*|mittel)\s+(?:gibt\s+es\s+)?"
                         r"(?:aus\s+der\s+(?P<source>\w+)\s+)?(?:fur|zur|zum)\s+(?:den|die|das|einen|eine|ein|unseren|unsere|unser)?\s*"
                         r"(?P<new>neu\w*\s+)?(?:e\s+)?(?P<thing>\w+)\b(?!\s+(?:assistent\w*|oaa\w*|assi|antragsassistent\w*)\b)")
# "für die neue Drehleiter": a new thing to buy (folded words; the noun after it is checked to be unexplained).
# Folded: "neue", "neuen", "neues" read "neu", "neun", "neus" (ue is folded like ü).
NEW_THING = re.compile(r"\bneu(?:e|en|er|es|em|n|r|s|m)?\s+(?P<thing>\w+)")
# "Guten Tag, ich bin die neue Kassenverwalterin": the asker introduces themselves (folded words).
# "… und wollte mich nur kurz vorstellen": a message that only introduces its sender, however long.
SELF_INTRODUCED = re.compile(r"\b(mich|uns)\s+(\w+\s+){0,3}?vorstellen\b")
INTRODUCTION = re.compile(r"\b(ich bin|mein name ist|ich heisse|hier ist|hier spricht|wir sind|am apparat)\b"
                          r"|\b\w*(beauftragte|beauftragter)\s+(\w+\s+){0,3}hier\b"
                          # "Guten Tag, Pressestelle der Stadt.", "… wollte nur mal Hallo sagen."
                          r"|^(guten tag|hallo|moin|servus)\s+\w*(stelle|amt|verwaltung|buro|abteilung)\b"
                          r"|\b(nur|mal)\s+(mal\s+)?hallo sagen\b")
# "Wann ist die nächste Landtagswahl?", "Wer wird nächster OB?": elections, not online applications (folded).
ELECTION = re.compile(r"\bwann\s+(ist|is|sind|findet|kommt)\s+(\w+\s+){0,3}?(nachste\w*\s+)?\w*wahl\w*\b(?!\s+online)"
                      r"|\bwer\s+wird\s+(\w+\s+)?(nachste\w*|neu\w*)\s+(ob|oberburgermeister\w*|burgermeister\w*|landrat\w*"
                      r"|ministerprasident\w*)\b")
# "Ich hätte (da mal) eine Frage …": a question announced, not yet asked.
ANNOUNCED_QUESTION = re.compile(r"\b(ich|wir)\s+(hatte|hatten|habe|haben|hab|ham)\s+(da\s+)?(mal\s+)?(noch\s+)?"
                                r"(eine|ne|n|einige|ein paar)\s+(kurze\s+)?frage|^(eine\s+|ne\s+)?(kurze\s+)?frage\s+"
                                r"(zur|zum|zu|wegen|bezuglich|uber)\s+\w+$")
# A writing or coding task, not a question: "Schreib mir ein Gedicht …", "Erstell ein Python-Skript".
TASK = re.compile(r"\b(gedicht\w*|witz\w*|reim\w*|lied\w*|song|aufsatz|essay|rede|geschichte|marchen|skript\w*"
                  r"|script|python|javascript|sql|excel formel|anschreiben|liebesbrief|beschwerde\w*|brief|briefe"
                  r"|e ?mail|mail|stellungnahme|widerspruch|protokoll|beschlussvorlage|stellenausschreibung\w*"
                  r"|steurerklarung)\b")
# "Wie ändere ich die Felder im Formular?": how to work the assistant – KISA's support knows, not the source.
HOW_TO = re.compile(r"\bwie\s+(andere|bearbeite|konfiguriere|passe|richte|losche|entferne|erganze|stelle|schalte|bau)"
                    r"\s+ich\b")
# "Bitte buche mir einen Termin …": an errand asked of the bot.
ERRAND = re.compile(r"\b(buch|buche|buchen|reservier\w*|vereinbar\w*)\s+(mir|uns)\b"
                    # "Kannst du für mich den Bauantrag von Herrn Schulze ausfüllen?"
                    r"|\b(kannst|konntest)\s+du\b(\s+\w+){0,8}\s+(ausfullen|einreichen|abschicken|stellen)\b")
TASK_VERB = re.compile(r"\b(schreib\w*|dicht\w*|verfass\w*|erzahl\w*|programmier\w*|generier\w*|formulier\w*"
                       r"|erstell\w*|mach\w*|gib)\b")

# "Übersetze 'Hundesteuer' ins Englische": a translation asked of the bot (folded, joined words).
TRANSLATE = re.compile(r"^(bitte\s+)?ubersetz(e|en|t)?\b|\b(kannst|konntest)\s+du\b(\s+\w+){0,6}\s+ubersetzen\b")
# "Was ist mit …", "Wie sieht es aus mit …", "Gilt das auch für …": a follow-up about something else.
FOLLOWUP_PHRASE = re.compile(r"^(und\s+)?(was ist mit|was is mit|was mit|wie ist es mit|wie is es mit|wie siehts? aus mit"
                             r"|wie sieht es (da )?(aus )?mit|gilt das|gilt es|galt das|trifft das|ist das|war das|und wenn"
                             r"|und bei|und fur|und im|und am|und ab|und nach|und vor|auch fur|auch bei)\b")
# A number chosen from a list: "2", "Nr. 2", "die 2".
CHOICE_NUMBER = re.compile(r"^\W*(?:nr\.?\s*|nummer\s*|die\s+|den\s+|der\s+)?(\d)\W*$")

# "bis 2024" quoted as the period's end in a question about now: "war doch bis 2024, oder? is die frist
# inzwischen abgelaufen?" asks about today.
NOW_AFTER_END = re.compile(r"\b(inzwischen|mittlerweile|abgelaufen|vorbei|rum|ausgelaufen)\b")
# "Stand heute", "der Stand mit der Förderung": the state of things, not a (market) stand (folded).
_STATE_OF_THINGS = r"\bstand\s+(heute|jetzt|aktull|der dinge)\b|\b(der|den|dem)\s+stand\s+(mit|bei|der|zur|zum|von)\b"
STATE_OF_THINGS = re.compile(_STATE_OF_THINGS)
# "Wie schaut's aus mit der Förderung?": a question for the programme's status.
STATUS_PHRASE = re.compile(r"\bwie\s+(schauts|siehts|sieht es|steht es|stehts|schaut es)\s+(\w+\s+){0,2}mit\s+"
                           r"(der|dem|den)?\s*(forderung|anschubfinanzierung|programm|geld|kohle|finanzierung)\b"
                           # "Wie ist der Stand mit der OAA-Förderung?", "Stand heute?"
                           r"|" + _STATE_OF_THINGS +
                           # "Gilt das Programm für alle Assistenten aus dem KISA-Shop?": the programme as a whole
                           r"|\b(fur|auf)\s+alle\s+(kisa\s+)?(assistent\w*|oaa\w*|onlinedienste|dienste)\b"
                           # "wird die Förderung jetzt nicht mehr gezahlt?"
                           r"|\bnicht\s+mehr\s+(gezahlt|bezahlt|gefordert|ubernommen|finanziert)\b")
# "zweites Halbjahr 2022".
HALF_YEAR = re.compile(r"\b(?P<half>erste|ersten|erstes|zweite|zweiten|zweites)\s+(halbjahr(es)?|jahreshalfte)\s+"
                       r"(?P<y>20\d\d|2\d)\b(?!\.\d)")
# "fest zugesagt", "ist das schon fest?": the adverb, not a Fest (a celebration) to register.
FIXED = re.compile(r"\bfest\s+(zugesagt|zugesichert|eingeplant|vorgesehen|damit|darauf|auf|rechnen|steht|stehen|beschlossen"
                   r"|bewilligt|bestatigt|garantiert|gesichert|oder)\b|\b(ist|war|sind|is)\s+(das|die|es|der)?\s*(schon\s+|denn\s+|jetzt\s+)?fest\b"
                   r"|\b(ist|war|sind|is|waren)\b(\s+\w+){0,4}?\s+(schon|denn|jetzt|endgultig|wirklich)\s+fest\W*$"
                   r"|\b(steht|stehen|stand|standen|gilt|gelten|lauft|laufen|lief)\b(\s+\w+){0,6}?\s+fest\b"
                   r"|\b(gabs|gibts|gab|gibt)\b(\s+\w+){0,6}?\s+fest\W*$"  # "gabs das fürs zweite Halbjahr 22 fest?"
                   # "Kann ich die Förderung für 2023 fest im Haushalt einplanen?"
                   r"|\bfest\s+(im|in den|in unseren|in unserem)\s+(\w+\s+)?(haushalt|plan)\w*\b|\bfest\s+(einplanen|einstellen)\b")
# "letzten Herbst", "diesen Sommer": a season relative to the year asked.
RELATIVE_SEASON = re.compile(r"\b(?P<which>letzt\w*|vorig\w*|vergangen\w*|dies\w*|kommend\w*|nachst\w*)\s+"
                             r"(?P<season>fruhjahr|fruhling|sommer|herbst|winter)\b")
# "ab nächstem Quartal", "im letzten Quartal": the first day of that quarter.
RELATIVE_QUARTER = re.compile(r"\b(?P<which>letzt\w*|vorig\w*|vergangen\w*|dies\w*|laufend\w*|kommend\w*|nachst\w*)"
                              r"\s+quartal\w*\b")
# "unser OAA", "der von uns beauftragte Assistent", "das neue Online-Ding": one particular assistant, not named
# (on the folded, space-joined words).
ONE_ASSISTANT = re.compile(r"\b(?P<art>unser|unseren|unserem|unsern|der|den|dem|diesen|diesem|dieser|das|einen|eines|einem)\s+"
                           r"(?:(?!die\b|der\b|des\b|fur\b|alle\b|zur\b|zum\b|mit\b)\w+\s+){0,5}?"
                           r"(?P<noun>oaa|assistent|assistenten|antragsassistent\w*|onlineantragsassistent\w*|online formular"
                           r"|onlineformular|online ding|onlineding)\b"
                           r"(?!\s+(?:forderung|programm|finanzierung))"  # "mit der OAA-Förderung": the programme
                           # "der eine, den wir letztes Jahr bei KISA bestellt haben"
                           r"|\b(der|den|dem)\s+(eine|einen|einem)\s+(den|der|die|das)\s+wir\b")
# "ich weiß gerade nicht welcher", "weiss nicht mehr welchen": the asker cannot say which assistant (folded).
DONT_KNOW_WHICH = re.compile(r"\b(weiss|weis|wei)\s+(ich\s+)?(aber\s+)?(gerade\s+|grad\s+|jetzt\s+|leider\s+)?(nicht|nich|net)\s+"
                             r"(mehr\s+)?(welche\w*|genau welche\w*)\b")
# "parkausweis? ah nee moment, ich mein den für Besucher": what comes after the correction is what is meant
# (on the typed text; the words before it are not searched).
CORRECTION = re.compile(r"\b(?:nee|ne|nein|ach)\s*,?\s*(?:sorry|moment|warte|falsch|quatsch)\b[\s,.:!…-]*", re.IGNORECASE)
# "beides gefördert?", "sind beide drin?", "jeweils": a question about each of two things named (not "welches davon").
BOTH = re.compile(r"\b(beide|beides|beiden|jeweils|alle beide|die zwei|beide davon)\b")
# "Veranstaltungsassistent", "Hundesteuerassistenten": a closed compound of a service word and "Assistent" reads as
# "Veranstaltungs-Assistent" (on the typed text; not "Antragsassistent", "Onlineassistent").
ASSISTANT_COMPOUND = re.compile(r"\b(?!(?:online-?)?(?:antrag|antrags|online)assist)([^\W\d_]{3,}?)"
                                r"(assistent(?:en|in)?|oaa)\b", re.IGNORECASE)
# "Ich habe in der Freien Presse gelesen, dass …": where the asker read or heard it names no service (on the typed
# or the folded text).
HEARSAY = re.compile(r"\b(?:in|im|aus)\s+(?:der|dem|einem|einer|unserer|unserem|unserer)?\s*(?:[^\W\d_]+\s+)?"
                     r"(?:zeitung|tageszeitung|lokalzeitung|presse|amtsblatt|artikel|zeitungsartikel|newsletter|nachrichten"
                     r"|radio|fernsehen|zeitschrift|mdr|lvz|medien)\b", re.IGNORECASE)
# "Wahlhelfer-Anmeldung", "Ticket-Assistent": a thing named before a hyphen and a word for an assistant or a kind
# of procedure (folded; the thing is group "thing").
NAMED_BEFORE_KIND = re.compile(r"\b(?P<thing>[^\W\d_]{4,})-(?:assistent\w*|assi|oaa|antrag|antrage|anmeldung"
                               r"|genehmigung|erlaubnis|bescheinigung|formular|verfahren)\b")
# "Festsetzung von einem Jahrmarkt", "Einleitung von Regenwasser": a procedure named before what it is done to
# (folded); only a procedure the knowledge does not know counts (see Context.named_thing_not_found).
# A procedure done to the assistant itself ("die Übersetzung des Hundesteuer-Assistenten") is no other thing.
PROCEDURE_OF = re.compile(r"\b(?P<thing>[^\W\d_]{4,}ung)\s+(?:von|vom|fur|eines|einer|des)\b"
                          r"(?!(?:\s+[\w-]+){0,2}?[\s-]+(?:\w+-)?(?:assistent|oaa|antragsassistent))")
# "Hundekot-Beutelspender-Patenschaft": a compound written with hyphens (folded, letters only).
HYPHENATED = re.compile(r"[^\W\d_]{3,}(?:-[^\W\d_]{3,})+")
# "Wir überlegen, einen der Assistenten einzuführen", "irgendeinen OAA": one assistant of several, not named
# (folded, space-joined words).
ONE_OF_SEVERAL = re.compile(r"\b(?:einen|einem|eine|einer|einen von den|einem von den|einen aus dem katalog)\s+"
                            r"(?:der|den|von den|ihrer|eurer|ihren|euren)\s+(?:\w+\s+)?(?:assistent\w*|oaa\w*|onlinedienste)\b"
                            r"|\birgendein\w*\s+(?:\w+\s+)?(?:assistent\w*|oaa\w*|onlinedienst\w*)\b")
# "bibliotheksausweis online, gibts da was?", "habt ihr was für Jäger?": whether something (funded) exists.
ANYTHING_FOR = re.compile(r"\b(gibt es|gibts|gibt s|gibt\s+es\s+da|habt ihr|haben sie|hat der katalog)\s+"
                          r"(da\s+|dafur\s+|hierfur\s+|denn\s+|auch\s+)?(was|etwas|irgendwas|irgendetwas)\b")
# "Kann sie selbst …?": a party named before asks for itself.
PARTY_ASKS = re.compile(r"\b(kann|konnen|darf|durfen|konnte|konnten)\s+(sie|er|die|der|diese|dieser)\s+(selbst|auch|denn|eigentlich)\b"
                        # "Ein Bauunternehmen fragt, ob es die Förderung … selbst nutzen kann": the party in a clause
                        r"|\bob\s+(es|sie|er)\s+(\w+\s+){0,10}?(nutzen|bekommen|beantragen|erhalten|kriegen|einsetzen|bestellen)"
                        r"\s+(kann|konne|darf|durfe|konnte|konnen|durfen)\b"
                        # "bekommt die Kirche das gefördert?", "… gefördert für die?": the party named before is funded
                        r"|\b(bekommt|kriegt|bekommen|kriegen)\s+(die|der|das)\s+\w+\s+(das|den|die|es)\s+(gefordert|bezahlt"
                        r"|finanziert)\b|\b(gefordert|forderfahig|bezahlt)\s+(auch\s+)?fur\s+(die|den|sie|ihn)\s*$"
                        # "Sind Schulen in freier Trägerschaft berechtigt, den Assistenten … zu nutzen?"
                        r"|\b(sind|ist)\s+(\w+\s+){1,4}?(berechtigt|antragsberechtigt|forderberechtigt)\b"
                        # "Kann der Träger die Kita-Anmeldung … selbst beantragen?"
                        r"|\b(kann|konnen|darf|durfen)\s+(der|die|das)\s+\w+\s+(\w+\s+){0,6}?(selbst|selber)\s+(beantragen|nutzen"
                        r"|bekommen|einrichten|bestellen)\b"
                        # "Kann das Büro für den Assistenten gefördert werden?": the party named before is funded
                        r"|\b(kann|konnen|darf|durfen|konnte|konnten)\s+(das|der|die|diese\w*)\s+\w+\s+(\w+\s+){0,4}"
                        r"(gefordert|finanziert|unterstutzt)\s+werden\b"
                        # "Kann sie die Förderung bekommen?", "bekommt er das Geld": the party named before gets it
                        r"|\b(kann|konnen|darf|durfen|konnte|konnten|bekommt|bekommen|kriegt|kriegen|erhalt|erhalten)\s+"
                        r"(sie|er|diese|dieser|der|die)\s+(die|das|eine|den)\s+(forderung|fordermittel|fordergeld|zuschuss|geld"
                        r"|rabatt|anschubfinanzierung)\b"
                        # "darf die den OAA einsetzen", "will den Aufgrabe-Assistenten selbst nutzen": the party runs it
                        r"|\b(kann|konnen|darf|durfen|will|wollen|mochte|mochten)\s+(sie|er|die|der|diese|dieser)\s+(den|das|die|einen)"
                        r"\s+(\w+\s+)?(oaa|assistent\w*|antragsassistent\w*)\b"
                        r"|\b(will|wollen|mochte|mochten|soll|sollen)\s+(den|das|die|einen)\s+(\w+\s+){0,3}(selbst|selber|eigenstandig"
                        r"|fur sich|auf eigene rechnung)\s+(\w+\s+){0,2}(nutzen|betreiben|einsetzen|bestellen|anbieten|beantragen"
                        r"|einrichten)\b"
                        r"|\bfragt\s+(an|nach|uns|bei uns)?\s*,?\s*ob\s+(sie|er|es|die|der)\b")
# "für das Jahr 2025", "im Jahr 2023": the year asked about, before any other date in the question.
YEAR_ASKED = re.compile(r"\b(fur|furs)\s+(das\s+)?(jahr\s+)?(?P<y>20[1-3]\d)\b|\bim\s+jahr(e)?\s+(?P<y2>20[1-3]\d)\b")
