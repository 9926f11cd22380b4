"""Helpers for query budgets that hold on every engine the suite runs on."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedSessionStore


def session_queries() -> int:
    """Reading the session costs a query unless sessions are cached (Redis setups)."""
    return 0 if issubclass(import_module(settings.SESSION_ENGINE).SessionStore, CachedSessionStore) else 1
