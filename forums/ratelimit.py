"""Flood control for new threads and replies: a fixed window per member in Django's cache
(Redis in production, so every worker shares the counters)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

# action -> (how many, per seconds)
DEFAULT_LIMITS = {"thread": (5, 600), "reply": (12, 60)}


class RateLimitError(Exception):
    def __init__(self, action: str, retry_after: int):
        self.action = action
        self.retry_after = retry_after
        if action == "thread":
            message = _("You have started many threads in a short time. Please wait %(seconds)d seconds.")
        else:
            message = _("You have written many posts in a short time. Please wait %(seconds)d seconds.")
        super().__init__(message % {"seconds": retry_after})
        self.message = str(self)


def check_rate(user, action: str) -> None:
    """Count one ``action`` for ``user``; raise ``RateLimitError`` when the window's limit is exceeded."""
    limits = {**DEFAULT_LIMITS, **getattr(settings, "FORUMS_RATE_LIMITS", {})}
    allowed, window = limits[action]
    now = int(time.time())
    window_start = now - now % window
    key = f"forums:rate:{action}:{user.pk}:{window_start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > allowed:
        raise RateLimitError(action, retry_after=max(1, window_start + window - now))
