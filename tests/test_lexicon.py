"""The lexicon: every word class defined once, in folded spelling, and loaded without error."""

from dataclasses import fields

import yaml

from bot.knowledge.lexicon import LEXICON, LEXICON_FILE
from bot.knowledge.text import fold


def test_every_class_is_filled():
    for f in fields(LEXICON):
        assert getattr(LEXICON, f.name), f.name


def test_words_match_questions_however_they_fold(assistant):
    # "aktuell" folds to "aktull" in a question; the lexicon reads its words the same way
    assert fold("aktuell") in LEXICON.not_naming_a_service and fold("dafür") in LEXICON.stopwords


def test_the_files_keys_are_the_lexicons_classes():
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    read = {f.name.removesuffix("_stems").removesuffix("_words") for f in fields(LEXICON)}
    read |= {"faq_tags", "question_words", "meaning_words", "followup", "domain", "eligibility", "deadline", "vague", "about_a_service", "money", "listing",
             "count", "catalogue", "planned", "own_share", "period_nouns", "target_groups", "wants_funding",
             "programme_status", "empty_verbs", "off_topic", "service_kinds"}
    assert set(data) <= read, set(data) - read


def test_phrase_patterns_are_written_as_questions_are_folded():
    """Questions are folded before the patterns read them ("individuell" → "individull", "bauen" →
    "baun"): a literal with ae/oe/ue in a pattern could never match."""
    import re

    from bot.knowledge import lexicon
    for name, pattern in vars(lexicon).items():
        if isinstance(pattern, re.Pattern):
            literals = set(re.findall(r"[a-z]{3,}", pattern.pattern))
            assert not [w for w in literals if re.search(r"(?<!q)(ae|oe|ue)", w)], name


def test_no_pattern_is_defined_twice():
    """A second `NAME = re.compile(…)` silently replaces the first for every module that imports it."""
    import ast

    from bot.knowledge import lexicon
    tree = ast.parse(open(lexicon.__file__, encoding="utf-8").read())
    names = [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)]
    assert sorted({n for n in names if names.count(n) > 1}) == []
