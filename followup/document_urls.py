"""Public downloads of published follow-up reports; included before the public pages."""

from django.urls import path

from followup import document_views

app_name = "published_reports"

urlpatterns = [
    path(
        "kommuner/<slug:municipality_slug>/<slug:period_slug>/uppfoljningar/<int:pk>.pdf",
        document_views.report_pdf,
        name="report_pdf",
    ),
]
