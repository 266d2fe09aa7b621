from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django_alive import views as alive_views

urlpatterns = [
    # For load balancers and process supervisors: no login, a tiny body. The names are
    # django-alive's, which its host-check middleware looks up.
    path("healthz", login_not_required(alive_views.healthcheck), name="alive_health"),
    path("livez", login_not_required(alive_views.alive), name="alive_alive"),
    path("", include("team.urls")),
    path("", include("catalog.urls")),
    path("", include("instances.urls")),
    path("", include("apidocs.urls")),
]

if settings.SANDBOX_MODE != "off":
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))
    urlpatterns.append(path("", include("sandbox.urls_logos")))

handler400 = "dashboard.errors.error_400"
handler403 = "dashboard.errors.error_403"
handler404 = "dashboard.errors.error_404"
handler500 = "dashboard.errors.error_500"
