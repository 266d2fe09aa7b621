"""What the browser tests share: where their screenshots go."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_SCREENSHOTS = frozenset({"catalog", "instances", "authenticate", "apidocs"})


def _screenshot_path(name: str) -> Path:
    """docs/screenshots/ for the README's pictures when asked to update them; /tmp otherwise."""
    if name in README_SCREENSHOTS and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        path = ROOT / "docs" / "screenshots" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    return Path("/tmp") / f"{name}.png"


@pytest.fixture
def screenshot_path() -> Callable[[str], Path]:
    return _screenshot_path
