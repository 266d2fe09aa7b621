"""How fast, how big and how hungry the catalog page is with 1,000 and 10,000 elements.

    .venv/bin/python bench/bench_catalog.py [--sizes 1000 10000] [--repeat 20]

For each size it starts the sandbox (`manage.py runserver` on a free port, in a process of its own,
with SANDBOX_GENERATED_ELEMENTS set to the size), points this process's dashboard at it
(CLOUD_ELEMENTS_URL), creates a few instances so that banners show, and drives the dashboard with
Django's test client, logged in as an admin:

  GET / cold     the cache emptied first: one upstream GET /elements (the whole catalog over HTTP,
                 parsed and projected) and one GET /instances for the counts, then the render
  GET / warm     the catalog and counts from the cache: filter, order, render 120 cards
  search         the htmx results partial for a search as you type (?q=…, HX-Target catalog-results)
  show more      the htmx chunk of the next 120 cards (?page=2, HX-Target catalog-more)
  sizes          of the full page, of the search partial, of the cached projection (pickled),
                 and of the platform's GET /elements answer
  peak memory    tracemalloc's peak while serving one cold and one warm GET / (timed separately:
                 tracemalloc slows everything down), above what was allocated before the request
  kept           what the cold GET / left allocated: the catalog projection in the local-memory
                 cache and in the process's memo, the counts, the session

Times are medians (and, for warm pages, the fastest and the p95) in milliseconds, over --repeat
runs (cold: a third of them). The sandbox's process is not measured: only the dashboard's. On a
busy machine the medians wander; the fastest warm time is the steadiest figure.
"""

from __future__ import annotations

import argparse
import os
import pickle
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORK_DIR = Path(tempfile.mkdtemp(prefix="bench-catalog-"))
ENV = {
    "DATABASE_URL": f"sqlite:///{WORK_DIR / 'bench.sqlite3'}",
    "CACHE_URL": "locmemcache://bench-catalog",
    "SANDBOX_MODE": "demo",
    "DEBUG": "false",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "dashboard.settings",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "catalog-results"}
HTMX_MORE = {"HX-Request": "true", "HX-Target": "catalog-more"}
SEARCH = "gen1"  # matches the generated elements numbered 1, 10–19, 100–199, …


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sandbox(size: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(WORK_DIR / f"runserver-{size}.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env={**os.environ, "SANDBOX_GENERATED_ELEMENTS": str(size)},
        stdout=log, stderr=subprocess.STDOUT,
    )
    api = f"http://127.0.0.1:{port}/sandbox/elements/api-v2"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"runserver stopped: see {log.name}")
        try:
            if requests.get(f"{api}/elements/keys", headers=auth_header(), timeout=2).ok:
                return process, api
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.terminate()
    sys.exit(f"The sandbox did not answer within 60 s: see {log.name}")


def auth_header() -> dict[str, str]:
    return {"Authorization": f"User {settings.CLOUD_ELEMENTS_USER_SECRET}, "
                             f"Organization {settings.CLOUD_ELEMENTS_ORG_SECRET}"}


def forget_everything() -> None:
    from catalog import selectors

    cache.clear()
    selectors._memo = None  # what a freshly started process has


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def get(http: Client, url: str, headers: dict | None = None):
    response = http.get(url, headers=headers or {})
    assert response.status_code == 200, (url, response.status_code)
    assert b"upstream-error" not in response.content, f"{url}: the upstream answered an error"
    return response


def measure(http: Client, size: int, repeat: int) -> dict:
    from catalog import selectors
    from cloud_elements import get_client

    client = get_client()
    existing = {i.get("name") for i in client.instance_list()}
    for name in ("Bench analytics 1", "Bench analytics 2", "Bench analytics 3"):
        if name not in existing:
            client.instance_create(element_key="mixpanel", name=name,
                                   configuration={"username": "bench-secret"}, tags=["bench"])
    upstream = requests.get(f"{settings.CLOUD_ELEMENTS_URL}/elements", headers=auth_header(), timeout=60)
    elements = len(upstream.json())

    def cold():
        forget_everything()
        get(http, "/")

    cold_ms = timed(cold, max(3, repeat // 3))
    page = get(http, "/")
    assert b"element-banner" in page.content, "no instance banner: the counts did not show"
    warm_ms = timed(lambda: get(http, "/"), repeat)
    search_ms = timed(lambda: get(http, f"/?q={SEARCH}", HTMX_RESULTS), repeat)
    partial = get(http, f"/?q={SEARCH}", HTMX_RESULTS)
    more_ms = timed(lambda: get(http, "/?page=2", HTMX_MORE), repeat)
    projection = pickle.dumps(selectors.catalog_get(), protocol=pickle.HIGHEST_PROTOCOL)

    forget_everything()
    tracemalloc.start()
    get(http, "/")
    retained, peak_cold = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    get(http, "/")
    _, peak = tracemalloc.get_traced_memory()
    peak_warm = peak - before
    tracemalloc.stop()

    return {
        "elements": elements,
        "cold": statistics.median(cold_ms),
        "warm": statistics.median(warm_ms),
        "warm95": p95(warm_ms),
        "warm_min": min(warm_ms),
        "search": statistics.median(search_ms),
        "more": statistics.median(more_ms),
        "page_kb": len(page.content) / 1024,
        "partial_kb": len(partial.content) / 1024,
        "cache_kb": len(projection) / 1024,
        "upstream_kb": len(upstream.content) / 1024,
        "peak_cold_mb": peak_cold / 2**20,
        "peak_warm_mb": peak_warm / 2**20,
        "retained_mb": retained / 2**20,
        "size": size,
    }


COLUMNS = [
    ("elements", "elements", "{:,}"),
    ("cold", "GET / cold ms", "{:.1f}"),
    ("warm", "GET / warm ms", "{:.1f}"),
    ("warm_min", "warm min ms", "{:.1f}"),
    ("warm95", "warm p95 ms", "{:.1f}"),
    ("search", "search partial ms", "{:.1f}"),
    ("more", "show more ms", "{:.1f}"),
    ("page_kb", "page KB", "{:.0f}"),
    ("partial_kb", "search partial KB", "{:.0f}"),
    ("cache_kb", "cached projection KB", "{:.0f}"),
    ("upstream_kb", "GET /elements KB", "{:,.0f}"),
    ("peak_cold_mb", "peak mem cold MB", "{:.1f}"),
    ("peak_warm_mb", "peak mem warm MB", "{:.2f}"),
    ("retained_mb", "kept after cold MB", "{:.1f}"),
]


def print_table(rows: list[dict]) -> None:
    cells = [[fmt.format(row[key]) for key, _, fmt in COLUMNS] for row in rows]
    widths = [max(len(title), *(len(c[i]) for c in cells)) for i, (_, title, _) in enumerate(COLUMNS)]
    line = "| " + " | ".join(title.rjust(w) for (_, title, _), w in zip(COLUMNS, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for c in cells:
        print("| " + " | ".join(v.rjust(w) for v, w in zip(c, widths, strict=True)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="SANDBOX_GENERATED_ELEMENTS values (the sandbox adds them to its 195)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                   cwd=ROOT, env=os.environ, check=True)
    from team.accounts import user_create

    http = Client()
    http.force_login(user_create(username="bench-admin", password="bench-password-1", admin=True))

    rows = []
    for size in args.sizes:
        process, api = start_sandbox(size)
        try:
            settings.CLOUD_ELEMENTS_URL = api
            forget_everything()
            rows.append(measure(http, size, args.repeat))
            print(f"  measured SANDBOX_GENERATED_ELEMENTS={size}", file=sys.stderr)
        finally:
            process.terminate()
            process.wait(timeout=10)
    print()
    print(f"Catalog page, Django test client, median of {args.repeat} (cold: {max(3, args.repeat // 3)});"
          f" search ?q={SEARCH}; Python {sys.version.split()[0]}, Django {django.get_version()};"
          f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print_table(rows)


if __name__ == "__main__":
    main()
