"""The support team's test console: GET /konsole (a page) and POST /api/ask (the `ask --json` answer)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from aiohttp import web

from .knowledge.dates import today_in_berlin
from .knowledge.question import MAX_QUESTION_CHARS
from .replies import to_html, to_json
from .web_auth import json_response, require_token

PAGE = Path(__file__).resolve().parent / "static" / "konsole.html"


def add_routes(app: web.Application, state_key) -> None:
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
            question = str(body.get("question", ""))[:MAX_QUESTION_CHARS * 2]
            as_of = date.fromisoformat(body["as_of"]) if body.get("as_of") else today_in_berlin()
        except (ValueError, AttributeError, TypeError):
            return json_response({"error": "Erwartet wird JSON wie {\"question\": \"…\", \"as_of\": \"2024-12-31\"}."},
                                     status=400)
        answer = state.source.current.answer(question, as_of)
        data = to_json(answer)
        data["telegram_html"] = to_html(answer)
        data["judgements"] = [{"programme": j.programme, "verdict": j.verdict.value, "reasons": list(j.reasons),
                               "deadline": j.deadline.isoformat()} for j in answer.judgements]
        return json_response(data)

    app.router.add_get("/konsole", page)
    app.router.add_post("/api/ask", ask)
