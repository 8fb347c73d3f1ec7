from datetime import date

import pytest

from bot.knowledge.model import Verdict
from bot.knowledge.rules import Subject, judge


@pytest.fixture(scope="module")
def programme(knowledge):
    return knowledge.programme("sachsen-anschub")


@pytest.mark.parametrize(
    ("day", "verdict"),
    [
        (date(2022, 6, 30), Verdict.UNKNOWN),
        (date(2022, 7, 1), Verdict.ELIGIBLE),
        (date(2022, 12, 31), Verdict.ELIGIBLE),
        (date(2023, 1, 1), Verdict.CONDITIONAL),
        (date(2024, 12, 31), Verdict.CONDITIONAL),
        (date(2025, 1, 1), Verdict.EXPIRED),
        (date(2026, 11, 26), Verdict.EXPIRED),
    ],
)
def test_kisa_service_by_date(knowledge, programme, day, verdict):
    service = knowledge.service("hundesteuer")
    result = judge(programme, Subject(service=service), day, knowledge.vocabulary)
    assert result.verdict is verdict
    assert result.deadline == date(2024, 12, 31)
    assert result.reasons


def test_conditional_names_its_condition(knowledge, programme):
    result = judge(programme, Subject(), date(2023, 6, 1), knowledge.vocabulary)
    assert "Haushaltsbeschlusses" in result.reasons[0]


def test_expired_says_presumably_and_when(knowledge, programme):
    result = judge(programme, Subject(), date(2025, 1, 1), knowledge.vocabulary)
    assert "voraussichtlich" in result.reasons[0] and "31.12.2024" in result.reasons[0]


@pytest.mark.parametrize(
    ("subject", "verdict"),
    [
        ({"service": "efa-elterngeld"}, Verdict.NOT_ELIGIBLE),
        ({"service": "ekol-kfz-zulassung"}, Verdict.NOT_ELIGIBLE),
        ({"service": "vois-meldewesen"}, Verdict.NOT_ELIGIBLE),
        ({"service_type": "eigenentwicklung"}, Verdict.NOT_ELIGIBLE),
        ({"service_type": "efa"}, Verdict.NOT_ELIGIBLE),
        ({"applicant": "unternehmen"}, Verdict.NOT_ELIGIBLE),
        ({"applicant": "buerger"}, Verdict.UNKNOWN),  # the source names citizens as users only
        ({"region": "anderes-land", "applicant": "gemeinde"}, Verdict.NOT_ELIGIBLE),
        ({"applicant": "zweckverband"}, Verdict.UNKNOWN),
        ({"applicant": "eigenbetrieb"}, Verdict.UNKNOWN),
        ({"cost": "personal"}, Verdict.UNKNOWN),
        ({"cost": "hardware"}, Verdict.UNKNOWN),
        ({"cost": "schnittstelle"}, Verdict.UNKNOWN),
        ({"cost": "pflege"}, Verdict.ELIGIBLE),
        ({"applicant": "landkreis"}, Verdict.ELIGIBLE),
        ({"unknown_service": "Eheschließung"}, Verdict.UNKNOWN),
        ({"service": "ehrenamtskarte"}, Verdict.ELIGIBLE),  # geplant: same verdict, note added in the answer
    ],
)
def test_subjects_in_the_first_period(knowledge, programme, subject, verdict):
    if "service" in subject:
        subject = {**subject, "service": knowledge.service(subject["service"])}
    result = judge(programme, Subject(**subject), date(2022, 9, 1), knowledge.vocabulary)
    assert result.verdict is verdict, result.reasons


def test_exclusion_outlives_the_programme(knowledge, programme):
    result = judge(programme, Subject(service=knowledge.service("efa-wsp")), date(2026, 1, 1), knowledge.vocabulary)
    assert result.verdict is Verdict.NOT_ELIGIBLE


def test_programme_silent_on_a_service_returns_none(two_programmes):
    k = two_programmes.knowledge
    second = k.programme("efa-nachnutzung-test")
    assert judge(second, Subject(service=k.service("hundesteuer")), date(2023, 6, 1), k.vocabulary) is None


def test_a_kind_of_service_the_programme_does_not_speak_of_is_unknown(knowledge, programme):
    # another provider's assistant for a catalogue service: the source speaks of KISA's assistants only
    subject = Subject(service=knowledge.service("hundesteuer"), service_type="fremdanbieter")
    result = judge(programme, subject, date(2023, 7, 19), knowledge.vocabulary)
    assert result.verdict is Verdict.UNKNOWN and "anderen Anbieters" in result.reasons[0]
    alone = judge(programme, Subject(service_type="fremdanbieter"), date(2023, 7, 19), knowledge.vocabulary)
    assert alone.verdict is Verdict.UNKNOWN
