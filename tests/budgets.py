"""Helpers for query budgets that hold on every engine the suite runs on."""

from django.conf import settings


def session_queries() -> int:
    """Reading the session costs a query unless sessions are cached (Redis setups)."""
    return 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
