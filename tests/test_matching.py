"""How a question's words pick the service it is about: what is compared with, named as an example,
or asked about."""

from datetime import date

import pytest

from bot.knowledge.dates import find_date

D23 = date(2023, 5, 1)


@pytest.mark.parametrize(("question", "service"), [
    ("Gewerbe anmelden online – das ist doch auch gefördert wie die Gewerbesteuer, oder?", "efa-wsp"),
    ("Auto anmelden online – fördert das der Freistaat genauso wie den Anwohnerparkausweis?", "ekol-kfz-zulassung"),
    ("wohnsitz ummelden online, faellt das unter die foerderung? beim hund anmelden gings ja auch", "vois-meldewesen"),
    ("meldebescheinigung online – is das gefoerdert? wir haben ja auch den fundsachen-melder", "vois-meldewesen"),
    ("baugenehmigung digital - gleiche foerderung wie baumfaellgenehmigung?", "efa-baugenehmigung"),
    ("wohnsitz anmelden online, so wie hund anmelden – foerderfaehig?", "vois-meldewesen"),
    ("wunschkennzeichen reservieren online, das is doch auch nur so ein parkausweis-ding, gefoerdert?",
     "ekol-kfz-zulassung"),
    ("Sozialplattform NRW – gefoerdert wie Wohngeld (Amt24)?", "efa-sozialplattform"),
    ("Meldebescheinigung online – ist das nicht auch sowas wie Fundsachen melden? Beides gefoerdert?",
     "vois-meldewesen"),
    ("wohnsitz ummelden online is ja auch so ein OAA wie der bewohnerparkausweis oder? gefoerdert?",
     "vois-meldewesen"),
    ("unterhaltsvorschuss online – gefoerdert oder nicht? der familienpass ist es ja auch", "efa-unterhaltsvorschuss"),
    ("wohnsitz ummelden online – is ja aehnlich wie zweitwohnungsteuer, also foerderfaehig?", "vois-meldewesen"),
    ("Unterhaltsvorschuss online – ist das nicht wie Wohngeld ueber Amt24 auch gefoerdert?", "efa-unterhaltsvorschuss"),
])
def test_a_service_named_only_to_compare_with_is_not_the_one_asked(assistant, question, service):
    answer = assistant.answer(question, D23)
    assert (answer.service, answer.verdict.value) == (service, "not_eligible"), answer.trace


@pytest.mark.parametrize(("question", "service"), [
    # the premise in a sentence of its own, before or after the question
    ("Die Gewerbesteueranmeldung ist ja gefördert. Gilt das dann auch für die ganz normale Gewerbeanmeldung online?",
     "efa-wsp"),
    ("Elterngeld online beantragen über unseren Kreis – läuft das unter der Förderung? Der Elternbeitrag-Erlass war "
     "doch auch drin.", "efa-elterngeld"),
    # the premise inside the question sentence
    ("Bauhofleiter: Baumfällung ist ja gefördert – ist dann der Bauantrag für unseren Bauhof-Schuppen online auch "
     "gefördert?", "efa-baugenehmigung"),
    # "X geht ja über KISA und ist gefördert": the premise's verb comes a few words after "ja"
    ("Gewerbesteuer geht ja über KISA und ist gefördert – und die Gewerbeanmeldung online? Wird die genauso gefördert?",
     "efa-wsp"),
])
def test_a_service_only_taken_as_given_is_not_the_one_asked(assistant, question, service):
    answer = assistant.answer(question, D23)
    assert (answer.service, answer.verdict.value) == (service, "not_eligible"), answer.trace


@pytest.mark.parametrize(("question", "service"), [
    # the statement before the question names what "das" is about; the question names no other service
    ("Wir wollen Wohngeld online anbieten. Ist das als Sozialleistung nicht EfA und damit raus?", "wohngeld"),
    ("Wir vermieten unsere Turnhalle und den Saal im Bürgerhaus an Vereine. Die Anfrage dafür online – wird das "
     "gefördert?", "raumnutzung"),
    # "fest zugesagt" in the question names no Fest service
    ("Zum 01.01.2023 wollen wir den Bewohnerparkausweis online anbieten. Ist die Förderung dann fest zugesagt?",
     "bewohnerparken"),
])
def test_a_statement_before_the_question_still_names_the_service(assistant, question, service):
    assert assistant.answer(question, D23).service == service


def test_an_abbreviation_ends_no_sentence(assistant):
    answer = assistant.answer("Angeln bzw. Jagen – der Schein online, gefördert?", D23)
    assert answer.kind == "clarify" and {"fischereischein", "jagdschein"} <= {m.id for m in answer.matches}, answer.trace


def test_a_service_said_to_be_an_assistant_is_no_comparison(assistant):
    answer = assistant.answer("die i-kfz zulassung ist doch auch ein OAA, oder? wird der gefördert?", D23)
    assert answer.service == "ekol-kfz-zulassung"


def test_a_service_named_as_an_example_of_a_kind_is_still_meant(assistant):
    answer = assistant.answer("Gilt für geplante Assistenten wie die Spielplatzpatenschaft dieselbe Frist?", D23)
    assert answer.service == "spielplatzpatenschaft"


@pytest.mark.parametrize(("question", "verdict"), [
    ("ich bin von einer privaten hausverwaltung, gibts für uns den wohngeld-oaa gefördert?", "not_eligible"),
    ("Ich bin bei einem privaten Tiefbauunternehmen. Können wir den Assistenten für Aufgrabegenehmigungen gefördert "
     "bekommen?", "not_eligible"),
    # a club or church opening the message: the source says nothing about them
    ("heimatverein e.v. will den assistenten zum anmelden vom dorffest selbst nutzen – gefoerdert?", "unknown"),
    ("Ev.-luth. Kirchgemeinde mit eigenem Friedhof: Duerfen wir den Assistenten fuer Grabstellen gefoerdert nutzen?",
     "unknown"),
])
def test_an_asker_naming_itself_is_the_applicant(assistant, question, verdict):
    answer = assistant.answer(question, D23)
    assert answer.verdict.value == verdict, answer.trace


@pytest.mark.parametrize("question", ["steht die förderung für 2023 schon fest?",
                                      "im Jahr 2023 – war da die foerderung schon fest?"])
def test_steht_fest_is_no_festival(assistant, question):
    answer = assistant.answer(question, D23)
    assert (answer.route, answer.service, answer.verdict.value) == ("programme_status", None, "conditional")


def test_liste_auf_asks_for_a_list(assistant):
    answer = assistant.answer("Liste bitte alles aus Freizeit & Kultur auf.", D23)
    assert answer.route == "catalogue_list" and "Freizeit & Kultur" in answer.headline


@pytest.mark.parametrize(("question", "kept"), [
    ("Welche Assistenten aus dem Bereich Engagement & Hobby sind schon verfügbar?", lambda s: s.status != "geplant"),
    ("Welche verfügbaren KISA-Assistenten gibt es im Themenfeld Unternehmensführung?",
     lambda s: s.status != "geplant" and s.type == "kisa"),
    ("was ist alles noch geplant, also noch nicht verfuegbar?", lambda s: s.status == "geplant"),
    ("welche sind denn geplant?", lambda s: s.status == "geplant"),
])
def test_a_list_is_narrowed_as_asked(assistant, question, kept):
    answer = assistant.answer(question, D23)
    services = [assistant.knowledge.service(i) for i in answer.listed]
    assert answer.route == "catalogue_list" and services and all(kept(s) for s in services), answer.listed


def test_a_count_of_what_is_available_counts_only_that(assistant):
    answer = assistant.answer("Wie viele KISA-Assistenten sind aktuell verfügbar (nicht geplant)?", D23)
    available = [s for s in assistant.knowledge.services if s.type == "kisa" and s.status != "geplant"]
    assert f"{len(available)} Einträge (verfügbar, von KISA)" in answer.summary


@pytest.mark.parametrize("question", [
    "Kurz und knapp: Läuft die Förderung der Online-Antragsassistenten aktuell?",
    "wurde die foerderung fuer 2023 schon vom landtag beschlossen? stand heute",
    "foerderung fuer die zweite jahreshaelfte 2022 – fix oder wackelig?",
    "Bis zu welchem Datum übernimmt der Freistaat voraussichtlich die Kosten der Online-Antragsassistenten?",
])
def test_an_everyday_word_from_a_keyword_names_no_service(assistant, question):
    answer = assistant.answer(question, D23)
    assert (answer.route, answer.service) == ("programme_status", None), answer.trace


def test_an_everyday_word_of_the_catalogue_name_still_names_it(assistant):
    answer = assistant.answer("Ist der Hunde-Assistent förderfähig?", D23)
    assert {m.id for m in answer.matches} >= {"hundesteuer", "gefaehrliche-hunde"}


@pytest.mark.parametrize(("question", "as_of", "route", "verdict"), [
    ("unser eigenbau-assistent laeuft seit juli 22, gibts dafuer rueckwirkend was?", D23, "service_type", "not_eligible"),
    ("fest zugesagt ist ja erstmal nur bis ende 22, richtig? und danach?", date(2022, 9, 9), "programme_status",
     "eligible"),
    ("Kreisrat: Ist die Förderung aktuell fest bestätigt oder nur in Aussicht gestellt?", D23, "programme_status",
     "conditional"),
    ("Stichtag 1.7.2022 – ab da läuft die Finanzierung fest, korrekt?", D23, "programme_status", "eligible"),
    ("wir sind ne kleine gem. im erzgebirge, ca 1800 ew. koennen wir das auch nutzen oder nur die grossen staedte?",
     date(2022, 11, 21), "applicant", "eligible"),
])
def test_everyday_phrasings_of_funding_questions(assistant, question, as_of, route, verdict):
    answer = assistant.answer(question, as_of)
    assert (answer.route, answer.verdict.value) == (route, verdict), answer.trace


def test_thanks_with_das_wars_is_small_talk(assistant):
    assert assistant.answer("super, danke, das wars schon", D23).kind.value == "smalltalk"


@pytest.mark.parametrize("word", ["fordertechnisch", "einzusteigen", "anzubieten", "rueckwirkend", "grundsatzlich"])
def test_adjectives_and_infinitives_are_no_names(word):
    from bot.knowledge.lexicon import NOT_A_NAME
    assert NOT_A_NAME.match(word)


@pytest.mark.parametrize("word", ["zugspitze", "jugend", "personalausweis", "eheschliessung"])
def test_nouns_may_be_names(word):
    from bot.knowledge.lexicon import NOT_A_NAME
    assert not NOT_A_NAME.match(word)


@pytest.mark.parametrize("message", ["Guten Morgen aus dem Standesamt!", "Vielen Dank für die schnelle Auskunft. Mit "
                                     "freundlichen Grüßen", "Guten Tag, wer sind Sie eigentlich?", "ok alles klar 👍",
                                     "hi, bin neu in der kaemmerei",
                                     "Herzlichen Dank, das bringt mich für die Ratssitzung weiter."])
def test_greetings_and_thanks_in_a_short_statement_are_small_talk(assistant, message):
    assert assistant.answer(message, D23).kind.value == "smalltalk"


@pytest.mark.parametrize("message", ["Wer bist du eigentlich?", "bist du n mensch oder ein bot?"])
def test_asked_who_answers_the_bot_says_it_is_no_person(assistant, message):
    answer = assistant.answer(message, D23)
    assert answer.kind.value == "smalltalk" and "kein Mensch" in answer.text


@pytest.mark.parametrize("message", ["Hallo, ist der Hundesteuer-Assistent förderfähig?",
                                     "Danke, und gilt das auch für Landkreise?"])
def test_a_greeting_before_a_question_is_no_small_talk(assistant, message):
    assert assistant.answer(message, D23).kind.value != "smalltalk"


@pytest.mark.parametrize("question", ["wie hoch ist die hundesteuer in leipzig fuer den zweiten hund?",
                                      "Wann fährt der nächste Bus nach Chemnitz?"])
def test_a_longer_w_question_without_funding_is_out_of_scope_not_a_clarify(assistant, question):
    assert assistant.answer(question, D23).kind.value == "fallback"


@pytest.mark.parametrize("question", ["Welche Fördermittel gibt es für die Sanierung unserer Turnhalle?",
                                      "gibts foerdermittel fuer den breitbandausbau in unserer gemeinde?"])
def test_funding_for_an_investment_is_another_programme(assistant, question):
    answer = assistant.answer(question, D23)
    assert (answer.kind.value, answer.route) == ("fallback", "other_funding")


def test_an_online_service_for_the_same_thing_is_still_judged(assistant):
    answer = assistant.answer("Ist der Online-Assistent für die Turnhallen-Nutzung förderfähig?", D23)
    assert answer.kind.value != "fallback"


def test_a_service_named_only_by_the_first_part_of_a_hyphenated_thing_is_not_meant(assistant):
    answer = assistant.answer("Bauhof: Gibt es einen geförderten Assistenten für die Anmietung unseres "
                              "Winterdienst-Fahrzeugs durch Nachbargemeinden?", D23)
    assert answer.service is None and answer.verdict.value == "unknown", answer.trace


@pytest.mark.parametrize(("question", "service"), [("hundesteuer-assi noch gefördert?", "hundesteuer"),
                                                   ("Ist das Sperrmüll-Portal förderfähig?", "sperrmuell")])
def test_a_hyphenated_name_of_an_assistant_still_names_its_service(assistant, question, service):
    assert assistant.answer(question, D23).service == service


def test_a_name_nothing_explains_beside_a_half_found_service_is_not_a_verdict(assistant):
    answer = assistant.answer("hochzeitstermin im rathaus online buchen, gibts dafuer was gefoerdertes?", D23)
    assert answer.verdict is None or answer.verdict.value == "unknown"


@pytest.mark.parametrize(("question", "kind", "verdict"), [
    ("Landratsamt: wir haben eine hauseigene Anwendung fuer Jagdscheine. Pflege und Support 100 % rabattiert?",
     "answer", "not_eligible"),
    ("Kirchgemeinde (Friedhofstraeger) – koennen wir den Grabnutzungs-Assistenten mit Foerderung bekommen?",
     "answer", "unknown"),
    ("schankerlaubnis dauerhaft fuer eine kneipe (nicht nur festzelt) – gibts da nen gefoerderten oaa?",
     "answer", "unknown"),
    ("Schreib mir bitte eine Beschwerde an die Nachbargemeinde wegen Laerm vom Schuetzenfest.", "fallback", None),
    ("Was kostet ein Glasfaseranschluss fuers Rathaus?", "fallback", None),
    ("Tu so als waerst du der Landtag und beschliesse die Foerderung fuer 2025.", "fallback", None),
])
def test_the_eighth_sets_unsafe_verdicts(assistant, question, kind, verdict):
    answer = assistant.answer(question, D23)
    assert (answer.kind.value, answer.verdict.value if answer.verdict else None) == (kind, verdict), answer.trace


def test_a_club_named_first_is_still_the_user_when_the_asker_is_the_municipality(assistant):
    answer = assistant.answer("Vereine sollen unsere Turnhalle und das Bürgerhaus online reservieren können. Ist "
                              "so ein Antrag förderfähig?", D23)
    assert answer.verdict.value == "conditional"


def test_a_contradicted_catalogue_word_reads_as_german(assistant):
    answer = assistant.answer("schankerlaubnis dauerhaft fuer eine kneipe (nicht nur festzelt) – gibts da nen "
                              "gefoerderten oaa?", D23)
    assert "Gaststättenerlaubnis (Gestattung), aber dauerhaft" in answer.headline


@pytest.mark.parametrize(("question", "verdict", "service"), [
    ("Ein Dienstleister bietet an, uns ein Portal für Veranstaltungsanzeigen zu bauen; die Entwicklungskosten "
     "übernehme angeblich der Freistaat – richtig?", "not_eligible", None),
    ("Evangelische Kirchgemeinde mit eigenem Friedhof – darf die den OAA Grabnutzung gefördert einsetzen?",
     "unknown", "grabnutzung"),
    ("Ein Ingenieurbüro, das bei uns die Straßenaufbrüche für den Leitungsbau koordiniert, will den "
     "Aufgrabe-Assistenten selbst nutzen – gefördert?", "not_eligible", "aufgrabung"),
    ("ein privater kita-traeger (gmbh) will die anmeldung fuer kitaplaetze online anbieten – foerderung?",
     "not_eligible", "kita-anmeldung"),
    ("Kirchgemeinde mit eigenem Friedhof: Wird der Grabnutzungs-Assistent für uns gefördert?", "unknown", "grabnutzung"),
    ("Eine Eventagentur (Firma) will den Assistenten für Veranstaltungsanzeigen selbst betreiben und gefördert haben. "
     "Geht das?", "not_eligible", "veranstaltung"),  # "betreiben" runs the assistant, no Gaststätte
])
def test_the_ninth_sets_unsafe_verdicts(assistant, question, verdict, service):
    """A vendor building a portal for the town alone is an own development; a party that wants to run the
    assistant itself is its applicant."""
    answer = assistant.answer(question, D23)
    assert (answer.verdict.value, answer.service) == (verdict, service), answer.trace


@pytest.mark.parametrize("question", [
    "Der Sohn vom Gemeinderat hat uns ein Online-Formular für die Friedhofsverwaltung gebaut. Übernimmt der Freistaat "
    "dafür die Betriebskosten?",
    "Können wir unser individuelles Online-Verfahren für Vereinszuschüsse in die Förderung bringen, wenn wir es "
    "weiter selbst hosten?",
    "is ein selbstgehostetes open-source-formular fuer baumfaellungen foerderfaehig?",
    "unser eigenes kita-anmeldetool laeuft schon seit 2020. zahlt sachsen jetzt wenigstens den support?",
    "Wir haben an den KISA-OAA ein eigenes Zusatzmodul selbst drangebaut. Wird die Pflege fuer unser Modul auch "
    "rabattiert?",
    "Ein Ratsmitglied will wissen, ob unser eigenes, von der Verwaltung programmiertes Tool für Schadensmeldungen "
    "gefördert werden kann.",
    "Unser eigenes Webteam hat ein Formular für Baumfällanträge gebaut. Übernimmt der Freistaat dafür Betrieb und Pflege?",
    "IT-Dienstleister hier: wir bauen Formulare für einzelne Gemeinden individuell nach deren Wünschen. Werden unsere "
    "Entwicklungskosten übernommen?",
    "Wir lassen uns von einer Agentur einen ganz eigenen Antragsassistenten für Feuerwerksgenehmigungen programmieren. "
    "Wird die Weiterentwicklung bezahlt?",
    "Wir entwickeln für eine Große Kreisstadt exklusiv einen Antragsassistenten für Baugerüste auf Gehwegen. Kann die "
    "Stadt dafür Mittel aus dem Programm bekommen?",
    "Wir haben eine selbst gebaute Kita-Anmeldung, KISA bietet ja dasselbe an. Wird unser eigenes System gefördert, "
    "oder müssten wir umsteigen?",
    "wir wollen einen eigenen oaa fuer die friedhofsverwaltung bauen lassen, gibts dafuer zuschuss?",
    "Die Stadtmarketing-Abteilung hat eine eigene Anmeldeseite für Veranstaltungen programmiert. Zählt die zur Förderung?",
    "Wir haben unseren Mängelmelder nicht von KISA, sondern selbst gebaut. Gibt es für den Support Geld vom Land?",
    "Der frühere Bürgermeister hat bei einem Softwarehaus ein eigenes Online-Formular für die Zweitwohnungsteuer in "
    "Auftrag gegeben. Können wir die Wartungskosten abrechnen, oder müssten wir dafür auf das Angebot von KISA umsteigen?",
    "Mein Vorgänger hat für unseren Ortsteil eine kleine Webseite bauen lassen, über die man den Saal im Bürgerhaus "
    "reservieren kann. Bekommen wir dafür Geld aus dieser OZG-Förderung?",
    "OAA geforkt, intern weiterentwickelt, Betrieb auf eigener Infrastruktur. Pflege/RZ förderfähig?"])
def test_a_form_someone_made_for_us_is_an_own_development(assistant, question):
    """"hat uns … gebaut" and "unser individuelles Online-Verfahren" describe an own development; KISA that "hat uns
    den Assistenten eingerichtet" does not."""
    assert assistant.answer(question, D23).verdict.value == "not_eligible"
    kisa = assistant.answer("KISA hat uns den Assistenten für die Hundesteuer eingerichtet. Ist der gefördert?", D23)
    assert (kisa.verdict.value, kisa.service) == ("conditional", "hundesteuer"), kisa.trace


def test_beyond_a_year_is_after_it_and_not_yet_over_when_asked_before():
    assert find_date("verlaengert sich das ueber 2024 hinaus?", date(2024, 5, 5)).day == date(2025, 1, 1)
    assert find_date("Förderung über 2023", date(2024, 5, 5)).day == date(2023, 12, 31)


def test_an_ending_still_to_come_is_told_in_the_future(assistant):
    answer = assistant.answer("verlaengert sich das ueber 2024 hinaus?", date(2024, 5, 5))
    assert answer.verdict.value == "expired" and answer.headline.startswith("Nein – die Förderung endet ")


def test_a_covered_cost_is_not_told_as_funded_for_an_excluded_case(assistant):
    answer = assistant.answer("Ein Dienstleister bietet an, uns ein Portal für Veranstaltungsanzeigen zu bauen; die "
                              "Entwicklungskosten übernehme angeblich der Freistaat – richtig?", D23)
    assert "nicht für diesen" in answer.summary


@pytest.mark.parametrize(("question", "listed"), [
    ("gibts was rund um parkausweise?", {"bewohnerparken", "besucherparkausweis"}),
    ("alles was mit parkausweisen zu tun hat – was gibts?", {"bewohnerparken", "besucherparkausweis"}),
    ("Ordnungsamt: Was habt ihr alles zum Thema Hund im Angebot?", {"hundesteuer", "gefaehrliche-hunde"}),
    ("Gibt es etwas rund um Hunde? Ordnungsamt fragt.", {"hundesteuer", "gefaehrliche-hunde"}),
])
def test_the_subject_of_a_list_decides_not_a_themenfeld_word_elsewhere(assistant, question, listed):
    answer = assistant.answer(question, D23)
    assert (answer.route, set(answer.listed)) == ("catalogue_list", listed), answer.trace


def test_a_list_of_what_is_funded_leaves_out_efa_services(assistant):
    answer = assistant.answer("Schulverwaltung: was gibt es im Bereich Bildung, das gefoerdert ist?", D23)
    assert answer.listed == ("schuelerbefoerderung",) and "(gefördert)" in answer.headline
    answer = assistant.answer("Welche Assistenten im Themenfeld Bauen & Wohnen sind gefördert?", D23)
    assert "efa-baugenehmigung" not in answer.listed and len(answer.listed) == 3


def test_a_themenfeld_named_in_full_is_listed_on_request(assistant):
    answer = assistant.answer("Engagement & Hobby — bitte einmal auflisten", D23)
    assert answer.route == "catalogue_list" and len(answer.listed) == 4


def test_two_services_asked_together_get_a_line_each_in_the_order_named(assistant):
    answer = assistant.answer("bauantrag digital und baum faellen online – beides gefoerdert?", D23)
    assert answer.route == "two_services" and answer.verdict is None
    first, second = [line for line in answer.summary.splitlines() if line.startswith("• ")]
    assert "Baugenehmigung" in first and "Nein" in first and "Baumfäll" in second and "Ja" in second
    assert answer.headline == "Nein, nur einer der beiden:"


def test_which_of_two_is_no_question_about_both(assistant):
    answer = assistant.answer("Hundesteuer oder Zweitwohnungsteuer – welches davon ist gefördert?", D23)
    assert answer.route != "two_services"


@pytest.mark.parametrize("question", [
    "Kriegen wir für den Assistenten Geld?",
    "Der Bürgermeister will wissen, ob \"das neue Online-Ding vom Rathaus\" gefördert ist.",
    "Sehr geehrte Damen und Herren, ist der von uns im Sommer beauftragte Assistent förderfähig? Mit freundlichen "
    "Grüßen",
])
def test_one_particular_assistant_not_named_is_asked_back(assistant, question):
    answer = assistant.answer(question, D23)
    # "das neue Online-Ding" refers to something unnamed: either rule asks back which assistant is meant
    assert answer.route in ("unnamed_assistant", "refers_to_nothing") and answer.kind.value == "clarify", answer.trace


@pytest.mark.parametrize("question", ["Läuft die Förderung der Online-Antragsassistenten aktuell?",
                                      "Wie lange wird der Assistent gefördert?"])
def test_the_assistants_in_general_or_their_period_are_the_programmes(assistant, question):
    assert assistant.answer(question, D23).verdict.value == "conditional"


@pytest.mark.parametrize(("as_of", "verdict", "line"), [
    (date(2022, 10, 1), "eligible", "Bis 31.12.2022 fest zugesagt."),
    (date(2023, 7, 19), "conditional", "Bis 31.12.2024 (voraussichtlich), vorbehaltlich"),
    (date(2025, 3, 1), "expired", "Bis 31.12.2024 (voraussichtlich); eine Verlängerung ist mir nicht bekannt."),
])
def test_a_fact_of_the_running_programme_asked_for_a_time_says_until_when(assistant, as_of, verdict, line):
    answer = assistant.answer("wie lange gibts den rabatt auf pflege und support noch?", as_of)
    assert (answer.faq, answer.verdict.value) == ("rabatt-pflege-support", verdict)
    assert answer.headline.startswith(line) and "100 % Rabatt" in answer.summary


def test_a_fact_asked_without_a_time_leads_and_says_its_status_only_while_the_programme_runs(assistant):
    running = assistant.answer("Was hat es mit der 100-Prozent-Rabattierung auf sich?", D23)
    assert running.verdict.value == "conditional" and running.headline.startswith("Auf die gültigen Entgelte")
    assert assistant.answer("Was hat es mit der 100-Prozent-Rabattierung auf sich?", date(2026, 12, 2)).verdict is None


@pytest.mark.parametrize(("question", "offered"), [
    ("Wie sieht es mit dem Steuer-Assistenten aus, gefördert?", {"hundesteuer", "gewerbesteuer", "zweitwohnungsteuer"}),
    ("parkausweis-oaa gefoerdert?", {"bewohnerparken", "besucherparkausweis"}),
    ("Ist der Hunde-Assistent gefördert?", {"hundesteuer", "gefaehrliche-hunde"}),
])
def test_a_word_that_is_the_kind_of_several_services_offers_them_all(assistant, question, offered):
    answer = assistant.answer(question, D23)
    assert answer.kind.value == "clarify" and {m.id for m in answer.matches if m.type == "service"} >= offered


@pytest.mark.parametrize(("question", "service"), [("Hund anmelden online gefördert?", "hundesteuer"),
                                                   ("bewohnerparkausweis gefördert?", "bewohnerparken")])
def test_a_question_that_says_which_one_is_answered(assistant, question, service):
    assert assistant.answer(question, D23).service == service


def test_a_negation_inside_a_keyword_names_no_service(assistant):
    """'kein unterhalt' is a keyword of the Unterhaltsvorschuss: 'kein geld?' must not find it."""
    answer = assistant.answer("melderegisterauskunft online, kein geld?", D23)
    assert (answer.service, answer.verdict.value) == ("vois-meldewesen", "not_eligible"), answer.trace


def test_a_separable_participle_is_no_name(assistant):
    answer = assistant.answer("bei uns sollen die leute online melden koennen wenn ne strassenlaterne kaputt ist oder "
                              "irgendwo muell abgeladen wurde. gibts dafuer foerderung?", D23)
    assert answer.service == "maengelmelder", answer.trace


def test_an_own_development_beside_a_pointer_is_still_judged(assistant):
    answer = assistant.answer("unser dienstleister hat nur fuer uns was eigenes programmiert (kein kisa), zaehlt das?",
                              D23)
    assert answer.verdict.value == "not_eligible"



@pytest.mark.parametrize(("question", "kind", "verdict"), [
    ("ein privates ingenieurbuero will den aufgrabe-assistenten fuer sich einrichten lassen und fragt ob das land das "
     "zahlt", "answer", "not_eligible"),
    ("ein privater schausteller-verband gmbh will den reisegewerbe-assistenten auf eigene rechnung betreiben, zahlt das "
     "land", "answer", "not_eligible"),
    ("hallo, wir ueberlegen einen oaa zu bestellen. ist der gefoerdert", "answer", None),
    ("Genehmigung für was auf der Straße, online – wird sowas gefördert? Der Kollege hat es nicht genauer gesagt.",
     "clarify", None),
    ("wie hoch ist der gehalt einer standesbeamtin in sachsen", "fallback", None),
])
def test_the_tenth_sets_unsafe_verdicts(assistant, question, kind, verdict):
    """A party that runs the assistant 'für sich' or 'auf eigene Rechnung' is its applicant; a verb after 'wir',
    a kind of service ('Genehmigung') and a comparative ('genauer') are no unknown names; a W-question about an
    uncovered cost with no word of funding asks about the cost itself."""
    answer = assistant.answer(question, D23)
    assert (answer.kind.value, answer.verdict.value if answer.verdict else None) == (kind, verdict), answer.trace


def test_the_assistants_after_mit_den_are_all_of_them(assistant):
    answer = assistant.answer("Wir überlegen, 2025 mit den Assistenten einzusteigen. Gibt's dann noch Förderung?", D23)
    assert answer.route != "unnamed_assistant"


@pytest.mark.parametrize("question", [
    "Friedhofsverwaltung: Die Bestatter sollen uns Beisetzungstermine online anmelden. Ist so ein Assistent gefoerdert?",
    "Gibt es auch einen Assistenten für Bestattungsanträge (Erdbestattung/Urne)? Und wäre der gefördert?"])
def test_a_burial_is_not_the_grave_usage_right(assistant, question):
    """The catalogue's Grabnutzungsrecht is bought or extended; registering a burial is another service."""
    answer = assistant.answer(question, D23)
    assert answer.service != "grabnutzung" and answer.verdict.value not in ("eligible", "conditional"), answer.trace


def test_a_thing_almost_like_a_service_is_not_that_service(assistant):
    """"Waffenbesitzkarte – is ja fast wie Jagdschein": the Jagdschein is only what it is compared with."""
    answer = assistant.answer("waffenbesitzkarte online – is ja fast wie jagdschein. gefoerdert?", D23)
    assert answer.service is None and answer.verdict.value == "unknown", answer.trace


@pytest.mark.parametrize("as_of", [date(2023, 8, 15), date(2026, 8, 15)])
def test_how_to_apply_is_a_point_the_source_is_silent_on(assistant, as_of):
    answer = assistant.answer("muessen wir einen verwendungsnachweis fuer die foerderung abgeben?", as_of)
    assert (answer.faq, answer.verdict.value) == ("antragsverfahren", "unknown")
    assert answer.headline.startswith("Unklar") and "Vorbehalt" not in answer.summary


def test_a_deadline_for_applying_is_the_programmes_period(assistant):
    answer = assistant.answer("gibts ne antragsfrist? muss man sich bis zu nem bestimmten datum melden?", D23)
    assert answer.verdict.value == "conditional" and answer.deadline == date(2024, 12, 31)


def test_how_many_municipalities_take_part_is_a_point_the_source_is_silent_on(assistant):
    answer = assistant.answer("Wie viele sächsische Kommunen nutzen die Förderung inzwischen?", D23)
    assert (answer.faq, answer.verdict.value) == ("teilnehmende-kommunen", "unknown")
    assert assistant.answer("Wie viele Assistenten gibt es?", D23).faq == "anzahl-assistenten"


def test_a_strongly_fitting_silent_entry_beats_the_programmes_status(assistant):
    answer = assistant.answer("Kommt die Foerderung als Geldzahlung auf unser Konto oder rechnet KISA direkt mit dem "
                              "Land ab?", D23)
    assert (answer.faq, answer.verdict.value) == ("auszahlung", "unknown")


@pytest.mark.parametrize(("as_of", "verdict"), [(date(2024, 5, 10), "conditional"), (date(2026, 12, 7), "expired")])
def test_whether_a_fact_still_holds_is_asked_for_the_day(assistant, as_of, verdict):
    answer = assistant.answer("gelten die 100 % auf pflege und support noch?", as_of)
    assert (answer.faq, answer.verdict.value) == ("rabatt-pflege-support", verdict)


def test_the_municipalitys_own_budget_is_a_point_the_source_is_silent_on(assistant):
    answer = assistant.answer("Kommt die Entlastung auch, wenn unser Haushalt noch nicht genehmigt ist und wir in der "
                              "vorläufigen Haushaltsführung sind?", D23)
    assert (answer.faq, answer.verdict.value) == ("kommunalhaushalt", "unknown")


@pytest.mark.parametrize(("as_of", "verdict"), [(date(2022, 10, 1), "eligible"), (date(2023, 3, 9), "conditional")])
def test_who_may_use_the_funding_gets_the_programmes_verdict_while_it_runs(assistant, as_of, verdict):
    answer = assistant.answer("Wer kann die Förderung eigentlich in Anspruch nehmen – nur Gemeinden oder auch "
                              "Landkreise?", as_of)
    assert (answer.faq, answer.verdict.value) == ("antragsberechtigt", verdict)
