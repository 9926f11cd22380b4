"""A small fixed-window rate limit on the shared cache (Redis in production), for public forms."""

import hashlib

from django.core.cache import cache


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one attempt; ``True`` while at most ``limit`` attempts fell into the current window."""
    key = "ratelimit:" + scope + ":" + hashlib.sha256(ident.encode()).hexdigest()[:32]
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit
