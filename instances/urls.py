from django.urls import path

from . import views

app_name = "instances"

urlpatterns = [
    path("instances/", views.instance_list, name="list"),
    path("elements/<str:key>/instances/", views.element_instance_list, name="element_list"),
    path("instances/<int:instance_id>/", views.instance_detail, name="detail"),
    path("instances/<int:instance_id>/token/", views.instance_token, name="token"),
    path("instances/<int:instance_id>/configuration/reveal/", views.instance_config_reveal,
         name="config_reveal"),
    path("instances/<int:instance_id>/delete/", views.instance_delete, name="delete"),
    path("instances/<int:instance_id>/enabled/", views.instance_enabled, name="enabled"),
]
