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
]
