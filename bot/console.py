"""The support team's test console: GET /konsole (a page) and POST /api/ask (the `ask --json` answer).

With `"conversation": "<id>"` (1–64 characters A-Z a-z 0-9 _ -, chosen by the page) a question is read
in that conversation, as in Telegram: follow-ups ("Und bis wann?") refer to the answer before, for
CONTEXT_MINUTES; `"forget": true` starts it afresh. Without it every question stands alone.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

from aiohttp import web

from .chat_memory import ChatMemory
from .knowledge.dates import BERLIN, german_date, today_in_berlin
from .knowledge.question import MAX_QUESTION_CHARS
from .replies import to_html, to_json
from .web_auth import json_response, require_token

PAGE = Path(__file__).resolve().parent / "static" / "konsole.html"
# A question day far outside any programme is a typing error, and dates near year 1 or 9999 leave
# no room for date arithmetic.
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_CONSOLE_CONVERSATIONS = 1000
CONVERSATIONS = web.AppKey("console_conversations", ChatMemory)


def _text(value: object) -> str:
    """The question as text; lone surrogates (valid in JSON, not in UTF-8) become U+FFFD."""
    text = value if isinstance(value, str) else str(value)
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if text else text


def add_routes(app: web.Application, state_key) -> None:
    app[CONVERSATIONS] = ChatMemory(app[state_key].settings.context_minutes, MAX_CONSOLE_CONVERSATIONS, 0)

    async def page(request: web.Request) -> web.Response:
        if not request.app[state_key].settings.console_token:
            raise web.HTTPNotFound(text="Die Testkonsole ist ausgeschaltet (CONSOLE_TOKEN nicht gesetzt).")
        return web.Response(text=PAGE.read_text(encoding="utf-8"), content_type="text/html", charset="utf-8",
                            headers={"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                                                "style-src 'self' 'unsafe-inline'",
                                     "X-Frame-Options": "DENY"})

    async def ask(request: web.Request) -> web.Response:
        state = request.app[state_key]
        require_token(request, state.settings.console_token, "Die Testkonsole")
        if not state.ready:
            return json_response({"error": "Der Bot startet noch."}, status=503)
        try:
            body = json.loads(await request.read())
            question = _text(body.get("question", ""))[:MAX_QUESTION_CHARS * 2]
            as_of = date.fromisoformat(body["as_of"]) if body.get("as_of") else today_in_berlin()
            conversation_id = body.get("conversation")
            if conversation_id is not None and not CONVERSATION_ID.match(str(conversation_id)):
                raise ValueError(conversation_id)
        except (ValueError, AttributeError, TypeError, RecursionError):
            return json_response({"error": "Erwartet wird JSON wie {\"question\": \"…\", \"as_of\": \"2024-12-31\", "
                                           "\"conversation\": \"a1\"} (conversation: 1–64 Zeichen A–Z, a–z, 0–9, "
                                           "_ und -, optional)."}, status=400)
        if not EARLIEST <= as_of <= LATEST:
            return json_response({"error": f"Der Stichtag muss zwischen {german_date(EARLIEST)} und "
                                           f"{german_date(LATEST)} liegen."}, status=400)
        if conversation_id is None:
            answer = state.source.current.answer(question, as_of)
        else:
            memory = request.app[CONVERSATIONS]
            key = ("konsole", conversation_id)
            if body.get("forget") is True:
                memory.forget_key(key)
            answer = memory.conversation(key, state.source.current).ask(question, as_of, datetime.now(BERLIN))
        data = to_json(answer)
        data["telegram_html"] = to_html(answer)
        data["judgements"] = [{"programme": j.programme, "verdict": j.verdict.value, "reasons": list(j.reasons),
                               "deadline": j.deadline.isoformat()} for j in answer.judgements]
        return json_response(data)

    app.router.add_get("/konsole", page)
    app.router.add_post("/api/ask", ask)
