"""``manage.py serve``: every uvicorn worker listens on a socket of its own (SO_REUSEPORT), so
the kernel spreads connections over the workers instead of one worker taking a whole burst."""

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

from portal.serving import ListeningAddress, open_listener
from tests.servers import free_port

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _listening_sockets(port: int) -> int:
    """TCP sockets in LISTEN state on ``port`` (Linux /proc/net/tcp, state 0A)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":
            count += 1
    return count


def test_a_listening_address_opens_a_socket_of_its_own_where_it_is_unpickled():
    address = open_listener("127.0.0.1", 0)
    try:
        port = address.getsockname()[1]
        copy = pickle.loads(pickle.dumps(address))
        try:
            assert isinstance(copy, ListeningAddress)
            assert copy.fileno() != address.fileno()
            assert copy.getsockname() == ("127.0.0.1", port)
            assert copy.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            copy.listen()
            address.listen()  # both listen on one port: the kernel shares connections out
            assert _listening_sockets(port) == 2
        finally:
            copy.close()
    finally:
        address.close()


def test_a_port_held_by_another_program_fails_at_once():
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        with pytest.raises(OSError):
            open_listener("127.0.0.1", other.getsockname()[1])


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux")
def test_serve_starts_workers_that_each_listen_and_answer():
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
    try:
        deadline = time.monotonic() + 60
        while _listening_sockets(port) < 2 and time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read().decode()
            time.sleep(0.2)
        assert _listening_sockets(port) == 2
        for _ in range(10):  # a new connection each time
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ping/", timeout=10) as response:
                assert response.status == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert _listening_sockets(port) == 0


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
