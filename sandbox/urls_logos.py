"""Element logos where the platform's relative `image` paths point: the root of the host.

An element's `image` is `elements/provider_<key>.svg`, relative to the platform's host (as the
platform's own `elements/provider_sfdc.png` is), so the dashboard asks this host's
`/elements/provider_<key>.svg`. Mounted at the root while the sandbox is on.
"""

from django.urls import path

from . import views_pages as pages

urlpatterns = [
    path("elements/provider_<str:key>.svg", pages.logo, name="sandbox_element_logo"),
]
