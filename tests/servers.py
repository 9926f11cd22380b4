"""The portal served by uvicorn in a subprocess, for browser journeys and failure drills."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def redis_running() -> bool:
    """Redis on 127.0.0.1:6379, where the Redis tests expect it (CI starts it)."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not redis_running(), reason="Redis is not running on 127.0.0.1:6379")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_portal(*, port: int, env: dict, log_path: Path, timeout: float = 30):
    """Start uvicorn with ``env`` on top of this process's environment and wait until
    ``/health/ping/`` (which needs no database) answers; returns the process and base URL."""
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
    # Only the browser tests' own process needs this switch; a server must stay strict.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for key in [key for key, value in environment.items() if value is None]:
        environment.pop(key)
    log = open(log_path, "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "portal.asgi:application",
            "--app-dir",
            str(BASE_DIR / "platform"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{base_url}/health/ping/", timeout=2)
            return process, base_url
        except urllib.error.HTTPError:
            return process, base_url
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("portal server did not start:\n" + log_path.read_text())
            time.sleep(0.1)


def stop_portal(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
