from django.urls import path

from . import views

app_name = "apidocs"

urlpatterns = [
    path("instances/<int:instance_id>/docs/", views.docs, name="docs"),
    path("instances/<int:instance_id>/docs/execute/", views.execute, name="execute"),
]
