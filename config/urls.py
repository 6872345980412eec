from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sinergi.core import plugins, views_ops
from sinergi.core import views as core_views

# Every app mounts its pages and API from its own plugin.py (sinergi.core.plugins.url_include).
api_v1 = [path(entry.prefix, include(entry.module)) for entry in plugins.url_includes(api=True)]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", views_ops.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path(entry.prefix, include(entry.module)) for entry in plugins.url_includes(api=False)),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("sinergi.core.urls")),
]

# Under /api/ every error is the JSON error body; a lost database connection is a 503 everywhere.
handler400 = "sinergi.core.error_views.bad_request"
handler403 = "sinergi.core.error_views.permission_denied"
handler404 = "sinergi.core.error_views.page_not_found"
handler500 = "sinergi.core.error_views.server_error"
