"""Logging in: the login page, throttling by django-axes, and a record of every login, failure,
lockout and logout, in the log and in the audit log.

django-axes counts failures per username and address together (so nobody can lock a colleague
out from elsewhere) in the database, which every app server shares: a lockout holds on all of
them. While locked out, the right password is refused too, for `LOGIN_LOCKOUT_MINUTES`.
"""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .audit import audit_record

log = logging.getLogger("team.logins")

DEMO_HINT = "Demo: log in as admin / admin-demo, or viewer / viewer-demo."
LOGIN_TEMPLATE = "registration/login.html"


def _demo_context() -> dict:
    # Read on each request: the demo logins exist only where the demo was set up.
    return {"demo_hint": DEMO_HINT if settings.SANDBOX_MODE == "demo" else ""}


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_demo_context()}

    def form_valid(self, form):
        # Recorded here rather than on user_logged_in: that signal also fires for the sessions
        # tests open with force_login, which no one typed a password for.
        response = super().form_valid(form)
        user = form.get_user()
        address = _address(self.request)
        log.info("login: %s from %s", user.username, address)
        audit_record(user=user, action="login", detail=f"from {address}")
        return response


def client_ip(request: HttpRequest) -> str:
    """The address a login came from. Behind our proxy, the last X-Forwarded-For entry is the one
    the proxy added (earlier ones are whatever the client sent); otherwise the peer's address."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def lockout_minutes() -> int:
    return settings.LOGIN_LOCKOUT_MINUTES


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out login sees: the login page, with what was typed and when to try again."""
    form = AuthenticationForm(request, data=request.POST or None)
    context = {"form": form, "locked_out": True, "lockout_minutes": lockout_minutes(),
               "next": request.POST.get("next", ""), **_demo_context()}
    return render(request, LOGIN_TEMPLATE, context, status=429)


# --- the record -----------------------------------------------------------------------------------

def _address(request: HttpRequest | None) -> str:
    return client_ip(request) if request is not None else "unknown"


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    address = _address(request)
    log.info("logout: %s from %s", user.username, address)
    audit_record(user=user, action="logout", detail=f"from {address}")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # the lockout is recorded by _locked_out
    username = str((credentials or {}).get("username") or "")[:150]
    address = _address(request)
    log.warning("login failed: %r from %s", username, address)
    audit_record(user=None, username=username, action="login.failed", detail=f"from {address}")


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    # axes counted this failure just now (and locked) or refused an attempt while locked.
    began = getattr(request, "axes_failures_since_start", None) is not None
    username = str(username or "")[:150]
    if began:
        log.warning("login locked out: %r from %s for %d minutes after %d failures",
                    username, ip_address, lockout_minutes(), settings.AXES_FAILURE_LIMIT)
        audit_record(user=None, username=username, action="login.lockout",
                     detail=f"from {ip_address}: {settings.AXES_FAILURE_LIMIT} failures, "
                            f"locked for {lockout_minutes()} minutes")
    else:
        log.warning("login refused while locked out: %r from %s", username, ip_address)
        audit_record(user=None, username=username, action="login.refused",
                     detail=f"from {ip_address}: locked out")
