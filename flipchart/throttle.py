"""Counting failed authentication per client IP (unknown tokens, bad links).

Only failures count: requests with a valid token are never limited, so a meeting of 200
behind one school IP works. Counters live in Django's cache; set REDIS_URL so several workers
share them.
"""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

from flipchart.env import env_int

WINDOW_SECONDS = 60
_TRUSTED_PROXIES = env_int("TRUSTED_PROXY_COUNT", 0)


def client_ip(meta: dict) -> str:
    """REMOTE_ADDR, or the address the trusted proxy saw (TRUSTED_PROXY_COUNT hops back)."""
    if _TRUSTED_PROXIES:
        forwarded = [
            p.strip() for p in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= _TRUSTED_PROXIES:
            return forwarded[-_TRUSTED_PROXIES]
    return meta.get("REMOTE_ADDR", "") or "unknown"


def request_ip(request) -> str | None:
    """client_ip for a request; django-axes calls this (AXES_CLIENT_IP_CALLABLE).

    None when there is no real address (a sign-in made in code, a bad proxy header): axes
    stores it in an IP-address column, which PostgreSQL checks strictly."""
    ip = client_ip(request.META)
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return None
    return ip


def _key(scope: str, ip: str) -> str:
    return f"authfail:{scope}:{ip}:{int(time.time() // WINDOW_SECONDS)}"


def record_failure(scope: str, ip: str) -> int:
    """Count one failure; returns the count in the current window."""
    key = _key(scope, ip)
    cache.add(key, 0, WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS * 2)
        return 1


def too_many_failures(scope: str, ip: str) -> bool:
    return (cache.get(_key(scope, ip)) or 0) >= settings.TOKEN_FAILURES_PER_MINUTE
