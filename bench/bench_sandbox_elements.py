"""How fast the sandbox answers `GET /elements` at 195, 1,000 and 10,000 elements.

    .venv/bin/python bench/bench_sandbox_elements.py [--repeat 20]

On a fresh clone (see the README): it migrates a scratch SQLite database of its own first.
Baseline: the sandbox's `GET /elements/mixpanel` (one element, the same authentication and
middleware), measured in the same run, each timed request interleaved with a baseline one; "x" is
the ratio of the medians. Prints, per catalog size: the first answer (the sandbox building its
catalog), the median warm answer, the body size against the baseline's, and the process's RSS
(from /proc, not the Python heap): its peak while building that catalog, above what it was
before, and its RSS after.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
os.environ.update({"DJANGO_SETTINGS_MODULE": "dashboard.settings", "SANDBOX_MODE": "test",
                   "DATABASE_URL": f"sqlite:///{SCRATCH / 'bench.sqlite3'}", "LOG_LEVEL": "ERROR",
                   "CACHE_URL": "locmemcache://bench-sandbox"})

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

AUTH = f"User {settings.CLOUD_ELEMENTS_USER_SECRET}, Organization {settings.CLOUD_ELEMENTS_ORG_SECRET}"
API = "/sandbox/elements/api-v2"


def status_mb(field: str) -> float:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(match.group(1)) / 1024 if match else 0.0


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from VmRSS
    except OSError:
        pass


def timed(client: Client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    answer = client.get(path, HTTP_AUTHORIZATION=AUTH)
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, (path, answer.status_code)
    return elapsed, len(answer.content)


def measure(client: Client, generated: int, repeat: int) -> dict:
    with override_settings(SANDBOX_GENERATED_ELEMENTS=generated, ALLOWED_HOSTS=["*"]):
        timed(client, f"{API}/elements/mixpanel")
        before = status_mb("VmRSS")
        reset_peak()
        cold_ms, size = timed(client, f"{API}/elements")
        peak = status_mb("VmHWM") - before
        warm, base = [], []
        for _ in range(repeat):
            base.append(timed(client, f"{API}/elements/mixpanel")[0])
            warm.append(timed(client, f"{API}/elements")[0])
        _, base_size = timed(client, f"{API}/elements/mixpanel")
    return {"elements": 195 + generated, "cold_ms": cold_ms, "warm_ms": statistics.median(warm),
            "base_ms": statistics.median(base), "bytes": size, "base_bytes": base_size,
            "peak_mb": peak, "rss_mb": status_mb("VmRSS")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    client = Client()
    rows = [measure(client, generated, args.repeat) for generated in (0, 805, 9805)]
    print(f"Sandbox GET /elements, Django test client; medians of {args.repeat}, interleaved with the "
          f"baseline GET /elements/mixpanel; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'elements':>9} {'baseline ms':>12} {'first ms':>10} {'(x)':>8} {'warm ms':>9} {'(x)':>8} "
          f"{'body KB':>9} {'(x)':>8} {'RSS peak+ MB':>13} {'RSS MB':>7}")
    for r in rows:
        print(f"{r['elements']:>9,} {r['base_ms']:>12.2f} {r['cold_ms']:>10.1f} "
              f"{r['cold_ms'] / r['base_ms']:>7.1f}x {r['warm_ms']:>9.2f} "
              f"{r['warm_ms'] / r['base_ms']:>7.1f}x "
              f"{r['bytes'] / 1024:>9,.0f} {r['bytes'] / r['base_bytes']:>7.0f}x {r['peak_mb']:>13.0f} "
              f"{r['rss_mb']:>7.0f}")


if __name__ == "__main__":
    main()
