from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sinergi.core import views as core_views
from sinergi.core import views_ops

api_v1 = [
    path("accounts/", include("sinergi.accounts.api_urls")),
    path("tenants/", include("sinergi.tenants.api_urls")),
    path("audit/", include("sinergi.audit.api_urls")),
    path("regions/", include("sinergi.regions.api_urls")),
    path("notifications/", include("sinergi.notifications.api_urls")),
    path("documents/", include("sinergi.documents.api_urls")),
    path("cases/", include("sinergi.cases.api_urls")),
    path("jobs/", include("sinergi.jobs.api_urls")),
    path("taskforces/", include("sinergi.taskforces.api_urls")),
    path("public/", include("sinergi.cases.api_public_urls")),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", views_ops.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("sinergi.accounts.urls")),
    path("agencies/", include("sinergi.tenants.urls")),
    path("settings/", include("sinergi.tenants.urls_settings")),
    path("audit/", include("sinergi.audit.urls")),
    path("regions/", include("sinergi.regions.urls")),
    path("notifications/", include("sinergi.notifications.urls")),
    path("documents/", include("sinergi.documents.urls")),
    path("cases/", include("sinergi.cases.urls")),
    path("jobs/", include("sinergi.jobs.urls")),
    path("taskforces/", include("sinergi.taskforces.urls")),
    path("lapor/", include("sinergi.cases.urls_public")),
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
