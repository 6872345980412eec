"""Case handling URLs, split per area so that each module stays small."""

from django.urls import include, path

app_name = "cases"
urlpatterns = [
    path("", include("sinergi.cases.urls_case")),
    path("referrals/", include("sinergi.cases.urls_referral")),
    path("reports/", include("sinergi.cases.urls_reports")),
    path("satgas/", include("sinergi.cases.urls_satgas")),
]
