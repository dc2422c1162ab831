"""Follow-up reports: the staff pages under /personal/uppfoljningar/ and the public download of a
published report's stored PDF under /kommuner/…, outside the language prefix."""

from django.urls import path

from followup.reports import views
from municipalities.site.throttle import limit_per_client

app_name = "reports"

staff = "personal/uppfoljningar/"

urlpatterns = [
    path(staff + "medborgarlofte/<int:period_pk>/", views.report_list, name="list"),
    path(staff + "<int:pk>/", views.report_detail, name="detail"),
    path(staff + "<int:pk>/kommentar/", views.report_update, name="update"),
    path(staff + "<int:pk>/publicera/", views.report_publish, name="publish"),
    path(staff + "<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path(
        "kommuner/<slug:municipality_slug>/<slug:period_slug>/uppfoljningar/<int:pk>.pdf",
        limit_per_client("pdf")(views.published_report_pdf),
        name="published_pdf",
    ),
]
