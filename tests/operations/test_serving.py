"""``manage.py serve``: the supervisor accepts and hands each connection to the next worker in
turn (portal.serving), so kept-alive connections are shared evenly instead of by chance."""

import os
import pickle
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from portal.serving import Distributor, PassedConnections, WorkerChannel, open_listener, worker_loop
from tests.servers import free_port

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _listening_sockets(port: int) -> int:
    """TCP sockets in LISTEN state on ``port`` (Linux /proc/net/tcp, state 0A)."""
    return len(_sockets(port, "0A"))


def _sockets(port: int, state: str) -> set[str]:
    """The inodes of the TCP sockets on local ``port`` in ``state`` (01 established, 0A listen)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state:
            inodes.add(fields[9])
    return inodes


def _connections_per_process(port: int, pids) -> list[int]:
    """How many of the established connections on ``port`` each process holds."""
    established = _sockets(port, "01")
    counts = []
    for pid in pids:
        held = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in established:
                held += 1
        counts.append(held)
    return counts


@pytest.fixture
def listener():
    address = open_listener("127.0.0.1", 0)
    address.listen()
    yield address
    address.close()


def _worker(address) -> WorkerChannel:
    """What a worker process gets when uvicorn pickles the listening socket to it."""
    channel = pickle.loads(pickle.dumps(address))
    channel.setblocking(False)
    return channel


def _accept(channel, timeout=5):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return channel.accept()
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _wait_for_workers(address, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(address.distributor.channels) < count:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_connections_go_to_the_workers_in_turn(listener):
    port = listener.getsockname()[1]
    first, second = _worker(listener), _worker(listener)
    assert isinstance(first, WorkerChannel)
    assert first.getsockname() == ("127.0.0.1", port)
    _wait_for_workers(listener, 2)

    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
    try:
        accepted = [_accept(first), _accept(second), _accept(first), _accept(second)]
        client_ports = sorted(client.getsockname()[1] for client in clients)
        assert sorted(address[1] for _connection, address in accepted) == client_ports
        for connection, _address in accepted:
            assert connection.getsockname()[1] == port  # the client's own TCP connection
            connection.close()
        with pytest.raises(BlockingIOError):
            first.accept()  # nothing more was passed
    finally:
        for client in clients:
            client.close()
        first.close()
        second.close()


def test_a_worker_that_ended_gets_no_more_connections(listener):
    port = listener.getsockname()[1]
    gone, staying = _worker(listener), _worker(listener)
    _wait_for_workers(listener, 2)
    gone.close()

    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    try:
        for _ in clients:
            connection, _address = _accept(staying)
            connection.close()
        assert len(listener.distributor.channels) == 1
    finally:
        for client in clients:
            client.close()
        staying.close()


def test_a_workers_uvloop_serves_the_connections_passed_to_it(listener):
    import asyncio

    port = listener.getsockname()[1]
    channel = _worker(listener)
    _wait_for_workers(listener, 1)

    class Echo(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport = transport

        def data_received(self, data):
            self.transport.write(data.upper())

    async def scenario():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(Echo, sock=channel)
        assert isinstance(server, PassedConnections) and server.is_serving()
        replies = []
        for word in (b"eins", b"zwei"):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(word)
            replies.append(await reader.read(10))
            writer.close()
        server.close()
        await server.wait_closed()
        assert not server.is_serving() and channel.fileno() == -1
        return replies

    runner = asyncio.Runner(loop_factory=worker_loop)
    try:
        assert runner.run(scenario()) == [b"EINS", b"ZWEI"]
    finally:
        runner.close()


def test_a_worker_whose_supervisor_is_gone_stops_itself(listener, monkeypatch):
    signals = []
    monkeypatch.setattr(signal, "raise_signal", signals.append)
    channel = _worker(listener)
    _wait_for_workers(listener, 1)
    listener.distributor.channels[0].close()  # as when the supervisor ends

    for _ in range(2):
        with pytest.raises(BlockingIOError):
            channel.accept()
    assert signals == [signal.SIGTERM]  # once: uvicorn then shuts the worker down gracefully
    channel.close()


def test_without_a_worker_a_connection_is_closed_after_waiting(listener):
    distributor = Distributor(listener)
    try:
        with socket.create_connection(listener.getsockname()):
            connection, _address = listener.accept()
            with connection:
                assert distributor.hand_over(connection, wait=0.1) is False
    finally:
        distributor.close()
    assert not Path(distributor.folder).exists()


def test_the_workers_socket_is_in_a_folder_only_this_user_can_open_and_goes_with_the_server(listener):
    port = listener.getsockname()[1]
    _worker(listener).close()
    folder = Path(listener.distributor.folder)
    assert folder.stat().st_mode & 0o777 == 0o700
    listener.close()
    assert not folder.exists()
    assert _listening_sockets(port) == 0  # the thread waiting in accept() let go of it


def test_a_port_held_by_another_program_fails_at_once():
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        with pytest.raises(OSError):
            open_listener("127.0.0.1", other.getsockname()[1])


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux")
def test_serve_shares_kept_alive_connections_evenly_among_its_workers():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings", "LOG_LEVEL": "WARNING"})
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")  # several workers share one cache
    server = subprocess.Popen(
        [
            sys.executable,
            str(BASE_DIR / "manage.py"),
            "serve",
            "--workers",
            "2",
            "--port",
            str(port),
            "--no-access-log",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    clients = []
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stdout.read().decode()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ping/", timeout=10) as response:
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert _listening_sockets(port) == 1  # the supervisor's; the workers take what it passes
        # Eight kept-alive connections, as a proxy's pool or the benchmark opens them.
        for _ in range(8):
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            client.sendall(b"GET /health/ping/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert client.recv(65536).startswith(b"HTTP/1.1 200")
            clients.append(client)
        workers = [
            int(pid)
            for pid in os.listdir("/proc")
            if pid.isdigit() and _parent(int(pid)) == server.pid and _is_worker(int(pid))
        ]
        assert len(workers) == 2
        assert _connections_per_process(port, workers) == [4, 4]
    finally:
        for client in clients:
            client.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert _listening_sockets(port) == 0


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return None


def _is_worker(pid: int) -> bool:
    """uvicorn's worker processes, not multiprocessing's resource tracker."""
    try:
        return b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_several_workers_without_redis_are_refused():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "REDIS_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings", "LOG_LEVEL": "WARNING"})
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "serve", "--workers", "2", "--port", str(free_port())],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Several workers need Redis" in result.stderr


def test_a_worker_freezes_what_it_loaded_at_startup():
    """The ASGI module loads every view and leaves the startup objects out of full collections."""
    script = "import gc, sys, portal.asgi; print(gc.get_freeze_count(), 'forums.views' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(BASE_DIR / "platform")}
    frozen, views_loaded = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(frozen) > 50_000
    assert views_loaded == "True"
