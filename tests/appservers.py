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
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class AppServer:
    command: list[str]  # serves on `port`
    port: int
    env: dict[str, str]  # over ours
    scheme: str = "http"
    ca: str | None = None  # the certificate to trust, for https

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"


@contextmanager
def running(*servers: AppServer) -> Iterator[list[str]]:
    """Start every server at once, yield their URLs once each one's /livez answers, stop them all.
    Each one's output goes to a file that a failure to start shows."""
    with ExitStack() as stack:
        started = []
        for server in servers:
            log = stack.enter_context(tempfile.NamedTemporaryFile("w+", prefix="appserver-", suffix=".log"))
            process = subprocess.Popen(
                server.command, cwd=ROOT, env={**os.environ, **server.env}, stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
            stack.callback(_stop, process)
            started.append((server, process, log))
        for server, process, log in started:
            _wait_until_alive(server, process, log)
        yield [server.url for server in servers]


def gunicorn_command(port: int) -> list[str]:
    return [GUNICORN, "dashboard.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--log-level", "warning"]


def _wait_until_alive(server: AppServer, process: subprocess.Popen, log) -> None:
    url = server.url
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(f"{url}/livez", timeout=2, verify=server.ca or True).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its workers still booting
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
