"""What the browser tests share: where their screenshots go."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_SCREENSHOTS = frozenset({"catalog", "instances", "authenticate", "apidocs"})


@pytest.fixture
def screenshot_path(tmp_path) -> Callable[[str], Path]:
    """docs/screenshots/ for the README's pictures when asked to update them (UPDATE_SCREENSHOTS=1);
    otherwise the test's own temporary folder, so that two runs at once never write one file."""

    def path_of(name: str) -> Path:
        if name in README_SCREENSHOTS and os.environ.get("UPDATE_SCREENSHOTS") == "1":
            path = ROOT / "docs" / "screenshots" / f"{name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            return path
        return tmp_path / f"{name}.png"

    return path_of
