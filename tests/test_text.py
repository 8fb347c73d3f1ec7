import pytest

from bot.knowledge.text import CompoundSplitter, fold, stem, words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Förderfähig", "forderfahig"),
        ("foerderfaehig", "forderfahig"),
        ("Straße", "strasse"),
        ("Schülerbeförderung", "schulerbeforderung"),
        ("100%ige Rabattierung", "100 prozent  rabattierung"),
        ("ＨＵＮＤ", "hund"),
    ],
)
def test_fold_treats_umlauts_both_ways(raw, folded):
    assert fold(raw) == folded


def test_words_split_on_hyphens_and_punctuation():
    assert words("Hundesteuer-Assistent: förderfähig?!") == ["hundesteur", "assistent", "forderfahig"]


def test_typed_umlauts_and_digraphs_stem_alike():
    assert stem(fold("Gemeinden")) == stem(fold("gemeinden")) == "gemeind"
    assert words("Hundesteuer") == words("hundesteur")


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("hundesteuranmeldung", ("hundesteur", "anmeld")),
        ("gewerbesteuranmeldung", ("gewerbesteur", "anmeld")),
        ("onlineantragsassistent", ("onlin", "antrag", "assistent")),
    ],
)
def test_compounds_split_into_known_parts(word, parts):
    vocabulary = {"hundesteur", "anmeldung", "anmeld", "gewerbesteur", "online", "onlin", "antrag", "assistent"}
    assert CompoundSplitter(vocabulary).split(word) == parts


def test_of_two_splits_the_head_with_the_least_ending_wins():
    splitter = CompoundSplitter({"hund", "hundes", "steur", "teur"})  # "eines Hundes", "teuer" in the knowledge
    assert splitter.split("hundesteur") == ("hund", "steur")


def test_befoerderung_never_yields_foerderung():
    splitter = CompoundSplitter({"schuler", "forderung", "forder"})
    assert "forder" not in splitter.split("schulerbeforderung")


def test_tail_names_what_an_unknown_compound_is():
    assert CompoundSplitter({"fragen", "frag"}).tail("ruckfragen") == "frag"
