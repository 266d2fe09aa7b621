"""The consent page's authorization codes: short-lived and bounded in number, as a provider's are.

RFC 6749 section 4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED."
The consent page needs no login, so without a bound anyone could fill the table; the oldest
codes give way first.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import OAuthCode

CODE_LIFETIME = timedelta(minutes=10)


def oauth_code_issue(*, code: str, element_key: str, api_key: str, redirect_uri: str) -> OAuthCode:
    OAuthCode.objects.filter(Q(used=True) | Q(created__lt=timezone.now() - CODE_LIFETIME)).delete()
    excess = OAuthCode.objects.count() - (settings.SANDBOX_OAUTH_CODES_MAX - 1)
    if excess > 0:
        oldest = OAuthCode.objects.order_by("created", "id").values_list("id", flat=True)[:excess]
        OAuthCode.objects.filter(id__in=list(oldest)).delete()
    return OAuthCode.objects.create(code=code, element_key=element_key, api_key=api_key,
                                    redirect_uri=redirect_uri)


def oauth_code_expired(code: OAuthCode) -> bool:
    return code.created < timezone.now() - CODE_LIFETIME
