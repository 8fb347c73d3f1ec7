"""/abo, reminders and change notices end to end: Telegram update JSON → POST /telegram → handlers →
SQLite → the notice job → outbox → the fake Bot API, all over HTTP on 127.0.0.1. Time runs on an
injected clock set to chosen days (the bot never sleeps for days); the knowledge base of these tests
has a period that has not ended (the shipped ones all have)."""

import argparse
import asyncio
import dataclasses
import sqlite3
import time
from datetime import datetime

import pytest

from bot import kb_commands
from bot.knowledge.dates import BERLIN
from bot.outbox import Clock
from bot.store import pseudonymise
from conftest import start_bot
from fake_telegram import callback_update, message_update, my_chat_member_update

ADMIN_TOKEN = "admin-token-for-tests"
END = "        end: 2024-12-31"
FUTURE_END = "        end: 2027-06-30"
EXCLUDE = ("      services:\n        ekol-kfz-zulassung:",
           "      services:\n        hundesteuer: Testweise ausgeschlossen.\n        ekol-kfz-zulassung:")


class SetClock(Clock):
    """Wall time moved to a chosen moment; it runs on from there (waiting stays real and short)."""

    def __init__(self, moment: datetime):
        self.offset = 0.0
        self.set(moment)

    def set(self, moment: datetime) -> None:
        self.offset = moment.timestamp() - time.time()

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def now(self) -> float:
        return time.time() + self.offset


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def texts(fake_api, chat=None):
    return [c.params["text"] for c in fake_api.of("sendMessage") if chat is None or int(c.params["chat_id"]) == chat]


def notices(fake_api, chat=None):
    return [t for t in texts(fake_api, chat) if t.startswith(("Geändert:", "Erinnerung", "Verspätete Erinnerung"))]


def query(settings, sql, *args):
    with sqlite3.connect(settings.data_dir / "bot.db") as connection:
        return connection.execute(sql, args).fetchall()


async def until(condition, timeout: float = 10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.02)


async def settle(bot, seconds: float = 0.4):
    """Let the notice job look a few times (every 0.05 s) and the outbox deliver."""
    await asyncio.sleep(seconds)
    await bot.idle()


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def abo_settings(fast_settings, knowledge_copy):
    edit(knowledge_copy / "regeln.yaml", END, FUTURE_END)
    return dataclasses.replace(fast_settings, notice_check_seconds=0.05, notice_hold_seconds=60.0,
                               admin_token=ADMIN_TOKEN)


@pytest.fixture
def clock():
    return SetClock(berlin(2027, 3, 1, 9, 0))  # a Monday, four months before the period ends


@pytest.fixture
async def abo_bot(abo_settings, clock):
    bot = await start_bot(abo_settings, clock=clock)
    yield bot
    await bot.stop()


def message(bot, text, chat, **kwargs):
    """A message written now by the bot's clock (else the answer would count as late)."""
    return message_update(text, chat_id=chat, date=bot.state.clock.now(), **kwargs)


async def ask_and_subscribe(bot, fake_api, chat, question=None):
    before = len(fake_api.of("sendMessage"))
    if question:
        await bot.post_update(message(bot, question, chat))
        await fake_api.wait_for("sendMessage", before + 1)
        before += 1
    await bot.post_update(message(bot, "/abo", chat))
    (*_, reply) = await fake_api.wait_for("sendMessage", before + 1)
    return reply


async def reload(bot):
    async with bot.session.post(f"{bot.url}/admin/reload",
                                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as response:
        body = await response.json()
    assert body["ok"], body
    return body


def notify_now(settings):
    assert kb_commands.run(argparse.Namespace(kb_command="notify", now=True), settings) == 0


def buttons(call):
    return {b["callback_data"]: b["text"] for row in call.params["reply_markup"]["inline_keyboard"] for b in row}


# ---- subscribing ----------------------------------------------------------------------------------

async def test_abo_is_prefilled_from_the_chats_questions_and_edited_with_buttons(abo_bot, fake_api, abo_settings):
    reply = await ask_and_subscribe(abo_bot, fake_api, 7001, "Ist der Hundesteuer-Assistent förderfähig?")
    text = reply.params["text"]
    assert text.startswith("<b>Abo eingerichtet – vorbelegt") and "Hundesteuer" in text
    assert "Nächste Erinnerung: am 01.04.2027 (90 Tage vor dem Ende" in text and "30.06.2027" in text
    keys = buttons(reply)
    assert keys["a:service:hundesteuer"].startswith("✅") and keys["a:programme:sachsen-anschub"].startswith("☐")
    assert keys["a:alle"].startswith("☐")

    await abo_bot.post_update(callback_update("a:programme:sachsen-anschub", chat_id=7001))
    (edited,) = await fake_api.wait_for("editMessageText")
    assert "Programm »Anschubfinanzierung" in edited.params["text"]
    await abo_bot.post_update(callback_update("a:service:hundesteuer", chat_id=7001))
    await fake_api.wait_for("editMessageText", 2)
    await abo_bot.idle()
    rows = query(abo_settings, "SELECT items, all_programmes, chat FROM subscriptions")
    assert rows[0][:2] == ('["programme:sachsen-anschub"]', 0)
    assert "7001" not in rows[0][2]  # the chat id is stored encrypted only

    await abo_bot.post_update(message(abo_bot, "/abo", 7001))
    (*_, shown) = await fake_api.wait_for("sendMessage", 3)
    assert shown.params["text"].startswith("<b>Ihr Abo</b>") and "Hundesteuer" not in shown.params["text"]

    await abo_bot.post_update(message(abo_bot, "/abo_beenden", 7001))
    (*_, ended) = await fake_api.wait_for("sendMessage", 4)
    assert "Abo ist beendet" in ended.params["text"]
    await abo_bot.idle()
    assert query(abo_settings, "SELECT count(*) FROM subscriptions") == [(0,)]
    assert query(abo_settings, "SELECT count(*) FROM reminders") == [(0,)]


async def test_abo_on_the_shipped_data_says_no_period_is_coming(running_bot, fake_api):
    await running_bot.post_update(message_update("/abo", chat_id=7002))
    (reply,) = await fake_api.wait_for("sendMessage")
    assert "Abo eingerichtet – für alle Programme" in reply.params["text"]
    assert "Zurzeit steht kein Förderzeitraum bevor" in reply.params["text"]
    assert "Hinweise auf Änderungen erhält dieser Chat trotzdem" in reply.params["text"]


# ---- reminders ----------------------------------------------------------------------------------

async def test_reminder_is_sent_once_at_its_time(abo_bot, fake_api, clock, abo_settings):
    await ask_and_subscribe(abo_bot, fake_api, 7010, "Ist der Hundesteuer-Assistent förderfähig?")
    await settle(abo_bot)
    assert query(abo_settings, "SELECT days, status FROM reminders ORDER BY days DESC") == [
        (90, "pending"), (30, "pending"), (7, "pending")]
    clock.set(berlin(2027, 4, 1, 7, 59))
    await settle(abo_bot)
    assert notices(fake_api) == []
    clock.set(berlin(2027, 4, 1, 8, 0, 30))
    await until(lambda: notices(fake_api))
    await settle(abo_bot)
    (reminder,) = notices(fake_api, 7010)
    assert reminder.startswith("Erinnerung an eine Frist:")
    assert "endet in 90 Tagen, am 30.06.2027" in reminder and "unter Vorbehalt" in reminder
    assert query(abo_settings, "SELECT days, status FROM reminders ORDER BY days DESC")[0] == (90, "sent")


async def test_after_a_restart_only_the_latest_missed_reminder_is_sent_late(abo_settings, fake_api, clock):
    bot = await start_bot(abo_settings, clock=clock)
    await ask_and_subscribe(bot, fake_api, 7020)
    await bot.idle()
    await bot.stop()  # at once: the reminders were scheduled with the subscription, not at the job's next look
    clock.set(berlin(2027, 6, 1, 10, 0))  # the 90- and 30-day reminders fell due while it was down
    bot = await start_bot(abo_settings, clock=clock)
    try:
        await until(lambda: notices(fake_api))
        await settle(bot)
        (late,) = notices(fake_api, 7020)
        assert late.startswith("Verspätete Erinnerung (eigentlich 30 Tage vorher fällig")
        assert "endet in 29 Tagen" in late
        assert query(abo_settings, "SELECT days, status FROM reminders ORDER BY days DESC") == [
            (90, "skipped"), (30, "late"), (7, "pending")]
    finally:
        await bot.stop()
    clock.set(berlin(2027, 7, 2, 10, 0))  # the period has ended: the 7-day reminder is never sent
    bot = await start_bot(abo_settings, clock=clock)
    try:
        await settle(bot)
        assert len(notices(fake_api, 7020)) == 1
        assert query(abo_settings, "SELECT days, status FROM reminders ORDER BY days DESC")[2] == (7, "ended")
    finally:
        await bot.stop()


# ---- change notices -------------------------------------------------------------------------------

async def test_a_knowledge_change_notifies_exactly_the_chats_it_concerns(abo_bot, fake_api, clock, abo_settings,
                                                                         knowledge_copy):
    await ask_and_subscribe(abo_bot, fake_api, 7101, "Ist der Hundesteuer-Assistent förderfähig?")
    await ask_and_subscribe(abo_bot, fake_api, 7102, "Ist die Zweitwohnungsteuer förderfähig?")
    await ask_and_subscribe(abo_bot, fake_api, 7103)  # nothing asked: all programmes
    edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
    await reload(abo_bot)
    assert query(abo_settings, "SELECT count(*) FROM change_notices WHERE status = 'held'") == [(2,)]
    await settle(abo_bot)
    assert notices(fake_api) == []  # held for NOTICE_HOLD_SECONDS after the reload
    clock.advance(61)
    await until(lambda: len(notices(fake_api)) >= 2)
    await settle(abo_bot)
    assert {chat: len(notices(fake_api, chat)) for chat in (7101, 7102, 7103)} == {7101: 1, 7102: 0, 7103: 1}
    (notice,) = notices(fake_api, 7101)
    assert notice.startswith("Geändert: »Hundesteuer") and "Bisher: " in notice and "Jetzt: " in notice
    assert "Quelle" in notice or "Grund" in notice

    # a change of wording only: nothing is held, nothing sent
    edit(knowledge_copy / "faq.yaml", "verpflichtet Bund und Länder", "verpflichtet Bund und die Länder")
    await reload(abo_bot)
    assert query(abo_settings, "SELECT count(*) FROM change_notices WHERE status = 'held'") == [(0,)]
    clock.advance(61)
    await settle(abo_bot)
    assert len(notices(fake_api)) == 2


async def test_a_reverted_change_cancels_its_notices(abo_bot, fake_api, clock, abo_settings, knowledge_copy):
    await ask_and_subscribe(abo_bot, fake_api, 7201)
    rules = knowledge_copy / "regeln.yaml"
    original = rules.read_text(encoding="utf-8")
    edit(rules, *EXCLUDE)
    await reload(abo_bot)
    rules.write_text(original, encoding="utf-8")
    await reload(abo_bot)
    clock.advance(61)
    await settle(abo_bot)
    assert notices(fake_api) == []
    assert query(abo_settings, "SELECT status FROM change_notices") == [("cancelled",)]


async def test_a_change_made_while_the_bot_was_down_notifies_at_start(abo_settings, fake_api, clock, knowledge_copy):
    bot = await start_bot(abo_settings, clock=clock)
    await ask_and_subscribe(bot, fake_api, 7251)
    await bot.stop()
    edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
    bot = await start_bot(abo_settings, clock=clock)
    try:
        assert query(abo_settings, "SELECT count(*) FROM change_notices WHERE status = 'held'") == [(1,)]
        notify_now(abo_settings)
        await until(lambda: notices(fake_api, 7251))
    finally:
        await bot.stop()


async def test_kb_notify_now_releases_at_once_even_outside_the_sending_hours(abo_bot, fake_api, clock,
                                                                             abo_settings, knowledge_copy, capsys):
    await ask_and_subscribe(abo_bot, fake_api, 7301)
    clock.set(berlin(2027, 3, 6, 20, 0))  # a Saturday evening
    edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
    await reload(abo_bot)
    clock.advance(61)
    await settle(abo_bot)
    assert notices(fake_api) == []  # outside the sending window
    assert kb_commands.run(argparse.Namespace(kb_command="notify", now=False), abo_settings) == 0
    assert "1 Änderungshinweis zurückgehalten" in capsys.readouterr().out
    notify_now(abo_settings)
    assert "1 zurückgehaltener Änderungshinweis freigegeben" in capsys.readouterr().out
    await until(lambda: notices(fake_api, 7301))
    await settle(abo_bot)
    assert len(notices(fake_api, 7301)) == 1
    assert query(abo_settings, "SELECT status FROM change_notices") == [("released",)]


async def test_notices_wait_for_the_sending_window(abo_bot, fake_api, clock, knowledge_copy):
    await ask_and_subscribe(abo_bot, fake_api, 7351)
    clock.set(berlin(2027, 3, 6, 11, 0))  # Saturday
    edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
    await reload(abo_bot)
    clock.advance(3600)
    await settle(abo_bot)
    assert notices(fake_api) == []
    clock.set(berlin(2027, 3, 8, 8, 0, 5))  # Monday morning
    await until(lambda: notices(fake_api, 7351))


async def test_a_403_and_a_429_during_a_notice_run(abo_bot, fake_api, abo_settings, knowledge_copy):
    chats = [7401, 7402, 7403, 7404, 7405]
    for chat in chats:
        await ask_and_subscribe(abo_bot, fake_api, chat)
    fake_api.block(7402)
    fake_api.fail_next("sendMessage", 429, {"retry_after": 1}, "Too Many Requests: retry after 1")
    edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
    await reload(abo_bot)
    notify_now(abo_settings)
    await until(lambda: len(notices(fake_api)) == 4)
    await settle(abo_bot, 1.5)
    assert {chat: len(notices(fake_api, chat)) for chat in chats} == {7401: 1, 7402: 0, 7403: 1, 7404: 1, 7405: 1}
    assert fake_api.tried("sendMessage") > len(fake_api.of("sendMessage"))  # the 429 and the 403 were tried
    blocked = pseudonymise(abo_settings.pseudonym_key, "chat", 7402)
    keys = {row[0] for row in query(abo_settings, "SELECT chat_key FROM subscriptions")}
    assert len(keys) == 4 and blocked not in keys


async def test_a_migrated_group_keeps_its_subscription_under_the_new_id(abo_bot, fake_api, abo_settings,
                                                                        knowledge_copy):
    fake_api.admins[-6001] = {42}
    await abo_bot.post_update(message(abo_bot, "/abo", -6001, user_id=42, chat_type="group"))
    await fake_api.wait_for("sendMessage")
    await abo_bot.idle()
    fake_api.migrate(-6001, -1006001)
    edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
    await reload(abo_bot)
    notify_now(abo_settings)
    await until(lambda: notices(fake_api, -1006001))
    await settle(abo_bot)
    key = pseudonymise(abo_settings.pseudonym_key, "chat", -1006001)
    assert query(abo_settings, "SELECT chat_key, chat_type FROM subscriptions") == [(key, "supergroup")]


async def test_kb_diff_counts_the_chats_a_change_would_notify(abo_bot, fake_api, abo_settings, knowledge_copy,
                                                              capsys):
    await ask_and_subscribe(abo_bot, fake_api, 7501, "Ist der Hundesteuer-Assistent förderfähig?")
    await ask_and_subscribe(abo_bot, fake_api, 7502, "Ist die Zweitwohnungsteuer förderfähig?")
    await ask_and_subscribe(abo_bot, fake_api, 7503)
    await abo_bot.idle()
    edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
    assert kb_commands.run(argparse.Namespace(kb_command="diff", path=None), abo_settings) == 0
    out = capsys.readouterr().out
    assert "Änderungshinweise: 2 abonnierte Chats würden benachrichtigt" in out
    assert "7501" not in out


# ---- groups, /vergessen, blocks, privacy ---------------------------------------------------------

async def test_in_groups_only_admins_subscribe_and_a_members_vergessen_keeps_it(abo_bot, fake_api, abo_settings):
    group = -5001
    fake_api.admins[group] = {42}
    await abo_bot.post_update(message(abo_bot, "/abo", group, user_id=43, chat_type="group"))
    (refused,) = await fake_api.wait_for("sendMessage")
    assert "nur die Administratoren" in refused.params["text"]
    assert fake_api.of("getChatMember")[0].params["user_id"] in (43, "43")
    await abo_bot.post_update(message(abo_bot, "/abo", group, user_id=42, chat_type="group"))
    (_, made) = await fake_api.wait_for("sendMessage", 2)
    assert "Abo eingerichtet" in made.params["text"]
    await abo_bot.post_update(callback_update("a:alle", chat_id=group, user_id=43, chat_type="group"))
    (answer,) = await fake_api.wait_for("answerCallbackQuery")
    assert "nur die Administratoren" in answer.params["text"]
    await abo_bot.post_update(message(abo_bot, "/abo_beenden", group, user_id=43, chat_type="group"))
    await fake_api.wait_for("sendMessage", 3)
    await abo_bot.post_update(callback_update("v:ja", chat_id=group, user_id=43, chat_type="group"))
    await fake_api.wait_for("editMessageText")
    await abo_bot.idle()
    assert query(abo_settings, "SELECT count(*) FROM subscriptions") == [(1,)]
    await abo_bot.post_update(my_chat_member_update(group, "kicked", chat_type="group"))
    await until(lambda: query(abo_settings, "SELECT count(*) FROM subscriptions") == [(0,)])


async def test_vergessen_in_a_private_chat_and_a_block_end_the_subscription(abo_bot, fake_api, abo_settings):
    await ask_and_subscribe(abo_bot, fake_api, 7601)
    await ask_and_subscribe(abo_bot, fake_api, 7602)
    await abo_bot.post_update(callback_update("v:ja", chat_id=7601))
    await fake_api.wait_for("editMessageText")
    await abo_bot.post_update(my_chat_member_update(7602, "kicked"))
    await until(lambda: query(abo_settings, "SELECT count(*) FROM subscriptions") == [(0,)])


async def test_unreadable_subscriptions_are_counted_in_healthz(abo_settings, fake_api, clock):
    bot = await start_bot(abo_settings, clock=clock)
    await ask_and_subscribe(bot, fake_api, 7701)
    await bot.stop()
    bot = await start_bot(dataclasses.replace(abo_settings, pseudonym_key="another-key"), clock=clock)
    try:
        _, health = await bot.health()
        assert health["subscriptions"] == 1 and health["subscriptions_unreadable"] == 1
    finally:
        await bot.stop()


async def test_datenschutz_and_hilfe_tell_about_the_abo(running_bot, fake_api):
    await running_bot.post_update(message_update("/datenschutz"))
    await running_bot.post_update(message_update("/hilfe"))
    privacy, help_ = await fake_api.wait_for("sendMessage", 2)
    assert "Chat-Kennung verschlüsselt" in privacy.params["text"] and "/abo_beenden" in privacy.params["text"]
    assert "/abo – " in help_.params["text"]


async def test_an_entry_removed_from_the_list_drops_its_reminders(abo_bot, fake_api, abo_settings):
    await ask_and_subscribe(abo_bot, fake_api, 7801, "Ist der Hundesteuer-Assistent förderfähig?")
    await settle(abo_bot)
    assert {row[0] for row in query(abo_settings, "SELECT status FROM reminders")} == {"pending"}
    await abo_bot.post_update(callback_update("a:service:hundesteuer", chat_id=7801))
    (edited,) = await fake_api.wait_for("editMessageText")
    assert "Die Liste ist leer" in edited.params["text"]
    await settle(abo_bot)
    assert {row[0] for row in query(abo_settings, "SELECT status FROM reminders")} == {"obsolete"}


async def test_live_answers_go_before_waiting_notices(abo_settings, fake_api, clock, knowledge_copy):
    bot = await start_bot(dataclasses.replace(abo_settings, notice_rate=2.0), clock=clock)
    try:
        chats = list(range(7901, 7909))
        for chat in chats:
            await ask_and_subscribe(bot, fake_api, chat)
        edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
        await reload(bot)
        notify_now(abo_settings)
        await until(lambda: notices(fake_api))
        await bot.post_update(message(bot, "Ist der Hundesteuer-Assistent förderfähig?", 7999))
        await until(lambda: len(notices(fake_api)) == len(chats) and texts(fake_api, 7999))
        order = [int(c.params["chat_id"]) for c in fake_api.of("sendMessage")
                 if c.params["text"].startswith("Geändert:") or int(c.params["chat_id"]) == 7999]
        assert order.index(7999) < len(chats) - 1  # the answer did not wait behind the notices
    finally:
        await bot.stop()


async def test_a_catalogue_import_notifies_like_a_reload(abo_bot, fake_api, abo_settings, knowledge_copy, tmp_path):
    await ask_and_subscribe(abo_bot, fake_api, 8001, "Ist der Hundesteuer-Assistent förderfähig?")
    await ask_and_subscribe(abo_bot, fake_api, 8002, "Ist die Zweitwohnungsteuer förderfähig?")
    export = tmp_path / "export.csv"
    lines = (knowledge_copy / "katalog.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    export.write_text("".join(line for line in lines if not line.startswith("hundesteuer;")), encoding="utf-8")
    args = argparse.Namespace(kb_command="import-catalogue", file=export, dry_run=False, force=False)
    assert kb_commands.run(args, abo_settings) == 0
    # the watcher picks the import up like an edited file
    await until(lambda: query(abo_settings, "SELECT count(*) FROM change_notices WHERE status = 'held'") == [(1,)])
    notify_now(abo_settings)
    await until(lambda: notices(fake_api))
    await settle(abo_bot)
    (notice,) = notices(fake_api)
    assert notice.startswith("Geändert: »Hundesteuer") and "nicht mehr im Katalog" in notice
    assert notices(fake_api, 8002) == []


# ---- the pieces, without Telegram ------------------------------------------------------------------

def test_a_reminder_due_on_a_weekend_comes_the_working_day_before():
    from bot.reminders import NoticeWindow
    window = NoticeWindow((1, 5), (8, 18))
    assert window.due_time(datetime(2027, 3, 6).date()) == berlin(2027, 3, 5, 8, 0).timestamp()  # Sat → Fri
    assert window.is_open(berlin(2027, 3, 5, 17, 59).timestamp())
    assert not window.is_open(berlin(2027, 3, 5, 18, 0).timestamp())
    assert not window.is_open(berlin(2027, 3, 6, 10, 0).timestamp())


def test_sending_hours_are_checked_when_read():
    from bot.config import ConfigError, Settings
    settings = Settings.from_env({"NOTICE_HOURS": "7-20", "NOTICE_DAYS": "1-6", "NOTICE_HOLD_SECONDS": "0"})
    assert settings.notice_hours == (7, 20) and settings.notice_days == (1, 6) and settings.notice_hold_seconds == 0
    for bad in ("18-8", "8", "0-25", "acht-18"):
        with pytest.raises(ConfigError, match="NOTICE_HOURS"):
            Settings.from_env({"NOTICE_HOURS": bad})


def test_my_chat_member_updates_are_read_with_their_chat():
    import json

    from bot.intake import read_update
    intake = read_update(json.dumps(my_chat_member_update(-5001, "kicked", chat_type="group")).encode())
    assert intake.chat == -5001 and intake.poison is None and intake.ignored is None
    broken = read_update(json.dumps({"update_id": 5, "my_chat_member": {"chat": {"id": "x"}}}).encode())
    assert broken.poison


async def test_an_entry_added_again_gets_its_reminders_back(abo_bot, fake_api, abo_settings):
    await ask_and_subscribe(abo_bot, fake_api, 8101, "Ist der Hundesteuer-Assistent förderfähig?")
    await settle(abo_bot)
    await abo_bot.post_update(callback_update("a:service:hundesteuer", chat_id=8101))
    await fake_api.wait_for("editMessageText")
    await settle(abo_bot)
    assert {row[0] for row in query(abo_settings, "SELECT status FROM reminders")} == {"obsolete"}
    await abo_bot.post_update(callback_update("a:service:hundesteuer", chat_id=8101))
    await fake_api.wait_for("editMessageText", 2)
    await settle(abo_bot)
    assert {row[0] for row in query(abo_settings, "SELECT status FROM reminders")} == {"pending"}


async def test_abo_with_a_word_offers_catalogue_services_to_add(abo_bot, fake_api, abo_settings):
    await ask_and_subscribe(abo_bot, fake_api, 8201)
    await abo_bot.post_update(message(abo_bot, "/abo Zweitwohnung", 8201))
    (_, shown) = await fake_api.wait_for("sendMessage", 2)
    assert "Treffer zu »Zweitwohnung«" in shown.params["text"]
    assert buttons(shown)["a:service:zweitwohnungsteuer"].startswith("☐")
    await abo_bot.post_update(callback_update("a:service:zweitwohnungsteuer", chat_id=8201))
    await fake_api.wait_for("editMessageText")
    await abo_bot.idle()
    assert query(abo_settings, "SELECT items FROM subscriptions") == [('["service:zweitwohnungsteuer"]',)]


def test_an_extended_period_tells_all_programme_subscribers_once_not_per_service(knowledge_copy):
    from datetime import date

    from bot.change_notices import wanted_notices
    from bot.knowledge.diff import verdict_changes
    from bot.knowledge.load import inspect_knowledge
    from bot.subscriptions import Subscription
    edit(knowledge_copy / "regeln.yaml", END, FUTURE_END)
    old, _ = inspect_knowledge(knowledge_copy)
    edit(knowledge_copy / "regeln.yaml", FUTURE_END, "        end: 2027-12-31")
    edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
    new, _ = inspect_knowledge(knowledge_copy)
    changes = verdict_changes(old, new, date(2027, 3, 1))
    kisa = [s.id for s in new.services if s.type == "kisa"]
    subscriptions = [Subscription("all", 1, "private", True, ()),
                     Subscription("one", 2, "private", False, ("service:zweitwohnungsteuer",)),
                     Subscription("many", 3, "private", False, tuple(f"service:{s}" for s in kisa[:8])),
                     Subscription("none", 4, "private", False, ("service:ekol-kfz-zulassung",)),
                     Subscription("unreadable", None, "private", True, ())]
    wanted = wanted_notices(changes, subscriptions, old, new)
    assert set(wanted) == {"all", "one", "many"}  # an excluded service stays excluded: no change
    everything = wanted["all"]
    assert everything.startswith("Geändert: Programm »Anschubfinanzierung")
    assert "»Hundesteuer" in everything and "Nicht förderfähig" in everything  # it did not follow the programme
    assert everything.count("Geändert:") == 2  # the programme and the one service that did not follow it
    assert wanted["one"].count("Geändert:") == 1 and "Zweitwohnungsteuer" in wanted["one"]
    assert wanted["many"].count("Geändert:") == 5 and "Dazu 3 weitere Änderungen" in wanted["many"]


async def test_held_notices_survive_a_restart_and_go_out_once(abo_settings, fake_api, clock, knowledge_copy):
    bot = await start_bot(abo_settings, clock=clock)
    await ask_and_subscribe(bot, fake_api, 8301)
    edit(knowledge_copy / "regeln.yaml", *EXCLUDE)
    await reload(bot)
    (release_at,) = query(abo_settings, "SELECT release_at FROM change_notices WHERE status = 'held'")[0]
    await bot.stop()
    bot = await start_bot(abo_settings, clock=clock)  # the start diffs again: the same notice, the same time
    try:
        assert query(abo_settings, "SELECT release_at FROM change_notices WHERE status = 'held'") == [(release_at,)]
        clock.advance(61)
        await until(lambda: notices(fake_api, 8301))
        await settle(bot)
        assert len(notices(fake_api, 8301)) == 1
    finally:
        await bot.stop()
    bot = await start_bot(abo_settings, clock=clock)  # notified: the next start holds nothing
    try:
        await settle(bot)
        assert query(abo_settings, "SELECT count(*) FROM change_notices WHERE status = 'held'") == [(0,)]
        assert len(notices(fake_api, 8301)) == 1
    finally:
        await bot.stop()
