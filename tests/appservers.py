"""App servers in processes of their own, as in a deployment: `bin/serve`, or gunicorn alone.

Each one runs in a process group of its own, on a free loopback port, and is stopped (the whole
group: bin/serve's gunicorn master and its workers) when the `with` block ends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
STARTUP_SECONDS = 90  # bin/serve migrates and collects static files first, on a busy machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_port() -> int:
    """A loopback port nobody listens on (it was free a moment ago)."""
    return free_port()


@contextmanager
def app_server(command: list[str], *, port: int, env: dict[str, str]) -> Iterator[str]:
    """Run `command` (which serves on `port`) with `env` over ours; yield its URL once /livez
    answers. Its output goes to a file that a failure to start shows."""
    url = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile("w+", prefix="appserver-", suffix=".log") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            _wait_until_alive(url, process, log)
            yield url
        finally:
            _stop(process)


def gunicorn_command(port: int) -> list[str]:
    return [GUNICORN, "dashboard.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--log-level", "warning"]


def _wait_until_alive(url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(f"{url}/livez", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    log.seek(0)
    raise RuntimeError(f"The app server on {url} did not start:\n{log.read()[-4000:]}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the whole group, then SIGKILL to whatever is left after a grace period: no
    worker may outlive the test holding a connection to the test database (which then could
    not be dropped)."""
    group = process.pid
    _signal_group(group, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while _signal_group(group, 0) and time.monotonic() < deadline:
        process.poll()  # reaps bin/serve itself once it exits, so the group can empty
        time.sleep(0.1)
    _signal_group(group, signal.SIGKILL)
    process.wait()


def _signal_group(group: int, sig: int) -> bool:
    """False once nothing in the group is left."""
    try:
        os.killpg(group, sig)
        return True
    except ProcessLookupError:
        return False
