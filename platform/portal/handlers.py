"""Django's ASGI handler with a pool of request threads.

Django runs a request's synchronous code (middleware, view, template) in a thread of its own:
its ASGI handler opens an ``asgiref`` ``ThreadSensitiveContext`` per request, which starts a
new thread for the request and one more to join it afterwards. Starting and joining the two
cost about 0.6 ms of CPU per request here (a request with two synchronous steps: 1.0 ms with a
new thread, 0.44 ms with a pooled one) — a fifth of what the trivial "floor" view costs
through the whole stack. This handler gives every request a single-thread executor from a
pool instead (asgiref's ``ThreadSensitiveContext(executor=...)``): still one thread per
request at a time, as Django expects, but threads are reused as a WSGI server's are.

State does not travel between requests on a reused thread: Django keeps database connections,
the active language and time zone in context-local storage (asgiref ``Local``), which every
request gets fresh, and closes or returns its connections at the end of each request.

``working_limit`` bounds how many requests run Django's code (middleware, view, templates) at
once in one process. Python runs one thread at a time, so four requests rendering pages side by
side finish no sooner than one after the other, and each costs more CPU (the benchmark at
concurrency 8 on two workers, worker CPU per request with up to 8 / 2 / 1 requests in Django's
code: dashboard 7.8–8.4 / 6.3–6.7 / 5.3–5.7 ms, thread page 10.7–10.9 / 9.1–9.9 / 7.5–8.9 ms).
Reading a request's body and sending its response stay outside the limit: a slow upload or
download does not hold a place. A request whose client leaves while its code runs frees its
place early (the thread cannot be stopped), so the bound is loose by that much.

A request changes into its thread once: the started signal, the middleware and the view, and
the closing of a complete response run there together (``_respond``); only a streamed response
(a download) is closed after its last byte, as Django does.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.urls import set_script_prefix

# Django's ASGIHandler.handle that ``handle`` below follows (tests/operations/test_handlers.py
# compares it, so that an upgrade of Django that changes it is looked at here).
DJANGO_HANDLE_SHA256 = "98faeb5bef800331"


class PooledThreadsASGIHandler(ASGIHandler):
    """``ASGIHandler`` whose requests run on reused threads; at most ``max_idle`` threads wait
    for the next request, more are started when more requests run at once and ended after.
    At most ``working_limit`` requests run Django's code at once (0: no limit); the others
    wait their turn in the event loop, in order of arrival."""

    def __init__(self, *, max_idle: int, working_limit: int = 0):
        super().__init__()
        self.max_idle = max_idle
        self.working_limit = working_limit
        self._idle: list[ThreadPoolExecutor] = []
        self._working = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        # The event loop runs one coroutine at a time: taking and returning an executor needs no lock.
        executor = self._idle.pop() if self._idle else ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            if len(self._idle) < self.max_idle:
                self._idle.append(executor)
            else:
                executor.shutdown(wait=False)

    def load_middleware(self, is_async=False):
        """The middleware chain as under WSGI: synchronous from end to end, entered once.

        Django's ASGI chain is asynchronous and enters each synchronous part through a thread
        of its own: the middleware's process_request and process_response one by one, then the
        view. Eight thread changes per request cost about 1.5 ms of CPU here (the trivial view
        through the ASGI handler, in-process); the portal's middleware and views are all
        synchronous, so one change into the request's thread does it all."""
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self._respond, thread_sensitive=True)(request)

    def _respond(self, request):
        """In the request's thread: the started signal, middleware and view, and, for a
        response whose content is complete, its close (the finished signal, which returns the
        database connections) before the bytes go out. Django's handler changes threads for
        each of the three; two changes cost about 0.5 ms of CPU per request here."""
        signals.request_started.send(sender=self.__class__, scope=request.scope)
        response = self.get_response(request)
        if not response.streaming:
            response.close()
            response.portal_closed = True
        return response

    async def handle(self, scope, receive, send):
        """Django 5.2's ``ASGIHandler.handle`` but for the started signal and the closing of a
        response, which ``_respond`` does in the request's thread."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            body_file.close()
            await self.send_response(error_response, send)
            await sync_to_async(error_response.close)()
            return

        async def process_request(request, send):
            response = await self.run_get_response(request)
            try:
                await self.send_response(response, send)
            except asyncio.CancelledError:
                pass  # the client left while the response was sent
            return response

        # Listen for the client leaving while the response is made (first: it should not raise
        # errors that would keep process_request from being cancelled).
        tasks = [
            asyncio.create_task(self.listen_for_disconnect(receive)),
            asyncio.create_task(process_request(request, send)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            if task.done():
                try:
                    task.result()
                except RequestAborted:
                    pass  # the client left
                except AssertionError:
                    body_file.close()
                    raise
            else:
                task.cancel()  # views may handle the cancellation
                try:
                    await task
                except asyncio.CancelledError:
                    pass
        try:
            response = tasks[1].result()
        except asyncio.CancelledError:
            await signals.request_finished.asend(sender=self.__class__)
        else:
            if not getattr(response, "portal_closed", False):
                await sync_to_async(response.close)()  # a streamed response, after its last byte
        body_file.close()

    async def run_get_response(self, request):
        if self.working_limit <= 0:
            return await super().run_get_response(request)
        if self._working is None:
            # Made here, inside the server's event loop, not at import time.
            self._working = asyncio.Semaphore(self.working_limit)
        async with self._working:
            return await super().run_get_response(request)
