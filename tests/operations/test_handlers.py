"""Django's ASGI handler with reused request threads (portal/handlers.py): one thread per
request at a time, threads reused afterwards, no state carried from one request to the next,
and at most ``working_limit`` requests in Django's code at once."""

import asyncio
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.http import HttpResponse

from portal.handlers import PooledThreadsASGIHandler


class RecordingHandler(PooledThreadsASGIHandler):
    """Runs a synchronous step per request, as Django does, and records its thread."""

    def __init__(self, *, max_idle, seconds=0.0):
        super().__init__(max_idle=max_idle)
        self.seconds = seconds
        self.threads = []
        self.running = set()
        self.overlap = False

    async def handle(self, scope, receive, send):
        def step():
            ident = threading.get_ident()
            if ident in self.running:
                self.overlap = True
            self.running.add(ident)
            time.sleep(self.seconds)
            self.running.discard(ident)
            return ident

        first = await sync_to_async(step)()
        second = await sync_to_async(step)()
        self.threads.append((first, second))


class CountingHandler(PooledThreadsASGIHandler):
    """Django's request handling with a view that takes ``seconds`` in its thread; counts how
    many requests are in there at once."""

    def __init__(self, *, working_limit, seconds=0.03):
        super().__init__(max_idle=8, working_limit=working_limit)
        self.seconds = seconds
        self.lock = threading.Lock()
        self.inside = 0
        self.most_inside = 0
        self.finished = []

    async def get_response_async(self, request):
        def view():
            with self.lock:
                self.inside += 1
                self.most_inside = max(self.most_inside, self.inside)
            time.sleep(self.seconds)
            with self.lock:
                self.inside -= 1
            self.finished.append(request.path)
            return HttpResponse(b"ok")

        return await sync_to_async(view)()


async def call(app, path="/", headers=(), body_chunks=None):
    messages = []
    body_sent = False

    async def receive():
        # The request body (all at once, or chunk by chunk as ``body_chunks`` yields them);
        # after it, as a server does, nothing until the client leaves.
        nonlocal body_sent
        if body_sent:
            await asyncio.Event().wait()
        if body_chunks is not None:
            chunk = await anext(body_chunks, None)
            if chunk is not None:
                return {"type": "http.request", "body": chunk, "more_body": True}
        body_sent = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    return messages


async def test_a_request_keeps_one_thread_and_the_next_request_reuses_it():
    app = RecordingHandler(max_idle=4)
    for _ in range(3):
        await call(app)
    (a1, a2), (b1, b2), (c1, c2) = app.threads
    assert a1 == a2 and b1 == b2 and c1 == c2  # each request's steps on one thread
    assert a1 == b1 == c1  # one thread served all three, one after the other
    assert a1 != threading.get_ident()


async def test_requests_at_the_same_time_get_threads_of_their_own_and_idle_threads_are_bounded():
    app = RecordingHandler(max_idle=2, seconds=0.05)
    await asyncio.gather(*(call(app) for _ in range(5)))
    firsts = [first for first, _second in app.threads]
    assert len(set(firsts)) == 5
    assert not app.overlap
    assert len(app._idle) == 2


async def test_at_most_working_limit_requests_run_django_code_at_once():
    app = CountingHandler(working_limit=2)
    replies = await asyncio.gather(*(call(app, f"/{n}/") for n in range(6)))
    assert [messages[0]["status"] for messages in replies] == [200] * 6
    assert app.most_inside == 2
    assert sorted(app.finished) == [f"/{n}/" for n in range(6)]


async def test_without_a_working_limit_requests_run_side_by_side():
    app = CountingHandler(working_limit=0)
    await asyncio.gather(*(call(app, f"/{n}/") for n in range(4)))
    assert app.most_inside == 4


async def test_a_slow_upload_does_not_hold_the_place_of_other_requests():
    app = CountingHandler(working_limit=1)
    arrived = asyncio.Event()

    async def slow_body():
        yield b"x" * 1024
        await arrived.wait()  # the rest of the file is still on its way
        yield b"y" * 1024

    upload = asyncio.create_task(call(app, "/upload/", body_chunks=slow_body()))
    await asyncio.sleep(0.01)
    page = await asyncio.wait_for(call(app, "/page/"), timeout=2)
    assert page[0]["status"] == 200
    assert app.finished == ["/page/"]  # answered while the upload was still arriving
    arrived.set()
    assert (await upload)[0]["status"] == 200
    assert app.finished == ["/page/", "/upload/"]


def test_the_portal_handler_uses_the_configured_working_limit(settings):
    from portal.asgi import django_asgi_app

    assert django_asgi_app.working_limit == settings.HTTP_WORKING_LIMIT == 2


async def test_a_websocket_scope_is_refused():
    with pytest.raises(ValueError):
        await call_scope_type(PooledThreadsASGIHandler(max_idle=1), "websocket")


async def call_scope_type(app, kind):
    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        pass

    await app({"type": kind, "path": "/"}, receive, send)


@pytest.mark.django_db(transaction=True)
async def test_the_portal_answers_through_it_and_the_language_of_one_request_does_not_stay_on_the_thread():
    from portal.asgi import django_asgi_app

    english = await call(django_asgi_app, "/impressum/", headers=[(b"cookie", b"portal_language=en")])
    german = await call(django_asgi_app, "/impressum/")
    for messages in (english, german):
        assert messages[0]["status"] == 200

    def body(messages):
        return b"".join(m.get("body", b"") for m in messages[1:]).decode()

    assert '<html lang="en">' in body(english)
    assert '<html lang="de">' in body(german)


@pytest.mark.django_db(transaction=True)
async def test_middleware_and_view_run_in_one_change_into_the_request_thread(monkeypatch):
    """The chain is synchronous end to end, and the started signal and the closing of a
    complete response go with it: the request changes into its thread once."""
    import asgiref.sync

    from portal.asgi import django_asgi_app

    changes = []
    enter = asgiref.sync.SyncToAsync.__call__

    async def counting(self, *args, **kwargs):
        changes.append(self.func)
        return await enter(self, *args, **kwargs)

    monkeypatch.setattr(asgiref.sync.SyncToAsync, "__call__", counting)
    messages = await call(django_asgi_app, "/impressum/")
    assert messages[0]["status"] == 200
    assert len(changes) == 1
    assert not asyncio.iscoroutinefunction(django_asgi_app._middleware_chain)


def test_the_handler_follows_the_django_handle_it_was_written_from():
    import hashlib
    import inspect

    from django.core.handlers.asgi import ASGIHandler

    from portal.handlers import DJANGO_HANDLE_SHA256

    source = inspect.getsource(ASGIHandler.handle).encode()
    assert hashlib.sha256(source).hexdigest()[:16] == DJANGO_HANDLE_SHA256, (
        "Django's ASGIHandler.handle changed: bring PooledThreadsASGIHandler.handle in line with it"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators")
async def test_signals_come_in_order_and_a_streamed_response_closes_after_its_last_byte(monkeypatch):
    from django.core import signals
    from django.http import StreamingHttpResponse

    from pages.decorators import public
    from portal.asgi import django_asgi_app

    events = []

    def chunks():
        try:
            yield b"erster Teil "
            events.append("body sent")
            yield b"zweiter Teil"
        finally:
            events.append("content closed")

    @public
    def streamed(request):
        events.append("view")
        return StreamingHttpResponse(chunks())

    _serve_at_impressum(monkeypatch, streamed)

    def started(**kwargs):
        events.append("started")

    def finished(**kwargs):
        events.append("finished")

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        messages = await call(django_asgi_app, "/impressum/")
        events.append("complete page")
        await call(django_asgi_app, "/health/ping/")
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert b"".join(m.get("body", b"") for m in messages[1:]) == b"erster Teil zweiter Teil"
    assert events == [
        *("started", "view", "body sent", "content closed", "finished", "complete page"),
        *("started", "finished"),  # a complete response: closed in the request's thread
    ]


@pytest.mark.django_db(transaction=True)
async def test_an_error_in_a_view_is_still_the_portals_german_error_page(monkeypatch):

    from pages.decorators import public
    from portal.asgi import django_asgi_app

    @public
    def broken(request):
        raise RuntimeError("view failed")

    _serve_at_impressum(monkeypatch, broken)
    messages = await call(django_asgi_app, "/impressum/")
    assert messages[0]["status"] == 500
    body = b"".join(m.get("body", b"") for m in messages[1:]).decode()
    assert '<html lang="de">' in body


def _serve_at_impressum(monkeypatch, view):
    """``/impressum/`` answered by ``view`` (a public page, so no login is needed)."""
    from django.urls import resolvers

    original = resolvers.URLResolver.resolve

    def resolve(self, path):
        match = original(self, path)
        if path == "/impressum/":
            match.func = view
        return match

    monkeypatch.setattr(resolvers.URLResolver, "resolve", resolve)
