"""Serving the portal with several uvicorn worker processes that share the connections evenly.

Connections are kept alive (a reverse proxy's upstream pool, a browser, a load generator), so
what decides how the work is shared is which worker gets each connection. Neither of the
kernel's ways shares them evenly:

- one listening socket for all workers (uvicorn's own way): whichever worker wakes first
  accepts every connection that is waiting; in the benchmark one worker of two did all the
  work in about a third of the runs, and throughput halved;
- a socket per worker with ``SO_REUSEPORT``: the kernel picks a worker by a hash of each
  connection's addresses, so eight connections split 4/4 only about one time in four; at 6/2
  one worker queued three times the requests of the other and a page's p95 rose by a quarter.

So the supervisor accepts, as Node.js's cluster module does: it listens on the address and hands
each new connection to the next worker in turn, passing the open socket over a Unix socket
(``SCM_RIGHTS``). In the worker that Unix socket stands in for the listening socket: the
worker's uvloop (:class:`WorkerLoop`) serves each connection passed on it, with uvloop's own
transports. Eight connections go 4/4, and a worker that is restarted gets its share of the new
ones.

uvicorn's supervisor (start, health checks, restarts, signals) stays as it is: it pickles its
sockets to each worker it starts, and a :class:`ListeningAddress` pickles as the instruction to
connect to the supervisor's distributor.
"""

import asyncio
import itertools
import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections import deque

import uvicorn
import uvloop
from uvicorn.supervisors import Multiprocess

APPLICATION = "portal.asgi:application"
SEND_TIMEOUT = 10  # seconds
logger = logging.getLogger(__name__)


class Distributor:
    """In the supervisor: accepts on the listening socket and hands each connection to the
    next worker in turn. Workers connect to it over a Unix socket in a directory only this
    user can open; a worker whose channel can no longer take a connection (it ended) is
    dropped, and one started in its place connects anew."""

    def __init__(self, listener: socket.socket):
        self.listener = listener
        self.folder = tempfile.mkdtemp(prefix="portal-serve-")  # mode 0700
        self.path = os.path.join(self.folder, "workers.sock")
        self.registry = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.registry.bind(self.path)
        self.registry.listen()
        self.channels: list[socket.socket] = []
        self.turn = itertools.count()
        self.ready = threading.Condition()

    def start(self) -> None:
        threading.Thread(target=self._register_forever, name="workers", daemon=True).start()
        threading.Thread(target=self._accept_forever, name="accept", daemon=True).start()

    def close(self) -> None:
        _stop_listening(self.registry)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _register_forever(self) -> None:
        for channel in _accepted(self.registry):
            # A worker that takes nothing for this long (its channel full) is hung: it is
            # dropped, sees its channel closed and ends, and the one started instead joins.
            channel.settimeout(SEND_TIMEOUT)
            with self.ready:
                self.channels.append(channel)
                self.ready.notify_all()

    def _accept_forever(self) -> None:
        for connection in _accepted(self.listener):
            with connection:  # once passed, the worker holds a copy of its own
                self.hand_over(connection)

    def hand_over(self, connection: socket.socket, wait: float = 30) -> bool:
        """Passes ``connection`` to the next worker; False when none took it within ``wait`` s."""
        deadline = time.monotonic() + wait
        with self.ready:
            while True:
                if not self.channels:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or not self.ready.wait(timeout=remaining):
                        logger.warning("No worker took a connection for %s s; closing it.", wait)
                        return False
                    continue
                channel = self.channels[next(self.turn) % len(self.channels)]
                try:
                    socket.send_fds(channel, [b"c"], [connection.fileno()])
                    return True
                except OSError:
                    self.channels.remove(channel)
                    channel.close()


class ListeningAddress(socket.socket):
    """The supervisor's listening socket. Pickled to a worker (uvicorn starts each worker so),
    it becomes that worker's channel to the :class:`Distributor`, which starts with the first."""

    distributor: Distributor | None = None

    def __reduce__(self):
        if self.distributor is None:
            self.distributor = Distributor(self)
            self.distributor.start()
        host, port = self.getsockname()[:2]
        return (join_distributor, (self.distributor.path, (host, port)))

    def close(self) -> None:
        if self.distributor is not None:
            _stop_listening(self)
            self.distributor.close()
        else:
            super().close()


class WorkerChannel(socket.socket):
    """In a worker: stands in for the listening socket. ``accept()`` takes the next connection
    the supervisor passed, when the channel is readable (:class:`PassedConnections`; asyncio's
    own loop would call it as for a listener)."""

    def listen(self, backlog: int = 0) -> None:
        """The supervisor listens; nothing to do here."""

    def getsockname(self):
        return self.address

    def accept(self):
        while True:
            if not self.pending:
                data, fds, _flags, _address = socket.recv_fds(self, 64, 64)
                if not data:
                    self._supervisor_gone()
                if not fds:
                    raise BlockingIOError
                self.pending.extend(fds)
            connection = socket.socket(fileno=self.pending.popleft())
            try:
                return connection, connection.getpeername()
            except OSError:
                connection.close()  # the client left while it was being passed: take the next

    def _supervisor_gone(self) -> None:
        """The supervisor ended without stopping this worker: finish the open requests and stop."""
        if not self.orphaned:
            self.orphaned = True
            signal.raise_signal(signal.SIGTERM)


class WorkerLoop(uvloop.Loop):
    """uvloop for a worker: a server on a :class:`WorkerChannel` takes the connections the
    supervisor passes (uvloop's own servers read a listening descriptor, which a channel is not)."""

    async def create_server(self, protocol_factory, host=None, port=None, *, sock=None, **options):
        if isinstance(sock, WorkerChannel):
            return PassedConnections(self, protocol_factory, sock)
        return await super().create_server(protocol_factory, host, port, sock=sock, **options)


def worker_loop() -> WorkerLoop:
    """uvicorn's loop factory for the workers (``loop="portal.serving:worker_loop"``)."""
    return WorkerLoop()


class PassedConnections:
    """The server uvicorn keeps in a worker: serves each connection passed on ``channel`` until
    closed, with uvloop's transports (``connect_accepted_socket``)."""

    def __init__(self, loop, protocol_factory, channel: WorkerChannel):
        self.loop = loop
        self.protocol_factory = protocol_factory
        self.channel = channel
        self.sockets = [channel]
        self.closed = asyncio.Event()
        self.starting: set[asyncio.Task] = set()  # the loop keeps only weak references to tasks
        channel.setblocking(False)
        loop.add_reader(channel.fileno(), self._take)

    def _take(self) -> None:
        while True:
            try:
                connection, _address = self.channel.accept()
            except (BlockingIOError, InterruptedError):
                return
            connection.setblocking(False)
            task = self.loop.create_task(self._serve(connection))
            self.starting.add(task)
            task.add_done_callback(self.starting.discard)

    async def _serve(self, connection: socket.socket) -> None:
        try:
            await self.loop.connect_accepted_socket(self.protocol_factory, connection)
        except OSError:
            connection.close()  # the client left before it was served

    def close(self) -> None:
        if self.channel.fileno() != -1:
            self.loop.remove_reader(self.channel.fileno())
            self.channel.close()
        self.closed.set()

    def is_serving(self) -> bool:
        return not self.closed.is_set()

    async def wait_closed(self) -> None:
        await self.closed.wait()


def _accepted(listener: socket.socket):
    """The connections ``listener`` accepts, until it is closed."""
    while True:
        try:
            connection, _address = listener.accept()
        except OSError:
            if listener.fileno() == -1:
                return  # closed: the server is shutting down
            time.sleep(0.05)  # the client gave up before it was accepted, or out of descriptors
            continue
        yield connection


def _stop_listening(sock: socket.socket) -> None:
    """Close a listening socket that a thread waits on in ``accept()``: closing alone would
    leave that thread waiting and the socket listening."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # not connected or already shut down
    socket.socket.close(sock)


def join_distributor(path: str, address) -> WorkerChannel:
    """A worker's channel to the supervisor (a plain function: pickled by reference)."""
    channel = WorkerChannel(socket.AF_UNIX, socket.SOCK_STREAM)
    channel.connect(path)
    channel.address = address
    channel.pending = deque()
    channel.orphaned = False
    return channel


def open_listener(host: str, port: int) -> ListeningAddress:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = ListeningAddress(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def serve(*, host: str, port: int, workers: int, **options) -> None:
    """Runs the portal's ASGI application; ``options`` are uvicorn's (``proxy_headers``, …).
    ``platform/`` must be on the import path (``manage.py`` puts it there); the workers inherit it."""
    if workers > 1:
        options.setdefault("loop", "portal.serving:worker_loop")
    config = uvicorn.Config(APPLICATION, host=host, port=port, workers=workers, **options)
    # Bound in the supervisor before any worker starts: a port another program holds fails here, at once.
    address = open_listener(host, port)
    try:
        if workers > 1:
            address.listen(config.backlog)
            Multiprocess(config, sockets=[address]).run()
        else:
            uvicorn.Server(config).run(sockets=[address])
    finally:
        address.close()
