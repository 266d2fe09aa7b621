from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

app_name = "team"

DEMO_HINT = "Demo: log in as admin / admin-demo, or viewer / viewer-demo."

urlpatterns = [
    path(
        "login/",
        login_not_required(
            auth_views.LoginView.as_view(
                redirect_authenticated_user=True,
                extra_context={"demo_hint": DEMO_HINT if settings.SANDBOX_MODE == "demo" else ""},
            )
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_log, name="audit"),
    path("team/", views.members, name="members"),
    path("team/add/", views.member_add, name="member_add"),
    path("team/<int:member_id>/role/", views.member_role, name="member_role"),
    path("team/<int:member_id>/active/", views.member_active, name="member_active"),
    path("team/<int:member_id>/password/", views.member_password, name="member_password"),
]
