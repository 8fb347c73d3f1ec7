"""The Telegram details of issue 9 that are not about conversations, end to end over HTTP against the
fake Bot API: catalogue browsing, stale buttons, deep links, link buttons, the support contact, German."""

import pytest

from conftest import start_bot
from fake_telegram import callback_update, message_update


def keyboard(call):
    return call.params["reply_markup"]["inline_keyboard"]


def by_text(call):
    return {b["text"]: b.get("callback_data") or b.get("url") for row in keyboard(call) for b in row}


async def open_topic(bot, fake_api, chat, topic, edits_before=0):
    await bot.post_update(message_update("/katalog", chat_id=chat))
    (topics,) = [c for c in await fake_api.wait_for("sendMessage") if int(c.params["chat_id"]) == chat]
    await bot.post_update(callback_update(by_text(topics)[topic], chat_id=chat))
    return (await fake_api.wait_for("editMessageText", edits_before + 1))[-1]


# ---- catalogue browsing ----------------------------------------------------------------------------

async def test_topic_page_agrees_in_number_notes_the_sample_and_goes_back(running_bot, fake_api):
    page = await open_topic(running_bot, fake_api, 301, "Allgemeine Verwaltung")
    assert page.params["text"].startswith("Themenfeld »Allgemeine Verwaltung« (1 Eintrag)")
    assert "Auszug, nicht die vollständige KISA-Liste" in page.params["text"]
    back = by_text(page)["◀ Themenfelder"]
    await running_bot.post_update(callback_update(back, chat_id=301))
    topics = (await fake_api.wait_for("editMessageText", 2))[1]
    assert topics.params["text"].startswith("Katalog der Online-Antragsassistenten (Auszug")
    assert "Steuern" in by_text(topics)
    steuern = by_text(topics)["Steuern"]
    await running_bot.post_update(callback_update(steuern, chat_id=301))
    page = (await fake_api.wait_for("editMessageText", 3))[2]
    assert "(3 Einträge)" in page.params["text"]
    acks = await fake_api.wait_for("answerCallbackQuery", 3)
    assert all("text" not in a.params for a in acks)  # answered at once, nothing to say


async def test_every_page_of_a_topic_and_of_a_search_notes_the_sample(running_bot, fake_api):
    page = await open_topic(running_bot, fake_api, 302, "Mobilität & Reisen")  # 7 entries: two pages
    assert "(7 Einträge) (Auszug" in page.params["text"]
    await running_bot.post_update(callback_update(by_text(page)["weiter ▶"], chat_id=302))
    second = (await fake_api.wait_for("editMessageText", 2))[1]
    assert "Auszug, nicht die vollständige KISA-Liste" in second.params["text"]
    assert "◀ zurück" in by_text(second) and "◀ Themenfelder" in by_text(second)
    await running_bot.post_update(message_update("/katalog Hund", chat_id=303))
    search = [c for c in await fake_api.wait_for("sendMessage", 2) if int(c.params["chat_id"]) == 303][0]
    assert "Treffer zu »Hund« (Auszug" in search.params["text"]


async def test_long_labels_are_cut_with_an_ellipsis(running_bot, fake_api):
    page = await open_topic(running_bot, fake_api, 304, "Recht & Ordnung")
    labels = [b["text"] for row in keyboard(page) for b in row]
    vois = next(label for label in labels if label.startswith("VOIS"))
    assert vois.endswith("…") and len(vois) <= 60
    assert "VOIS|Online.Meldewesen: Meldebescheinigung und Wohnsitzanmeldung online".startswith(vois[:-1])


async def test_detail_of_an_efa_service_named_after_a_land_gives_the_efa_reason(running_bot, fake_api):
    await running_bot.post_update(callback_update("k:d:efa-baugenehmigung", chat_id=305))
    (sent,) = await fake_api.wait_for("sendMessage")
    text = sent.params["text"]
    assert text.startswith("<b>Nein, nicht förderfähig: EfA-Dienst »Digitale Baugenehmigung (EfA, "
                           "Mecklenburg-Vorpommern)«.</b>")
    assert "Einer-für-Alle" in text and "sächsischen Kommunen" not in text


@pytest.mark.parametrize("data", ["k:zz", "k:t:x:0", "k:t:99:0", "k:d:gibt-es-nicht", "k:n:999", "k:s:a:b", "k:",
                                  "x:77", "altes-format", "f:abc"])
async def test_unknown_or_stale_button_data_is_always_answered(running_bot, fake_api, data):
    await running_bot.post_update(callback_update(data, chat_id=306))
    (ack,) = await fake_api.wait_for("answerCallbackQuery")
    assert ack.params.get("text") and ack.params.get("show_alert") in ("true", "True", True)
    await running_bot.idle()
    assert fake_api.of("sendMessage") == []


# ---- deep links --------------------------------------------------------------------------------------

async def test_deep_link_answers_for_the_service(running_bot, fake_api):
    await running_bot.post_update(message_update("/start hundesteuer", chat_id=310))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert "Hundesteuer – An- und Abmeldung eines Hundes" in sent.params["text"]
    assert "Willkommen" not in sent.params["text"]
    assert "31.12.2024" in sent.params["text"]


@pytest.mark.parametrize("payload", ["gibt-es-nicht", "x" * 65, "hunde%steuer"])
async def test_unknown_deep_link_gives_the_normal_start_and_one_line(running_bot, fake_api, payload):
    await running_bot.post_update(message_update(f"/start {payload}", chat_id=311))
    (sent,) = await fake_api.wait_for("sendMessage")
    first, rest = sent.params["text"].split("\n\n", 1)
    assert "Link" in first and "kenne ich nicht" in first and payload not in first
    assert rest.startswith("<b>Willkommen beim Förderbot!</b>")
    assert len(keyboard(sent)) == 3


# ---- support handover ---------------------------------------------------------------------------------

SUPPORT_CHAT = -100777


@pytest.fixture
async def support_bot(bot_settings):
    import dataclasses
    bot = await start_bot(dataclasses.replace(bot_settings, support_chat_id=SUPPORT_CHAT))
    yield bot
    await bot.stop()


async def test_support_chat_sees_the_candidate_chosen_after_a_clarify(support_bot, fake_api):
    await support_bot.post_update(message_update("Ist der Hunde-Assistent förderfähig?", chat_id=320))
    (clarify,) = await fake_api.wait_for("sendMessage")
    choice = next(v for k, v in by_text(clarify).items() if "gefährlichen Hundes" in k)
    await support_bot.post_update(callback_update(choice, chat_id=320))
    answer = (await fake_api.wait_for("sendMessage", 2))[1]
    await support_bot.post_update(callback_update(by_text(answer)["👎 nicht hilfreich"], chat_id=320))
    edit = (await fake_api.wait_for("editMessageReplyMarkup", 2))[-1]  # the clarify's buttons went first
    handover = by_text(edit)["An das Support-Team weiterleiten"]
    await support_bot.post_update(callback_update(handover, chat_id=320))
    sent = await fake_api.wait_for("sendMessage", 4)
    forwarded = next(c for c in sent if int(c.params["chat_id"]) == SUPPORT_CHAT).params["text"]
    assert "<blockquote>Ist der Hunde-Assistent förderfähig?</blockquote>" in forwarded
    assert "Nach Rückfrage gewählt: »Erlaubnis zur Haltung eines gefährlichen Hundes«" in forwarded
    assert answer.params["text"] in forwarded and "Bewertung: 👎" in forwarded
    assert "gefaehrliche-hunde" not in forwarded


async def test_thumbs_down_without_support_chat_names_the_support_contact(running_bot, fake_api):
    await running_bot.post_update(message_update("Wohngeld?", chat_id=321))
    (answer,) = await fake_api.wait_for("sendMessage")
    await running_bot.post_update(callback_update(by_text(answer)["👎 nicht hilfreich"], chat_id=321))
    offer = (await fake_api.wait_for("sendMessage", 2))[1]
    assert "Wenden Sie sich bitte an: Förderbot-Support-Team" in offer.params["text"]
    assert "reply_markup" not in offer.params  # faq.yaml gives the support team no address: no button


async def test_support_contact_with_a_url_gets_a_link_button(bot_settings, fake_api):
    faq = bot_settings.knowledge_dir / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace(
        "    support: true\n", "    support: true\n    url: \"https://support.example.test/foerderbot\"\n"),
        encoding="utf-8")
    bot = await start_bot(bot_settings)
    try:
        await bot.post_update(message_update("Wohngeld?", chat_id=322))
        (answer,) = await fake_api.wait_for("sendMessage")
        await bot.post_update(callback_update(by_text(answer)["👎 nicht hilfreich"], chat_id=322))
        offer = (await fake_api.wait_for("sendMessage", 2))[1]
        assert "https://support.example.test/foerderbot" in offer.params["text"]
        assert by_text(offer) == {"Förderbot-Support-Team": "https://support.example.test/foerderbot"}
    finally:
        await bot.stop()


# ---- link buttons ---------------------------------------------------------------------------------------

async def test_a_source_with_a_url_gets_a_link_button_and_one_without_none(bot_settings, fake_api):
    faq = bot_settings.knowledge_dir / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace(
        '    short_title: "Pressemitteilung KISA/Freistaat"\n',
        '    short_title: "Pressemitteilung KISA/Freistaat"\n    url: "https://www.kisa.it/pm-2022-10-17"\n'),
        encoding="utf-8")
    bot = await start_bot(bot_settings)
    try:
        await bot.post_update(message_update("Ist der Hundesteuer-Assistent förderfähig?", chat_id=323))
        (answer,) = await fake_api.wait_for("sendMessage")
        links = {b["text"]: b["url"] for row in keyboard(answer) for b in row if "url" in b}
        assert links["Quelle: Pressemitteilung KISA/Freistaat"] == "https://www.kisa.it/pm-2022-10-17"
        assert links["KISA"] == "https://www.kisa.it" and links["SAKD"] == "https://www.sakd.de"
    finally:
        await bot.stop()


async def test_no_link_buttons_on_small_talk_or_clarify(running_bot, fake_api):
    await running_bot.post_update(message_update("Moin!", chat_id=324))
    await running_bot.post_update(message_update("Ist der Hunde-Assistent förderfähig?", chat_id=325))
    sent = await fake_api.wait_for("sendMessage", 2)
    for call in sent:
        assert not any("url" in b for row in call.params.get("reply_markup", {}).get("inline_keyboard", [])
                       for b in row)
    smalltalk = next(c for c in sent if int(c.params["chat_id"]) == 324)
    assert "<b>" not in smalltalk.params["text"]  # small talk is not shouted in bold


# ---- /datenschutz and what the operator must fill in ------------------------------------------------------

def _with_support_url(knowledge_dir):
    faq = knowledge_dir / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace(
        "    support: true\n", "    support: true\n    email: \"foerderbot@example-kommune.test\"\n"), encoding="utf-8")


async def test_privacy_without_configuration_says_what_is_missing_and_healthz_flags_it(running_bot, fake_api):
    await running_bot.post_update(message_update("/datenschutz", chat_id=330))
    (sent,) = await fake_api.wait_for("sendMessage")
    text = sent.params["text"]
    assert "Verantwortlich: noch nicht eingetragen" in text and "Rechtsgrundlage: noch nicht eingetragen" in text
    assert "Kontakt für Datenschutzfragen: noch nicht eingetragen" in text and "nach 180 Tagen" in text
    assert "Hinweis, was gefehlt hat" in text and "höchstens 30 Minuten" in text  # 👎 note, conversation memory
    status, body = await running_bot.health()
    assert status == 200 and body["status"] == "ok"
    warnings = "\n".join(body["setup_warnings"])
    assert "PRIVACY_CONTROLLER" in warnings and "PRIVACY_LEGAL_BASIS" in warnings
    assert "Support-Kontakt »Förderbot-Support-Team« hat weder E-Mail noch Telefon noch Web-Adresse" in warnings


async def test_privacy_names_controller_legal_basis_and_contact_from_configuration(bot_settings, fake_api):
    import dataclasses
    _with_support_url(bot_settings.knowledge_dir)
    settings = dataclasses.replace(bot_settings, privacy_controller="Landratsamt Musterkreis <TODO>",
                                   privacy_legal_basis="Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 SächsDSDG")
    bot = await start_bot(settings)
    try:
        await bot.post_update(message_update("/datenschutz", chat_id=331))
        (sent,) = await fake_api.wait_for("sendMessage")
        text = sent.params["text"]
        assert "Verantwortlich: noch nicht eingetragen" in text and "TODO" not in text  # a placeholder is not real
        assert "Rechtsgrundlage: Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 SächsDSDG" in text
        assert "Kontakt für Datenschutzfragen: Förderbot-Support-Team (foerderbot@example-kommune.test)" in text
        _, body = await bot.health()
        assert [w for w in body["setup_warnings"] if "PRIVACY" in w or "Support" in w] == [
            "/datenschutz: PRIVACY_CONTROLLER fehlt oder ist ein Platzhalter – setzen Sie den Verantwortlichen "
            "(Name und Anschrift der Stelle, die den Bot betreibt)."]
    finally:
        await bot.stop()


def test_privacy_settings_come_from_the_environment():
    from bot.config import Settings
    settings = Settings.from_env({"PRIVACY_CONTROLLER": " Stadt Beispielhausen ", "PRIVACY_LEGAL_BASIS": "Art. 6",
                                  "PRIVACY_CONTACT": "datenschutz@stadt.test"})
    assert (settings.privacy_controller, settings.privacy_legal_basis, settings.privacy_contact) == (
        "Stadt Beispielhausen", "Art. 6", "datenschutz@stadt.test")


def _kb_check(knowledge_dir, tmp_path, extra_env=None):
    import os
    import subprocess
    import sys
    env = {**os.environ, "KNOWLEDGE_DIR": str(knowledge_dir), "DATA_DIR": str(tmp_path / "d"), **(extra_env or {})}
    done = subprocess.run([sys.executable, "-m", "bot", "kb", "check"], env=env, capture_output=True, text=True,
                          timeout=60)
    return done.returncode, done.stdout


def test_kb_check_flags_ids_that_cannot_be_deep_links_and_an_unreachable_support_contact(knowledge_copy, tmp_path):
    catalogue = knowledge_copy / "katalog.csv"
    long_id = "a" * 65
    # ids are already lower-case letters, digits and hyphens (an error otherwise); the length is the catch
    catalogue.write_text(catalogue.read_text(encoding="utf-8")
                         + f"{long_id};Langer Eintrag;Umwelt;kisa;verfuegbar;lang\n", encoding="utf-8")
    code, out = _kb_check(knowledge_copy, tmp_path)
    assert code == 0, out
    assert f"Katalog-Eintrag »{long_id}«: die id taugt nicht als Telegram-Link" in out
    assert "Katalog-Eintrag »hundesteuer«: die id taugt nicht" not in out
    assert "Support-Kontakt »Förderbot-Support-Team« hat weder E-Mail noch Telefon noch Web-Adresse" in out
    assert "PRIVACY_CONTROLLER" in out


def test_kb_check_is_quiet_once_everything_is_filled(knowledge_copy, tmp_path):
    _with_support_url(knowledge_copy)
    code, out = _kb_check(knowledge_copy, tmp_path, {"PRIVACY_CONTROLLER": "Stadt Riesa, Rathausplatz 1",
                                                     "PRIVACY_LEGAL_BASIS": "Art. 6 Abs. 1 lit. e DSGVO"})
    assert code == 0 and "Support-Kontakt" not in out and "PRIVACY" not in out and "Telegram-Link" not in out, out


def test_a_url_is_optional_and_must_be_a_web_address(knowledge_copy):
    from bot.knowledge.load import inspect_knowledge
    faq = knowledge_copy / "faq.yaml"
    knowledge, problems = inspect_knowledge(knowledge_copy)
    assert knowledge.source("pm-2022-10-17").url == ""  # never invented
    assert knowledge.contact("kisa").url == "https://www.kisa.it"
    faq.write_text(faq.read_text(encoding="utf-8").replace(
        "    support: true\n", "    support: true\n    url: \"www.ohne-schema.test\"\n"), encoding="utf-8")
    knowledge, problems = inspect_knowledge(knowledge_copy)
    assert knowledge is None and any("keine Web-Adresse" in p.message for p in problems)


# ---- description and short description -----------------------------------------------------------------

async def test_descriptions_are_set_in_german_for_de_and_the_default_only_when_they_differ(bot_settings, fake_api):
    from bot.handlers.commands import DESCRIPTION, SHORT_DESCRIPTION
    assert len(DESCRIPTION) <= 512 and len(SHORT_DESCRIPTION) <= 120
    bot = await start_bot(bot_settings)
    await bot.stop()
    assert fake_api.descriptions == {"de": DESCRIPTION, "": DESCRIPTION}
    assert fake_api.short_descriptions == {"de": SHORT_DESCRIPTION, "": SHORT_DESCRIPTION}
    assert len(fake_api.of("getMyDescription")) == 2 and len(fake_api.of("setMyDescription")) == 2
    bot = await start_bot(bot_settings)  # a restart finds them set and changes nothing
    await bot.stop()
    assert len(fake_api.of("getMyDescription")) == 4 and len(fake_api.of("getMyShortDescription")) == 4
    assert len(fake_api.of("setMyDescription")) == 2 and len(fake_api.of("setMyShortDescription")) == 2
    fake_api.short_descriptions["de"] = "alt"  # changed by hand in @BotFather: set again, only that one
    bot = await start_bot(bot_settings)
    await bot.stop()
    assert fake_api.short_descriptions["de"] == SHORT_DESCRIPTION and len(fake_api.of("setMyShortDescription")) == 3
    assert len(fake_api.of("setMyDescription")) == 2


async def test_a_failing_description_call_does_not_stop_the_start(bot_settings, fake_api):
    fake_api.inject("status", methods={"getMyDescription", "setMyShortDescription"}, status=400,
                    description="Bad Request: nope")
    bot = await start_bot(bot_settings)
    try:
        status, body = await bot.health()
        assert status == 200 and body["status"] == "ok"
    finally:
        await bot.stop()


async def test_a_long_question_and_answer_still_reach_the_support_chat_as_valid_html(support_bot, fake_api):
    question = "Gibt es Förderung für Photovoltaik & Co. <Dach>? " + "Bitte genau prüfen & antworten. " * 300
    await support_bot.post_update(message_update(question, chat_id=326))
    (answer,) = await fake_api.wait_for("sendMessage")
    await support_bot.post_update(callback_update(by_text(answer)["An das Support-Team weiterleiten"], chat_id=326))
    sent = await fake_api.wait_for("sendMessage", 3)
    forwarded = next(c for c in sent if int(c.params["chat_id"]) == SUPPORT_CHAT).params["text"]
    assert "<blockquote>Gibt es Förderung für Photovoltaik &amp; Co. &lt;Dach&gt;?" in forwarded
    assert "…</blockquote>" in forwarded  # the quote is cut, the message accepted (the fake checks HTML and length)


async def test_deep_link_to_an_faq_entry_answers_it(running_bot, fake_api):
    await running_bot.post_update(message_update("/start sakd-koordination", chat_id=312))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert "SAKD" in sent.params["text"] and "Willkommen" not in sent.params["text"]
