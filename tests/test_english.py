"""English questions are read as their German reading and answered in German."""

from datetime import date

import pytest

from bot.knowledge.english import ENGLISH


@pytest.mark.parametrize(("question", "as_of", "verdict"), [
    ("Is the funding programme for online application assistants in Saxony still running?", date(2024, 3, 3),
     "conditional"),
    ("is the saxon programme for online application assistants still running today?", date(2026, 12, 7), "expired"),
    ("Can we get funding for an online form we built ourselves for fishing licences? We are a small town in Saxony.",
     date(2023, 4, 4), "not_eligible"),
    ("Is the online assistant for applying for a fishing licence funded in 2024?", date(2024, 4, 10), "conditional"),
])
def test_an_english_question_gets_the_verdict_in_german(assistant, question, as_of, verdict):
    answer = assistant.answer(question, as_of)
    assert answer.verdict is not None and answer.verdict.value == verdict, answer.trace
    assert answer.headline.startswith(("Ja", "Nein", "Bis")), answer.headline


@pytest.mark.parametrize("question", ["is das raus?", "Wie ist der Stand der Förderung?", "Hello, good afternoon!",
                                      "Ist der Assistent für die Hundesteuer noch gefördert, oder?"])
def test_german_questions_and_greetings_are_left_as_they_are(question):
    assert ENGLISH.to_german(question) == question


def test_an_english_question_out_of_scope_stays_out_of_scope(assistant):
    assert assistant.answer("What is the capital of France?", date(2026, 12, 7)).kind.value == "fallback"


def test_the_english_clause_of_a_mixed_question_is_read_as_german(assistant):
    answer = assistant.answer("we built our own online form for Sperrmüll with an agency – zählt das als OAA im Sinne "
                              "der Förderung?", date(2022, 12, 12))
    assert answer.verdict.value == "not_eligible"
    assert "Hundesteuer-Assistent" in ENGLISH.to_german("Ist der Hundesteuer-Assistent gefördert – und wie lange noch?")
