"""A minimal python-telegram-bot echo bot behind the same kind of aiohttp webhook as Förderbot:
secret check, JSON parse, then the update processed in the background. It measures the framework's
ceiling on this machine (bench/webhook.py starts it as a separate process).

    BOT_API_BASE_URL=http://127.0.0.1:PORT/bot PORT=8090 python bench/echo_bot.py
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os

from aiohttp import web
from telegram import Update
from telegram.ext import AIORateLimiter, Application, MessageHandler, filters

SECRET = os.environ.get("WEBHOOK_SECRET", "bench-secret")


async def echo(update: Update, context) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    rate = float(os.environ.get("RATE_LIMIT", "100000"))
    application = (Application.builder().token("1:ECHO").base_url(os.environ["BOT_API_BASE_URL"]).updater(None)
                   .concurrent_updates(True)
                   .rate_limiter(AIORateLimiter(overall_max_rate=rate, max_retries=3)).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    tasks: set[asyncio.Task] = set()
    # Bounded like Förderbot's dispatcher: httpx's connection pool gets slow (quadratic) with hundreds
    # of queued requests, so an unbounded echo bot would measure httpx, not the framework.
    limit = asyncio.Semaphore(int(os.environ.get("CONCURRENCY", "64")))

    async def process(update: Update) -> None:
        async with limit:
            await application.process_update(update)

    async def webhook(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(given, SECRET.encode()):
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400)
        task = asyncio.create_task(process(Update.de_json(data, application.bot)))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return web.json_response({"ok": True})

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def lifecycle(app: web.Application):
        await application.initialize()
        await application.start()
        yield
        await application.stop()
        await application.shutdown()

    app = web.Application()
    app.router.add_post("/telegram", webhook)
    app.router.add_get("/healthz", health)
    app.cleanup_ctx.append(lifecycle)
    web.run_app(app, host="127.0.0.1", port=int(os.environ["PORT"]), print=None, access_log=None)


if __name__ == "__main__":
    main()
