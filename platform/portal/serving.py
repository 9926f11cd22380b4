"""Serving the portal with several uvicorn worker processes that share the load evenly.

uvicorn's workers share one listening socket, and whichever worker wakes first accepts every
connection that is waiting. Connections are kept alive, so when a handful arrive together (a
reverse proxy's pool, a load generator) they all stay with one worker: in the benchmark one
worker of two did all the work in about a third of the runs, and the page's throughput
halved. Here every worker opens a listening socket of its own on the same address with
``SO_REUSEPORT``, and the kernel spreads new connections over them.

uvicorn's supervisor (start, health checks, restarts, signals) stays as it is: it hands its
sockets to each worker by pickling them, and a :class:`ListeningAddress` pickles as the
instruction to open a fresh socket on its address in the worker that unpickles it.
"""

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

APPLICATION = "portal.asgi:application"


class ListeningAddress(socket.socket):
    """A socket bound with ``SO_REUSEPORT``; a worker process that receives it opens its own."""

    def __reduce__(self):
        host, port = self.getsockname()[:2]
        return (open_listener, (host, port))


def open_listener(host: str, port: int) -> ListeningAddress:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = ListeningAddress(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(*, host: str, port: int, workers: int, **options) -> None:
    """Runs the portal's ASGI application; ``options`` are uvicorn's (``proxy_headers``, …).
    ``platform/`` must be on the import path (``manage.py`` puts it there); the workers inherit it."""
    config = uvicorn.Config(APPLICATION, host=host, port=port, workers=workers, **options)
    # Bound (not listening) in the supervisor too: a port another program holds fails here, at once.
    address = open_listener(host, port)
    try:
        if workers > 1:
            Multiprocess(config, sockets=[address]).run()
        else:
            uvicorn.Server(config).run(sockets=[address])
    finally:
        address.close()
