"""Probes for the proxy or orchestrator: /healthz (process up), /readyz (dependencies up)."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse

log = logging.getLogger(__name__)


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    checks = {"database": "ok", "channel_layer": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any driver error means "not ready"
        log.exception("readyz: database unreachable")
        checks["database"] = "unreachable"
    try:
        layer = get_channel_layer()
        async_to_sync(layer.group_send)("readyz", {"type": "ping"})
    except Exception:
        log.exception("readyz: channel layer unreachable")
        checks["channel_layer"] = "unreachable"
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )
