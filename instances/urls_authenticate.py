from django.urls import path

from . import views_authenticate as views

app_name = "instances_auth"

urlpatterns = [
    path("elements/<str:key>/authenticate/", views.authenticate, name="authenticate"),
    path("oauth/callback/", views.oauth_callback, name="oauth_callback"),
    path("instances/<int:instance_id>/edit/", views.instance_edit, name="edit"),
]
