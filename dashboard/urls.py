from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("team.urls")),
    path("", include("catalog.urls")),
    path("", include("instances.urls")),
    path("", include("instances.urls_authenticate")),
    path("", include("apidocs.urls")),
]

if settings.SANDBOX_MODE != "off":
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))
    urlpatterns.append(path("", include("sandbox.urls_logos")))

handler400 = "team.views.error_400"
handler403 = "team.views.error_403"
handler404 = "team.views.error_404"
handler500 = "team.views.error_500"
