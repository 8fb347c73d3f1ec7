"""Follow-up questions: one test per follow-up rule, the memory's time limit, and the conversation set."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.evaluation import evaluate_dialogues, load_dialogues
from bot.knowledge.conversation import Conversation
from bot.knowledge.followups import FOLLOW_UPS
from bot.knowledge.model import Kind

D23 = date(2023, 5, 10)
T0 = datetime(2023, 5, 10, 9, 0)
DATA = Path(__file__).resolve().parent / "data"

# rule → (first question, follow-up, route, verdict, service, words the reply starts with)
EXAMPLES = {
    "followup_choice": ("Ist der Hunde-Assistent förderfähig?", "den zweiten", "conditional", "gefaehrliche-hunde",
                        "Ja, unter Vorbehalt"),
    "followup_why": ("Ist die Gewerbeanmeldung förderfähig?", "Warum nicht?", "not_eligible", "efa-wsp",
                     "Zur Begründung"),
    "followup_date": ("Ist der Wohngeld-Assistent förderfähig?", "Und 2025?", "expired", "wohngeld", "Zum 31.12.2025"),
    "followup_deadline": ("Ist der Hundesteuer-Assistent förderfähig?", "Und bis wann?", "conditional", "hundesteuer",
                          "Zur Frist"),
    "followup_applicant": ("Ist der Hundesteuer-Assistent förderfähig?", "Gilt das auch für Zweckverbände?", "unknown",
                           "hundesteuer", "Für Antragsteller »Zweckverband«"),
    "followup_cost": ("Zahlt das Land die Softwarepflege?", "und Schulungen?", "unknown", None,
                      "Zur Kostenart »Schulungen«"),
    "followup_service": ("Ist der Hundesteuer-Assistent förderfähig?", "Und der Fischereischein?", "conditional",
                         "fischereischein", "Zu »Fischereischein beantragen«"),
    "followup_instead": ("Unsere IT hat für die Kita-Anmeldung ein eigenes Online-Formular gebaut. Förderfähig?",
                         "und wenn wir stattdessen den Assistenten von KISA nehmen?", "conditional", "kita-anmeldung",
                         "Zu »"),
    "followup_again": ("Ist der Assistent für die Straßenreinigung förderfähig?", "und wäre der gefördert?",
                       "conditional", "strassenreinigung", "Zu »"),
    "followup_without_context": (None, "Und bis wann?", None, None, "Worauf bezieht sich Ihre Frage?"),
}


def test_every_follow_up_rule_has_an_example():
    assert [r.name for r in FOLLOW_UPS] == list(EXAMPLES)


@pytest.mark.parametrize("rule", list(EXAMPLES))
def test_follow_up_rule(assistant, rule):
    first, follow, verdict, service, starts = EXAMPLES[rule]
    conversation = Conversation(assistant)
    if first:
        conversation.ask(first, D23, T0)
    answer = conversation.ask(follow, D23, T0 + timedelta(minutes=1))
    assert answer.route == rule
    assert (answer.verdict.value if answer.verdict else None) == verdict
    assert answer.service == service
    assert answer.headline.startswith(starts), answer.headline


def test_why_gives_the_reasons(assistant):
    conversation = Conversation(assistant)
    conversation.ask("Ist die Gewerbeanmeldung förderfähig?", D23, T0)
    answer = conversation.ask("warum?", D23, T0)
    assert "Einer-für-Alle" in answer.summary or "EfA" in answer.summary


def test_a_complete_new_question_replaces_the_context(assistant):
    conversation = Conversation(assistant)
    conversation.ask("Ist die Gewerbeanmeldung förderfähig?", D23, T0)
    new = conversation.ask("Ist der Hundesteuer-Assistent förderfähig?", D23, T0)
    assert new.route == "service_named" and new.service == "hundesteuer"
    assert conversation.ask("und bis wann?", D23, T0).service == "hundesteuer"


def test_the_memory_holds_thirty_minutes_of_the_messages_own_time(assistant):
    conversation = Conversation(assistant, minutes=30)
    conversation.ask("Ist der Hundesteuer-Assistent förderfähig?", D23, T0)
    assert conversation.ask("Und 2025?", D23, T0 + timedelta(minutes=29)).route == "followup_date"
    late = conversation.ask("Und 2025?", D23, T0 + timedelta(minutes=29 + 31))
    assert late.kind is Kind.CLARIFY and late.route == "followup_without_context"
    # the chat's last subject is offered as a button
    assert [m.id for m in late.matches] == ["hundesteuer"]


def test_forget_clears_the_memory(assistant):
    conversation = Conversation(assistant)
    conversation.ask("Ist der Hundesteuer-Assistent förderfähig?", D23, T0)
    conversation.forget()
    answer = conversation.ask("Und 2025?", D23, T0)
    assert answer.route == "followup_without_context" and not answer.matches


def test_a_vague_fragment_alone_is_asked_back_with_candidates(assistant):
    answer = Conversation(assistant).ask("Hund?", D23, T0)
    assert answer.route == "clarify_services" and len(answer.matches) >= 2


@pytest.mark.parametrize(("file", "floor"), [
    ("conversations-a.yaml", 0.95),  # blind-written (press release and catalogue only); 86.8 % of turns at first run
    ("conversations-b.yaml", 0.90),  # blind-written; 80.2 % of turns at first run (after the fixes on a), then fixed on
])
def test_conversation_set_floor_and_no_unsafe_verdict(assistant, file, floor):
    report = evaluate_dialogues(load_dialogues(DATA / file), assistant)
    assert report.accuracy >= floor, [(r.case.question, r.wrong) for r in report.results if not r.ok]
    assert report.unsafe() == []


def test_a_choice_from_a_list_answer(assistant):
    conversation = Conversation(assistant)
    listed = conversation.ask("welche oaa habt ihr zum thema steuern?", D23, T0)
    assert listed.listed
    answer = conversation.ask("und der zweite davon, gefördert?", D23, T0 + timedelta(minutes=1))
    assert (answer.route, answer.service) == ("followup_choice", listed.listed[1])


@pytest.mark.parametrize("question", ["war das geld für 2024 eigentlich sicher?", "welche oaa habt ihr zum thema steuern?"])
def test_a_complete_question_without_context_is_answered_on_its_own(assistant, question):
    answer = Conversation(assistant).ask(question, D23, T0)
    assert answer.kind is Kind.ANSWER and not answer.route.startswith("followup"), answer.route


def test_gibberish_without_context_is_no_follow_up(assistant):
    assert Conversation(assistant).ask("asdfgh jkl", D23, T0).kind is Kind.FALLBACK


def test_a_new_topic_announced_is_no_follow_up(assistant):
    conversation = Conversation(assistant)
    conversation.ask("Müssen wir für die Einrichtung der KISA-Assistenten etwas bezahlen?", D23, T0)
    answer = conversation.ask("Ok, andere Frage: ist der Fischereischein-Assistent gefördert?", D23, T0)
    assert (answer.route, answer.service) == ("service_named", "fischereischein")


def test_und_jetzt_asks_about_the_day_it_is_asked_on(assistant):
    conversation = Conversation(assistant)
    conversation.ask("war das geld für 2024 eigentlich sicher?", date(2025, 1, 1), T0)
    answer = conversation.ask("und jetzt?", date(2025, 1, 1), T0)
    assert (answer.route, answer.verdict.value) == ("followup_date", "expired")


def test_a_short_follow_up_takes_the_one_plausible_service(assistant):
    conversation = Conversation(assistant)
    conversation.ask("Ist der Kita-Anmeldungs-Assistent förderfähig?", D23, T0)
    answer = conversation.ask("und die gebührenermäßigung für eltern?", D23, T0)
    assert (answer.route, answer.service) == ("followup_service", "elternbeitrag")
