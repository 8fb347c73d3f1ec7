from datetime import date, datetime, timezone

import pytest

from bot.knowledge.dates import german_date, today_in_berlin
from bot.knowledge.dates import find_date

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("War das 2023 förderfähig?", date(2023, 12, 31)),
        ("am 30.06.2022", date(2022, 6, 30)),
        ("zum 1.7.2022", date(2022, 7, 1)),
        ("Stichtag 2024-12-31", date(2024, 12, 31)),
        ("im Juli 2022", date(2022, 7, 1)),
        ("am 1. Januar 2025", date(2025, 1, 1)),
        ("Ende 2024", date(2024, 12, 31)),
        ("Anfang 2023", date(2023, 1, 1)),
        ("nächstes Jahr", date(2027, 12, 31)),
        ("letztes Jahr", date(2025, 12, 31)),
        ("Ist das nach 2024 noch förderfähig?", date(2025, 1, 1)),
        ("nach dem 31.12.2024", date(2025, 1, 1)),
        ("vor 2023", date(2022, 12, 31)),
        ("vor dem 01.07.2022", date(2022, 6, 30)),
        ("ab 2025", date(2025, 1, 1)),
        ("bis Juni 2022", date(2022, 6, 30)),
        ("im Februar 2024", date(2024, 2, 1)),
        ("Juli 22", date(2022, 7, 1)),
        ("Hat sich mit dem Jahreswechsel 2024/25 etwas geändert?", date(2025, 1, 1)),
        ("vorletztes Jahr", date(2024, 12, 31)),
        ("übernächstes Jahr", date(2028, 12, 31)),
        ("Im Q2/2022 hatten wir das schon online", date(2022, 4, 1)),
        ("bis Q4/2024", date(2024, 12, 31)),
        ("ab q3 22", date(2022, 7, 1)),
        ("nach Q2/2022", date(2022, 7, 1)),
        ("im 1. Quartal 2023", date(2023, 1, 1)),
    ],
)
def test_dates_in_questions(question, expected):
    assert find_date(question, TODAY).day == expected


@pytest.mark.parametrize("question", ["Ist das förderfähig?", "fast 50 Assistenten", "Hundesteuer",
                                      "Die Förderung endete doch Ende 2024 – oder wurde sie verlängert?"])
def test_no_date(question):
    assert find_date(question, TODAY) is None


@pytest.mark.parametrize("question", ["am 31.02.2023", "am 31.13.2024", "32.12.2023"])
def test_impossible_dates_are_reported_not_guessed(question, assistant):
    found = find_date(question, TODAY)
    assert found.invalid and found.day is None
    answer = assistant.answer(f"War der Wohngeld-Assistent {question} förderfähig?", TODAY)
    assert answer.kind.value == "clarify" and answer.verdict is None and "gibt es nicht" in answer.text


def test_german_date():
    assert german_date(date(2024, 12, 31)) == "31.12.2024"


def test_today_is_the_date_in_berlin_not_utc():
    # 23:30 UTC on 31.12.2024 is already 01.01.2025 in Berlin.
    assert today_in_berlin(datetime(2024, 12, 31, 23, 30, tzinfo=timezone.utc)) == date(2025, 1, 1)
    assert today_in_berlin(datetime(2024, 12, 31, 22, 30, tzinfo=timezone.utc)) == date(2024, 12, 31)


@pytest.mark.parametrize(("question", "expected"), [
    ("Anfang letzten Jahres haben wir den Assistenten bestellt", date(2022, 1, 1)),
    ("Mitte des vergangenen Jahres", date(2022, 7, 1)),
    ("Ende letzten Jahres", date(2022, 12, 31)),
    ("letztes Jahr", date(2022, 12, 31)),
])
def test_a_part_of_a_relative_year_is_its_day(question, expected):
    """Asked in May 2023, "Anfang letzten Jahres" is January 2022 – before the programme began – not its end."""
    assert find_date(question, date(2023, 5, 5)).day == expected


def test_the_date_of_the_asking_sentence_wins_over_a_premise(assistant):
    """"Die Förderung ist ja nur bis Ende 2022 sicher. Wie ist das 2023 …?" asks about 2023."""
    answer = assistant.answer("Die Förderung ist ja nur bis Ende 2022 sicher. Wie ist das 2023 mit dem "
                              "Elternbeitrags-Assistenten?", date(2022, 10, 24))
    assert answer.verdict.value == "conditional", answer.trace
    assert assistant.answer("Ende 2022 – war der Hundesteuer-Assistent da gefördert?", date(2026, 12, 7)
                            ).verdict.value == "eligible"


def test_a_service_that_ran_from_a_day_is_asked_about_that_day(assistant):
    """"lief bei uns ab 30.06.2022" says when it started, not when something ended: that day is asked about."""
    answer = assistant.answer("Der OAA fuer die Hundesteuer lief bei uns ab 30.06.2022. Waren die Kosten fuer diesen "
                              "Tag schon gefoerdert?", date(2026, 12, 7))
    assert answer.verdict.value == "unknown", answer.trace


def test_a_month_whose_year_follows_a_few_words_later():
    """"im Juni, also noch vor der Sommerpause 2022" is June 2022, not the end of 2022."""
    found = find_date("Wir haben den Assistenten im Juni, also noch vor der Sommerpause 2022, einrichten lassen.",
                      date(2026, 12, 7))
    assert found.day == date(2022, 6, 1)
    assert find_date("im Juni 2023", date(2026, 12, 7)).day == date(2023, 6, 1)


@pytest.mark.parametrize(("text", "today", "day"), [
    ("Vor zwei Jahren haben wir den Assistenten eingeführt", date(2026, 12, 7), date(2024, 12, 7)),
    ("vor 5 jahren hatten wir schon nen oaa", date(2026, 12, 7), date(2021, 12, 7)),
    ("vor einem halben Jahr", date(2023, 3, 31), date(2022, 9, 30)),  # the month's last day where the 31st is missing
    ("vor anderthalb Jahren", date(2024, 3, 1), date(2022, 9, 1)),
    ("in drei Monaten", date(2024, 11, 15), date(2025, 2, 15)),
    ("vor zwei Wochen", date(2023, 1, 10), date(2022, 12, 27)),
])
def test_a_span_back_or_ahead_counts_from_the_day_asked(text, today, day):
    assert find_date(text, today).day == day


def test_years_offered_to_choose_from_name_no_day():
    assert find_date("foerderung laeuft bis wann, 2024 oder 2025?", date(2022, 11, 11)) is None


@pytest.mark.parametrize(("text", "day"), [
    ("Silvester 2022 noch sicher gefoerdert?", date(2022, 12, 31)),
    ("neujahr 2023 – laeuft die foerderung weiter?", date(2023, 1, 1)),
    ("Zu Weihnachten 2023 – waren die Kosten übernommen?", date(2023, 12, 25)),
    ("wurde in der zweiten jahreshaelfte 2022 gefoerdert?", date(2022, 10, 1)),
    ("Es geht um die Parkausweise, Stand Juli 22.", date(2022, 7, 1)),  # a sentence's full stop after the year
    ("ist die foerderung fuer 23/24 beschlossen?", date(2023, 12, 31)),  # two years in a row: the first
])
def test_holidays_short_years_and_year_pairs(text, day):
    assert find_date(text, date(2026, 12, 7)).day == day


def test_a_date_said_to_be_over_asks_about_today():
    assert find_date("Ende 2024 vorbei – oder gibts ne verlaengerung?", date(2025, 4, 14)) is None
    assert find_date("Ende 2024 vorbei?", date(2024, 4, 14)).day == date(2024, 12, 31)  # not over yet: the day asked


@pytest.mark.parametrize(("text", "today", "day"), [
    ("wir wollen zum 1.1. den friedhofs-assistenten bestellen", date(2024, 11, 20), date(2025, 1, 1)),
    ("zum 1.1. wollen wir den oaa starten", date(2022, 11, 20), date(2023, 1, 1)),
    ("Was passiert mit der Förderung nach dem 31.12.?", date(2024, 12, 15), date(2025, 1, 1)),
])
def test_a_day_without_a_year_is_its_next_occurrence(text, today, day):
    assert find_date(text, today).day == day


def test_a_day_without_a_year_takes_the_year_named_elsewhere(assistant):
    answer = assistant.answer("ab 1.7. gefoerdert? wir haben am 1.7.22 den fundbuero-oaa scharf geschaltet",
                              date(2026, 12, 7))
    assert answer.verdict.value == "eligible"


@pytest.mark.parametrize(("today", "question", "expected"), [
    (date(2024, 11, 15), "wenn wir ab naechstem quartal starten", date(2025, 1, 1)),
    (date(2022, 11, 21), "ab nächstem Quartal noch Förderung?", date(2023, 1, 1)),
    (date(2023, 2, 6), "im letzten Quartal eingeführt", date(2022, 10, 1)),
])
def test_a_quarter_named_relative_to_today_is_its_first_day(today, question, expected):
    assert find_date(question, today).day == expected


def test_how_long_still_asks_from_today_whatever_the_telling_sentence_dates(assistant):
    answer = assistant.answer("Wir haben letzten Sommer den Assistenten für Ermäßigungen beim Elternbeitrag eingeführt. "
                              "Wie lange läuft die Förderung für uns noch?", date(2023, 2, 6))
    assert answer.verdict.value == "conditional"
