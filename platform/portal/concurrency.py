"""How many HTTP requests one server process works on at once.

Under ASGI, Django runs every request in a thread of its own, so a burst of fifty members
means fifty threads at once, each wanting a database connection from the pool. Past the
pool's size they waited for a connection and gave up after ``DB_POOL_TIMEOUT`` (a 503), and
two cores shared among fifty threads made every one of them slow. Here the requests beyond
the limit wait their turn before Django sees them, in order of arrival and without holding
anything, so the pool's short timeout only ever fires when the database is really down.
"""

import asyncio

BUSY_HTML = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gerade ausgelastet – Sozialplanungsplattform</title></head>
<body><main><h1>Gerade ausgelastet</h1>
<p>Die Plattform ist im Moment stark ausgelastet. Bitte versuchen Sie es in einigen Sekunden erneut.
Ihre Daten sind nicht verloren.</p>
<p lang="en">The portal is very busy right now. Please try again in a few seconds.</p>
</main></body></html>""".encode()

BUSY_HEADERS = [
    (b"content-type", b"text/html; charset=utf-8"),
    (b"content-length", str(len(BUSY_HTML)).encode()),
    (b"retry-after", b"5"),
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
]


class ConcurrencyLimit:
    """ASGI middleware: at most ``limit`` HTTP requests in the wrapped app at a time; a
    request that waited ``wait_seconds`` without its turn gets a German 503. Websockets pass
    straight through (they hold a connection for hours, not a request slot). ``limit`` 0
    turns the limit off."""

    def __init__(self, app, *, limit: int, wait_seconds: float):
        self.app = app
        self.limit = limit
        self.wait_seconds = wait_seconds
        self._semaphore = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.limit <= 0:
            return await self.app(scope, receive, send)
        if self._semaphore is None:
            # Made here, inside the server's event loop, not at import time.
            self._semaphore = asyncio.Semaphore(self.limit)
        try:
            await asyncio.wait_for(self._semaphore.acquire(), self.wait_seconds)
        except TimeoutError:
            await send({"type": "http.response.start", "status": 503, "headers": BUSY_HEADERS})
            await send({"type": "http.response.body", "body": BUSY_HTML})
            return None
        try:
            return await self.app(scope, receive, send)
        finally:
            self._semaphore.release()
