from django.urls import path, re_path

from . import views_elements as elements
from . import views_instances as instances
from . import views_pages as pages
from . import views_resources as resources

app_name = "sandbox"

API = "elements/api-v2/"

urlpatterns = [
    path("", pages.home, name="home"),
    path("faults/", pages.faults, name="faults"),
    path("oauth/authorize/", pages.oauth_authorize, name="oauth_authorize"),
    path("logos/<str:key>.svg", pages.logo, name="logo"),
    path(API + "elements", elements.element_list, name="elements"),
    path(API + "elements/keys", elements.element_keys, name="element_keys"),
    path(API + "elements/<str:key_or_id>", elements.element_detail, name="element"),
    path(API + "elements/<str:key_or_id>/docs", elements.element_docs, name="element_docs"),
    path(API + "elements/<str:key_or_id>/oauth/url", elements.element_oauth_url,
         name="element_oauth_url"),
    path(API + "elements/<str:key_or_id>/oauth/token", elements.element_oauth_token,
         name="element_oauth_token"),
    path(API + "elements/<str:key_or_id>/instances", elements.element_instances,
         name="element_instances"),
    path(API + "instances", instances.instances, name="instances"),
    # The instance named by the Element token of the Authorization header, not by an id.
    path(API + "instances/enabled", instances.instance_enabled_by_token,
         name="instance_enabled_by_token"),
    path(API + "instances/<int:instance_id>", instances.instance_detail, name="instance"),
    path(API + "instances/<int:instance_id>/enabled", instances.instance_enabled,
         name="instance_enabled"),
    path(API + "instances/<int:instance_id>/configuration", instances.instance_configuration,
         name="instance_configuration"),
    path(API + "instances/<int:instance_id>/docs", instances.instance_docs, name="instance_docs"),
    path(API + "hubs/<str:hub>/<str:resource>", resources.resource_list, name="resource_list"),
    path(API + "hubs/<str:hub>/<str:resource>/<int:record_id>", resources.resource_detail,
         name="resource_detail"),
    # The platform ignores the hub segment, and a resource path without one answers the same.
    re_path(r"^elements/api-v2/(?P<resource>[A-Za-z][\w-]*)$", resources.resource_list,
            name="resource_list_without_hub"),
    re_path(r"^elements/api-v2/(?P<resource>[A-Za-z][\w-]*)/(?P<record_id>[0-9]+)$",
            resources.resource_detail, name="resource_detail_without_hub"),
    re_path(r"^elements/api-v2(?:/(?P<rest>.*))?$", instances.not_found, name="api_not_found"),
]
