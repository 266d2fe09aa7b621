"""A system check: the sandbox must not be mounted beside a real platform.

Mounted, it serves fault switches, an OAuth consent page anyone can use, and the demo logins'
hint; that is for demos and tests, never for a deployment on the real API.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security)
def sandbox_mounted_beside_a_real_platform(app_configs, **kwargs) -> list[Warning]:
    if settings.SANDBOX_MODE == "off" or settings.SANDBOX_API_PATH in settings.CLOUD_ELEMENTS_URL:
        return []
    return [Warning(
        f"The sandbox is mounted (SANDBOX_MODE={settings.SANDBOX_MODE}) while CLOUD_ELEMENTS_URL "
        f"is not a sandbox: its fault switches and open consent page are served beside a real "
        f"platform.",
        hint="Set SANDBOX_MODE=off (or leave it unset) in a deployment.",
        id="sandbox.W001",
    )]
