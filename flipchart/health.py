"""Probes for the proxy or orchestrator: /healthz (process up), /readyz (dependencies up).

/readyz answers 503 when the database, the channel layer or (with REDIS_URL) the shared cache
cannot be reached, naming which; each check gives up after READY_TIMEOUT seconds, so a
blackholed Redis makes the probe say "unavailable" instead of hanging. Both are async views:
a probe never waits behind the thread Django runs synchronous views in.
"""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

log = logging.getLogger(__name__)

READY_TIMEOUT = 3.0


async def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()  # a probe never keeps a connection from the pool


def _cache() -> None:
    cache.set("flipchart:readyz", 1, 10)


async def _channel_layer() -> None:
    await get_channel_layer().group_send("readyz", {"type": "readyz.ping"})


async def _check(name: str, awaitable) -> str:
    try:
        await asyncio.wait_for(awaitable, READY_TIMEOUT)
        return "ok"
    except Exception:  # any driver error or a timeout means "not ready"
        log.warning("readyz: %s unreachable", name, exc_info=True)
        return "unreachable"


async def readyz(request):
    checks = {
        "database": await _check("database", sync_to_async(_database, thread_sensitive=False)()),
        "channel_layer": await _check("channel layer", _channel_layer()),
    }
    if getattr(settings, "REDIS_URL", ""):
        checks["cache"] = await _check("cache", sync_to_async(_cache, thread_sensitive=False)())
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )
