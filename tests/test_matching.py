"""How a question's words pick the service it is about: what is compared with, named as an example,
or asked about."""

from datetime import date

import pytest

D23 = date(2023, 5, 1)


@pytest.mark.parametrize(("question", "service"), [
    ("Gewerbe anmelden online – das ist doch auch gefördert wie die Gewerbesteuer, oder?", "efa-wsp"),
    ("Auto anmelden online – fördert das der Freistaat genauso wie den Anwohnerparkausweis?", "ekol-kfz-zulassung"),
    ("wohnsitz ummelden online, faellt das unter die foerderung? beim hund anmelden gings ja auch", "vois-meldewesen"),
    ("meldebescheinigung online – is das gefoerdert? wir haben ja auch den fundsachen-melder", "vois-meldewesen"),
])
def test_a_service_named_only_to_compare_with_is_not_the_one_asked(assistant, question, service):
    answer = assistant.answer(question, D23)
    assert (answer.service, answer.verdict.value) == (service, "not_eligible"), answer.trace


def test_a_service_named_as_an_example_of_a_kind_is_still_meant(assistant):
    answer = assistant.answer("Gilt für geplante Assistenten wie die Spielplatzpatenschaft dieselbe Frist?", D23)
    assert answer.service == "spielplatzpatenschaft"


@pytest.mark.parametrize("question", [
    "ich bin von einer privaten hausverwaltung, gibts für uns den wohngeld-oaa gefördert?",
    "Ich bin bei einem privaten Tiefbauunternehmen. Können wir den Assistenten für Aufgrabegenehmigungen gefördert bekommen?",
])
def test_an_asker_naming_its_private_workplace_is_the_applicant(assistant, question):
    answer = assistant.answer(question, D23)
    assert answer.verdict.value == "not_eligible", answer.trace


def test_steht_fest_is_no_festival(assistant):
    answer = assistant.answer("steht die förderung für 2023 schon fest?", D23)
    assert (answer.route, answer.service, answer.verdict.value) == ("programme_status", None, "conditional")
