from django.conf import settings

from .roles import can_manage, can_view_tokens


def roles(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "can_manage": can_manage(user),
        "can_view_tokens": can_view_tokens(user),
        "sandbox_on": settings.SANDBOX_MODE != "off",
    }
