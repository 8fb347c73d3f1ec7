"""Admin endpoints of the web application: POST /admin/reload (for `kb reload`), with ADMIN_TOKEN."""

from __future__ import annotations

from aiohttp import web

from .knowledge_reload import reload_knowledge
from .web_auth import json_response, require_token


def add_routes(app: web.Application, state_key) -> None:
    async def reload(request: web.Request) -> web.Response:
        state = request.app[state_key]
        require_token(request, state.settings.admin_token, "Der Admin-Zugang")
        if not state.ready:
            return json_response({"error": "Der Bot startet noch."}, status=503)
        force = request.query.get("force", "") in ("1", "true", "ja")
        result = await reload_knowledge(state.source, force)
        return json_response({
            "ok": result.ok, "changed": result.changed, "version": result.version, "previous": result.previous,
            "refused": result.refused or None, "problems": [str(p) for p in result.problems],
            "message": result.message(),
        }, status=200 if result.ok else 409)

    app.router.add_post("/admin/reload", reload)
