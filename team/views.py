from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.htmx import HtmxHttpRequest, error_response

from . import accounts
from .accounts import MemberError
from .audit import audit_actions, audit_list
from .forms import MemberAddForm, MemberPasswordForm
from .roles import admin_required


@admin_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action") or None
    page = Paginator(audit_list(action=action), 50).get_page(request.GET.get("page"))
    actions = audit_actions()
    return render(
        request, "team/audit_log.html", {"page": page, "action": action or "", "actions": actions}
    )


# --- team members -------------------------------------------------------------------------------

def _members_context(**extra) -> dict:
    members = list(accounts.member_list())
    return {"members": members, "counts": accounts.member_counts(members), **extra}


def _member_or_404(member_id: int):
    try:
        return accounts.member_get(member_id=member_id)
    except get_user_model().DoesNotExist:
        raise Http404(f"There is no member with ID {member_id}.") from None


def _with_article(role: str) -> str:
    return "an admin" if role == "admin" else "a viewer"


@admin_required
@require_GET
def members(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "team/members.html", _members_context(form=MemberAddForm()))


@admin_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def member_add(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect(reverse("team:members") + "#member-add")
    form = MemberAddForm(request.POST)
    member = None
    if form.is_valid():
        try:
            member = accounts.member_add(
                by=request.user, username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"], admin=form.admin,
            )
        except MemberError as exc:
            form.add_error(exc.field, exc.message)
        except ValidationError as exc:
            form.add_error("password1", exc)
    if member is None:
        if request.htmx:
            return render(request, "team/members.html#add_form", {"form": form})
        return render(request, "team/members.html", _members_context(form=form))
    role = "admin" if form.admin else "viewer"
    messages.success(request, f"Added {member.username} as {_with_article(role)}. They can log in now.")
    if not request.htmx:
        return redirect("team:members")
    return render(request, "team/members.html#added",
                  _members_context(form=MemberAddForm(), added_id=member.pk))


def _row_answer(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    """After a change to one member: the page again, or (htmx) their row, counts and messages."""
    if not request.htmx:
        return redirect("team:members")
    context = _members_context()
    context["member"] = next(m for m in context["members"] if m.pk == member_id)
    return render(request, "team/members.html#row_answer", context)


@admin_required
@require_POST
def member_role(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(member_id)
    role = request.POST.get("role")
    if role not in ("admin", "viewer"):
        return error_response(request, 400, "Bad request", "Choose a role: admin or viewer.")
    try:
        changed = accounts.member_role_set(by=request.user, member=member, admin=role == "admin")
    except MemberError as exc:
        messages.error(request, exc.message)
    else:
        if changed:
            messages.success(request, f"{member.username} is now {_with_article(role)}.")
        else:
            messages.info(request, f"{member.username} was already {_with_article(role)}.")
    return _row_answer(request, member_id)


@admin_required
@require_POST
def member_active(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(member_id)
    active = request.POST.get("active")
    if active not in ("true", "false"):
        return error_response(request, 400, "Bad request", "Say whether the member is to be active.")
    active = active == "true"
    try:
        changed = accounts.member_active_set(by=request.user, member=member, active=active)
    except MemberError as exc:
        messages.error(request, exc.message)
    else:
        if not changed:
            state = "active" if active else "deactivated"
            messages.info(request, f"{member.username} was already {state}.")
        elif active:
            messages.success(request, f"Reactivated {member.username}: they can log in again.")
        else:
            messages.success(request, f"Deactivated {member.username}: they can no longer log in, "
                                      "and their sessions have ended.")
    return _row_answer(request, member_id)


@admin_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def member_password(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    """A new password for a member: a dialog over the team page (htmx) or a page of its own."""
    member = _member_or_404(member_id)
    context = {"member": member, "in_modal": bool(request.htmx), "is_self": member.pk == request.user.pk}
    if request.method == "GET":
        context["form"] = MemberPasswordForm(member=member)
        template = "team/member_password.html#modal" if request.htmx else "team/member_password.html"
        return render(request, template, context)
    form = context["form"] = MemberPasswordForm(request.POST, member=member)
    if form.is_valid():
        try:
            accounts.member_password_set(by=request.user, member=member,
                                         password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            if context["is_self"]:
                update_session_auth_hash(request, member)  # this session stays logged in
                messages.success(request, "Your password is changed. Your other sessions have ended.")
            else:
                messages.success(request, f"New password set for {member.username}. Their sessions "
                                          "have ended; tell them the new password.")
            if not request.htmx:
                return redirect("team:members")
            response = render(request, "team/member_password.html#done", context)
            response["HX-Reswap"] = "none"  # the dialog goes out of band, with the message
            return response
    template = "team/member_password.html#form" if request.htmx else "team/member_password.html"
    return render(request, template, context)

