"""The catalog page at 1,000 and 10,000 elements: server time, bytes on the wire and memory, each
figure next to a baseline measured in the same run.

    .venv/bin/python bench/bench_catalog.py [--sizes 1000 10000] [--repeat 30]

On a fresh clone (see the README): it migrates a scratch database and collects the static files
into a scratch folder itself. For each size it starts the sandbox (`manage.py runserver` on a free
port, SANDBOX_GENERATED_ELEMENTS set to the size) and then measures in a fresh Python process of its
own, a worker as gunicorn would start it, driving the dashboard with Django's test client,
logged in as an admin, with a few instances so that banners show.

Baseline: the dashboard's 404 page for the same logged-in admin (session, user, role, the base
layout; no platform call). Times are medians of --repeat requests, each measured request
interleaved with a baseline one, so that whatever else the machine is doing slows both alike;
"x" is the ratio to the baseline's median. Targets (issue 9) are printed next to each figure.

  catalog warm     GET / with the catalog and counts in the cache
  search partial   the htmx results partial of a search as you type that matches many (?q=gen)
  show more        the htmx chunk of the next cards (?page=2)
  cold             GET / with the cache emptied: GET /elements streamed and projected, the counts
  wire             bytes as a browser that accepts gzip and brotli receives them: the page, each
                   CSS and JS file (first visit), what a repeat visit downloads again (the files
                   not cached for a year), the search partial, and the JavaScript gzipped
  RSS              the process's resident memory (/proc/self/status, not the Python heap): fresh
                   (after a few baseline requests), the peak of the cold read above that, and
                   after the run
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASELINE = "/no-such-page/"
SEARCH = "gen"  # matches every generated element: a keystroke that matches many
HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "catalog-results"}
HTMX_MORE = {"HX-Request": "true", "HX-Target": "catalog-more"}
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_status_kb(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(match.group(1)) if match else 0


def reset_peak_rss() -> bool:
    """Start VmHWM (peak RSS) afresh from the current RSS (Linux 4.0+)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# --- the child: one fresh process per size --------------------------------------------------

def child(size: int, api: str, repeat: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from cloud_elements import get_client
    from team.accounts import user_create

    settings.CLOUD_ELEMENTS_URL = api
    http = Client()
    http.force_login(user_create(username="bench-admin", password="bench-password-1", admin=True))
    client = get_client()
    existing = {i.get("name") for i in client.instance_list()}
    for name in ("Bench analytics 1", "Bench analytics 2", "Bench analytics 3"):
        if name not in existing:
            client.instance_create(element_key="mixpanel", name=name,
                                   configuration={"username": "bench-secret"}, tags=["bench"])

    def get(url: str, headers: dict | None = None, status: int = 200):
        response = http.get(url, headers=headers or {})
        assert response.status_code == status, (url, response.status_code)
        if status == 200:
            assert b"upstream-error" not in response.content, f"{url}: the upstream answered an error"
        return response

    for _ in range(5):  # a worker that has served a few pages: templates loaded, connection open
        get(BASELINE, status=404)
    fresh_kb = proc_status_kb("VmRSS")
    peak_reset = reset_peak_rss()
    started = time.perf_counter()
    page = get("/")
    cold_ms = (time.perf_counter() - started) * 1000
    cold_peak_kb = proc_status_kb("VmHWM") - fresh_kb
    assert b"element-banner" in page.content, "no instance banner: the counts did not show"

    def timed(url: str, headers: dict | None = None, status: int = 200) -> float:
        started = time.perf_counter()
        get(url, headers, status)
        return (time.perf_counter() - started) * 1000

    series: dict[str, list[float]] = {"baseline": [], "catalog": [], "search": [], "more": []}
    for _ in range(repeat):
        for name, url, headers in (("catalog", "/", None), ("search", f"/?q={SEARCH}", HTMX_RESULTS),
                                   ("more", "/?page=2", HTMX_MORE)):
            series["baseline"].append(timed(BASELINE, status=404))
            series[name].append(timed(url, headers))

    # Bytes on the wire.
    baseline_page = get(BASELINE, BROWSER, status=404)
    page = get("/", BROWSER)
    html = gzip.decompress(page.content).decode() if page.get("Content-Encoding") == "gzip" \
        else page.content.decode()
    assets = {}
    for url in sorted(set(STATIC.findall(html))):
        answer = http.get(url, headers=BROWSER)
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        plain = http.get(url, headers={"Accept-Encoding": "gzip"})
        gz = b"".join(plain.streaming_content) if plain.streaming else plain.content
        cache_control = answer.get("Cache-Control", "")
        year = re.search(r"max-age=(\d+)", cache_control)
        assets[url] = {"bytes": len(body), "gzip": len(gz),
                       "cached_a_year": bool(year and int(year.group(1)) >= 31_536_000)}
        answer.close()
        plain.close()
    partial = get(f"/?q={SEARCH}", {**HTMX_RESULTS, **BROWSER})
    cards = len(re.findall(r'<article class="element-card', html))

    from catalog.selectors import catalog_get
    elements = len(catalog_get().elements)
    return {
        "size": size, "elements": elements, "cards": cards,
        "ms": {k: statistics.median(v) for k, v in series.items()},
        "cold_ms": cold_ms,
        "wire": {
            "baseline": len(baseline_page.content),
            "page": len(page.content), "page_plain": len(html.encode()),
            "css": sum(a["bytes"] for u, a in assets.items() if u.endswith(".css")),
            "js": sum(a["bytes"] for u, a in assets.items() if u.endswith(".js")),
            "js_gzip": sum(a["gzip"] for u, a in assets.items() if u.endswith(".js")),
            "repeat_assets": sum(a["bytes"] for a in assets.values() if not a["cached_a_year"]),
            "partial": len(partial.content),
        },
        "rss": {"fresh_mb": fresh_kb / 1024, "cold_peak_mb": cold_peak_kb / 1024,
                "peak_reset": peak_reset, "after_mb": proc_status_kb("VmRSS") / 1024},
    }


# --- the parent ---------------------------------------------------------------------------------

def start_sandbox(size: int, env: dict, work: Path) -> tuple[subprocess.Popen, str]:
    import requests

    port = free_port()
    log = open(work / f"sandbox-{size}.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env={**env, "SANDBOX_GENERATED_ELEMENTS": str(size)}, stdout=log, stderr=subprocess.STDOUT,
    )
    api = f"http://127.0.0.1:{port}/sandbox/elements/api-v2"
    auth = {"Authorization": "User sandbox-user-secret, Organization sandbox-org-secret"}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the sandbox stopped: see {log.name}")
        try:
            if requests.get(f"{api}/elements/keys", headers=auth, timeout=2).ok:
                return process, api
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.terminate()
    sys.exit(f"The sandbox did not answer within 60 s: see {log.name}")


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "n/a"


def report(row: dict) -> None:
    ms, wire, rss = row["ms"], row["wire"], row["rss"]
    base = ms["baseline"]
    kb = 1024
    first_visit = wire["page"] + wire["css"] + wire["js"]
    print(f"\n{row['elements']:,} elements ({row['cards']} cards on first paint)")
    print(f"  {'figure':<44} {'value':>10} {'vs baseline':>12}  target")
    lines = [
        ("baseline: 404 page, logged-in admin (ms)", f"{base:.1f}", "1.00x", ""),
        ("catalog warm (ms)", f"{ms['catalog']:.1f}", ratio(ms["catalog"], base), "<= 1.5x"),
        (f"search partial ?q={SEARCH} (ms)", f"{ms['search']:.1f}", ratio(ms["search"], base), "<= 1.2x"),
        ("show more chunk (ms)", f"{ms['more']:.1f}", ratio(ms["more"], base), ""),
        ("catalog cold, one request (ms)", f"{row['cold_ms']:.0f}", ratio(row["cold_ms"], base), ""),
        ("wire: 404 page (KB)", f"{wire['baseline'] / kb:.1f}", "1.00x", ""),
        ("wire: / first visit, page+CSS+JS (KB)", f"{first_visit / kb:.1f}",
         ratio(first_visit, wire["baseline"]), "<= 50 KB"),
        ("  of which the page, gzip (KB)", f"{wire['page'] / kb:.1f}", ratio(wire["page"], wire["baseline"]),
         f"{wire['page_plain'] / kb:.0f} KB plain"),
        ("  of which CSS (KB)", f"{wire['css'] / kb:.1f}", ratio(wire["css"], wire["baseline"]), ""),
        ("  of which JS (KB)", f"{wire['js'] / kb:.1f}", ratio(wire["js"], wire["baseline"]), ""),
        ("wire: CSS+JS again on a repeat visit (KB)", f"{wire['repeat_assets'] / kb:.1f}", "", "0"),
        ("wire: JavaScript, gzip (KB)", f"{wire['js_gzip'] / kb:.1f}",
         ratio(wire["js_gzip"], wire["baseline"]), "<= 20 KB"),
        ("wire: search keystroke partial (KB)", f"{wire['partial'] / kb:.1f}",
         ratio(wire["partial"], wire["baseline"]), "<= 10 KB"),
        ("RSS: fresh worker (MB)", f"{rss['fresh_mb']:.0f}", "", ""),
        ("RSS: cold read peak above fresh (MB)", f"{rss['cold_peak_mb']:.0f}",
         ratio(rss["cold_peak_mb"], rss["fresh_mb"]), "<= 100 MB at 10,000"
         + ("" if rss["peak_reset"] else " (peak since start)")),
        ("RSS: after the run (MB)", f"{rss['after_mb']:.0f}", ratio(rss["after_mb"], rss["fresh_mb"]), ""),
    ]
    for name, value, against, target in lines:
        print(f"  {name:<44} {value:>10} {against:>12}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="catalog sizes (the sandbox's 195 elements plus generated ones)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "API"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child[0]), args.child[1], args.repeat)))
        return

    work = Path(tempfile.mkdtemp(prefix="bench-catalog-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
           "CACHE_URL": "locmemcache://bench-catalog", "STATIC_ROOT": str(work / "static"),
           "SANDBOX_MODE": "demo", "DEBUG": "false", "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "dashboard.settings"}
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True)
    rows = []
    for size in args.sizes:
        generated = max(0, size - 195)
        process, api = start_sandbox(generated, env, work)
        try:
            out = subprocess.run([sys.executable, __file__, "--repeat", str(args.repeat),
                                  "--child", str(generated), api],
                                 cwd=ROOT, env=env, check=True, capture_output=True, text=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        finally:
            process.terminate()
            process.wait(timeout=10)
    import django

    print(f"Catalog page, Django test client in a fresh process per size; medians of {args.repeat}, "
          f"each interleaved with a baseline request; Python {sys.version.split()[0]}, "
          f"Django {django.get_version()}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for row in rows:
        report(row)


if __name__ == "__main__":
    main()
