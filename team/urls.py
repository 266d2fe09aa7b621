from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .logins import LoginView

app_name = "team"

urlpatterns = [
    path("login/", login_not_required(LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_log, name="audit"),
    path("team/", views.members, name="members"),
    path("team/add/", views.member_add, name="member_add"),
    path("team/<int:member_id>/role/", views.member_role, name="member_role"),
    path("team/<int:member_id>/active/", views.member_active, name="member_active"),
    path("team/<int:member_id>/password/", views.member_password, name="member_password"),
]
