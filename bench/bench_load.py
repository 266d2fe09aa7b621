"""A load run: the dashboard under gunicorn, the sandbox in a gunicorn process of its own.

Run: .venv/bin/python bench/bench_load.py [--seconds 10] [--clients 8] [--elements 0]
Starts both servers on free ports with a scratch SQLite database (or BENCH_DATABASE_URL, which
it resets, and CACHE_URL, e.g. Postgres and Redis as in a deployment), logs in as the demo admin,
then has N clients fetch the main pages for a while. Prints, per page: requests per second,
median and 95th-percentile latency, errors; and the resident memory of every gunicorn process.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
PAGES = ["/", "/?q=sales", "/instances/", "/elements/mixpanel/instances/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def rss_mb(pid: int) -> float:
    total = 0
    for child in [pid, *children(pid)]:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) if match else 0
    return total / 1024


def children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return []
    return [int(p) for p in out.split()]


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(f"{base}/login/", data={"username": "admin", "password": "admin-demo",
                                                  "csrfmiddlewaretoken": token},
                          headers={"Referer": f"{base}/login/"})
    if "/login/" in answer.url:
        raise SystemExit("could not log in as the demo admin")
    return session


def hammer(base: str, path: str, clients: int, seconds: float, cookies) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.time() + seconds

    def worker():
        nonlocal errors
        session = requests.Session()
        session.cookies.update(cookies)
        while time.time() < stop:
            started = time.perf_counter()
            try:
                ok = session.get(base + path, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"rps": len(latencies) / seconds, "p50": statistics.median(latencies),
            "p95": latencies[int(len(latencies) * 0.95) - 1], "errors": errors,
            "n": len(latencies)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--elements", type=int, default=0, help="generated elements to add")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="bench-load-")
    port, sandbox_port = free_port(), free_port()
    # A scratch SQLite file unless BENCH_DATABASE_URL names a database to use (and reset).
    database = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}/db.sqlite3")
    env = {**os.environ, "DATABASE_URL": database,
           "SANDBOX_GENERATED_ELEMENTS": str(args.elements), "SANDBOX_MODE": "demo",
           "CLOUD_ELEMENTS_URL": f"http://127.0.0.1:{sandbox_port}/sandbox/elements/api-v2",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING",
           # As bin/serve: the workers share one cache.
           "CACHE_URL": os.environ.get("CACHE_URL", f"filecache://{scratch}/cache"),
           "SECRET_KEY": "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz"}
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "demo_reset", "-v0"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    sandbox = subprocess.Popen([GUNICORN, "dashboard.wsgi", "--bind", f"127.0.0.1:{sandbox_port}",
                                "--workers", "1", "--threads", "16", "--worker-class", "gthread",
                                "--log-level", "warning"], cwd=ROOT, env=env)
    dashboard = subprocess.Popen([GUNICORN, "dashboard.wsgi", "--bind", f"127.0.0.1:{port}",
                                  "--workers", str(args.workers), "--threads", "4",
                                  "--worker-class", "gthread", "--log-level", "warning"],
                                 cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/login/")
        wait_for(f"http://127.0.0.1:{sandbox_port}/sandbox/logos/mixpanel.svg")
        session = login(base)
        for path in PAGES:  # warm each worker's cache a little
            session.get(base + path)
        print(f"{195 + args.elements} elements, {args.clients} clients, {args.workers} dashboard "
              f"workers x 4 threads, {args.seconds:g} s per page")
        print(f"{'page':<32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for path in PAGES:
            row = hammer(base, path, args.clients, args.seconds, session.cookies)
            print(f"{path:<32} {row['rps']:>8.1f} {row['p50']:>8.1f} {row['p95']:>8.1f} "
                  f"{row['errors']:>7}")
        print(f"memory (RSS): dashboard {rss_mb(dashboard.pid):.0f} MB in all, "
              f"sandbox {rss_mb(sandbox.pid):.0f} MB")
    finally:
        for process in (dashboard, sandbox):
            process.terminate()
        for process in (dashboard, sandbox):
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
