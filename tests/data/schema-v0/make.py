"""How bot.db and katalog.db here were made: `python tests/data/schema-v0/make.py DIR` run at commit b50795d,
before schema versions existed (user_version 0). Kept to show how the files came about; running it on
later code would make a later schema, so the files are the fixture, not this script. Key: legacy-pseudonym-key."""
import asyncio, json, sys, time
from pathlib import Path
from bot.store import Store, BOT_DB
from bot.catalogue_store import CatalogueStore, CATALOGUE_DB
from bot.intake import read_update
from bot.knowledge.assistant import Assistant
from bot.knowledge.load import load_knowledge

out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
KEY = "legacy-pseudonym-key"

def msg(update_id, chat, text):
    return {"update_id": update_id, "message": {"message_id": update_id, "date": 1733000000,
            "chat": {"id": chat, "type": "private"}, "from": {"id": chat, "is_bot": False, "first_name": "A"},
            "text": text}}

async def main():
    root = Path(".")
    assistant = Assistant(load_knowledge(root))
    store = Store(out / BOT_DB, KEY)
    await store.open()
    # one update waiting, one answered and done, one quarantined, one ignored
    await store.inbox_add(read_update(json.dumps(msg(1001, 4711, "Hundesteuer?")).encode()))
    await store.inbox_add(read_update(json.dumps(msg(1002, 4712, "Wohngeld förderfähig?")).encode()))
    await store.inbox_add(read_update(json.dumps({"update_id": 1003, "channel_post": {"message_id": 1, "date": 1, "chat": {"id": -5, "type": "channel"}}}).encode()))
    await store.inbox_add(read_update(json.dumps(msg(1004, 4713, "x")).encode()))
    await store.inbox_quarantine(1004, "3 Fehler: RuntimeError")
    answer = assistant.answer("Wohngeld förderfähig?", __import__("datetime").date(2024, 6, 1))
    qid = await store.reserve_question_id()
    q = store.question_row(qid, chat=4712, user=4712, question="Wohngeld förderfähig?", answer=answer, as_of="2024-06-01")
    now = time.time()
    ids = await store.stage(1002, [q], [
        {"update_id": 1002, "question_id": qid, "seq": 0, "chat": 4712, "kind": "answer", "method": "sendMessage",
         "request": {"params": {"chat_id": "4712", "text": "Ja – förderfähig."}, "chat": 4712}, "created": now, "next_at": now},
        {"update_id": 1002, "question_id": qid, "seq": 1, "chat": 4712, "kind": "answer", "method": "sendMessage",
         "request": {"params": {"chat_id": "4712", "text": "Zweiter Teil."}, "chat": 4712}, "created": now, "next_at": now}])
    await store.outbox_finish(ids[0], "sent", message_id=77)
    await store.set_feedback(qid, 4712, "up")
    qid2 = await store.log_question(chat=4714, user=4714, question="Gibt es was für Hunde?", answer=assistant.answer("Gibt es was für Hunde?", __import__("datetime").date(2024, 6, 1)), as_of="2024-06-01")
    await store.add_handover(qid2, 4714, 4714, 9001)
    await store.mark_clean_shutdown([])
    await store.close()
    with CatalogueStore(out / CATALOGUE_DB) as cat:
        cat.seed(root / "katalog.csv")
asyncio.run(main())
