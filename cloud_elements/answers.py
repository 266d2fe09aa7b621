"""The platform's answers in the one shape the dashboard uses, whichever shape they came in.

- An element's `image` is a path relative to the platform's host (`elements/provider_sfdc.png`
  in devportal's docs/platform-api/instances/index.md), or sometimes a full URL: `image_url`
  gives a URL a browser can load.
- An instance's `tags` are strings, but older answers carry objects `{"id": 1, "name": "prod"}`:
  `tag_names` gives the names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit


def host_root(base_url: str) -> str:
    """`https://api.cloud-elements.com/elements/api-v2` -> `https://api.cloud-elements.com/`."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""


def image_url(image: Any, root: str) -> str:
    """A logo's URL: a full http(s) URL as it is, a relative path on the platform's host
    (`root`, from `host_root`), anything else (another scheme, nothing) as no logo."""
    text = str(image or "").strip()
    if not text:
        return ""
    if text.startswith(("https://", "http://")):
        return text
    if text.startswith("//") or ":" in text.split("/", 1)[0]:
        return ""  # protocol-relative or another scheme (data:, javascript:): not a logo we load
    return root + text.lstrip("/") if root else ""


def tag_names(tags: Any) -> tuple[str, ...]:
    """Tag names, in order, without blanks or repeats, from strings or `{id, name}` objects."""
    names: list[str] = []
    for tag in tags if isinstance(tags, Iterable) and not isinstance(tags, (str, bytes, dict)) else ():
        name = tag.get("name") if isinstance(tag, dict) else tag
        text = str(name).strip() if name is not None else ""
        if text and text not in names:
            names.append(text)
    return tuple(names)
