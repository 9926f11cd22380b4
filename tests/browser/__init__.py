import os

# Playwright's sync API keeps an event loop running in the test thread; the database work of
# the tests and fixtures is still synchronous and safe, so Django must not refuse it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
