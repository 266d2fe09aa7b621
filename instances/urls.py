from django.urls import path

from . import views, views_authenticate

app_name = "instances"

# Every instance's URLs live under instances/<id>/; an element's under elements/<key>/.
urlpatterns = [
    path("instances/", views.instance_list, name="list"),
    path("elements/<str:key>/instances/", views.element_instance_list, name="element_list"),
    path("elements/<str:key>/authenticate/", views_authenticate.authenticate, name="authenticate"),
    path("oauth/callback/", views_authenticate.oauth_callback, name="oauth_callback"),
    path("instances/<int:instance_id>/", views.instance_detail, name="detail"),
    path("instances/<int:instance_id>/token/", views.instance_token, name="token"),
    path("instances/<int:instance_id>/configuration/reveal/", views.instance_config_reveal,
         name="config_reveal"),
    path("instances/<int:instance_id>/delete/", views.instance_delete, name="delete"),
    path("instances/<int:instance_id>/enabled/", views.instance_enabled, name="enabled"),
    path("instances/<int:instance_id>/edit/", views_authenticate.instance_edit, name="edit"),
    path("instances/<int:instance_id>/update/", views_authenticate.instance_update, name="update"),
    path("instances/<int:instance_id>/reauthenticate/", views_authenticate.instance_reauthenticate,
         name="reauthenticate"),
]
