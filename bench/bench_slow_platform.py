"""A slow platform must not freeze the console: the login page's latency while pages wait on it.

Run: .venv/bin/python bench/bench_slow_platform.py [--views 16] [--delay 25] [--samples 20] [--threads N]
Starts `bin/serve` (the dashboard under gunicorn, the sandbox in a process of its own) on free
loopback ports with a scratch database and cache, logs in as the demo admin, and measures:

1. the login page's latency with nothing else going on (the baseline, in this run);
2. the same while N instance lists wait on a platform that answers in `--delay` seconds (a sandbox
   fault switch set on the sandbox page, as a person would), printed as a ratio to the baseline;
3. how long those slow views took and what they answered (the page's time budget bounds them), and
   a view after them (the circuit breaker, once open in a worker, answers at once);
4. the resident memory of every process `bin/serve` started, and the bytes of each answer.

Bounded: at most N + 4 slow views and `--samples` login requests, every request with a timeout.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from bench_load import descendants, free_port, login, rss_mb, wait_for

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
REQUEST_TIMEOUT = 90  # no single request of this run waits longer


def serve_rss_mb(serve_pid: int) -> float:
    """Resident memory of every process bin/serve started: gunicorn masters and their workers."""
    return sum(rss_mb(pid) for pid in descendants(serve_pid))


def timed_get(session: requests.Session, url: str) -> tuple[float, int, int]:
    """(milliseconds, status, bytes on the wire: body and headers)."""
    started = time.perf_counter()
    answer = session.get(url, timeout=REQUEST_TIMEOUT)
    elapsed = (time.perf_counter() - started) * 1000
    header_bytes = sum(len(k) + len(v) + 4 for k, v in answer.headers.items())
    return elapsed, answer.status_code, len(answer.content) + header_bytes


def login_latencies(base: str, samples: int, keep_going=lambda: True) -> list[float]:
    """The login page as a new visitor gets it: no cookies, a new connection each time."""
    latencies = []
    for _ in range(samples):
        if not keep_going():
            break
        with requests.Session() as anonymous:
            elapsed, status, _ = timed_get(anonymous, f"{base}/login/")
        if status != 200:
            raise SystemExit(f"the login page answered {status}")
        latencies.append(elapsed)
        time.sleep(0.2)
    return latencies


def fault_switch(session: requests.Session, base: str, **fields: str) -> None:
    page = session.get(f"{base}/sandbox/", timeout=REQUEST_TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(f"{base}/sandbox/faults/", data={"csrfmiddlewaretoken": token, **fields},
                          headers={"Referer": f"{base}/sandbox/"}, timeout=REQUEST_TIMEOUT)
    answer.raise_for_status()


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered):8.1f} ms  p95 {p95:8.1f} ms  max {ordered[-1]:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=16, help="concurrent slow page views")
    parser.add_argument("--delay", type=float, default=25, help="seconds the platform takes to answer")
    parser.add_argument("--samples", type=int, default=20, help="login page requests per phase")
    parser.add_argument("--port", type=int, default=0, help="dashboard port (sandbox: the next one)")
    parser.add_argument("--threads", type=int, default=0, help="threads per worker (default: bin/serve's)")
    args = parser.parse_args()
    views = max(1, min(args.views, 64))
    samples = max(3, min(args.samples, 100))

    scratch = tempfile.mkdtemp(prefix="bench-slow-")
    port = args.port or free_port()
    sandbox_port = port + 1 if args.port else free_port()
    env = {k: v for k, v in os.environ.items() if k != "CLOUD_ELEMENTS_URL"}  # bin/serve's own sandbox
    env.update({"DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3", "CACHE_URL": f"filecache://{scratch}/cache",
                "STATIC_ROOT": f"{scratch}/static", "SANDBOX_MODE": "demo", "SANDBOX_PORT": str(sandbox_port),
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "ERROR",
                "SECRET_KEY": "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz"})
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "demo_reset", "-v0"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    # A session of its own, so that the whole tree it starts can be stopped at the end.
    serve = subprocess.Popen([str(ROOT / "bin" / "serve"), str(port)], cwd=ROOT, env=env,
                             start_new_session=True, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/login/", seconds=60)
        wait_for(f"http://127.0.0.1:{sandbox_port}/sandbox/logos/mixpanel.svg", seconds=60)
        admin = login(base)
        timed_get(admin, f"{base}/instances/")  # warm up: imports, the catalog in the cache
        rss_idle = serve_rss_mb(serve.pid)

        baseline = login_latencies(base, samples)
        _, _, login_bytes = timed_get(requests.Session(), f"{base}/login/")

        fault_switch(admin, base, path_prefix="/instances", method="GET", delay=f"{args.delay:g}")
        slow: list[tuple[float, int, int]] = []
        lock = threading.Lock()

        def slow_view() -> None:
            session = requests.Session()
            session.cookies.update(admin.cookies)
            try:
                result = timed_get(session, f"{base}/instances/")
            except requests.RequestException:
                result = (REQUEST_TIMEOUT * 1000.0, 0, 0)
            with lock:
                slow.append(result)

        threads = [threading.Thread(target=slow_view) for _ in range(views)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # the slow views are in their workers before the login page is asked for
        under_load = login_latencies(base, samples, keep_going=lambda: any(t.is_alive() for t in threads))
        rss_busy = serve_rss_mb(serve.pid)
        for thread in threads:
            thread.join(REQUEST_TIMEOUT)
        after = [timed_get(admin, f"{base}/instances/") for _ in range(4)]
        fault_switch(admin, base, action="clear")

        threads_said = f"{args.threads} threads per worker" if args.threads else "bin/serve's threads"
        print(f"bin/serve on 127.0.0.1:{port} ({threads_said}), {views} concurrent instance lists, "
              f"platform answering in {args.delay:g} s")
        print(f"login page, nothing else going on : {summary(baseline)}  ({len(baseline)} requests, "
              f"{login_bytes:,} bytes each)")
        print(f"login page, during the slow views : {summary(under_load)}  ({len(under_load)} requests)")
        ratio = statistics.median(under_load) / statistics.median(baseline)
        worst = max(under_load) / max(baseline)
        print(f"ratio to the baseline             : p50 x{ratio:.2f}  max x{worst:.2f}")
        statuses = sorted({status for _, status, _ in slow})
        print(f"the slow views                    : {summary([ms for ms, _, _ in slow])}  statuses "
              f"{', '.join(f'{s} x{sum(1 for _, x, _ in slow if x == s)}' for s in statuses)}, "
              f"{statistics.median([b for _, _, b in slow]):,.0f} bytes each")
        print(f"views after them                  : {summary([ms for ms, _, _ in after])}  statuses "
              f"{', '.join(str(s) for _, s, _ in after)}")
        print(f"memory (RSS) of bin/serve's processes: {rss_idle:.0f} MB idle, {rss_busy:.0f} MB during "
              f"the slow views")
    finally:
        try:
            os.killpg(serve.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        serve.wait(timeout=30)


if __name__ == "__main__":
    main()
