"""How fast the sandbox answers `GET /elements` at 195, 1,000 and 10,000 elements.

Run: .venv/bin/python bench/bench_sandbox_elements.py   (after `manage.py migrate`)
Prints, per catalog size: the first answer (building the catalog), the median of warm answers,
the body size, and the memory the catalog holds (tracemalloc peak while building it).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
os.environ.setdefault("SANDBOX_MODE", "test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

AUTH = f"User {settings.CLOUD_ELEMENTS_USER_SECRET}, Organization {settings.CLOUD_ELEMENTS_ORG_SECRET}"
WARM_RUNS = 20


def measure(generated: int) -> dict:
    client = Client()
    with override_settings(SANDBOX_GENERATED_ELEMENTS=generated, ALLOWED_HOSTS=["*"]):
        tracemalloc.start()
        started = time.perf_counter()
        first = client.get("/sandbox/elements/api-v2/elements", HTTP_AUTHORIZATION=AUTH)
        cold_ms = (time.perf_counter() - started) * 1000
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert first.status_code == 200, first.status_code
        warm = []
        for _ in range(WARM_RUNS):
            started = time.perf_counter()
            answer = client.get("/sandbox/elements/api-v2/elements", HTTP_AUTHORIZATION=AUTH)
            warm.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200
    return {"elements": 195 + generated, "cold_ms": cold_ms, "warm_ms": statistics.median(warm),
            "bytes": len(first.content), "peak_mb": peak / 1e6}


def main() -> None:
    print(f"{'elements':>9} {'first (ms)':>11} {'warm median (ms)':>17} {'body (KB)':>10} "
          f"{'build peak (MB)':>16}")
    for generated in (0, 805, 9805):
        row = measure(generated)
        print(f"{row['elements']:>9} {row['cold_ms']:>11.1f} {row['warm_ms']:>17.2f} "
              f"{row['bytes'] / 1024:>10.0f} {row['peak_mb']:>16.1f}")


if __name__ == "__main__":
    main()
