"""A load run: `bin/serve` with its defaults, and locust users mixing pages as people do.

    .venv/bin/python bench/bench_load.py [--users 50] [--seconds 60] [--elements 1000]
                                         [--workers N] [--port P]

On a fresh clone (see the README): it gives `bin/serve` a scratch SQLite database, file cache and
static folder, migrates it and loads the demo (its admin and sample instances), then starts
`bin/serve` (the dashboard under gunicorn with the worker count it picks for this machine's cores,
the sandbox in a gunicorn process of its own), all on 127.0.0.1 only. Two locust runs follow,
headless and bounded in time (bench/load_users.py is what a user does):

  1. --users users, 1-3 s of thinking between actions, for --seconds: requests per second, p50 and
     p95 per page and in all, errors. Target (issue 9): 0 errors and p95 <= 300 ms.
  2. no think time, 10 users for a third as long: the requests per second the server can give.

The baseline is the dashboard's 404 page for the same logged-in admin, part of the same mix: each
page's latency is printed with its ratio to the baseline's. Memory is the resident set (RSS, from
/proc) of the dashboard's gunicorn processes after the run, in all and per worker, next to a worker
that has only started (its ratio). locust runs on the same machine, and takes CPU of its own.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
LOCUST = str(Path(PY).parent / "locust")
BASELINE = "baseline: 404 page"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def descendants(pid: int) -> list[int]:
    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


def rss_mb(pid: int) -> float:
    try:
        match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0.0
    return int(match.group(1)) / 1024 if match else 0.0


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def dashboard_processes(serve_pid: int, port: int) -> tuple[int | None, list[int]]:
    """bin/serve's dashboard gunicorn master (the one bound to PORT) and its workers."""
    for pid in descendants(serve_pid):
        if "gunicorn" in command_line(pid) and f"127.0.0.1:{port} " in command_line(pid) + " ":
            return pid, children(pid)
    return None, []


def login(host: str) -> requests.Session:
    """The demo admin's session, which every locust user then uses; it also warms the catalog."""
    session = requests.Session()
    page = session.get(f"{host}/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(f"{host}/login/", data={"username": "admin", "password": "admin-demo",
                                                  "csrfmiddlewaretoken": token},
                          headers={"Referer": f"{host}/login/"}, timeout=120)
    if "/login/" in answer.url:
        raise SystemExit("could not log in as the demo admin")
    for path in ("/", "/instances/"):
        session.get(f"{host}{path}", timeout=120)
    return session


def run_locust(host: str, users: int, seconds: int, csv_prefix: Path, *, think: bool,
               session: requests.Session) -> dict:
    env = {**os.environ, "BENCH_THINK": "1" if think else "0",
           "BENCH_SESSION": session.cookies["sessionid"], "BENCH_CSRF": session.cookies["csrftoken"]}
    with open(f"{csv_prefix}.log", "w") as log:
        subprocess.run(
            [LOCUST, "-f", str(ROOT / "bench" / "load_users.py"), "--headless", "--host", host,
             "--users", str(users), "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{seconds}s",
             "--stop-timeout", "5", "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 120,
        )
    with open(f"{csv_prefix}_stats.csv", newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return rows


def print_run(title: str, rows: dict) -> None:
    base = float(rows.get(BASELINE, {}).get("50%", 0) or 0)
    print(f"\n{title}")
    print(f"  {'page':<36} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p50 vs baseline':>16} "
          f"{'errors':>7}")
    total = rows.pop("Aggregated")
    for name, row in sorted(rows.items(), key=lambda item: item[0] != BASELINE):
        p50, p95 = float(row["50%"]), float(row["95%"])
        against = f"{p50 / base:.2f}x" if base else "n/a"
        print(f"  {name:<36} {row['Request Count']:>9} {float(row['Requests/s']):>7.1f} {p50:>7.0f} "
              f"{p95:>7.0f} {against:>16} {row['Failure Count']:>7}")
    p50, p95 = float(total["50%"]), float(total["95%"])
    print(f"  {'all':<36} {total['Request Count']:>9} {float(total['Requests/s']):>7.1f} {p50:>7.0f} "
          f"{p95:>7.0f} {(f'{p50 / base:.2f}x' if base else 'n/a'):>16} {total['Failure Count']:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--elements", type=int, default=1000, help="catalog size (195 + generated)")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (0: bin/serve's default)")
    parser.add_argument("--port", type=int, default=0, help="the dashboard's port (the sandbox: +1)")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-load-"))
    port = args.port or free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3",
           "CACHE_URL": f"filecache://{scratch}/cache", "STATIC_ROOT": str(scratch / "static"),
           "SANDBOX_GENERATED_ELEMENTS": str(max(0, args.elements - 195)), "SANDBOX_MODE": "demo",
           "SANDBOX_PORT": str(port + 1), "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING",
           "SECRET_KEY": "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz"}
    env.pop("CLOUD_ELEMENTS_URL", None)  # bin/serve points the dashboard at its own sandbox
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    else:
        env.pop("WEB_CONCURRENCY", None)
    # The demo's logins and instances live in the sandbox's database, which bin/serve then serves.
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "demo_reset", "-v0"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    log = open(scratch / "serve.log", "w")  # noqa: SIM115 (closed at the end)
    serve = subprocess.Popen([str(ROOT / "bin" / "serve"), str(port)], cwd=ROOT, env=env,
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    host = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{host}/login/")
        wait_for(f"http://127.0.0.1:{port + 1}/sandbox/")
        master, workers = dashboard_processes(serve.pid, port)
        fresh = [rss_mb(w) for w in workers]
        session = login(host)
        think = run_locust(host, args.users, args.seconds, scratch / "think", think=True, session=session)
        master, workers = dashboard_processes(serve.pid, port)
        after = [rss_mb(w) for w in workers]
        flat_out = run_locust(host, 10, max(10, args.seconds // 3), scratch / "flat", think=False,
                              session=session)
        print(f"bin/serve: {len(workers)} dashboard workers on {os.cpu_count()} CPUs; "
              f"{args.elements:,} elements; Python {sys.version.split()[0]}; "
              f"load average {os.getloadavg()[0]:.1f} after the runs")
        print_run(f"{args.users} users, 1-3 s think time, {args.seconds} s (target: 0 errors, p95 <= 300 ms)",
                  think)
        print_run(f"10 users, no think time, {max(10, args.seconds // 3)} s: what the server can give",
                  flat_out)
        total_after = sum(after) + rss_mb(master or 0)
        print(f"\nRSS, dashboard (gunicorn master and {len(after)} workers) after the run: "
              f"{total_after:.0f} MB in all; per worker {', '.join(f'{m:.0f}' for m in after)} MB against "
              f"{', '.join(f'{m:.0f}' for m in fresh)} MB fresh "
              f"({(sum(after) / sum(fresh)) if sum(fresh) else 0:.2f}x)")
    finally:
        try:
            os.killpg(serve.pid, signal.SIGTERM)  # bin/serve and the gunicorns it started
        except ProcessLookupError:
            pass
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()


if __name__ == "__main__":
    main()
