"""The per-process HTTP limit (portal/concurrency.py): requests beyond it wait their turn in
order, a request that waits too long gets the German 503, websockets are not limited."""

import asyncio

import pytest

from portal.concurrency import ConcurrencyLimit


class SlowApp:
    """An ASGI app that records how many requests it works on at once."""

    def __init__(self, seconds=0.05):
        self.seconds = seconds
        self.running = 0
        self.most = 0
        self.order = []

    async def __call__(self, scope, receive, send):
        self.running += 1
        self.most = max(self.most, self.running)
        self.order.append(scope.get("path"))
        await asyncio.sleep(self.seconds)
        self.running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def call(app, path="/", kind="http"):
    messages = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    await app({"type": kind, "path": path}, receive, send)
    return messages


async def test_requests_beyond_the_limit_wait_their_turn_in_order():
    inner = SlowApp()
    app = ConcurrencyLimit(inner, limit=3, wait_seconds=5)
    paths = [f"/{n}" for n in range(12)]
    results = await asyncio.gather(*(call(app, path) for path in paths))
    assert inner.most == 3
    assert inner.order == paths
    assert all(messages[0]["status"] == 200 for messages in results)


async def test_a_request_that_waited_too_long_gets_the_german_503():
    inner = SlowApp(seconds=0.5)
    app = ConcurrencyLimit(inner, limit=1, wait_seconds=0.05)
    first, second = await asyncio.gather(call(app, "/a"), call(app, "/b"))
    assert first[0]["status"] == 200
    start, body = second
    assert start["status"] == 503
    headers = dict(start["headers"])
    assert headers[b"retry-after"] == b"5"
    assert headers[b"content-type"] == b"text/html; charset=utf-8"
    assert int(headers[b"content-length"]) == len(body["body"])
    assert "Bitte versuchen Sie es in einigen Sekunden erneut" in body["body"].decode()
    assert inner.order == ["/a"]
    # The slot is free again afterwards.
    assert (await call(app, "/c"))[0]["status"] == 200


async def test_websockets_and_a_limit_of_zero_pass_straight_through():
    inner = SlowApp()
    limited = ConcurrencyLimit(inner, limit=1, wait_seconds=0.01)
    await asyncio.gather(*(call(limited, f"/ws/{n}", kind="websocket") for n in range(4)))
    assert inner.most == 4
    inner = SlowApp()
    unlimited = ConcurrencyLimit(inner, limit=0, wait_seconds=0.01)
    await asyncio.gather(*(call(unlimited, f"/{n}") for n in range(4)))
    assert inner.most == 4


async def test_an_app_that_fails_releases_its_slot():
    async def failing(scope, receive, send):
        raise RuntimeError("boom")

    app = ConcurrencyLimit(failing, limit=1, wait_seconds=0.05)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            await call(app)


def test_the_portal_application_is_limited(settings):
    from portal.asgi import application

    http = application.application_mapping["http"]
    assert isinstance(http, ConcurrencyLimit)
    assert http.limit == settings.HTTP_CONCURRENCY > 0
